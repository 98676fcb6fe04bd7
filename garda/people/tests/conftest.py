"""Fixtures shared by the registry's tests."""

import pytest

from garda.people.models import Person
from garda.people.tests.factories import register
from garda.places.models import Region


@pytest.fixture
def gambir(db) -> Region:
    def region(code, name, level, parent=None):
        return Region.objects.create(
            code=code,
            name=name,
            level=level,
            parent=parent,
            first_edition=2016,
            last_edition=2025,
        )

    province = region("31", "DKI Jakarta", "province")
    regency = region("31.71", "Jakarta Pusat", "regency", province)
    district = region("31.71.01", "Gambir", "district", regency)
    return region("31.71.01.1001", "Gambir", "village", district)


@pytest.fixture
def siti(alice) -> Person:
    """Registered by alice, who is therefore her pendamping."""
    return register(serial=1, actor=alice, full_name="Siti Aminah")


@pytest.fixture
def wati_person(wati) -> Person:
    return register(serial=2, user=wati, full_name="Wati Lestari")


@pytest.fixture
def tono_person(tono) -> Person:
    return register(serial=3, user=tono, full_name="Tono Sugiarto", sex="M")
