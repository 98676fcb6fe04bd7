"""A person's placement plan (destination, scheme, sector, planned departure): the
target their readiness is computed against. Every write goes through plan_set."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from garda.accounts import roles
from garda.accounts.models import User
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.destinations.models import Plan
from garda.destinations.readiness import resolve_target
from garda.destinations.rules import add_months
from garda.people.access import REGISTRY_ROLES, may_edit
from garda.people.models import Person

# A planned departure is at most this many years ahead.
MAX_DEPARTURE_YEARS = 10


def may_plan(actor: User | None, person: Person) -> bool:
    """The worker for themself; officers, supervisors and admins for anyone they may
    edit in the registry (people.access.may_edit)."""
    if actor is None or not actor.is_authenticated:
        return False
    if actor.role == roles.WORKER:
        return person.user_id is not None and person.user_id == actor.pk
    return actor.role in REGISTRY_ROLES and may_edit(actor, person)


def latest_departure(today: date) -> date:
    """The latest planned departure accepted: MAX_DEPARTURE_YEARS from `today`."""
    return add_months(today, 12 * MAX_DEPARTURE_YEARS)


def check_departure(planned_departure: date | None, *, today: date | None = None) -> None:
    """ValidationError (field planned_departure) for a day in the past, or more than
    MAX_DEPARTURE_YEARS ahead (a typo such as 2206, or 9999: the rules count validity
    from that day)."""
    if planned_departure is None:
        return
    today = today or timezone.localdate()
    if planned_departure < today:
        raise ValidationError(
            {
                "planned_departure": ValidationError(
                    _("The planned departure cannot be in the past."), code="past_departure"
                )
            }
        )
    if planned_departure > latest_departure(today):
        raise ValidationError(
            {
                "planned_departure": ValidationError(
                    _("The planned departure can be at most %(years)s years from today.")
                    % {"years": MAX_DEPARTURE_YEARS},
                    code="departure_too_far",
                )
            }
        )


def plan_set(
    *,
    actor: User,
    person: Person,
    destination_code: str,
    scheme_code: str,
    sector: str,
    planned_departure: date | None = None,
) -> Plan:
    """Make (destination, scheme, sector) the person's current plan; the previous
    current plan stays as history (is_current=False). Setting the plan the person
    already has changes nothing and writes nothing.

    Raises PermissionDenied (audited) when the actor may not plan for the person, and
    ValidationError naming the field for an unknown destination, scheme or sector (an
    unpublished destination counts as unknown, but for admins), a scheme the
    destination does not offer (DestinationScheme), or a departure date in the past or
    more than MAX_DEPARTURE_YEARS ahead. A moratorium target can be planned: the
    readiness then shows why the placement is blocked, which is what the worker needs
    to hear.
    """
    if not may_plan(actor, person):
        deny(actor, "plan_set", target=person)
    destination, scheme, sector = resolve_target(
        destination_code, scheme_code, sector, user=actor, for_plan=True
    )
    check_departure(planned_departure)
    with transaction.atomic():
        # Serialise plan changes of one person: the partial unique index allows one
        # current plan, and two concurrent saves must not both demote and insert.
        Person.objects.select_for_update().filter(pk=person.pk).values_list("pk").first()
        current = (
            Plan.objects.select_for_update()
            .filter(person_id=person.pk, is_current=True)
            .select_related("destination", "scheme")
            .first()
        )
        if (
            current is not None
            and current.destination_id == destination.pk
            and current.scheme_id == scheme.pk
            and current.sector == sector
            and current.planned_departure == planned_departure
        ):
            return current
        if current is not None:
            Plan.objects.filter(pk=current.pk).update(is_current=False)
        plan = Plan(
            person=person,
            destination=destination,
            scheme=scheme,
            sector=sector,
            planned_departure=planned_departure,
            is_current=True,
            created_by=actor,
            created_at=timezone.now(),
        )
        plan.full_clean()
        plan.save()
        changed = ["destination", "scheme", "sector", "planned_departure"]
        if current is not None:
            changed = [
                name
                for name, old, new in (
                    ("destination", current.destination_id, destination.pk),
                    ("scheme", current.scheme_id, scheme.pk),
                    ("sector", current.sector, sector),
                    ("planned_departure", current.planned_departure, planned_departure),
                )
                if old != new
            ]
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            target=plan,
            changed_fields=changed,
            reason=f"replaces plan {current.pk}" if current else "",
        )
    return plan
