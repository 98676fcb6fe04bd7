"""The catalogue and enrolment API (registered by garda/api.py under /api/v1/).

Public (no log-in): GET /courses, /courses/{code}, /batches, /batches/{id}.
Enrolment: POST /batches/{id}/enrolments (the worker for themself, registry roles for
anyone in their registry), GET /enrolments/{id}, POST /enrolments/{id}/withdraw and
/no-show, GET /people/{id}/enrolments.

Error answers (the project's format {"detail", "errors": [{"field", "code", "message"}]}):
- 422: bad input (a missing reason), or the person does not meet the course's
  prerequisites: one error per unmet prerequisite, field "person_id", code the
  eligibility code (min_education, min_age, max_age, prior_course, prior_document,
  merged);
- 409: the state forbids it: enrolment closed (code "batch_closed"), already enrolled
  or waitlisted in this batch ("already_enrolled") or in one whose dates overlap
  ("overlapping_batch"), an enrolment no longer active ("not_active"), a no-show
  before the batch starts ("not_started"). Retrying the same request will not help,
  unlike a 422 which the caller can fix by changing the request;
- 404: a batch, enrolment or person the caller may not see; 403: a role that never
  enrols (trainers, partners) or may not make this change.
"""

from datetime import date, datetime, time
from typing import Annotated

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import WithJsonSchema

from garda.accounts import roles
from garda.accounts.access import ensure_role
from garda.apiutils import error_body
from garda.pagination import Pagination
from garda.people.access import REGISTRY_ROLES, get_person_for, read_person_for
from garda.training.access import (
    get_enrolment_for,
    public_batches,
    read_enrolment_for,
    visible_batches,
)
from garda.training.models import Batch, Course, Enrolment, Language, Sector
from garda.training.queries import (
    catalogue_courses,
    filter_batches,
    filter_courses,
    prerequisite_texts,
    upcoming_batches,
    with_details,
)
from garda.training.services.enrolment import (
    EnrolmentConflict,
    Ineligible,
    enrolment_create,
    enrolment_no_show,
    enrolment_withdraw,
    waitlist_position,
    with_positions,
)

router = Router(tags=["training"])

ENROLLING = (roles.WORKER, *sorted(REGISTRY_ROLES))


def _conflict(exc: EnrolmentConflict) -> Status:
    errors = [
        {"field": "", "code": e.code or "conflict", "message": " ".join(e.messages)}
        for e in exc.error_list
    ]
    return Status(409, error_body(errors[0]["message"] if errors else "", errors))


# --- schemas --------------------------------------------------------------------------


class CourseRef(Schema):
    code: str
    title: str
    title_en: str


class ProviderRef(Schema):
    id: int
    name: str
    kind: str


class UnitOut(Schema):
    code: str
    title: str
    title_en: str


class DestinationRef(Schema):
    code: str
    name: str
    name_en: str


class BatchOut(Schema):
    id: int
    code: str
    course: CourseRef
    provider: ProviderRef
    starts_on: date
    ends_on: date
    enrolment_closes_on: date
    open_for_enrolment: bool
    place: str
    region: str | None = Field(None, description="region code of the place")
    capacity: int
    seats_left: int
    waitlist: int = Field(description="people on the waiting list")

    @staticmethod
    def resolve_region(obj) -> str | None:
        return obj.region_id or obj.provider.region_id

    @staticmethod
    def resolve_open_for_enrolment(obj) -> bool:
        return obj.is_open_for_enrolment()

    @staticmethod
    def resolve_waitlist(obj) -> int:
        return getattr(obj, "waitlist", 0)


# A time of day on the batch's own clock ("08:00:00"), without an offset: JSON
# Schema's "time" format would promise one (issue 19, the API fuzzer).
LocalTime = Annotated[
    time,
    WithJsonSchema(
        {"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$", "examples": ["08:00:00"]}
    ),
]


class SessionOut(Schema):
    number: int
    date: date
    starts_at: LocalTime
    ends_at: LocalTime
    topic: str


class BatchDetailOut(BatchOut):
    cancelled: bool
    sessions: list[SessionOut]

    @staticmethod
    def resolve_cancelled(obj) -> bool:
        return obj.cancelled_at is not None

    @staticmethod
    def resolve_sessions(obj) -> list:
        return list(obj.sessions.all())


