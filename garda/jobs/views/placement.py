"""The placement pages: the list, one placement with a form per section (contract,
BPJS, orientation, visa, travel) and its moves (depart, arrive, cancel), making a
placement from a selected application, the audited reveal of the BPJS and visa
numbers, the departures board, and the export for the national system.

Every page reads through jobs/access/placement.py (another company's placement is a
404 with a denied row) and writes through services/placement.py; a refusal comes back
as a message or as errors beside the fields, and nothing is written."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.audit.gate import deny, deny_not_found
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.crypto import mask
from garda.destinations.models import Destination
from garda.jobs import access
from garda.jobs.access.placement import (
    BOARD_ROLES,
    PLACEMENT_ROLES,
    get_placement_for,
    may_reveal,
    visible_placements,
)
from garda.jobs.applicants import reason_for
from garda.jobs.export import csv_lines, export_queryset
from garda.jobs.forms.placement import SECTION_FORMS, ArriveForm, CancelForm
from garda.jobs.models import Application, Placement
from garda.jobs.services import placement as service
from garda.jobs.services.common import VersionConflict
from garda.pagination import CappedPaginator
from garda.people.access import person_read
from garda.viewutils import add_service_errors

P = Placement.Status
LIST_ROLES = tuple(sorted(PLACEMENT_ROLES))
OFFICE = (roles.ADMIN, roles.OFFICER)
WRITERS = (roles.ADMIN, roles.OFFICER, roles.RECRUITER)
BOARD = tuple(sorted(BOARD_ROLES))
PAGE_SIZE = 25
STATUS_TAGS = {
    P.PREPARING: "tag-yellow",
    P.DEPARTED: "tag-blue",
    P.ARRIVED: "tag-green",
    P.ENDED: "tag-grey",
    P.CANCELLED: "tag-grey",
}
SECTION_TITLES = {
    "contract": gettext_lazy("Contract as signed"),
    "bpjs": gettext_lazy("Social security (BPJS Ketenagakerjaan)"),
    "orientation": gettext_lazy("Pre-departure orientation (OPP)"),
    "visa": gettext_lazy("Visa"),
    "travel": gettext_lazy("Departure and flight"),
}
CHANGED_ELSEWHERE = gettext_lazy(
    "Someone else changed this placement meanwhile: nothing was saved. Reload the page "
    "to see their changes, then try again."
)


def _status_label(code: str) -> str:
    try:
        return str(P(code).label)
    except ValueError:
        return code


def _destination_names(codes) -> dict[str, str]:
    return {d.code: d.display_name for d in Destination.objects.filter(code__in=set(codes))}


# --- the list ------------------------------------------------------------------------------


@role_required(*LIST_ROLES)
@require_GET
def placement_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    status = request.GET.get("status") or "all"
    if status not in ("all", *P.values):
        status = "all"
    qs = visible_placements(user).select_related("person", "order", "agency")
    if status != "all":
        qs = qs.filter(status=status)
    qs = qs.order_by("-created_at", "-pk")
    if user.role != roles.WORKER:
        audit_record(
            actor=user, action=AuditEvent.Action.VIEW, object_type="jobs.placement", reason="list"
        )
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    names = _destination_names(p.order.destination for p in page.object_list)
    for p in page.object_list:
        p.status_label = _status_label(p.status)
        p.status_tag = STATUS_TAGS.get(p.status, "tag-grey")
        p.destination_name = names.get(p.order.destination, p.order.destination)
    return render(
        request,
        "jobs/placement_list.html",
        {
            "page": page,
            "status": status,
            "status_choices": [("all", _("All")), *P.choices],
            "is_worker": user.role == roles.WORKER,
            "may_board": user.role in BOARD_ROLES,
        },
    )


# --- one placement ---------------------------------------------------------------------------


def _programme_words(codes) -> list[str]:
    return [str(service.PROGRAMMES.get(c, c)) for c in codes or []]


def _section_form(section: str, placement: Placement, data=None):
    cls = SECTION_FORMS[section]
    kwargs = {"prefix": section}
    if section == "orientation":
        kwargs["sessions"] = _sessions_for(placement)
    if data is not None:
        return cls(data, **kwargs)
    initial = {"version": placement.version}
    if section == "contract":
        order = placement.order
        initial.update(
            signed_on=placement.contract_signed_on,
            months=placement.contract_months or order.contract_months,
            wage_amount=placement.wage_amount
            if placement.wage_amount is not None
            else order.wage_amount,
            wage_currency=placement.wage_currency or order.wage_currency,
            wage_period=placement.wage_period or order.wage_period,
        )
    elif section == "bpjs":
        initial["bpjs_programmes"] = placement.bpjs_programmes or list(service.REQUIRED_PROGRAMMES)
    elif section == "orientation":
        initial.update(
            orientation=placement.orientation_id,
            orientation_attended_on=placement.orientation_attended_on,
            orientation_place=placement.orientation_place,
            orientation_certificate=placement.orientation_certificate,
        )
    elif section == "visa":
        initial.update(
            visa_issued_on=placement.visa_issued_on, visa_valid_until=placement.visa_valid_until
        )
    elif section == "travel":
        initial.update(departure_date=placement.departure_date, flight=placement.flight)
    return cls(initial=initial, **kwargs)


def _sessions_for(placement: Placement):
    """The sessions a placement may be put on: upcoming ones, and its own."""
    from django.db.models import Q

    from garda.jobs.models import OrientationSession

    today = timezone.localdate()
    return OrientationSession.objects.filter(
        Q(starts_at__date__gte=today) | Q(pk=placement.orientation_id)
    ).order_by("starts_at", "pk")


def _status_reason(user, placement: Placement) -> str:
    """Why the placement was cancelled, as `user` reads it: the office typed it (often
    the worker's own words), so a company reads only who ended it
    (applicants.reason_for)."""
    if not placement.status_reason or user.role != roles.RECRUITER:
        return placement.status_reason
    withdrew = Application.objects.filter(
        pk=placement.application_id, status=Application.Status.WITHDRAWN
    ).exists()
    to_status = Application.Status.WITHDRAWN if withdrew else Application.Status.REJECTED
    return reason_for(set(), to_status, placement.status_reason, None)


def render_detail(
    request: HttpRequest,
    placement: Placement,
    *,
    status: int = 200,
    forms: dict | None = None,
    revealed: dict | None = None,
    cancel_form=None,
    arrive_form=None,
) -> HttpResponse:
    user = request.user
    preparing = placement.status == P.PREPARING
    sections = []
    for section in SECTION_FORMS:
        writable = preparing and service.may_write_section(user, placement, section)
        form = None
        if writable:
            form = (forms or {}).get(section) or _section_form(section, placement)
        sections.append({"code": section, "title": SECTION_TITLES[section], "form": form})
    destination = Destination.objects.filter(code=placement.order.destination).first()
    missing = service.missing_steps(placement)
    office = user.role in OFFICE
    context = {
        "placement": placement,
        "status_reason": _status_reason(user, placement),
        "person": placement.person,
        "order": placement.order,
        "status_label": _status_label(placement.status),
        "status_tag": STATUS_TAGS.get(placement.status, "tag-grey"),
        "destination_name": destination.display_name if destination else "",
        "sections": sections,
        "programmes": _programme_words(placement.bpjs_programmes),
        "bpjs_shown": (revealed or {}).get("bpjs_number") or mask(placement.bpjs_number),
        "visa_shown": (revealed or {}).get("visa_number") or mask(placement.visa_number),
        "revealed": bool(revealed),
        "may_reveal": may_reveal(user, placement)
        and bool(placement.bpjs_number or placement.visa_number),
        "missing": service.step_words(missing),
        "may_depart": office and preparing,
        "depart_blocked": service.step_words([c for c in missing if c in service.DEPART_NEEDS]),
        "may_arrive": office and placement.status == P.DEPARTED,
        "may_cancel": office and preparing,
        "cancel_form": cancel_form
        or CancelForm(prefix="cancel", initial={"version": placement.version}),
        "arrive_form": arrive_form
        or ArriveForm(
            prefix="arrive",
            initial={"version": placement.version, "arrived_on": timezone.localdate()},
        ),
        "card_valid": service.card_valid(placement),
        "may_card": user.role in (roles.WORKER, *BOARD_ROLES),
        "is_worker": user.role == roles.WORKER,
    }
    return render(request, "jobs/placement_detail.html", context, status=status)


def _read(request: HttpRequest, pk) -> Placement:
    placement = get_placement_for(request.user, pk)
    person_read(request.user, placement.person, reason="placement")
    return placement


@role_required(*LIST_ROLES)
@require_GET
def placement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_detail(request, _read(request, pk))


@role_required(*BOARD)
@require_POST
def placement_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """The unmasked BPJS and visa numbers: POST (a link or a prefetch never reveals
    them), for whom may_reveal says, one REVEAL row on the person (so the worker
    reads it in "who accessed my record", as the registry's reveals), naming the
    placement."""
    placement = get_placement_for(request.user, pk)
    if not may_reveal(request.user, placement):
        deny(request.user, "jobs.placement reveal", target=placement)
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.REVEAL,
        target=placement.person,
        changed_fields=["bpjs_number", "visa_number"],
        reason=f"placement {placement.pk}",
    )
    revealed = {"bpjs_number": placement.bpjs_number, "visa_number": placement.visa_number}
    return render_detail(request, placement, revealed=revealed)


def _version(form) -> int | None:
    value = form.cleaned_data.get("version") if hasattr(form, "cleaned_data") else None
    return value if isinstance(value, int) else None


@role_required(*WRITERS)
@require_POST
def placement_section(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    placement = get_placement_for(request.user, pk)
    if section not in SECTION_FORMS or not service.may_write_section(
        request.user, placement, section
    ):
        deny_not_found(request.user, "jobs.placement", pk, f"placement_section:{section}")
    form = _section_form(section, placement, data=request.POST)
    if form.is_valid():
        try:
            if section == "contract":
                service.placement_record_contract(
                    actor=request.user,
                    placement=placement,
                    data=form.data_out(),
                    version=_version(form),
                )
            else:
                service.placement_update(
                    actor=request.user,
                    placement=placement,
                    section=section,
                    data=form.data_out(),
                    version=_version(form),
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except VersionConflict:
            messages.error(request, str(CHANGED_ELSEWHERE))
            return redirect("jobs:placement_detail", pk=placement.pk)
        except service.PlacementRefused as exc:
            messages.error(request, str(exc.message))
            return redirect("jobs:placement_detail", pk=placement.pk)
        else:
            messages.success(
                request, _("Saved: %(section)s.") % {"section": SECTION_TITLES[section]}
            )
            return redirect(f"{placement_url(placement)}#{section}")
    return render_detail(request, placement, status=400, forms={section: form})


def placement_url(placement: Placement) -> str:
    from django.urls import reverse

    return reverse("jobs:placement_detail", args=[placement.pk])


@role_required(*OFFICE)
@require_POST
def placement_depart(request: HttpRequest, pk: int) -> HttpResponse:
    placement = get_placement_for(request.user, pk)
    raw = (request.POST.get("version") or "").strip()
    version = int(raw) if raw.isdigit() and len(raw) < 10 else None
    try:
        service.placement_depart(actor=request.user, placement=placement, version=version)
    except service.PlacementRefused as exc:
        messages.error(request, str(exc.message))
    except VersionConflict:
        messages.error(request, str(CHANGED_ELSEWHERE))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The departure is recorded: the worker is on the way."))
    return redirect("jobs:placement_detail", pk=placement.pk)


def _form_step(request, placement: Placement, form, call, success: str, form_name: str):
    """A step taken with a form (arrive, cancel): the service's refusals as messages,
    its field errors beside the form (400, nothing written), else back to the page."""
    if form.is_valid():
        try:
            call(form.cleaned_data, _version(form))
        except ValidationError as exc:
            add_service_errors(form, exc)
        except service.PlacementRefused as exc:
            messages.error(request, str(exc.message))
            return redirect("jobs:placement_detail", pk=placement.pk)
        except VersionConflict:
            messages.error(request, str(CHANGED_ELSEWHERE))
            return redirect("jobs:placement_detail", pk=placement.pk)
        else:
            messages.success(request, success)
            return redirect("jobs:placement_detail", pk=placement.pk)
    return render_detail(request, placement, status=400, **{form_name: form})


@role_required(*OFFICE)
@require_POST
def placement_arrive(request: HttpRequest, pk: int) -> HttpResponse:
    placement = get_placement_for(request.user, pk)
    return _form_step(
        request,
        placement,
        ArriveForm(request.POST, prefix="arrive"),
        lambda data, version: service.placement_arrive(
            actor=request.user,
            placement=placement,
            arrived_on=data.get("arrived_on"),
            version=version,
        ),
        _("The arrival is recorded: the worker is abroad."),
        "arrive_form",
    )


@role_required(*OFFICE)
@require_POST
def placement_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    placement = get_placement_for(request.user, pk)
    return _form_step(
        request,
        placement,
        CancelForm(request.POST, prefix="cancel"),
        lambda data, version: service.placement_cancel(
            actor=request.user,
            placement=placement,
            reason=data["reason"],
            by_worker=data["by_worker"],
            version=version,
        ),
        _("The placement is cancelled; the worker card is no longer valid."),
        "cancel_form",
    )


@role_required(*OFFICE)
@require_POST
def placement_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A placement from the selected application `pk` (the button on the application)."""
    try:
        app = (
            Application.objects.filter(order__in=access.visible_orders(request.user))
            .select_related("order", "person")
            .get(pk=pk)
        )
    except (Application.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(request.user, "jobs.application", pk, "placement_create")
    try:
        placement = service.placement_create(actor=request.user, application=app)
    except service.PlacementRefused as exc:
        existing = Placement.objects.filter(application=app).first()
        messages.error(request, str(exc.message))
        if existing is not None:
            return redirect("jobs:placement_detail", pk=existing.pk)
        return redirect("jobs:order_detail", pk=app.order_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("jobs:order_detail", pk=app.order_id)
    messages.success(
        request,
        _("The placement is made. Record the contract, BPJS, orientation, visa and flight."),
    )
    return redirect("jobs:placement_detail", pk=placement.pk)


# --- the departures board ----------------------------------------------------------------------

BOARD_CAP = 2000
PERIODS = {
    "this": gettext_lazy("This week"),
    "next": gettext_lazy("Next week"),
    "both": gettext_lazy("This week and next"),
    "undated": gettext_lazy("No departure date yet"),
}


def _week_start(day):
    return day - timedelta(days=day.weekday())


def board_queryset(period: str, today=None):
    """Placements preparing to leave in `period` (weeks run Monday to Sunday), the
    soonest first."""
    today = today or timezone.localdate()
    monday = _week_start(today)
    qs = Placement.objects.filter(status=P.PREPARING)
    if period == "undated":
        qs = qs.filter(departure_date__isnull=True)
    else:
        start = monday + timedelta(days=7) if period == "next" else monday
        end = monday + timedelta(days=13 if period in ("next", "both") else 6)
        qs = qs.filter(departure_date__gte=start, departure_date__lte=end)
    return qs.select_related("person", "order", "agency").order_by("departure_date", "pk")


@role_required(*BOARD)
@require_GET
def departures(request: HttpRequest) -> HttpResponse:
    """Who leaves this week (or next), and which step each is missing."""
    period = request.GET.get("period") or "this"
    if period not in PERIODS:
        period = "this"
    only_missing = request.GET.get("missing") == "1"
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        object_type="jobs.placement",
        reason="departures board",
    )
    # The period's placements are read at once (a fortnight of departures is a few
    # hundred at most; BOARD_CAP bounds it), so that "only those missing a step",
    # which reads encrypted fields the database cannot filter on, pages correctly.
    rows = []
    placements = list(board_queryset(period)[:BOARD_CAP])
    names = _destination_names(p.order.destination for p in placements)
    for p in placements:
        missing = service.missing_steps(p)
        if only_missing and not missing:
            continue
        rows.append(
            {
                "placement": p,
                "destination": names.get(p.order.destination, p.order.destination),
                "missing": service.step_words(missing),
            }
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    monday = _week_start(today)
    return render(
        request,
        "jobs/departures.html",
        {
            "page": page,
            "rows": page.object_list,
            "capped": len(placements) >= BOARD_CAP,
            "period": period,
            "periods": list(PERIODS.items()),
            "only_missing": only_missing,
            "week_start": monday,
            "week_end": monday + timedelta(days=6),
        },
    )


# --- the export for the national system -----------------------------------------------------------

EXPORT_STATUSES = ("all", *P.values)


def export_filter(user, status: str = "all", since=None, until=None):
    qs = visible_placements(user)
    if status and status != "all":
        qs = qs.filter(status=status)
    if since:
        qs = qs.filter(departure_date__gte=since)
    if until:
        qs = qs.filter(departure_date__lte=until)
    return export_queryset(qs)


def audit_export(user, qs, fmt: str = "csv") -> None:
    audit_record(
        actor=user,
        action=AuditEvent.Action.EXPORT,
        object_type="jobs.placement",
        reason=f"{fmt} siskop2mi, {qs.count()} rows",
    )


def csv_response(qs) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(qs.iterator(chunk_size=1000)), content_type="text/csv"
    )
    response["Content-Disposition"] = 'attachment; filename="garda-penempatan.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _date_param(raw):
    from datetime import date

    try:
        return date.fromisoformat((raw or "").strip()) if raw else None
    except ValueError:
        return None


@role_required(*BOARD)
@require_GET
def placement_export(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or "all"
    if status not in EXPORT_STATUSES:
        status = "all"
    since, until = request.GET.get("since"), request.GET.get("until")
    if (since and _date_param(since) is None) or (until and _date_param(until) is None):
        # A mistyped date must not widen the export to every placement.
        return HttpResponse(
            _("Give the dates as YYYY-MM-DD, e.g. 2026-12-01."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    qs = export_filter(request.user, status, _date_param(since), _date_param(until))
    audit_export(request.user, qs)
    return csv_response(qs)
