"""`GET /referrals/dashboard?period=YYYY|YYYY-MM&kind=`: the follow-through dashboard
for other systems (referrals/dashboard.py, the page's numbers). Supervisors and
admins: every receiving agency's row; partners: their own agency's only (the kind
filter does not apply to them); other roles 403 with a denied row. A period that is
not a year or a month: 400 in the API's error format."""

from datetime import date

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from garda.accounts.access import ensure_role
from garda.accounts.models import Agency
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.referrals import dashboard as board

router = Router(tags=["referrals"])


class ReferralDashboardRowOut(Schema):
    agency_id: int
    agency: str = Field(description="the receiving agency's short name")
    kind: str = Field(description="the agency's kind code: social, health, police, ...")
    received: int
    answered: int
    answered_on_time: int = Field(description="answered on or before the answer-by date")
    declined: int
    reported: int = Field(description="service delivered, reported back")
    reported_on_time: int = Field(description="reported on or before the report-back date")
    overdue_now: int = Field(
        description="unanswered past the answer-by date, or accepted and not reported "
        "back past the report-back date, whenever asked"
    )
    median_answer_hours: float | None = Field(description="from the request to the answer")


class ReferralDashboardOut(Schema):
    period: str
    start: date = Field(description="first day of the period (Jakarta)")
    end: date = Field(description="the day after the period")
    rows: list[ReferralDashboardRowOut]


@router.get(
    "/referrals/dashboard",
    response=ReferralDashboardOut,
    summary="Referrals answered on time per receiving agency",
)
def referral_dashboard(request: HttpRequest, period: str = "", kind: str = ""):
    user = request.auth
    ensure_role(user, *board.ROLES, what="api referral dashboard")
    try:
        chosen = board.parse_period(period)
    except ValueError:
        raise HttpError(400, _("period: a year (2026) or a month (2026-03).")) from None
    if kind and kind not in Agency.Kind.values:
        raise HttpError(400, _("kind: not a kind of agency."))
    own = board.agency_scope(user)
    found = board.rows(period=chosen, kind="" if own is not None else kind, agency_id=own)
    audit_record(
        actor=user,
        action=AuditEvent.Action.VIEW,
        object_type="referrals.referral",
        reason="api referral dashboard",
    )
    return {
        "period": chosen.value,
        "start": chosen.start,
        "end": chosen.end,
        "rows": [
            {
                "agency_id": r.agency_id,
                "agency": r.short_name,
                "kind": r.kind,
                "received": r.received,
                "answered": r.answered,
                "answered_on_time": r.answered_on_time,
                "declined": r.declined,
                "reported": r.reported,
                "reported_on_time": r.reported_on_time,
                "overdue_now": r.overdue_now,
                "median_answer_hours": r.median_answer_hours,
            }
            for r in found
        ],
    }
