"""The classroom API: a trainer's batches, the roster (access.TRAINEE_FIELDS only),
sessions, attendance and assessments (whole-class saves), completion, closing and
cancelling. The same access functions and services as the pages; errors in the
project's one format.

Batch listing, detail and enrolment (GET/POST /batches, GET/PATCH /batches/{id},
POST /batches/{id}/enrolments) are the catalogue part's (api/catalogue.py).
"""

from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from garda.accounts import roles
from garda.accounts.access import ensure_role
from garda.audit.gate import deny_not_found
from garda.pagination import MAX_PAGE, MAX_PAGE_SIZE, Pagination, capped_count
from garda.people.access import REGISTRY_ROLES
from garda.training import access
from garda.training.api import catalogue
from garda.training.models import Attendance, Batch, CompetencyUnit, Session
from garda.training.services.classroom import (
    TRAINEE_ONLY,
    assessments_record,
    attendance_record,
    batch_cancel,
    class_enrolments,
)
from garda.training.services.completion import (
    batch_close,
    completion_of,
    completions_of,
)

router = Router(tags=["training"])

TEACHERS = (roles.TRAINER, roles.ADMIN)
READERS = (roles.TRAINER, *sorted(REGISTRY_ROLES))


# --- schemas --------------------------------------------------------------------------


class TeachBatchOut(Schema):
    id: int
    code: str
    course_id: int
    course_title: str
    provider_id: int
    provider_name: str
    starts_on: date
    ends_on: date
    place: str
    capacity: int
    enrolled_count: int
    cancelled_at: datetime | None
    closed_at: datetime | None

    @staticmethod
    def resolve_course_title(obj) -> str:
        return obj.course.display_title

    @staticmethod
    def resolve_provider_name(obj) -> str:
        return obj.provider.name


class TeachFilter(Schema):
    provider_id: int | None = Field(None, ge=1, le=2**31 - 1, description="Admins only")


class TraineeOut(Schema):
    """What a trainer may know of a trainee (access.TRAINEE_FIELDS)."""

    id: int
    reference: str
    full_name: str
    sex: str
    phone: str


class CompletionOut(Schema):
    attended: int
    sessions: int
    attendance_percent: int
    min_attendance_percent: int
    units_total: int
    units_competent: int
    missing_units: list[str]
    complete: bool
    reasons: list[str]


class RosterRowOut(Schema):
    enrolment_id: int
    status: str
    reason: str
    person: TraineeOut
    completion: CompletionOut


class RosterPage(Schema):
    items: list[RosterRowOut]
    count: int
    count_capped: bool = False


