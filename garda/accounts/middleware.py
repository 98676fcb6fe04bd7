"""Session timeouts and the second factor (docs/security.md)."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from garda.accounts import roles
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record

LOGIN_AT = "garda_login_at"
SEEN_AT = "garda_seen_at"
# Re-saving the session on every request costs a write; a minute of slack is fine.
_SEEN_RESOLUTION = 60


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def redirect_with_next(request, url_name: str):
    return redirect(f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}")


class SessionTimeoutMiddleware:
    """End sessions idle too long (staff 30 min, workers 2 h) or older than 12 h."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = time.time()
            login_at = request.session.setdefault(LOGIN_AT, now)
            seen_at = request.session.get(SEEN_AT, login_at)
            idle = (
                settings.SESSION_IDLE_SECONDS_STAFF
                if user.role in roles.STAFF
                else settings.SESSION_IDLE_SECONDS_WORKER
            )
            if now - login_at > settings.SESSION_ABSOLUTE_SECONDS or now - seen_at > idle:
                audit_record(actor=user, action=AuditEvent.Action.SESSION_EXPIRED, target=user)
                request.garda_session_expired = True  # the log-out is not a second event
                logout(request)
                message = _("Your session has expired. Please log in again.")
                if _is_api(request):
                    return JsonResponse({"detail": message, "errors": []}, status=401)
                messages.info(request, message)
                return redirect_with_next(request, settings.LOGIN_URL)
            if now - seen_at > _SEEN_RESOLUTION:
                request.session[SEEN_AT] = now
        return self.get_response(request)


# Paths a user who still owes the second factor may reach.
_SECOND_FACTOR_OPEN = (
    "/accounts/2fa/setup/",
    "/accounts/2fa/verify/",
    "/accounts/logout/",
    "/i18n/",
    "/static/",
    "/healthz",
)


def second_factor_required(user) -> bool:
    """Staff always (unless the demo switched it off); anyone who enrolled a device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not user.is_authenticated or user.is_verified():
        return False
    if settings.REQUIRE_2FA and user.role in roles.STAFF:
        return True
    # Recovery codes only exist beside an authenticator: one query is enough.
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class RequireSecondFactorMiddleware:
    """Until the second factor is passed, only the second-factor pages answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(_SECOND_FACTOR_OPEN) and second_factor_required(
            request.user
        ):
            if _is_api(request):
                return JsonResponse(
                    {"detail": _("Two-factor verification required."), "errors": []},
                    status=403,
                )
            from garda.accounts.twofactor import has_confirmed_device

            target = (
                "accounts:2fa_verify"
                if has_confirmed_device(request.user)
                else "accounts:2fa_setup"
            )
            return redirect_with_next(request, target)
        return self.get_response(request)
