"""A person's accompaniment page for staff: accompanying officers (assign/remove for
supervisors and admins, "take this person" for an officer when nobody accompanies
them), tasks and appointments (HTMX complete/cancel), the contact log and the
timeline; the readiness summary PDF.

Officers, supervisors and admins reach the page of anyone in the registry, but an
officer who does not accompany the person sees only who does (as on the registry
profile). Each swappable region is its own partial, used by the page and by the
HTMX answer alike.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from garda.accompaniment.access import (
    ACCOMPANY_ROLES,
    ASSIGNING_ROLES,
    get_accompanied_person_for,
    get_task_for,
    manageable_officers,
    may_accompany,
    may_change_task,
    read_accompanied_person_for,
    visible_tasks,
)
from garda.accompaniment.forms import AssignmentForm, ContactForm, RescheduleForm, TaskForm
from garda.accompaniment.models import Task
from garda.accompaniment.pdf import render_summary, summary_filename, summary_for
from garda.accompaniment.services import (
    TaskVersionConflict,
    assignment_add,
    assignment_remove,
    contact_log,
    task_cancel,
    task_complete,
    task_create,
    task_reschedule,
)
from garda.accompaniment.timeline import timeline_page
from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.accounts.models import User
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.people.access import get_person_for, person_read
from garda.people.models import Person
from garda.viewutils import add_service_errors, is_htmx

CLOSED_TASKS_SHOWN = 10
STAFF_ROLES = tuple(sorted(ACCOMPANY_ROLES))


# --- context builders ----------------------------------------------------------------


def _task_officers(user: User, person: Person):
    """Whom the task form offers: None for an officer (the task is theirs); for a
    supervisor or an admin, the person's officers they manage."""
    if user.role == roles.OFFICER:
        return None
    return manageable_officers(user).filter(assignments__person=person)


def tasks_context(user: User, person: Person, *, notice: str = "", error: str = "") -> dict:
    tasks = visible_tasks(user).filter(person=person).select_related("officer", "done_by")
    open_ = list(tasks.filter(done_at__isnull=True, cancelled_at__isnull=True).order_by("due_at"))
    closed = list(
        tasks.exclude(done_at__isnull=True, cancelled_at__isnull=True).order_by("-due_at")[
            :CLOSED_TASKS_SHOWN
        ]
    )
    now = timezone.now()
    for task in open_:
        task.is_overdue = task.due_at < now
        task.may_change = may_change_task(user, task)
    return {
        "person": person,
        "open_tasks": open_,
        "closed_tasks": closed,
        "tasks_notice": notice,
        "tasks_error": error,
    }


def assignments_context(user: User, person: Person, *, form: AssignmentForm | None = None) -> dict:
    assignments = list(
        person.assignments.select_related("officer__agency", "assigned_by").order_by(
            "assigned_at", "id"
        )
    )
    assigned_ids = {a.officer_id for a in assignments}
    may_assign = user.role in ASSIGNING_ROLES
    if may_assign and form is None:
        form = AssignmentForm(
            officers=manageable_officers(user).exclude(pk__in=assigned_ids).order_by("full_name")
        )
    for assignment in assignments:
        assignment.may_remove = may_assign and (
            user.role == roles.ADMIN or assignment.officer.agency_id == user.agency_id
        )
    return {
        "person": person,
        "assignments": assignments,
        "assignment_form": form if may_assign else None,
        "may_take": user.role == roles.OFFICER and not assignments,
    }


