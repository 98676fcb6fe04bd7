"""Fixtures of the readiness tests: wati's own record (educated to SMA) and the
compact requirement set of the KR EPS target. A module that defines a fixture of the
same name uses its own."""

import pytest

from garda.destinations.tests.factories_readiness import KR_EPS, educated, requirement_set
from garda.people.tests.factories import register


@pytest.fixture
def person(wati):
    return educated(register(serial=2, user=wati, full_name="Wati Lestari"))


@pytest.fixture
def kr_set(db):
    return requirement_set(KR_EPS)
