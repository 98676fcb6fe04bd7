"""Outreach pages for staff: the events list, an event (with its status buttons), the
form, the attendance list (audited; CSV too) and the phone-first check-in page with
the walk-in form. Plain forms (POST, redirect): they work without JavaScript."""

import csv
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from garda.accounts.decorators import role_required
from garda.outreach.access import (
    READ_ROLES,
    WRITE_ROLES,
    attendance_read,
    get_event_for,
    may_create,
    may_run,
    visible_events,
)
from garda.outreach.forms import CheckInForm, EventForm, RegistrationForm, StatusForm
from garda.outreach.models import Event, Registration
from garda.outreach.services.events import MOVES, event_create, event_set_status, event_update
from garda.outreach.services.registrations import (
    CheckInRefused,
    RegistrationRefused,
    normalize_code,
    registration_check_in,
    registration_walk_in,
)
from garda.pagination import CappedPaginator
from garda.people.export import safe_cell
from garda.viewutils import add_service_errors

PAGE_SIZE = 25
ATTENDANCE_PAGE_SIZE = 50
READERS = sorted(READ_ROLES)
WRITERS = sorted(WRITE_ROLES)


@role_required(*READERS)
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    events = (
        visible_events(request.user)
        .select_related("campaign", "region", "agency")
        .annotate(
            n_registered=Count("registrations"),
            n_attended=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
        )
        .order_by("-starts_at", "-id")
    )
    if status in Event.Status.values:
        events = events.filter(status=status)
    page = CappedPaginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/event_list.html",
        {
            "page": page,
            "statuses": Event.Status.choices,
            "status": status,
            "may_create": may_create(request.user),
        },
    )


@role_required(*WRITERS)
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = event_create(actor=request.user, data=form.to_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The event is saved. Open it for registration when ready."))
            return redirect("outreach:event_detail", pk=event.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "outreach/event_form.html", {"form": form, "event": None}, status=status)


@role_required(*WRITERS)
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for(request.user, pk, for_write=True)
    form = EventForm(request.POST or None, initial=EventForm.initial_for(event))
    if request.method == "POST" and form.is_valid():
        try:
            event_update(actor=request.user, event=event, data=form.to_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("outreach:event_detail", pk=event.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "outreach/event_form.html", {"form": form, "event": event}, status=status
    )


@role_required(*READERS)
@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for(request.user, pk)
    counts = Registration.objects.filter(event=event).aggregate(
        registered=Count("id"),
        attended=Count("id", filter=Q(checked_in_at__isnull=False)),
        walk_ins=Count("id", filter=Q(channel=Registration.Channel.DOOR)),
    )
    runs = may_run(request.user, event)
    moves = [(s, Event.Status(s).label) for s in MOVES[event.status]] if runs else []
    return render(
        request,
        "outreach/event_detail.html",
        {"event": event, "counts": counts, "may_run": runs, "moves": sorted(moves)},
    )


@role_required(*WRITERS)
@require_POST
def event_status(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for(request.user, pk, for_write=True)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the event."))
    else:
        try:
            event_set_status(actor=request.user, event=event, status=form.cleaned_data["status"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("The event is now %(status)s.") % {"status": event.get_status_display()}
            )
    return redirect("outreach:event_detail", pk=event.pk)


def _registrations(event: Event, which: str):
    found = Registration.objects.filter(event=event).select_related("person")
    if which == "attended":
        found = found.filter(checked_in_at__isnull=False)
    elif which == "absent":
        found = found.filter(checked_in_at__isnull=True)
    return found.order_by("full_name", "id")


@role_required(*READERS)
@require_GET
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The registrants (names, phones): the read is audited."""
    event = get_event_for(request.user, pk)
    which = request.GET.get("which", "")
    attendance_read(request.user, event)
    page = CappedPaginator(_registrations(event, which), ATTENDANCE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "outreach/attendance.html",
        {"event": event, "page": page, "which": which, "may_run": may_run(request.user, event)},
    )


@role_required(*READERS)
@require_GET
def attendance_csv(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for(request.user, pk)
    attendance_read(request.user, event, what="attendance list csv")
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(
        [
            _("Name"),
            _("Phone"),
            _("Registered"),
            _("Registered at"),
            _("Checked in at"),
            _("Registry reference"),
        ]
    )
    for r in _registrations(event, request.GET.get("which", "")):
        writer.writerow(
            [
                safe_cell(r.full_name),
                safe_cell(r.phone),
                r.get_channel_display(),
                r.registered_at.isoformat(timespec="minutes"),
                r.checked_in_at.isoformat(timespec="minutes") if r.checked_in_at else "",
                r.person.reference if r.person_id else "",
            ]
        )
    response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.reference}-hadir.csv"'
    return response


def _check_in_page(request, event, form, walk_in_form, *, done=None, refused=None, status=200):
    return render(
        request,
        "outreach/check_in.html",
        {
            "event": event,
            "form": form,
            "walk_in_form": walk_in_form,
            "done": done,
            "refused": refused,
            "open": event.status == Event.Status.OPEN,
        },
        status=status,
    )


@role_required(*WRITERS)
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """The check-in desk on a phone: a code typed, or opened from a registrant's QR
    code (the URL carries ?code=); one button checks in."""
    event = get_event_for(request.user, pk, for_write=True)
    if request.method == "GET":
        code = normalize_code(request.GET.get("code", ""))
        form = CheckInForm(initial={"code": code} if code else None)
        return _check_in_page(request, event, form, RegistrationForm(prefix="walk"))
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return _check_in_page(request, event, form, RegistrationForm(prefix="walk"), status=422)
    try:
        done = registration_check_in(
            actor=request.user,
            event=event,
            code=form.cleaned_data["code"],
            nik=form.cleaned_data["nik"],
        )
    except CheckInRefused as exc:
        return _check_in_page(
            request,
            event,
            CheckInForm(),
            RegistrationForm(prefix="walk"),
            refused=exc,
            status=exc.status,
        )
    return _check_in_page(request, event, CheckInForm(), RegistrationForm(prefix="walk"), done=done)


@role_required(*WRITERS)
@require_POST
def walk_in(request: HttpRequest, pk: int) -> HttpResponse:
    """At the door: registered and checked in in one step."""
    event = get_event_for(request.user, pk, for_write=True)
    walk_form = RegistrationForm(request.POST, prefix="walk")
    if walk_form.is_valid():
        try:
            done = registration_walk_in(actor=request.user, event=event, data=walk_form.to_data())
        except ValidationError as exc:
            add_service_errors(walk_form, exc)
        except RegistrationRefused as exc:
            walk_form.add_error(None, exc.message)
        except CheckInRefused as exc:
            return _check_in_page(
                request, event, CheckInForm(), walk_form, refused=exc, status=exc.status
            )
        else:
            return _check_in_page(
                request, event, CheckInForm(), RegistrationForm(prefix="walk"), done=done
            )
    return _check_in_page(request, event, CheckInForm(), walk_form, status=422)
