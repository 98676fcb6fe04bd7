"""Exports of the registry: the current filtered list as CSV, identity numbers masked
unless the user may reveal them for that person, formula cells neutralised."""

import csv
from collections.abc import Iterable, Iterator

from garda.accounts import roles
from garda.accounts.models import User
from garda.crypto import mask
from garda.people.models import Assignment, Person

HEADER = [
    "referensi",
    "nik",
    "nama_lengkap",
    "jenis_kelamin",
    "tanggal_lahir",
    "tempat_lahir",
    "alamat",
    "kode_wilayah",
    "telepon",
    "email",
    "pendidikan",
    "status",
    "jalur",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A spreadsheet must not run a cell as a formula (CSV injection, OWASP): text
    starting with = + - @ gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_rows(user: User, people: Iterable[Person]) -> Iterator[str]:
    """Lines of CSV for `people` as `user` may see them."""
    writer = csv.writer(_Echo())
    reveal_all = user.role in (roles.ADMIN, roles.SUPERVISOR)
    assigned = (
        set(Assignment.objects.filter(officer=user).values_list("person_id", flat=True))
        if user.role == roles.OFFICER
        else set()
    )
    yield "\ufeff" + writer.writerow(HEADER)  # BOM: Excel reads UTF-8 correctly
    for p in people:
        nik = p.nik if reveal_all or p.pk in assigned or p.user_id == user.pk else mask(p.nik)
        yield writer.writerow(
            [
                safe_cell(v)
                for v in (
                    p.reference,
                    nik,
                    p.full_name,
                    "L" if p.sex == "M" else "P",
                    p.birth_date.isoformat(),
                    p.birth_place,
                    p.address_line,
                    p.village_id or "",
                    p.phone,
                    p.email,
                    p.education_level,
                    p.status,
                    p.route,
                )
            ]
        )
