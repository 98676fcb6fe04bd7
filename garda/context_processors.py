from django.conf import settings
from django.utils.functional import SimpleLazyObject

from garda import nav


def garda(request):
    user = getattr(request, "user", None)
    role = getattr(user, "role", None) if user is not None and user.is_authenticated else None
    return {
        "GARDA_DEMO": settings.DEMO,
        "GARDA_2FA_OFF": not settings.REQUIRE_2FA,
        "user_role": role,
        # The main menu (garda.nav), built only if a template shows it.
        "nav_links": SimpleLazyObject(lambda: nav.menu_for(nav.role_of(user))),
    }
