"""The readiness pages: the worker's checklist and plan form, the officer's view of a
person's readiness with the plan on their behalf."""

import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.destinations.models import Plan
from garda.destinations.tests.factories_readiness import (
    KR_QUERY,
    complete_documents,
    document,
    educated,
)
from garda.people.tests.factories import register

KR_FORM = KR_QUERY
MINE = "/destinations/readiness/"


def _en(client):
    client.cookies["django_language"] = "en"
    return client


def test_a_worker_without_a_profile_completes_it_first(wati):
    response = verified_client(wati).get(MINE)
    assert response.status_code == 302 and response.url == reverse("people:me")


def test_a_worker_chooses_a_plan_and_sees_the_checklist(person, wati, kr_set):
    client = _en(verified_client(wati))
    first = client.get(MINE)
    assert first.status_code == 200
    assert b"Choose where and how you want to work" in first.content
    assert b'name="destination"' in first.content
    saved = client.post(reverse("destinations:my_plan"), KR_FORM)
    assert saved.status_code == 302 and saved.url == MINE
    plan = Plan.objects.get()
    assert plan.person == person and plan.created_by == wati
    document(person, "ktp", "rejected", rejection_reason="Foto buram")
    page = client.get(MINE).content.decode()
    # A task list: "X of Y steps done", the next step highlighted with where to go.
    assert "Your next step" in page and "Foto buram" in page
    assert re.search(r"\d+ of \d+ steps done", page)
    assert 'data-code="ktp" data-state="rejected"' in page
    assert 'class="tag tag-red">Rejected<' in page
    assert 'data-code="passport" data-state="missing"' in page
    assert "What the states mean" in page
    assert AuditEvent.objects.filter(action="view", reason="readiness").count() == 2


def test_ready_is_said_plainly(person, wati, kr_set):
    client = _en(verified_client(wati))
    client.post(reverse("destinations:my_plan"), KR_FORM)
    complete_documents(person)
    assert b"Ready: every requirement is met" in client.get(MINE).content


def test_a_plan_the_destination_does_not_offer_is_explained_on_the_form(person, wati):
    client = _en(verified_client(wati))
    response = client.post(reverse("destinations:my_plan"), {**KR_FORM, "destination": "JP"})
    assert response.status_code == 200
    assert b"is not available for Japan. Choose one of:" in response.content
    assert not Plan.objects.exists()


def test_a_past_departure_is_refused(person, wati, kr_set):
    client = _en(verified_client(wati))
    response = client.post(
        reverse("destinations:my_plan"), {**KR_FORM, "planned_departure": "2001-01-01"}
    )
    assert b"cannot be in the past" in response.content
    assert not Plan.objects.exists()


def test_the_moratorium_is_explained(person, wati):
    client = _en(verified_client(wati))
    client.post(
        reverse("destinations:my_plan"),
        {"destination": "SA", "scheme": "p2p", "sector": "domestic"},
    )
    page = client.get(MINE).content.decode()
    assert "Not ready: 1 thing stops this placement" in page
    assert "A moratorium means" in page
    row = re.search(r'<li class="task" data-code="moratorium">.*?</li>', page, re.S).group()
    assert "Sector open for placement" in row and "closed (moratorium)" in row
    assert 'class="tag tag-red">Not met<' in row


def test_names_and_reasons_are_escaped(person, wati, kr_set):
    client = verified_client(wati)
    client.post(reverse("destinations:my_plan"), KR_FORM)
    document(person, "ktp", "rejected", rejection_reason='"><svg onload=alert(1)>')
    page = client.get(MINE).content.decode()
    assert "<svg onload" not in page and "&lt;svg onload=alert(1)&gt;" in page


def test_an_officer_sees_a_person_and_plans_on_their_behalf(person, alice, kr_set):
    client = _en(verified_client(alice))
    url = reverse("destinations:person_readiness", args=[person.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b"No placement plan yet" in page.content
    year = timezone.localdate().year + 2
    saved = client.post(
        reverse("destinations:person_plan", args=[person.pk]),
        {**KR_FORM, "planned_departure": f"{year}-01-01"},
    )
    assert saved.status_code == 302 and saved.url == url
    plan = Plan.objects.get()
    assert plan.created_by == alice and str(plan.planned_departure) == f"{year}-01-01"
    page = client.get(url).content.decode()
    assert f"planned departure 1 January {year}" in page
    assert 'data-code="ktp" data-state="missing"' in page


@pytest.mark.parametrize("who", ["wati", "tono", "teguh", "putri"])
def test_the_officer_page_is_for_the_registry_only(person, who, request, kr_set):
    client = verified_client(request.getfixturevalue(who))
    assert client.get(reverse("destinations:person_readiness", args=[person.pk])).status_code == 403
    posted = client.post(reverse("destinations:person_plan", args=[person.pk]), KR_FORM)
    assert posted.status_code == 403
    assert not Plan.objects.exists()


def test_a_missing_person_is_404(alice):
    client = verified_client(alice)
    assert client.get(reverse("destinations:person_readiness", args=[999999])).status_code == 404


def test_a_worker_only_ever_sees_their_own(person, tono, kr_set):
    """tono has no record: his page sends him to complete his profile, never wati's."""
    tono_person = educated(register(serial=3, user=tono, full_name="Tono", sex="M"))
    client = _en(verified_client(tono))
    client.post(reverse("destinations:my_plan"), KR_FORM)
    assert Plan.objects.get().person == tono_person
    assert b"Wati" not in client.get(MINE).content


def test_the_upload_links_point_at_the_documents_pages(person, wati, alice, kr_set):
    client = verified_client(wati)
    client.post(reverse("destinations:my_plan"), KR_FORM)
    assert f'href="{reverse("documents:mine")}"'.encode() in client.get(MINE).content
    officer_page = verified_client(alice).get(
        reverse("destinations:person_readiness", args=[person.pk])
    )
    assert f'href="{reverse("documents:person", args=[person.pk])}"'.encode() in (
        officer_page.content
    )


def test_page_queries_are_bounded(person, wati, kr_set, django_assert_max_num_queries):
    client = verified_client(wati)
    client.post(reverse("destinations:my_plan"), KR_FORM)
    complete_documents(person)
    client.get(MINE)
    # Session and second factor (4), person, plan, cached row and the document types'
    # texts, audit (4), the base template (permissions, notifications: 3). A constant:
    # nothing here grows with the requirements. With a plan, the plan form's choices
    # (2 more queries and a fifth of the page's CPU) are on the plan's own page
    # (issue 19, docs/benchmarks.md).
    lock = connection.vendor == "postgresql"  # the audit's advisory lock
    with django_assert_max_num_queries(15 + lock):
        page = client.get(MINE)
    assert page.status_code == 200
    assert f'href="{reverse("destinations:my_plan")}"' in page.content.decode()
    assert b'name="destination"' not in page.content
    # The link opens the form, with the plan filled in.
    form = client.get(reverse("destinations:my_plan")).content.decode()
    assert 'name="destination"' in form and 'value="KR" selected' in form
