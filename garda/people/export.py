"""Exports of the registry: the current filtered list as CSV or XLSX, identity
numbers masked unless the user may reveal them for that person, formula cells
neutralised. Both formats write the rows of export_rows."""

import csv
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from garda.accounts import roles
from garda.accounts.models import User
from garda.crypto import mask
from garda.people.models import Assignment, Person
from garda.people.services.imports import COLUMNS

# The import template's columns (a registry export re-imports as it is), framed by
# the reference and the migration state.
HEADER = ["referensi", *COLUMNS, "status", "jalur"]
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A spreadsheet must not run a cell as a formula (CSV injection, OWASP): text
    starting with = + - @ gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def export_rows(user: User, people: Iterable[Person]) -> Iterator[list[str]]:
    """One row of cell values per person in `people` (the columns of HEADER), as
    `user` may see them: NIKs masked unless the user may reveal them for that person,
    every value through safe_cell. Every export format writes these rows."""
    reveal_all = user.role in (roles.ADMIN, roles.SUPERVISOR)
    assigned = (
        set(Assignment.objects.filter(officer=user).values_list("person_id", flat=True))
        if user.role == roles.OFFICER
        else set()
    )
    for p in people:
        nik = p.nik if reveal_all or p.pk in assigned or p.user_id == user.pk else mask(p.nik)
        yield [
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


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_rows(user: User, people: Iterable[Person]) -> Iterator[str]:
    """Lines of CSV for `people` as `user` may see them."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(HEADER)  # BOM: Excel reads UTF-8 correctly
    for row in export_rows(user, people):
        yield writer.writerow(row)


def xlsx_file(user: User, people: Iterable[Person]) -> IO[bytes]:
    """An XLSX workbook of `people` as `user` may see them, in a temporary file
    positioned at its start (deleted when closed).

    openpyxl's write-only mode writes each row out as it is appended (inline strings,
    no shared-string table), so memory stays flat however many rows the iterator
    yields. Every cell is text, as in the CSV: safe_cell's apostrophe keeps openpyxl
    from storing "=..." as a formula. XML 1.0 forbids most control characters, which
    openpyxl refuses; they become U+FFFD rather than failing the export.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="registri")
    sheet.append(HEADER)
    for row in export_rows(user, people):
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) for value in row])
    out = tempfile.TemporaryFile()  # closed (and so deleted) by the response
    workbook.save(out)
    out.seek(0)
    return out
