"""A realistic demo population for `garda demo`: synthetic people (data/demo_population.csv,
with planted duplicates) registered through the real form and services, some moved
along the migration status machine. Idempotent: a NIK already registered is skipped.

The file was written by the benchmark's generator (bench/synth.py, seed 2026, 8%
duplicates); the names, NIKs, phones and addresses are invented."""

import csv
import random
from datetime import date
from pathlib import Path

from garda.accounts.models import User
from garda.people.forms import PersonForm
from garda.people.matching import Record
from garda.people.models import Route, Status
from garda.people.services.registry import (
    PersonData,
    find_by_nik,
    person_change_status,
    person_register,
)

POPULATION_FILE = Path(__file__).parent / "data" / "demo_population.csv"

# (target status, share of the population, route): the walk goes through every step.
_JOURNEYS = [
    ([Status.IN_PREPARATION], 0.30, ""),
    ([Status.IN_PREPARATION, Status.READY], 0.10, ""),
    ([Status.IN_PREPARATION, Status.READY, Status.PLACED], 0.05, Route.P3MI),
    (
        [Status.IN_PREPARATION, Status.READY, Status.PLACED, Status.DEPARTED, Status.ABROAD],
        0.08,
        Route.G2G,
    ),
    (
        [
            Status.IN_PREPARATION,
            Status.READY,
            Status.PLACED,
            Status.DEPARTED,
            Status.ABROAD,
            Status.RETURNED,
        ],
        0.04,
        Route.INDEPENDENT,
    ),
]


def demo_records() -> list[Record]:
    """The demo population, in the file's order (blank sex and birth date are None)."""
    with open(POPULATION_FILE, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["birth_date"] = date.fromisoformat(row["birth_date"]) if row["birth_date"] else None
        row["sex"] = row["sex"] or None
    return [Record(**row) for row in rows]


def _form_data(record: Record) -> dict:
    return {
        "nik": record.nik,
        "full_name": record.full_name,
        "sex": record.sex or "",
        "birth_date": record.birth_date.isoformat() if record.birth_date else "",
        "birth_place": record.birth_place,
        "address_line": record.address,
        "village_code": record.region if record.region.count(".") == 3 else "",
        "phone": record.phone,
    }


def _validated(record: Record) -> PersonData | None:
    data = _form_data(record)
    form = PersonForm(data)
    if not form.is_valid() and set(form.errors) <= {"birth_date", "sex"}:
        # The synthetic age falsifications: an officer would record why.
        data["nik_mismatch_reason"] = "Akta kelahiran berbeda dengan NIK (data demo)"
        form = PersonForm(data)
    if not form.is_valid():
        return None
    return PersonData.from_cleaned(form.cleaned_data)


def load_demo_population(*, officer: User, n: int = 200, seed: int = 2026) -> tuple[int, int]:
    """Register up to `n` synthetic people (the file has 200) as `officer`; returns
    (created, skipped). `seed` draws how far each one has gone."""
    records = demo_records()[:n]
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    created = skipped = 0
    for record in records:
        data = _validated(record) if record.nik else None
        if data is None or find_by_nik(data.nik) is not None:
            skipped += 1
            continue
        person = person_register(actor=officer, data=data)
        created += 1
        draw, cumulative = rng.random(), 0.0
        for steps, share, route in _JOURNEYS:
            cumulative += share
            if draw < cumulative:
                if not person.training_only:
                    for status in steps:
                        person = person_change_status(
                            actor=officer,
                            person=person,
                            to_status=status,
                            route=route,
                            reason="demo",
                        )
                break
    return created, skipped


def ensure_worker_profile(*, worker: User, nik: str, full_name: str, born: date, sex: str) -> bool:
    """The demo worker's own record (self-registered); False if it existed."""
    if find_by_nik(nik) is not None or hasattr(worker, "person"):
        return False
    person_register(
        actor=worker,
        user=worker,
        data=PersonData(
            nik=nik,
            full_name=full_name,
            sex=sex,
            birth_date=born,
            birth_place="Jakarta",
            address_line="Jl. Tanah Abang II No. 12",
            village_code="31.71.02.1001",
            phone="+6281298765432",
        ),
    )
    return True
