from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from garda.accounts import access, roles, twofactor
from garda.accounts.decorators import role_required
from garda.accounts.forms import LoginForm, TokenForm
from garda.accounts.models import Agency
from garda.audit.context import client_ip
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record


class LoginView(auth_views.LoginView):
    """E-mail log-in. django-axes locks an account after repeated failures; here an
    address that fails on many accounts (password spraying) is refused as well."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if _ip_failures(client_ip(request)) >= settings.LOGIN_FAILURES_PER_IP:
            audit_record(actor=None, action=AuditEvent.Action.LOCKOUT, reason="ip")
            return render(request, "accounts/locked_out.html", status=429)
        return super().post(request, *args, **kwargs)


def _ip_failures(ip: str | None) -> int:
    """Failed log-ins from `ip` during the cool-off, from axes' own records."""
    if not ip:
        return 0
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return total or 0


def _next_url(request: HttpRequest, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code, then type one code to confirm.

    Replacing an existing authenticator needs this session to have passed it first:
    otherwise a stolen password alone could swap in the attacker's phone.
    """
    if twofactor.has_confirmed_device(request.user) and not request.user.is_verified():
        return redirect("accounts:2fa_verify")
    device = twofactor.pending_totp_device(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.totp_confirm(
            actor=request.user, device=device, token=form.cleaned_data["token"]
        )
        if codes is not None:
            request.session.pop(twofactor.PENDING_KEY, None)
            otp_login(request, device)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        failures = request.session.get("garda_enrol_failures", 0) + 1
        request.session["garda_enrol_failures"] = failures
        if failures >= 5:  # limit guessing: start over with a new secret
            request.session.pop(twofactor.PENDING_KEY, None)
            request.session["garda_enrol_failures"] = 0
            messages.error(request, _("Too many wrong codes. Scan the new QR code."))
            return redirect("accounts:2fa_setup")
        form.add_error("token", _("The code is not right. Check your phone's clock and try again."))
    return render(
        request,
        "accounts/2fa_setup.html",
        {
            "form": form,
            "qr_svg": twofactor.qr_svg(device.config_url),
            "secret": _b32(device.bin_key),
            "next": request.GET.get("next", ""),
        },
    )


def _b32(key: bytes) -> str:
    import base64

    return base64.b32encode(key).decode().rstrip("=")


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    if not twofactor.has_confirmed_device(request.user):
        return redirect("accounts:2fa_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.verify_any(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            audit_record(
                actor=request.user,
                action=AuditEvent.Action.SECOND_FACTOR,
                target=request.user,
                reason="verified",
            )
            return redirect(_next_url(request))
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.SECOND_FACTOR,
            target=request.user,
            reason="code refused",
        )
        form.add_error("token", _("The code is not right or was already used."))
    return render(
        request, "accounts/2fa_verify.html", {"form": form, "next": request.GET.get("next", "")}
    )


@login_required
@require_POST
def recovery_codes_regenerate(request: HttpRequest) -> HttpResponse:
    if not request.user.is_verified():
        messages.error(request, _("Verify your second factor first."))
        return redirect("accounts:account")
    codes = twofactor.recovery_codes_regenerate(actor=request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": "/"})


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/account.html",
        {
            "has_2fa": twofactor.has_confirmed_device(request.user),
            "tokens": request.user.api_tokens.filter(revoked_at__isnull=True),
        },
    )


@role_required(*roles.GOVERNMENT)
def agency_list(request: HttpRequest) -> HttpResponse:
    qs = access.visible_agencies(request.user)
    kind = request.GET.get("kind", "")
    if kind in Agency.Kind.values:
        qs = qs.filter(kind=kind)
    else:
        kind = ""
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/agency_list.html",
        {"page": page, "kinds": Agency.Kind.choices, "kind": kind},
    )


@role_required(*roles.GOVERNMENT)
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = access.get_agency_for(request.user, pk)
    return render(request, "accounts/agency_detail.html", {"agency": agency})
