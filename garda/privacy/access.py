"""Who may see what of a person's data rights (docs/privacy.md, "Who may do what").

- The export of all of a person's data: the worker for themself; at the desk, the
  staff who may see the person's whole record (accompaniment.access.may_accompany:
  the officers who accompany them, supervisors and admins), through the registry's
  gate (people.access.get_person_for) first. Anyone else: 404 with a `denied` row.
- Correction requests: the worker sees their own; an officer those of the persons
  they accompany; supervisors and admins all of them; trainers, partners and
  recruiters none. Deciding one: whoever may accompany the person (may_decide).
- Sharing records: supervisors and admins (overrides are for them to watch); the
  worker sees their own in their export.
Missing and forbidden look the same: 404.
"""

from django.db.models import QuerySet

from garda.accompaniment.access import may_accompany
from garda.accounts import roles
from garda.accounts.models import User
from garda.audit.gate import deny_not_found
from garda.people.access import get_person_for, visible_people
from garda.people.models import Assignment, Person
from garda.privacy.models import CorrectionRequest, SharingRecord

STAFF_ROLES = frozenset({roles.OFFICER, roles.SUPERVISOR, roles.ADMIN})
MANAGING_ROLES = frozenset({roles.SUPERVISOR, roles.ADMIN})


# --- the export -------------------------------------------------------------------------


def own_person(user: User) -> Person | None:
    """A worker's own record (None without one)."""
    return visible_people(user).select_related("village", "user").filter(user=user).first()


def get_exportable_person_for(user: User, pk) -> Person:
    """The person `pk` if `user` may export all of their data for them at the desk:
    the registry's gate, then may_accompany; else 404 with a denied row."""
    person = get_person_for(user, pk)
    if user.role not in STAFF_ROLES or not may_accompany(user, person):
        deny_not_found(user, "people.person", pk, "privacy export")
    return person


# --- correction requests ----------------------------------------------------------------


def visible_corrections(user: User) -> QuerySet[CorrectionRequest]:
    if not getattr(user, "is_authenticated", False):
        return CorrectionRequest.objects.none()
    qs = CorrectionRequest.objects.filter(person__merged_into__isnull=True)
    if user.role in MANAGING_ROLES:
        return qs
    if user.role == roles.OFFICER:
        return qs.filter(person_id__in=Assignment.objects.filter(officer=user).values("person_id"))
    if user.role == roles.WORKER:
        return qs.filter(person__user=user)
    return qs.none()


def may_decide(user: User, request: CorrectionRequest) -> bool:
    """Accept or reject: the officers who accompany the person, supervisors, admins."""
    return user.role in STAFF_ROLES and may_accompany(user, request.person)


def get_correction_for(user: User, pk, *, for_decision: bool = False) -> CorrectionRequest:
    """Correction request `pk` if `user` may see it (and decide it, with
    for_decision); else 404 with a denied row."""
    try:
        request = (
            visible_corrections(user)
            .select_related("person", "person__user", "evidence__type", "decided_by")
            .get(pk=pk)
        )
    except (CorrectionRequest.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, "privacy.correctionrequest", pk, "get_correction_for")
    if for_decision and not may_decide(user, request):
        deny_not_found(user, "privacy.correctionrequest", pk, "get_correction_for:decide")
    return request


def read_corrections(user: User) -> QuerySet[CorrectionRequest]:
    """The list as `user` may see it, the listing audited."""
    from garda.audit.models import AuditEvent
    from garda.audit.services import audit_record

    audit_record(
        actor=user,
        action=AuditEvent.Action.VIEW,
        object_type="privacy.correctionrequest",
        reason="correction requests",
    )
    return visible_corrections(user)


def read_correction_for(user: User, pk) -> CorrectionRequest:
    """get_correction_for, the read audited (a VIEW of the request)."""
    from garda.audit.models import AuditEvent
    from garda.audit.services import audit_record

    request = get_correction_for(user, pk)
    audit_record(actor=user, action=AuditEvent.Action.VIEW, target=request)
    return request


# --- sharing ----------------------------------------------------------------------------


def visible_sharing(user: User) -> QuerySet[SharingRecord]:
    """Every sharing record, for supervisors and admins; nobody else."""
    if not getattr(user, "is_authenticated", False) or user.role not in MANAGING_ROLES:
        return SharingRecord.objects.none()
    return SharingRecord.objects.all()
