"""Transfers (issue 14): a case handed to another agency — the province the worker
lives in — moves on acceptance; the old owner keeps a read-only trail of their part,
never what happened after; a request asks the owner to transfer. Who may do what,
with every refusal a `denied` row (docs/cases.md, "Transfers")."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from conftest import make_user, verified_client
from garda.accounts import roles
from garda.accounts.models import Agency, Notification
from garda.audit.models import AuditEvent
from garda.cases.access import may_handle, trail_cases, visible_cases
from garda.cases.models import Case, CaseTask, Clock, StageChange, Transfer
from garda.cases.services import transfers
from garda.cases.services.common import VersionConflict
from garda.cases.services.handling import ApprovalPending, case_move
from garda.cases.services.record import note_add, service_plan, task_add, task_done
from garda.cases.tests.factories import case_in_progress

pytestmark = pytest.mark.django_db

JSON = "application/json"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type=JSON)


def denied(actor, reason=None) -> bool:
    qs = AuditEvent.objects.filter(actor=actor, action=AuditEvent.Action.DENIED)
    if reason is not None:
        qs = qs.filter(reason=reason)
    return qs.exists()


@pytest.fixture
def jateng(db) -> Agency:
    """The manpower office of the province the worker lives in."""
    return Agency.objects.create(
        name="Disnakertrans Provinsi Jawa Tengah", short_name="Disnaker Jateng", kind="manpower"
    )


@pytest.fixture
def sari(jateng):
    return make_user("sari@example.org", roles.SUPERVISOR, jateng, full_name="Sari")


@pytest.fixture
def dedi(jateng):
    return make_user("dedi@example.org", roles.OFFICER, jateng, full_name="Dedi")


@pytest.fixture
def eko(jateng):
    return make_user("eko@example.org", roles.OFFICER, jateng, full_name="Eko")


@pytest.fixture
def case(alice, bob):
    return case_in_progress(officer=alice, person_name="Siti Pindah", kinds=["wages"])


def offer(case, actor, agency, **kw):
    return transfers.transfer_offer(
        actor=actor, case=case, agency=agency, reason="Pekerja pulang ke Semarang", **kw
    )


# --- offer and accept ------------------------------------------------------------------


def test_offer_accept_moves_the_case_and_its_open_tasks(alice, bob, sari, dedi, jateng, case):
    due = timezone.now() + timedelta(days=2)
    open_task = task_add(actor=alice, case=case, title="Telepon keluarga", due_at=due)
    done = task_add(actor=alice, case=case, title="Catat kronologi", due_at=due)
    task_done(actor=alice, task=done)
    clocks_before = {c.name: (c.due_at, c.done_at) for c in Clock.objects.filter(case=case)}
    version = Case.objects.get(pk=case.pk).version

    resp = post(
        verified_client(alice),
        f"/api/v1/cases/{case.pk}/transfers",
        {"agency_id": jateng.pk, "reason": "Pekerja tinggal di Semarang", "version": version},
    )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["waits_on"] == "receiver" and body["kind"] == "offer"
    assert Notification.objects.filter(user=sari, url="/cases/transfers/").exists()
    # Nothing moved yet: alice still holds it.
    case.refresh_from_db()
    assert case.owner == alice and case.agency == alice.agency

    resp = post(
        verified_client(sari), f"/api/v1/transfers/{body['id']}/accept", {"owner_id": dedi.pk}
    )
    assert resp.status_code == 200, resp.content
    assert resp.json()["status"] == "accepted"
    case.refresh_from_db()
    assert case.owner == dedi and case.agency == jateng and case.version == version + 1
    # Open tasks of the old owner follow the case; done ones keep who did them.
    assert CaseTask.objects.get(pk=open_task.pk).assignee == dedi
    assert CaseTask.objects.get(pk=done.pk).assignee == alice
    # The clocks keep running: the worker's wait does not restart with a new desk.
    assert {c.name: (c.due_at, c.done_at) for c in Clock.objects.filter(case=case)} == (
        clocks_before
    )
    move = StageChange.objects.filter(case=case).latest("at", "id")
    assert move.from_stage == move.to_stage == case.stage
    assert "Disnaker Jateng" in move.reason and move.actor == sari
    assert AuditEvent.objects.filter(
        actor=sari, action="update", object_id=str(case.pk), reason__startswith="transfer #"
    ).exists()
    assert Notification.objects.filter(user=dedi, title__contains=case.reference).exists()
    assert Notification.objects.filter(
        user=alice, url=f"/cases/{case.pk}/trail/", title__contains=case.reference
    ).exists()
    # The new owner handles it; the old owner and her supervisor no longer do.
    assert may_handle(dedi, case) and may_handle(sari, case)
    assert not may_handle(alice, case) and not may_handle(bob, case)
    resp = post(verified_client(dedi), f"/api/v1/cases/{case.pk}/notes", {"text": "Kunjungi"})
    assert resp.status_code == 201


def test_old_owner_writes_and_reads_are_404_with_a_denied_row(alice, bob, sari, dedi, jateng, case):
    t = offer(case, alice, jateng)
    transfers.transfer_accept(actor=sari, transfer=t, owner=dedi)
    for user in (alice, bob):
        client = verified_client(user)
        assert client.get(f"/api/v1/cases/{case.pk}").status_code == 404
        assert post(client, f"/api/v1/cases/{case.pk}/notes", {"text": "x"}).status_code == 404
        resp = post(
            client, f"/api/v1/cases/{case.pk}/move", {"stage": "waiting", "reason": "tunggu"}
        )
        assert resp.status_code == 404
        assert client.get(f"/cases/{case.pk}/").status_code == 404
        assert client.post(f"/cases/{case.pk}/notes/", {"text": "x"}).status_code == 404
        assert denied(user, "get_case_for")
        assert case not in visible_cases(user)
        assert case in trail_cases(user)


def test_an_officer_of_the_receiving_agency_takes_an_offer_naming_nobody(alice, dedi, jateng, case):
    t = offer(case, alice, jateng)
    transfers.transfer_accept(actor=dedi, transfer=t)
    case.refresh_from_db()
    assert case.owner == dedi


def test_a_supervisor_accepting_names_an_officer_of_their_agency(alice, sari, carol, jateng, case):
    t = offer(case, alice, jateng)
    client = verified_client(sari)
    resp = post(client, f"/api/v1/transfers/{t.pk}/accept", {})
    assert resp.status_code == 422
    assert resp.json()["errors"][0]["field"] == "owner_id"
    resp = post(client, f"/api/v1/transfers/{t.pk}/accept", {"owner_id": carol.pk})
    assert resp.status_code == 422  # an officer of another agency
    assert Transfer.objects.get(pk=t.pk).status == "requested"
    assert Case.objects.get(pk=case.pk).owner == alice


def test_decline_keeps_everything_and_needs_a_reason(alice, sari, jateng, case):
    t = offer(case, alice, jateng)
    version = Case.objects.get(pk=case.pk).version
    client = verified_client(sari)
    resp = post(client, f"/api/v1/transfers/{t.pk}/decline", {"reason": " "})
    assert resp.status_code == 422
    resp = post(client, f"/api/v1/transfers/{t.pk}/decline", {"reason": "Bukan wilayah kami"})
    assert resp.status_code == 200 and resp.json()["status"] == "declined"
    case = Case.objects.get(pk=case.pk)
    assert case.owner == alice and case.agency == alice.agency and case.version == version
    assert Notification.objects.filter(user=alice, title__contains="ditolak").exists()
    # Answered once: a second answer is a conflict.
    resp = post(client, f"/api/v1/transfers/{t.pk}/accept", {"owner_id": None})
    assert resp.status_code == 409 and resp.json()["errors"][0]["code"] == "decided"


def test_cancel_by_the_owner_side(alice, bob, jateng, case):
    t = offer(case, alice, jateng)
    resp = post(verified_client(bob), f"/api/v1/transfers/{t.pk}/cancel")
    assert resp.status_code == 200 and resp.json()["status"] == "cancelled"
    # Withdrawn: a new offer may follow.
    assert offer(case, alice, jateng).is_pending


# --- refusals ------------------------------------------------------------------------


def test_a_second_pending_transfer_is_refused(alice, dinsos, jateng, case):
    offer(case, alice, jateng)
    resp = post(
        verified_client(alice),
        f"/api/v1/cases/{case.pk}/transfers",
        {"agency_id": dinsos.pk, "reason": "Butuh rumah aman"},
    )
    assert resp.status_code == 409
    assert resp.json()["errors"][0]["code"] == "pending"
    assert Transfer.objects.filter(case=case).count() == 1


def test_offer_refusals_say_why_and_write_nothing(alice, jateng, case):
    client = verified_client(alice)
    url = f"/api/v1/cases/{case.pk}/transfers"
    resp = post(client, url, {"agency_id": alice.agency_id, "reason": "x"})
    assert resp.status_code == 422 and resp.json()["errors"][0]["field"] == "agency_id"
    resp = post(client, url, {"agency_id": jateng.pk, "reason": ""})
    assert resp.status_code == 422 and resp.json()["errors"][0]["field"] == "reason"
    resp = post(client, url, {"agency_id": jateng.pk, "reason": "x", "version": 1})
    assert resp.status_code == 409 and resp.json()["errors"][0]["code"] == "version_conflict"
    assert not Transfer.objects.exists()


def test_a_case_waiting_for_a_closing_approval_is_not_transferred(alice, jateng):
    case = case_in_progress(officer=alice, person_name="Kritis", kinds=["abuse"])
    case = case_move(actor=alice, case=case, stage="resolved", reason="selesai")
    with pytest.raises(ApprovalPending):
        case_move(actor=alice, case=case, stage="closed", reason="selesai")
    resp = post(
        verified_client(alice),
        f"/api/v1/cases/{case.pk}/transfers",
        {"agency_id": jateng.pk, "reason": "pindah"},
    )
    assert resp.status_code == 409
    assert resp.json()["errors"][0]["code"] == "approval_pending"


def test_wrong_agency_and_role_attacks(alice, carol, putri, wati, sari, dedi, eko, jateng, case):
    t = offer(case, alice, jateng, owner=dedi)
    # carol (Dinsos) is no party: 404 with a denied row, for every answer.
    client = verified_client(carol)
    for action in ("accept", "decline", "cancel"):
        resp = post(client, f"/api/v1/transfers/{t.pk}/{action}", {"reason": "x"})
        assert resp.status_code == 404, action
    assert denied(carol, "get_transfer_for")
    assert post(client, f"/api/v1/cases/{case.pk}/transfers", {}).status_code in (404, 422)
    resp = post(client, f"/api/v1/cases/{case.pk}/transfers", {"agency_id": 1, "reason": "x"})
    assert resp.status_code == 404 and denied(carol, "get_case_for")
    # A partner and a worker never reach transfers: 403 with a denied row.
    for user in (putri, wati):
        c = verified_client(user)
        assert c.get("/api/v1/transfers").status_code == 403
        assert post(c, f"/api/v1/transfers/{t.pk}/accept", {}).status_code == 403
        assert c.get(f"/api/v1/cases/{case.pk}/trail").status_code == 403
        assert c.get("/cases/transfers/").status_code == 403
        assert denied(user)
    # eko, an officer of the receiving agency the offer does not name, cannot see it.
    assert post(verified_client(eko), f"/api/v1/transfers/{t.pk}/accept", {}).status_code == 404
    # The receiving side cannot withdraw the owner's offer; alice cannot accept her own.
    assert post(verified_client(sari), f"/api/v1/transfers/{t.pk}/cancel").status_code == 403
    assert denied(sari, "cases.transfer_cancel")
    assert post(verified_client(alice), f"/api/v1/transfers/{t.pk}/accept", {}).status_code == 403
    assert denied(alice, "cases.transfer_accept")
    assert Transfer.objects.get(pk=t.pk).status == "requested"
    assert Case.objects.get(pk=case.pk).owner == alice


def test_an_unnamed_officer_of_the_receiving_agency_may_accept_but_not_decline(
    alice, dedi, jateng, case
):
    t = offer(case, alice, jateng)
    client = verified_client(dedi)
    resp = post(client, f"/api/v1/transfers/{t.pk}/decline", {"reason": "sibuk"})
    assert resp.status_code == 403 and denied(dedi, "cases.transfer_decline")
    resp = post(client, f"/api/v1/transfers/{t.pk}/accept", {})
    assert resp.status_code == 200
    assert Case.objects.get(pk=case.pk).owner == dedi


def test_concurrent_accept_is_a_conflict(alice, sari, dedi, eko, jateng, case):
    t = offer(case, alice, jateng)
    read = Case.objects.get(pk=case.pk).version
    a, b = verified_client(sari), verified_client(sari)
    first = post(a, f"/api/v1/transfers/{t.pk}/accept", {"owner_id": dedi.pk, "version": read})
    assert first.status_code == 200
    second = post(b, f"/api/v1/transfers/{t.pk}/accept", {"owner_id": eko.pk, "version": read})
    assert second.status_code == 409
    assert Case.objects.get(pk=case.pk).owner == dedi


def test_accept_with_a_stale_version_is_409_and_changes_nothing(alice, sari, dedi, jateng, case):
    t = offer(case, alice, jateng)
    read = Case.objects.get(pk=case.pk).version
    case_move(actor=alice, case=case, stage="waiting", reason="tunggu KBRI")
    resp = post(
        verified_client(sari),
        f"/api/v1/transfers/{t.pk}/accept",
        {"owner_id": dedi.pk, "version": read},
    )
    assert resp.status_code == 409
    assert resp.json()["errors"][0]["code"] == "version_conflict"
    assert Transfer.objects.get(pk=t.pk).status == "requested"
    assert Case.objects.get(pk=case.pk).owner == alice


# --- a request -----------------------------------------------------------------------


def test_a_request_turned_into_an_offer_then_accepted(alice, bob, sari, dedi, jateng, case):
    resp = post(
        verified_client(sari),
        f"/api/v1/cases/{case.pk}/transfer-requests",
        {"reason": "Pekerja melapor ke kantor kami di Semarang"},
    )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["kind"] == "request" and body["waits_on"] == "owner"
    assert body["to_agency"]["id"] == jateng.pk  # the asker's own agency by default
    for user in (alice, bob):
        assert Notification.objects.filter(user=user, title__contains=case.reference).exists()
    # The asker cannot answer their own request.
    assert post(verified_client(sari), f"/api/v1/transfers/{body['id']}/accept").status_code == 403
    # The owner agrees: it becomes an offer, waiting on the receiving agency.
    resp = post(verified_client(alice), f"/api/v1/transfers/{body['id']}/accept", {})
    assert resp.status_code == 200 and resp.json()["waits_on"] == "receiver"
    assert Case.objects.get(pk=case.pk).owner == alice
    resp = post(
        verified_client(sari), f"/api/v1/transfers/{body['id']}/accept", {"owner_id": dedi.pk}
    )
    assert resp.status_code == 200
    case.refresh_from_db()
    assert case.owner == dedi and case.agency == jateng


def test_a_request_refused_by_the_owner_side_with_a_reason(alice, bob, sari, jateng, case):
    t = transfers.transfer_request(actor=sari, case=case, reason="Milik kami")
    resp = post(verified_client(bob), f"/api/v1/transfers/{t.pk}/decline", {"reason": "Masih KBRI"})
    assert resp.status_code == 200
    assert Notification.objects.filter(user=sari, title__contains="ditolak").exists()
    assert Case.objects.get(pk=case.pk).owner == alice


def test_the_owner_cannot_request_and_a_missing_case_is_404(alice, sari, case):
    resp = post(
        verified_client(alice), f"/api/v1/cases/{case.pk}/transfer-requests", {"reason": "x"}
    )
    assert resp.status_code == 422
    resp = post(verified_client(sari), "/api/v1/cases/999999/transfer-requests", {"reason": "x"})
    assert resp.status_code == 404 and denied(sari, "api transfer_request")


def test_an_asker_who_cannot_open_the_case_learns_nothing_of_its_state(alice, sari, jateng, case):
    """A case number typed in by another agency's officer is not a window on the case:
    closed, already asked for, or open, the refusal is one and the same, and the answer
    to a request names no holding agency until the owner's side agrees."""
    url = f"/api/v1/cases/{case.pk}/transfer-requests"
    resp = post(verified_client(sari), url, {"reason": "Pekerja pindah ke Semarang"})
    assert resp.status_code == 201, resp.content
    assert resp.json()["from_agency"] is None
    # A second request while the first waits: the same refusal as for a closed case.
    second = post(verified_client(sari), url, {"reason": "Sekali lagi"})
    closed = case_in_progress(officer=alice, person_name="Rina Tutup")
    Case.objects.filter(pk=closed.pk).update(stage="closed", status="closed")
    third = post(
        verified_client(sari), f"/api/v1/cases/{closed.pk}/transfer-requests", {"reason": "x"}
    )
    assert second.status_code == third.status_code == 409
    assert second.json()["errors"] == third.json()["errors"]
    assert second.json()["errors"][0]["code"] == "not_transferable"
    body = second.text.lower()
    for word in ("ditutup", "closed", "menunggu", "waiting", alice.agency.short_name.lower()):
        assert word not in body
    assert Transfer.objects.filter(case=closed).count() == 0
    # The owner's side sees who holds the case (their own agency) on the same request.
    resp = verified_client(alice).get("/api/v1/transfers")
    assert resp.json()["items"][0]["from_agency"]["id"] == alice.agency_id


