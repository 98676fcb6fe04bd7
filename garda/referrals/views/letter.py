"""The printable referral letter, `/referrals/<pk>/letter.pdf`: for the case's
handlers (cases.access.get_case_for with for_write: the owner, the supervisors of the
case's agency, admins) while the referral is live (waiting for an answer, accepted,
or reported and not yet closed), its case open and its sharing stands; and the partner users of the
receiving agency inside their window (access.in_window: accepted or reported, the
sharing live), the same rule as the referral's page and the API. The letter carries
the referred data: once the person withdraws their consent, or the referral ends,
nobody prints it. Everyone else gets 404 and a denied row, the same as for a missing
referral. Every print is an EXPORT audit row on the referral and one on the case."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from garda.accounts import roles
from garda.accounts.models import User
from garda.audit.gate import deny_not_found, page_gate
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.cases.access import get_case_for
from garda.referrals.access import in_window
from garda.referrals.models import LIVE, Referral
from garda.referrals.pdf import letter_for, render_letter

OBJECT_TYPE = "referrals.referral"


def get_referral_for_letter(user: User, pk) -> Referral:
    """The referral `pk` if `user` may print its letter; else 404 with a denied row."""
    try:
        referral = Referral.objects.select_related(
            "agency",
            "sharing",
            "requested_by__agency",
            "case__owner__agency",
            "case__agency",
            "case__person",
        ).get(pk=pk)
    except (Referral.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, OBJECT_TYPE, pk, "referral letter")
    if user.role == roles.PARTNER:
        if (
            user.agency_id is None
            or referral.agency_id != user.agency_id
            or not in_window(referral)
        ):
            deny_not_found(user, OBJECT_TYPE, pk, "referral letter")
        return referral
    # Staff: those who may handle the case (404 and a denied row on the case if not).
    get_case_for(user, referral.case_id, for_write=True)
    sharing_ended = referral.sharing_id is not None and referral.sharing.ended_at is not None
    if referral.status not in LIVE or sharing_ended or not referral.case.is_open:
        deny_not_found(user, OBJECT_TYPE, pk, "referral letter: sharing over")
    return referral


@page_gate(lambda user: True)
@require_GET
def letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for_letter(request.user, pk)
    content = render_letter(letter_for(referral))
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        target=referral,
        reason="referral letter pdf",
    )
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        target=referral.case,
        reason=f"referral letter {referral.reference}",
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="surat-rujukan-{referral.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
