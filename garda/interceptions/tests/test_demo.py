"""The demo interceptions (garda/interceptions/demo.py): written through the services,
one case, one lead, idempotent."""

import pytest

from garda.interceptions.demo import populate
from garda.interceptions.models import BrokerLead, Interception

pytestmark = pytest.mark.django_db


def test_the_demo_shows_a_case_a_lead_and_a_person_without_nik(alice, bob):
    counts = populate({"alice": alice, "bob": bob})
    assert counts == {"interceptions": 5, "total": 5}
    assert Interception.objects.filter(case__isnull=False).count() == 1
    assert Interception.objects.filter(person__isnull=True).count() == 1
    assert BrokerLead.objects.get().normalised == "cahaya gemilang mandiri"
    assert populate({"alice": alice, "bob": bob}) == {"interceptions": 0, "total": 5}
