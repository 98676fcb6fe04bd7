"""Fixtures of the lapor diri tests: Malaysia and Saudi Arabia, Wati's record (alice
accompanies her), another worker's (Tono), and a stay's data as the API sends it."""

import pytest

from garda.abroad.services.stays import StayData
from garda.people.tests.factories import register
from garda.places.models import Country, Region


def country(code: str, alpha3: str, numeric: str, name_id: str, name_en: str) -> Country:
    found, _ = Country.objects.get_or_create(
        code=code,
        defaults={"alpha3": alpha3, "numeric": numeric, "name_id": name_id, "name_en": name_en},
    )
    return found


@pytest.fixture
def malaysia(db):
    return country("MY", "MYS", "458", "Malaysia", "Malaysia")


@pytest.fixture
def saudi(db):
    return country("SA", "SAU", "682", "Arab Saudi", "Saudi Arabia")


@pytest.fixture
def indonesia(db):
    return country("ID", "IDN", "360", "Indonesia", "Indonesia")


@pytest.fixture
def wati_person(wati, alice, malaysia, saudi):
    Region.objects.get_or_create(
        code="31",
        defaults={
            "name": "DKI Jakarta",
            "level": "province",
            "first_edition": 2016,
            "last_edition": 2025,
        },
    )
    person = register(serial=1, user=wati, full_name="Wati Susanti")
    person.assignments.create(officer=alice, assigned_by=alice)
    return person


@pytest.fixture
def tono_person(tono, malaysia):
    return register(serial=3, user=tono, full_name="Tono Sugiarto", sex="M")


def payload(**overrides) -> dict:
    values = {
        "departure": "independent",
        "country": "MY",
        "city": "Kuala Lumpur",
        "employer_name": "Restoran Sedap",
        "address": "Jalan Ampang 12",
        "phone": "+60 12 345 6789",
        "contract_start": "2026-01-01",
        "contract_end": "2027-12-31",
        "passport_number": "C1234567",
        "emergency_name": "Sri Wahyuni",
        "emergency_relation": "parent",
        "emergency_phone": "0812 3456 7001",
    }
    values.update(overrides)
    return values


def stay_data(**overrides) -> StayData:
    from datetime import date

    values = payload(**overrides)
    for name in ("contract_start", "contract_end"):
        if isinstance(values[name], str) and values[name]:
            values[name] = date.fromisoformat(values[name])
    return StayData(**values)
