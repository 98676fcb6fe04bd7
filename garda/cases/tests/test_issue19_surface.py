"""Issue 19, the cases surface: the attacks found reviewing the cases app, each written
as the attack (failing before its fix), and what must keep working beside them.

- A stranger who knew a worker's NIK sent a report (the public form, or the portal
  "for a family member"): the case was linked to that worker's record at once, so it
  appeared in the worker's account, and every message the worker and the officers
  wrote on it reached the stranger (their tracking page, their portal). A NIK from
  the public or from a worker about someone else now only suggests its owner; an
  officer confirms.
"""

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from conftest import verified_client
from garda.cases import throttles
from garda.cases.models import Case, MatchState
from garda.cases.services.handling import case_assign, case_move
from garda.cases.services.record import message_add, note_add
from garda.cases.tests.factories import open_case, worker_person
from garda.tests.markup import visible_text

pytestmark = pytest.mark.django_db

JSON = "application/json"
WORKER_REPORTS_PER_DAY = 5  # intake.WORKER_REPORTS_PER_DAY
TOO_MANY_REPORTS = "cases.case_open:too many reports"


@pytest.fixture(autouse=True)
def _fresh_budgets():
    caches[throttles.CACHE_ALIAS].clear()
    yield
    caches[throttles.CACHE_ALIAS].clear()


def report(**overrides) -> dict:
    data = {
        "reporter_name": "Orang Asing",
        "relationship": "friend",
        "person_name": "Wati",
        "kinds": ["wages"],
        "description": "Tolong bantu dia.",
    }
    data.update(overrides)
    return data


# --- the attacks -------------------------------------------------------------------------


def test_a_stranger_with_a_workers_nik_does_not_reach_her_account_or_her_messages(wati, alice):
    person = worker_person(wati)
    response = Client().post("/api/v1/reports", report(person_nik=person.nik), content_type=JSON)
    assert response.status_code == 201
    reference, secret = response.json()["reference"], response.json()["tracking_secret"]
    case = Case.objects.get(reference=reference)

    # Not linked: not in wati's account, and wati is told nothing.
    assert (case.person, case.match_state) == (None, MatchState.SUGGESTED)
    watis = verified_client(wati)
    assert watis.get("/api/v1/me/cases").json()["count"] == 0
    assert watis.get(f"/api/v1/me/cases/{case.pk}").status_code == 404

    # Handled as a report about an unconfirmed person, nothing of wati reaches the
    # stranger's tracking page.
    case = case_move(actor=alice, case=case, stage="triaged", reason="dicek")
    case_assign(actor=alice, case=case, officer=alice)
    tracked = Client().get(f"/api/v1/reports/{reference}", {"secret": secret}).json()
    assert tracked["messages"] == []


def test_a_worker_reporting_for_someone_else_by_nik_does_not_open_that_persons_account(wati, tono):
    person = worker_person(wati)
    response = verified_client(tono).post(
        "/api/v1/me/cases", report(relationship="sibling", person_nik=person.nik), content_type=JSON
    )
    assert response.status_code == 201
    case = Case.objects.get(pk=response.json()["id"])
    assert case.person is None and case.match_state == MatchState.SUGGESTED
    assert case.reporter_user == tono
    assert verified_client(wati).get("/api/v1/me/cases").json()["count"] == 0


# --- the officer confirms, and then the family flow works as before ----------------------


