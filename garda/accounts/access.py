"""Who may see which accounts and agencies (docs/design.md, need to know).

Every page and API endpoint reads through these functions; missing and forbidden
look the same (404).
"""

from django.db.models import QuerySet
from django.http import Http404

from garda.accounts import roles
from garda.accounts.models import Agency, User
from garda.audit.gate import deny


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
