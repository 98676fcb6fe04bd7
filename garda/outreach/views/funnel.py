"""Outreach pages: the funnel of an event (outreach/funnel.py), and the address of the
overview per campaign, city and event, which is the figures' outreach dashboard.
Aggregates only, no names: officers, supervisors, admins.

One event's funnel is computed live: it is bounded by that event's check-ins (five
queries over its attendees). The overview spans every event of a period, so it is
never computed on a page view: the hourly job's snapshot is read (/figures/outreach/,
with its freshness line)."""

import re
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from garda.accounts.decorators import role_required
from garda.outreach.access import READ_ROLES, get_event_for
from garda.outreach.funnel import STAGES, event_funnel
from garda.outreach.models import Registration

READERS = sorted(READ_ROLES)


def _stages(figures: dict) -> list[dict]:
    from django.utils.translation import gettext_lazy as _

    labels = {
        "registered": _("Registered in the registry after attending"),
        "trained": _("Completed a training"),
        "placed": _("Placed"),
        "departed": _("Departed"),
    }
    base = figures["attended_with_record"] or 0
    return [
        {
            "label": labels[s],
            "n": figures[s],
            "share": round(100 * figures[s] / base) if base else None,
            "median": figures[f"{s}_median_days"],
        }
        for s in STAGES
    ]


@role_required(*READERS)
@require_GET
def event_funnel_page(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for(request.user, pk)
    figures = event_funnel(event)
    registrations = Registration.objects.filter(event=event).count()
    return render(
        request,
        "outreach/event_funnel.html",
        {"event": event, "f": figures, "stages": _stages(figures), "registrations": registrations},
    )


# The periods the figures' dashboards take ("all", a year, a month): this app sits
# below reports, so it checks the shape itself and the dashboard does the rest.
_PERIOD = re.compile(r"all|[1-9][0-9]{3}(-(0[1-9]|1[0-2]))?")


@role_required(*READERS)
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """The funnels per campaign, city and event: the outreach dashboard, read from the
    snapshot the figures job computes (never the live tables on a page view). `by`
    (campaign, district) and `period` of a link made before are kept."""
    url = reverse("reports:dashboard", args=["outreach"])
    period = request.GET.get("period", "")
    if _PERIOD.fullmatch(period):
        url += "?" + urlencode({"period": period})
    table = "by_city" if request.GET.get("by") == "district" else "by_campaign"
    return redirect(f"{url}#t-{table}")
