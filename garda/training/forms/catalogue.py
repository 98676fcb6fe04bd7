"""Forms of the catalogue and enrolment pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from garda.fields import IdModelChoiceField
from garda.training.models import Language, Provider, Sector


class CatalogueFilterForm(forms.Form):
    """The public catalogue's filters (GET)."""

    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices]
    )
    language = forms.ChoiceField(
        label=_("Language of instruction"),
        required=False,
        choices=[("", _("All languages")), *Language.choices],
    )
    provider = IdModelChoiceField(
        label=_("Training centre"),
        required=False,
        empty_label=_("All training centres"),
        queryset=Provider.objects.filter(is_active=True).select_related("agency"),
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def filters(self) -> dict:
        """Keyword arguments for queries.filter_courses (none when invalid)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "sector": data["sector"],
            "language": data["language"],
            "provider": data["provider"].pk if data["provider"] else None,
            "q": data["q"],
        }


class EnrolPersonForm(forms.Form):
    """An officer enrols someone by their registry reference."""

    reference = forms.CharField(
        label=_("Registry reference"),
        max_length=20,
        help_text=_("As printed on the person's registry page, e.g. PMI-2026-000123."),
    )

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip().upper()


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason.")},
    )
