"""Self-service sign-up for workers (the registry issue: "a worker signs up on the
portal with e-mail and password, then completes the same profile").

Only the worker role can be chosen this way; every other account is created by an
administrator. The form, the service and the view live together here because they
are small and used nowhere else.
"""

from django import forms
from django.contrib.auth import login
from django.contrib.auth.password_validation import (
    password_validators_help_text_html,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from garda.accounts import roles
from garda.accounts.models import User
from garda.accounts.services import user_create


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        error_messages={
            "taken": _(
                "An account with this e-mail already exists. Log in, or reset your password."
            )
        },
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
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                self.fields["email"].error_messages["taken"], code="email_taken"
            )
        return email

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


def _add_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def worker_sign_up(*, email: str, full_name: str, password: str) -> User:
    """Create a worker account for the person signing up (no actor: nobody signed in
    did it; user_create writes the audit row)."""
    return user_create(
        actor=None, email=email, password=password, role=roles.WORKER, full_name=full_name
    )


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Anonymous only: a signed-in user already has an account."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = worker_sign_up(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"].strip(),
                password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except IntegrityError:  # the same e-mail signed up a moment ago
            form.add_error("email", SignupForm.base_fields["email"].error_messages["taken"])
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("people:me")
    return render(request, "accounts/signup.html", {"form": form})
