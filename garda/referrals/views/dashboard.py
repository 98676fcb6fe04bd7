"""The follow-through dashboard: referrals answered on time per receiving agency
(referrals/dashboard.py counts, in one query). Supervisors and admins see every
agency's row; a partner sees only their own agency's; officers are refused (403): the
page measures agencies, which supervisors answer for (docs/referrals.md)."""

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from garda.accounts.decorators import role_required
from garda.accounts.models import Agency
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.referrals import dashboard as board

OBJECT_TYPE = "referrals.referral"
MONTHS_OFFERED = 12


def period_choices(today: date) -> list[tuple[str, str]]:
    """This year and last, then the last MONTHS_OFFERED months (value, words)."""
    choices = [(str(today.year), str(today.year)), (str(today.year - 1), str(today.year - 1))]
    year, month = today.year, today.month
    for _i in range(MONTHS_OFFERED):
        value = f"{year:04d}-{month:02d}"
        choices.append((value, date_format(date(year, month, 1), "F Y")))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return choices


def period_words(period: board.Period) -> str:
    if period.is_month:
        return date_format(period.start, "F Y")
    return period.value


@role_required(*board.ROLES)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    error = ""
    try:
        period = board.parse_period(request.GET.get("period"), today)
    except ValueError:
        error = _("That period is not understood: a year (2026) or a month (2026-03).")
        period = board.parse_period("", today)
    own = board.agency_scope(request.user)
    kind = request.GET.get("kind", "")
    if own is not None or kind not in Agency.Kind.values:
        kind = ""
    found = board.rows(period=period, kind=kind, agency_id=own)
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        object_type=OBJECT_TYPE,
        reason="referral dashboard",
    )
    choices = period_choices(today)
    if period.value not in dict(choices):
        choices.append((period.value, period_words(period)))
    return render(
        request,
        "referrals/dashboard.html",
        {
            "rows": found,
            "totals": board.totals(found),
            "period": period,
            "period_words": period_words(period),
            "periods": choices,
            "kind": kind,
            "kinds": None if own is not None else Agency.Kind.choices,
            "own_only": own is not None,
            "error": error,
            "bars": bars(found),
        },
    )


# The bar chart (a drawing of the table's "answered on time" column; the table is the
# accessible version).
BAR_WIDTH = 300
BAR_HEIGHT = 22
LABEL_WIDTH = 130


def bars(found: list[board.Row]) -> dict | None:
    shown = [r for r in found if r.received]
    if not shown:
        return None
    return {
        "width": LABEL_WIDTH + BAR_WIDTH + 50,
        "height": BAR_HEIGHT * len(shown) + 4,
        "label_x": LABEL_WIDTH - 6,
        "bar_x": LABEL_WIDTH,
        "rows": [
            {
                "y": i * BAR_HEIGHT + 2,
                "text_y": i * BAR_HEIGHT + 16,
                "label": r.short_name,
                "percent": r.on_time_percent,
                "width": round(BAR_WIDTH * (r.on_time_percent or 0) / 100),
                "value_x": LABEL_WIDTH + round(BAR_WIDTH * (r.on_time_percent or 0) / 100) + 6,
            }
            for i, r in enumerate(shown)
        ],
    }
