"""Forms of the recommendations and outcomes pages (GET filters, also used by the API)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from garda.destinations.access import visible_destinations
from garda.destinations.models import Scheme
from garda.destinations.models import Sector as JobSector
from garda.fields import IdModelChoiceField
from garda.training.models import Provider, Sector
from garda.training.outcomes import BY_CHOICES

TARGET_FIELDS = ("destination", "scheme", "sector")


class TargetForm(forms.Form):
    """A placement target to recommend courses for (all three fields, or none: the
    person's current plan). The codes are checked again by resolve_target, which
    explains a scheme the destination does not offer."""

    destination = forms.ChoiceField(label=gettext_lazy("Destination country"), required=False)
    scheme = forms.ChoiceField(label=gettext_lazy("Placement scheme"), required=False)
    sector = forms.ChoiceField(
        label=gettext_lazy("Sector"),
        required=False,
        choices=[("", "—"), *JobSector.choices],
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        destinations = list(visible_destinations(user).order_by("name"))
        self.fields["destination"].choices = [
            ("", "—"),
            *((d.code, d.display_name) for d in destinations),
        ]
        # Once a country is chosen, only the schemes it offers (docs/design.md,
        # "Pickers instead of codes"); without JavaScript choosing the country alone
        # and pressing the button is the first step.
        # Any active scheme is accepted (resolve_target then explains, by name, one the
        # country does not offer); the menu lists only the country's.
        source = self.data if self.is_bound else self.initial
        code = str(source.get("destination") or "").strip().upper()
        schemes = list(Scheme.objects.filter(is_active=True).prefetch_related("destinations"))
        self.fields["scheme"].choices = [("", "—"), *((s.code, s.display_name) for s in schemes)]
        chosen = next((d for d in destinations if d.code == code), None)
        if chosen is not None:
            offered = [
                s
                for s in schemes
                if any(o.destination_id == chosen.pk for o in s.destinations.all())
            ]
            self.fields["scheme"].widget.choices = [
                ("", "—"),
                *((s.code, s.display_name) for s in offered),
            ]

    def clean(self):
        data = super().clean()
        given = [name for name in TARGET_FIELDS if data.get(name)]
        if given == ["destination"]:
            return data  # the first step: the schemes of that country are now offered
        if given and len(given) < len(TARGET_FIELDS):
            for name in TARGET_FIELDS:
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Give destination, scheme and sector together."))
        return data

    def target(self) -> tuple[str, str, str] | None:
        """(destination, scheme, sector) when a full target was given, else None."""
        if not self.is_bound or not self.is_valid():
            return None
        values = tuple(self.cleaned_data.get(name) or "" for name in TARGET_FIELDS)
        return values if all(values) else None


class OutcomeFilterForm(forms.Form):
    by = forms.ChoiceField(
        label=gettext_lazy("Group by"),
        required=False,
        choices=[
            ("course", gettext_lazy("Course")),
            ("provider", gettext_lazy("Provider")),
            ("batch", gettext_lazy("Batch")),
        ],
    )
    # "from" and "to" as in the API's query; Python names them date_from, date_to.
    date_from = forms.DateField(
        label=gettext_lazy("Batches starting from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=gettext_lazy("until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    provider = IdModelChoiceField(
        label=gettext_lazy("Provider"),
        required=False,
        queryset=Provider.objects.select_related("agency").order_by("agency__name"),
    )
    sector = forms.ChoiceField(
        label=gettext_lazy("Sector"), required=False, choices=[("", "—"), *Sector.choices]
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            # The query string says from/to (the API's names); the form's fields are
            # date_from/date_to.
            data = data.copy()
            for public, name in (("from", "date_from"), ("to", "date_to")):
                if public in data and name not in data:
                    data[name] = data[public]
        super().__init__(data, *args, **kwargs)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data

    def filters(self) -> dict:
        """Keyword arguments for outcomes.outcomes (call after is_valid())."""
        data = self.cleaned_data
        by = data.get("by") or "course"
        assert by in BY_CHOICES
        return {
            "by": by,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "provider": data.get("provider"),
            "sector": data.get("sector") or None,
        }
