"""The actions on a case from its page (POST, then back to the case): moves and
closing, assignment, severity, reopening, duplicates, the person concerned, notes,
tasks, services, screening rounds, files and closing approvals.

Each reads the case through `cases/access.py` (for_write: 404 and a denied row for a
case the user may not handle) and writes through a service, which checks the finer
rights (a supervisor's action refused to an officer is a 403 with a denied row). A form
with a mistake shows the case page again with the message at the field; the
workflow's refusals come back as a message on the page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from garda.accompaniment.access import manageable_officers
from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.audit.gate import deny
from garda.cases import display, workflow
from garda.cases.access import get_case_for, get_case_part_for, may_manage, visible_cases
from garda.cases.forms import (
    ApprovalForm,
    MoveForm,
    NoteForm,
    ReasonForm,
    ScreeningForm,
    ServiceForm,
    SeverityForm,
    TaskForm,
)
from garda.cases.models import Approval, Case, CaseTask, Service, Stage, Status
from garda.cases.services import handling, intake, record
from garda.cases.services.common import VersionConflict
from garda.cases.views.staff import (
    STAFF_ROLES,
    AssignForm,
    DocumentForm,
    DuplicateForm,
    render_detail,
)
from garda.documents import files as upload_files
from garda.viewutils import add_service_errors


def _back(case: Case, anchor: str = "") -> HttpResponse:
    url = reverse("cases:detail", args=[case.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def skip_message(case: Case, exc: workflow.SkippedStage) -> str:
    """A refused move in words: where the case may go from here."""
    current = exc.current or case.stage
    if case.status == Status.DUPLICATE:
        return _("This case is recorded as a duplicate: it does not move any more.")
    if current == Stage.CLOSED or exc.wanted == "reopen":
        if exc.wanted == "reopen":
            return _("Only a closed case can be reopened.")
        return _("This case is closed: reopen it first.")
    order = list(workflow.STAGES)
    allowed = sorted(workflow.allowed(current), key=order.index)
    names = ", ".join(display.stage_label(s) for s in allowed)
    message = _(
        "A stage cannot be skipped: from %(current)s the case can only move to %(allowed)s."
    ) % {
        "current": display.stage_label(current),
        "allowed": names,
    }
    if exc.wanted == Stage.CLOSED:
        message += " " + _("Closing early needs one of the closing reasons.")
    return message


def _run(
    request: HttpRequest,
    case: Case,
    action,
    *,
    success: str,
    anchor: str,
    form=None,
    form_name: str = "",
) -> HttpResponse:
    """Call the service; map its refusals to messages (or to the form's fields)."""
    try:
        action()
    except workflow.SkippedStage as exc:
        messages.error(request, skip_message(case, exc))
    except VersionConflict:
        messages.error(
            request,
            _("The case was changed by someone else meanwhile: check it below, then try again."),
        )
    except handling.ApprovalPending:
        messages.info(
            request,
            _(
                "Closing this case needs a supervisor's approval: the request was sent to the "
                "supervisors of the agency."
            ),
        )
    except ValidationError as exc:
        named = set(getattr(exc, "error_dict", {})) & set(form.fields if form else ())
        if not named:
            # Nothing the form can point at (a request already decided, a case that is
            # not triaged yet): said as a message at the top of the case.
            messages.error(request, " ".join(exc.messages))
        else:
            add_service_errors(form, exc)
            return render_detail(request, case, status=400, **{form_name: form})
    else:
        messages.success(request, success)
    return _back(case, anchor)


def _invalid(request: HttpRequest, case: Case, form_name: str, form) -> HttpResponse:
    return render_detail(request, case, status=400, **{form_name: form})


# --- the workflow -------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    """One step of the workflow (the "close" form posts here too, with its prefix)."""
    case = get_case_for(request.user, pk, for_write=True)
    closing = "close-stage" in request.POST
    form = MoveForm(request.POST, prefix="close" if closing else None)
    name = "close_form" if closing else "move_form"
    if closing:
        form.fields["closing_reason"].required = True
    if not form.is_valid():
        return _invalid(request, case, name, form)
    data = form.cleaned_data
    return _run(
        request,
        case,
        lambda: handling.case_move(
            actor=request.user,
            case=case,
            stage=data["stage"],
            reason=data["reason"],
            version=data["version"],
            closing_reason=data["closing_reason"] or "",
        ),
        success=_("Moved to %(stage)s.") % {"stage": display.stage_label(data["stage"])},
        anchor="actions",
        form=form,
        form_name=name,
    )


@role_required(*STAFF_ROLES)
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    """A supervisor (or an admin) gives the case to one of their officers; an officer
    takes a triaged case nobody holds (the form is then just a button)."""
    user = request.user
    case = get_case_for(user, pk, for_write=True)
    if user.role == roles.OFFICER:
        return _run(
            request,
            case,
            lambda: handling.case_assign(actor=user, case=case, officer=user, reason=_("taken")),
            success=_("The case is now yours."),
            anchor="actions",
        )
    form = AssignForm(request.POST, officers=manageable_officers(user))
    if not form.is_valid():
        return _invalid(request, case, "assign_form", form)
    officer = form.cleaned_data["officer"]
    return _run(
        request,
        case,
        lambda: handling.case_assign(
            actor=user, case=case, officer=officer, reason=form.cleaned_data["reason"]
        ),
        success=_("The case is now held by %(name)s.")
        % {"name": officer.full_name or officer.email},
        anchor="actions",
        form=form,
        form_name="assign_form",
    )


@role_required(*STAFF_ROLES)
@require_POST
def severity(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, for_write=True)
    if not may_manage(request.user, case):
        deny(request.user, "cases.case_severity_change", target=case)
    form = SeverityForm(request.POST)
    if not form.is_valid():
        return _invalid(request, case, "severity_form", form)
    data = form.cleaned_data
    return _run(
        request,
        case,
        lambda: handling.case_severity_change(
            actor=request.user, case=case, severity=data["severity"], reason=data["reason"]
        ),
        success=_("Severity set to %(severity)s; the deadlines follow it.")
        % {"severity": display.severity_label(data["severity"])},
        anchor="summary",
        form=form,
        form_name="severity_form",
    )


@role_required(*STAFF_ROLES)
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, for_write=True)
    form = ReasonForm(request.POST, prefix="reopen")
    if not form.is_valid():
        return _invalid(request, case, "reopen_form", form)
    return _run(
        request,
        case,
        lambda: handling.case_reopen(
            actor=request.user, case=case, reason=form.cleaned_data["reason"]
        ),
        success=_("The case is open again."),
        anchor="actions",
        form=form,
        form_name="reopen_form",
    )


