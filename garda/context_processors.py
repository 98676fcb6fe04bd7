from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from garda import nav
from garda.accounts.access import unread_count


def garda(request):
    user = getattr(request, "user", None)
    role = getattr(user, "role", None) if user is not None and user.is_authenticated else None
    return {
        "GARDA_DEMO": settings.DEMO,
        "GARDA_2FA_OFF": not settings.REQUIRE_2FA,
        "user_role": role,
        # The main menu (garda.nav), built only if a template shows it; the link of
        # the page being shown is marked `current`.
        "nav_links": SimpleLazyObject(
            lambda: nav.menu_for(nav.role_of(user), getattr(request, "path", None))
        ),
    }


def notification_count(request: HttpRequest) -> dict:
    """Context processor: `unread_notification_count`, counted only if a template
    uses it (one small indexed query), and 0 for anonymous visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notification_count": 0}
    return {"unread_notification_count": SimpleLazyObject(lambda: unread_count(user))}
