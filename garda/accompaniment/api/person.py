"""The accompaniment API: assignments, tasks and appointments, contacts and the
timeline here; the worklist, workload, PDF and the worker's own in api/worklist.py
(both combined in api/__init__.py). The same access functions and services as the pages;
errors in the project's one format."""

from datetime import datetime
from typing import Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from garda.accompaniment.access import (
    ACCOMPANY_ROLES,
    ASSIGNING_ROLES,
    get_accompanied_person_for,
    get_officer_for,
    get_task_for,
    officers,
    read_accompanied_person_for,
    visible_tasks,
)
from garda.accompaniment.api.worklist import AccompanimentPageIn
from garda.accompaniment.models import Contact
from garda.accompaniment.services import (
    TaskVersionConflict,
    assignment_add,
    assignment_remove,
    assignments_reassign,
    contact_log,
    task_cancel,
    task_complete,
    task_create,
    task_reschedule,
)
from garda.accompaniment.timeline import timeline_page
from garda.accounts import roles
from garda.accounts.access import ensure_role
from garda.accounts.models import User
from garda.apiutils import error_body
from garda.pagination import Pagination
from garda.people.access import get_person_for
from garda.people.models import Assignment

router = Router(tags=["accompaniment"])

STAFF = tuple(sorted(ACCOMPANY_ROLES))
ASSIGNERS = tuple(sorted(ASSIGNING_ROLES))


def _renamed(exc: DjangoValidationError, names: dict[str, str]) -> DjangoValidationError:
    """A service's error keyed by the API's field names (officer -> officer_id)."""
    if not hasattr(exc, "error_dict"):
        return exc
    return DjangoValidationError({names.get(k, k): v for k, v in exc.error_dict.items()})


def _officer_or_error(officer_id: int, field: str) -> User:
    officer = officers().filter(pk=officer_id).first()
    if officer is None:
        raise DjangoValidationError(
            {
                field: DjangoValidationError(
                    _("Choose an active officer (Pasukan Putih)."), code="not_an_officer"
                )
            }
        )
    return officer


# --- schemas --------------------------------------------------------------------------


class OfficerOut(Schema):
    id: int
    full_name: str
    email: str
    phone: str
    agency_id: int | None
    agency: str

    @staticmethod
    def resolve_agency(obj) -> str:
        return obj.agency.short_name if obj.agency_id else ""


class AssignmentOut(Schema):
    id: int
    officer: OfficerOut
    assigned_at: datetime
    assigned_by_id: int | None


class AssignmentIn(Schema):
    officer_id: int


class ReassignIn(Schema):
    from_officer_id: int
    to_officer_id: int
    person_ids: list[int] | None = Field(
        None, description="Only these persons; all of the officer's persons when absent"
    )


class ReassignOut(Schema):
    moved: int


class TaskOut(Schema):
    id: int
    person_id: int
    officer_id: int
    kind: str
    title: str
    place: str
    due_at: datetime
    note: str
    state: str
    overdue: bool
    done_at: datetime | None
    cancelled_at: datetime | None
    version: int

    @staticmethod
    def resolve_state(obj) -> str:
        if obj.done_at:
            return "done"
        return "cancelled" if obj.cancelled_at else "open"

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.done_at is None and obj.cancelled_at is None and obj.due_at < timezone.now()


class TaskIn(Schema):
    kind: Literal["task", "appointment"] = "task"
    title: str = Field(min_length=1, max_length=200)
    due_at: datetime
    place: str = Field("", max_length=200)
    note: str = Field("", max_length=5000)
    officer_id: int | None = Field(None, description="Default: the calling officer")


class RescheduleIn(Schema):
    due_at: datetime
    place: str | None = Field(None, max_length=200)
    version: int | None = Field(None, description="The version read; a stale one is a 409")


class TaskFilter(Schema):
    state: Literal["open", "closed", "all"] = "open"


class ContactIn(Schema):
    channel: Contact.Channel
    summary: str = Field(min_length=1, max_length=5000)
    happened_at: datetime | None = None


