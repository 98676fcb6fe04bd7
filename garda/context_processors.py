from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from garda import nav
from garda.accounts.access import unread_count


def _digits(number: str) -> str:
    """A phone number as the digits (and a leading +) a tel: or wa.me link takes."""
    return "".join(ch for ch in number if ch.isdigit() or ch == "+")


def help_channels() -> dict:
    """The service's owner and help channels, from settings (footer, help page)."""
    return {
        "owner": settings.GARDA_OWNER,
        "hotline": settings.GARDA_HOTLINE,
        "hotline_tel": _digits(settings.GARDA_HOTLINE),
        "hours": settings.GARDA_HELP_HOURS,
        "email": settings.GARDA_HELP_EMAIL,
        "whatsapp": settings.GARDA_HELP_WHATSAPP,
        "whatsapp_digits": _digits(settings.GARDA_HELP_WHATSAPP).lstrip("+"),
    }


def garda(request):
    user = getattr(request, "user", None)
    role = getattr(user, "role", None) if user is not None and user.is_authenticated else None
    return {
        "GARDA_DEMO": settings.DEMO,
        "GARDA_2FA_OFF": not settings.REQUIRE_2FA,
        "user_role": role,
        "GARDA_HELP": help_channels(),
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
