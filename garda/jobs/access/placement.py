"""Who may see which placements and orientation sessions (docs/placement.md, "Who
sees what"). Missing and forbidden look the same (404 with a `denied` row).

- officers and admins: every placement (they write them), every session;
- supervisors: every placement and session, read only;
- recruiters: the placements of their company's orders (they record the contract,
  the visa and the travel); another company's is a 404;
- the worker: their own placements, read only, the encrypted numbers masked;
- the public: the worker card's page by its random code (garda/jobs/views/card.py).
"""

from django.db.models import QuerySet

from garda.accounts import roles
from garda.audit.gate import deny_not_found
from garda.jobs.access import recruiter_agency_id
from garda.jobs.models import OrientationSession, Placement

OFFICE_ROLES = frozenset({roles.OFFICER, roles.ADMIN})
READ_ROLES = frozenset({roles.OFFICER, roles.SUPERVISOR, roles.ADMIN})
PLACEMENT_ROLES = READ_ROLES | {roles.RECRUITER, roles.WORKER}
# The departures board and the national export: government staff.
BOARD_ROLES = READ_ROLES
# The roles that may unmask the BPJS and visa numbers (through the audited reveal).
REVEAL_ROLES = READ_ROLES


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def visible_placements(user) -> QuerySet[Placement]:
    if not _signed_in(user) or user.role not in PLACEMENT_ROLES:
        return Placement.objects.none()
    qs = Placement.objects.all()
    if user.role == roles.RECRUITER:
        agency = recruiter_agency_id(user)
        return qs.filter(agency_id=agency) if agency else qs.none()
    if user.role == roles.WORKER:
        return qs.filter(person__user=user)
    return qs


def get_placement_for(user, pk) -> Placement:
    """The placement `pk` as `user` may see it; else 404 with a denied row."""
    try:
        return (
            visible_placements(user)
            .select_related("application", "person", "order", "employer", "agency", "orientation")
            .get(pk=pk)
        )
    except (Placement.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, "jobs.placement", pk, "get_placement_for")


def may_reveal(user, placement: Placement) -> bool:
    """Unmasked BPJS and visa numbers: as the registry's identity numbers
    (people.access.may_reveal_identity: supervisors and admins, officers for the
    persons assigned to them), but never the worker (they hold the cards). Never in
    a list or an export; every reveal is an audited REVEAL row."""
    from garda.people.access import may_reveal_identity

    return (
        _signed_in(user)
        and user.role in REVEAL_ROLES
        and may_reveal_identity(user, placement.person)
    )


def visible_sessions(user) -> QuerySet[OrientationSession]:
    if not _signed_in(user) or user.role not in READ_ROLES:
        return OrientationSession.objects.none()
    return OrientationSession.objects.all()


def get_session_for(user, pk, *, for_write: bool = False) -> OrientationSession:
    try:
        session = visible_sessions(user).select_related("batch").get(pk=pk)
    except (OrientationSession.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, "jobs.orientationsession", pk, "get_session_for")
    if for_write and user.role not in OFFICE_ROLES:
        deny_not_found(user, "jobs.orientationsession", pk, "get_session_for:write")
    return session
