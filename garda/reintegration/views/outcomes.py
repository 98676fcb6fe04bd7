"""Reintegration pages: outcomes. The figures (reintegration/outcomes.py) per programme,
per city, per follow-up month, and helped directly against through a referral, with
filters in a GET form that works without JavaScript, and each table as CSV."""

import csv
import io

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from garda.accounts.decorators import role_required
from garda.people.export import safe_cell
from garda.reintegration.outcomes import (
    DIMENSIONS,
    READERS,
    TABLES,
    Mean,
    OutcomeFilterForm,
    Outcomes,
    Row,
    outcomes,
    read_audit,
)


def _query_without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _render(
    request: HttpRequest, form: OutcomeFilterForm, found: Outcomes | None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "reintegration/outcomes.html",
        {
            "form": form,
            "found": found,
            "tables": TABLES,
            "export_query": _query_without(request, "table", "page"),
            "comparison": _comparison(found) if found is not None else None,
        },
        status=status,
    )


def _comparison(found: Outcomes) -> dict:
    """The direct-vs-referral sentence's parts: the difference when both means are
    published."""
    direct, referral = found.totals.composite_direct, found.totals.composite_referral
    out = {"direct": direct, "referral": referral, "totals": found.totals}
    if direct.reliable and referral.reliable:
        out["difference"] = round(direct.value - referral.value, 2)
    return out


@role_required(*sorted(READERS))
@require_GET
def outcomes_page(request: HttpRequest) -> HttpResponse:
    """The figures for the plans the filters keep; bad filters: 422 with the errors at
    their fields and no figures."""
    form = OutcomeFilterForm(request.GET or None, cities_on_plans=True)
    if form.is_bound and not form.is_valid():
        return _render(request, form, None, status=422)
    found = outcomes(form.filters() if form.is_bound else None)
    read_audit(request.user, reason="reintegration outcomes")
    return _render(request, form, found)


# --- CSV ------------------------------------------------------------------------------


def _mean_cells(mean: Mean) -> list:
    """The mean (empty when n < 5) and its n."""
    return ["" if mean.value is None else mean.value, mean.n]


def _row_cells(row: Row) -> list:
    return [
        row.returnees,
        row.in_month,
        "" if row.in_month_percent is None else row.in_month_percent,
        row.late,
        row.withdrawn,
        row.goals,
        row.delivered,
        row.delivered_direct,
        row.delivered_referral,
        row.dropped,
        row.open,
        row.followed_up,
        row.remigrated_legal,
        row.remigrated_irregular,
        row.stayed,
        row.remigration_unknown,
        row.not_followed,
        *_mean_cells(row.composite),
        row.helped_direct,
        *_mean_cells(row.composite_direct),
        row.helped_referral,
        *_mean_cells(row.composite_referral),
        row.not_helped,
        row.plans,
        row.no_plan,
    ]


def _row_header(first: str) -> list[str]:
    return [
        first,
        _("Returnees"),
        _("Plan within a month"),
        _("Plan within a month (%)"),
        _("Plan late"),
        _("Plans withdrawn"),
        _("Goals"),
        _("Services delivered"),
        _("Delivered directly"),
        _("Delivered through a referral"),
        _("Goals dropped"),
        _("Goals still open"),
        _("Followed up"),
        _("Left again, legal route"),
        _("Left again, without the legal procedure"),
        _("Has not left again"),
        _("Left again: not known or not asked"),
        _("Not followed up yet"),
        _("Composite score at the latest follow-up"),
        _("n (composite)"),
        _("Helped directly"),
        _("Composite score, helped directly"),
        _("n (helped directly)"),
        _("Helped through a referral"),
        _("Composite score, helped through a referral"),
        _("n (helped through a referral)"),
        _("No service delivered yet"),
        _("Plans"),
        _("Returnees without a plan"),
    ]


def _instrument_words(found: Outcomes) -> str:
    i = found.instrument
    return f"{i.title} ({i.code} {i.version})" if i is not None else ""


def table_cells(found: Outcomes, table: str) -> tuple[list[str], list[list]]:
    """The header and rows of one table (numbers as numbers, texts through safe_cell;
    a mean over fewer than 5 values is left empty, its n given)."""
    if table in ("by_programme", "by_city"):
        first = _("Programme") if table == "by_programme" else _("City or regency")
        rows = getattr(found, table)
        cells = [[safe_cell(r.label or _("City not recorded")), *_row_cells(r)] for r in rows]
        cells.append([_("Total"), *_row_cells(found.totals)])
        return _row_header(first), cells
    if table == "by_month":
        header = [_("Months after return"), _("Follow-ups done")]
        for _name, words in (
            ("economic", _("Economic")),
            ("social", _("Social")),
            ("psychosocial", _("Psychosocial")),
            ("composite", _("Composite")),
        ):
            header += [words, f"n ({words})"]
        header.append(_("Survey instrument"))
        instrument = safe_cell(_instrument_words(found))
        cells = [
            [
                m.month,
                m.n,
                *sum((_mean_cells(m.means[k]) for k in (*DIMENSIONS, "composite")), []),
                instrument,
            ]
            for m in found.by_month
        ]
        return header, cells
    t = found.totals
    instrument = safe_cell(_instrument_words(found))
    return (
        [
            _("Help"),
            _("Plans"),
            _("Composite score at the latest follow-up"),
            "n",
            _("Survey instrument"),
        ],
        [
            [_("Directly"), t.helped_direct, *_mean_cells(t.composite_direct), instrument],
            [
                _("Through a referral"),
                t.helped_referral,
                *_mean_cells(t.composite_referral),
                instrument,
            ],
            [_("No service delivered yet"), t.not_helped, "", 0, ""],
        ],
    )


@role_required(*sorted(READERS))
@require_GET
def outcomes_csv(request: HttpRequest) -> HttpResponse:
    """One table (`table=by_programme|by_city|by_month|direct_vs_referral`) as CSV
    (UTF-8 with a BOM, for Excel), with the page's filters; audited as an export."""
    form = OutcomeFilterForm(request.GET, cities_on_plans=True)
    table = request.GET.get("table", "")
    if table not in TABLES:
        form.is_valid()
        form.add_error(None, _("Choose a table to export."))
        return _render(request, form, None, status=422)
    if not form.is_valid():
        return _render(request, form, None, status=422)
    found = outcomes(form.filters())
    header, cells = table_cells(found, table)
    read_audit(request.user, reason=f"reintegration outcomes csv {table}", export=True)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(cells)
    name = f"garda-reintegration-outcomes-{table}-{timezone.localdate().isoformat()}.csv"
    response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
