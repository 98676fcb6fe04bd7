"""Forms of the classroom pages: a batch (new, edit), cancelling it, a no-show.

The attendance and assessment sheets are one field per trainee; their views read
them directly (a form class per class size buys nothing) and the services validate.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from garda.accounts import roles
from garda.accounts.models import User
from garda.fields import IdModelChoiceField, IdModelMultipleChoiceField
from garda.places.models import Region
from garda.training.models import Course

WEEKDAY_CHOICES = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class TrainerChoiceField(IdModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        name = obj.full_name or obj.email
        return f"{name} ({obj.agency.short_name})" if obj.agency_id else name


def trainer_choices(agency_ids):
    return (
        User.objects.filter(
            is_active=True, groups__name=roles.TRAINER, agency_id__in=list(agency_ids)
        )
        .select_related("agency")
        .order_by("full_name", "email")
        .distinct()
    )


class _ScheduleMixin(forms.Form):
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    enrol_until = forms.DateField(
        label=_("Enrolment open until"),
        widget=DateInput(),
        required=False,
        help_text=_("Empty: the day before the start."),
    )
    session_days = forms.MultipleChoiceField(
        label=_("Session days"),
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=["0", "1", "2", "3", "4"],
    )
    session_start = forms.TimeField(label=_("Sessions start at"), widget=TimeInput())
    session_end = forms.TimeField(label=_("Sessions end at"), widget=TimeInput())
    place = forms.CharField(label=_("Place"), max_length=200)
    region = forms.CharField(
        label=_("Region code"),
        max_length=13,
        required=False,
        help_text=_("The city or district of the place, e.g. 31.75 (Jakarta Timur)."),
    )
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=32767)

    def clean_region(self):
        code = (self.cleaned_data.get("region") or "").strip()
        if not code:
            return None
        region = Region.objects.filter(pk=code).first()
        if region is None:
            raise forms.ValidationError(_("Unknown region code."), code="unknown_region")
        return region

    def clean_session_days(self):
        return sorted(int(d) for d in self.cleaned_data["session_days"])


class BatchForm(_ScheduleMixin):
    """A new batch."""

    course = IdModelChoiceField(label=_("Course"), queryset=Course.objects.none())
    provider = IdModelChoiceField(label=_("Provider"), queryset=None)
    code = forms.CharField(label=_("Batch code"), max_length=40)
    trainers = TrainerChoiceField(
        label=_("Trainers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Active trainers of the provider. You teach the batches you create."),
    )
    field_order = ["course", "provider", "code", "starts_on", "ends_on"]

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.filter(is_active=True).order_by("code")
        self.fields["provider"].queryset = providers.select_related("agency")
        self.fields["trainers"].queryset = trainer_choices(providers.values_list("agency_id"))


class BatchEditForm(_ScheduleMixin):
    is_published = forms.BooleanField(label=_("Shown in the public catalogue"), required=False)
    trainers = TrainerChoiceField(
        label=_("Trainers"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, batch, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainers"].queryset = trainer_choices([batch.provider.agency_id])


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"), max_length=400, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoShowForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=400)
