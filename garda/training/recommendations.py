"""Courses that would close a person's readiness gaps for a placement target.

The readiness engine (destinations.readiness) says which required documents a person
still lacks. A gap is a requirement in state missing, rejected, expired or expiring
(pending is excluded: the document is uploaded and only an officer's check is left),
unless another member of its group of alternatives is already met. A course closes a
gap when its `prepares_for` holds the gap's document type.

Only courses that fit the target are listed: active, with `job_sectors` empty or
holding the target's sector, and `destinations` empty or holding the destination (a
caregiving course that leads to a competency certificate is no advice for a
manufacturing placement).

Each course comes with the batch to join: the batch the person is already enrolled
or waitlisted in, else the soonest open batch with a free seat, else the soonest open
(full) batch, where the person would go on the waiting list. The list is ordered by
that batch's start (courses without an upcoming batch last), then by the number of
gaps the course closes (more first), then by course code.

A fixed number of queries whatever the number of courses and batches: the readiness
evaluation, one for the courses that close a gap (with their destinations and
prerequisites prefetched), one for their open batches, one for the person's active
enrolments, and at most three for the prerequisites of all the listed courses
(eligibility.unmet_prerequisites_many).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone

from garda.destinations import rules
from garda.destinations.models import Plan
from garda.destinations.readiness import (
    current_plan,
    evaluate_resolved,
    readiness_for,
    resolve_target,
)
from garda.people.models import Person
from garda.training.eligibility import unmet_prerequisites_many
from garda.training.models import Batch, Course, Enrolment

# Requirement states a course can help with (rules.py): pending is only waiting.
GAP_STATES = frozenset({rules.MISSING, rules.REJECTED, rules.EXPIRED, rules.EXPIRING})


@dataclass(frozen=True)
class Gap:
    """A requirement not met: its document type's code and name, and its state."""

    code: str
    name: str
    state: str


@dataclass
class Recommendation:
    course: Course
    closes: list[Gap]
    batch: Batch | None
    seats_left: int | None
    waitlist: bool
    # eligibility.Unmet rows: code and message of each prerequisite the person fails.
    unmet: list = field(default_factory=list)
    # The person's own active enrolment in `batch` ("enrolled" or "waitlisted"), if any.
    enrolment_status: str | None = None


def gaps_of(result: rules.Result) -> list[Gap]:
    """The requirements of `result` a course could help close (module docstring)."""
    return [
        Gap(code=r.code, name=r.name, state=r.state)
        for r in result.requirements
        if r.state in GAP_STATES and not r.satisfied_by_alternative
    ]


def recommend(
    person: Person,
    *,
    destination_code: str,
    scheme_code: str,
    sector: str,
    today: date | None = None,
    user=None,
) -> list[Recommendation]:
    """Courses for `person` and the target given by its codes. Raises ValidationError
    (fields destination, scheme, sector) for a target that does not exist, or (with
    `user`) that they may not see, as the readiness API does."""
    today = today or timezone.localdate()
    destination, scheme, sector = resolve_target(destination_code, scheme_code, sector, user=user)
    result = evaluate_resolved(person, destination, scheme, sector, today=today)
    return recommend_for_result(
        person, result, destination_id=destination.pk, sector=sector, today=today
    )


def recommend_for_plan(
    person: Person, *, plan: Plan | None = None, today: date | None = None
) -> list[Recommendation] | None:
    """Courses for `plan` (the person's current plan when None), from its cached
    readiness; None when there is no plan."""
    today = today or timezone.localdate()
    plan = plan or current_plan(person)
    if plan is None:
        return None
    result = readiness_for(person, plan, today=today)
    return recommend_for_result(
        person, result, destination_id=plan.destination_id, sector=plan.sector, today=today
    )


def recommend_for_result(
    person: Person,
    result: rules.Result,
    *,
    destination_id: int,
    sector: str,
    today: date,
) -> list[Recommendation]:
    """Courses that close the gaps of an evaluated `result` (for destination/sector)."""
    gaps = gaps_of(result)
    if not gaps:
        return []
    gap_codes = {g.code for g in gaps}
    through = Course.prepares_for.through
    closing: dict[int, set[str]] = {}
    pairs = through.objects.filter(
        documenttype__code__in=gap_codes,
        course__is_active=True,
    ).values_list("course_id", "documenttype__code")
    for course_id, code in pairs:
        closing.setdefault(course_id, set()).add(code)
    if not closing:
        return []
    courses = [
        c
        for c in Course.objects.filter(pk__in=closing)
        .prefetch_related(
            "destinations",
            "prerequisite_courses",
            "prerequisite_documents__document_type",
        )
        .order_by("code")
        if _fits(c, destination_id, sector)
    ]
    if not courses:
        return []
    ids = [c.pk for c in courses]
    enrolled = {
        e.batch.course_id: e
        for e in Enrolment.objects.filter(
            person_id=person.pk, status__in=Enrolment.ACTIVE, batch__course_id__in=ids
        )
        .select_related("batch__provider__agency")
        .order_by("-batch__starts_on")
    }
    open_batches = (
        Batch.objects.filter(
            course_id__in=ids,
            is_published=True,
            cancelled_at__isnull=True,
            closed_at__isnull=True,
        )
        .filter(Q(enrol_until__gte=today) | Q(enrol_until__isnull=True, starts_on__gt=today))
        .select_related("provider__agency")
        .order_by("starts_on", "code")
    )
    with_seats: dict[int, Batch] = {}
    soonest: dict[int, Batch] = {}
    for batch in open_batches:
        soonest.setdefault(batch.course_id, batch)
        if batch.seats_left > 0:
            with_seats.setdefault(batch.course_id, batch)

    chosen: dict[int, Batch | None] = {}
    for course in courses:
        enrolment = enrolled.get(course.pk)
        chosen[course.pk] = (
            enrolment.batch
            if enrolment is not None
            else with_seats.get(course.pk) or soonest.get(course.pk)
        )
    # The age is measured at the chosen batch's start (today when there is none).
    unmet = unmet_prerequisites_many(
        person,
        courses,
        on={pk: max(b.starts_on, today) if b else today for pk, b in chosen.items()},
        today=today,
    )
    recommendations = []
    for course in courses:
        enrolment = enrolled.get(course.pk)
        if enrolment is not None:
            batch = enrolment.batch
            waitlist = enrolment.status == Enrolment.Status.WAITLISTED
        else:
            batch = with_seats.get(course.pk) or soonest.get(course.pk)
            waitlist = batch is not None and batch.seats_left == 0
        recommendations.append(
            Recommendation(
                course=course,
                closes=[g for g in gaps if g.code in closing[course.pk]],
                batch=batch,
                seats_left=batch.seats_left if batch is not None else None,
                waitlist=waitlist,
                unmet=unmet[course.pk],
                enrolment_status=enrolment.status if enrolment is not None else None,
            )
        )
    recommendations.sort(
        key=lambda r: (
            r.batch is None,
            r.batch.starts_on if r.batch is not None else date.max,
            -len(r.closes),
            r.course.code,
        )
    )
    return recommendations


def _fits(course: Course, destination_id: int, sector: str) -> bool:
    sectors = course.job_sectors or []
    if sectors and sector not in sectors:
        return False
    destinations = course.destinations.all()  # prefetched
    return not destinations or any(d.pk == destination_id for d in destinations)