class RosterPageIn(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(100, ge=1, le=MAX_PAGE_SIZE)


class ClassroomSessionOut(catalogue.SessionOut):
    held: bool

    @staticmethod
    def resolve_held(obj) -> bool:
        return obj.date <= timezone.localdate()


class AttendanceRowOut(Schema):
    enrolment_id: int
    person: TraineeOut
    status: str | None = Field(None, description="None: not recorded yet")


class AttendanceOut(Schema):
    session: ClassroomSessionOut
    items: list[AttendanceRowOut]


class MarkIn(Schema):
    enrolment_id: int
    status: str = Field(description="present, late, excused or absent")


class AttendanceIn(Schema):
    marks: list[MarkIn] = Field(min_length=1, max_length=5000)


class AssessmentRowIn(Schema):
    enrolment_id: int
    result: str = Field(description="competent or not_yet")
    score: Decimal | None = Field(None, description="0 to 100")
    assessed_on: date | None = Field(None, description="Default: today")
    note: str = Field("", max_length=500)


class AssessmentsIn(Schema):
    rows: list[AssessmentRowIn] = Field(min_length=1, max_length=5000)


class SavedOut(Schema):
    saved: int


class EnrolmentCompletionOut(CompletionOut):
    enrolment_id: int
    status: str


class ClosedRowOut(Schema):
    enrolment_id: int
    certificate_id: int | None = None
    reasons: list[str] = []


class CloseOut(Schema):
    batch_id: int
    closed_at: datetime
    completed: list[ClosedRowOut]
    not_completed: list[ClosedRowOut]


class CancelIn(Schema):
    reason: str = Field(min_length=1, max_length=400)


def _trainee(person) -> dict:
    return {name: getattr(person, name) for name in access.TRAINEE_FIELDS}


def _session_of(batch: Batch, number: int) -> Session:
    session = batch.sessions.filter(number=number).first() if 0 < number < 32768 else None
    if session is None:
        raise Http404
    return session


# --- batches --------------------------------------------------------------------------


@router.get(
    "/teach/batches",
    response=list[TeachBatchOut],
    summary="The batches the caller teaches (admins: all), running and upcoming first",
)
@paginate(Pagination, page_size=25)
def teach_batches(request: HttpRequest, filters: Query[TeachFilter]):
    user = request.auth
    ensure_role(user, *TEACHERS, what="api teach_batches")
    qs = access.visible_batches(user).select_related("course", "provider__agency")
    if filters.provider_id is not None and user.role == roles.ADMIN:
        qs = qs.filter(provider_id=filters.provider_id)
    today = timezone.localdate()
    return qs.annotate(
        past=Case(
            When(Q(ends_on__lt=today) | Q(cancelled_at__isnull=False), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    ).order_by("past", "starts_on", "code")


@router.get(
    "/batches/{batch_id}/roster",
    response=RosterPage,
    summary="The trainees of a batch (only what training needs) with their completion",
)
def roster(request: HttpRequest, batch_id: int, query: Query[RosterPageIn]):
    user = request.auth
    ensure_role(user, *READERS, what="api roster")
    batch = access.read_batch_for(user, batch_id, reason="roster")
    enrolments = (
        access.roster_of(user, batch)
        .select_related("person")
        .only("id", "batch_id", "status", "reason", "person_id", *TRAINEE_ONLY)
        .order_by("status", "person__full_name", "id")
    )
    count, capped = capped_count(enrolments)
    offset = (query.page - 1) * query.page_size
    page = list(enrolments[offset : offset + query.page_size])
    completions = completions_of(batch, enrolment_ids=[e.pk for e in page])
    return {
        "items": [
            {
                "enrolment_id": e.pk,
                "status": e.status,
                "reason": e.reason,
                "person": _trainee(e.person),
                "completion": asdict(completions[e.pk]),
            }
            for e in page
        ],
        "count": count,
        "count_capped": capped,
    }


@router.get(
    "/batches/{batch_id}/sessions", response=list[ClassroomSessionOut], summary="A batch's sessions"
)
@paginate(Pagination, page_size=100)
def sessions(request: HttpRequest, batch_id: int):
    ensure_role(request.auth, *READERS, what="api sessions")
    batch = access.get_batch_for(request.auth, batch_id)
    return batch.sessions.order_by("number")


# --- attendance -----------------------------------------------------------------------


def _attendance(batch: Batch, session: Session) -> dict:
    rows = list(class_enrolments(batch))
    recorded = dict(
        Attendance.objects.filter(session=session, enrolment__in=[e.pk for e in rows]).values_list(
            "enrolment_id", "status"
        )
    )
    return {
        "session": session,
        "items": [
            {"enrolment_id": e.pk, "person": _trainee(e.person), "status": recorded.get(e.pk)}
            for e in rows
        ],
    }


@router.get(
    "/batches/{batch_id}/sessions/{number}/attendance",
    response=AttendanceOut,
    summary="The attendance of the class at one session",
)
def attendance_get(request: HttpRequest, batch_id: int, number: int):
    user = request.auth
    ensure_role(user, *READERS, what="api attendance")
    batch = access.get_batch_for(user, batch_id)
    session = _session_of(batch, number)
    access.attendance_read(user, session)
    return _attendance(batch, session)


@router.put(
    "/batches/{batch_id}/sessions/{number}/attendance",
    response=SavedOut,
    summary="Record the attendance of the class at one session (all or nothing)",
)
def attendance_put(request: HttpRequest, batch_id: int, number: int, payload: AttendanceIn):
    user = request.auth
    ensure_role(user, *TEACHERS, what="api attendance_record")
    batch = access.get_batch_for(user, batch_id, for_write=True)
    session = _session_of(batch, number)
    marks = {m.enrolment_id: m.status for m in payload.marks}
    return {"saved": attendance_record(actor=user, session=session, marks=marks)}


# --- assessments ----------------------------------------------------------------------


@router.put(
    "/batches/{batch_id}/units/{unit_code}/assessments",
    response=SavedOut,
    summary="Record the results of one competency unit for the class (all or nothing)",
)
def assessments_put(request: HttpRequest, batch_id: int, unit_code: str, payload: AssessmentsIn):
    user = request.auth
    ensure_role(user, *TEACHERS, what="api assessments_record")
    batch = access.get_batch_for(user, batch_id, for_write=True)
    unit = CompetencyUnit.objects.filter(code=unit_code[:40]).first()
    if unit is None:
        raise Http404
    rows = [row.dict() for row in payload.rows]
    return {"saved": assessments_record(actor=user, batch=batch, unit=unit, rows=rows)}


# --- completion, closing, cancelling --------------------------------------------------


@router.get(
    "/enrolments/{enrolment_id}/completion",
    response=EnrolmentCompletionOut,
    summary="Where an enrolment stands against the course's completion rules",
)
def completion(request: HttpRequest, enrolment_id: int):
    user = request.auth
    ensure_role(user, *READERS, roles.WORKER, what="api completion")
    enrolment = access.read_enrolment_for(user, enrolment_id, reason="completion")
    return {
        "enrolment_id": enrolment.pk,
        "status": enrolment.status,
        **asdict(completion_of(enrolment)),
    }


@router.post(
    "/batches/{batch_id}/close",
    response=CloseOut,
    summary="Close an ended batch: completion decided, certificates issued",
)
def close(request: HttpRequest, batch_id: int):
    user = request.auth
    ensure_role(user, *TEACHERS, what="api batch_close")
    batch = access.get_batch_for(user, batch_id, for_write=True)
    result = batch_close(actor=user, batch=batch)
    certificate_of = {c.enrolment_id: c.pk for c in result.certificates}
    return {
        "batch_id": batch.pk,
        "closed_at": result.batch.closed_at,
        "completed": [
            {"enrolment_id": e.pk, "certificate_id": certificate_of.get(e.pk)}
            for e, _c in result.completed
        ],
        "not_completed": [
            {"enrolment_id": e.pk, "reasons": c.reasons} for e, c in result.not_completed
        ],
    }


@router.post(
    "/batches/{batch_id}/cancel",
    response=TeachBatchOut,
    summary="Cancel a batch: every enrolled and waiting trainee is withdrawn and told",
)
def cancel(request: HttpRequest, batch_id: int, payload: CancelIn):
    user = request.auth
    ensure_role(user, *TEACHERS, what="api batch_cancel")
    batch = access.get_batch_for(user, batch_id)
    if not access.may_manage_batch(user, batch):
        deny_not_found(user, "training.batch", batch_id, "api batch_cancel")
    if not payload.reason.strip():
        raise ValidationError(
            {"reason": ValidationError(_("Give the reason for cancelling."), code="required")}
        )
    return batch_cancel(actor=user, batch=batch, reason=payload.reason)
