"""Recommendations (courses that close a person's readiness gaps) and outcomes (per
course, provider and batch, for supervisors and admins, exportable)."""

import csv
import io
import tempfile

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.destinations.readiness import current_plan
from garda.people.access import REGISTRY_ROLES, get_person_for, person_read, visible_people
from garda.people.export import XLSX_CONTENT_TYPE, safe_cell
from garda.people.models import Person
from garda.training.access import OUTCOME_READERS, outcomes_read
from garda.training.forms.insight import OutcomeFilterForm, TargetForm
from garda.training.outcomes import OutcomeRow, outcomes, totals
from garda.training.recommendations import (
    Recommendation,
    recommend,
    recommend_for_plan,
)
from garda.viewutils import is_htmx

EXPORT_FORMATS = ("csv", "xlsx")


def _batch_url(batch) -> str | None:
    if batch is None:
        return None
    try:
        return reverse("training:batch", args=[batch.pk])
    except NoReverseMatch:  # the catalogue's pages are another part of training
        return None


# --- recommendations ------------------------------------------------------------------


def _render_recommendations(
    request: HttpRequest,
    person: Person,
    *,
    template: str,
    action: str,
    partial: str = "training/_insight_recommendations.html",
) -> HttpResponse:
    form = TargetForm(request.GET or None, user=request.user)
    target = form.target()
    plan = None
    recommendations: list[Recommendation] | None = None
    if target is not None:
        try:
            recommendations = recommend(
                person,
                destination_code=target[0],
                scheme_code=target[1],
                sector=target[2],
                user=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    elif not form.is_bound or form.is_valid():
        plan = current_plan(person)
        recommendations = recommend_for_plan(person, plan=plan) if plan is not None else None
        if plan is not None and not form.is_bound:
            form = TargetForm(
                user=request.user,
                initial={
                    "destination": plan.destination.code,
                    "scheme": plan.scheme.code,
                    "sector": plan.sector,
                },
            )
    person_read(request.user, person, reason="training recommendations")
    context = {
        "person": person,
        "form": form,
        "plan": plan,
        "target": target,
        "action": action,
        "rows": [(r, _batch_url(r.batch)) for r in recommendations or ()],
        "recommendations": recommendations,
    }
    if is_htmx(request):
        template = partial
    return render(request, template, context)


@role_required(roles.WORKER)
@require_GET
def my_recommendations(request: HttpRequest) -> HttpResponse:
    """The worker's courses for their plan, or for a target they explore."""
    person = visible_people(request.user).filter(user=request.user).first()
    if person is None:
        messages.info(
            request, _("Complete your profile first: the recommendations follow from it.")
        )
        return redirect("people:me")
    return _render_recommendations(
        request,
        person,
        template="training/insight_my_recommendations.html",
        action=reverse("training:my_recommendations"),
    )


@role_required(*sorted(REGISTRY_ROLES))
@require_GET
def person_recommendations(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for(request.user, pk)
    return _render_recommendations(
        request,
        person,
        template="training/insight_person_recommendations.html",
        action=reverse("training:person_recommendations", args=[person.pk]),
        # Staff read the list as a stacked table, a worker as cards.
        partial="training/_staff_recommendations.html",
    )


# --- outcomes -------------------------------------------------------------------------


def _percent(rate: float | None) -> float | str:
    return "" if rate is None else round(rate * 100, 1)


OUTCOME_PAGE_SIZE = 100


@role_required(*sorted(OUTCOME_READERS))
@require_GET
def outcomes_page(request: HttpRequest) -> HttpResponse:
    form = OutcomeFilterForm(request.GET or None)
    rows: list[OutcomeRow] = []
    total = None
    if not form.is_bound or form.is_valid():
        filters = form.filters() if form.is_bound else {"by": "course"}
        rows = outcomes(**filters)
        total = totals(rows)
        by = filters["by"]
    else:
        by = request.GET.get("by") if request.GET.get("by") in ("provider", "batch") else "course"
    outcomes_read(request.user, by=by)
    query = request.GET.copy()
    query.pop("format", None)
    # The totals cover every group; the table shows them a page at a time (by batch
    # there are thousands). The export has them all.
    page = Paginator(rows, OUTCOME_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "rows": page.object_list,
        "page": page,
        "total": total,
        "by": by,
        "export_query": query.urlencode(),
    }
    template = (
        "training/_insight_outcomes.html" if is_htmx(request) else "training/insight_outcomes.html"
    )
    return render(request, template, context)


def export_header(by: str) -> list[str]:
    first = {
        "course": [_("Course code"), _("Course")],
        "provider": [_("Provider code"), _("Provider")],
        "batch": [_("Batch"), _("Course"), _("Provider"), _("Starts on")],
    }[by]
    return [
        *first,
        _("Enrolled"),
        _("Completed"),
        _("No-show"),
        _("Withdrawn"),
        _("Certified"),
        _("Placed abroad"),
        _("Completion (%)"),
        _("Certification (%)"),
        _("Placement (%)"),
    ]


def export_rows(rows: list[OutcomeRow], total: OutcomeRow) -> list[list]:
    """Cell values of each row and the totals row: numbers as numbers, every text
    through safe_cell (a course title starting with "=" must not become a formula)."""
    out = []
    for row in [*rows, total]:
        if row.id is None:
            first = [_("Total"), ""] if row.by != "batch" else [_("Total"), "", "", ""]
        elif row.by == "batch":
            first = [row.code, row.course, row.provider, row.starts_on.isoformat()]
        else:
            first = [row.code, row.label]
        out.append(
            [
                *(safe_cell(v) for v in first),
                row.enrolled,
                row.completed,
                row.no_show,
                row.withdrawn,
                row.certified,
                row.placed,
                _percent(row.completion_rate),
                _percent(row.certification_rate),
                _percent(row.placement_rate),
            ]
        )
    return out


@role_required(*sorted(OUTCOME_READERS))
@require_GET
def outcomes_export(request: HttpRequest) -> HttpResponse:
    """The outcome table as CSV (UTF-8 with a BOM, for Excel) or XLSX, with the page's
    filters; audited as an export."""
    fmt = request.GET.get("format") or "csv"
    form = OutcomeFilterForm(request.GET)
    if fmt not in EXPORT_FORMATS or not form.is_valid():
        messages.error(request, _("The export could not be made: check the filters."))
        query = request.GET.copy()
        query.pop("format", None)
        url = reverse("training:outcomes")
        return redirect(f"{url}?{query.urlencode()}" if query else url)
    filters = form.filters()
    rows = outcomes(**filters)
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        object_type="training.enrolment",
        reason=f"outcomes by {filters['by']}, {fmt}, {len(rows)} rows",
    )
    header = export_header(filters["by"])
    cells = export_rows(rows, totals(rows))
    name = f"garda-training-outcomes-{filters['by']}-{timezone.localdate().isoformat()}"
    if fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(header)
        writer.writerows(cells)
        response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=filters["by"])
    sheet.append(header)
    for row in cells:
        sheet.append(
            [
                ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) if isinstance(value, str) else value
                for value in row
            ]
        )
    out = tempfile.TemporaryFile()  # closed (and so deleted) by the response
    workbook.save(out)
    out.seek(0)
    return FileResponse(
        out, as_attachment=True, filename=f"{name}.xlsx", content_type=XLSX_CONTENT_TYPE
    )
