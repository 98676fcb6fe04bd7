from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Log in with e-mail. The field keeps the name `username`, which axes reads."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Enter a correct e-mail address and password."),
    }

    username = forms.EmailField(
        label=_("E-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self):
        return self.cleaned_data["token"].replace(" ", "").strip()


class AuditedSetPasswordForm(SetPasswordForm):
    """Password reset by e-mail link: saved through the service (audit, tokens)."""

    reason = "password reset by e-mail"

    def save(self, commit=True):
        from garda.accounts.services import user_password_set

        return user_password_set(
            actor=self.user,
            user=self.user,
            password=self.cleaned_data["new_password1"],
            reason=self.reason,
        )


class AuditedPasswordChangeForm(AuditedSetPasswordForm, PasswordChangeForm):
    reason = "password changed by the user"
