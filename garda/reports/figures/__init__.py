"""The staff dashboards (docs/reports.md): what each one shows, who may see it, and
how a page turns a snapshot into its tables.

A computer (one module per dashboard, registered in garda/reports/snapshots.py) returns
`{"tables": {table_id: [row, ...]}, "cities": {code: name}, "labels": {...}}`. A row
holds its dimensions (a table's `keys`), the city it is cut by ("city", a kab/kota
code; "" when not known) when the table is `by_city`, and its counts (`measures`).
A page filters the rows by city and folds them by the table's keys, summing the
counts: plain Python over a few hundred rows of the snapshot, never a live query.
Means are kept as a sum and an n (`means`) so that they fold too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from garda.accounts import roles

MODULES = (
    "registrations",
    "readiness",
    "training",
    "placements",
    "cases",
    "referrals",
    "repatriations",
    "reintegration",
    "outreach",
)


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise | str
    # value -> label (TextChoices.choices as a dict, or None: the value as it is, or
    # the snapshot's own labels for "city" and the names in data["labels"][key]).
    choices: dict | None = None


@dataclass(frozen=True)
class Mean:
    key: str
    label: Promise | str
    sum_key: str
    n_key: str
    digits: int = 2
    # A mean over fewer values is not published (left empty; its n is a count).
    min_n: int = 1


@dataclass(frozen=True)
class Table:
    id: str
    title: Promise | str
    keys: tuple[Column, ...]
    measures: tuple[Column, ...]
    # The measure a bar chart draws (one bar per row); None: no chart.
    chart: str | None = None
    by_city: bool = True
    means: tuple[Mean, ...] = ()
    # Columns taken as they are when a row folds from one snapshot row (a median).
    plain: tuple[Column, ...] = ()
    note: Promise | str = ""
    # Rows in the order of the snapshot (months, follow-up months) instead of by the
    # first key's choices or the chart's value.
    keep_order: bool = False


@dataclass(frozen=True)
class Dashboard:
    name: str
    title: Promise | str
    text: Promise | str
    roles: frozenset[str]
    tables: tuple[Table, ...]
    note: Promise | str = ""
    period_note: Promise | str = ""

    def table(self, table_id: str) -> Table | None:
        return next((t for t in self.tables if t.id == table_id), None)


# Who reads the figures. Aggregates only (no person, case or referral is named):
# officers see every dashboard, as supervisors and admins do; trainers, partners,
# recruiters and workers none (a partner has their agency's row on the referrals'
# follow-through page, garda/referrals/dashboard.py). A trainer is not staff-wide: the
# training outcomes count every provider's batches, and a trainer may see only their
# own (their batches' pages in garda/training), so the dashboards leave them out.
EVERY_STAFF_READER = frozenset({roles.ADMIN, roles.SUPERVISOR, roles.OFFICER})
# The national registrations export names persons: supervisors and admins.
NATIONAL_EXPORTERS = frozenset({roles.ADMIN, roles.SUPERVISOR})

DASHBOARDS: dict[str, Dashboard] = {}


def add(dashboard: Dashboard) -> Dashboard:
    assert dashboard.name not in DASHBOARDS, dashboard.name
    DASHBOARDS[dashboard.name] = dashboard
    return dashboard


def load() -> None:
    """Import every figures module (each adds its Dashboard and registers its
    computer)."""
    from importlib import import_module

    for name in MODULES:
        import_module(f"garda.reports.figures.{name}")


def dashboards_for(user) -> list[Dashboard]:
    load()
    role = getattr(user, "role", None)
    return [d for d in DASHBOARDS.values() if role in d.roles]


# --- folding a snapshot's rows --------------------------------------------------------


@dataclass
class Folded:
    """A table as a page shows it: header, rows of display cells, and the raw values
    of the chart (label, value) pairs."""

    table: Table
    header: list[str]
    rows: list[list]
    total: list | None
    chart: list[tuple[str, float]] = field(default_factory=list)
    chart_label: str = ""
    city_ignored: bool = False


def _label(column: Column, value, data: dict) -> str:
    if column.key == "city":
        if not value:
            return str(_("City not recorded"))
        return data.get("cities", {}).get(value, value)
    if column.choices is not None:
        found = column.choices.get(value)
        if found is None and not isinstance(value, str):
            found = column.choices.get(str(value))
        return str(found) if found is not None else ("" if value is None else str(value))
    names = data.get("labels", {}).get(column.key)
    if names is not None:
        return names.get(str(value), str(value))
    return "" if value is None else str(value)


def fold(table: Table, rows: list[dict], city: str = "") -> tuple[list[dict], dict, bool]:
    """Keep `city`'s rows (when the table is cut by city) and sum the counts per
    key; returns (grouped rows in order, totals, city_ignored)."""
    city_ignored = bool(city) and not table.by_city
    if city and table.by_city:
        rows = [r for r in rows if r.get("city") == city]
    sums = [m.key for m in table.measures] + [x for m in table.means for x in (m.sum_key, m.n_key)]
    keys = [c.key for c in table.keys]
    groups: dict[tuple, dict] = {}
    count: dict[tuple, int] = {}
    for row in rows:
        k = tuple(row.get(key) for key in keys)
        group = groups.get(k)
        if group is None:
            group = groups[k] = {key: row.get(key) for key in keys} | {s: 0 for s in sums}
            for column in table.plain:
                group[column.key] = row.get(column.key)
        for s in sums:
            group[s] += row.get(s) or 0
        count[k] = count.get(k, 0) + 1
    out = list(groups.values())
    for k, group in zip(groups, out, strict=True):
        if count[k] > 1:
            for column in table.plain:
                group[column.key] = None
    totals = {s: sum(g[s] for g in out) for s in sums}
    if not table.keep_order and table.keys:
        first = table.keys[0]
        if first.choices is not None:
            order = {v: i for i, v in enumerate(first.choices)}
            out.sort(key=lambda g: (order.get(g[first.key], len(order)), str(g[first.key])))
        elif table.chart:
            out.sort(key=lambda g: (-(g[table.chart] or 0), str(g[first.key])))
        else:
            out.sort(key=lambda g: str(g[first.key]))
    return out, totals, city_ignored


def mean_value(mean: Mean, row: dict) -> float | None:
    n = row.get(mean.n_key) or 0
    if not n or n < mean.min_n:
        return None
    return round(row.get(mean.sum_key, 0) / n, mean.digits)


def present(table: Table, data: dict, city: str = "") -> Folded:
    """The table of a snapshot's `data` for a page, a CSV or the API."""
    rows = data.get("tables", {}).get(table.id, [])
    grouped, totals, city_ignored = fold(table, rows, city)
    header = [str(c.label) for c in (*table.keys, *table.measures, *table.plain)]
    header += [str(m.label) for m in table.means]
    cells = []
    chart = []
    for g in grouped:
        labels = [_label(c, g[c.key], data) for c in table.keys]
        cells.append(
            labels
            + [g[c.key] for c in table.measures]
            + ["" if g[c.key] is None else g[c.key] for c in table.plain]
            + ["" if mean_value(m, g) is None else mean_value(m, g) for m in table.means]
        )
        if table.chart:
            chart.append((" · ".join(labels), g[table.chart] or 0))
    total = None
    if table.measures and len(grouped) > 1:
        total = (
            [str(_("Total"))]
            + [""] * (len(table.keys) - 1)
            + [totals[c.key] for c in table.measures]
            + [""] * len(table.plain)
            + ["" if mean_value(m, totals) is None else mean_value(m, totals) for m in table.means]
        )
    chart_label = ""
    if table.chart:
        chart_label = str(next(c.label for c in table.measures if c.key == table.chart))
    return Folded(table, header, cells, total, chart, chart_label, city_ignored)


def api_rows(table: Table, data: dict, city: str = "") -> list[dict]:
    """The folded rows with their raw keys, counts and means (the API's shape)."""
    grouped, _totals, _ignored = fold(table, data.get("tables", {}).get(table.id, []), city)
    out = []
    for g in grouped:
        row = {
            "keys": {c.key: g[c.key] for c in table.keys},
            "labels": {c.key: _label(c, g[c.key], data) for c in table.keys},
            "values": {c.key: g[c.key] for c in (*table.measures, *table.plain)},
        }
        row["values"].update({m.key: mean_value(m, g) for m in table.means})
        out.append(row)
    return out
