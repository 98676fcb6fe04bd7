"""Who may see and write reintegration (docs/reintegration.md, "Who sees what").

A returnee's assessment, plan and follow-up answers are part of their record: they are
shown through the registry's own gate (garda.people.access), and every read is audited
as a VIEW of the person (reason "reintegration"), so the worker reads it in "who
accessed my data".

- officers, supervisors and admins: the plans of every person they may see in the
  registry (the whole registry, shared across agencies);
- officers and supervisors write (assessment, plan, goals, follow-ups); admins read;
- a worker: their own plan, read-only (their person through the account link);
- trainers, partners, recruiters: none (403 with a `denied` row).
Missing and forbidden plans, goals and follow-ups look the same: 404 with a `denied` row.
"""

from django.db.models import QuerySet

from garda.accounts import roles
from garda.accounts.models import User
from garda.audit.gate import deny_not_found
from garda.people.access import get_person_for, person_read, visible_people
from garda.people.models import Person
from garda.reintegration.models import FollowUp, Goal, Plan

READ_ROLES = frozenset({roles.ADMIN, roles.SUPERVISOR, roles.OFFICER})
WRITE_ROLES = frozenset({roles.SUPERVISOR, roles.OFFICER})
# Who reads a plan at all (staff above, and a worker their own).
ANY_ROLES = READ_ROLES | {roles.WORKER}
OBJECT_TYPE = "reintegration.plan"
REASON = "reintegration"


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def visible_plans(user: User) -> QuerySet[Plan]:
    if not _authenticated(user) or user.role not in ANY_ROLES:
        return Plan.objects.none()
    return Plan.objects.filter(person__in=visible_people(user))


def may_write(user: User) -> bool:
    return _authenticated(user) and user.role in WRITE_ROLES


def get_returnee_for(user: User, pk, *, for_write: bool = False) -> Person:
    """The person `pk` whose reintegration `user` may see (write, with for_write);
    else 404 and a `denied` row (a worker: only themself, never for writing)."""
    person = get_person_for(user, pk)
    if for_write and not may_write(user):
        deny_not_found(user, "people.person", pk, "reintegration:write")
    return person


def returnee_read(user: User, person: Person) -> None:
    """The VIEW row of showing a person's reintegration (assessment, plan, scores)."""
    person_read(user, person, reason=REASON)


def read_returnee_for(user: User, pk) -> Person:
    person = get_returnee_for(user, pk)
    returnee_read(user, person)
    return person


def own_person(user: User) -> Person | None:
    """A worker's own record (None without one)."""
    if not _authenticated(user) or user.role != roles.WORKER:
        return None
    return visible_people(user).filter(user=user).first()


def get_plan_for(user: User, pk, *, for_write: bool = False) -> Plan:
    try:
        plan = (
            visible_plans(user)
            .select_related("person", "programme", "instrument", "city", "assessment")
            .get(pk=pk)
        )
    except (Plan.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, OBJECT_TYPE, pk, "get_plan_for")
    if for_write and not may_write(user):
        deny_not_found(user, OBJECT_TYPE, pk, "get_plan_for:write")
    return plan


def read_plan_for(user: User, pk) -> Plan:
    """get_plan_for, and the read audited (a VIEW of the person)."""
    plan = get_plan_for(user, pk)
    returnee_read(user, plan.person)
    return plan


def get_goal_for(user: User, pk) -> Goal:
    """A goal of a plan `user` may write on; else 404."""
    try:
        goal = Goal.objects.get(pk=pk, plan__in=visible_plans(user))
    except (Goal.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, "reintegration.goal", pk, "get_goal_for")
    goal.plan = get_plan_for(user, goal.plan_id, for_write=True)
    return goal


def get_followup_for(user: User, plan: Plan, month) -> FollowUp:
    """The follow-up of `plan` (got through get_plan_for) at `month`; else 404."""
    followup = None
    if str(month).isdigit() and len(str(month)) <= 3:
        followup = FollowUp.objects.filter(plan=plan, month=int(month)).first()
    if followup is None:
        deny_not_found(user, "reintegration.followup", f"{plan.pk}/{month}", "get_followup_for")
    followup.plan = plan
    return followup
