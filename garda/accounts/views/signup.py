"""Self-service sign-up for workers (the registry issue: "a worker signs up on the
portal with e-mail and password, then completes the same profile").

Only the worker role can be chosen this way; every other account is created by an
administrator. Issue 19: the answer to a sign-up never says whether the e-mail
already has an account. Every valid sign-up gets the same page ("we sent a link to
<address>"); the e-mail says the rest to the mailbox's owner (services.py,
worker_sign_up). The account works once its owner opens the link and types the
password they chose (signup_confirm).
"""

from django import forms
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.password_validation import (
    password_validators_help_text_html,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from garda.accounts import throttles
from garda.accounts.models import User
from garda.accounts.services import (
    signup_confirm as confirm_service,
)
from garda.accounts.services import (
    signup_link_resend,
    signup_user_for_token,
    worker_sign_up,
)


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password confirmation"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self):
        # Whether the address has an account is not looked at here (issue 19).
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()

    def clean(self):
        data = super().clean()
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error(
                "password2",
                forms.ValidationError(_("The two passwords differ."), code="password_mismatch"),
            )
        elif password1:
            # The similarity check compares the password with the e-mail and name.
            candidate = User(email=data.get("email", ""), full_name=data.get("full_name", ""))
            try:
                validate_password(password1, candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ResendForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class ConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )


def _sent(request: HttpRequest, email: str) -> HttpResponse:
    """The one answer to every valid sign-up and every "send the link again"."""
    context = {"email": email, "hours": settings.GARDA_SIGNUP_LINK_HOURS}
    return render(request, "accounts/signup_sent.html", context)


def _throttled(request: HttpRequest, template: str, form: forms.Form) -> HttpResponse:
    context = {"form": form, "throttled": True}
    return render(request, template, context, status=429)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Anonymous only: a signed-in user already has an account."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        if throttles.SIGNUP.exceeded(request):
            return _throttled(request, "accounts/signup.html", form)
        if form.is_valid():
            throttles.SIGNUP.hit(request)
            worker_sign_up(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"].strip(),
                password=form.cleaned_data["password1"],
            )
            return _sent(request, form.cleaned_data["email"])
    return render(request, "accounts/signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def signup_resend(request: HttpRequest) -> HttpResponse:
    """Send the confirmation link again; the same answer whoever the address is."""
    if request.user.is_authenticated:
        return redirect("home")
    form = ResendForm(request.POST or None)
    if request.method == "POST":
        if throttles.SIGNUP.exceeded(request):
            return _throttled(request, "accounts/signup_resend.html", form)
        if form.is_valid():
            throttles.SIGNUP.hit(request)
            email = User.objects.normalize_email(form.cleaned_data["email"]).lower()
            signup_link_resend(email=email)
            return _sent(request, email)
    return render(request, "accounts/signup_resend.html", {"form": form})


@require_http_methods(["GET", "POST"])
def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the e-mail. Opening it changes nothing (mail scanners open
    links too); typing the password chosen at sign-up activates the account and logs
    the person in. A forged, expired or used link: a page saying so, status 400."""
    if request.user.is_authenticated:
        return redirect("home")
    user = signup_user_for_token(token)
    if user is None:
        return render(request, "accounts/signup_confirm.html", {"invalid": True}, status=400)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and throttles.SIGNUP.exceeded(request):
        # Wrong passwords count against the sign-up budget: a forwarded link is no
        # way around the log-in's lockout.
        context = {"form": form, "email": user.email, "throttled": True}
        return render(request, "accounts/signup_confirm.html", context, status=429)
    if request.method == "POST" and form.is_valid():
        try:
            user = confirm_service(user=user, password=form.cleaned_data["password"])
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                return render(
                    request, "accounts/signup_confirm.html", {"invalid": True}, status=400
                )
            throttles.SIGNUP.hit(request)
            form.add_error("password", exc.error_dict["password"])
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("people:me")
    return render(request, "accounts/signup_confirm.html", {"form": form, "email": user.email})
