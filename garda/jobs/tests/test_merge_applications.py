"""Two records of one person merged (the registry's duplicate review) when both
applied to the same job order: the survivor's application stands, the other stays
with the merged record, and nothing fails (the API fuzzer found a 500 here)."""

import pytest

from garda.jobs.models import Application
from garda.jobs.tests.factories_placement import open_order, ready_person
from garda.people.models import DuplicateCandidate, Person
from garda.people.services.duplicates import duplicate_decide

pytestmark = pytest.mark.django_db
A = Application.Status


def test_merging_two_records_that_applied_to_the_same_order(alice, rina, bob):
    order, other_order = open_order(rina, alice), open_order(rina, alice)
    older, newer = ready_person(), ready_person()
    kept = Application.objects.create(order=order, person=older, status=A.SHORTLISTED)
    clash = Application.objects.create(order=order, person=newer, status=A.APPLIED)
    moved = Application.objects.create(order=other_order, person=newer, status=A.APPLIED)
    candidate, _ = DuplicateCandidate.objects.get_or_create(
        person_a=older, person_b=newer, defaults={"score": 0.9, "reasons": []}
    )
    survivor = duplicate_decide(actor=bob, candidate=candidate, same=True)
    assert survivor.pk == older.pk
    assert Application.objects.get(pk=kept.pk).person_id == older.pk
    assert Application.objects.get(pk=moved.pk).person_id == older.pk
    assert Application.objects.get(pk=clash.pk).person_id == newer.pk
    assert Person.objects.get(pk=newer.pk).merged_into_id == older.pk