class CourseListOut(Schema):
    code: str
    title: str
    title_en: str
    sector: str
    kkni_level: int | None
    hours: int
    language: str
    upcoming_batches: int

    @staticmethod
    def resolve_upcoming_batches(obj) -> int:
        return getattr(obj, "upcoming", 0)


class CourseOut(Schema):
    code: str
    title: str
    title_en: str
    description: str
    sector: str
    kkni_level: int | None
    hours: int
    language: str
    units: list[UnitOut]
    prerequisites: list[str] = Field(description="each prerequisite in words")
    prerequisite_courses: list[str] = Field(description="codes of the courses to complete first")
    destinations: list[DestinationRef]
    job_sectors: list[str]
    job_kinds: str
    min_attendance_percent: int
    lsp_name: str
    lsp_scheme: str
    batches: list[BatchOut] = Field(description="upcoming batches, soonest first")


class CourseFilter(Schema):
    sector: Sector | None = None
    language: Language | None = None
    provider: int | None = Field(
        None, ge=1, le=2**63 - 1, description="courses with an upcoming batch there"
    )
    q: str | None = Field(None, max_length=100, description="words in the title or jobs")


class BatchFilter(Schema):
    course: str | None = Field(None, max_length=40, description="course code")
    provider: int | None = Field(None, ge=1, le=2**63 - 1, description="provider id")
    sector: Sector | None = None
    region: str | None = Field(None, max_length=13, description="region code (prefix)")
    starts_from: date | None = Field(
        None, alias="from", description="starting on or after this day (default today)"
    )
    has_seats: bool | None = Field(None, description="true: free seats; false: full")


class EnrolIn(Schema):
    person_id: int


class EnrolCreatedOut(Schema):
    id: int
    status: str = Field(description='"enrolled" or "waitlisted"')
    position: int | None = Field(description="place on the waiting list; null when enrolled")


class BatchRef(Schema):
    id: int
    code: str
    starts_on: date
    ends_on: date


class EnrolmentOut(Schema):
    id: int
    person_id: int
    batch: BatchRef
    course: CourseRef
    status: str
    position: int | None
    reason: str
    queued_at: datetime
    status_changed_at: datetime

    @staticmethod
    def resolve_course(obj):
        return obj.batch.course

    @staticmethod
    def resolve_position(obj) -> int | None:
        if hasattr(obj, "position"):
            return obj.position
        return waitlist_position(obj)


class ReasonIn(Schema):
    reason: str = Field(max_length=500)


# --- catalogue (public) ---------------------------------------------------------------


@router.get("/courses", response=list[CourseListOut], auth=None, summary="Courses (public)")
@paginate(Pagination, page_size=50)
def course_list(request: HttpRequest, filters: Query[CourseFilter]):
    """Active courses with the number of their upcoming batches, by sector and code."""
    qs = filter_courses(
        catalogue_courses(),
        sector=filters.sector or "",
        language=filters.language or "",
        provider=filters.provider,
        q=filters.q or "",
    )
    return qs.order_by("sector", "code")


@router.get(
    "/courses/{code}",
    response=CourseOut,
    auth=None,
    summary="One course: units, prerequisites, destinations, upcoming batches (public)",
)
def course_detail(request: HttpRequest, code: str):
    course = with_details(Course.objects.filter(is_active=True, code=code)).first()
    if course is None:
        raise Http404
    return {
        "code": course.code,
        "title": course.title,
        "title_en": course.title_en,
        "description": course.description,
        "sector": course.sector,
        "kkni_level": course.kkni_level,
        "hours": course.hours,
        "language": course.language,
        "units": [cu.unit for cu in course.course_units.all()],
        "prerequisites": prerequisite_texts(course),
        "prerequisite_courses": [c.code for c in course.prerequisite_courses.all()],
        "destinations": list(course.destinations.all()),
        "job_sectors": list(course.job_sectors or []),
        "job_kinds": course.job_kinds,
        "min_attendance_percent": course.min_attendance_percent,
        "lsp_name": course.lsp_name,
        "lsp_scheme": course.lsp_scheme,
        "batches": list(upcoming_batches().filter(course=course)),
    }


@router.get("/batches", response=list[BatchOut], auth=None, summary="Upcoming batches (public)")
@paginate(Pagination, page_size=50)
def batch_list(request: HttpRequest, filters: Query[BatchFilter]):
    """Published batches that have not started yet, soonest first, with seats left and
    the waiting list's length."""
    return filter_batches(
        upcoming_batches(),
        course=filters.course or "",
        provider=filters.provider,
        sector=filters.sector or "",
        region=filters.region or "",
        starts_from=filters.starts_from,
        has_seats=filters.has_seats,
    )


