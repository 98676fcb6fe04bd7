"""Reintegration writes (docs/reintegration.md): the assessment on return, the plan and
its goals, the follow-ups with the survey, completing or withdrawing a plan.

Each service checks the actor's permission, writes in one transaction with one audit
row, and refuses bad input with a ValidationError naming the field in words (nothing
half-written). Edits of a plan that may race (goals, follow-ups, completion) lock the
plan's row and, given the `version` the caller read, refuse a stale one
(VersionConflict); each moves the version on.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from garda.accounts.models import User
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.people.models import Person
from garda.people.models import Status as PersonStatus
from garda.reintegration import policy, scoring
from garda.reintegration.access import may_write
from garda.reintegration.instruments import active_instrument
from garda.reintegration.models import (
    Assessment,
    Dimension,
    FollowUp,
    Goal,
    Plan,
    Programme,
    Remigration,
    Vulnerability,
)

TEXT_LIMIT = 5000
MAX_GOALS = 30

# The area a service belongs to, when the caller does not say (models.Goal.Kind).
KIND_DIMENSION = {
    Goal.Kind.JOB_AT_HOME: Dimension.ECONOMIC,
    Goal.Kind.BUSINESS_TRAINING: Dimension.ECONOMIC,
    Goal.Kind.CAPITAL: Dimension.ECONOMIC,
    Goal.Kind.VOCATIONAL: Dimension.ECONOMIC,
    Goal.Kind.REMIGRATION: Dimension.ECONOMIC,
    Goal.Kind.COUNSELLING: Dimension.SOCIAL,
    Goal.Kind.FAMILY: Dimension.SOCIAL,
    Goal.Kind.SOCIAL_ASSISTANCE: Dimension.SOCIAL,
    Goal.Kind.SPIRITUAL: Dimension.SOCIAL,
    Goal.Kind.CARE: Dimension.HEALTH,
    Goal.Kind.REHABILITATION: Dimension.HEALTH,
    Goal.Kind.ACCESSIBILITY: Dimension.HEALTH,
}


class VersionConflict(Exception):
    """The plan changed since the caller read it."""

    def __init__(self, plan: Plan):
        super().__init__(f"plan#{plan.pk}")
        self.current = plan


class ActivePlanExists(ValidationError):
    """The person has a plan under way already (one at a time)."""

    def __init__(self, plan: Plan | None):
        super().__init__(
            {
                "__all__": ValidationError(
                    _(
                        "This person already has a reintegration plan under way: complete "
                        "or withdraw it before making a new one."
                    ),
                    code="active_plan",
                )
            }
        )
        self.plan = plan


def error(name: str, message, code: str) -> ValidationError:
    return ValidationError({name: ValidationError(message, code=code)})


def _ensure_writer(actor: User, what: str) -> None:
    if not may_write(actor):
        deny(actor, what)


def _text(value, name: str, limit: int = TEXT_LIMIT, *, required: bool = False) -> str:
    value = ("" if value is None else str(value)).strip()
    if required and not value:
        raise error(name, _("This field is required."), "required")
    if len(value) > limit:
        raise error(name, _("Keep it under %(n)s characters.") % {"n": limit}, "max_length")
    return value


def _past_date(value, name: str, *, required: bool = True, not_before: date | None = None):
    if value in (None, ""):
        if required:
            raise error(name, _("This field is required."), "required")
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise error(name, _("Enter a valid date."), "invalid") from None
    if value > timezone.localdate():
        raise error(name, _("This date is in the future."), "future")
    if value < date(1990, 1, 1):
        raise error(name, _("Give a date after 1990."), "invalid")
    if not_before is not None and value < not_before:
        raise error(name, _("This date is before the return."), "before_return")
    return value


def add_months(day: date, months: int) -> date:
    """`day` + `months` calendar months (31 January + 1 month = 28/29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _lock(plan: Plan, version: int | None) -> Plan:
    current = Plan.objects.select_for_update().get(pk=plan.pk)
    if version is not None and current.version != version:
        raise VersionConflict(current)
    return current


def _bump(plan: Plan, **values) -> None:
    Plan.objects.filter(pk=plan.pk).update(version=F("version") + 1, **values)
    for key, value in values.items():
        setattr(plan, key, value)
    plan.version += 1


# --- the assessment --------------------------------------------------------------


@dataclass
class AssessmentData:
    returned_on: date | str | None
    vulnerability: str
    economic: str = ""
    debts: str = ""
    has_debts: bool = False
    skills: str = ""
    health: str = ""
    family: str = ""
    repatriation_id: int | None = None


def assessment_record(*, actor: User, person: Person, data: AssessmentData) -> Assessment:
    """The assessment on return (economic situation, debts, skills, health, family,
    vulnerability). A repatriation named must be the person's."""
    _ensure_writer(actor, "reintegration.assessment_record")
    returned_on = _past_date(data.returned_on, "returned_on")
    if data.vulnerability not in Vulnerability.values:
        raise error("vulnerability", _("Choose the vulnerability from the list."), "invalid_choice")
    values = {
        name: _text(getattr(data, name), name)
        for name in ("economic", "debts", "skills", "health", "family")
    }
    repatriation = None
    if data.repatriation_id not in (None, ""):
        from garda.cases.models import Repatriation

        try:
            repatriation = Repatriation.objects.filter(person=person).get(pk=data.repatriation_id)
        except (Repatriation.DoesNotExist, ValueError, TypeError, OverflowError):
            raise error(
                "repatriation_id", _("Choose one of this person's repatriations."), "invalid"
            ) from None
    with transaction.atomic():
        assessment = Assessment.objects.create(
            person=person,
            returned_on=returned_on,
            repatriation=repatriation,
            has_debts=bool(data.has_debts),
            vulnerability=data.vulnerability,
            assessed_by=actor,
            **values,
        )
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=assessment)
    return assessment


