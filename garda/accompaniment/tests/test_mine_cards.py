"""The worker's "Pendampingan saya" as cards (docs/design-ui.md §2.3): the next
appointment first and highlighted, day and time in words; each officer a card with
a phone link; constant queries however many appointments."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from conftest import verified_client
from garda.accompaniment.services import task_create
from garda.accompaniment.tests.conftest import later

pytestmark = pytest.mark.django_db


def test_appointments_and_officers_are_cards(wati, alice, accompanied_wati):
    alice.phone = "+62811000111"
    alice.save()
    soon = later(days=2)
    task_create(
        actor=alice,
        person=accompanied_wati,
        kind="appointment",
        title="Antar ke Kantor Imigrasi",
        place="Kanim Jakarta Selatan",
        due_at=soon,
    )
    task_create(
        actor=alice,
        person=accompanied_wati,
        kind="appointment",
        title="Tes kesehatan",
        place="RS Polri",
        due_at=later(days=9),
    )
    html = verified_client(wati).get(reverse("accompaniment:mine")).content.decode()
    assert "<table" not in html
    cards = re.findall(r'<li class="card[^"]*">.*?</li>', html, re.S)
    first = cards[0]
    assert first.startswith('<li class="card card-next">') and "Antar ke Kantor Imigrasi" in first
    local = timezone.localtime(soon)
    with translation.override("id"):
        assert f"{date_format(local, 'l, j F Y')}, pukul {local:%H.%M}" in first
    assert "Kanim Jakarta Selatan" in first
    assert "Tes kesehatan" in cards[1] and "card-next" not in cards[1]
    officer = next(c for c in cards if "+62811000111" in c)
    assert 'href="tel:+62811000111"' in officer


def test_the_page_queries_do_not_grow_with_appointments(
    wati, alice, accompanied_wati, django_assert_max_num_queries
):
    client = verified_client(wati)
    task_create(
        actor=alice,
        person=accompanied_wati,
        kind="appointment",
        title="A0",
        place="Kantor",
        due_at=later(days=1),
    )
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("accompaniment:mine"))
    for i in range(1, 6):
        task_create(
            actor=alice,
            person=accompanied_wati,
            kind="appointment",
            title=f"A{i}",
            place="Kantor",
            due_at=later(days=1 + i),
        )
    with django_assert_max_num_queries(20), CaptureQueriesContext(connection) as many:
        html = client.get(reverse("accompaniment:mine")).content.decode()
    assert len(many) == len(few)
    assert all(f">A{i}<" in html for i in range(6))
