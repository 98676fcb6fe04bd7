"""Who may see which referrals, and the receiving partner's window on the case
(docs/referrals.md, "Who sees what").

- staff (officers, supervisors, admins): the referrals of the cases they may see
  (cases/access.py visible_cases);
- partners: the referrals sent to their own agency, whatever their state (the
  request is what their agency received); the case's data only through
  `read_referred_case_for` / `read_referral_case_for`, and only in the window:
  the referral accepted or reported (not requested, declined, closed or withdrawn),
  its sharing live (a withdrawn consent ends it) and its case open (closing a case
  closes its referrals, services/referrals.py `referrals_close_with_case`; this is
  the second guard). Outside it: 404 and a denied row, like a missing case;
- everyone else: none (403 at the door of the pages and the API).
"""

from django.db.models import Q, QuerySet

from garda.accounts import roles
from garda.accounts.models import User
from garda.audit.gate import deny_not_found
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.cases.access import visible_cases
from garda.cases.models import Case
from garda.cases.models import Status as CaseStatus
from garda.cases.partners import CaseReferredOut
from garda.referrals.models import OPEN_FOR_PARTNER, Referral
from garda.referrals.sections import referred_case_data

REFERRAL_ROLES = frozenset({roles.ADMIN, roles.SUPERVISOR, roles.OFFICER, roles.PARTNER})
STAFF_ROLES = frozenset({roles.ADMIN, roles.SUPERVISOR, roles.OFFICER})
OBJECT_TYPE = "referrals.referral"


def visible_referrals(user: User) -> QuerySet[Referral]:
    if not getattr(user, "is_authenticated", False):
        return Referral.objects.none()
    if user.role == roles.ADMIN:
        return Referral.objects.all()
    if user.role == roles.PARTNER:
        if user.agency_id is None:
            return Referral.objects.none()
        return Referral.objects.filter(agency_id=user.agency_id)
    if user.role in STAFF_ROLES:
        return Referral.objects.filter(case__in=visible_cases(user))
    return Referral.objects.none()


def get_referral_for(user: User, pk) -> Referral:
    """The referral `pk` if `user` may see it; else 404 with a denied row."""
    try:
        return (
            visible_referrals(user)
            .select_related("case", "case__agency", "case__owner", "agency", "sharing", "consent")
            .select_related("requested_by", "answered_by", "reported_by", "closed_by")
            .get(pk=pk)
        )
    except (Referral.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, OBJECT_TYPE, pk, "get_referral_for")


def read_referral_for(user: User, pk) -> Referral:
    referral = get_referral_for(user, pk)
    audit_record(actor=user, action=AuditEvent.Action.VIEW, target=referral)
    return referral


def read_referrals(user: User) -> QuerySet[Referral]:
    audit_record(actor=user, action=AuditEvent.Action.VIEW, object_type=OBJECT_TYPE, reason="list")
    return visible_referrals(user)


# --- the partner's window ----------------------------------------------------------------

LIVE_SHARING = Q(sharing__isnull=True) | Q(sharing__ended_at__isnull=True)


def in_window(referral: Referral) -> bool:
    """Whether the receiving agency may see the referred sections now (the case open
    too: a closed case is nobody's to read through a referral)."""
    return (
        referral.status in OPEN_FOR_PARTNER
        and (referral.sharing_id is None or referral.sharing.ended_at is None)
        and referral.case.status == CaseStatus.OPEN
    )


def open_referrals(user: User) -> QuerySet[Referral]:
    """The referrals whose case `user` (a partner) may read now."""
    if user.role != roles.PARTNER or user.agency_id is None:
        return Referral.objects.none()
    return Referral.objects.filter(
        LIVE_SHARING,
        agency_id=user.agency_id,
        status__in=OPEN_FOR_PARTNER,
        case__status=CaseStatus.OPEN,
    )


def _case(pk) -> Case:
    return Case.objects.select_related("person", "country").prefetch_related("kinds").get(pk=pk)


def _read(user: User, case: Case, referrals: list[Referral]) -> dict:
    sections = {s for r in referrals for s in r.sections}
    audit_record(
        actor=user,
        action=AuditEvent.Action.VIEW,
        target=case,
        reason="referral " + ",".join(r.reference for r in referrals),
    )
    data = referred_case_data(case, sections)
    data["referrals"] = [r.reference for r in referrals]
    return data


def read_referred_case_for(user: User, case_id) -> CaseReferredOut:
    """A partner's GET /api/v1/cases/{id} (registered in cases/partners.py): the
    sections of the case its open referrals to their agency share; else 404."""
    try:
        referrals = list(open_referrals(user).filter(case_id=case_id).order_by("pk"))
    except (ValueError, TypeError, OverflowError):
        referrals = []
    if not referrals:
        deny_not_found(user, "cases.case", case_id, "partner_case_window")
    return CaseReferredOut(**_read(user, _case(case_id), referrals))


def read_referral_case_for(user: User, referral: Referral) -> dict:
    """The referred sections of `referral`'s case for its receiving partner, inside the
    window; else 404 with a denied row."""
    if not (
        user.role == roles.PARTNER and user.agency_id == referral.agency_id and in_window(referral)
    ):
        deny_not_found(user, "cases.case", referral.case_id, "referral_case_window")
    return _read(user, _case(referral.case_id), [referral])
