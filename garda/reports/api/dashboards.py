"""The reports API, part dashboards (docs/reports.md, "API").

- `GET /figures`: the dashboards the caller's role may read, each with the freshness
  of its "all" snapshot;
- `GET /figures/{name}?period=&city=`: a dashboard's tables from its snapshot (the
  rows folded by the table's keys, filtered by city when the table is cut by city),
  with the freshness. A period not computed yet answers 200 with `computed_at` null
  and no tables; a malformed period 422 naming `period`.

Same gate as the pages: admins, supervisors and officers every dashboard; other roles
(trainers included: the figures count every provider's batches) 403 with a denied row.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from garda.accounts.access import ensure_role
from garda.reports import dashboards
from garda.reports.figures import api_rows, dashboards_for

router = Router(tags=["reports"])
READERS = ("admin", "officer", "supervisor")


class FiguresFreshnessOut(Schema):
    computed_at: dt.datetime | None = Field(description="when the job computed them; null: not yet")
    minutes: int | None = Field(description="how many minutes ago")
    stale: bool = Field(description="older than 2 hours, or not computed (never when final)")
    final: bool = Field(
        False, description="computed after the period had ended: final, never out of date"
    )


class FiguresDashboardOut(Schema):
    name: str
    title: str
    text: str
    freshness: FiguresFreshnessOut


class FiguresRowOut(Schema):
    keys: dict[str, str | int | bool | None] = Field(description="the row's dimensions")
    labels: dict[str, str] = Field(description="the dimensions in words")
    values: dict[str, int | float | None] = Field(description="counts; means (null: too few)")


class FiguresTableOut(Schema):
    id: str
    title: str
    by_city: bool = Field(description="false: the city filter does not apply to this table")
    columns: dict[str, str] = Field(description="every key and value name, in words")
    rows: list[FiguresRowOut]


class FiguresOut(Schema):
    name: str
    title: str
    period: str
    city: str
    freshness: FiguresFreshnessOut
    tables: list[FiguresTableOut]


def _fresh(found: dashboards.Freshness) -> dict:
    return {
        "computed_at": found.computed_at,
        "minutes": found.minutes,
        "stale": found.stale,
        "final": found.final,
    }


@router.get(
    "/figures",
    response=list[FiguresDashboardOut],
    summary="The dashboards your role may read, with their freshness",
)
def figures_list(request: HttpRequest):
    ensure_role(request.auth, *READERS, what="api figures")
    shown = dashboards_for(request.auth)
    found = dashboards.latest([d.name for d in shown])
    return [
        {
            "name": d.name,
            "title": str(d.title),
            "text": str(d.text),
            "freshness": _fresh(dashboards.freshness(found.get(d.name))),
        }
        for d in shown
    ]


@router.get(
    "/figures/{name}",
    response=FiguresOut,
    summary="A dashboard's tables from its latest snapshot (period, city)",
)
def figures_get(request: HttpRequest, name: str, period: str = "all", city: str = ""):
    """`period`: all, a year (2026) or a month (2026-11); `city`: a kab/kota code
    (31.71)."""
    ensure_role(request.auth, *READERS, what="api figures")
    board = dashboards.dashboard_for(request.auth, name, what="api figures")
    if not dashboards.valid_period(period):
        raise ValidationError(
            {"period": [_("Choose a period: all, a year (2026) or a month (2026-11).")]}
        )
    city = city.strip()[:13]
    snap = dashboards.snapshot(board.name, period)
    dashboards.read_audit(request.auth, reason="api figures")
    data = snap.data if snap is not None else {}
    tables = []
    for t in board.tables if snap is not None else ():
        columns = {c.key: str(c.label) for c in (*t.keys, *t.measures, *t.plain, *t.means)}
        tables.append(
            {
                "id": t.id,
                "title": str(t.title),
                "by_city": t.by_city,
                "columns": columns,
                "rows": api_rows(t, data, city),
            }
        )
    return {
        "name": board.name,
        "title": str(board.title),
        "period": period,
        "city": city,
        "freshness": _fresh(dashboards.freshness(snap)),
        "tables": tables,
    }
