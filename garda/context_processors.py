from django.conf import settings

from garda.accounts import roles


def garda(request):
    user = getattr(request, "user", None)
    role = getattr(user, "role", None) if user is not None and user.is_authenticated else None
    return {
        "GARDA_DEMO": settings.DEMO,
        "GARDA_2FA_OFF": not settings.REQUIRE_2FA,
        "user_role": role,
        "user_is_staff_role": role in roles.STAFF,
    }
