"""Input cleaning for the compliance pages and API (Indonesian messages through the
catalogue)."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from garda.accounts.models import User
from garda.compliance.models import Incident

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class HoldForm(forms.Form):
    """A hold on a person (their reference) or a case (its number)."""

    reference = forms.CharField(
        label=_("Person's reference or case number"),
        max_length=20,
        help_text=_("For example PMI-2026-000042 (a person) or KS-2026-000007 (a case)."),
    )
    reason = forms.CharField(label=_("Reason for the hold"), max_length=500, widget=forms.Textarea)
    ends_on = forms.DateField(
        label=_("Hold ends on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty while the dispute or investigation lasts."),
    )

    def clean_ends_on(self):
        value = self.cleaned_data.get("ends_on")
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("The end date cannot be in the past."))
        return value


class LiftForm(forms.Form):
    lift_reason = forms.CharField(
        label=_("Reason for lifting"), max_length=500, widget=forms.Textarea
    )


class IncidentForm(forms.ModelForm):
    class Meta:
        model = Incident
        fields = (
            "title",
            "description",
            "kind",
            "systems",
            "discovered_at",
            "data_concerned",
            "measures",
            "advice",
            "contact",
        )
        widgets = {
            "discovered_at": DATETIME,
            "description": forms.Textarea(attrs={"rows": 4}),
            "measures": forms.Textarea(attrs={"rows": 3}),
            "advice": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_discovered_at(self):
        value = self.cleaned_data["discovered_at"]
        if value > timezone.now() + timedelta(minutes=5):
            raise forms.ValidationError(_("The discovery cannot be in the future."))
        return value


class SearchForm(forms.Form):
    """Whose reads, and when: the persons an account read in the window."""

    account = forms.EmailField(label=_("E-mail of the account"))
    since = forms.DateTimeField(label=_("From"), widget=DATETIME)
    until = forms.DateTimeField(label=_("Until"), widget=DATETIME)

    def clean_account(self):
        email = self.cleaned_data["account"]
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(_("No account has this e-mail."))
        return user

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until:
            if since >= until:
                self.add_error("until", _("The end of the window must come after its start."))
            elif until - since > timedelta(days=31):
                self.add_error("until", _("Search at most 31 days at a time."))
        return data


class AuthorityForm(forms.Form):
    informed_at = forms.DateTimeField(label=_("Informed at"), widget=DATETIME)
    note = forms.CharField(
        label=_("Who was informed, how"),
        max_length=500,
        help_text=_("For example: Kominfo/the PDP agency by letter no. …; head of the agency."),
    )
