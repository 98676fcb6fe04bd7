"""Build registry data through the real services (docs/style.md, rule 9)."""

from datetime import date

from garda.accounts.models import User
from garda.people.models import Person
from garda.people.services.registry import PersonData, person_register


def nik_for(
    *, serial: int, district: str = "317101", born: date = date(1990, 1, 1), sex: str = "F"
) -> str:
    day = born.day + (40 if sex == "F" else 0)
    return f"{district}{day:02d}{born:%m%y}{serial:04d}"


def person_data(
    *,
    serial: int,
    born: date = date(1990, 1, 1),
    sex: str = "F",
    full_name: str | None = None,
    **extra,
) -> dict:
    """A valid person payload (as the form/API takes it) with a unique NIK per serial."""
    return {
        "nik": nik_for(serial=serial, born=born, sex=sex),
        "full_name": full_name or f"Siti Nurhaliza {serial}",
        "sex": sex,
        "birth_date": born.isoformat(),
        "birth_place": "Jakarta",
        "address_line": "Jl. Kebon Sirih No. 1",
        "phone": "0812-3456-7890",
        **extra,
    }


def register(
    *, serial: int, actor: User | None = None, user: User | None = None, **kwargs
) -> Person:
    raw = person_data(serial=serial, **kwargs)
    data = PersonData(
        nik=raw["nik"],
        full_name=raw["full_name"],
        sex=raw["sex"],
        birth_date=date.fromisoformat(raw["birth_date"]),
        birth_place=raw["birth_place"],
        address_line=raw["address_line"],
        phone="+6281234567890",
    )
    return person_register(actor=actor, data=data, user=user)


def restart_person_ids() -> None:
    """The next persons registered get the ids a fresh database gives (1, 2, ... after
    any person that exists). PostgreSQL's sequences are not rolled back with the tests
    that used them, so otherwise a person's id depends on the tests that ran before;
    the demos draw each person's data from a generator seeded with the id."""
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Person]):
            cursor.execute(sql)
