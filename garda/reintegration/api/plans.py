"""Reintegration API: the assessment on return, the plan with its goals and follow-up
schedule, a goal delivered, a follow-up with the survey's answers (scored per
dimension and as a composite), and the active survey instrument (to build the form).

The same gate and services as the pages; errors in the project's one format: 422 bad
input in the reader's language, 403 a role that never uses it, 404 a person or plan
the caller may not see, 409 a second plan under way or a stale `version`."""

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from garda.accounts import roles
from garda.accounts.access import ensure_role
from garda.apiutils import error_body
from garda.reintegration.access import (
    ANY_ROLES,
    WRITE_ROLES,
    get_followup_for,
    get_goal_for,
    get_plan_for,
    get_returnee_for,
    read_plan_for,
    read_returnee_for,
)
from garda.reintegration.instruments import active_instrument, questions
from garda.reintegration.models import Plan
from garda.reintegration.services.plans import (
    ActivePlanExists,
    AssessmentData,
    GoalData,
    PlanData,
    VersionConflict,
    assessment_record,
    followup_record,
    goal_add,
    goal_done,
    plan_create,
)

router = Router(tags=["reintegration"])


class ReintegrationGoalIn(Schema):
    kind: str = Field(description="job_at_home, business_training, capital, counselling, ...")
    description: str = Field(max_length=600)
    dimension: str = Field("", description="economic, social or health (from the kind if empty)")
    via: str = Field("direct", description="direct or referral")
    provider: str = ""
    referral_id: int | None = Field(None, description="a referral of one of the person's cases")
    due_on: date | None = None


class ReintegrationGoalAddIn(ReintegrationGoalIn):
    version: int | None = Field(None, description="the plan's version read (409 if stale)")


class ReintegrationPlanIn(Schema):
    returned_on: date | None = Field(
        None,
        description="default: the known return (the repatriation's arrival, the latest "
        "assessment's return day); a later day than that needs return_correction (422)",
    )
    return_correction: str = Field(
        "", max_length=500, description="why returned_on is later than the known return"
    )
    programme_id: int
    goals: list[ReintegrationGoalIn] = Field(max_length=30)
    summary: str = ""
    assessment_id: int | None = Field(None, description="default: the latest assessment")


class ReintegrationAssessmentIn(Schema):
    returned_on: date
    vulnerability: str = Field(description="low, medium or high")
    economic: str = ""
    debts: str = ""
    has_debts: bool = False
    skills: str = ""
    health: str = ""
    family: str = ""
    repatriation_id: int | None = None


class ReintegrationAssessmentOut(Schema):
    id: int
    person_id: int
    returned_on: date
    vulnerability: str
    has_debts: bool


class ReintegrationGoalOut(Schema):
    id: int
    dimension: str
    kind: str
    description: str
    via: str
    provider: str
    referral_id: int | None
    due_on: date | None
    status: str
    done_on: date | None


class ReintegrationGoalDoneIn(Schema):
    done_on: date | None = None
    provider: str = ""
    referral_id: int | None = None
    version: int | None = None


class ReintegrationScoresOut(Schema):
    economic: float | None
    social: float | None
    psychosocial: float | None
    composite: float | None


class ReintegrationFollowUpOut(Schema):
    month: int
    due_on: date
    done_on: date | None
    overdue: bool
    instrument: str | None
    answers: dict | None = Field(description="the answers as coded; null for the worker")
    scores: ReintegrationScoresOut | None
    remigration: str
    note: str


class ReintegrationFollowUpIn(Schema):
    answers: dict[str, str | None] = Field(
        description='{"indicator code": "option code"}, from GET reintegration-instruments/active'
    )
    remigration: str = Field(description="no, legal, irregular or unknown")
    note: str = ""
    done_on: date | None = None
    version: int | None = None


class ReintegrationPlanOut(Schema):
    id: int
    person_id: int
    assessment_id: int | None
    programme_id: int
    programme: str
    city_code: str | None
    returned_on: date
    return_correction: str = Field(description="why returned_on differs from the records")
    due_on: date
    made_on: date
    made_late: bool
    status: str
    summary: str
    instrument: str
    version: int
    goals: list[ReintegrationGoalOut]
    follow_ups: list[ReintegrationFollowUpOut]


