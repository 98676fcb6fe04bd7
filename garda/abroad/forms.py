"""Input of the lapor diri pages. The services check everything again (the API reaches
them directly): the forms give the page its widgets and labels."""

from django import forms
from django.utils.translation import gettext_lazy as _

from garda.abroad.models import Stay
from garda.abroad.services.checkins import HELP_LABEL, NO, WELL_LABEL, YES
from garda.abroad.services.stays import HOME_COUNTRY, StayData
from garda.cases.forms import ScreeningForm
from garda.people.models import FamilyContact, Person
from garda.places.models import Country

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PHONE_HELP = _("With the country code, e.g. +60 12 345 6789.")


class StayForm(forms.Form):
    departure = forms.ChoiceField(
        label=_("How did you leave?"),
        choices=Stay.Departure.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how you left from the list."),
            "invalid_choice": _("Choose how you left from the list."),
        },
    )
    country = forms.ChoiceField(
        label=_("Country"),
        error_messages={
            "required": _("Choose the country from the list."),
            "invalid_choice": _("Choose the country from the list."),
        },
    )
    city = forms.CharField(
        label=_("City"),
        max_length=100,
        error_messages={"required": _("Write the city where you live.")},
    )
    employer_name = forms.CharField(label=_("Employer"), max_length=200, required=False)
    address = forms.CharField(
        label=_("Address abroad"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    phone = forms.CharField(
        label=_("Phone abroad"), max_length=30, required=False, help_text=PHONE_HELP
    )
    contract_start = forms.DateField(label=_("Contract start"), required=False, widget=DATE)
    contract_end = forms.DateField(label=_("Contract end"), required=False, widget=DATE)
    passport_number = forms.CharField(
        label=_("Passport number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    family_contact = forms.TypedChoiceField(
        label=_("Emergency contact in Indonesia"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("One of the family contacts of the record, or write another below."),
        error_messages={"invalid_choice": _("Choose one of the family contacts of the record.")},
    )
    emergency_name = forms.CharField(
        label=_("Name of the emergency contact"), max_length=200, required=False
    )
    emergency_relation = forms.ChoiceField(
        label=_("Relation"),
        choices=[("", "—"), *FamilyContact.Relation.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose the relation from the list.")},
    )
    emergency_phone = forms.CharField(
        label=_("Phone of the emergency contact"), max_length=30, required=False
    )

    def __init__(self, *args, person: Person, has_passport: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—")] + [
            (c.code, c.name) for c in Country.objects.exclude(pk=HOME_COUNTRY).order_by("name_id")
        ]
        family = list(person.family.order_by("-is_emergency_contact", "name"))
        if family:
            self.fields["family_contact"].choices = [("", _("Someone else (write below)"))] + [
                (c.pk, f"{c.name} ({c.get_relation_display()})") for c in family
            ]
        else:
            del self.fields["family_contact"]
        if has_passport:
            self.fields["passport_number"].help_text = _(
                "Stored. Leave empty to keep it; write a new one to replace it."
            )

    def stay_data(self, *, keep_passport: bool) -> StayData:
        c = self.cleaned_data
        passport = c["passport_number"].strip()
        return StayData(
            departure=c["departure"],
            country=c["country"],
            city=c["city"],
            employer_name=c["employer_name"],
            address=c["address"],
            phone=c["phone"],
            contract_start=c["contract_start"],
            contract_end=c["contract_end"],
            passport_number=None if keep_passport and not passport else passport,
            family_contact_id=c.get("family_contact"),
            emergency_name=c["emergency_name"],
            emergency_relation=c["emergency_relation"],
            emergency_phone=c["emergency_phone"],
        )


class EndForm(forms.Form):
    end_reason = forms.ChoiceField(
        label=_("Why is the stay over?"),
        choices=[c for c in Stay.EndReason.choices if c[0] != Stay.EndReason.DIED],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose why the stay ended."),
            "invalid_choice": _("Choose why the stay ended."),
        },
    )


YES_NO = [(YES, _("Yes")), (NO, _("No"))]


class CheckInForm(ScreeningForm):
    """The two plain questions, then the screening (every question optional)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        screening_fields = dict(self.fields)
        self.fields = {}
        self.fields["well"] = forms.ChoiceField(
            label=WELL_LABEL,
            choices=YES_NO,
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Say whether you are well."),
                "invalid_choice": _("Say whether you are well."),
            },
        )
        self.fields["help"] = forms.ChoiceField(
            label=HELP_LABEL,
            choices=YES_NO,
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Say whether you want help."),
                "invalid_choice": _("Say whether you want help."),
            },
        )
        self.fields.update(screening_fields)

    @property
    def screening_fields(self):
        return [self[name] for name in self.fields if name.startswith("q_")]
