"""Outreach pages: the funnel of an event, and the overview per campaign or district
(outreach/funnel.py). Aggregates only, no names: officers, supervisors, admins."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from garda.accounts.decorators import role_required
from garda.outreach.access import READ_ROLES, get_event_for
from garda.outreach.forms import FunnelFilterForm
from garda.outreach.funnel import STAGES, event_funnel, funnel_groups, funnel_rows
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


@role_required(*READERS)
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    form = FunnelFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "outreach/funnel.html", {"form": form, "groups": None}, status=422)
    c = form.cleaned_data
    groups = funnel_groups(c["start"], c["end"], by=c["by"])
    rows = funnel_rows(c["start"], c["end"])
    return render(
        request,
        "outreach/funnel.html",
        {"form": form, "groups": groups, "rows": rows, "by": c["by"]},
    )
