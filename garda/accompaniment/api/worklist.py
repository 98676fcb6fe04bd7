"""The accompaniment API, part two: the officer's worklist, the supervisor's
workload, the readiness summary PDF and the worker's own accompaniment (mounted by
the app's api/__init__.py)."""

from datetime import date, datetime
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from garda.accompaniment import worklist as wl
from garda.accompaniment.access import (
    ACCOMPANY_ROLES,
    ASSIGNING_ROLES,
    appointments_for_worker,
    get_accompanied_person_for,
    get_officer_for,
    worklist_read,
    workload_read,
)
from garda.accompaniment.views.mine import own_person
from garda.accompaniment.views.person import pdf_response
from garda.accompaniment.workload import workload
from garda.accounts import roles
from garda.accounts.access import ensure_role
from garda.pagination import MAX_PAGE, MAX_PAGE_SIZE, Pagination, capped_count
from garda.people.access import get_person_for, read_own_person

router = Router(tags=["accompaniment"])

STAFF = tuple(sorted(ACCOMPANY_ROLES))
ASSIGNERS = tuple(sorted(ASSIGNING_ROLES))


class AccompanimentPageIn(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class WorklistStepOut(Schema):
    text: str
    agency: str = ""


class WorklistTaskOut(Schema):
    id: int
    kind: str
    title: str
    place: str
    due_at: datetime


class WorklistItemOut(Schema):
    person_id: int
    reference: str
    full_name: str
    status: str
    due: date | None
    overdue: bool
    needs_action: bool
    pending_documents: int
    verify_due: date | None
    open_tasks: int
    overdue_tasks: int
    next_task_due: datetime | None
    expiring_documents: int
    next_expiry: date | None
    planned_departure: date | None
    readiness_percent: int | None
    readiness_ready: bool | None
    next_step: WorklistStepOut | None
    tasks: list[WorklistTaskOut]


class WorklistIn(AccompanimentPageIn):
    show: Literal["all", "needs_action", "due_week"] = "all"
    officer_id: int | None = Field(None, description="Supervisors and admins: whose worklist")
    page_size: int = Field(25, ge=1, le=MAX_PAGE_SIZE)


class WorklistPage(Schema):
    items: list[WorklistItemOut]
    count: int
    count_capped: bool = False


class WorkloadOut(Schema):
    officer_id: int = Field(alias="pk")
    full_name: str
    email: str
    agency_id: int | None
    agency: str
    assigned_persons: int = Field(alias="assigned")
    pending_verifications: int = Field(alias="pending_docs")
    open_tasks: int = Field(alias="open_task_count")
    overdue_tasks: int
    expiring_documents: int = Field(alias="expiring_docs")

    @staticmethod
    def resolve_agency(obj) -> str:
        return obj.agency.short_name if obj.agency_id else ""


class WorkloadFilter(Schema):
    agency_id: int | None = Field(None, description="Admins: one agency's officers")


class MyOfficerOut(Schema):
    full_name: str
    agency: str
    phone: str
    email: str


class MyAppointmentOut(Schema):
    id: int
    title: str
    due_at: datetime
    place: str
    officer_name: str


class MyAccompanimentOut(Schema):
    officers: list[MyOfficerOut]
    appointments: list[MyAppointmentOut]


# --- worklist and workload ------------------------------------------------------------


def _worklist_item(row: wl.Row) -> dict:
    step = row.next_step
    return {
        "person_id": row.person.pk,
        "reference": row.person.reference,
        "full_name": row.person.full_name,
        "status": row.person.status,
        "due": row.due,
        "overdue": row.overdue,
        "needs_action": row.needs_action,
        "pending_documents": row.pending_docs,
        "verify_due": row.verify_due,
        "open_tasks": row.open_tasks,
        "overdue_tasks": row.overdue_tasks,
        "next_task_due": row.next_task_due,
        "expiring_documents": row.expiring_docs,
        "next_expiry": row.next_expiry,
        "planned_departure": row.departure,
        "readiness_percent": row.readiness_percent,
        "readiness_ready": row.readiness_ready,
        "next_step": (
            {"text": step.get("text", ""), "agency": step.get("agency", "")} if step else None
        ),
        "tasks": row.tasks,
    }


@router.get(
    "/worklist",
    response=WorklistPage,
    summary="An officer's persons ordered by what needs doing",
)
def worklist(request: HttpRequest, query: Query[WorklistIn]):
    """The caller's worklist (officers); supervisors and admins may pass
    `officer_id` of an officer they manage. `show`: all, needs_action (documents to
    verify, overdue tasks, expiring documents), due_week (due within seven days)."""
    user = request.auth
    ensure_role(user, *STAFF, what="api worklist")
    officer = user
    if query.officer_id is not None and query.officer_id != user.pk:
        if user.role not in ASSIGNING_ROLES:
            raise Http404
        officer = get_officer_for(user, query.officer_id)
    rows = wl.worklist_rows(officer, show=query.show)
    start = (query.page - 1) * query.page_size
    page = rows[start : start + query.page_size]
    wl.fill_page(page, officer, viewer=user)
    worklist_read(user, officer)
    count, capped = capped_count(rows)
    return {"items": [_worklist_item(row) for row in page], "count": count, "count_capped": capped}


@router.get(
    "/workload",
    response=list[WorkloadOut],
    summary="Workload per officer (supervisors: their agency; admins: all)",
)
@paginate(Pagination, page_size=50)
def workload_list(request: HttpRequest, filters: Query[WorkloadFilter]):
    ensure_role(request.auth, *ASSIGNERS, what="api workload")
    agency_id = filters.agency_id if request.auth.role == roles.ADMIN else None
    workload_read(request.auth)
    return workload(request.auth, agency_id=agency_id)


# --- PDF and the worker's own ---------------------------------------------------------


@router.get(
    "/people/{person_id}/readiness-summary.pdf",
    response={200: None},
    summary="The printable readiness summary of a person (PDF, audited)",
)
def summary_pdf(request: HttpRequest, person_id: int):
    ensure_role(request.auth, *STAFF, roles.WORKER, what="api readiness summary pdf")
    user = request.auth
    if user.role == roles.WORKER:
        person = get_person_for(user, person_id)  # only their own record is visible
    else:
        person = get_accompanied_person_for(user, person_id)
    return pdf_response(request, person)


@router.get(
    "/me/accompaniment",
    response=MyAccompanimentOut,
    summary="A worker's officers and upcoming appointments",
)
def my_accompaniment(request: HttpRequest):
    ensure_role(request.auth, roles.WORKER, what="api my_accompaniment")
    # The read audited as the page's ("my accompaniment").
    person = read_own_person(request.auth, reason="my accompaniment")
    if person is None:
        return {"officers": [], "appointments": []}
    officers_out = []
    for assignment in person.assignments.select_related("officer__agency").order_by(
        "assigned_at", "id"
    ):
        officer, agency = assignment.officer, assignment.officer.agency
        officers_out.append(
            {
                "full_name": officer.full_name or officer.email,
                "agency": agency.name if agency else "",
                "phone": officer.phone or (agency.phone if agency else ""),
                "email": agency.email if agency else "",
            }
        )
    appointments = [
        {
            "id": task.pk,
            "title": task.title,
            "due_at": task.due_at,
            "place": task.place,
            "officer_name": task.officer.full_name or task.officer.email,
        }
        for task in appointments_for_worker(person)[:50]
    ]
    return {"officers": officers_out, "appointments": appointments}


@router.get(
    "/me/readiness-summary.pdf",
    response={200: None},
    summary="The worker's own readiness summary (PDF, audited)",
)
def my_summary_pdf(request: HttpRequest):
    ensure_role(request.auth, roles.WORKER, what="api my readiness summary pdf")
    person = own_person(request.auth)
    if person is None:
        raise Http404
    return pdf_response(request, person)