class ReintegrationOptionOut(Schema):
    code: str
    label: str
    value: float


class ReintegrationQuestionOut(Schema):
    code: str
    question: str
    weight: float
    options: list[ReintegrationOptionOut]


class ReintegrationDimensionOut(Schema):
    code: str
    label: str
    weight: float
    indicators: list[ReintegrationQuestionOut]


class ReintegrationInstrumentOut(Schema):
    code: str
    version: str
    title: str
    source: str
    official: bool
    dimensions: list[ReintegrationDimensionOut]


def goal_out(g) -> dict:
    return {
        "id": g.pk,
        "dimension": g.dimension,
        "kind": g.kind,
        "description": g.description,
        "via": g.via,
        "provider": g.provider,
        "referral_id": g.referral_id,
        "due_on": g.due_on,
        "status": g.status,
        "done_on": g.done_on,
    }


def followup_out(f, today: date | None = None, *, worker: bool = False) -> dict:
    """A follow-up; the worker reads what their page shows (the officer's note and the
    answers as coded stay with the staff)."""
    today = today or timezone.localdate()
    out = {
        "month": f.month,
        "due_on": f.due_on,
        "done_on": f.done_on,
        "overdue": f.done_on is None and f.due_on < today,
        "instrument": str(f.instrument) if f.instrument_id else None,
        "answers": f.answers,
        "scores": f.scores or None,
        "remigration": f.remigration,
        "note": f.note,
    }
    if worker:
        out["answers"], out["note"] = None, ""
    return out


def plan_out(plan: Plan, *, worker: bool = False) -> dict:
    today = timezone.localdate()
    return {
        "id": plan.pk,
        "person_id": plan.person_id,
        "assessment_id": plan.assessment_id,
        "programme_id": plan.programme_id,
        "programme": plan.programme.name,
        "city_code": plan.city_id,
        "returned_on": plan.returned_on,
        "return_correction": "" if worker else plan.return_correction,
        "due_on": plan.due_on,
        "made_on": plan.made_on,
        "made_late": plan.made_late,
        "status": plan.status,
        "summary": plan.summary,
        "instrument": str(plan.instrument),
        "version": plan.version,
        "goals": [goal_out(g) for g in plan.goals.all()],
        "follow_ups": [followup_out(f, today, worker=worker) for f in plan.follow_ups.all()],
    }


def _conflict(detail: str, code: str, **extra) -> Status:
    body = error_body(detail, [{"field": "", "code": code, "message": detail}])
    body.update(extra)
    return Status(409, body)


def _stale(exc: VersionConflict) -> Status:
    return _conflict(
        _("Someone else changed this plan since you read it: read it again. Nothing was changed."),
        "version_conflict",
        version=exc.current.version,
    )


@router.post(
    "/people/{person_id}/reintegration-plans",
    response={201: ReintegrationPlanOut, 409: dict},
    summary="Make a person's reintegration plan",
)
def reintegration_plan_create(request: HttpRequest, person_id: int, payload: ReintegrationPlanIn):
    """Officers and supervisors. Due a month after `returned_on` (`made_late` if made
    later); follow-ups at the local policy's months. 409: a plan is under way."""
    ensure_role(request.auth, *WRITE_ROLES, what="api reintegration_plan_create")
    person = get_returnee_for(request.auth, person_id, for_write=True)
    data = PlanData(
        returned_on=payload.returned_on,
        programme_id=payload.programme_id,
        goals=[GoalData(**g.dict()) for g in payload.goals],
        summary=payload.summary,
        assessment_id=payload.assessment_id,
        return_correction=payload.return_correction,
    )
    try:
        plan = plan_create(actor=request.auth, person=person, data=data)
    except ActivePlanExists as exc:
        return _conflict(
            " ".join(exc.messages), "active_plan", plan_id=exc.plan.pk if exc.plan else None
        )
    return Status(201, plan_out(get_plan_for(request.auth, plan.pk)))


@router.get(
    "/people/{person_id}/reintegration-plans",
    response=list[ReintegrationPlanOut],
    summary="A person's reintegration plans",
)
def reintegration_plan_list(request: HttpRequest, person_id: int):
    """Staff of the registry; a worker their own. The read is audited."""
    ensure_role(request.auth, *ANY_ROLES, what="api reintegration_plan_list")
    person = read_returnee_for(request.auth, person_id)
    plans = (
        Plan.objects.filter(person=person)
        .select_related("programme", "instrument")
        .prefetch_related("goals", "follow_ups__instrument")
    )
    return [plan_out(p, worker=request.auth.role == roles.WORKER) for p in plans]


