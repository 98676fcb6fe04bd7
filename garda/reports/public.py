"""The public statistics (docs/statistics.md): a few tables per calendar year, computed
by the snapshot job with aggregate queries only, protected by small-cell suppression
(`garda.reports.suppression`) and stored with ONLY the published cells: a suppressed
cell's value is never written anywhere (the snapshot, the API, the page).

Each table says what it counts (`counts`):
- "processed": everyone the Jakarta registry processed, wherever they live; its rows
  may split them by residence (`Person.domicile_jakarta` and the regency code);
- "reports": every report received, whether or not its subject is in the registry.

Only calendar years are published ("2026"), and only once a year has ended: the job's
first run after 31 December writes the year's tables and never rewrites them (the
computer is registered `final`, garda/reports/snapshots.py). The years do not overlap,
and a year is published once, so no cell can be recovered by subtracting one published
figure from another — neither another period's nor the same year's an hour later. The
current year is not published: the API and the page say when it will be, and why.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from garda.reports import suppression
from garda.reports.snapshots import period_bounds, period_ended, register

NAME = "public"
TOTAL = suppression.TOTAL
OUTSIDE = "outside"
OTHER = "other"

# The six regencies/cities of DKI Jakarta (Kemendagri codes).
JAKARTA = {
    "31.01": "Kepulauan Seribu",
    "31.71": "Jakarta Selatan",
    "31.72": "Jakarta Timur",
    "31.73": "Jakarta Pusat",
    "31.74": "Jakarta Barat",
    "31.75": "Jakarta Utara",
}
# The destinations shown by name (the main ones for Indonesian workers); the rest are
# one row, "other countries". A fixed list: a row never appears or vanishes with the data.
DESTINATIONS = ("HK", "TW", "MY", "SG", "SA", "KR", "JP")
SEXES = ("F", "M")

TITLES = {
    "registrations": gettext_lazy("People registered, by where they live and sex"),
    "departures": gettext_lazy("Workers who departed, by destination country and sex"),
    "cases": gettext_lazy("Protection reports received, by channel"),
}
COUNTS = {
    "processed": gettext_lazy(
        "Everyone processed by the Jakarta registry, wherever they live (residents of "
        "Jakarta are the rows of its six regencies)."
    ),
    "reports": gettext_lazy(
        "Every report received, whether or not the person concerned is in the registry."
    ),
}


def is_public_period(period: str) -> bool:
    """Only a calendar year ("2026") is published (2000 to 2999: a year past 9998
    would have no next 1 January to be published on)."""
    return len(period) == 4 and period.isdigit() and "2000" <= period <= "2999"


def publishes_later(period: str) -> bool:
    """A year that has not ended yet (this year, or a later one): not published yet."""
    return is_public_period(period) and not period_ended(period)


def current_year() -> str:
    return str(timezone.localdate().year)


def not_yet_message(period: str) -> str:
    """Why `period` (a year not ended) has no figures yet, and when it will."""
    on = dt.date(int(period) + 1, 1, 1)
    return _(
        "The figures of %(year)s will be published once the year has ended, from "
        "%(date)s. They are not published while the year runs: figures that change every "
        "hour could be subtracted from each other to reveal a hidden small number."
    ) % {"year": period, "date": date_format(on, "j F Y")}


@register(NAME, final=True, accepts=is_public_period)
def compute(period: str) -> dict:
    """The published cells of every table for one year (empty for another period).
    The job calls it once per year, after the year ended (`final`)."""
    if not is_public_period(period):
        return {"tables": []}
    start, end = period_bounds(period)
    return {
        "tables": [
            _registrations(start, end),
            _departures(start, end),
            _cases(start, end),
        ]
    }


def _registrations(start, end) -> dict:
    from garda.people.models import Person

    counts: dict = {}
    rows = (
        Person.objects.filter(created_at__gte=start, created_at__lt=end, merged_into__isnull=True)
        .order_by()
        .values_list("regency_code", "domicile_jakarta", "sex")
        .annotate(n=Count("id"))
    )
    for regency, domicile, sex, n in rows:
        row = regency if domicile and regency in JAKARTA else OUTSIDE
        counts[(row, sex)] = counts.get((row, sex), 0) + n
    table = suppression.two_way(counts, [*JAKARTA, OUTSIDE], SEXES)
    return _published("registrations", "processed", table, [*JAKARTA, OUTSIDE], SEXES)


def _departures(start, end) -> dict:
    from garda.jobs.models import Placement

    counts: dict = {}
    rows = (
        Placement.objects.filter(departed_at__gte=start, departed_at__lt=end)
        .exclude(status=Placement.Status.CANCELLED)
        .order_by()
        .values_list("order__destination", "person__sex")
        .annotate(n=Count("id"))
    )
    for destination, sex, n in rows:
        row = destination if destination in DESTINATIONS else OTHER
        counts[(row, sex)] = counts.get((row, sex), 0) + n
    table = suppression.two_way(counts, [*DESTINATIONS, OTHER], SEXES)
    return _published("departures", "processed", table, [*DESTINATIONS, OTHER], SEXES)


def _cases(start, end) -> dict:
    from garda.cases.models import Case, Channel, Status

    channels = [c.value for c in Channel]
    rows = (
        Case.objects.filter(created_at__gte=start, created_at__lt=end)
        .exclude(status=Status.DUPLICATE)
        .order_by()
        .values_list("channel")
        .annotate(n=Count("id"))
    )
    counts = dict.fromkeys(channels, 0)
    for channel, n in rows:
        if channel in counts:
            counts[channel] += n
    table = suppression.one_way(counts)
    return _published("cases", "reports", table, channels, ())


def _published(key: str, counts: str, table, rows, columns) -> dict:
    """The table as stored: its dimensions and its cells, each a value or suppressed."""
    hidden = suppression.protect(table)
    row_keys = [*rows, TOTAL]
    column_keys = [*columns, TOTAL] if columns else []
    cells = []
    for r in row_keys:
        for c in column_keys or [None]:
            cell_key = r if c is None else (r, c)
            cell = {"row": r, "column": c}
            if cell_key in hidden:
                cell["suppressed"] = True
            else:
                cell["value"] = table.cells[cell_key]
            cells.append(cell)
    return {"key": key, "counts": counts, "rows": row_keys, "columns": column_keys, "cells": cells}


# --- reading (the API and the page) ----------------------------------------------------


def labels() -> dict:
    """Words for every row and column key (in the active language): one query for the
    countries' names."""
    from django.utils.translation import get_language

    from garda.cases.models import Channel
    from garda.people.models import Sex
    from garda.places.models import Country

    english = (get_language() or "id").startswith("en")
    words = {TOTAL: _("Total"), OUTSIDE: _("Outside DKI Jakarta or unknown")}
    words[OTHER] = _("Other countries")
    words.update(JAKARTA)
    words.update({"F": str(Sex.FEMALE.label), "M": str(Sex.MALE.label)})
    words.update({c.value: str(c.label) for c in Channel})
    for country in Country.objects.filter(code__in=DESTINATIONS).only("code", "name_id", "name_en"):
        words[country.code] = country.name_en if english else country.name_id
    for code in DESTINATIONS:
        words.setdefault(code, code)
    return words


def describe(data: dict) -> list[dict]:
    """The stored tables with their titles and labels in the active language, and the
    cells laid out by row (for the page)."""
    words = labels()
    tables = []
    for table in data.get("tables", []):
        by_key = {(c["row"], c["column"]): c for c in table["cells"]}
        columns = table["columns"] or [None]
        grid = [
            {
                "key": r,
                "label": words.get(r, r),
                "cells": [by_key.get((r, c), {"suppressed": True}) for c in columns],
            }
            for r in table["rows"]
        ]
        tables.append(
            {
                **table,
                "title": str(TITLES.get(table["key"], table["key"])),
                "counts_text": str(COUNTS.get(table["counts"], "")),
                "row_labels": [words.get(r, r) for r in table["rows"]],
                "column_labels": [words.get(c, c) for c in table["columns"]],
                "grid": grid,
            }
        )
    return tables


def snapshot_for(period: str):
    from garda.reports.models import Snapshot

    return Snapshot.objects.filter(name=NAME, period=period).first()


def published_years() -> list[str]:
    from garda.reports.models import Snapshot

    periods = Snapshot.objects.filter(name=NAME).values_list("period", flat=True)
    return sorted((p for p in periods if is_public_period(p)), reverse=True)