def test_the_officer_sees_the_nik_owner_first_and_confirms_with_one_click(wati, tono, alice):
    person = worker_person(wati)
    case, _ = open_case(actor=tono, channel="portal", relationship="sibling", person_nik=person.nik)
    client = verified_client(alice)
    page = client.get(reverse("cases:detail", args=[case.pk]))
    text = visible_text(page.content.decode())
    assert "Wati Lestari" in text and person.reference in text
    # The NIK is registered: no "add as provisional" offer beside it.
    assert 'name="mode" value="register"' not in page.content.decode()

    response = client.post(reverse("cases:link_person", args=[case.pk]), {"person": person.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.person, case.match_state) == (person, MatchState.LINKED)
    case = case_move(actor=alice, case=case, stage="triaged", reason="dicek")
    case = case_assign(actor=alice, case=case, officer=alice)
    note_add(actor=alice, case=case, text="Kami sudah menghubungi KBRI.", shared=True)
    message_add(actor=wati, case=case, text="Saya aman sekarang.")
    assert verified_client(wati).get("/api/v1/me/cases").json()["count"] == 1
    body = verified_client(tono).get(f"/api/v1/me/cases/{case.pk}").json()
    texts = [m["text"] for m in body["messages"]]
    assert texts == ["Kami sudah menghubungi KBRI.", "Saya aman sekarang."]


def test_staff_typing_a_nik_still_links_at_once(wati, alice):
    person = worker_person(wati)
    case, _ = open_case(actor=alice, channel="hotline", person_nik=person.nik)
    assert (case.person, case.match_state) == (person, MatchState.LINKED)


def test_a_worker_reporting_about_themself_is_still_linked_to_their_own_record(wati):
    person = worker_person(wati)
    case, _ = open_case(actor=wati, channel="portal", relationship="self")
    assert (case.person, case.match_state) == (person, MatchState.LINKED)


# --- a worker's account cannot flood the intake queue ------------------------------------


def test_a_worker_cannot_flood_the_intake_queue_from_the_portal(tono):
    from garda.audit.models import AuditEvent

    client = verified_client(tono)
    for _ in range(WORKER_REPORTS_PER_DAY):
        response = client.post("/api/v1/me/cases", report(), content_type=JSON)
        assert response.status_code == 201
    response = client.post("/api/v1/me/cases", report(), content_type=JSON)
    assert response.status_code == 429
    assert "24 jam" in response.json()["detail"]
    # The page, and the public form signed in, share the same count.
    page = client.post(
        reverse("cases:mine_report"),
        {
            "relationship": "friend",
            "person_name": "Wati",
            "kinds": ["wages"],
            "description": "Lagi.",
            "reporter_name": "Tono",
        },
    )
    assert page.status_code == 400
    assert "24 jam" in visible_text(page.content.decode())
    assert Case.objects.filter(reporter_user=tono).count() == WORKER_REPORTS_PER_DAY
    assert (
        AuditEvent.objects.filter(actor=tono, action="denied", reason=TOO_MANY_REPORTS).count() == 2
    )


def test_a_worker_reports_again_the_next_day(tono):
    from datetime import timedelta

    from django.utils import timezone

    client = verified_client(tono)
    for _ in range(WORKER_REPORTS_PER_DAY):
        assert client.post("/api/v1/me/cases", report(), content_type=JSON).status_code == 201
    Case.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert client.post("/api/v1/me/cases", report(), content_type=JSON).status_code == 201


# --- the API names the officer as the worker's page does ---------------------------------


def test_the_api_shows_a_worker_only_the_officers_first_name_as_the_page_does(wati, alice):
    from garda.cases.tests.factories import case_in_progress

    alice.full_name = "Alice Wijaya Kusuma"
    alice.save(update_fields=["full_name"])
    person = worker_person(wati)
    case = case_in_progress(officer=alice, person_nik=person.nik)
    client = verified_client(wati)
    body = client.get(f"/api/v1/me/cases/{case.pk}").json()
    assert body["holder"]["name"] == "Alice"
    assert client.get("/api/v1/me/cases").json()["items"][0]["holder"]["name"] == "Alice"
    page = visible_text(client.get(reverse("cases:mine_detail", args=[case.pk])).content.decode())
    assert "Wijaya" not in page and "Kusuma" not in page


# --- a duplicate is not a way round the supervisor's approval of a close -----------------


def test_an_officer_cannot_bury_a_critical_case_as_a_duplicate(alice, bob):
    from garda.audit.models import AuditEvent
    from garda.cases.models import Status
    from garda.cases.tests.factories import case_at

    critical = case_at("in_progress", officer=alice, kinds=["abuse"])
    assert critical.severity == "critical"
    other = case_at("in_progress", officer=alice, person_name="Lain")
    client = verified_client(alice)

    response = client.post(
        reverse("cases:duplicate", args=[critical.pk]),
        {"reference": other.reference, "reason": "sama saja"},
        follow=True,
    )

    assert "hanya supervisor" in visible_text(response.content.decode())
    critical.refresh_from_db()
    assert critical.status == Status.OPEN and critical.duplicate_of is None
    assert AuditEvent.objects.filter(
        actor=alice, action="denied", reason="cases.case_mark_duplicate:needs supervisor"
    ).exists()
    # A supervisor of the agency may (as they may close it).
    from garda.cases.services.handling import case_mark_duplicate

    case_mark_duplicate(actor=bob, case=critical, of_case=other, reason="sama")
    critical.refresh_from_db()
    assert critical.status == Status.DUPLICATE


def test_an_officer_still_marks_an_ordinary_case_as_a_duplicate(alice):
    from garda.cases.models import Status
    from garda.cases.tests.factories import case_at

    first = case_at("in_progress", officer=alice)
    second = case_at("in_progress", officer=alice, person_name="Lain")
    response = verified_client(alice).post(
        reverse("cases:duplicate", args=[second.pk]),
        {"reference": first.reference, "reason": "sama saja"},
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == Status.DUPLICATE