class ContactOut(Schema):
    id: int
    person_id: int
    officer_id: int
    officer_name: str
    channel: str
    happened_at: datetime
    summary: str

    @staticmethod
    def resolve_officer_name(obj) -> str:
        return obj.officer.full_name or obj.officer.email


class TimelineEntryOut(Schema):
    at: datetime
    kind: str
    id: int
    title: str
    detail: str
    actor: str


class TimelinePage(Schema):
    items: list[TimelineEntryOut]
    count: int
    count_capped: bool = False


# --- assignments ----------------------------------------------------------------------


@router.get(
    "/people/{person_id}/assignments",
    response=list[AssignmentOut],
    summary="The officers who accompany a person",
)
def assignment_list(request: HttpRequest, person_id: int):
    ensure_role(request.auth, *STAFF, roles.WORKER, what="api assignment_list")
    person = get_person_for(request.auth, person_id)
    return list(person.assignments.select_related("officer__agency").order_by("assigned_at", "id"))


@router.post(
    "/people/{person_id}/assignments",
    response={201: AssignmentOut},
    summary="Assign an officer (supervisors, admins; an officer takes an unaccompanied person)",
)
def assignment_create(request: HttpRequest, person_id: int, payload: AssignmentIn):
    ensure_role(request.auth, *STAFF, what="api assignment_create")
    person = get_person_for(request.auth, person_id)
    officer = _officer_or_error(payload.officer_id, "officer_id")
    try:
        assignment = assignment_add(actor=request.auth, person=person, officer=officer)
    except DjangoValidationError as exc:
        raise _renamed(exc, {"officer": "officer_id"}) from None
    return Status(201, assignment)


# Before /assignments/{assignment_id}, which would otherwise take "reassign" as an id.
@router.post(
    "/assignments/reassign",
    response=ReassignOut,
    summary="Move all or some persons of one officer to another (supervisors, admins)",
)
def assignment_reassign(request: HttpRequest, payload: ReassignIn):
    ensure_role(request.auth, *ASSIGNERS, what="api assignment_reassign")
    source = get_officer_for(request.auth, payload.from_officer_id)
    target = _officer_or_error(payload.to_officer_id, "to_officer_id")
    try:
        moved = assignments_reassign(
            actor=request.auth,
            from_officer=source,
            to_officer=target,
            person_ids=payload.person_ids,
        )
    except DjangoValidationError as exc:
        raise _renamed(exc, {"to_officer": "to_officer_id"}) from None
    return {"moved": moved}


