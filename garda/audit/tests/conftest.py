"""Audit test personas, on top of the shared ones in the root conftest.py (alice,
officer at Disnakertransgi; bob, her supervisor; carol, officer at Dinsos;
admin_user): dewi, supervisor at Dinsos."""

import pytest

from garda.accounts.models import Agency, User
from garda.audit.tests.factories import make_user


@pytest.fixture
def dewi(dinsos: Agency) -> User:
    return make_user("dewi@example.org", "supervisor", dinsos)
