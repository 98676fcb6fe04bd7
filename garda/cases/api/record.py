"""The cases API for staff, part two: what is written on a case besides its workflow
(notes, screening rounds, tasks, planned services) and its timeline. Reads go through
`access.read_case_for` (audited), writes through `services.record`."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from garda.accompaniment.access import officers
from garda.accounts.access import ensure_role
from garda.cases import screening
from garda.cases.access import get_case_for, get_case_part_for, read_case_for
from garda.cases.api.cases import STAFF, field_error
from garda.cases.models import (
    Approval,
    CaseDocument,
    CaseTask,
    Clock,
    Escalation,
    Note,
    Screening,
    Service,
    Severity,
    SeverityChange,
    Stage,
    StageChange,
)
from garda.cases.schemas import (
    CaseTaskIn,
    CaseTaskOut,
    CaseTimelineEntryOut,
    NoteIn,
    NoteOut,
    ScreeningIn,
    ScreeningOut,
    ServiceIn,
    ServiceOut,
)
from garda.cases.services import record
from garda.pagination import Pagination

router = Router(tags=["cases"])

TIMELINE_LIMIT = 200  # entries of each kind, newest first


# --- notes ----------------------------------------------------------------------------


@router.get(
    "/cases/{case_id}/notes",
    response=list[NoteOut],
    summary="A case's notes, internal and shared, newest first",
)
@paginate(Pagination, page_size=25)
def case_note_list(request: HttpRequest, case_id: int):
    ensure_role(request.auth, *STAFF, what="api case_note_list")
    case = read_case_for(request.auth, case_id, reason="notes")
    return case.notes.select_related("author").order_by("-created_at", "-id")


@router.post(
    "/cases/{case_id}/notes",
    response={201: NoteOut},
    summary="Add a note (internal, or shared with the worker and the reporter)",
)
def case_note_add(request: HttpRequest, case_id: int, payload: NoteIn):
    ensure_role(request.auth, *STAFF, what="api case_note_add")
    case = get_case_for(request.auth, case_id, for_write=True)
    note = record.note_add(actor=request.auth, case=case, text=payload.text, shared=payload.shared)
    return Status(201, note)


# --- screening ------------------------------------------------------------------------


@router.post(
    "/cases/{case_id}/screening",
    response={201: ScreeningOut},
    summary="Record a round of the forced-labour screening (the severity may rise)",
)
def case_screening(request: HttpRequest, case_id: int, payload: ScreeningIn):
    ensure_role(request.auth, *STAFF, what="api case_screening")
    case = get_case_for(request.auth, case_id, for_write=True)
    row = record.screening_record(actor=request.auth, case=case, answers=payload.answers)
    return Status(
        201,
        {
            "id": row.pk,
            "level": row.level,
            "indicators": row.indicators,
            "asked_at": row.asked_at,
            "severity": row.case.severity,
            "task_force": row.case.task_force,
        },
    )


# --- tasks ----------------------------------------------------------------------------


@router.get("/cases/{case_id}/tasks", response=list[CaseTaskOut], summary="A case's tasks")
@paginate(Pagination, page_size=25)
def case_task_list(request: HttpRequest, case_id: int):
    ensure_role(request.auth, *STAFF, what="api case_task_list")
    case = read_case_for(request.auth, case_id, reason="tasks")
    return case.tasks.select_related("assignee").order_by("done_at", "due_at", "id")


@router.post(
    "/cases/{case_id}/tasks", response={201: CaseTaskOut}, summary="Add a task with a due time"
)
def case_task_add(request: HttpRequest, case_id: int, payload: CaseTaskIn):
    ensure_role(request.auth, *STAFF, what="api case_task_add")
    case = get_case_for(request.auth, case_id, for_write=True)
    assignee = None
    if payload.assignee_id is not None and payload.assignee_id != request.auth.pk:
        # Which officer may be given the task is the service's rule (same agency).
        assignee = officers().filter(pk=payload.assignee_id).first()
        if assignee is None:
            raise field_error(
                "assignee_id", _("Choose an active officer (Pasukan Putih)."), "not_an_officer"
            )
    task = record.task_add(
        actor=request.auth,
        case=case,
        title=payload.title,
        due_at=payload.due_at,
        assignee=assignee,
    )
    return Status(201, task)


@router.post("/case-tasks/{task_id}/done", response=CaseTaskOut, summary="Mark a case's task done")
def case_task_done(request: HttpRequest, task_id: int):
    ensure_role(request.auth, *STAFF, what="api case_task_done")
    task = get_case_part_for(request.auth, CaseTask, task_id, what="api case_task_done")
    return record.task_done(actor=request.auth, task=task)


# --- services -------------------------------------------------------------------------


@router.get(
    "/cases/{case_id}/services",
    response=list[ServiceOut],
    summary="The services planned on a case",
)
@paginate(Pagination, page_size=25)
def case_service_list(request: HttpRequest, case_id: int):
    ensure_role(request.auth, *STAFF, what="api case_service_list")
    case = read_case_for(request.auth, case_id, reason="services")
    return case.services.order_by("done_at", "due_at", "id")


@router.post(
    "/cases/{case_id}/services",
    response={201: ServiceOut},
    summary="Plan a service (legal aid, shelter, medical care...) due within a time or by a date",
)
def case_service_add(request: HttpRequest, case_id: int, payload: ServiceIn):
    ensure_role(request.auth, *STAFF, what="api case_service_add")
    case = get_case_for(request.auth, case_id, for_write=True)
    service = record.service_plan(
        actor=request.auth,
        case=case,
        type=payload.type,
        timeframe=payload.timeframe,
        due_on=payload.due_on,
        provider=payload.provider,
        note=payload.note,
    )
    return Status(201, service)


@router.post(
    "/case-services/{service_id}/done", response=ServiceOut, summary="Mark a service given"
)
def case_service_done(request: HttpRequest, service_id: int):
    ensure_role(request.auth, *STAFF, what="api case_service_done")
    service = get_case_part_for(request.auth, Service, service_id, what="api case_service_done")
    return record.service_done(actor=request.auth, service=service)


# --- timeline -------------------------------------------------------------------------


def _name(user) -> str:
    return (user.full_name or user.email) if user is not None else ""


def timeline_entries(case) -> list[dict]:
    """Everything that happened on `case`, newest first (each kind capped at
    TIMELINE_LIMIT): moves, severity changes, screening rounds, notes, tasks,
    services, approvals, escalations and documents."""
    limit = TIMELINE_LIMIT
    entries: list[dict] = []

    def add(at, kind, text, actor=None):
        entries.append({"at": at, "kind": kind, "text": str(text), "actor": _name(actor)})

    for row in (
        StageChange.objects.filter(case=case).select_related("actor").order_by("-at")[:limit]
    ):
        to = Stage(row.to_stage).label
        if row.from_stage:
            text = _("%(from)s → %(to)s") % {"from": Stage(row.from_stage).label, "to": to}
        else:
            text = _("Case opened: %(to)s") % {"to": to}
        add(row.at, "stage", f"{text}: {row.reason}" if row.reason else text, row.actor)
    for row in (
        SeverityChange.objects.filter(case=case).select_related("actor").order_by("-at")[:limit]
    ):
        text = _("Severity %(from)s → %(to)s") % {
            "from": Severity(row.from_severity).label,
            "to": Severity(row.to_severity).label,
        }
        add(row.at, "severity", f"{text}: {row.reason}", row.actor)
    for row in (
        Screening.objects.filter(case=case).select_related("asked_by").order_by("-asked_at")[:limit]
    ):
        add(
            row.asked_at,
            "screening",
            _("Screening: %(level)s") % {"level": screening.LEVEL_LABELS.get(row.level, row.level)},
            row.asked_by,
        )
    for row in (
        Note.objects.filter(case=case).select_related("author").order_by("-created_at")[:limit]
    ):
        kind = "message" if row.from_reporter else ("shared_note" if row.shared else "note")
        add(row.created_at, kind, row.text, row.author)
    for row in (
        CaseTask.objects.filter(case=case)
        .select_related("created_by")
        .order_by("-created_at")[:limit]
    ):
        add(row.created_at, "task", _("Task: %(title)s") % {"title": row.title}, row.created_by)
    for row in (
        Service.objects.filter(case=case)
        .select_related("created_by")
        .order_by("-created_at")[:limit]
    ):
        add(
            row.created_at,
            "service",
            _("Service planned: %(type)s") % {"type": Service.Type(row.type).label},
            row.created_by,
        )
    for row in (
        Approval.objects.filter(case=case)
        .select_related("requested_by")
        .order_by("-requested_at")[:limit]
    ):
        add(
            row.requested_at,
            "approval",
            _("Closing asked: %(decision)s") % {"decision": Approval.Decision(row.decision).label},
            row.requested_by,
        )
    for row in Escalation.objects.filter(case=case).order_by("-at")[:limit]:
        add(
            row.at,
            "escalation",
            _("Overdue: %(clock)s (level %(level)s)")
            % {"clock": Clock.Name(row.clock).label, "level": row.level},
        )
    for row in (
        CaseDocument.objects.filter(case=case)
        .select_related("uploaded_by")
        .order_by("-uploaded_at")[:limit]
    ):
        add(row.uploaded_at, "document", row.title, row.uploaded_by)
    entries.sort(key=lambda e: e["at"], reverse=True)
    return entries


@router.get(
    "/cases/{case_id}/timeline",
    response=list[CaseTimelineEntryOut],
    summary="Everything that happened on a case, newest first",
)
def case_timeline(request: HttpRequest, case_id: int):
    ensure_role(request.auth, *STAFF, what="api case_timeline")
    case = read_case_for(request.auth, case_id, reason="timeline")
    return timeline_entries(case)