# --- the plan and its goals --------------------------------------------------------


@dataclass
class GoalData:
    kind: str
    description: str
    dimension: str = ""
    via: str = Goal.Via.DIRECT
    provider: str = ""
    referral_id: int | None = None
    due_on: date | str | None = None


@dataclass
class PlanData:
    returned_on: date | str | None  # None: the known return (known_return)
    programme_id: int | None
    goals: list = field(default_factory=list)  # GoalData or dicts of its fields
    summary: str = ""
    assessment_id: int | None = None
    # Why `returned_on` is later than the known return (required then).
    return_correction: str = ""


def known_return(person: Person, assessment: Assessment | None = None) -> date | None:
    """The day the records say `person` came home: the latest of the arrival of a
    repatriation bringing them home (arrived_at; not the remains of a worker who died,
    not a cancelled one) and the return day of `assessment` (default: the latest
    assessment). None when neither is recorded."""
    from garda.cases.models import Repatriation

    if assessment is None:
        assessment = person.reintegration_assessments.order_by("-assessed_at", "-id").first()
    days = [assessment.returned_on] if assessment is not None else []
    arrived = (
        Repatriation.objects.filter(person=person, arrived_at__isnull=False)
        .exclude(reason="death")
        .exclude(status=Repatriation.Status.CANCELLED)
        .order_by("-arrived_at")
        .values_list("arrived_at", flat=True)
        .first()
    )
    if arrived is not None:
        days.append(timezone.localdate(arrived))
    return max(days) if days else None


def _referral(person: Person, pk, name: str):
    if pk in (None, ""):
        return None
    from garda.referrals.models import Referral

    try:
        return Referral.objects.get(pk=pk, case__person=person)
    except (Referral.DoesNotExist, ValueError, TypeError, OverflowError):
        raise error(
            name, _("Choose a referral of one of this person's cases."), "invalid"
        ) from None


def _goal(person: Person, raw, name: str = "goals") -> dict:
    goal = raw if isinstance(raw, GoalData) else GoalData(**raw)
    if goal.kind not in Goal.Kind.values:
        raise error(name, _("Choose the service of each goal from the list."), "invalid_choice")
    dimension = goal.dimension or KIND_DIMENSION.get(goal.kind, "")
    if dimension not in Dimension.values:
        raise error(
            name, _("Say the area of each goal: economic, social or health."), "invalid_choice"
        )
    via = goal.via or Goal.Via.DIRECT
    if via not in Goal.Via.values:
        raise error(
            name, _("Say how each goal is delivered: directly or by a referral."), "invalid"
        )
    referral = _referral(person, goal.referral_id, name)
    if referral is not None:
        via = Goal.Via.REFERRAL
    due_on = goal.due_on
    if isinstance(due_on, str) and due_on:
        try:
            due_on = date.fromisoformat(due_on)
        except ValueError:
            raise error(name, _("Enter a valid date."), "invalid") from None
    return {
        "kind": goal.kind,
        "dimension": dimension,
        "description": _text(goal.description, name, 500, required=True),
        "via": via,
        "provider": _text(goal.provider, name, 200),
        "referral": referral,
        "due_on": due_on or None,
    }


