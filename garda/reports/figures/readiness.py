"""Readiness: persons ready or not for each destination and target (the readiness
engine's cached answers, destinations.Readiness), now — a person's readiness is a
state, not an event: every period shows the answers as they are when the job runs.

Queries (QUERIES): the answers per (target, city) with ready / not ready / stale
counts and the sum of percentages, and the names of the cities and countries.
"""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from garda.destinations.models import Readiness
from garda.reports.figures import EVERY_STAFF_READER, Column, Dashboard, Mean, Table, add
from garda.reports.figures.common import cities_of, country_names
from garda.reports.snapshots import register

QUERIES = 3
COUNTS = (
    Column("ready", _("Ready")),
    Column("not_ready", _("Not ready yet")),
    Column("stale", _("To be recomputed")),
)
PERCENT = Mean("percent", _("Mean readiness (%)"), "percent_sum", "answers", digits=0)

DASHBOARD = add(
    Dashboard(
        name="readiness",
        title=_("Readiness"),
        text=_("Persons ready or not for each destination, now."),
        roles=EVERY_STAFF_READER,
        period_note=_(
            "Readiness is a state: the figures are the answers as they are now, "
            "whatever the period."
        ),
        tables=(
            Table(
                "by_destination",
                _("By destination"),
                (Column("destination", _("Destination")),),
                COUNTS,
                chart="ready",
                means=(PERCENT,),
            ),
            Table(
                "by_target",
                _("By destination, scheme and sector"),
                (Column("target", _("Destination, scheme and sector")),),
                COUNTS,
                chart="ready",
                means=(PERCENT,),
            ),
            Table(
                "by_city",
                _("By city of domicile"),
                (Column("city", _("City or regency of domicile")),),
                COUNTS,
                chart="ready",
                means=(PERCENT,),
            ),
        ),
    )
)


@register("readiness")
def compute(period: str) -> dict:
    groups = list(
        Readiness.objects.filter(person__merged_into__isnull=True)
        .order_by()
        .values("target_key", "person__regency_code")
        .annotate(
            answers=Count("id"),
            ready=Count("id", filter=Q(ready=True)),
            stale=Count("id", filter=Q(stale=True)),
            percent_sum=Sum("percent"),
        )
    )
    by_destination: dict = {}
    by_target: dict = {}
    by_city: dict = {}
    for g in groups:
        city = g["person__regency_code"] or ""
        destination = g["target_key"].split(":")[0]
        for table, key, value in (
            (by_destination, "destination", destination),
            (by_target, "target", g["target_key"]),
            (by_city, "city", city),
        ):
            row = table.setdefault(
                (value, city),
                {key: value, "city": city, "ready": 0, "not_ready": 0, "stale": 0}
                | {"answers": 0, "percent_sum": 0},
            )
            row["ready"] += g["ready"]
            row["not_ready"] += g["answers"] - g["ready"]
            row["stale"] += g["stale"]
            row["answers"] += g["answers"]
            row["percent_sum"] += g["percent_sum"] or 0
    tables = {
        "by_destination": list(by_destination.values()),
        "by_target": list(by_target.values()),
        "by_city": list(by_city.values()),
    }
    return {
        "tables": tables,
        "cities": cities_of(tables),
        "labels": {"destination": country_names(by_destination_keys(by_destination))},
    }


def by_destination_keys(rows: dict) -> set[str]:
    return {value for value, _city in rows}
