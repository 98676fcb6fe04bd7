"""The referral's core flow through its services (docs/referrals.md): consent and
override, the answers, the report marking the planned service done, closing and
withdrawing ending the sharing, optimistic locking, and refusals in Indonesian that
write nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from garda.accounts.models import Notification
from garda.audit.models import AuditEvent
from garda.cases.models import Service
from garda.cases.tests.factories import case_in_progress
from garda.privacy.models import SharingRecord
from garda.referrals import policy
from garda.referrals.models import Referral, ReferralEvent, Status
from garda.referrals.services import referrals as services
from garda.referrals.tests.conftest import refer

pytestmark = pytest.mark.django_db


def test_referral_on_consent(referral, case, consent, bp3mi, alice, putri):
    assert referral.reference.startswith(f"RJK-{timezone.localdate().year}-")
    assert referral.status == Status.REQUESTED
    assert referral.consent == consent and referral.override_reason == ""
    sharing = referral.sharing
    assert sharing.consent == consent and sharing.agency == bp3mi and sharing.is_live
    assert sorted(sharing.parts) == ["case", "contact"]
    service = referral.planned_service
    assert service.case == case and service.type == "repatriation"
    assert service.timeframe == Service.Timeframe.DATE and service.provider == bp3mi.name
    assert service.done_at is None
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE,
        object_type="referrals.referral",
        reason="referral on consent",
    ).exists()
    assert Notification.objects.filter(user=putri, title__contains=referral.reference).exists()
    assert [e.kind for e in referral.events.all()] == [ReferralEvent.Kind.CREATED]


def test_override_without_consent_is_audited_and_supervisors_told(case, bp3mi, alice, bob):
    referral = refer(case, bp3mi, alice, override_reason="Korban dalam bahaya, tidak bisa menunggu")
    assert referral.consent is None and referral.sharing.is_override
    assert referral.sharing.override_reason.startswith("Korban")
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.SHARE, reason__startswith="override"
    ).exists()
    assert AuditEvent.objects.filter(
        object_type="referrals.referral", reason="referral on override"
    ).exists()
    assert Notification.objects.filter(user=bob).exists()


def test_without_consent_or_reason_nothing_is_written(case, bp3mi, alice):
    with translation.override("id"), pytest.raises(ValidationError) as err:
        refer(case, bp3mi, alice)
    message = " ".join(err.value.message_dict["override_reason"])
    assert "belum setuju" in message or "persetujuan" in message
    assert not Referral.objects.exists()
    assert not SharingRecord.objects.exists()
    assert not Service.objects.filter(case=case).exists()


def test_a_consent_id_must_be_the_persons_consent_for_the_agency(case, bp3mi, alice, consent):
    with pytest.raises(ValidationError) as err:
        refer(case, bp3mi, alice, consent_id=consent.pk + 1000)
    assert "consent_id" in err.value.message_dict
    referral = refer(case, bp3mi, alice, consent_id=consent.pk)
    assert referral.consent == consent


def test_a_case_without_registry_person_needs_an_override(alice, bob, bp3mi):
    case = case_in_progress(officer=alice, person_name="Tanpa Registri")
    assert case.person_id is None
    with translation.override("id"), pytest.raises(ValidationError) as err:
        refer(case, bp3mi, alice)
    assert "registri" in " ".join(err.value.message_dict["override_reason"]).lower()
    referral = refer(case, bp3mi, alice, override_reason="Butuh penampungan malam ini")
    assert referral.sharing is None and referral.override_reason
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.SHARE,
        object_type="cases.case",
        object_id=str(case.pk),
        reason__startswith="override",
    ).exists()
    assert Notification.objects.filter(user=bob, title__contains=case.reference).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"request": "  "}, "request", "diminta"),
        ({"due_at": None}, "due_at", "tanggal"),
        ({"sections": []}, "sections", "bagian"),
        ({"sections": ["notes"]}, "sections", "daftar"),
        ({"service_type": "massage"}, "service_type", "layanan"),
    ],
)
def test_bad_input_names_the_field_in_indonesian(
    case, bp3mi, alice, consent, overrides, field, words
):
    with translation.override("id"), pytest.raises(ValidationError) as err:
        refer(case, bp3mi, alice, **overrides)
    assert words in " ".join(err.value.message_dict[field]).lower()
    assert not Referral.objects.exists() and not SharingRecord.objects.exists()


def test_past_answer_date_own_agency_and_closed_case_are_refused(
    case, bp3mi, disnaker, alice, consent
):
    with translation.override("id"), pytest.raises(ValidationError) as err:
        refer(case, bp3mi, alice, due_at=timezone.now() - timedelta(hours=1))
    assert "masa depan" in " ".join(err.value.message_dict["due_at"])
    with pytest.raises(ValidationError) as err:
        refer(case, disnaker, alice)
    assert "agency" in err.value.message_dict
    bp3mi.is_active = False
    bp3mi.save()
    with pytest.raises(ValidationError) as err:
        refer(case, bp3mi, alice)
    assert "agency" in err.value.message_dict
    assert not Referral.objects.exists()


def test_only_the_cases_handler_refers(case, bp3mi, carol, putri, consent):
    for actor in (carol, putri):
        with pytest.raises(PermissionDenied):
            refer(case, bp3mi, actor)
    assert (
        AuditEvent.objects.filter(
            action=AuditEvent.Action.DENIED, reason="referrals.referral_create"
        ).count()
        == 2
    )


def test_accept_then_report_marks_the_planned_service_done(referral, putri, alice):
    accepted = services.referral_accept(actor=putri, referral=referral, version=referral.version)
    assert accepted.status == Status.ACCEPTED and accepted.answered_by == putri
    days = policy.current().periods["repatriation"].report_days
    assert accepted.report_due_at - accepted.answered_at == timedelta(days=days)
    assert Notification.objects.filter(user=alice, title__contains="diterima").exists() or (
        Notification.objects.filter(user=alice, title__contains=referral.reference).exists()
    )
    reported = services.referral_report(
        actor=putri,
        referral=accepted,
        what="Tiket pulang dan pendampingan di bandara",
        delivered_on=timezone.localdate(),
        delivered_by_name="Budi, BP3MI",
        outcome="Sudah tiba di Jakarta",
    )
    assert reported.status == Status.REPORTED
    service = Service.objects.get(pk=referral.planned_service_id)
    assert service.done_at is not None
    assert AuditEvent.objects.filter(
        object_type="cases.service", object_id=str(service.pk), changed_fields=["done_at"]
    ).exists()


def test_report_refuses_bad_input_and_a_referral_not_accepted(referral, putri):
    with pytest.raises(services.StateConflict):
        services.referral_report(
            actor=putri,
            referral=referral,
            what="x",
            delivered_on=timezone.localdate(),
            delivered_by_name="x",
            outcome="x",
        )
    services.referral_accept(actor=putri, referral=referral)
    with translation.override("id"), pytest.raises(ValidationError) as err:
        services.referral_report(
            actor=putri,
            referral=referral,
            what="",
            delivered_on=timezone.localdate() + timedelta(days=3),
            delivered_by_name="",
            outcome="",
        )
    assert set(err.value.message_dict) == {"what", "delivered_on", "delivered_by_name", "outcome"}
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED


def test_decline_needs_a_reason_and_ends_the_sharing(referral, putri, alice):
    with translation.override("id"), pytest.raises(ValidationError) as err:
        services.referral_decline(actor=putri, referral=referral, reason=" ")
    assert "alasan" in " ".join(err.value.message_dict["reason"]).lower() or err.value.message_dict
    declined = services.referral_decline(actor=putri, referral=referral, reason="Di luar wewenang")
    assert declined.status == Status.DECLINED and declined.decline_reason == "Di luar wewenang"
    assert SharingRecord.objects.get(pk=referral.sharing_id).ended_at is not None
    with pytest.raises(services.StateConflict):
        services.referral_accept(actor=putri, referral=declined)


def test_a_partner_of_another_agency_or_an_officer_may_not_answer_as_the_agency(
    referral, carol, alice, dinsos
):
    from conftest import make_user
    from garda.accounts import roles

    other = make_user("mitra-dinsos@example.org", roles.PARTNER, dinsos)
    for actor in (other, carol, alice):
        with pytest.raises(PermissionDenied):
            services.referral_accept(actor=actor, referral=referral)
    referral.refresh_from_db()
    assert referral.status == Status.REQUESTED


def test_the_handler_records_a_paper_answer_on_the_agencys_behalf(referral, alice, putri):
    with pytest.raises(ValidationError) as err:
        services.referral_accept(
            actor=alice, referral=referral, on_behalf=services.OnBehalf("", "")
        )
    assert set(err.value.message_dict) == {"channel", "given_by_name"}
    accepted = services.referral_accept(
        actor=alice, referral=referral, on_behalf=services.OnBehalf("phone", "Pak Joko, BP3MI")
    )
    assert accepted.status == Status.ACCEPTED
    event = accepted.events.get(kind=ReferralEvent.Kind.ACCEPTED)
    assert event.actor == alice and event.channel == "phone"
    assert event.given_by_name == "Pak Joko, BP3MI"
    assert AuditEvent.objects.filter(reason="referral accepted on behalf (phone)").exists()
    assert Notification.objects.filter(user=putri, title__contains=referral.reference).count() == 2


def test_a_stale_version_changes_nothing(referral, putri):
    stale = referral.version
    services.referral_accept(actor=putri, referral=referral, version=stale)
    with pytest.raises(services.VersionConflict):
        services.referral_decline(actor=putri, referral=referral, reason="x", version=stale)
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED and referral.version == stale + 1


def test_close_and_cancel_end_the_sharing(referral, case, bp3mi, alice, putri, consent):
    services.referral_accept(actor=putri, referral=referral)
    with pytest.raises(services.StateConflict):
        services.referral_cancel(actor=alice, referral=referral, reason="salah kirim")
    closed = services.referral_close(actor=alice, referral=referral, reason="selesai")
    assert closed.status == Status.CLOSED and closed.closed_by == alice
    assert SharingRecord.objects.get(pk=referral.sharing_id).ended_at is not None
    second = refer(case, bp3mi, alice)
    with pytest.raises(services.StateConflict):
        services.referral_close(actor=alice, referral=second, reason="x")
    cancelled = services.referral_cancel(actor=alice, referral=second, reason="salah kirim")
    assert cancelled.status == Status.CANCELLED
    assert SharingRecord.objects.get(pk=second.sharing_id).ended_at is not None
    with pytest.raises(PermissionDenied):
        services.referral_close(actor=putri, referral=second, reason="x")


def test_a_withdrawn_consent_blocks_acceptance(referral, wati, consent, putri):
    from garda.people.services.registry import consent_withdraw

    consent_withdraw(actor=wati, consent=consent)
    with pytest.raises(services.StateConflict):
        services.referral_accept(actor=putri, referral=referral)
