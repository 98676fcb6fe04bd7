"""The demo returnees of `garda demo`: a late plan with two follow-ups scored, a plan
on time, one waiting for a plan; run twice, nothing is duplicated."""

import pytest

from garda.people.tests.factories import register
from garda.reintegration.demo import populate
from garda.reintegration.models import Assessment, FollowUp, Plan

pytestmark = pytest.mark.django_db


def test_the_demo_returnees(alice):
    for serial in (61, 62, 63):
        register(serial=serial, actor=alice)
    assert populate({"alice": alice}) == {"returnees": 3}
    plans = Plan.objects.order_by("returned_on")
    assert [p.made_late for p in plans] == [True, False]
    done = FollowUp.objects.filter(done_on__isnull=False).order_by("month")
    assert [f.month for f in done] == [3, 6]
    assert done[0].composite < done[1].composite  # the scores rise
    assert Assessment.objects.filter(plans__isnull=True).count() == 1  # waiting for a plan
    assert populate({"alice": alice}) == {"returnees": 0}
    assert Plan.objects.count() == 2
