"""The referral pages' forms (the services check again, and name the field)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from garda.accounts.models import Agency
from garda.cases.models import Service
from garda.referrals.models import Channel, Section


class ReferralForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Agency referred to"), queryset=Agency.objects.none(), empty_label="—"
    )
    service_type = forms.ChoiceField(label=_("Service asked for"), choices=Service.Type.choices)
    request = forms.CharField(
        label=_("What is asked"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the agency should do, in a few sentences."),
    )
    due_at = forms.DateTimeField(
        label=_("Answer by"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Left empty: the usual period for this service."),
        required=False,
    )
    sections = forms.MultipleChoiceField(
        label=_("Parts of the case shared"),
        choices=Section.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only what the agency needs. Notes and messages are never shared."),
    )
    override_reason = forms.CharField(
        label=_("Reason for sharing without consent"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when the person has not agreed: audited and shown to supervisors."),
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(is_active=True).order_by("name")
        if case is not None and case.agency_id is not None:
            agencies = agencies.exclude(pk=case.agency_id)
        self.fields["agency"].queryset = agencies


class OnBehalfForm(forms.Form):
    """Who at the agency answered outside Garda, and how (the case's officer records)."""

    channel = forms.ChoiceField(label=_("How the agency answered"), choices=Channel.choices)
    given_by_name = forms.CharField(label=_("Who answered at the agency"), max_length=200)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the agency declines"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReportForm(forms.Form):
    what = forms.CharField(
        label=_("Service delivered"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    delivered_on = forms.DateField(
        label=_("Delivered on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    delivered_by_name = forms.CharField(label=_("Delivered by"), max_length=200)
    outcome = forms.CharField(
        label=_("Outcome"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=500)
