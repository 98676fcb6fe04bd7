"""The staff's cases API (issue 12's contract): intake, the list, one case with its
clocks, moves (skips and stale versions refused), closing approvals, assignment and
severity, and who may do what (403/404, each refusal a `denied` audit row)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import make_user, verified_client
from garda.accounts import roles
from garda.audit.models import AuditEvent
from garda.cases.access import case_by_tracking
from garda.cases.models import Approval, Case, Note, Stage, StageChange
from garda.cases.services.escalation import escalate
from garda.cases.services.handling import case_move
from garda.cases.tests.factories import case_in_progress, open_case
from garda.people.tests.factories import register
from garda.places.models import Country

pytestmark = pytest.mark.django_db

JSON = "application/json"
JKT = ZoneInfo("Asia/Jakarta")
CASES = "/api/v1/cases"


@pytest.fixture
def wati_person(wati):
    return register(serial=2, user=wati, full_name="Wati Lestari")


def post(client, url, data=None):
    return client.post(url, data or {}, content_type=JSON)


def hotline(**overrides) -> dict:
    body = {
        "reporter_name": "Sri Wahyuni",
        "reporter_phone": "+6281234567001",
        "relationship": "parent",
        "person_name": "Siti Aminah",
        "country": "MY",
        "city": "Johor Bahru",
        "kinds": ["wages", "go_home"],
        "description": "Gaji anak saya belum dibayar tiga bulan.",
        "channel": "hotline",
    }
    body.update(overrides)
    return body


def denied(actor, reason=None, **filters):
    qs = AuditEvent.objects.filter(actor=actor, action=AuditEvent.Action.DENIED, **filters)
    if reason is not None:
        qs = qs.filter(reason=reason)
    return qs.exists()


def clocks(body: dict) -> dict:
    return {
        c["name"]: (c["state"], datetime.fromisoformat(c["due_at"]).astimezone(JKT))
        for c in body["clocks"]
    }


@pytest.fixture
def dewi(disnaker):
    return make_user("dewi@example.org", roles.OFFICER, disnaker, full_name="Dewi")


@pytest.fixture
def malaysia(db):
    return Country.objects.create(
        code="MY", alpha3="MYS", numeric="458", name_id="Malaysia", name_en="Malaysia"
    )


# --- intake ---------------------------------------------------------------------------


def test_officer_records_a_hotline_call(alice, malaysia):
    response = post(verified_client(alice), CASES, hotline(person_nik="3171014101900001"))
    assert response.status_code == 201, response.json()
    body = response.json()
    case = Case.objects.get()
    assert body["id"] == case.pk and body["reference"].startswith("KS-")
    assert body["status"] == "open" and body["stage"] == "new" and body["version"] == 1
    assert body["channel"] == "hotline" and body["severity"] == "normal"
    assert sorted(body["kinds"]) == ["go_home", "wages"]
    assert body["country"] == "MY" and body["country_name"] == "Malaysia"
    assert body["subject_name"] == "Siti Aminah"
    assert body["subject_nik_masked"] == "****************"
    assert "3171014101900001" not in response.content.decode()
    assert body["owner"] is None and body["person_id"] is None
    assert body["reporter_phone"] == "+6281234567001" and body["relationship"] == "parent"
    assert body["allowed_stages"] == ["triaged", "closed"]
    # The officer took the call: that was the first response.
    assert {c["name"]: c["state"] for c in body["clocks"]} == {
        "first_response": "met",
        "assignment": "running",
        "resolution": "running",
    }
    # The reporter has no account: the tracking secret, shown once, opens the status page.
    assert case_by_tracking(body["reference"], body["tracking_secret"]) == case
    assert (
        body["tracking_secret"]
        not in verified_client(alice).get(f"{CASES}/{case.pk}").content.decode()
    )
    assert case.created_by == alice


def test_intake_refuses_bad_input_in_the_readers_language(alice, malaysia):
    client = verified_client(alice)
    response = post(
        client,
        CASES,
        {
            "reporter_name": "Sri",
            "relationship": "parent",
            "person_nik": "1234",
            "country": "XX",
            "kinds": ["wages", "space_pirates"],
            "channel": "portal",
            "answers": {"documents": "burnt"},
        },
    )
    assert response.status_code == 422
    errors = {e["field"]: e for e in response.json()["errors"]}
    assert set(errors) == {
        "person_name",
        "description",
        "person_nik",
        "country",
        "kinds",
        "channel",
        "answers",
    }
    assert errors["person_nik"]["code"] == "invalid_nik"
    assert errors["person_name"]["code"] == "required"
    assert errors["answers"]["code"] == "invalid"
    assert response.json()["detail"] == "Ada data yang belum benar: periksa kembali isiannya."
    no_kind = post(client, CASES, hotline(kinds=[]))
    assert no_kind.status_code == 422
    assert [(e["field"], e["code"]) for e in no_kind.json()["errors"]] == [("kinds", "required")]
    future = post(client, CASES, hotline(person_birth_date="2999-01-01"))
    assert future.status_code == 422 and future.json()["errors"][0]["code"] == "future"
    assert not Case.objects.exists()


def test_screening_at_intake_raises_severity_and_flags_the_task_force(alice, malaysia):
    answers = {"documents": "held", "deception": "different", "wages": "paid"}
    body = post(verified_client(alice), CASES, hotline(answers=answers)).json()
    assert body["severity"] == "high" and body["screening_level"] == "high"
    assert body["task_force"] is True
    urgent = post(verified_client(alice), CASES, hotline(answers={"violence": "yes"})).json()
    assert urgent["severity"] == "critical" and urgent["screening_level"] == "urgent"


@pytest.mark.parametrize("channel", ["hotline", "walk_in", "family", "embassy", "agency"])
def test_each_officer_channel(alice, malaysia, channel):
    response = post(verified_client(alice), CASES, hotline(channel=channel))
    assert response.status_code == 201 and response.json()["channel"] == channel


def test_roles_that_never_handle_cases_are_refused(teguh, putri, wati, alice, malaysia):
    case, _secret = open_case()
    for user in (teguh, putri, wati):
        client = verified_client(user)
        assert post(client, CASES, hotline()).status_code == 403
        assert client.get(CASES).status_code == 403
        # A partner reads a case only through a referral to their agency
        # (docs/referrals.md): none here, so it is missing to them (404, denied).
        assert client.get(f"{CASES}/{case.pk}").status_code == (404 if user == putri else 403)
        assert (
            post(client, f"{CASES}/{case.pk}/move", {"stage": "triaged", "reason": "x"}).status_code
            == 403
        )
        assert denied(user, "api case_create") and denied(user, "api case_list")
    assert Case.objects.count() == 1
    assert post(Client(), CASES, hotline()).status_code == 401
    assert Client().get(f"{CASES}/{case.pk}").status_code == 401


# --- one case: scope and audit --------------------------------------------------------


def test_a_case_outside_ones_scope_is_404_with_a_denied_row(alice, bob, carol, admin_user):
    theirs = case_in_progress(officer=carol, person_name="Lain")
    mine = case_in_progress(officer=alice)
    for user in (alice, bob):
        response = verified_client(user).get(f"{CASES}/{theirs.pk}")
        assert response.status_code == 404 and response.json()["detail"] == "Tidak ditemukan."
        assert denied(user, "get_case_for", object_id=str(theirs.pk))
    assert verified_client(carol).get(f"{CASES}/{mine.pk}").status_code == 404
    assert (
        post(
            verified_client(carol), f"{CASES}/{mine.pk}/move", {"stage": "waiting", "reason": "x"}
        ).status_code
        == 404
    )
    assert verified_client(alice).get(f"{CASES}/999999").status_code == 404
    # Reading is audited: one VIEW row naming the case.
    for user in (alice, bob, admin_user):
        assert verified_client(user).get(f"{CASES}/{mine.pk}").status_code == 200
        assert AuditEvent.objects.filter(
            actor=user,
            action=AuditEvent.Action.VIEW,
            object_type="cases.case",
            object_id=str(mine.pk),
        ).exists()


def test_an_officer_reads_but_may_not_move_a_case_they_typed_in_once_someone_else_holds_it(
    alice, bob, dewi, malaysia
):
    created = post(verified_client(alice), CASES, hotline()).json()
    case = Case.objects.get(pk=created["id"])
    case_move(actor=bob, case=case, stage="triaged", reason="cek")
    assert (
        post(verified_client(bob), f"{CASES}/{case.pk}/assign", {"officer_id": dewi.pk}).status_code
        == 200
    )
    client = verified_client(alice)
    body = client.get(f"{CASES}/{case.pk}").json()
    assert body["owner"] == {"id": dewi.pk, "name": "Dewi"} and body["allowed_stages"] == []
    assert (
        post(client, f"{CASES}/{case.pk}/move", {"stage": "in_progress", "reason": "x"}).status_code
        == 404
    )


# --- moves ----------------------------------------------------------------------------


def test_move_one_step_then_a_skip_is_409_and_changes_nothing(alice, bob):
    case, _secret = open_case()
    client = verified_client(alice)
    url = f"{CASES}/{case.pk}/move"
    moved = post(client, url, {"stage": "triaged", "reason": "Sudah dicek", "version": 1})
    assert moved.status_code == 200
    assert moved.json()["stage"] == "triaged" and moved.json()["version"] == 2
    assert moved.json()["allowed_stages"] == ["assigned", "closed"]
    skip = post(client, url, {"stage": "in_progress", "reason": "langsung saja"})
    assert skip.status_code == 409
    assert skip.json()["errors"][0]["code"] == "skipped_stage"
    assert skip.json()["detail"] == (
        f"Tahap tidak bisa dilompati: kasus pada tahap “{Stage.TRIAGED.label}” berlanjut ke "
        f"“{Stage.ASSIGNED.label}”, “{Stage.CLOSED.label}”. Tidak ada yang diubah."
    )
    case.refresh_from_db()
    assert case.stage == Stage.TRIAGED and case.version == 2
    assert StageChange.objects.filter(case=case).count() == 2  # opened, triaged
    # Unknown stages are bad input; the reason is required.
    assert post(client, url, {"stage": "flying", "reason": "x"}).status_code == 422
    no_reason = post(client, url, {"stage": "assigned", "reason": "  "})
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["field"] == "reason"
    # "assigned" needs an officer first (the assign operation moves it).
    no_owner = post(client, url, {"stage": "assigned", "reason": "ok"})
    assert no_owner.status_code == 422 and no_owner.json()["errors"][0]["code"] == "no_owner"
    # An early close needs one of the closing reasons of the complaint rules.
    bare_close = post(client, url, {"stage": "closed", "reason": "tidak bisa dihubungi"})
    assert bare_close.status_code == 422
    assert bare_close.json()["errors"][0]["field"] == "closing_reason"
    assert bare_close.json()["errors"][0]["code"] == "required"
    early_close = {
        "stage": "closed",
        "reason": "tidak bisa dihubungi",
        "closing_reason": "unreachable_60_days",
    }
    # Nobody holds the report yet: not the officer's to close, a supervisor's.
    unowned = post(client, url, early_close)
    assert unowned.status_code == 422 and unowned.json()["errors"][0]["code"] == "unowned"
    early = post(verified_client(bob), url, early_close)
    assert early.status_code == 200
    assert (
        early.json()["status"] == "closed"
        and early.json()["closing_reason"] == "unreachable_60_days"
    )
    assert early.json()["allowed_stages"] == []


def test_a_stale_version_is_409_and_changes_nothing(alice, bob):
    case = case_in_progress(officer=alice)
    read = verified_client(alice).get(f"{CASES}/{case.pk}").json()
    # A colleague moves it meanwhile.
    assert (
        post(
            verified_client(bob), f"{CASES}/{case.pk}/move", {"stage": "waiting", "reason": "KBRI"}
        ).status_code
        == 200
    )
    stale = post(
        verified_client(alice),
        f"{CASES}/{case.pk}/move",
        {"stage": "resolved", "reason": "beres", "version": read["version"]},
    )
    assert stale.status_code == 409
    assert stale.json()["errors"][0]["code"] == "version_conflict"
    assert stale.json()["version"] == read["version"] + 1
    assert stale.json()["detail"].startswith("Kasus ini sudah diubah orang lain")
    case.refresh_from_db()
    assert case.stage == Stage.WAITING


def test_closing_a_critical_case_waits_for_a_supervisor(alice, bob, carol):
    case = case_in_progress(officer=alice, kinds=["abuse"])
    client = verified_client(alice)
    url = f"{CASES}/{case.pk}/move"
    assert post(client, url, {"stage": "resolved", "reason": "Sudah pulang"}).status_code == 200
    pending = post(client, url, {"stage": "closed", "reason": "Sudah pulang"})
    assert pending.status_code == 202
    approval = Approval.objects.get(case=case)
    assert pending.json()["approval_id"] == approval.pk
    assert "persetujuan" in pending.json()["detail"]
    body = client.get(f"{CASES}/{case.pk}").json()
    assert body["stage"] == "resolved" and body["pending_approval_id"] == approval.pk
    # Asking again does not make a second request.
    assert (
        post(client, url, {"stage": "closed", "reason": "lagi"}).json()["approval_id"]
        == approval.pk
    )
    decision = f"/api/v1/case-approvals/{approval.pk}/decision"
    # The officer may not decide; a supervisor of another agency does not see it.
    assert post(client, decision, {"approve": True}).status_code == 403
    assert denied(alice, "cases.approval_decide")
    assert post(verified_client(carol), decision, {"approve": True}).status_code == 404
    # Refusing needs a comment.
    boss = verified_client(bob)
    no_comment = post(boss, decision, {"approve": False})
    assert no_comment.status_code == 422 and no_comment.json()["errors"][0]["field"] == "comment"
    approved = post(boss, decision, {"approve": True, "comment": "ok"})
    assert approved.status_code == 200
    assert approved.json()["decision"] == "approved" and approved.json()["case_stage"] == "closed"
    assert approved.json()["decided_by"] == {"id": bob.pk, "name": "Bob"}
    case.refresh_from_db()
    assert case.status == "closed" and case.closing_reason == "resolved"
    again = post(boss, decision, {"approve": False, "comment": "eh"})
    assert again.status_code == 409 and again.json()["errors"][0]["code"] == "decided"
    assert (
        post(boss, "/api/v1/case-approvals/999999/decision", {"approve": True}).status_code == 404
    )
    # Reopened, with a reason; a second reopen is a 409.
    reopen = f"{CASES}/{case.pk}/reopen"
    assert post(client, reopen, {"reason": ""}).status_code == 422
    reopened = post(client, reopen, {"reason": "Majikan ingkar janji"})
    assert reopened.status_code == 200
    assert reopened.json()["stage"] == "in_progress" and reopened.json()["status"] == "open"
    assert reopened.json()["reopened_count"] == 1
    assert post(client, reopen, {"reason": "lagi"}).status_code == 409


def test_a_supervisor_closes_a_critical_case_directly(alice, bob):
    case = case_in_progress(officer=alice, kinds=["trafficking"])
    case_move(actor=alice, case=case, stage="resolved", reason="selesai")
    closed = post(
        verified_client(bob), f"{CASES}/{case.pk}/move", {"stage": "closed", "reason": "ok"}
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert not Approval.objects.exists()


# --- assignment, severity, the person concerned ---------------------------------------


def test_assign_and_severity(alice, bob, carol, dewi, admin_user):
    case, _secret = open_case()
    url = f"{CASES}/{case.pk}/assign"
    boss = verified_client(bob)
    early = post(boss, url, {"officer_id": alice.pk})
    assert early.status_code == 422 and early.json()["errors"][0]["field"] == "officer_id"
    assert early.json()["errors"][0]["code"] == "not_triaged"
    post(boss, f"{CASES}/{case.pk}/move", {"stage": "triaged", "reason": "cek"})
    assert post(boss, url, {"officer_id": bob.pk}).json()["errors"][0]["code"] == "not_an_officer"
    assert post(boss, url, {"officer_id": carol.pk}).status_code == 403  # another agency's
    assigned = post(boss, url, {"officer_id": alice.pk, "reason": "wilayahnya"})
    assert assigned.status_code == 200
    body = assigned.json()
    assert body["stage"] == "assigned" and body["owner"] == {"id": alice.pk, "name": "Alice"}
    assert body["agency"]["name"] == "Disnakertransgi"
    assert {c["name"]: c["state"] for c in body["clocks"]}["assignment"] == "met"
    # An officer may not hand the case on, nor change its severity.
    assert post(verified_client(alice), url, {"officer_id": dewi.pk}).status_code == 403
    severity = f"{CASES}/{case.pk}/severity"
    assert (
        post(verified_client(alice), severity, {"severity": "high", "reason": "x"}).status_code
        == 403
    )
    assert denied(alice, "cases.case_severity_change")
    assert post(boss, severity, {"severity": "high"}).status_code == 422
    raised = post(boss, severity, {"severity": "critical", "reason": "Ada ancaman"})
    assert raised.status_code == 200 and raised.json()["severity"] == "critical"
    resolution = next(c for c in raised.json()["clocks"] if c["name"] == "resolution")
    started = case.clocks.get(name="resolution").started_at
    due = datetime.fromisoformat(resolution["due_at"])
    assert abs(due - (started + timedelta(hours=168))) < timedelta(milliseconds=1)
    # Stale version on assignment.
    stale = post(verified_client(admin_user), url, {"officer_id": dewi.pk, "version": 1})
    assert stale.status_code == 409 and stale.json()["errors"][0]["code"] == "version_conflict"


def test_link_the_person_concerned(alice, wati_person):
    case, _secret = open_case(person_name="Wati Lestari")
    client = verified_client(alice)
    url = f"{CASES}/{case.pk}/person"
    assert post(client, url, {}).status_code == 422
    no_nik = post(client, url, {"provisional": True})
    assert no_nik.status_code == 422 and no_nik.json()["errors"][0]["code"] == "nik_needed"
    assert post(client, url, {"person_id": 999999}).status_code == 404
    linked = post(client, url, {"person_id": wati_person.pk})
    assert linked.status_code == 200
    assert linked.json()["person_id"] == wati_person.pk and linked.json()["match_state"] == "linked"


def test_a_provisional_person_from_the_reports_nik(alice):
    case, _secret = open_case(person_nik="3171014101900001", person_name="Rina")
    linked = post(verified_client(alice), f"{CASES}/{case.pk}/person", {"provisional": True})
    assert linked.status_code == 200 and linked.json()["person_id"] is not None


# --- clocks under a controlled clock --------------------------------------------------


FRIDAY = datetime(2026, 5, 29, 15, 0, tzinfo=JKT)  # Thursday 28 May and Monday 1 June off


def test_clocks_count_working_days_skipping_weekend_and_holidays(alice, malaysia):
    with time_machine.travel(FRIDAY, tick=False):
        public, _secret = open_case()  # nobody answered yet
        other, _secret = open_case(person_name="Yang lain")
        typed = post(verified_client(alice), CASES, hotline()).json()
    first_due = datetime(2026, 6, 4, 15, 0, tzinfo=JKT)  # Tue, Wed, Thu (Mon is a holiday)
    with time_machine.travel(FRIDAY + timedelta(minutes=1), tick=False):
        body = verified_client(alice).get(f"{CASES}/{public.pk}").json()
        assert clocks(body) == {
            "first_response": ("running", first_due),
            "assignment": ("running", datetime(2026, 6, 8, 15, 0, tzinfo=JKT)),
            "resolution": ("running", clocks(body)["resolution"][1]),
        }
        assert clocks(verified_client(alice).get(f"{CASES}/{typed['id']}").json())[
            "assignment"
        ] == ("running", datetime(2026, 6, 8, 15, 0, tzinfo=JKT))
    # In time: triaged on Tuesday.
    with time_machine.travel(datetime(2026, 6, 2, 10, 0, tzinfo=JKT), tick=False):
        moved = post(
            verified_client(alice),
            f"{CASES}/{other.pk}/move",
            {"stage": "triaged", "reason": "cek"},
        )
        assert clocks(moved.json())["first_response"][0] == "met"
        assert (
            clocks(verified_client(alice).get(f"{CASES}/{public.pk}").json())["first_response"][0]
            == "running"
        )
    # The last quarter of the window (from Wednesday 03:00): at risk.
    with time_machine.travel(datetime(2026, 6, 3, 4, 0, tzinfo=JKT), tick=False):
        client = verified_client(alice)
        assert clocks(client.get(f"{CASES}/{public.pk}").json())["first_response"][0] == "at_risk"
        listed = client.get(CASES, {"clock": "at_risk"}).json()
        assert [c["id"] for c in listed["items"]] == [public.pk]
        assert client.get(CASES, {"clock": "breached"}).json()["count"] == 0
    with time_machine.travel(first_due + timedelta(minutes=1), tick=False):
        client = verified_client(alice)
        body = client.get(f"{CASES}/{public.pk}").json()
        assert clocks(body)["first_response"][0] == "breached"
        assert [c["id"] for c in client.get(CASES, {"clock": "breached"}).json()["items"]] == [
            public.pk
        ]
        assert body["escalations"] == []
        escalate()
        escalations = client.get(f"{CASES}/{public.pk}").json()["escalations"]
        assert [(e["clock"], e["level"]) for e in escalations] == [("first_response", 1)]
        # Answered late: still breached.
        late = post(client, f"{CASES}/{public.pk}/move", {"stage": "triaged", "reason": "cek"})
        assert clocks(late.json())["first_response"][0] == "breached"
        assert clocks(client.get(f"{CASES}/{other.pk}").json())["first_response"][0] == "met"


def test_working_days_are_jakarta_days(alice):
    """06:00 on a Monday in Jakarta is still Sunday in UTC: the clock counts from
    Monday 06:00, not from Monday 00:00 UTC."""
    monday = datetime(2026, 6, 8, 6, 0, tzinfo=JKT)
    with time_machine.travel(monday, tick=False):
        case, _secret = open_case()
        body = verified_client(alice).get(f"{CASES}/{case.pk}").json()
    assert clocks(body)["first_response"] == (
        "running",
        datetime(2026, 6, 11, 6, 0, tzinfo=JKT),
    )


def test_a_critical_case_counts_calendar_hours(alice, malaysia):
    with time_machine.travel(FRIDAY, tick=False):
        body = post(verified_client(alice), CASES, hotline(kinds=["abuse"])).json()
    assert body["severity"] == "critical"
    assert clocks(body)["assignment"] == ("running", FRIDAY + timedelta(hours=4))
    with time_machine.travel(FRIDAY + timedelta(hours=3, minutes=1), tick=False):
        body = verified_client(alice).get(f"{CASES}/{body['id']}").json()
        assert clocks(body)["assignment"][0] == "at_risk"


# --- the list -------------------------------------------------------------------------


def _count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_list_filters_and_has_no_n_plus_one(alice, bob, carol, django_assert_max_num_queries):
    queue, _secret = open_case(person_name="Antrian", kinds=["illness"])
    mine = case_in_progress(officer=alice, person_name="Milik Alice")
    other = case_in_progress(officer=carol, person_name="Milik Carol")
    client = verified_client(alice)
    listed = client.get(CASES).json()
    assert {c["id"] for c in listed["items"]} == {queue.pk, mine.pk}
    assert listed["count"] == 2
    item = next(c for c in listed["items"] if c["id"] == mine.pk)
    assert item["owner"] == {"id": alice.pk, "name": "Alice"} and item["stage"] == "in_progress"
    assert item["kinds"] == ["wages"] and len(item["clocks"]) == 3
    assert [c["id"] for c in client.get(CASES, {"mine": "true"}).json()["items"]] == [mine.pk]
    assert [c["id"] for c in client.get(CASES, {"stage": "new"}).json()["items"]] == [queue.pk]
    assert [c["id"] for c in client.get(CASES, {"severity": "high"}).json()["items"]] == [queue.pk]
    assert [c["id"] for c in client.get(CASES, {"kind": "illness"}).json()["items"]] == [queue.pk]
    assert client.get(CASES, {"stage": "nope"}).status_code == 422
    assert client.get(CASES, {"clock": "late"}).status_code == 422
    assert other.pk in {c["id"] for c in verified_client(carol).get(CASES).json()["items"]}
    # The listing is audited.
    assert AuditEvent.objects.filter(
        actor=alice, action=AuditEvent.Action.VIEW, object_type="cases.case", reason="list"
    ).exists()
    # The same number of queries for 2 cases as for 12.
    boss = verified_client(bob)
    few = _count_queries(boss, CASES)
    for i in range(10):
        case_in_progress(officer=alice, person_name=f"Orang {i}", kinds=["wages", "fraud"])
    with django_assert_max_num_queries(few):
        assert boss.get(CASES).json()["count"] == 12


# --- notes, screening, tasks, services, timeline ---------------------------------------


def test_notes_screening_tasks_services_and_timeline(alice, carol, wati_person):
    case = case_in_progress(officer=alice)
    client = verified_client(alice)
    base = f"{CASES}/{case.pk}"
    assert post(client, f"{base}/notes", {"text": "  "}).status_code == 422
    internal = post(client, f"{base}/notes", {"text": "Majikan sulit dihubungi"})
    assert internal.status_code == 201 and internal.json()["shared"] is False
    shared = post(client, f"{base}/notes", {"text": "Kami sedang menghubungi KBRI", "shared": True})
    assert shared.status_code == 201 and shared.json()["author"]["name"] == "Alice"
    notes = client.get(f"{base}/notes").json()
    assert notes["count"] == 2 and notes["items"][0]["text"] == "Kami sedang menghubungi KBRI"
    # Screening at a contact raises the severity and flags the task force.
    screened = post(client, f"{base}/screening", {"answers": {"movement": "no", "debt": "yes"}})
    assert screened.status_code == 201
    assert screened.json()["level"] == "high" and screened.json()["severity"] == "high"
    assert screened.json()["indicators"] == ["movement", "debt"]
    assert screened.json()["task_force"] is True
    assert post(client, f"{base}/screening", {"answers": {"movement": "maybe"}}).status_code == 422
    assert post(client, f"{base}/screening", {"answers": {}}).status_code == 422
    # Tasks.
    due = (datetime.now(JKT) + timedelta(days=1)).isoformat()
    task = post(client, f"{base}/tasks", {"title": "Telepon KBRI", "due_at": due})
    assert task.status_code == 201 and task.json()["assignee"]["id"] == alice.pk
    assert (
        post(
            client,
            f"{base}/tasks",
            {"title": "x", "due_at": due, "assignee_id": wati_person.user_id},
        ).status_code
        == 422
    )
    assert client.get(f"{base}/tasks").json()["count"] == 1
    done = post(client, f"/api/v1/case-tasks/{task.json()['id']}/done")
    assert done.status_code == 200 and done.json()["done_at"] is not None
    assert (
        post(verified_client(carol), f"/api/v1/case-tasks/{task.json()['id']}/done").status_code
        == 404
    )
    assert post(client, "/api/v1/case-tasks/999999/done").status_code == 404
    # Services with their own due dates.
    legal = post(client, f"{base}/services", {"type": "legal_aid", "timeframe": "3_hours"})
    assert legal.status_code == 201
    assert legal.json()["overdue"] is False
    no_date = post(client, f"{base}/services", {"type": "shelter", "timeframe": "date"})
    assert no_date.status_code == 422 and no_date.json()["errors"][0]["field"] == "due_on"
    dated = post(
        client,
        f"{base}/services",
        {"type": "repatriation", "timeframe": "date", "due_on": "2099-01-31", "provider": "BP3MI"},
    )
    assert dated.status_code == 201 and dated.json()["provider"] == "BP3MI"
    assert client.get(f"{base}/services").json()["count"] == 2
    given = post(client, f"/api/v1/case-services/{legal.json()['id']}/done")
    assert given.status_code == 200 and given.json()["done_at"] is not None
    assert (
        post(verified_client(carol), f"/api/v1/case-services/{dated.json()['id']}/done").status_code
        == 404
    )
    # Another officer's case: none of it.
    other = verified_client(carol)
    assert other.get(f"{base}/notes").status_code == 404
    assert post(other, f"{base}/notes", {"text": "x"}).status_code == 404
    assert other.get(f"{base}/timeline").status_code == 404
    # The timeline: everything, newest first, in words.
    timeline = client.get(f"{base}/timeline").json()
    kinds = [e["kind"] for e in timeline]
    assert {"stage", "severity", "screening", "note", "shared_note", "task", "service"} <= set(
        kinds
    )
    stage_texts = [e["text"] for e in timeline if e["kind"] == "stage"]
    assert stage_texts[0] == f"{Stage.ASSIGNED.label} → {Stage.IN_PROGRESS.label}: mulai"
    assert timeline == sorted(timeline, key=lambda e: e["at"], reverse=True)
    assert Note.objects.filter(case=case).count() == 2
