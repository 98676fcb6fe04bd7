"""Session timeouts and the mandatory second factor for staff (SECURITY.md)."""

import time

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
    return request.path.startswith("/api/")


class SessionTimeoutMiddleware:
    """End sessions idle too long (staff 30 min) or older than 12 h, whatever use."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and LOGIN_AT in request.session:
            now = time.time()
            login_at = request.session[LOGIN_AT]
            seen_at = request.session.get(SEEN_AT, login_at)
            idle = (
                settings.SESSION_IDLE_SECONDS_STAFF
                if user.role in roles.STAFF
                else settings.SESSION_IDLE_SECONDS_WORKER
            )
            if now - login_at > settings.SESSION_ABSOLUTE_SECONDS or now - seen_at > idle:
                audit_record(actor=user, action=AuditEvent.Action.SESSION_EXPIRED, target=user)
                logout(request)
                if _is_api(request):
                    return JsonResponse(
                        {
                            "detail": _("Your session has expired. Please log in again."),
                            "errors": [],
                        },
                        status=401,
                    )
                messages.info(request, _("Your session has expired. Please log in again."))
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
            if now - seen_at > _SEEN_RESOLUTION:
                request.session[SEEN_AT] = now
        return self.get_response(request)


# Paths a staff member who has not passed the second factor may still reach.
_SECOND_FACTOR_OPEN = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/i18n/",
    "/static/",
    "/healthz",
)


class RequireSecondFactorMiddleware:
    """Staff roles reach nothing but the second-factor pages until they pass it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.REQUIRE_2FA
            and user.is_authenticated
            and user.role in roles.STAFF
            and not user.is_verified()
            and not request.path.startswith(_SECOND_FACTOR_OPEN)
        ):
            if _is_api(request):
                return JsonResponse(
                    {"detail": _("Two-factor verification required."), "errors": []},
                    status=403,
                )
            from django_otp import devices_for_user

            has_device = any(devices_for_user(user, confirmed=True))
            target = "accounts:2fa_verify" if has_device else "accounts:2fa_setup"
            return redirect(f"{reverse(target)}?next={request.path}")
        return self.get_response(request)
