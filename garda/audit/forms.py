from datetime import date, datetime, time, timedelta

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from garda.audit.models import AuditEvent


class AuditFilterForm(forms.Form):
    """Filters shared by the audit page and the audit API."""

    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("All"))] + AuditEvent.Action.choices
    )
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=60)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    actor = forms.IntegerField(
        label=_("Actor id"), required=False, min_value=1, max_value=2**63 - 1
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def filter(self, qs: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        if not self.is_bound or not self.is_valid():
            return qs
        data = self.cleaned_data
        if data["action"]:
            qs = qs.filter(action=data["action"])
        if data["object_type"]:
            qs = qs.filter(object_type=data["object_type"])
        if data["object_id"]:
            qs = qs.filter(object_id=data["object_id"])
        if data["actor"]:
            qs = qs.filter(actor_id=data["actor"])
        # Whole days in Jakarta time, as ranges on created_at so the index is used.
        if data["since"]:
            qs = qs.filter(created_at__gte=_midnight(data["since"]))
        if data["until"]:
            qs = qs.filter(created_at__lt=_midnight(data["until"] + timedelta(days=1)))
        return qs


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
