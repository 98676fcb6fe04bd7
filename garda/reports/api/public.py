"""The reports API, part public: the public statistics (no login).

- `GET /stats/public?period=2026`: the tables of one calendar year as the snapshot job
  left them (garda/reports/public.py), read from the snapshot only (two queries: the
  snapshot and the countries' names). Each cell has a `value` or `"suppressed": true`;
  no cell under 5 is ever returned, and a suppressed cell cannot be recovered from the
  published ones (docs/statistics.md). A malformed period answers 422 in the error
  format; a year with no snapshot answers 404: for a year that has not ended, saying
  when it will be published and why (a year is published once, when it has ended).
"""

from datetime import datetime

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from garda.apiutils import error_body
from garda.reports import public

router = Router(tags=["reports"])


class PublicStatsQuery(Schema):
    period: str = Field("", description="a calendar year, e.g. 2026")


class PublicStatCellOut(Schema):
    row: str
    column: str | None = Field(None, description="absent in a table of one dimension")
    value: int | None = Field(None, description="absent when suppressed; never under 5")
    suppressed: bool | None = Field(
        None, description="true: hidden (small, or it could give a small one back)"
    )


class PublicStatTableOut(Schema):
    key: str = Field(description="registrations, departures or cases")
    title: str
    counts: str = Field(
        description="processed: everyone the Jakarta registry processed, wherever they "
        "live; reports: every report received"
    )
    counts_text: str = Field(description="what the table counts, in words")
    rows: list[str] = Field(description="row keys; the last is 'total'")
    row_labels: list[str]
    columns: list[str] = Field(description="column keys (empty: one dimension)")
    column_labels: list[str]
    cells: list[PublicStatCellOut]


class PublicStatsOut(Schema):
    period: str
    computed_at: datetime
    threshold: int = Field(description="no published cell is under this count")
    tables: list[PublicStatTableOut]


def _cell(cell: dict) -> dict:
    if cell.get("suppressed"):
        return {"row": cell["row"], "column": cell["column"], "suppressed": True}
    return {"row": cell["row"], "column": cell["column"], "value": cell["value"]}


@router.get(
    "/stats/public",
    response={200: PublicStatsOut, 404: dict, 422: dict},
    auth=None,
    exclude_none=True,
    summary="Public statistics of one year, with small cells suppressed",
)
def public_stats(request: HttpRequest, filters: Query[PublicStatsQuery]):
    period = filters.period.strip()
    if not public.is_public_period(period):
        message = _("Choose a year, for example 2026.")
        return JsonResponse(
            error_body(
                _("The period is not valid."),
                [{"field": "period", "code": "invalid", "message": message}],
            ),
            status=422,
        )
    if public.publishes_later(period):
        return Status(404, error_body(public.not_yet_message(period)))
    snapshot = public.snapshot_for(period)
    if snapshot is None:
        return Status(404, error_body(_("No public statistics have been published for this year.")))
    tables = public.describe(snapshot.data)
    for table in tables:
        table["cells"] = [_cell(c) for c in table["cells"]]
        table.pop("grid", None)
    return Status(
        200,
        {
            "period": period,
            "computed_at": snapshot.computed_at,
            "threshold": public.suppression.THRESHOLD,
            "tables": tables,
        },
    )
