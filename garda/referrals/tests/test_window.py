"""The receiving partner's window on the case (docs/referrals.md, "Who sees what"),
through the Contract's API and the pages: before acceptance the request but not the
case; while accepted only the referred sections; after close, withdrawal, decline or
consent withdrawal a 404 with a denied row. Other agencies, officers and workers
get nothing."""

import pytest
from django.urls import reverse

from conftest import make_user, verified_client
from garda.accounts import roles
from garda.audit.models import AuditEvent
from garda.people.services.registry import consent_withdraw
from garda.referrals.services import referrals as services
from garda.referrals.tests.conftest import WATI_NIK

pytestmark = pytest.mark.django_db


def case_url(case) -> str:
    return f"/api/v1/cases/{case.pk}"


def denied(user, reason_start: str = "") -> int:
    return AuditEvent.objects.filter(
        actor=user, action=AuditEvent.Action.DENIED, reason__startswith=reason_start
    ).count()


def test_before_acceptance_the_request_but_not_the_case(referral, case, putri):
    client = verified_client(putri)
    answer = client.get(f"/api/v1/referrals/{referral.pk}")
    assert answer.status_code == 200
    body = answer.json()
    assert body["request"].startswith("Mohon bantu") and body["override_reason"] is None
    assert client.get(case_url(case)).status_code == 404
    assert denied(putri, "partner_case") == 1
    page = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert page.status_code == 200
    assert "Mohon bantu" in page.content.decode()
    assert case.description not in page.content.decode()


def test_while_accepted_only_the_referred_sections(referral, case, putri):
    services.referral_accept(actor=putri, referral=referral)
    client = verified_client(putri)
    answer = client.get(case_url(case))
    assert answer.status_code == 200
    body = answer.json()
    assert body["referred_sections"] == ["summary", "whereabouts"]
    assert body["referrals"] == [referral.reference]
    assert body["summary"]["description"] == case.description
    assert body["whereabouts"]["city"] == "Kuala Lumpur"
    for absent in ("identity", "person", "screening", "reporter", "services", "documents"):
        assert body[absent] is None
    text = answer.content.decode()
    assert WATI_NIK not in text
    assert "CATATAN INTERNAL" not in text
    assert "documents" not in str(body.get("screening"))
    assert "clocks" not in body and "reporter_name" not in body
    assert AuditEvent.objects.filter(
        actor=putri,
        action=AuditEvent.Action.VIEW,
        object_type="cases.case",
        reason=f"referral {referral.reference}",
    ).exists()
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert case.description in page and "Kuala Lumpur" in page
    assert WATI_NIK not in page and "CATATAN INTERNAL" not in page


def test_the_identity_section_brings_the_nik(case, bp3mi, alice, consent, putri):
    from garda.referrals.tests.conftest import refer

    referral = refer(case, bp3mi, alice, sections=["identity", "screening"])
    services.referral_accept(actor=putri, referral=referral)
    body = verified_client(putri).get(case_url(case)).json()
    assert body["identity"] == {"nik": WATI_NIK}
    assert body["screening"]["answers"] == {"documents": "held"}
    assert body["summary"] is None and body["whereabouts"] is None


@pytest.mark.parametrize("how", ["close", "decline", "cancel", "withdraw_consent"])
def test_after_the_window_404_and_a_denied_row(referral, case, putri, alice, wati, consent, how):
    if how == "decline":
        services.referral_decline(actor=putri, referral=referral, reason="Penuh")
    elif how == "cancel":
        services.referral_cancel(actor=alice, referral=referral, reason="Salah instansi")
    else:
        services.referral_accept(actor=putri, referral=referral)
        if how == "close":
            services.referral_close(actor=alice, referral=referral, reason="Selesai")
        else:
            consent_withdraw(actor=wati, consent=consent)
    client = verified_client(putri)
    before = denied(putri)
    assert client.get(case_url(case)).status_code == 404
    assert denied(putri) == before + 1
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert case.description not in page and "Kuala Lumpur" not in page


