"""Fixtures shared by the registry's tests."""

import pytest

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