@router.get("/reintegration-plans/{plan_id}", response=ReintegrationPlanOut, summary="One plan")
def reintegration_plan_detail(request: HttpRequest, plan_id: int):
    ensure_role(request.auth, *ANY_ROLES, what="api reintegration_plan_detail")
    return plan_out(read_plan_for(request.auth, plan_id), worker=request.auth.role == roles.WORKER)


@router.post(
    "/people/{person_id}/reintegration-assessments",
    response={201: ReintegrationAssessmentOut},
    summary="Record the assessment on return",
)
def reintegration_assessment_create(
    request: HttpRequest, person_id: int, payload: ReintegrationAssessmentIn
):
    ensure_role(request.auth, *WRITE_ROLES, what="api reintegration_assessment_create")
    person = get_returnee_for(request.auth, person_id, for_write=True)
    a = assessment_record(actor=request.auth, person=person, data=AssessmentData(**payload.dict()))
    return Status(
        201,
        {
            "id": a.pk,
            "person_id": person.pk,
            "returned_on": a.returned_on,
            "vulnerability": a.vulnerability,
            "has_debts": a.has_debts,
        },
    )


@router.post(
    "/reintegration-plans/{plan_id}/goals",
    response={201: ReintegrationGoalOut, 409: dict},
    summary="Add a goal to a plan",
)
def reintegration_goal_add(request: HttpRequest, plan_id: int, payload: ReintegrationGoalAddIn):
    ensure_role(request.auth, *WRITE_ROLES, what="api reintegration_goal_add")
    plan = get_plan_for(request.auth, plan_id, for_write=True)
    values = payload.dict()
    version = values.pop("version")
    try:
        goal = goal_add(actor=request.auth, plan=plan, goal=GoalData(**values), version=version)
    except VersionConflict as exc:
        return _stale(exc)
    return Status(201, goal_out(goal))


@router.post(
    "/reintegration-goals/{goal_id}/done",
    response={200: ReintegrationGoalOut, 409: dict},
    summary="A goal's service delivered",
)
def reintegration_goal_done(request: HttpRequest, goal_id: int, payload: ReintegrationGoalDoneIn):
    ensure_role(request.auth, *WRITE_ROLES, what="api reintegration_goal_done")
    goal = get_goal_for(request.auth, goal_id)
    try:
        goal = goal_done(actor=request.auth, goal=goal, **payload.dict())
    except VersionConflict as exc:
        return _stale(exc)
    return goal_out(goal)


@router.post(
    "/reintegration-plans/{plan_id}/follow-ups/{month}",
    response={200: ReintegrationFollowUpOut, 409: dict},
    summary="Record a follow-up with the survey",
)
def reintegration_followup_record(
    request: HttpRequest, plan_id: int, month: int, payload: ReintegrationFollowUpIn
):
    """The survey's answers are scored under the plan's instrument: `scores` has
    economic, social, psychosocial (0–1, None with fewer than half a dimension's
    questions answered) and the composite (None unless every dimension is scored)."""
    ensure_role(request.auth, *WRITE_ROLES, what="api reintegration_followup_record")
    plan = get_plan_for(request.auth, plan_id, for_write=True)
    followup = get_followup_for(request.auth, plan, month)
    try:
        row = followup_record(actor=request.auth, followup=followup, **payload.dict())
    except VersionConflict as exc:
        return _stale(exc)
    return followup_out(row)


@router.get(
    "/reintegration-instruments/active",
    response=ReintegrationInstrumentOut,
    summary="The survey new plans use",
)
def reintegration_instrument_active(request: HttpRequest):
    """The questions and answer options (labels in the request's language) with the
    codings and weights, to build the follow-up form."""
    ensure_role(request.auth, *ANY_ROLES, what="api reintegration_instrument_active")
    instrument = active_instrument()
    return {
        "code": instrument.code,
        "version": instrument.version,
        "title": instrument.title,
        "source": instrument.source,
        "official": instrument.official,
        "dimensions": questions(instrument, get_language()),
    }