@role_required(*STAFF_ROLES)
@require_POST
def duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    case = get_case_for(user, pk, for_write=True)
    form = DuplicateForm(request.POST)
    if not form.is_valid():
        return _invalid(request, case, "duplicate_form", form)
    reference = form.cleaned_data["reference"].strip().upper()
    other = visible_cases(user).filter(reference=reference).first()
    if other is None:
        form.add_error(
            "reference", _("No case with this number that you may handle: check the number.")
        )
        return _invalid(request, case, "duplicate_form", form)
    return _run(
        request,
        case,
        lambda: handling.case_mark_duplicate(
            actor=user, case=case, of_case=other, reason=form.cleaned_data["reason"]
        ),
        success=_("Recorded as a duplicate of %(reference)s.") % {"reference": other.reference},
        anchor="actions",
        form=form,
        form_name="duplicate_form",
    )


@role_required(*STAFF_ROLES)
@require_POST
def link_person(request: HttpRequest, pk: int) -> HttpResponse:
    """Link the case to a registry person (a suggestion the officer confirms), or add
    the person to the registry as provisional from the NIK the reporter gave."""
    from garda.people.access import get_person_for

    user = request.user
    case = get_case_for(user, pk, for_write=True)
    if request.POST.get("mode") == "register":
        return _run(
            request,
            case,
            lambda: intake.case_register_person(actor=user, case=case),
            success=_("Added to the registry as a provisional record and linked to the case."),
            anchor="person",
        )
    person = get_person_for(user, request.POST.get("person"))
    return _run(
        request,
        case,
        lambda: intake.case_link_person(actor=user, case=case, person=person),
        success=_("The case is linked to %(name)s.") % {"name": person.full_name},
        anchor="person",
    )


# --- what is written on a case --------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, for_write=True)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _invalid(request, case, "note_form", form)
    shared = form.cleaned_data["shared"]
    return _run(
        request,
        case,
        lambda: record.note_add(
            actor=request.user, case=case, text=form.cleaned_data["text"], shared=shared
        ),
        success=_("Note saved and shared with the worker and the reporter.")
        if shared
        else _("Internal note saved (officers only)."),
        anchor="notes",
        form=form,
        form_name="note_form",
    )