def test_a_partner_of_another_agency_gets_404(referral, case, putri, dinsos):
    services.referral_accept(actor=putri, referral=referral)
    other = make_user("mitra@dinsos.example.org", roles.PARTNER, dinsos)
    client = verified_client(other)
    for url in (case_url(case), f"/api/v1/referrals/{referral.pk}"):
        assert client.get(url).status_code == 404
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
    assert (
        client.post(f"/api/v1/referrals/{referral.pk}/report", {}, "application/json").status_code
        == 404
    )
    assert denied(other) == 4
    assert client.get("/api/v1/referrals").json()["count"] == 0


def test_an_officer_of_another_agency_and_a_worker(referral, case, carol, tono):
    client = verified_client(carol)
    assert client.get(f"/api/v1/referrals/{referral.pk}").status_code == 404
    assert client.get(f"/api/v1/cases/{case.pk}/referrals").status_code == 404
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
    assert denied(carol, "get_") == 3
    worker = verified_client(tono)
    assert worker.get(f"/api/v1/referrals/{referral.pk}").status_code == 403
    assert worker.get(reverse("referrals:list")).status_code == 403
    assert denied(tono) == 2


def test_the_contract_create_accept_report(case, bp3mi, alice, consent, putri):
    from datetime import timedelta

    from django.utils import timezone

    officer = verified_client(alice)
    answer = officer.post(
        f"/api/v1/cases/{case.pk}/referrals",
        {
            "agency_id": bp3mi.pk,
            "service": "shelter",
            "request": "Penampungan sementara",
            "due_at": (timezone.now() + timedelta(days=1)).isoformat(),
            "sections": ["summary", "person"],
            "consent_id": consent.pk,
        },
        "application/json",
    )
    assert answer.status_code == 201, answer.content
    created = answer.json()
    assert created["status"] == "requested" and created["ground"] == "consent"
    rid = created["id"]
    partner = verified_client(putri)
    assert (
        partner.post(f"/api/v1/referrals/{rid}/accept", {}, "application/json").status_code == 200
    )
    again = partner.post(f"/api/v1/referrals/{rid}/accept", {}, "application/json")
    assert again.status_code == 409 and again.json()["errors"][0]["code"] == "wrong_state"
    stale = partner.post(
        f"/api/v1/referrals/{rid}/report",
        {
            "version": 1,
            "what": "x",
            "delivered_on": str(timezone.localdate()),
            "delivered_by_name": "x",
            "outcome": "x",
        },
        "application/json",
    )
    assert stale.status_code == 409 and stale.json()["errors"][0]["code"] == "version_conflict"
    done = partner.post(
        f"/api/v1/referrals/{rid}/report",
        {
            "version": 2,
            "what": "Tempat tinggal 7 hari",
            "delivered_on": str(timezone.localdate()),
            "delivered_by_name": "Rumah Aman BP3MI",
            "outcome": "Aman",
        },
        "application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "reported"
    listed = officer.get(f"/api/v1/cases/{case.pk}/referrals").json()
    assert [r["id"] for r in listed["items"]] == [rid]


def test_the_api_refuses_bad_input_in_indonesian(case, bp3mi, alice, consent):
    client = verified_client(alice)
    answer = client.post(
        f"/api/v1/cases/{case.pk}/referrals",
        {"agency_id": 99999, "service": "x", "sections": []},
        "application/json",
        headers={"Accept-Language": "id"},
    )
    assert answer.status_code == 422
    fields = {e["field"]: e["message"] for e in answer.json()["errors"]}
    assert {"agency_id", "service", "request", "due_at", "sections"} <= set(fields)
    assert "instansi" in fields["agency_id"]
    from garda.referrals.models import Referral

    assert not Referral.objects.exists()


def test_the_answer_date_in_any_form_is_checked_not_a_500(case, bp3mi, alice, consent):
    """A date without an offset is read in Jakarta's time; a date years ahead (up to
    9999) is refused in words; neither is a 500, and nothing is written."""
    from datetime import timedelta

    from django.utils import timezone

    from garda.referrals.models import Referral

    officer = verified_client(alice)

    def create(due_at: str):
        return officer.post(
            f"/api/v1/cases/{case.pk}/referrals",
            {
                "agency_id": bp3mi.pk,
                "service": "shelter",
                "request": "Penampungan sementara",
                "due_at": due_at,
                "sections": ["summary"],
                "consent_id": consent.pk,
            },
            "application/json",
        )

    for far in ("9999-12-31T23:00:00+07:00", "2031-01-01T10:00:00"):
        answer = create(far)
        assert answer.status_code == 422, answer.content
        assert "dalam satu tahun" in answer.content.decode()
    assert not Referral.objects.exists()
    naive = (timezone.localtime() + timedelta(days=2)).replace(tzinfo=None).isoformat()
    assert create(naive).status_code == 201


# --- the case closes (issue 14 review: the window ended only with the referral) ----------


def test_closing_the_case_closes_its_referrals_and_the_partners_window(
    referral, case, putri, bob, admin_user
):
    """A supervisor closes the case while the referral is accepted: the referral closes
    with it (audited, the sharing ended, the partners told), and the partner's case,
    letter and escalation all stop."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from garda.accounts.models import Notification
    from garda.cases.services.handling import case_move
    from garda.referrals.models import ReferralEvent, Status
    from garda.referrals.services.escalation import escalate

    services.referral_accept(actor=putri, referral=referral)
    client = verified_client(putri)
    letter = reverse("referrals:letter_pdf", args=[referral.pk])
    assert client.get(case_url(case)).status_code == 200
    assert client.get(letter).status_code == 200

    case_move(
        actor=bob,
        case=case,
        stage="closed",
        reason="Pekerja sudah pulang",
        closing_reason="withdrawn",
    )
    referral.refresh_from_db()
    assert referral.status == Status.CLOSED and referral.closed_by == bob
    assert referral.close_reason == "Kasus ditutup"
    assert referral.sharing.ended_at is not None
    step = referral.events.get(kind=ReferralEvent.Kind.CLOSED)
    assert step.actor == bob and step.note == "Kasus ditutup"
    row = AuditEvent.objects.get(
        object_type="referrals.referral",
        object_id=str(referral.pk),
        reason="referral closed: case closed",
    )
    assert row.actor == bob and row.action == AuditEvent.Action.UPDATE
    told = Notification.objects.filter(user=putri, title__contains=referral.reference).latest("id")
    assert "akses Anda ke kasus sudah berakhir" in told.title

    before = denied(putri)
    answer = client.get(case_url(case))
    assert answer.status_code == 404
    assert denied(putri) == before + 1
    assert AuditEvent.objects.filter(
        actor=putri, action=AuditEvent.Action.DENIED, reason="partner_case_window"
    ).exists()
    assert client.get(letter).status_code == 404
    assert denied(putri) == before + 2
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert case.description not in page and "Kuala Lumpur" not in page
    # Long past the report-back date: nothing is raised for a closed case's referral.
    with time_machine.travel(timezone.now() + timedelta(days=120), tick=False):
        assert escalate() == {"answer_1": 0, "answer_2": 0, "report_1": 0, "report_2": 0}
    assert not referral.escalations.exists()


def test_a_referral_waiting_for_an_answer_closes_with_a_duplicate_case(
    referral, case, alice, bob, putri
):
    from garda.cases.services.handling import case_mark_duplicate
    from garda.cases.tests.factories import case_in_progress
    from garda.referrals.models import Status

    other = case_in_progress(officer=alice, person_name="Wati Susanti")
    case_mark_duplicate(actor=bob, case=case, of_case=other, reason="Laporan yang sama")
    referral.refresh_from_db()
    assert referral.status == Status.CLOSED
    assert referral.close_reason == "Kasus ditandai sebagai duplikat laporan lain"
    assert AuditEvent.objects.filter(
        object_id=str(referral.pk), reason="referral closed: case duplicate", actor=bob
    ).exists()
    with pytest.raises(services.StateConflict):
        services.referral_accept(actor=putri, referral=referral)


def test_a_referral_left_open_on_a_closed_case_opens_nothing(referral, case, putri):
    """The second guard: a referral still accepted on a case that is not open (written
    around the services) shows nothing and is never raised."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from garda.cases.models import Case
    from garda.referrals.services.escalation import escalate

    services.referral_accept(actor=putri, referral=referral)
    Case.objects.filter(pk=case.pk).update(status="closed")
    client = verified_client(putri)
    before = denied(putri)
    assert client.get(case_url(case)).status_code == 404
    assert client.get(reverse("referrals:letter_pdf", args=[referral.pk])).status_code == 404
    assert denied(putri) == before + 2
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert case.description not in page
    with time_machine.travel(timezone.now() + timedelta(days=120), tick=False):
        assert escalate()["report_1"] == 0
