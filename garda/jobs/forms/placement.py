"""Forms of the placement page (one per section, each with its own prefix so the
page's fields have distinct ids) and of the orientation sessions. The services check
the rest (garda/jobs/services/placement.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from garda.destinations.models import Destination
from garda.fields import IdModelChoiceField
from garda.jobs.models import JobOrder
from garda.jobs.services.orientation import SessionData
from garda.jobs.services.placement import PROGRAMMES, ContractData

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class _Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ContractForm(_Versioned):
    signed_on = forms.DateField(label=_("Contract signed on"), widget=DATE)
    months = forms.IntegerField(label=_("Contract length (months)"), min_value=1, max_value=120)
    wage_amount = forms.DecimalField(
        label=_("Wage as signed"), max_digits=14, decimal_places=2, min_value=0
    )
    wage_currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        help_text=_("Three letters, e.g. HKD, TWD, MYR."),
    )
    wage_period = forms.ChoiceField(label=_("Wage period"), choices=JobOrder.WagePeriod.choices)

    def data_out(self) -> ContractData:
        d = self.cleaned_data
        return ContractData(
            signed_on=d["signed_on"],
            months=d["months"],
            wage_amount=d["wage_amount"],
            wage_currency=d["wage_currency"],
            wage_period=d["wage_period"],
        )


class BpjsForm(_Versioned):
    bpjs_number = forms.CharField(
        label=_("BPJS Ketenagakerjaan number (KPJ)"),
        max_length=20,
        required=False,
        help_text=_(
            "The 11 digits on the membership card. Leave it empty to keep the number on "
            "record (it is never shown here)."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    bpjs_programmes = forms.MultipleChoiceField(
        label=_("Programmes"),
        choices=list(PROGRAMMES.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("JKK and JKM are compulsory for migrant workers."),
    )

    def data_out(self) -> dict:
        return {
            "bpjs_number": self.cleaned_data["bpjs_number"],
            "bpjs_programmes": self.cleaned_data["bpjs_programmes"],
        }


class SessionChoice(IdModelChoiceField):
    def label_from_instance(self, obj):
        from django.utils import formats, timezone

        when = formats.date_format(timezone.localtime(obj.starts_at), "DATETIME_FORMAT")
        return f"{when} · {obj.place}"


class OrientationForm(_Versioned):
    orientation = SessionChoice(
        label=_("Orientation session"),
        queryset=None,
        required=False,
        empty_label=_("None (typed below)"),
    )
    orientation_attended_on = forms.DateField(label=_("Attended on"), widget=DATE, required=False)
    orientation_place = forms.CharField(label=_("Place"), max_length=300, required=False)
    orientation_certificate = forms.CharField(
        label=_("Certificate number"), max_length=80, required=False
    )

    def __init__(self, *args, sessions=None, **kwargs):
        super().__init__(*args, **kwargs)
        from garda.jobs.models import OrientationSession

        self.fields["orientation"].queryset = (
            sessions if sessions is not None else OrientationSession.objects.all()
        )

    def data_out(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class VisaForm(_Versioned):
    visa_number = forms.CharField(
        label=_("Visa number"),
        max_length=40,
        required=False,
        help_text=_("Leave it empty to keep the number on record (it is never shown here)."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    visa_issued_on = forms.DateField(label=_("Visa issued on"), widget=DATE, required=False)
    visa_valid_until = forms.DateField(label=_("Visa valid until"), widget=DATE, required=False)

    def data_out(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class TravelForm(_Versioned):
    departure_date = forms.DateField(label=_("Departure date"), widget=DATE, required=False)
    flight = forms.CharField(
        label=_("Flight"), max_length=40, required=False, help_text=_("e.g. GA 890")
    )

    def data_out(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class ArriveForm(_Versioned):
    arrived_on = forms.DateField(label=_("Arrived on"), widget=DATE, required=False)


class CancelForm(_Versioned):
    reason = forms.CharField(
        label=_("Why"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    by_worker = forms.BooleanField(label=_("The worker withdrew"), required=False)


SECTION_FORMS = {
    "contract": ContractForm,
    "bpjs": BpjsForm,
    "orientation": OrientationForm,
    "visa": VisaForm,
    "travel": TravelForm,
}


class DestinationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=DATETIME,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=_("Place"), max_length=300)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=1000)
    destination = DestinationChoice(
        label=_("For workers going to (country)"),
        queryset=Destination.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("Any destination"),
    )
    batch = IdModelChoiceField(
        label=_("Training batch"),
        queryset=None,
        required=False,
        empty_label=_("None"),
        help_text=_("When a training provider runs the session as one of its batches."),
    )
    notes = forms.CharField(label=_("Notes"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from garda.training.models import Batch

        self.fields["batch"].queryset = Batch.objects.order_by("-starts_on")

    @classmethod
    def for_instance(cls, session):
        from django.utils import timezone

        return cls(
            initial={
                "starts_at": timezone.localtime(session.starts_at),
                "place": session.place,
                "capacity": session.capacity,
                "destination": session.destination or None,
                "batch": session.batch_id,
                "notes": session.notes,
            }
        )

    def data_out(self) -> SessionData:
        d = self.cleaned_data
        return SessionData(
            starts_at=d["starts_at"],
            place=d["place"],
            capacity=d["capacity"],
            destination=d["destination"].code if d["destination"] else "",
            batch=d["batch"],
            notes=d["notes"],
        )
