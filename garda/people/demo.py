"""A realistic demo population for `garda demo`: synthetic people (synth.py, with
its planted duplicates) registered through the real form and services, some moved
along the migration status machine. Idempotent: a NIK already registered is skipped."""

import random
from datetime import date

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
from garda.people.synth import generate

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
    """Register up to `n` synthetic people as `officer`; returns (created, skipped)."""
    records, _pairs = generate(n, seed=seed, duplicate_rate=0.08)
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
