"""The worker card: its public page shows only the name, the status in words, the
destination and whom to call (no NIK, no address, no employer, no wage); an unknown,
cancelled, ended or expired card is "not valid" (404); the PDF is the worker's own or
the office's, with a QR code, and audited as an export."""

from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from conftest import verified_client, without_csrf_tokens
from garda.audit.models import AuditEvent
from garda.destinations.models import Destination
from garda.jobs.models import Placement
from garda.jobs.services import placement as svc
from garda.jobs.tests.factories_placement import (
    contract,
    make_placement,
    open_order,
    ready_person,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_budget():
    from django.core.cache import caches

    from garda.jobs import throttles

    caches[throttles.CACHE_ALIAS].clear()
    yield
    caches[throttles.CACHE_ALIAS].clear()


HOTLINE = "+62 21 1500 111"


@pytest.fixture
def placement(rina, alice, wati):
    order = open_order(rina, alice)
    person = ready_person(user=wati, full_name="Wati Lestari")
    placement = make_placement(alice, order, person)
    svc.placement_record_contract(actor=alice, placement=placement, data=contract())
    Destination.objects.filter(code="HK").update(embassy_phone="+852 2890 4421")
    return Placement.objects.select_related("person", "order", "employer").get(pk=placement.pk)


def card_page(code: str):
    with translation.override("id"):
        return Client().get(reverse("jobs:card", args=[code]), HTTP_ACCEPT_LANGUAGE="id")


@override_settings(GARDA_HOTLINE=HOTLINE)
def test_the_public_page_shows_only_the_card(placement):
    response = card_page(placement.card_code)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Wati Lestari" in html
    assert 'data-valid="yes"' in html
    destination = Destination.objects.get(code="HK")
    assert destination.name in html or destination.name_en in html
    assert destination.embassy_name in html and "+852 2890 4421" in html
    assert HOTLINE in html
    person, order = placement.person, placement.order
    html = without_csrf_tokens(html)
    assert person.nik not in html
    assert person.address_line not in html
    assert person.phone not in html
    assert placement.employer.name not in html
    assert "5200" not in html and "5.200" not in html and "HKD" not in html
    assert order.reference not in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"


def test_a_look_up_is_not_audited(placement):
    before = AuditEvent.objects.count()
    card_page(placement.card_code)
    assert AuditEvent.objects.count() == before


def test_an_unknown_code_is_not_valid(placement):
    response = card_page("x" * 32)
    assert response.status_code == 404
    assert 'id="card-invalid"' in response.content.decode()
    assert card_page("x" * 300).status_code == 404


@pytest.mark.parametrize(
    "change",
    [
        {"status": "cancelled"},
        {"status": "ended"},
        {"status": "arrived", "ends_on": "past"},
    ],
)
def test_an_ended_cancelled_or_expired_card_is_not_valid(placement, change):
    if change.get("ends_on") == "past":
        change = dict(change, ends_on=timezone.localdate() - timedelta(days=1))
    Placement.objects.filter(pk=placement.pk).update(**change)
    response = card_page(placement.card_code)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Wati Lestari" not in html and 'id="card-invalid"' in html


def test_a_valid_card_shows_until_when(placement):
    Placement.objects.filter(pk=placement.pk).update(
        status="arrived", ends_on=timezone.localdate() + timedelta(days=400)
    )
    html = card_page(placement.card_code).content.decode()
    assert 'data-valid="yes"' in html


@override_settings(GARDA_WORKER_CARD_RATE="2/m")
def test_the_public_page_is_throttled(placement):
    client = Client()
    url = reverse("jobs:card", args=[placement.card_code])
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    response = client.get(url)
    assert response.status_code == 429 and "Retry-After" in response


# --- the PDF ----------------------------------------------------------------------------------


def test_the_worker_downloads_their_card_audited_as_an_export(placement, wati):
    response = verified_client(wati).get(reverse("jobs:placement_card", args=[placement.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        action="export", object_type="people.person", object_id=str(placement.person_id)
    ).exists()


def test_another_worker_gets_404_and_a_cancelled_card_is_not_printed(placement, tono, alice):
    response = verified_client(tono).get(reverse("jobs:placement_card", args=[placement.pk]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="denied", object_type="jobs.placement").exists()
    Placement.objects.filter(pk=placement.pk).update(status="cancelled")
    response = verified_client(alice).get(reverse("jobs:placement_card", args=[placement.pk]))
    assert response.status_code == 409


def test_the_card_holds_the_public_page_address(placement):
    from garda.jobs.card_pdf import card_pdf
    from garda.jobs.views.card import card_facts

    facts = card_facts(placement)
    assert facts["url"].endswith(f"/jobs/card/{placement.card_code}/")
    assert set(facts) == {"name", "status", "ends_on", "destination", "embassy", "hotline", "url"}
    content = card_pdf(facts, compress=False)
    assert placement.card_code.encode() in content
