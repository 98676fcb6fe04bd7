"""Who may see and change the rules (destinations, sector rules, requirement sets).

Destination facts are public (docs/design.md: "destination facts" on the public pages):
anyone, signed in or not, sees published destinations, their rules and requirement
sets. Unpublished destinations (a draft an administrator prepares) are seen only on
the rules pages: by admins, who maintain them, and supervisors, who may read them
(they plan their units' work on the rules) but not change them. Every change is an
admin's. Missing and forbidden look the same: 404.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from garda.accounts import roles
from garda.destinations.models import Destination, RequirementSet, SectorRule
from garda.people.access import person_read

RULE_EDITORS = frozenset({roles.ADMIN})
RULE_READERS = frozenset({roles.ADMIN, roles.SUPERVISOR})


def may_manage_rules(user) -> bool:
    """Change destinations, sector rules and requirement sets: admins only."""
    return bool(user and user.is_authenticated and user.role in RULE_EDITORS)


def may_read_rules_admin(user) -> bool:
    """Open the rules pages (history, drafts, versions): admins and supervisors."""
    return bool(user and user.is_authenticated and user.role in RULE_READERS)


def readiness_read(user, person) -> None:
    """The VIEW row of reading `person`'s readiness (their checklist for a target):
    the page and the API write it through here, once per answer."""
    person_read(user, person, reason="readiness")


def visible_destinations(user) -> QuerySet[Destination]:
    qs = Destination.objects.all()
    if may_read_rules_admin(user):
        return qs
    return qs.filter(is_published=True)


def get_destination_for(user, code: str, *, for_write: bool = False) -> Destination:
    """The destination with this ISO code if `user` may see it (and change it, with
    for_write); else 404."""
    if not isinstance(code, str) or len(code) != 2:
        raise Http404
    try:
        destination = visible_destinations(user).get(code=code.upper())
    except Destination.DoesNotExist:
        raise Http404 from None
    if for_write and not may_manage_rules(user):
        raise Http404
    return destination


def visible_sector_rules(user) -> QuerySet[SectorRule]:
    return SectorRule.objects.filter(destination__in=visible_destinations(user))


def visible_requirement_sets(user) -> QuerySet[RequirementSet]:
    """Sets of visible destinations, and the sets for any destination (no destination)."""
    qs = RequirementSet.objects.all()
    if may_read_rules_admin(user):
        return qs
    return qs.filter(Q(destination__isnull=True) | Q(destination__is_published=True))


def get_requirement_set_for(user, pk: int, *, for_write: bool = False) -> RequirementSet:
    try:
        rs = visible_requirement_sets(user).select_related("destination", "scheme").get(pk=pk)
    except (RequirementSet.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if for_write and not may_manage_rules(user):
        raise Http404
    return rs
