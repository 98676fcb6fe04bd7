"""Repatriations started in the period, by reason and status, and by the home city
or regency they return to (its kab/kota part); arrivals in the period.

Queries (QUERIES): the repatriations per (reason, status, city) with the started and
arrived counts, and the cities' names.
"""

from django.db.models import CharField, Count, Q
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from garda.cases.models import Repatriation, RepatriationReason
from garda.reports.figures import EVERY_STAFF_READER, Column, Dashboard, Table, add
from garda.reports.figures.common import cities_of, count_where, either, in_period
from garda.reports.snapshots import register

QUERIES = 2
COUNTS = (
    Column("started", _("Started")),
    Column("arrived", _("Arrived in the period")),
)

DASHBOARD = add(
    Dashboard(
        name="repatriations",
        title=_("Repatriations"),
        text=_("People brought home: by reason, status and home city."),
        roles=EVERY_STAFF_READER,
        period_note=_(
            "Repatriations started in the period (status as it is now); arrivals in "
            "the period, whenever started."
        ),
        tables=(
            Table(
                "by_reason",
                _("By reason"),
                (Column("reason", _("Reason"), dict(RepatriationReason.choices)),),
                COUNTS,
                chart="started",
            ),
            Table(
                "by_status",
                _("By status now"),
                (Column("status", _("Status"), dict(Repatriation.Status.choices)),),
                COUNTS,
                chart="started",
            ),
            Table(
                "by_city",
                _("By home city or regency"),
                (Column("city", _("Home city or regency")),),
                COUNTS,
                chart="started",
            ),
        ),
    )
)


@register("repatriations")
def compute(period: str) -> dict:
    started = in_period("created_at", period)
    arrived = in_period("arrived_at", period) & Q(arrived_at__isnull=False)
    groups = list(
        Repatriation.objects.filter(either(started, arrived))
        .order_by()
        .annotate(c=Substr("home_region_id", 1, 5, output_field=CharField()))
        .values("reason", "status", "c")
        .annotate(started=count_where(started), arrived=Count("id", filter=arrived))
    )
    rows = [
        {
            "reason": g["reason"],
            "status": g["status"],
            "city": g["c"] or "",
            "started": g["started"],
            "arrived": g["arrived"],
        }
        for g in groups
    ]
    tables = {"by_reason": rows, "by_status": rows, "by_city": rows}
    return {"tables": tables, "cities": cities_of(tables)}
