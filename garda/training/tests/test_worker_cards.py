"""The worker's training pages as cards (docs/design-ui.md §2.3): "Pelatihan saya"
with the status as a tag and the dates in words, "Sertifikat saya" with its state
and actions, the catalogue's seats in words; constant queries however many rows."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from conftest import verified_client
from garda.training.services.certificates import certificate_revoke, verify_url
from garda.training.services.enrolment import enrolment_create
from garda.training.tests.catalogue_support import provider_for
from garda.training.tests.factories import make_batch, make_course

pytestmark = pytest.mark.django_db


def _long(day) -> str:
    with translation.override("id"):
        return date_format(day, "l, j F Y")


def test_my_training_is_cards_with_dates_in_words(wati, wati_person, ppkd, alice):
    provider = provider_for(ppkd)
    course = make_course("cards-welding")
    full = make_batch(course, provider, code="CARDS-1", capacity=1)
    later = make_batch(course, provider, code="CARDS-2", starts_in_days=60)
    from garda.training.tests.catalogue_support import person

    enrolment_create(actor=alice, batch=full, person=person(40))
    waiting = enrolment_create(actor=wati, batch=full, person=wati_person)
    seated = enrolment_create(actor=wati, batch=later, person=wati_person)
    html = verified_client(wati).get(reverse("training:my_training")).content.decode()
    assert "<table" not in html
    card = re.search(rf'<li class="card" id="enrolment-{waiting.pk}".*?</li>', html, re.S).group()
    assert '<strong class="tag tag-yellow">Dalam daftar tunggu, urutan ke-1</strong>' in card
    assert f"{_long(full.starts_on)} sampai {_long(full.ends_on)}" in card
    assert full.starts_on.isoformat() not in html
    card = re.search(rf'<li class="card" id="enrolment-{seated.pk}".*?</li>', html, re.S).group()
    assert '<strong class="tag tag-green">' in card and "CARDS-2" in card
    # Withdrawing is folded under the card, its reason checked by the server.
    assert "<details" in card and reverse("training:withdraw", args=[seated.pk]) in card


def test_my_training_queries_do_not_grow_with_enrolments(
    wati, wati_person, ppkd, django_assert_max_num_queries
):
    provider = provider_for(ppkd)
    client = verified_client(wati)
    course = make_course("cards-q0")
    enrolment_create(actor=wati, batch=make_batch(course, provider), person=wati_person)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("training:my_training"))
    for i in range(1, 6):
        batch = make_batch(make_course(f"cards-q{i}"), provider, starts_in_days=14 + 10 * i)
        enrolment_create(actor=wati, batch=batch, person=wati_person)
    with django_assert_max_num_queries(20), CaptureQueriesContext(connection) as many:
        response = client.get(reverse("training:my_training"))
    assert len(many) == len(few)
    assert response.content.decode().count('<li class="card" id="enrolment-') == 6


def test_my_certificates_are_cards_with_state_and_actions(wati, wati_cert, admin_user, settings):
    settings.GARDA_BASE_URL = "https://garda.example.go.id"  # the address QR codes carry
    html = verified_client(wati).get(reverse("training:my_certificates")).content.decode()
    card = re.search(r'<li class="card" id="certificate-\d+".*?</li>', html, re.S).group()
    assert '<strong class="tag tag-green">Valid</strong>' in card
    assert wati_cert.number in card
    with translation.override("id"):
        assert date_format(wati_cert.issued_on, "j F Y") in card
    assert reverse("training:certificate_pdf", args=[wati_cert.pk]) in card
    assert verify_url(wati_cert) in card
    certificate_revoke(actor=admin_user, certificate=wati_cert, reason="Data palsu")
    html = verified_client(wati).get(reverse("training:my_certificates")).content.decode()
    assert '<strong class="tag tag-grey">Dicabut</strong>' in html
    assert reverse("training:certificate_pdf", args=[wati_cert.pk]) not in html


def test_the_catalogue_says_seats_and_start_dates_in_words(ppkd):
    provider = provider_for(ppkd)
    course = make_course("cards-catalogue")
    batch = make_batch(course, provider, capacity=3, starts_in_days=9)
    html = Client().get(reverse("training:catalogue"), {"q": "cards-catalogue"}).content.decode()
    with translation.override("id"):
        start = date_format(timezone.localdate() + timedelta(days=9), "j F Y")
    assert f'<a href="{reverse("training:batch", args=[batch.pk])}">Mulai {start}</a>' in html
    assert "Sisa 3 kursi" in html
    page = Client().get(reverse("training:course", args=[course.code])).content.decode()
    assert "<table" not in page and f"{start} sampai " in page
