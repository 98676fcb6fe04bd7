"""Consent withdrawal stops the sharing it covered (docs/privacy.md, "Sharing"):
may_share allows only on an active SHARING consent naming the agency; withdrawing it
refuses further sharing and ends what is live; an override needs a reason, is
audited and is shown to supervisors."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import verified_client
from garda.accounts.models import Notification
from garda.audit.models import AuditEvent
from garda.people.services.registry import consent_give, consent_withdraw
from garda.privacy import sharing
from garda.privacy.models import SharingRecord
from garda.privacy.services.sharing import ENDED_BY_WITHDRAWAL, sharing_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_with_dinsos(wati, wati_person, dinsos):
    return consent_give(
        actor=wati, person=wati_person, purpose="sharing", text_version="2026-1", agencies=[dinsos]
    )


def test_an_active_consent_naming_the_agency_allows(wati_person, dinsos, shared_with_dinsos):
    decision = sharing.may_share(wati_person, dinsos, "rujukan bantuan hukum")
    assert decision.allowed and decision.consent == shared_with_dinsos


def test_another_agency_not_named_is_refused(wati_person, dinsos, bp3mi, shared_with_dinsos):
    decision = sharing.may_share(wati_person, bp3mi, "rujukan")
    assert not decision.allowed
    assert decision.code == sharing.NOT_NAMED
    assert decision.reason


def test_no_consent_and_a_processing_consent_are_refused(wati, wati_person, dinsos):
    assert sharing.may_share(wati_person, dinsos, "rujukan").code == sharing.NO_CONSENT
    consent_give(actor=wati, person=wati_person, purpose="processing", text_version="2026-1")
    assert sharing.may_share(wati_person, dinsos, "rujukan").code == sharing.NO_CONSENT
    assert sharing.may_share(wati_person, dinsos, " ").code == sharing.NO_PURPOSE


def test_withdrawal_refuses_and_ends_the_live_sharing(
    wati, wati_person, alice, dinsos, shared_with_dinsos
):
    record = sharing_record(
        actor=alice, person=wati_person, agency=dinsos, purpose="rujukan", parts=["profile"]
    )
    assert record.consent == shared_with_dinsos and record.is_live
    # The worker withdraws on her consents page (the registry's own view and service).
    response = verified_client(wati).post(
        reverse("people:my_consent_withdraw", args=[shared_with_dinsos.pk])
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.ended_at is not None
    assert record.ended_reason == ENDED_BY_WITHDRAWAL
    assert record.ended_by == wati
    assert AuditEvent.objects.filter(
        object_type="privacy.sharingrecord", object_id=str(record.pk), reason=ENDED_BY_WITHDRAWAL
    ).exists()
    decision = sharing.may_share(wati_person, dinsos, "rujukan")
    assert not decision.allowed and decision.code == sharing.WITHDRAWN
    with pytest.raises(ValidationError) as refused:
        sharing_record(
            actor=alice, person=wati_person, agency=dinsos, purpose="rujukan", parts=["profile"]
        )
    assert "override_reason" in refused.value.message_dict
    assert SharingRecord.objects.count() == 1


def test_a_failing_end_rolls_the_withdrawal_back(
    wati, wati_person, alice, dinsos, shared_with_dinsos, monkeypatch
):
    """The sharing ends in the withdrawal's transaction: never one without the other."""
    sharing_record(actor=alice, person=wati_person, agency=dinsos, purpose="r", parts=["profile"])

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("garda.privacy.services.sharing.sharing_end_for_consent", broken)
    with pytest.raises(RuntimeError):
        consent_withdraw(actor=wati, consent=shared_with_dinsos)
    shared_with_dinsos.refresh_from_db()
    assert shared_with_dinsos.withdrawn_at is None


def test_override_needs_a_reason_is_audited_and_shown_to_supervisors(
    wati_person, alice, bob, dinsos
):
    with pytest.raises(ValidationError):
        sharing_record(
            actor=alice, person=wati_person, agency=dinsos, purpose="rujukan", parts=["case"]
        )
    assert not SharingRecord.objects.exists()
    record = sharing_record(
        actor=alice,
        person=wati_person,
        agency=dinsos,
        purpose="evakuasi darurat",
        parts=["case", "contact"],
        override_reason="Nyawa terancam; keluarga tidak bisa dihubungi.",
    )
    assert record.is_override and record.consent is None
    row = AuditEvent.objects.get(action="share", object_id=str(wati_person.pk))
    assert row.reason.startswith("override")
    assert Notification.objects.filter(user=bob, url=reverse("privacy:sharing_list")).exists()
    page = verified_client(bob).get(reverse("privacy:sharing_list"))
    assert page.status_code == 200
    assert "Nyawa terancam" in page.content.decode()
    # Only supervisors and admins open that page.
    assert verified_client(alice).get(reverse("privacy:sharing_list")).status_code == 403
    assert AuditEvent.objects.filter(actor=alice, action="denied").exists()


def test_workers_trainers_and_partners_cannot_record_a_sharing(
    wati, wati_person, teguh, putri, dinsos, shared_with_dinsos
):
    from django.core.exceptions import PermissionDenied

    for user in (wati, teguh, putri):
        with pytest.raises(PermissionDenied):
            sharing_record(
                actor=user, person=wati_person, agency=dinsos, purpose="r", parts=["profile"]
            )
        assert AuditEvent.objects.filter(actor=user, action="denied").exists()
    assert not SharingRecord.objects.exists()


def test_the_worker_sees_the_sharing_in_their_export(
    wati, wati_person, alice, dinsos, shared_with_dinsos
):
    sharing_record(
        actor=alice, person=wati_person, agency=dinsos, purpose="rujukan", parts=["profile"]
    )
    data = verified_client(wati).get("/api/v1/privacy/me/export").json()
    assert data["sections"]["sharing"][0]["agency"] == dinsos.name
    assert data["sections"]["sharing"][0]["ground"] == "consent"
