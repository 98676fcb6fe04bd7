"""Who may see and write which interceptions (docs/interceptions.md, "Who sees what").

An interception holds a screening for trafficking and the documents a person held: it
is shown on need to know, every read is audited, and missing and forbidden look the
same (404 with a `denied` row).

- admins: every interception;
- supervisors and officers: their agency's register, the interceptions recorded by
  someone of their agency or handed over to it (an officer also those they recorded
  themselves, should they move agency); an officer of another agency gets 404;
- the case an interception opened is shown through the cases' own rule
  (`visible_cases`): an officer who may not open it sees its number, not a link;
- the broker leads (names counted across every agency): supervisors and admins,
  for the task force; officers name brokers on their interceptions and cases but do
  not read the cross-agency list (it names people accused by others);
- workers, trainers, partners and recruiters: none (403 with a `denied` row).
"""

from django.db.models import Q, QuerySet

from garda.accounts import roles
from garda.accounts.models import User
from garda.audit.gate import deny_not_found
from garda.interceptions.models import FollowUp, Interception

READ_ROLES = frozenset({roles.ADMIN, roles.SUPERVISOR, roles.OFFICER})
# Who records an interception (the brief's officers and supervisors: the desk that
# receives the hand-over); an admin administers and reads.
RECORD_ROLES = frozenset({roles.SUPERVISOR, roles.OFFICER})
LEAD_ROLES = frozenset({roles.ADMIN, roles.SUPERVISOR})
OBJECT_TYPE = "interceptions.interception"


def visible_interceptions(user: User) -> QuerySet[Interception]:
    if not getattr(user, "is_authenticated", False) or user.role not in READ_ROLES:
        return Interception.objects.none()
    qs = Interception.objects.all()
    if user.role == roles.ADMIN:
        return qs
    mine = Q(recorded_by=user)
    if user.agency_id is not None:
        mine |= Q(agency_id=user.agency_id) | Q(handed_over_to_id=user.agency_id)
    return qs.filter(mine)


def may_write(user: User, interception: Interception) -> bool:
    """Tick a follow-up step: staff of the register who may see it (not admins)."""
    return (
        getattr(user, "is_authenticated", False)
        and user.role in RECORD_ROLES
        and visible_interceptions(user).filter(pk=interception.pk).exists()
    )


def get_interception_for(user: User, pk, *, for_write: bool = False) -> Interception:
    try:
        interception = (
            visible_interceptions(user)
            .select_related(
                "person",
                "case",
                "region",
                "destination",
                "intercepted_by",
                "handed_over_to",
                "recorded_by",
            )
            .get(pk=pk)
        )
    except (Interception.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, OBJECT_TYPE, pk, "get_interception_for")
    if for_write and not may_write(user, interception):
        deny_not_found(user, OBJECT_TYPE, pk, "get_interception_for:write")
    return interception


def interception_read(user: User, interception: Interception, *, reason: str = "") -> None:
    from garda.audit.models import AuditEvent
    from garda.audit.services import audit_record

    audit_record(actor=user, action=AuditEvent.Action.VIEW, target=interception, reason=reason)


def read_interception_for(user: User, pk, *, reason: str = "") -> Interception:
    interception = get_interception_for(user, pk)
    interception_read(user, interception, reason=reason)
    return interception


def read_interceptions(user: User) -> QuerySet[Interception]:
    """The register as `user` may list it, the listing audited (one VIEW row)."""
    from garda.audit.models import AuditEvent
    from garda.audit.services import audit_record

    audit_record(actor=user, action=AuditEvent.Action.VIEW, object_type=OBJECT_TYPE, reason="list")
    return visible_interceptions(user)


def get_step_for(user: User, pk) -> FollowUp:
    """A follow-up step of an interception `user` may write on; else 404."""
    try:
        step = FollowUp.objects.get(pk=pk, interception__in=visible_interceptions(user))
    except (FollowUp.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, "interceptions.followup", pk, "get_step_for")
    step.interception = get_interception_for(user, step.interception_id, for_write=True)
    return step


def may_see_case(user: User, interception: Interception) -> bool:
    if interception.case_id is None:
        return False
    from garda.cases.access import visible_cases

    return visible_cases(user).filter(pk=interception.case_id).exists()
