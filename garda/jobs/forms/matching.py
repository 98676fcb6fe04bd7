"""The worker's wishes for matching: the countries and sectors they would work in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from garda.destinations.models import Sector


def _countries():
    from django.utils.translation import get_language

    from garda.destinations.models import Destination

    english = (get_language() or "id").startswith("en")
    return [
        (code, name_en if english and name_en else name)
        for code, name, name_en in Destination.objects.order_by("name").values_list(
            "code", "name", "name_en"
        )
    ]


class PreferenceForm(forms.Form):
    destinations = forms.MultipleChoiceField(
        label=_("Countries I would work in"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sectors = forms.MultipleChoiceField(
        label=_("Kinds of work I want"),
        required=False,
        choices=Sector.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destinations"].choices = _countries()
