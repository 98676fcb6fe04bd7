"""Forms of employers, foreign partners and the problematic list (the pages; the
services check the rest). A country is chosen by its name."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from garda.destinations.models import Sector
from garda.jobs.models import Employer, ForeignPartner
from garda.jobs.services.parties import EmployerData, PartnerData
from garda.places.models import Country

DATE = forms.DateInput(attrs={"type": "date"})


class CountryField(forms.ModelChoiceField):
    """A country by its ISO code, shown by its name."""

    def __init__(self, **kwargs):
        kwargs.setdefault("empty_label", _("Choose a country"))
        kwargs.setdefault(
            "error_messages", {"invalid_choice": _("Choose a country from the list.")}
        )
        super().__init__(
            queryset=Country.objects.order_by("name_id"), to_field_name="code", **kwargs
        )

    def label_from_instance(self, obj):
        return obj.name


def country_names(codes) -> dict[str, str]:
    """{code: name} for the countries a page shows (one query)."""
    return {c.code: c.name for c in Country.objects.filter(code__in=set(codes))}


class EmployerForm(forms.Form):
    name = forms.CharField(label=_("Name of the employer"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of employer"), choices=Employer.Kind.choices)
    country = CountryField(label=_("Country"))
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    registration_number = forms.CharField(
        label=_("Registration number"), max_length=80, required=False
    )
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("Not stated")), *Sector.choices], required=False
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)

    @classmethod
    def for_instance(cls, employer: Employer):
        return cls(initial={f: getattr(employer, f) for f in cls.base_fields})

    def data_out(self) -> EmployerData:
        d = dict(self.cleaned_data)
        d["country"] = d["country"].code
        return EmployerData(**d)


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Name of the partner agency"), max_length=200)
    country = CountryField(label=_("Country"))
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    licence_number = forms.CharField(
        label=_("Host-country licence number"), max_length=80, required=False
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)

    @classmethod
    def for_instance(cls, partner: ForeignPartner):
        return cls(initial={f: getattr(partner, f) for f in cls.base_fields})

    def data_out(self) -> PartnerData:
        d = dict(self.cleaned_data)
        d["country"] = d["country"].code
        return PartnerData(**d)


class PartyFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), max_length=100, required=False)
    country = CountryField(label=_("Country"), required=False, empty_label=_("All countries"))

    def values(self) -> dict:
        if not self.is_bound:
            return {}
        if self.is_valid():
            return self.cleaned_data
        return {k: v for k, v in self.cleaned_data.items() if k not in self.errors}


class PartyChoiceField(forms.ModelChoiceField):
    """An employer or partner, with its country's name (names are set by the form)."""

    names: dict = {}

    def label_from_instance(self, obj):
        return f"{obj.name} ({self.names.get(obj.country, obj.country)})"


class ListingForm(forms.Form):
    employer = PartyChoiceField(
        label=_("Employer"),
        queryset=Employer.objects.order_by("name", "pk"),
        required=False,
        empty_label=_("None (a partner below)"),
    )
    partner = PartyChoiceField(
        label=_("or foreign partner"),
        queryset=ForeignPartner.objects.order_by("name", "pk"),
        required=False,
        empty_label=_("None"),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    source = forms.CharField(
        label=_("Source of the listing"),
        max_length=300,
        help_text=_("For example the labour attaché's notice and its number."),
    )
    listed_on = forms.DateField(label=_("Listed from"), widget=DATE)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"listed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        names = {c.code: c.name for c in Country.objects.all()}
        self.fields["employer"].names = self.fields["partner"].names = names

    def clean(self):
        cleaned = super().clean()
        if not self.errors and (cleaned.get("employer") is None) == (
            cleaned.get("partner") is None
        ):
            self.add_error("employer", _("Choose either an employer or a partner."))
        return cleaned


class DelistForm(forms.Form):
    reason = forms.CharField(label=_("Reason for delisting"), max_length=500)
    delisted_on = forms.DateField(label=_("Off the list from"), widget=DATE)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"delisted_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
