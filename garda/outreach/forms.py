"""The outreach pages' forms: plain fields that work without JavaScript."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from garda.fields import IdModelChoiceField
from garda.outreach.models import Announcement, Campaign, Event
from garda.outreach.services.announcements import INTERESTS, AnnouncementData, SubscriptionData
from garda.outreach.services.events import EventData
from garda.outreach.services.registrations import RegistrationData
from garda.places.models import Region

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
REGION_HELP = _("The Kemendagri code of the kelurahan, kecamatan or city (e.g. 31.71.01.1001).")


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    campaign = IdModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.filter(active=True), required=False
    )
    region_code = forms.CharField(
        label=_("Place (region code)"), max_length=13, help_text=REGION_HELP
    )
    venue = forms.CharField(label=_("Venue"), max_length=300)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME)
    audience = forms.ChoiceField(label=_("Audience"), choices=Event.Audience.choices)
    capacity = forms.IntegerField(
        label=_("Capacity"),
        required=False,
        min_value=1,
        max_value=100_000,
        help_text=_("Empty: no limit."),
    )
    partners = forms.CharField(
        label=_("Partners"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    budget_line = forms.CharField(label=_("Budget line"), required=False, max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    @classmethod
    def initial_for(cls, event: Event) -> dict:
        return {
            "kind": event.kind,
            "title": event.title,
            "campaign": event.campaign_id,
            "region_code": event.region_id,
            "venue": event.venue,
            "starts_at": timezone.localtime(event.starts_at),
            "ends_at": timezone.localtime(event.ends_at),
            "audience": event.audience,
            "capacity": event.capacity,
            "partners": event.partners,
            "budget_line": event.budget_line,
            "description": event.description,
        }

    def to_data(self) -> EventData:
        c = dict(self.cleaned_data)
        campaign = c.pop("campaign")
        return EventData(campaign_id=campaign.pk if campaign else None, **c)


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Event.Status.choices)


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    nik = forms.CharField(
        label=_("NIK on their identity card (optional)"),
        max_length=20,
        required=False,
        help_text=_(
            "Type it from the KTP you were shown: only then is the attendance added to "
            "the person's record. A NIK typed when registering online is not trusted."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


class RegistrationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    nik = forms.CharField(
        label=_("NIK (optional)"),
        max_length=20,
        required=False,
        help_text=_(
            "Show your identity card (KTP) at the check-in: the officer adds your "
            "attendance to your record."
        ),
    )

    def to_data(self) -> RegistrationData:
        return RegistrationData(**self.cleaned_data)


class WorkerRegistrationForm(forms.Form):
    """A worker with a record: nothing to type, the record is used."""

    def to_data(self) -> RegistrationData:
        return RegistrationData()


class AnnouncementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Announcement.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}))
    region_code = forms.CharField(
        label=_("City or regency (code)"),
        required=False,
        max_length=13,
        help_text=_("Empty: for everywhere."),
    )
    interest = forms.ChoiceField(
        label=_("Interest"), required=False, choices=[("", _("Everyone")), *INTERESTS]
    )

    def to_data(self) -> AnnouncementData:
        return AnnouncementData(**self.cleaned_data)


class SubscriptionForm(forms.Form):
    active = forms.BooleanField(label=_("Send me announcements"), required=False)
    districts = forms.MultipleChoiceField(
        label=_("Cities and regencies"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: everywhere."),
    )
    interests = forms.MultipleChoiceField(
        label=_("Interests"),
        required=False,
        choices=INTERESTS,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: everything."),
    )
    by_email = forms.BooleanField(label=_("Also by e-mail"), required=False)
    by_sms = forms.BooleanField(label=_("Also by SMS/WhatsApp"), required=False)
    phone = forms.CharField(label=_("Phone for SMS/WhatsApp"), required=False, max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The cities and regencies of DKI Jakarta first (the province the app serves).
        self.fields["districts"].choices = list(
            Region.objects.filter(
                level=Region.Level.REGENCY, code__startswith="31", is_current=True
            )
            .order_by("code")
            .values_list("code", "name")
        )

    def to_data(self) -> SubscriptionData:
        return SubscriptionData(**self.cleaned_data)
