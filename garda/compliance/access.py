"""Who may see the compliance app's records (docs/compliance.md, "Who may do what").

- The retention page and the purge: admins.
- Legal holds: admins (every hold) and supervisors (the holds placed in their agency;
  they place holds on the persons and cases they can open).
- The incident register: admins (it searches the whole audit trail).

Missing and forbidden look the same (404, with a `denied` row).
"""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from garda.accounts import roles
from garda.accounts.models import User
from garda.audit.gate import deny_not_found
from garda.cases.access import get_case_for
from garda.cases.models import Case
from garda.compliance.models import Incident, LegalHold
from garda.people.access import get_person_for
from garda.people.models import Person

RETENTION_ROLES = (roles.ADMIN,)
HOLD_ROLES = (roles.ADMIN, roles.SUPERVISOR)
INCIDENT_ROLES = (roles.ADMIN,)


def visible_holds(user: User) -> QuerySet[LegalHold]:
    if not getattr(user, "is_authenticated", False):
        return LegalHold.objects.none()
    qs = LegalHold.objects.select_related("person", "case", "placed_by", "lifted_by")
    if user.role == roles.ADMIN:
        return qs
    if user.role == roles.SUPERVISOR and user.agency_id is not None:
        return qs.filter(placed_by__agency_id=user.agency_id)
    return qs.none()


def get_hold_for(user: User, pk) -> LegalHold:
    try:
        return visible_holds(user).get(pk=pk)
    except (LegalHold.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, "compliance.legalhold", pk, "get_hold_for")


def visible_incidents(user: User) -> QuerySet[Incident]:
    if getattr(user, "is_authenticated", False) and user.role in INCIDENT_ROLES:
        return Incident.objects.select_related("created_by", "search_actor")
    return Incident.objects.none()


def get_incident_for(user: User, pk) -> Incident:
    try:
        return visible_incidents(user).get(pk=pk)
    except (Incident.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, "compliance.incident", pk, "get_incident_for")


def resolve_target(user, reference: str):
    """The person or case a reference names, read through their access checks (a
    reference the user may not open is "not found" too, with its denied row)."""
    reference = reference.strip().upper()
    person_pk = Person.objects.filter(reference=reference).values_list("pk", flat=True).first()
    if person_pk is not None:
        return get_person_for(user, person_pk), None
    case_pk = Case.objects.filter(reference=reference).values_list("pk", flat=True).first()
    if case_pk is not None:
        return None, get_case_for(user, case_pk)
    raise ValidationError({"reference": _("No person or case has this number.")})
