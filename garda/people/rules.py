"""Pure rules of the registry: the migration status machine and age limits.

UU 18/2017 art. 5: a migrant worker must be at least 18 years old to be placed.
The status machine follows the three phases of protection (art. 7 ff.): before work
(registered -> in preparation -> ready -> placed -> departed), during work (abroad),
after work (returned -> reintegrated); inactive can be entered from anywhere before
departure and left back to registered.
"""

from datetime import date

from django.utils.translation import gettext_noop

from garda.people.models import Status

PLACEMENT_MIN_AGE = 18

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.REGISTERED: frozenset({Status.IN_PREPARATION, Status.INACTIVE}),
    Status.IN_PREPARATION: frozenset({Status.READY, Status.REGISTERED, Status.INACTIVE}),
    Status.READY: frozenset({Status.PLACED, Status.IN_PREPARATION, Status.INACTIVE}),
    Status.PLACED: frozenset({Status.DEPARTED, Status.READY, Status.INACTIVE}),
    Status.DEPARTED: frozenset({Status.ABROAD, Status.RETURNED}),
    Status.ABROAD: frozenset({Status.RETURNED}),
    Status.RETURNED: frozenset({Status.REINTEGRATED, Status.IN_PREPARATION, Status.INACTIVE}),
    Status.REINTEGRATED: frozenset({Status.IN_PREPARATION, Status.INACTIVE}),
    Status.INACTIVE: frozenset({Status.REGISTERED}),
}

# Statuses that mean "may be or is being placed": closed to people under 18.
PLACEMENT_STATUSES = frozenset({Status.READY, Status.PLACED, Status.DEPARTED, Status.ABROAD})
# A placement needs its route.
ROUTE_REQUIRED = frozenset({Status.PLACED, Status.DEPARTED, Status.ABROAD})


def age_on(birth_date: date, on: date) -> int:
    """Completed years on `on` (a person born on 29 February turns a year older on
    1 March in common years)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def transition_errors(
    *, current: str, target: str, birth_date: date, route: str, today: date
) -> list[tuple[str, str]]:
    """Why `current` -> `target` is not allowed, as (code, English message) pairs;
    empty when it is. Messages are translated by the caller."""
    errors = []
    if target not in TRANSITIONS.get(current, frozenset()):
        errors.append(("invalid_transition", gettext_noop("This status change is not allowed.")))
    if target in PLACEMENT_STATUSES and age_on(birth_date, today) < PLACEMENT_MIN_AGE:
        errors.append(("under_age", gettext_noop("A person under 18 may not be placed.")))
    if target in ROUTE_REQUIRED and not route:
        errors.append(("route_required", gettext_noop("A placement needs its route.")))
    return errors
