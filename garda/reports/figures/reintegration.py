"""Reintegration: returnees whose return falls in the period, per home city — plans
made within a month, follow-ups, leaving again — and the mean sustainability scores
per dimension at each follow-up month (the active survey instrument's). Reuses
garda/reintegration/outcomes.py (its grouped queries, outcomes.QUERIES); a city's
returnees are its plans and the people who came home without one; a mean over fewer
than 5 values is not published, as there.

Queries (QUERIES): outcomes.QUERIES, and the cities' names are the outcome rows' own.
"""

from django.utils.translation import gettext_lazy as _

from garda.reintegration import outcomes
from garda.reports.figures import EVERY_STAFF_READER, Column, Dashboard, Mean, Table, add
from garda.reports.figures.common import date_bounds
from garda.reports.snapshots import register

QUERIES = outcomes.QUERIES
MIN_N = outcomes.MIN_N
CITY_COUNTS = (
    Column("returnees", _("Returnees")),
    Column("in_month", _("Plan within a month")),
    Column("late", _("Plan late")),
    Column("followed_up", _("Followed up")),
    Column("remigrated_legal", _("Left again, legal route")),
    Column("remigrated_irregular", _("Left again, without the legal procedure")),
    Column("stayed", _("Has not left again")),
)
DIMENSIONS = (
    ("economic", _("Economic")),
    ("social", _("Social")),
    ("psychosocial", _("Psychosocial")),
    ("composite", _("Composite")),
)

DASHBOARD = add(
    Dashboard(
        name="reintegration",
        title=_("Reintegration"),
        text=_("Returnees' plans within a month, and their scores at each follow-up."),
        roles=EVERY_STAFF_READER,
        period_note=_("Returnees whose return falls in the period."),
        tables=(
            Table(
                "by_city",
                _("By home city or regency"),
                (Column("city", _("Home city or regency")),),
                CITY_COUNTS,
                chart="returnees",
                means=(
                    Mean(
                        "composite",
                        _("Composite score at the latest follow-up"),
                        "composite_sum",
                        "composite_n",
                        min_n=MIN_N,
                    ),
                ),
            ),
            Table(
                "by_month",
                _("Mean scores at each follow-up"),
                (Column("month", _("Months after return")),),
                (Column("n", _("Follow-ups done")),),
                chart="n",
                by_city=False,
                keep_order=True,
                means=tuple(
                    Mean(key, label, f"{key}_sum", f"{key}_n", min_n=MIN_N)
                    for key, label in DIMENSIONS
                ),
            ),
        ),
    )
)


@register("reintegration")
def compute(period: str) -> dict:
    start, end = date_bounds(period)
    found = outcomes.outcomes(outcomes.Filters(date_from=start, date_to=end))
    by_city = [
        {
            "city": r.key or "",
            **{c.key: getattr(r, c.key) for c in CITY_COUNTS},
            "composite_sum": r.composite.total,
            "composite_n": r.composite.n,
        }
        for r in found.by_city
    ]
    by_month = [
        {
            "month": m.month,
            "n": m.n,
            **{f"{k}_sum": m.means[k].total for k, _label in DIMENSIONS},
            **{f"{k}_n": m.means[k].n for k, _label in DIMENSIONS},
        }
        for m in found.by_month
    ]
    cities = {r.key: r.label for r in found.by_city if r.key}
    return {"tables": {"by_city": by_city, "by_month": by_month}, "cities": cities}
