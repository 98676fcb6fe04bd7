"""The demo stays abroad of `garda demo`: Wati in Kuala Lumpur with an answered
check-in and the 60-day reminder, others in four countries, one out of contact; run
twice, nothing is duplicated."""

import pytest

from garda.abroad.demo import populate
from garda.abroad.models import CheckIn, Reminder, Stay
from garda.abroad.tests.conftest import country
from garda.people.tests.factories import register

pytestmark = pytest.mark.django_db


def test_the_demo_stays(wati, alice, wati_person):
    country("HK", "HKG", "344", "Hong Kong", "Hong Kong")
    country("TW", "TWN", "158", "Taiwan", "Taiwan")
    for n in range(6):
        register(serial=200 + n, full_name=f"Penduduk {n}")
    users = {"wati": wati, "alice": alice}
    assert populate(users) == 6
    own = Stay.objects.get(person=wati_person)
    assert own.country_id == "MY" and own.passport_number == "C7654321"
    assert CheckIn.objects.filter(stay=own, answered_at__isnull=False).exists()
    assert Reminder.objects.filter(stay=own, mark="60").exists()
    assert CheckIn.objects.filter(lost_contact_told_at__isnull=False).count() == 1
    assert set(Stay.objects.values_list("country_id", flat=True)) == {"MY", "SA", "HK", "TW"}
    assert populate(users) == 0
    assert Stay.objects.count() == 6
