"""Outreach funnels: of the people who attended an event starting in the period, how
many then registered in the registry, completed a course, were placed and departed,
with the median days it took (garda/outreach/funnel.py: attribution by the person's
record, a stage counts only when it came after the check-in).

Queries (QUERIES): `funnel_rows` (seven) and `funnel_groups` twice (five each: the
events, the check-ins and the attendees' three kinds of facts).
"""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from garda.outreach.funnel import funnel_groups, funnel_rows
from garda.reports.figures import EVERY_STAFF_READER, Column, Dashboard, Table, add
from garda.reports.figures.common import date_bounds
from garda.reports.snapshots import register

QUERIES = 17
STAGES = (
    Column("attended", _("Attended")),
    Column("registered", _("Registered afterwards")),
    Column("trained", _("Completed a course")),
    Column("placed", _("Placed")),
    Column("departed", _("Departed")),
)
MEDIANS = (
    Column("registered_median_days", _("Median days to register")),
    Column("trained_median_days", _("Median days to a course")),
    Column("placed_median_days", _("Median days to a placement")),
    Column("departed_median_days", _("Median days to departure")),
)
NOTE = _(
    "A stage counts when the person's own record shows it after their check-in; people "
    "already in the registry before the event are not counted as registered afterwards. "
    "A median is shown for one event, campaign or city at a time."
)

DASHBOARD = add(
    Dashboard(
        name="outreach",
        title=_("Outreach funnels"),
        text=_("From an event to a departure: per event, campaign and city."),
        roles=EVERY_STAFF_READER,
        period_note=_(
            "Events that started in the period, and everything their attendees did since."
        ),
        note=NOTE,
        tables=(
            Table(
                "by_event",
                _("Per event"),
                (Column("event", _("Event")),),
                (Column("registrations", _("Registrations")), *STAGES),
                chart="attended",
                plain=MEDIANS,
            ),
            Table(
                "by_campaign",
                _("Per campaign"),
                (Column("campaign", _("Campaign")),),
                (Column("events", _("Events")), *STAGES),
                chart="attended",
                by_city=False,
                plain=MEDIANS,
            ),
            Table(
                "by_city",
                _("Per city or regency of the event"),
                (Column("city", _("City or regency")),),
                (Column("events", _("Events")), *STAGES),
                chart="attended",
                plain=MEDIANS,
            ),
        ),
    )
)

_KEEP = ("attended", "registered", "trained", "placed", "departed")


def _figures(row: dict) -> dict:
    out = {key: row[key] for key in _KEEP}
    out.update({c.key: row[c.key] for c in MEDIANS})
    return out


@register("outreach")
def compute(period: str) -> dict:
    start, end = date_bounds(period)
    if start is None:
        start, end = dt.date(2000, 1, 1), dt.date(2999, 12, 31)
    events = funnel_rows(start, end)
    by_event = [
        {
            "event": e["reference"],
            "city": e["district_code"] or "",
            "registrations": e["registrations"],
            **_figures(e),
        }
        for e in events
    ]
    by_campaign = [
        {"campaign": g["key"], "events": g["events"], **_figures(g)}
        for g in funnel_groups(start, end, by="campaign")
    ]
    by_city = [
        {"city": g["key"] or "", "events": g["events"], **_figures(g)}
        for g in funnel_groups(start, end, by="district")
    ]
    cities = {e["district_code"]: e["district"] for e in events if e["district_code"]}
    labels = {
        "event": {e["reference"]: f"{e['title']} ({e['reference']})" for e in events},
        "campaign": {str(e["campaign_id"] or ""): e["campaign"] for e in events}
        | {"": str(_("No campaign"))},
    }
    return {
        "tables": {"by_event": by_event, "by_campaign": by_campaign, "by_city": by_city},
        "cities": cities,
        "labels": labels,
    }