def plan_create(*, actor: User, person: Person, data: PlanData) -> Plan:
    """The individual plan: due a month after return (data/policy.toml), made today
    (late if after that), its goals, and its follow-ups at the policy's months after
    the return. One plan under way per person (ActivePlanExists)."""
    _ensure_writer(actor, "reintegration.plan_create")
    pol = policy.current()
    try:
        programme = Programme.objects.get(pk=data.programme_id, active=True)
    except (Programme.DoesNotExist, ValueError, TypeError, OverflowError):
        raise error("programme_id", _("Choose the programme from the list."), "invalid") from None
    if not data.goals:
        raise error("goals", _("Give the plan at least one goal."), "required")
    if len(data.goals) > MAX_GOALS:
        raise error("goals", _("At most %(n)s goals.") % {"n": MAX_GOALS}, "max_length")
    goals = [_goal(person, g) for g in data.goals]
    summary = _text(data.summary, "summary")
    assessment = None
    if data.assessment_id not in (None, ""):
        assessment = Assessment.objects.filter(person=person, pk=data.assessment_id).first()
        if assessment is None:
            raise error("assessment_id", _("Choose an assessment of this person."), "invalid")
    else:
        assessment = person.reintegration_assessments.order_by("-assessed_at", "-id").first()
    returned_on, correction = _plan_return(person, assessment, data)
    instrument = active_instrument()  # may load the packaged one: before the lock
    from garda.places.models import Region

    city = Region.objects.filter(pk=person.regency_code).first() if person.regency_code else None
    today = timezone.localdate()
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()  # one maker at a time
        existing = Plan.objects.filter(person=person, status=Plan.Status.ACTIVE).first()
        if existing is not None:
            raise ActivePlanExists(existing)
        try:
            with transaction.atomic():
                plan = Plan.objects.create(
                    person=person,
                    assessment=assessment,
                    programme=programme,
                    city=city,
                    returned_on=returned_on,
                    return_correction=correction,
                    due_on=returned_on + timedelta(days=pol.plan_within_days),
                    made_on=today,
                    summary=summary,
                    instrument=instrument,
                    created_by=actor,
                    agency_id=actor.agency_id,
                )
        except IntegrityError:  # made by someone else a moment ago
            raise ActivePlanExists(None) from None
        Goal.objects.bulk_create(Goal(plan=plan, **g) for g in goals)
        FollowUp.objects.bulk_create(
            FollowUp(plan=plan, month=m, due_on=add_months(returned_on, m))
            for m in pol.follow_up_months
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            target=plan,
            reason="plan made late" if plan.made_late else "",
        )
        if correction:
            audit_record(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                target=plan,
                changed_fields=["returned_on", "return_correction"],
                reason="return date corrected",
            )
    return plan


def _plan_return(person: Person, assessment: Assessment | None, data: PlanData):
    """The plan's return day and the correction's reason: the day given, or the known
    return (known_return) when none is; a day later than the known return (which
    would hide a late plan) only with a reason for the correction."""
    known = known_return(person, assessment)
    correction = _text(data.return_correction, "return_correction", 500)
    if data.returned_on in (None, "") and known is not None:
        return known, ""
    returned_on = _past_date(data.returned_on, "returned_on")
    if known is None or returned_on <= known:
        return returned_on, ""
    if not correction:
        raise error(
            "returned_on",
            _(
                "The records say this person came home on %(date)s. A later date needs the "
                "reason for the correction."
            )
            % {"date": date_format(known, "j F Y")},
            "after_known_return",
        )
    return returned_on, correction


def _editable(plan: Plan) -> None:
    if plan.status != Plan.Status.ACTIVE:
        raise error(
            "__all__", _("This plan is no longer under way: it cannot be changed."), "closed"
        )


def goal_add(*, actor: User, plan: Plan, goal, version: int | None = None) -> Goal:
    _ensure_writer(actor, "reintegration.goal_add")
    values = _goal(plan.person, goal, name="goal")
    with transaction.atomic():
        current = _lock(plan, version)
        _editable(current)
        row = Goal.objects.create(plan=current, **values)
        _bump(current)
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=row)
    plan.version = current.version
    return row


def goal_done(
    *,
    actor: User,
    goal: Goal,
    done_on: date | str | None = None,
    provider: str = "",
    referral_id: int | None = None,
    version: int | None = None,
) -> Goal:
    """The goal's service delivered (directly, or through a referral of one of the
    person's cases: optional)."""
    _ensure_writer(actor, "reintegration.goal_done")
    plan = goal.plan
    done_on = _past_date(done_on or timezone.localdate(), "done_on")
    referral = _referral(plan.person, referral_id, "referral_id")
    provider = _text(provider, "provider", 200)
    with transaction.atomic():
        current = _lock(plan, version)
        _editable(current)
        row = Goal.objects.select_for_update().get(pk=goal.pk)
        if row.status != Goal.Status.PLANNED:
            raise error("__all__", _("This goal is marked already."), "done")
        row.status = Goal.Status.DONE
        row.done_on = done_on
        changed = ["status", "done_on"]
        if referral is not None:
            row.referral, row.via = referral, Goal.Via.REFERRAL
            changed += ["referral", "via"]
        if provider:
            row.provider = provider
            changed.append("provider")
        row.save(update_fields=changed)
        _bump(current)
        audit_record(
            actor=actor, action=AuditEvent.Action.UPDATE, target=row, changed_fields=changed
        )
    plan.version = current.version
    return row


