"""The supervisors' dashboard: open cases by kind, stage, severity, owner and clock,
escalations of the last 7 days and overdue services; each number links to the case
list filtered the same way (cases/dashboard.py counts, in a fixed few queries)."""

from datetime import timedelta
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from garda.accounts import roles
from garda.accounts.access import visible_agencies
from garda.accounts.decorators import role_required
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.cases import dashboard as board
from garda.cases.access import OBJECT_TYPE

# ?period=<days>: cases created in the last n days; empty: all open cases.
PERIODS = (
    ("", _("All open cases")),
    ("7", _("Created in the last 7 days")),
    ("30", _("Created in the last 30 days")),
    ("90", _("Created in the last 90 days")),
    ("365", _("Created in the last 12 months")),
)
NOBODY = _("Nobody yet (intake queue)")


def _filters(request: HttpRequest):
    """The period and (admins) the agency asked for; anything else is ignored."""
    period = request.GET.get("period", "")
    if period not in dict(PERIODS):
        period = ""
    since = timezone.localdate() - timedelta(days=int(period)) if period else None
    agency, agencies = None, None
    if request.user.role == roles.ADMIN:
        agencies = visible_agencies(request.user).order_by("short_name")
        raw = request.GET.get("agency", "")
        agency = agencies.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 10 else None
    return period, since, agency, agencies


@role_required(roles.SUPERVISOR, roles.ADMIN)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    period, since, agency, agencies = _filters(request)
    result = board.counts(request.user, agency_id=agency.pk if agency else None, since=since)
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        object_type=OBJECT_TYPE,
        reason="dashboard",
    )
    base = {}
    if since is not None:
        base["since"] = since.isoformat()
    if agency is not None:
        base["agency"] = agency.pk
    list_url = reverse("cases:list")

    def link(**params) -> str:
        return f"{list_url}?{urlencode({**base, **params})}"

    rows = board.ordered(result)
    context = {
        "result": result,
        "period": period,
        "periods": PERIODS,
        "since": since,
        "agency": agency,
        "agencies": agencies,
        "all_url": link(),
        "stages": [(label, n, link(stage=code)) for code, label, n in rows["stages"]],
        "severities": [(label, n, link(severity=code)) for code, label, n in rows["severities"]],
        "kinds": [(label, n, link(kind=code)) for code, label, n in rows["kinds"]],
        "owners": [
            (name if pk is not None else NOBODY, n, link(owner=pk if pk is not None else "none"))
            for pk, name, n in result.by_owner
        ],
        "clocks": [
            {
                "label": label,
                "met": states["met"],
                "running": states["running"],
                "at_risk": states["at_risk"],
                "breached": states["breached"],
                "at_risk_url": link(clock="at_risk", clock_name=name),
                "breached_url": link(clock="breached", clock_name=name),
            }
            for name, label, states in rows["clocks"]
        ],
        "escalated_url": link(escalated=1),
        "overdue_url": link(service="overdue"),
        "breached_url": link(clock="breached"),
        "at_risk_url": link(clock="at_risk"),
    }
    context["holidays_until"] = holidays_running_out()
    return render(request, "cases/dashboard/dashboard.html", context)


# Warn this many days before the holiday calendar (data/holidays.toml) runs out: the
# working-day clocks would then count every weekday, holidays included.
HOLIDAY_NOTICE_DAYS = 60


def holidays_running_out(today=None):
    """The last holiday on file, when it is less than HOLIDAY_NOTICE_DAYS away."""
    from datetime import timedelta

    from django.utils import timezone

    from garda.cases.policy import holidays_cover_until

    today = today or timezone.localdate()
    last = holidays_cover_until()
    if last is None or last < today + timedelta(days=HOLIDAY_NOTICE_DAYS):
        return last or today
    return None