@role_required(*STAFF_ROLES)
@require_POST
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, for_write=True)
    form = TaskForm(request.POST)
    if not form.is_valid():
        return _invalid(request, case, "task_form", form)
    return _run(
        request,
        case,
        lambda: record.task_add(
            actor=request.user,
            case=case,
            title=form.cleaned_data["title"],
            due_at=form.cleaned_data["due_at"],
        ),
        success=_("Task saved."),
        anchor="tasks",
        form=form,
        form_name="task_form",
    )


def _child_for(user, model, pk, what: str):
    """A task, service or approval of a case `user` may handle; else 404 (denied row)."""
    return get_case_part_for(user, model, pk, what=what)


@role_required(*STAFF_ROLES)
@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    task = _child_for(request.user, CaseTask, pk, "cases.task_done")
    record.task_done(actor=request.user, task=task)
    messages.success(request, _("Task marked as done."))
    return _back(task.case, "tasks")


@role_required(*STAFF_ROLES)
@require_POST
def service_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, for_write=True)
    form = ServiceForm(request.POST)
    if not form.is_valid():
        return _invalid(request, case, "service_form", form)
    data = form.cleaned_data
    return _run(
        request,
        case,
        lambda: record.service_plan(
            actor=request.user,
            case=case,
            type=data["type"],
            timeframe=data["timeframe"],
            due_on=data["due_on"],
            provider=data["provider"],
            note=data["note"],
        ),
        success=_("Service planned."),
        anchor="services",
        form=form,
        form_name="service_form",
    )


@role_required(*STAFF_ROLES)
@require_POST
def service_done(request: HttpRequest, pk: int) -> HttpResponse:
    service = _child_for(request.user, Service, pk, "cases.service_done")
    record.service_done(actor=request.user, service=service)
    messages.success(request, _("Service marked as provided."))
    return _back(service.case, "services")


@role_required(*STAFF_ROLES)
@require_POST
def screening(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, for_write=True)
    form = ScreeningForm(request.POST, prefix="s")
    if not form.is_valid():
        return _invalid(request, case, "screening_form", form)
    answers = form.answers()
    return _run(
        request,
        case,
        lambda: record.screening_record(actor=request.user, case=case, answers=answers),
        success=_("Screening recorded."),
        anchor="screening",
        form=form,
        form_name="screening_form",
    )


@role_required(*STAFF_ROLES)
@csrf_exempt  # the upload handler is set before the body is read; see _document_add
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A file on the case, checked as the documents app checks uploads (size first,
    before the body is read; the type from the bytes; images re-encoded)."""
    return upload_files.page_upload_refusal(request) or _document_add(request, pk)


@csrf_protect
def _document_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, for_write=True)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid(request, case, "document_form", form)
    try:
        (clean,) = upload_files.clean_uploads([form.cleaned_data["file"]])
        record.document_add(
            actor=request.user,
            case=case,
            title=form.cleaned_data["title"],
            data=clean.data,
            content_type=clean.content_type,
        )
    except ValidationError as exc:
        status = 413 if upload_files.is_too_large(exc) else 400
        if hasattr(exc, "error_dict"):
            add_service_errors(form, exc)
        else:
            form.add_error("file", exc)
        return render_detail(request, case, status=status, document_form=form)
    messages.success(request, _("File added to the case."))
    return _back(case, "documents")


# --- closing approvals --------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_POST
def approval_decide(request: HttpRequest, pk: int) -> HttpResponse:
    approval = _child_for(request.user, Approval, pk, "cases.approval_decide")
    case = approval.case
    if not may_manage(request.user, case):
        deny(request.user, "cases.approval_decide", target=case)
    form = ApprovalForm(request.POST)
    if not form.is_valid():
        return _invalid(request, case, "approval_form", form)
    approve = form.cleaned_data["approve"]
    return _run(
        request,
        case,
        lambda: handling.approval_decide(
            actor=request.user,
            approval=approval,
            approve=approve,
            comment=form.cleaned_data["comment"],
        ),
        success=_("Closing approved: the case is closed.")
        if approve
        else _("Closing not approved: the officer is told why."),
        anchor="actions",
        form=form,
        form_name="approval_form",
    )
