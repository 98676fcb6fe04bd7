"""The trainer's pages: their batches, a batch's roster, attendance per session and
assessments per competency unit (one sheet for the whole class, saved with HTMX or
as a plain form), closing, cancelling, editing and creating batches, no-shows.

A trainer reaches only the batches they teach (access.get_batch_for: 404 and a
denied audit row otherwise) and sees of a trainee only access.TRAINEE_FIELDS.
Registry roles read the roster and the sheets; only a batch's trainers and admins
write them (access.may_teach).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.audit.gate import deny_not_found
from garda.pagination import CappedPaginator
from garda.people.access import REGISTRY_ROLES
from garda.training import access
from garda.training.forms.classroom import BatchEditForm, BatchForm, CancelForm, NoShowForm
from garda.training.models import Assessment, Attendance, Batch, Enrolment, Provider
from garda.training.services.classroom import (
    TRAINEE_ONLY,
    assessments_record,
    attendance_record,
    batch_cancel,
    batch_create,
    batch_update,
    class_enrolments,
)
from garda.training.services.completion import batch_close, completions_of
from garda.viewutils import add_service_errors, is_htmx

TEACH_PAGE_SIZE = 25
TEACHERS = (roles.TRAINER, roles.ADMIN)
READERS = (roles.TRAINER, *sorted(REGISTRY_ROLES))


def _roster_url(batch: Batch) -> str:
    return reverse("training:roster", args=[batch.pk])


def _managed_batch(request: HttpRequest, pk) -> Batch:
    """The batch `pk` if the user may edit or cancel it; else 404, audited."""
    batch = access.get_batch_for(request.user, pk)
    if not access.may_manage_batch(request.user, batch):
        deny_not_found(request.user, "training.batch", pk, "manage")
    return batch


# --- my batches -----------------------------------------------------------------------


@role_required(*TEACHERS)
@require_http_methods(["GET"])
def teach(request: HttpRequest) -> HttpResponse:
    """A trainer's batches (admins: all, by provider), running and upcoming first."""
    user = request.user
    today = timezone.localdate()
    batches = access.visible_batches(user).select_related("course", "provider__agency")
    providers, provider = None, None
    if user.role == roles.ADMIN:
        providers = Provider.objects.select_related("agency").order_by("agency__name")
        raw = request.GET.get("provider") or ""
        provider = (
            providers.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 10 else None
        )
        if provider is not None:
            batches = batches.filter(provider=provider)
    batches = batches.annotate(
        past=Case(
            When(Q(ends_on__lt=today) | Q(cancelled_at__isnull=False), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    ).order_by("past", "starts_on", "code")
    page = CappedPaginator(batches, TEACH_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "training/classroom_teach.html",
        {
            "page": page,
            "today": today,
            "providers": providers,
            "provider": provider,
            "may_create": access.manageable_providers(user).exists(),
        },
    )


# --- creating, editing, cancelling ----------------------------------------------------


@role_required(*TEACHERS)
@require_http_methods(["GET", "POST"])
def batch_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    providers = access.manageable_providers(user)
    form = BatchForm(request.POST or None, providers=providers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = batch_create(actor=user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Batch %(code)s created.") % {"code": batch.code})
            return redirect(_roster_url(batch))
    return render(
        request,
        "training/classroom_batch_form.html",
        {"form": form, "batch": None, "no_provider": not providers.exists()},
    )


def _edit_initial(batch: Batch) -> dict:
    sessions = list(batch.sessions.order_by("number"))
    first = sessions[0] if sessions else None
    return {
        "starts_on": batch.starts_on,
        "ends_on": batch.ends_on,
        "enrol_until": batch.enrol_until,
        "session_days": sorted({str(s.date.weekday()) for s in sessions}),
        "session_start": first.starts_at if first else None,
        "session_end": first.ends_at if first else None,
        "place": batch.place,
        "region": batch.region_id or "",
        "capacity": batch.capacity,
        "is_published": batch.is_published,
        "trainers": list(batch.trainers.all()),
    }


@role_required(*TEACHERS)
@require_http_methods(["GET", "POST"])
def batch_edit(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _managed_batch(request, pk)
    form = BatchEditForm(request.POST or None, batch=batch, initial=_edit_initial(batch))
    if request.method == "POST" and form.is_valid():
        try:
            batch_update(actor=request.user, batch=batch, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Batch saved."))
            return redirect(_roster_url(batch))
    return render(
        request,
        "training/classroom_batch_form.html",
        {"form": form, "batch": batch, "cancel_form": CancelForm()},
    )


@role_required(*TEACHERS)
@require_POST
def batch_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _managed_batch(request, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for cancelling."))
        return redirect(_roster_url(batch))
    try:
        batch = batch_cancel(actor=request.user, batch=batch, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The batch is cancelled and its trainees were told."))
    return redirect(_roster_url(batch))


# --- roster ---------------------------------------------------------------------------


@role_required(*READERS)
@require_http_methods(["GET"])
def roster(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    # The read audited as the API's roster (a VIEW of the batch, "roster").
    batch = access.read_batch_for(user, pk, reason="roster")
    enrolments = list(
        access.roster_of(user, batch)
        .select_related("person")
        .only("id", "batch_id", "status", "reason", "completed_on", "person_id", *TRAINEE_ONLY)
        .order_by("status", "person__full_name", "id")
    )
    completions = completions_of(batch)
    may_teach = access.may_teach(user, batch)
    may_no_show = may_teach or user.role in REGISTRY_ROLES
    for enrolment in enrolments:
        enrolment.completion = completions.get(enrolment.pk)
    today = timezone.localdate()
    is_open = batch.cancelled_at is None and batch.closed_at is None
    return render(
        request,
        "training/classroom_roster.html",
        {
            "batch": batch,
            "enrolments": enrolments,
            "sessions": list(batch.sessions.order_by("number")),
            "units": list(batch.course.course_units.select_related("unit").order_by("order")),
            "today": today,
            "may_teach": may_teach,
            "may_manage": is_open and access.may_manage_batch(user, batch),
            "may_no_show": is_open and may_no_show,
            "may_close": is_open and may_teach and today >= batch.ends_on,
            "cancel_form": CancelForm(),
        },
    )


# --- attendance -----------------------------------------------------------------------


def _attendance_context(request, batch, session, *, marks=None, notice="", error="") -> dict:
    enrolments = list(class_enrolments(batch))
    recorded = dict(
        Attendance.objects.filter(
            session=session, enrolment__in=[e.pk for e in enrolments]
        ).values_list("enrolment_id", "status")
    )
    marks = marks or {}
    for enrolment in enrolments:
        enrolment.mark = marks.get(str(enrolment.pk)) or recorded.get(
            enrolment.pk, Attendance.Status.PRESENT
        )
        enrolment.recorded = enrolment.pk in recorded
    today = timezone.localdate()
    return {
        "batch": batch,
        "session": session,
        "rows": enrolments,
        "statuses": Attendance.Status.choices,
        "may_edit": (
            access.may_teach(request.user, batch)
            and batch.closed_at is None
            and batch.cancelled_at is None
            and session.date <= today
        ),
        "is_future": session.date > today,
        "recorded_count": len(recorded),
        "notice": notice,
        "error": error,
    }


def _submitted(request: HttpRequest, prefix: str) -> dict[str, str]:
    return {
        key[len(prefix) :]: value for key, value in request.POST.items() if key.startswith(prefix)
    }


@role_required(*READERS)
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    user = request.user
    batch = access.get_batch_for(user, pk, for_write=request.method == "POST")
    session = batch.sessions.filter(number=number).first()
    if session is None:
        raise Http404
    url = reverse("training:attendance", args=[batch.pk, session.number])
    notice = error = ""
    marks = None
    if request.method == "POST":
        marks = _submitted(request, "mark-")
        try:
            saved = attendance_record(actor=user, session=session, marks=marks)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            notice = _("Attendance saved for %(n)s trainees.") % {"n": saved}
            marks = None
            if not is_htmx(request):
                messages.success(request, notice)
                return redirect(url)
    else:
        access.attendance_read(user, session)
    context = _attendance_context(request, batch, session, marks=marks, notice=notice, error=error)
    context["url"] = url
    template = (
        "training/_classroom_attendance.html"
        if is_htmx(request)
        else "training/classroom_attendance.html"
    )
    return render(request, template, context)


# --- assessments ----------------------------------------------------------------------


def _assessment_context(request, batch, unit, *, submitted=None, notice="", error="") -> dict:
    enrolments = list(class_enrolments(batch))
    existing = {
        a.enrolment_id: a
        for a in Assessment.objects.filter(
            unit=unit, enrolment__in=[e.pk for e in enrolments]
        ).select_related("assessor")
    }
    submitted = submitted or {}
    for enrolment in enrolments:
        a = existing.get(enrolment.pk)
        row = submitted.get(enrolment.pk)
        enrolment.assessment = a
        enrolment.result = row["result"] if row else (a.result if a else "")
        enrolment.score = row["score"] if row else (a.score if a and a.score is not None else "")
        enrolment.note = row["note"] if row else (a.note if a else "")
    return {
        "batch": batch,
        "unit": unit,
        "rows": enrolments,
        "results": Assessment.Result.choices,
        "today": timezone.localdate(),
        "may_edit": access.may_teach(request.user, batch)
        and batch.closed_at is None
        and batch.cancelled_at is None,
        "notice": notice,
        "error": error,
    }


def _assessment_rows(request: HttpRequest, existing: dict) -> tuple[dict, list[dict]]:
    """What the sheet sent per enrolment, and the rows to save: those with a result
    that differ from what is recorded (re-saving the sheet does not re-date them)."""
    assessed_on = request.POST.get("assessed_on") or ""
    submitted, rows = {}, []
    for key, result in _submitted(request, "result-").items():
        if not key.isdigit() or len(key) > 18:
            raise ValidationError(_("%(id)s is not an enrolment.") % {"id": key}, code="unknown")
        enrolment_id = int(key)
        score = (request.POST.get(f"score-{key}") or "").strip()
        note = (request.POST.get(f"note-{key}") or "").strip()
        submitted[enrolment_id] = {"result": result, "score": score, "note": note}
        if not result:
            continue
        old = existing.get(enrolment_id)
        if old is not None and (
            old.result == result
            and str(old.score if old.score is not None else "") == score
            and old.note == note
        ):
            continue
        rows.append(
            {
                "enrolment_id": enrolment_id,
                "result": result,
                "score": score or None,
                "assessed_on": assessed_on or None,
                "note": note,
            }
        )
    return submitted, rows


@role_required(*READERS)
@require_http_methods(["GET", "POST"])
def assessments(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    user = request.user
    batch = access.get_batch_for(user, pk, for_write=request.method == "POST")
    if not 0 < unit_pk < 2**63:  # a huge id is "not found", not a database overflow
        raise Http404
    course_unit = batch.course.course_units.select_related("unit").filter(unit_id=unit_pk).first()
    if course_unit is None:
        raise Http404
    unit = course_unit.unit
    url = reverse("training:assessments", args=[batch.pk, unit.pk])
    notice = error = ""
    submitted = None
    if request.method == "POST":
        existing = {
            a.enrolment_id: a for a in Assessment.objects.filter(unit=unit, enrolment__batch=batch)
        }
        try:
            submitted, rows = _assessment_rows(request, existing)
            saved = assessments_record(actor=user, batch=batch, unit=unit, rows=rows) if rows else 0
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            notice = _("Results saved for %(n)s trainees.") % {"n": saved}
            submitted = None
            if not is_htmx(request):
                messages.success(request, notice)
                return redirect(url)
    else:
        access.read(user, batch, reason="assessments")
    context = _assessment_context(
        request, batch, unit, submitted=submitted, notice=notice, error=error
    )
    context["url"] = url
    template = (
        "training/_classroom_assessments.html"
        if is_htmx(request)
        else "training/classroom_assessments.html"
    )
    return render(request, template, context)


# --- closing, no-show -----------------------------------------------------------------


@role_required(*TEACHERS)
@require_POST
def batch_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    batch = access.get_batch_for(request.user, pk, for_write=True)
    try:
        result = batch_close(actor=request.user, batch=batch)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_roster_url(batch))
    return render(request, "training/classroom_close.html", {"batch": batch, "result": result})


@role_required(*READERS)
@require_POST
def no_show(request: HttpRequest, pk: int) -> HttpResponse:
    from garda.training.services.enrolment import enrolment_no_show

    user = request.user
    enrolment = access.get_enrolment_for(user, pk)
    if not (user.role in REGISTRY_ROLES or access.may_teach(user, enrolment.batch)):
        deny_not_found(user, "training.enrolment", pk, "no_show")
    form = NoShowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason."))
    elif enrolment.status != Enrolment.Status.ENROLLED:
        messages.error(request, _("Only an enrolled trainee can be marked as a no-show."))
    else:
        try:
            enrolment_no_show(actor=user, enrolment=enrolment, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Marked as a no-show; the seat is free."))
    return redirect(_roster_url(enrolment.batch))