def _viewable_batch(user, batch_id: int) -> Batch:
    """A published batch for anyone; any batch its trainers and registry roles see."""
    batch = public_batches().select_related("course", "provider__agency").filter(pk=batch_id)
    found = batch.first()
    if found is None and user.is_authenticated:
        found = (
            visible_batches(user)
            .select_related("course", "provider__agency")
            .filter(pk=batch_id)
            .first()
        )
    if found is None:
        raise Http404
    return found


@router.get(
    "/batches/{batch_id}",
    response=BatchDetailOut,
    auth=None,
    summary="One batch with its schedule (public when published)",
)
def batch_detail(request: HttpRequest, batch_id: int):
    batch = _viewable_batch(request.user, batch_id)
    batch.waitlist = batch.enrolments.filter(status=Enrolment.Status.WAITLISTED).count()
    return batch


# --- enrolment ------------------------------------------------------------------------


@router.post(
    "/batches/{batch_id}/enrolments",
    response={201: EnrolCreatedOut, 409: dict, 422: dict},
    summary="Enrol a person (a seat, or the waiting list when full)",
)
def enrolment_add(request: HttpRequest, batch_id: int, payload: EnrolIn):
    ensure_role(request.auth, *ENROLLING, what="api enrolment_create")
    batch = _viewable_batch(request.auth, batch_id)
    person = get_person_for(request.auth, payload.person_id)
    try:
        enrolment = enrolment_create(actor=request.auth, batch=batch, person=person)
    except Ineligible as exc:
        errors = [{"field": "person_id", "code": u.code, "message": u.message} for u in exc.unmet]
        return Status(
            422, error_body(_("The person does not meet the course's prerequisites."), errors)
        )
    except EnrolmentConflict as exc:
        return _conflict(exc)
    return Status(
        201,
        {
            "id": enrolment.pk,
            "status": enrolment.status,
            "position": waitlist_position(enrolment),
        },
    )


def _enrolment(user, enrolment_id: int, *, read: bool = False):
    """The enrolment with its waiting-list place; `read`: the read audited (a VIEW)."""
    enrolment = (read_enrolment_for if read else get_enrolment_for)(user, enrolment_id)
    enrolment.position = waitlist_position(enrolment)
    return enrolment


def _enrolment_step(user, enrolment_id: int, service, reason: str):
    """One step of an enrolment's life (`service`: withdraw, no-show): 409 on a conflict,
    else the enrolment as it now stands."""
    enrolment = get_enrolment_for(user, enrolment_id)
    try:
        service(actor=user, enrolment=enrolment, reason=reason)
    except EnrolmentConflict as exc:
        return _conflict(exc)
    return _enrolment(user, enrolment_id)


@router.get("/enrolments/{enrolment_id}", response=EnrolmentOut, summary="One enrolment")
def enrolment_detail(request: HttpRequest, enrolment_id: int):
    return _enrolment(request.auth, enrolment_id, read=True)


@router.post(
    "/enrolments/{enrolment_id}/withdraw",
    response={200: EnrolmentOut, 409: dict},
    summary="Withdraw (the worker themself, registry roles); the seat goes to the waiting list",
)
def enrolment_withdraw_op(request: HttpRequest, enrolment_id: int, payload: ReasonIn):
    return _enrolment_step(request.auth, enrolment_id, enrolment_withdraw, payload.reason)


@router.post(
    "/enrolments/{enrolment_id}/no-show",
    response={200: EnrolmentOut, 409: dict},
    summary="Record a no-show (the batch's trainers, registry roles)",
)
def enrolment_no_show_op(request: HttpRequest, enrolment_id: int, payload: ReasonIn):
    return _enrolment_step(request.auth, enrolment_id, enrolment_no_show, payload.reason)


@router.get(
    "/people/{person_id}/enrolments",
    response=list[EnrolmentOut],
    summary="A person's enrolments, newest first (registry roles, the worker themself)",
)
@paginate(Pagination, page_size=50)
def person_enrolments(request: HttpRequest, person_id: int):
    ensure_role(request.auth, *ENROLLING, what="api person_enrolments")
    person = read_person_for(request.auth, person_id, reason="enrolments")
    return with_positions(
        person.enrolments.select_related("batch__course").order_by("-queued_at", "-id")
    )
