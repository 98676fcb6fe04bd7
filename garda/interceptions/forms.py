"""The register's forms: the record form (the screening's 11 questions included, as
the cases ask them), a follow-up step, a broker named on a case, the list's filters.
They parse what the browser sends; the services check the rest (services/)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from garda.accounts.models import Agency
from garda.cases.forms import CountryField, ScreeningForm
from garda.interceptions.models import DOCUMENTS, BrokerKind, Holder, PlaceKind
from garda.interceptions.services.record import InterceptionData, LinkData
from garda.people.models import Sex

BROKER_ROWS = 3
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"})


class AgencyField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(queryset=Agency.objects.order_by("name"), required=False, **kwargs)

    def label_from_instance(self, obj):
        return obj.name


class InterceptionForm(ScreeningForm):
    field_order = [
        "intercepted_at",
        "place_kind",
        "place_name",
        "region_code",
        "intercepted_by",
        "intercepted_by_text",
        "handed_over_at",
        "handed_over_to",
        "handed_over_to_name",
        "person_nik",
        "person_full_name",
        "person_sex",
        "person_birth_date",
        "person_birth_place",
        "person_phone",
        "destination",
        "intended_job",
    ]

    intercepted_at = forms.DateTimeField(label=_("Intercepted on"), widget=DATETIME)
    place_kind = forms.ChoiceField(label=_("Kind of place"), choices=PlaceKind.choices)
    place_name = forms.CharField(
        label=_("Place"),
        max_length=200,
        help_text=_("For example: Soekarno-Hatta airport, Terminal 3."),
    )
    region_code = forms.CharField(
        label=_("Region code of the place (optional)"),
        max_length=13,
        required=False,
        help_text=_("The regency or city code, e.g. 36.71 for Kota Tangerang (Banten)."),
    )
    intercepted_by = AgencyField(label=_("Intercepted by (agency)"))
    intercepted_by_text = forms.CharField(
        label=_("Or write who intercepted"),
        max_length=200,
        required=False,
        help_text=_("When the agency is not in the list: immigration, police, BP3MI…"),
    )
    handed_over_at = forms.DateTimeField(
        label=_("Handed over to Jakarta on"), required=False, widget=DATETIME
    )
    handed_over_to = AgencyField(label=_("Handed over to (agency)"))
    handed_over_to_name = forms.CharField(label=_("Received by"), max_length=200, required=False)
    person_nik = forms.CharField(
        label=_("NIK"),
        max_length=32,
        required=False,
        help_text=_(
            "16 digits. With a NIK the person is found in the registry or registered; "
            "without one only the name is kept, to register when the KTP is seen."
        ),
    )
    person_full_name = forms.CharField(label=_("Full name"), max_length=200)
    person_sex = forms.ChoiceField(
        label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False
    )
    person_birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DATE)
    person_birth_place = forms.CharField(label=_("Birth place"), max_length=100, required=False)
    person_phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    destination = CountryField(label=_("Intended destination"), required=False)
    intended_job = forms.CharField(label=_("Job promised"), max_length=200, required=False)
    shelter = forms.CharField(
        label=_("Shelter"),
        max_length=200,
        required=False,
        help_text=_("Where the person stays now, e.g. the BP3MI Banten shelter."),
    )
    circumstances = forms.CharField(
        label=_("What happened"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    accompanying_officer = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in DOCUMENTS.items():
            self.fields[f"doc_{kind}"] = forms.ChoiceField(
                label=_("%(document)s: who holds it?") % {"document": label},
                choices=Holder.choices,
                initial=Holder.UNKNOWN,
                required=False,
            )
        for i in range(1, BROKER_ROWS + 1):
            self.fields[f"broker_{i}_name"] = forms.CharField(
                label=_("Broker or company %(n)s") % {"n": i}, max_length=200, required=False
            )
            self.fields[f"broker_{i}_kind"] = forms.ChoiceField(
                label=_("Broker or company %(n)s: kind") % {"n": i},
                choices=BrokerKind.choices,
                required=False,
            )
        if officers is not None:
            self.fields["accompanying_officer"] = forms.ModelChoiceField(
                label=_("Accompanying officer for the legal route"),
                queryset=officers,
                required=False,
            )

    def to_data(self) -> InterceptionData:
        c = self.cleaned_data
        officer = c.get("accompanying_officer")
        return InterceptionData(
            intercepted_at=c["intercepted_at"],
            place_kind=c["place_kind"],
            place_name=c["place_name"],
            region_code=c["region_code"].strip(),
            intercepted_by_id=c["intercepted_by"].pk if c["intercepted_by"] else None,
            intercepted_by_text=c["intercepted_by_text"],
            handed_over_at=c["handed_over_at"],
            handed_over_to_id=c["handed_over_to"].pk if c["handed_over_to"] else None,
            handed_over_to_name=c["handed_over_to_name"],
            person_nik=c["person_nik"].strip(),
            person_full_name=c["person_full_name"],
            person_sex=c["person_sex"],
            person_birth_date=c["person_birth_date"],
            person_birth_place=c["person_birth_place"],
            person_phone=c["person_phone"],
            destination_code=c["destination"].code if c["destination"] else "",
            intended_job=c["intended_job"],
            documents={
                kind: c[f"doc_{kind}"]
                for kind in DOCUMENTS
                if c.get(f"doc_{kind}") and c[f"doc_{kind}"] != Holder.UNKNOWN
            },
            shelter=c["shelter"],
            circumstances=c["circumstances"],
            answers=self.answers(),
            brokers=[
                {"name": c[f"broker_{i}_name"], "kind": c[f"broker_{i}_kind"] or BrokerKind.BROKER}
                for i in range(1, BROKER_ROWS + 1)
                if c.get(f"broker_{i}_name", "").strip()
            ],
            accompanying_officer_id=getattr(officer, "pk", officer),
        )


class LinkPersonForm(forms.Form):
    """Link an interception recorded without a NIK to the registry (the person found by
    the NIK, or registered with the interception's data and what is given here)."""

    person_nik = forms.CharField(
        label=_("NIK"),
        max_length=32,
        required=False,
        help_text=_(
            "16 digits, from the KTP or family card. The person holding it is linked; "
            "nobody holds it yet: the person is registered with the name recorded here."
        ),
    )
    person_sex = forms.ChoiceField(
        label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False
    )
    person_birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DATE)
    person_birth_place = forms.CharField(label=_("Birth place"), max_length=100, required=False)
    person_phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    person_address_line = forms.CharField(label=_("Address"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "link_%s")
        super().__init__(*args, **kwargs)

    def to_data(self) -> LinkData:
        c = self.cleaned_data
        return LinkData(
            person_nik=c["person_nik"].strip(),
            person_sex=c["person_sex"],
            person_birth_date=c["person_birth_date"],
            person_birth_place=c["person_birth_place"],
            person_phone=c["person_phone"],
            person_address_line=c["person_address_line"],
        )


class FollowUpForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class BrokerForm(forms.Form):
    name = forms.CharField(label=_("Name of the broker or company"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=BrokerKind.choices)


SIGNS = (("", _("All")), ("signs", _("Signs of trafficking")), ("none", _("No signs")))


class FilterForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("Until"), required=False, widget=DATE)
    place_kind = forms.ChoiceField(
        label=_("Kind of place"), choices=[("", _("All")), *PlaceKind.choices], required=False
    )
    signs = forms.ChoiceField(label=_("Trafficking signs"), choices=SIGNS, required=False)
