"""Fixtures of the accompaniment tests: the registry's persons (siti is accompanied by
alice, who registered her; wati_person and tono_person have their own accounts and
no officer yet), a second officer of alice's agency (dewi), and helpers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import make_user
from garda.accompaniment.services import assignment_add
from garda.accounts import roles
from garda.people.tests.conftest import gambir, siti, tono_person, wati_person  # noqa: F401


def later(**delta):
    """A time from now (timedelta keywords), for due dates."""
    return timezone.now() + timedelta(**delta)


@pytest.fixture
def dewi(disnaker):
    return make_user("dewi@example.org", roles.OFFICER, disnaker, full_name="Dewi")


@pytest.fixture
def accompanied_wati(request, alice, bob):
    """Wati's record, accompanied by alice (assigned by her supervisor bob)."""
    person = request.getfixturevalue("wati_person")
    assignment_add(actor=bob, person=person, officer=alice)
    return person
