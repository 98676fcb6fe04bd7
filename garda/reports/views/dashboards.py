"""Pages of the staff dashboards: the index of the dashboards a role may see, each
dashboard with its period and city filters (a GET form, no JavaScript), its charts
(server-drawn SVG) each followed by its table, and every table as CSV or XLSX. A page
reads only its Snapshot rows (garda/reports/dashboards.py), never the live tables.

The national registrations export (garda/reports/national.py) reads the registry:
supervisors and admins, audited once with its row count."""

import csv
import io
import re

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from garda.accounts.decorators import role_required
from garda.people.export import safe_cell
from garda.reports import dashboards, national
from garda.reports.charts import bar_chart
from garda.reports.figures import NATIONAL_EXPORTERS, Dashboard, dashboards_for, present

ANY_READER = ("admin", "officer", "supervisor")
SAFE_NAME = re.compile(r"[^a-z0-9_-]")


@role_required(*ANY_READER)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    shown = dashboards_for(request.user)
    found = dashboards.latest([d.name for d in shown])
    items = [(d, dashboards.freshness(found.get(d.name))) for d in shown]
    return render(
        request,
        "reports/index.html",
        {
            "items": items,
            "national": request.user.role in NATIONAL_EXPORTERS,
            "stale_hours": int(dashboards.STALE_AFTER.total_seconds() // 3600),
        },
    )


def _filters(request: HttpRequest) -> tuple[str, str, str | None]:
    period = (request.GET.get("period") or "all").strip()
    city = (request.GET.get("city") or "").strip()[:13]
    if not dashboards.valid_period(period):
        return "all", city, _("Choose a period: all, a year (2026) or a month (2026-11).")
    return period, city, None


@role_required(*ANY_READER)
@require_GET
def dashboard(request: HttpRequest, name: str) -> HttpResponse:
    board = dashboards.dashboard_for(
        request.user, name, what=f"figures {SAFE_NAME.sub('', name)[:30]}"
    )
    period, city, error = _filters(request)
    if error:
        return _page(request, board, None, period, city, error=error, status=422)
    snap = dashboards.snapshot(board.name, period)
    dashboards.read_audit(request.user, reason=f"figures {board.name}")
    return _page(request, board, snap, period, city)


def _page(request, board: Dashboard, snap, period: str, city: str, *, error=None, status=200):
    data = snap.data if snap is not None else {}
    tables = []
    for table in board.tables if snap is not None else ():
        folded = present(table, data, city)
        chart = None
        if folded.chart:
            chart = bar_chart(f"{folded.table.title}: {folded.chart_label}", folded.chart)
        tables.append((folded, chart))
    cities = sorted(data.get("cities", {}).items(), key=lambda kv: (kv[1], kv[0]))
    query = request.GET.copy()
    query.pop("table", None)
    return render(
        request,
        "reports/dashboard.html",
        {
            "board": board,
            "snapshot": snap,
            "fresh": dashboards.freshness(snap),
            "tables": tables,
            "period": period,
            "periods": dashboards.periods(board.name) or ["all"],
            "city": city,
            "city_name": data.get("cities", {}).get(city, city),
            "cities": cities,
            "error": error,
            "export_query": query.urlencode(),
            "stale_hours": int(dashboards.STALE_AFTER.total_seconds() // 3600),
        },
        status=status,
    )


def _export_inputs(request: HttpRequest, name: str, fmt: str):
    board = dashboards.dashboard_for(
        request.user, name, what=f"figures {fmt} {SAFE_NAME.sub('', name)[:30]}"
    )
    period, city, error = _filters(request)
    table_id = request.GET.get("table", "")
    table = board.table(table_id)
    if table is None and (fmt == "csv" or table_id):
        error = _("Choose a table to export.")
    return board, period, city, table, error


def _bad_request(message: str) -> HttpResponse:
    return HttpResponse(message, status=422, content_type="text/plain; charset=utf-8")


def _filename(board: Dashboard, table, period: str, city: str, ext: str) -> str:
    parts = ["garda-figures", board.name, table.id if table else "all", period]
    if city:
        parts.append(city.replace(".", ""))
    return "-".join(SAFE_NAME.sub("", p) for p in parts) + f".{ext}"


def _cells(folded) -> list[list]:
    rows = [folded.header, *folded.rows]
    if folded.total:
        rows.append(folded.total)
    return [[safe_cell(c) if isinstance(c, str) else c for c in row] for row in rows]


@role_required(*ANY_READER)
@require_GET
def export_csv(request: HttpRequest, name: str) -> HttpResponse:
    """One table as CSV (UTF-8 with a BOM, for Excel), from the snapshot."""
    board, period, city, table, error = _export_inputs(request, name, "csv")
    if error:
        return _bad_request(error)
    snap = dashboards.snapshot(board.name, period)
    folded = present(table, snap.data if snap else {}, city)
    dashboards.read_audit(request.user, reason=f"figures csv {board.name} {table.id}", export=True)
    text = io.StringIO()
    csv.writer(text).writerows(_cells(folded))
    response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(board, table, period, city, "csv")}"'
    )
    return response


@role_required(*ANY_READER)
@require_GET
def export_xlsx(request: HttpRequest, name: str) -> HttpResponse:
    """One table (`table=`) or every table of the dashboard, a sheet each, as XLSX
    (openpyxl write-only; texts through safe_cell so no formula runs)."""
    from openpyxl import Workbook

    board, period, city, table, error = _export_inputs(request, name, "xlsx")
    if error:
        return _bad_request(error)
    snap = dashboards.snapshot(board.name, period)
    data = snap.data if snap else {}
    book = Workbook(write_only=True)
    for t in [table] if table else board.tables:
        sheet = book.create_sheet(title=t.id[:31])
        for row in _cells(present(t, data, city)):
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    which = table.id if table else "all"
    dashboards.read_audit(request.user, reason=f"figures xlsx {board.name} {which}", export=True)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(board, table, period, city, "xlsx")}"'
    )
    return response


@role_required(*sorted(NATIONAL_EXPORTERS))
@require_GET
def national_registrations(request: HttpRequest) -> HttpResponse:
    """Persons registered in the period, in the national system's CPMI registration
    layout (national.py; docs/reports.md)."""
    period, _city, error = _filters(request)
    if error:
        return _bad_request(error)
    qs = national.export_queryset(period)
    count = qs.count()
    dashboards.read_audit(request.user, reason=f"csv cpmi registrations, {count} rows", export=True)
    response = StreamingHttpResponse(
        national.csv_lines(qs.iterator(chunk_size=1000)), content_type="text/csv; charset=utf-8"
    )
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="garda-cpmi-{SAFE_NAME.sub("", period)}-{day}.csv"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
