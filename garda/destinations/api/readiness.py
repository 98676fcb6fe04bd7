"""Readiness and the placement plan in the API.

`GET /people/{id}/readiness?destination=KR&scheme=g2g-kr-eps&sector=manufacturing`
returns {"ready", "percent", "blockers": [{"code", "message"}], "requirements":
[{"code", "name", "state"}], "next_steps": [{"text", "agency"}]} (the issue's
contract) with a few more keys (details, what to bring, warnings). Without the query
the person's current plan is the target. Who may ask: the worker about themself,
the registry roles about anyone (people.access.get_person_for); anyone else gets
404. Every answer is a view of personal data and is audited. A health result's
detail (a rejection reason, a level) and document id, and its next step's text, are
left out for readers who may not see the person's health data
(documents.access.may_see_health; rules.redact_for): its state stays.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from garda.destinations.access import readiness_read
from garda.destinations.models import Plan
from garda.destinations.readiness import (
    current_plan,
    evaluate_resolved,
    readiness_for,
    resolve_target,
)
from garda.destinations.rules import redact_for
from garda.destinations.services.plans import plan_set
from garda.documents.access import may_see_health
from garda.people.access import get_person_for, read_person_for

router = Router(tags=["readiness"])

TARGET_FIELDS = ("destination", "scheme", "sector")


class BlockerOut(Schema):
    code: str
    message: str


class ReadinessRequirementOut(Schema):
    code: str
    name: str
    state: str = Field(description="met, missing, pending, rejected, expired or expiring")
    detail: str
    document_id: int | None
    agency: str
    bring: str
    alternative_group: int | None = Field(
        None, description="requirements sharing it are alternatives: any one met is enough"
    )
    satisfied_by_alternative: bool = Field(
        False, description="not needed: another requirement of its group is met"
    )


class StepOut(Schema):
    text: str
    agency: str
    bring: str
    requirement_code: str | None
    code: str = Field(description="the blocker code or requirement state this step resolves")


class ReadinessOut(Schema):
    ready: bool
    percent: int
    blockers: list[BlockerOut]
    requirements: list[ReadinessRequirementOut]
    next_steps: list[StepOut]
    warnings: list[BlockerOut]
    target: str
    requirement_set_id: int | None
    computed_for: date
    planned_departure: date | None


class TargetQuery(Schema):
    destination: str | None = Field(None, max_length=2, description="ISO alpha-2, e.g. KR")
    scheme: str | None = Field(None, max_length=40, description="e.g. g2g-kr-eps")
    sector: str | None = Field(None, max_length=20, description="e.g. manufacturing")


class PlanIn(Schema):
    destination: str = Field(max_length=2)
    scheme: str = Field(max_length=40)
    sector: str = Field(max_length=20)
    planned_departure: date | None = None


class PlanOut(Schema):
    id: int
    destination: str
    scheme: str
    sector: str
    planned_departure: date | None
    target: str
    created_at: datetime


def plan_out(plan: Plan) -> dict:
    return {
        "id": plan.pk,
        "destination": plan.destination.code,
        "scheme": plan.scheme.code,
        "sector": plan.sector,
        "planned_departure": plan.planned_departure,
        "target": plan.target_key,
        "created_at": plan.created_at,
    }


def _no_plan() -> HttpError:
    return HttpError(
        404,
        _(
            "This person has no placement plan yet: choose a destination, scheme and "
            "sector (PUT /plan), or ask with ?destination=&scheme=&sector=."
        ),
    )


def target_given(target) -> dict[str, str] | None:
    """The destination, scheme and sector asked for (stripped), None when none is
    given (the person's plan is meant); a 422 naming the missing ones when only some
    are."""
    given = {name: (getattr(target, name) or "").strip() for name in TARGET_FIELDS}
    if not any(given.values()):
        return None
    missing = [name for name, value in given.items() if not value]
    if missing:
        raise ValidationError(
            {
                name: ValidationError(
                    _("Give destination, scheme and sector together."), code="required"
                )
                for name in missing
            }
        )
    return given


@router.get(
    "/people/{person_id}/readiness",
    response=ReadinessOut,
    summary="Readiness for a placement target (audited)",
)
def readiness_get(request: HttpRequest, person_id: int, target: Query[TargetQuery]):
    """Each requirement's state (met, missing, pending, rejected, expired, expiring),
    the blockers, the percentage and the ordered next steps. Give all three of
    `destination`, `scheme` and `sector`, or none to use the person's current plan
    (404 when there is none). An unknown code answers 422 naming the field."""
    person = get_person_for(request.auth, person_id)
    given = target_given(target)
    if given:
        # An unknown code answers 422 before anything is read (nor audited).
        destination, scheme, sector = resolve_target(
            given["destination"], given["scheme"], given["sector"], user=request.auth
        )
    plan = current_plan(person)
    readiness_read(request.auth, person)
    if given:
        if plan is not None and (plan.destination_id, plan.scheme_id, plan.sector) != (
            destination.pk,
            scheme.pk,
            sector,
        ):
            plan = None  # another target than the plan: computed, not cached
        if plan is None:
            result = evaluate_resolved(person, destination, scheme, sector)
            return redact_for(result, may_see_health(request.auth, person)).to_dict()
    elif plan is None:
        raise _no_plan()
    result = readiness_for(person, plan)
    return redact_for(result, may_see_health(request.auth, person)).to_dict()


@router.get(
    "/people/{person_id}/plan", response=PlanOut, summary="The current placement plan (audited)"
)
def plan_get(request: HttpRequest, person_id: int):
    person = read_person_for(request.auth, person_id, reason="plan")
    plan = current_plan(person)
    if plan is None:
        raise _no_plan()
    return plan_out(plan)


@router.put(
    "/people/{person_id}/plan", response=PlanOut, summary="Set the placement plan (audited)"
)
def plan_put(request: HttpRequest, person_id: int, payload: PlanIn):
    """Make (destination, scheme, sector) the person's current plan, with an optional
    planned departure (not in the past). The worker for themself; officers,
    supervisors and admins for anyone in the registry. The previous plan is kept as
    history. A scheme the destination does not offer answers 422."""
    person = get_person_for(request.auth, person_id, for_write=True)
    plan = plan_set(
        actor=request.auth,
        person=person,
        destination_code=payload.destination,
        scheme_code=payload.scheme,
        sector=payload.sector,
        planned_departure=payload.planned_departure,
    )
    return plan_out(plan)
