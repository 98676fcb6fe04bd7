"""Who may see and run outreach (docs/outreach.md, "Who does what").

- officers, supervisors and admins read every event, its attendance list (audited:
  names and phones are personal data) and its funnel;
- officers and supervisors create events and run their own agency's (edit, open,
  close, check in, register at the door); admins read;
- the public and workers see open events for the public and register online (a
  worker's registration is linked to their own record);
- trainers, partners and recruiters: none (403 with a `denied` row).
Missing and forbidden events look the same: 404 with a `denied` row.
"""

from django.db.models import QuerySet
from django.utils import timezone

from garda.accounts import roles
from garda.accounts.models import User
from garda.audit.gate import deny_not_found
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.outreach.models import Event

READ_ROLES = frozenset({roles.ADMIN, roles.SUPERVISOR, roles.OFFICER})
WRITE_ROLES = frozenset({roles.SUPERVISOR, roles.OFFICER})
# Who registers for an event through the API: staff for someone, a worker for themself.
REGISTER_ROLES = WRITE_ROLES | {roles.WORKER}
OBJECT_TYPE = "outreach.event"
ATTENDANCE_REASON = "attendance list"


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def may_read(user) -> bool:
    return _authenticated(user) and user.role in READ_ROLES


def may_create(user) -> bool:
    return _authenticated(user) and user.role in WRITE_ROLES and user.agency_id is not None


def may_run(user, event: Event) -> bool:
    """Edit, open/close, check in, register at the door: the event's own agency."""
    return (
        _authenticated(user)
        and user.role in WRITE_ROLES
        and user.agency_id is not None
        and user.agency_id == event.agency_id
    )


def visible_events(user) -> QuerySet[Event]:
    if not may_read(user):
        return Event.objects.none()
    return Event.objects.all()


def public_events() -> QuerySet[Event]:
    """Events the public sees and registers for online: open, for the public, not over."""
    return Event.objects.filter(
        status=Event.Status.OPEN,
        audience__in=Event.PUBLIC_AUDIENCES,
        ends_at__gte=timezone.now(),
    )


def get_event_for(user: User, pk, *, for_write: bool = False) -> Event:
    """The event `pk` if `user` may read it (run it, with for_write); else 404 and a
    `denied` row."""
    try:
        event = visible_events(user).select_related("campaign", "region", "agency").get(pk=pk)
    except (Event.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, OBJECT_TYPE, pk, "get_event_for")
    if for_write and not may_run(user, event):
        deny_not_found(user, OBJECT_TYPE, pk, "get_event_for:write")
    return event


def get_public_event(user, pk) -> Event:
    try:
        return public_events().select_related("region").get(pk=pk)
    except (Event.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, OBJECT_TYPE, pk, "get_public_event")


def attendance_read(user: User, event: Event, *, what: str = ATTENDANCE_REASON) -> None:
    """The VIEW row of reading an event's registrants (names, phones)."""
    audit_record(actor=user, action=AuditEvent.Action.VIEW, target=event, reason=what)
