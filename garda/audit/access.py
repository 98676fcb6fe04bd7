"""Who may read the audit log (docs/security.md, "Audit"; docs/design.md, need to know).

Every page, API endpoint and the admin screen read audit events through these
functions; missing and forbidden look the same (404).
"""

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from garda.audit.models import AuditEvent

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from garda.accounts.models import User


def visible_audit_events(user: "User | AnonymousUser") -> QuerySet[AuditEvent]:
    """The audit events `user` may read.

    - admins (`audit.view_all_auditevents`): every event;
    - supervisors (`audit.view_auditevent`): events whose actor belonged to the
      supervisor's agency when acting, none if the supervisor has no agency;
    - everyone else, anonymous and inactive users included: none.
    """
    events = AuditEvent.objects.all()
    if not user.is_authenticated:
        return events.none()
    if user.has_perm("audit.view_all_auditevents"):
        return events
    if not user.has_perm("audit.view_auditevent"):
        return events.none()
    if user.agency_id is None:
        return events.none()
    return events.filter(actor_agency_id=user.agency_id)


def get_audit_event_for(user: "User | AnonymousUser", pk: int | str) -> AuditEvent:
    """One audit event `user` may read; Http404 if it is missing or not theirs to see."""
    try:
        return visible_audit_events(user).get(pk=pk)
    except (AuditEvent.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