# --- the trail -----------------------------------------------------------------------


def test_the_trail_shows_only_the_old_owners_part_and_nothing_after(
    alice, bob, carol, admin_user, sari, dedi, jateng, case
):
    note_add(actor=alice, case=case, text="Alice menelepon KBRI", shared=False)
    due = timezone.now() + timedelta(days=3)
    task = task_add(actor=alice, case=case, title="Minta salinan kontrak", due_at=due)
    service_plan(actor=alice, case=case, type="legal_aid", timeframe="3_days")
    t = offer(case, alice, jateng)
    transfers.transfer_accept(actor=sari, transfer=t, owner=dedi)
    case.refresh_from_db()
    # After the transfer: the new owner's work, and alice's task done by him.
    note_add(actor=dedi, case=case, text="Dedi mengunjungi keluarga", shared=False)
    task_done(actor=dedi, task=CaseTask.objects.get(pk=task.pk))
    case_move(actor=dedi, case=case, stage="waiting", reason="Menunggu majikan Semarang")

    resp = verified_client(alice).get(f"/api/v1/cases/{case.pk}/trail")
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["to_agency"]["id"] == jateng.pk
    texts = [n["text"] for n in body["notes"]]
    assert texts == ["Alice menelepon KBRI"]
    assert [t["done_at"] for t in body["tasks"]] == [None]  # done after: not hers to know
    assert len(body["services"]) == 1
    assert all(m["to_stage"] != "waiting" for m in body["moves"])
    assert "Dedi mengunjungi" not in resp.content.decode()
    assert "Menunggu majikan" not in resp.content.decode()
    assert AuditEvent.objects.filter(
        actor=alice, action="view", object_id=str(case.pk), reason="trail"
    ).exists()

    page = verified_client(alice).get(f"/cases/{case.pk}/trail/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Alice menelepon KBRI" in html and "Dedi mengunjungi" not in html
    assert "Menunggu majikan" not in html
    # bob, her supervisor, sees his agency's part too.
    resp = verified_client(bob).get(f"/api/v1/cases/{case.pk}/trail")
    assert resp.status_code == 200 and len(resp.json()["notes"]) == 1
    # Nobody else has a trail of it.
    for user in (carol, dedi):
        assert verified_client(user).get(f"/api/v1/cases/{case.pk}/trail").status_code == 404
        assert denied(user, "get_trail_for")
    assert verified_client(admin_user).get(f"/cases/{case.pk}/trail/").status_code == 403


# --- pages ---------------------------------------------------------------------------


def test_the_pages_offer_accept_and_list(alice, sari, dedi, jateng, case):
    client = verified_client(alice)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Alihkan kasus" in html
    version = Case.objects.get(pk=case.pk).version
    resp = client.post(
        f"/cases/{case.pk}/transfer/",
        {"transfer-agency": "", "transfer-reason": "", "transfer-version": version},
    )
    assert resp.status_code == 400
    resp = client.post(
        f"/cases/{case.pk}/transfer/",
        {"transfer-agency": jateng.pk, "transfer-reason": "Pulang", "transfer-version": version},
    )
    assert resp.status_code == 302
    t = Transfer.objects.get(case=case)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Menunggu instansi lain" in html or "Disnaker Jateng" in html

    inbox = verified_client(sari).get("/cases/transfers/")
    assert inbox.status_code == 200 and case.reference in inbox.content.decode()
    resp = verified_client(sari).post(f"/cases/transfers/{t.pk}/accept/", {"owner": dedi.pk})
    assert resp.status_code == 302
    assert Case.objects.get(pk=case.pk).owner == dedi
    handed = client.get("/cases/transfers/").content.decode()
    assert f"/cases/{case.pk}/trail/" in handed


def test_the_request_page_form(alice, sari, case):
    client = verified_client(sari)
    resp = client.post("/cases/transfers/request/", {"reference": "KS-0000-000000", "reason": "x"})
    assert resp.status_code == 400
    resp = client.post(
        "/cases/transfers/request/", {"reference": case.reference.lower(), "reason": "Milik kami"}
    )
    assert resp.status_code == 302
    t = Transfer.objects.get(case=case)
    assert t.kind == "request" and t.to_agency_id == sari.agency_id
    html = verified_client(alice).get(f"/cases/{case.pk}/").content.decode()
    assert "Milik kami" in html


def test_the_inbox_queries_do_not_grow_with_its_rows(
    alice, sari, dedi, jateng, django_assert_max_num_queries
):
    client = verified_client(sari)
    offer(case_in_progress(officer=alice, person_name="Pindah 0"), alice, jateng)
    client.get("/api/v1/transfers")  # warm the session
    with django_assert_max_num_queries(12) as api_one:
        assert client.get("/api/v1/transfers").json()["count"] == 1
    with django_assert_max_num_queries(25) as page_one:
        assert client.get("/cases/transfers/").status_code == 200
    for i in range(1, 6):
        offer(case_in_progress(officer=alice, person_name=f"Pindah {i}"), alice, jateng)
    with django_assert_max_num_queries(len(api_one.captured_queries)):
        resp = client.get("/api/v1/transfers")
    assert resp.json()["count"] == 6
    with django_assert_max_num_queries(len(page_one.captured_queries)):
        html = client.get("/cases/transfers/").content.decode()
    assert html.count('name="owner"') == 6 and "Dedi" in html


@pytest.mark.concurrency
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="row locks are PostgreSQL's; SQLite's test database (in memory) has one writer",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_accepts_cannot_both_move_the_case(alice, sari, dedi, eko, jateng):
    case = case_in_progress(officer=alice, person_name="Rebutan")
    t = offer(case, alice, jateng)
    version = Case.objects.get(pk=case.pk).version
    start = threading.Barrier(2)
    results: list[str] = []
    errors: list[BaseException] = []

    def accept(actor, owner) -> None:
        try:
            transfer = Transfer.objects.select_related("case", "to_agency").get(pk=t.pk)
            start.wait(timeout=10)
            transfers.transfer_accept(actor=actor, transfer=transfer, owner=owner, version=version)
            results.append(owner.email)
        except (VersionConflict, ValidationError):
            results.append("conflict")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=accept, args=(sari, dedi)),
        threading.Thread(target=accept, args=(eko, eko)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    assert not errors, errors
    assert results.count("conflict") == 1
    winner = next(r for r in results if r != "conflict")
    case.refresh_from_db()
    assert case.owner.email == winner and case.version == version + 1
    assert StageChange.objects.filter(case=case, reason__startswith="Dialihkan").count() == 1
