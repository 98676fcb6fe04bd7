"""Referrals answered on time, per receiving agency: garda/referrals/dashboard.py's
one grouped query over the referrals asked in the period (and those overdue now,
whenever asked). Not cut by city: a referral is asked of an agency, not of a place.

Queries (QUERIES): that one.
"""

from datetime import date

from django.utils.translation import gettext_lazy as _

from garda.referrals import dashboard
from garda.reports.figures import EVERY_STAFF_READER, Column, Dashboard, Table, add
from garda.reports.snapshots import register

QUERIES = 1
COUNTS = (
    Column("received", _("Received")),
    Column("answered", _("Answered")),
    Column("answered_on_time", _("Answered on time")),
    Column("declined", _("Declined")),
    Column("reported", _("Reported back")),
    Column("reported_on_time", _("Reported back on time")),
    Column("overdue_now", _("Overdue now")),
)

DASHBOARD = add(
    Dashboard(
        name="referrals",
        title=_("Referrals"),
        text=_("Referrals answered on time, per receiving agency."),
        roles=EVERY_STAFF_READER,
        period_note=_(
            "Referrals asked in the period; overdue now counts every referral overdue "
            "when the figures were computed, whenever it was asked."
        ),
        tables=(
            Table(
                "by_agency",
                _("By receiving agency"),
                (Column("agency", _("Agency")),),
                COUNTS,
                chart="answered_on_time",
                by_city=False,
                plain=(Column("median_answer_hours", _("Median time to an answer (hours)")),),
            ),
        ),
    )
)


def _period(period: str) -> dashboard.Period:
    if period == "all":
        return dashboard.Period("all", date(2000, 1, 1), date(2100, 1, 1))
    return dashboard.parse_period(period)


@register("referrals")
def compute(period: str) -> dict:
    found = dashboard.rows(period=_period(period))
    rows = [
        {
            "agency": r.agency_id,
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
    ]
    names = {str(r.agency_id): r.short_name or r.name for r in found}
    return {"tables": {"by_agency": rows}, "cities": {}, "labels": {"agency": names}}
