"""Placements: placements made in the period (by the date they were recorded) and
departures in the period (by the time of departure), by destination country, sector,
status and the worker's city of domicile.

Queries (QUERIES): the placements per (destination, sector, status, city) with the
made and departed counts, and the names of the cities and countries.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from garda.destinations.models import Sector
from garda.jobs.models import Placement
from garda.reports.figures import EVERY_STAFF_READER, Column, Dashboard, Table, add
from garda.reports.figures.common import cities_of, count_where, country_names, either, in_period
from garda.reports.snapshots import register

QUERIES = 3
COUNTS = (
    Column("placed", _("Placements made")),
    Column("departed", _("Departures")),
)

DASHBOARD = add(
    Dashboard(
        name="placements",
        title=_("Placements"),
        text=_("Placements and departures by destination, sector and city."),
        roles=EVERY_STAFF_READER,
        period_note=_(
            "Placements recorded in the period; departures in the period, whenever "
            "the placement was recorded. The city is the worker's city of domicile."
        ),
        tables=(
            Table(
                "by_destination",
                _("By destination country"),
                (Column("destination", _("Destination")),),
                COUNTS,
                chart="placed",
            ),
            Table(
                "by_sector",
                _("By sector"),
                (Column("sector", _("Sector"), dict(Sector.choices)),),
                COUNTS,
                chart="placed",
            ),
            Table(
                "by_city",
                _("By city of domicile"),
                (Column("city", _("City or regency of domicile")),),
                COUNTS,
                chart="placed",
            ),
            Table(
                "by_status",
                _("By status now"),
                (Column("status", _("Status"), dict(Placement.Status.choices)),),
                COUNTS,
                chart="placed",
            ),
        ),
    )
)


@register("placements")
def compute(period: str) -> dict:
    made = in_period("created_at", period)
    departed = in_period("departed_at", period) & Q(departed_at__isnull=False)
    groups = list(
        Placement.objects.filter(either(made, departed))
        .order_by()
        .values("order__destination", "order__sector", "status", "person__regency_code")
        .annotate(placed=count_where(made), departed=Count("id", filter=departed))
    )
    rows = [
        {
            "destination": g["order__destination"],
            "sector": g["order__sector"],
            "status": g["status"],
            "city": g["person__regency_code"] or "",
            "placed": g["placed"],
            "departed": g["departed"],
        }
        for g in groups
    ]
    tables = {"by_destination": rows, "by_sector": rows, "by_city": rows, "by_status": rows}
    return {
        "tables": tables,
        "cities": cities_of({"rows": rows}),
        "labels": {"destination": country_names(r["destination"] for r in rows)},
    }