@router.delete(
    "/assignments/{assignment_id}",
    response={204: None},
    summary="End an officer's accompaniment of a person (supervisors, admins)",
)
def assignment_delete(request: HttpRequest, assignment_id: int):
    ensure_role(request.auth, *ASSIGNERS, what="api assignment_delete")
    assignment = (
        Assignment.objects.select_related("officer__agency", "person")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise Http404
    get_person_for(request.auth, assignment.person_id)  # 404 outside the caller's registry
    assignment_remove(actor=request.auth, assignment=assignment)
    return Status(204, None)


# --- tasks ----------------------------------------------------------------------------


@router.get(
    "/people/{person_id}/tasks",
    response=list[TaskOut],
    summary="A person's tasks and appointments",
)
@paginate(Pagination, page_size=25)
def task_list(request: HttpRequest, person_id: int, filters: Query[TaskFilter]):
    ensure_role(request.auth, *STAFF, what="api task_list")
    person = read_accompanied_person_for(request.auth, person_id, reason="tasks")
    qs = visible_tasks(request.auth).filter(person=person)
    if filters.state == "open":
        qs = qs.filter(done_at__isnull=True, cancelled_at__isnull=True).order_by("due_at", "id")
    elif filters.state == "closed":
        qs = qs.exclude(done_at__isnull=True, cancelled_at__isnull=True).order_by("-due_at", "-id")
    else:
        qs = qs.order_by("-due_at", "-id")
    return qs


@router.post(
    "/people/{person_id}/tasks",
    response={201: TaskOut},
    summary="Plan a task or an appointment",
)
def task_add(request: HttpRequest, person_id: int, payload: TaskIn):
    ensure_role(request.auth, *STAFF, what="api task_add")
    person = get_accompanied_person_for(request.auth, person_id)
    officer = None
    if payload.officer_id is not None:
        officer = _officer_or_error(payload.officer_id, "officer_id")
    try:
        task = task_create(
            actor=request.auth,
            person=person,
            officer=officer,
            kind=payload.kind,
            title=payload.title,
            due_at=payload.due_at,
            place=payload.place,
            note=payload.note,
        )
    except DjangoValidationError as exc:
        raise _renamed(exc, {"officer": "officer_id"}) from None
    return Status(201, task)


@router.post("/tasks/{task_id}/complete", response=TaskOut, summary="Mark a task done")
def task_done(request: HttpRequest, task_id: int):
    ensure_role(request.auth, *STAFF, what="api task_complete")
    return task_complete(
        actor=request.auth, task=get_task_for(request.auth, task_id, for_write=True)
    )


@router.post("/tasks/{task_id}/cancel", response=TaskOut, summary="Cancel a task")
def task_cancel_op(request: HttpRequest, task_id: int):
    ensure_role(request.auth, *STAFF, what="api task_cancel")
    return task_cancel(actor=request.auth, task=get_task_for(request.auth, task_id, for_write=True))


@router.post(
    "/tasks/{task_id}/reschedule",
    response={200: TaskOut, 409: dict},
    summary="Move a task to a new time (and place)",
)
def task_move(request: HttpRequest, task_id: int, payload: RescheduleIn):
    ensure_role(request.auth, *STAFF, what="api task_reschedule")
    task = get_task_for(request.auth, task_id, for_write=True)
    try:
        return task_reschedule(
            actor=request.auth,
            task=task,
            due_at=payload.due_at,
            place=payload.place,
            version=payload.version,
        )
    except TaskVersionConflict as exc:
        body = error_body(
            _("Someone else changed this task since you read it."),
            [{"field": "version", "code": "version_conflict", "message": ""}],
        )
        body["version"] = exc.current.version
        return Status(409, body)


# --- contacts and timeline ------------------------------------------------------------


@router.get(
    "/people/{person_id}/contacts",
    response=list[ContactOut],
    summary="The contact log of a person",
)
@paginate(Pagination, page_size=25)
def contact_list(request: HttpRequest, person_id: int):
    ensure_role(request.auth, *STAFF, what="api contact_list")
    person = read_accompanied_person_for(request.auth, person_id, reason="contacts")
    return person.accompaniment_contacts.select_related("officer").order_by("-happened_at", "-id")


@router.post(
    "/people/{person_id}/contacts",
    response={201: ContactOut},
    summary="Record a contact with a person",
)
def contact_add(request: HttpRequest, person_id: int, payload: ContactIn):
    ensure_role(request.auth, *STAFF, what="api contact_add")
    person = get_accompanied_person_for(request.auth, person_id)
    contact = contact_log(
        actor=request.auth,
        person=person,
        channel=payload.channel,
        summary=payload.summary,
        happened_at=payload.happened_at,
    )
    return Status(201, contact)


@router.get(
    "/people/{person_id}/timeline",
    response=TimelinePage,
    summary="Everything that happened with a person, newest first",
)
def timeline(request: HttpRequest, person_id: int, query: Query[AccompanimentPageIn]):
    ensure_role(request.auth, *STAFF, what="api timeline")
    person = read_accompanied_person_for(request.auth, person_id, reason="timeline")
    paginator, entries = timeline_page(
        request.auth, person, query.page, page_size=query.page_size, strict=True
    )
    items = [
        {"at": entry.at, "kind": entry.kind, "id": entry.obj.pk, **entry.text} for entry in entries
    ]
    return {"items": items, "count": paginator.count, "count_capped": paginator.capped}