def followup_record(
    *,
    actor: User,
    followup: FollowUp,
    answers: dict,
    remigration: str,
    note: str = "",
    done_on: date | str | None = None,
    version: int | None = None,
) -> FollowUp:
    """A follow-up done: the survey's answers scored under the plan's instrument
    (scores per dimension and the composite kept with them), whether the person left
    again, a note. Recorded once."""
    _ensure_writer(actor, "reintegration.followup_record")
    plan = followup.plan
    instrument = plan.instrument
    try:
        kept = scoring.check_answers(instrument.definition, answers)
        scores = scoring.score(instrument.definition, kept)
    except scoring.AnswerError as exc:
        if exc.question and exc.question in {
            i["code"] for i in instrument.definition["indicators"]
        }:
            message = _("An answer is not one of the options of its question (%(q)s).") % {
                "q": exc.question
            }
        elif exc.question:
            message = _("A question is not in this survey (%(q)s).") % {"q": exc.question[:50]}
        else:
            message = _("The answers do not match the survey.")
        raise error("answers", message, "invalid") from None
    if not kept:
        raise error("answers", _("Answer at least some of the survey's questions."), "required")
    if remigration not in Remigration.values:
        raise error(
            "remigration", _("Say whether the person has left again (choose one)."), "required"
        )
    note = _text(note, "note")
    done_on = _past_date(done_on or timezone.localdate(), "done_on", not_before=plan.returned_on)
    window = policy.current().follow_up_early_days
    if done_on < followup.due_on - timedelta(days=window):
        raise error(
            "done_on",
            _(
                "This follow-up is due on %(due)s: it can be recorded from %(days)s days "
                "before, not on %(date)s."
            )
            % {
                "due": date_format(followup.due_on, "j F Y"),
                "days": window,
                "date": date_format(done_on, "j F Y"),
            },
            "too_early",
        )
    with transaction.atomic():
        current = _lock(plan, version)
        if current.status == Plan.Status.WITHDRAWN:
            raise error("__all__", _("This plan was withdrawn."), "closed")
        row = FollowUp.objects.select_for_update().get(pk=followup.pk)
        if row.done_on is not None:
            raise error("__all__", _("This follow-up is recorded already."), "done")
        row.done_on = done_on
        row.instrument = instrument
        row.answers = kept
        row.scores = scores
        row.composite = scores["composite"]
        row.remigration = remigration
        row.note = note
        row.done_by = actor
        changed = [
            "done_on",
            "instrument",
            "answers",
            "scores",
            "composite",
            "remigration",
            "note",
            "done_by",
        ]
        row.save(update_fields=changed)
        _bump(current)
        audit_record(
            actor=actor, action=AuditEvent.Action.UPDATE, target=row, changed_fields=changed
        )
    plan.version = current.version
    row.plan = plan
    return row


def _close(actor: User, plan: Plan, status: str, version: int | None, reason: str) -> Plan:
    with transaction.atomic():
        current = _lock(plan, version)
        _editable(current)
        _bump(current, status=status)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=current,
            changed_fields=["status"],
            reason=reason,
        )
    plan.status, plan.version = current.status, current.version
    return current


def plan_complete(*, actor: User, plan: Plan, version: int | None = None) -> Plan:
    """The plan completed; the person's status moves to reintegrated where the
    registry's status machine allows it (people.rules.TRANSITIONS: from returned)."""
    _ensure_writer(actor, "reintegration.plan_complete")
    from garda.people.rules import TRANSITIONS
    from garda.people.services.registry import person_change_status

    with transaction.atomic():
        current = _close(actor, plan, Plan.Status.COMPLETED, version, "plan completed")
        person = Person.objects.get(pk=plan.person_id)
        if PersonStatus.REINTEGRATED in TRANSITIONS.get(person.status, frozenset()):
            person_change_status(
                actor=actor,
                person=person,
                to_status=PersonStatus.REINTEGRATED,
                reason="reintegration plan completed",
            )
    return current


def plan_withdraw(*, actor: User, plan: Plan, version: int | None = None) -> Plan:
    """The plan stopped (the person moved away, refused): a new one may be made."""
    _ensure_writer(actor, "reintegration.plan_withdraw")
    return _close(actor, plan, Plan.Status.WITHDRAWN, version, "plan withdrawn")
