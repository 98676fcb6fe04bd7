"""The public registration's budget per address (garda/outreach/throttles.py): a bot
cannot fill an event's seats; a NIK typed online gets no "already registered"
answer (nothing to learn from it); a typo does not count, a worker with an account is not held."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from conftest import verified_client
from garda.outreach.models import Registration
from garda.outreach.tests.factories import make_event
from garda.people.tests.factories import nik_for, register
from garda.throttles import CACHE_ALIAS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _budget(settings):
    settings.GARDA_EVENT_REGISTRATION_RATE = "2/h"
    caches[CACHE_ALIAS].clear()
    yield
    caches[CACHE_ALIAS].clear()


def _post(client, event, **data):
    client.cookies["django_language"] = "id"
    return client.post(reverse("outreach:public_event", args=[event.pk]), data)


def test_the_third_registration_in_an_hour_from_one_address_is_refused(alice, client):
    event = make_event(alice)
    assert _post(client, event, full_name="Satu").status_code == 302
    assert _post(client, event, full_name="").status_code == 422  # a typo: not counted
    assert _post(client, event, full_name="Dua").status_code == 302
    response = _post(client, event, full_name="Tiga Orang")
    assert response.status_code == 429
    page = response.content.decode()
    assert 'id="throttled"' in page and "Terlalu banyak pendaftaran" in page
    assert 'value="Tiga Orang"' in page  # what was typed stays
    assert Registration.objects.count() == 2


def test_a_nik_typed_online_says_nothing_about_who_registered(alice, wati, client):
    """A visitor cannot test whether a NIK is registered for the event: a NIK typed
    online never answers "already registered" (whoever registered it), and the budget
    still holds the tries."""
    person = register(serial=771, user=wati)
    event = make_event(alice)
    assert _post(verified_client(wati), event).status_code == 302  # Wati's own
    assert _post(client, event, full_name="Ani", nik=person.nik).status_code == 302
    assert _post(client, event, full_name="Ani", nik=person.nik).status_code == 302
    response = _post(client, event, full_name="Ani", nik=nik_for(serial=772))
    assert response.status_code == 429
    assert "sudah terdaftar" not in response.content.decode()
    assert Registration.objects.filter(person=person).count() == 1
    assert Registration.objects.filter(person__isnull=True, nik_index="").count() == 2


def test_a_worker_with_an_account_is_not_held_by_the_visitors_budget(alice, wati):
    register(serial=773, user=wati)
    client = verified_client(wati)
    for _ in range(3):
        assert _post(client, make_event(alice)).status_code == 302
    assert Registration.objects.filter(person__user=wati).count() == 3
