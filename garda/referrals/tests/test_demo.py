"""The demo referrals of `garda demo`: one waiting in Putri's inbox (BP3MI), one
accepted by Dinsos, one reported back with the planned service done; run twice,
nothing is duplicated."""

import pytest

from garda.cases.demo import populate as cases_populate
from garda.referrals.access import visible_referrals
from garda.referrals.demo import populate
from garda.referrals.models import Referral, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(alice, bob, carol, admin_user, wati, putri):
    users = {"alice": alice, "bob": bob, "carol": carol, "admin": admin_user, "wati": wati}
    cases_populate(users)
    return {**users, "putri": putri}


def test_the_demo_referrals(people, putri):
    assert populate(people) == 3
    statuses = sorted(Referral.objects.values_list("status", flat=True))
    assert statuses == sorted([Status.REQUESTED, Status.ACCEPTED, Status.REPORTED])
    inbox = visible_referrals(putri)
    assert inbox.filter(status=Status.REQUESTED).count() == 1
    reported = Referral.objects.get(status=Status.REPORTED)
    assert reported.agency == putri.agency and reported.planned_service.done_at is not None
    assert populate(people) == 0
    assert Referral.objects.count() == 3