def _render_page(
    request: HttpRequest,
    person: Person,
    *,
    task_form: TaskForm | None = None,
    contact_form: ContactForm | None = None,
    assignment_form: AssignmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The accompaniment page; showing it is a VIEW of the person, audited."""
    user = request.user
    person_read(user, person, reason="accompaniment")
    full = may_accompany(user, person)
    context = {
        "person": person,
        "full": full,
        **assignments_context(user, person, form=assignment_form),
    }
    if full:
        if task_form is None:
            task_form = TaskForm(officers=_task_officers(user, person))
        if contact_form is None:
            contact_form = ContactForm(
                initial={"happened_at": timezone.localtime().replace(second=0, microsecond=0)}
            )
        page, entries = timeline_page(user, person, 1)
        context.update(
            tasks_context(user, person),
            task_form=task_form,
            contact_form=contact_form,
            timeline_page=page,
            entries=entries,
            may_pdf=True,
        )
    return render(request, "accompaniment/person.html", context, status=status)


# --- the page -------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_GET
def person_page(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for(request.user, pk)
    return _render_page(request, person)


@role_required(*STAFF_ROLES)
@require_GET
def timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """The timeline (HTMX: the section alone, for "older entries")."""
    person = read_accompanied_person_for(request.user, pk, reason="timeline")
    page, entries = timeline_page(request.user, person, request.GET.get("page"))
    context = {"person": person, "timeline_page": page, "entries": entries}
    template = "accompaniment/_timeline.html" if is_htmx(request) else "accompaniment/timeline.html"
    return render(request, template, context)


# --- assignments ----------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_POST
def assignment_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Supervisors and admins assign an officer; an officer takes an unaccompanied
    person (the form's officer is then themself)."""
    user = request.user
    person = get_person_for(user, pk)
    if user.role == roles.OFFICER:
        try:
            assignment_add(actor=user, person=person, officer=user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("You now accompany this person."))
        return redirect("accompaniment:person", pk=person.pk)
    form = AssignmentForm(request.POST, officers=manageable_officers(user))
    if form.is_valid():
        try:
            assignment_add(actor=user, person=person, officer=form.cleaned_data["officer"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Officer assigned."))
            return redirect("accompaniment:person", pk=person.pk)
    return _render_page(request, person, assignment_form=form)


@role_required(*sorted(ASSIGNING_ROLES))
@require_POST
def assignment_remove_view(request: HttpRequest, pk: int, officer_pk: int) -> HttpResponse:
    person = get_person_for(request.user, pk)
    assignment = (
        person.assignments.select_related("officer__agency", "person")
        .filter(officer_id=officer_pk)
        .first()
    )
    if assignment is None:
        raise Http404
    try:
        assignment_remove(actor=request.user, assignment=assignment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The officer no longer accompanies this person."))
    return redirect("accompaniment:person", pk=person.pk)


# --- tasks ----------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_POST
def task_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = get_accompanied_person_for(user, pk)
    form = TaskForm(request.POST, officers=_task_officers(user, person))
    if form.is_valid():
        data = form.cleaned_data
        try:
            task_create(
                actor=user,
                person=person,
                officer=data.get("officer"),
                kind=data["kind"],
                title=data["title"],
                due_at=data["due_at"],
                place=data["place"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved: it is on the list of tasks and appointments."))
            return redirect(f"{reverse('accompaniment:person', args=[person.pk])}#tasks")
    return _render_page(request, person, task_form=form)


def _after_task_change(request: HttpRequest, task: Task, *, notice="", error="") -> HttpResponse:
    if is_htmx(request):
        return render(
            request,
            "accompaniment/_tasks.html",
            tasks_context(request.user, task.person, notice=notice, error=error),
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, notice)
    return redirect(f"{reverse('accompaniment:person', args=[task.person_id])}#tasks")


def _task_step(request: HttpRequest, pk: int, service, *, notice: str) -> HttpResponse:
    """One step of a task's life (`service`: complete, cancel), then back to the tasks
    with `notice`, or with the service's refusal."""
    task = get_task_for(request.user, pk, for_write=True)
    try:
        service(actor=request.user, task=task)
    except ValidationError as exc:
        return _after_task_change(request, task, error=" ".join(exc.messages))
    return _after_task_change(request, task, notice=notice)


@role_required(*STAFF_ROLES)
@require_POST
def task_complete_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_step(request, pk, task_complete, notice=_("Marked as done."))


@role_required(*STAFF_ROLES)
@require_POST
def task_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_step(request, pk, task_cancel, notice=_("Cancelled."))


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def task_reschedule_view(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for(request.user, pk, for_write=True)
    initial = {
        "due_at": timezone.localtime(task.due_at),
        "place": task.place,
        "version": task.version,
    }
    form = RescheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            task_reschedule(
                actor=request.user,
                task=task,
                due_at=form.cleaned_data["due_at"],
                place=form.cleaned_data["place"],
                version=form.cleaned_data["version"],
            )
        except TaskVersionConflict as exc:
            data = request.POST.copy()
            data["version"] = str(exc.current.version)
            form = RescheduleForm(data, initial=initial)
            form.is_valid()
            form.add_error(
                None,
                ValidationError(
                    _(
                        "Someone else changed this task since you opened it (now due "
                        "%(when)s). Check, then save again to keep your time."
                    )
                    % {
                        "when": date_format(
                            timezone.localtime(exc.current.due_at), "DATETIME_FORMAT"
                        )
                    },
                    code="version_conflict",
                ),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Moved to the new time."))
            return redirect(f"{reverse('accompaniment:person', args=[task.person_id])}#tasks")
    return render(request, "accompaniment/reschedule.html", {"form": form, "task": task})


# --- contacts -------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_POST
def contact_log_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_accompanied_person_for(request.user, pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            contact_log(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Contact recorded."))
            return redirect(f"{reverse('accompaniment:person', args=[person.pk])}#timeline")
    return _render_page(request, person, contact_form=form)


# --- the PDF --------------------------------------------------------------------------


def pdf_response(request: HttpRequest, person: Person) -> HttpResponse:
    """The readiness summary of `person` as a download, audited as an export."""
    summary = summary_for(person, viewer=getattr(request, "auth", None) or request.user)
    content = render_summary(summary)
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        target=person,
        reason="readiness summary pdf",
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{summary_filename(summary)}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(*STAFF_ROLES)
@require_GET
def summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff print the summary for a person whose accompaniment they may see."""
    return pdf_response(request, get_accompanied_person_for(request.user, pk))
