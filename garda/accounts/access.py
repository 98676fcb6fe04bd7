"""Who may see which accounts and agencies (docs/design.md, need to know).

Every page and API endpoint reads through these functions; missing and forbidden
look the same (404).
"""

from django.db.models import QuerySet
from django.http import Http404

from garda.accounts import roles
from garda.accounts.models import Agency, Notification, User
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record


def visible_agencies(user: User) -> QuerySet[Agency]:
    """The agency directory: every staff role sees every active agency (they refer
    to each other); admins also see inactive ones; workers and anonymous see none."""
    if not user.is_authenticated or not user.has_perm("accounts.view_agency"):
        return Agency.objects.none()
    qs = Agency.objects.select_related("region", "country")
    if user.role != roles.ADMIN:
        qs = qs.filter(is_active=True)
    return qs


def get_agency_for(user: User, pk: int) -> Agency:
    try:
        return visible_agencies(user).get(pk=pk)
    except Agency.DoesNotExist:
        raise Http404 from None


def visible_users(user: User) -> QuerySet[User]:
    """Admins see every account; supervisors see the accounts of their own agency;
    everyone else sees only themselves."""
    if not user.is_authenticated:
        return User.objects.none()
    qs = User.objects.select_related("agency").prefetch_related("groups")
    if user.role == roles.ADMIN:
        return qs
    if user.role == roles.SUPERVISOR and user.agency_id is not None:
        return qs.filter(agency_id=user.agency_id)
    return qs.filter(pk=user.pk)


def ensure_role(user: User, *allowed: str, what: str) -> None:
    """Refuse (403, audited) a signed-in user whose role may not use `what` at all.

    For whole features a role never uses (a worker and the agency directory);
    object-level scoping stays in visible_*/get_*_for (404).
    """
    if user.role not in allowed:
        deny(user, what)


# --- notifications: one's own only (another user's id is a 404, like a missing one)


def visible_notifications(user: User) -> QuerySet[Notification]:
    """A user's own notifications; nobody else's, whatever their role."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user=user)


def inbox_of(user: User, *, unread: bool = False) -> QuerySet[Notification]:
    """The inbox (only the unread ones with `unread`), newest first."""
    qs = visible_notifications(user)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def read_notifications(user: User, *, unread: bool = False) -> QuerySet[Notification]:
    """inbox_of, the read audited (a VIEW of the list, "inbox"): the page and the API
    read the inbox through here."""
    audit_record(
        actor=user,
        action=AuditEvent.Action.VIEW,
        object_type="accounts.notification",
        reason="inbox",
    )
    return inbox_of(user, unread=unread)


def get_notification_for(user: User, pk) -> Notification:
    try:
        return visible_notifications(user).get(pk=pk)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def unread_count(user: User) -> int:
    return visible_notifications(user).filter(read_at__isnull=True).count()
