"""Referrals for the follow-through tests, written with the ORM in the state a test
needs (the flow's services make them in real use)."""

from datetime import datetime, timedelta

from django.utils import timezone

from garda.models import ReferenceSequence
from garda.referrals.models import Referral, Status


def make_referral(
    *,
    case,
    agency,
    requested_by,
    status: str = Status.REQUESTED,
    requested_at: datetime | None = None,
    due_at: datetime | None = None,
    answered_at: datetime | None = None,
    report_due_at: datetime | None = None,
    reported_at: datetime | None = None,
    **extra,
) -> Referral:
    requested_at = requested_at or timezone.now()
    values = {
        "service_type": "legal_aid",
        "request": "Pendampingan hukum untuk gaji yang belum dibayar.",
        "sections": ["summary", "person"],
        "override_reason": "Darurat: pekerja tidak dapat dihubungi.",
    }
    values.update(extra)
    if status == Status.DECLINED:
        values.setdefault("decline_reason", "Di luar wilayah kami.")
    return Referral.objects.create(
        reference=ReferenceSequence.next_reference("RJK", timezone.localdate().year),
        case=case,
        agency=agency,
        requested_by=requested_by,
        status=status,
        requested_at=requested_at,
        due_at=due_at or requested_at + timedelta(days=3),
        answered_at=answered_at,
        report_due_at=report_due_at,
        reported_at=reported_at,
        **values,
    )
