from django import forms
from django.utils.translation import gettext_lazy as _


class NikCheckForm(forms.Form):
    nik = forms.CharField(
        label=_("NIK"),
        max_length=32,
        help_text=_("16 digits, as printed on the KTP or KK."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_date = forms.DateField(
        label=_("Declared birth date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sex = forms.ChoiceField(
        label=_("Declared sex"),
        required=False,
        choices=[("", "—"), ("M", _("Male")), ("F", _("Female"))],
    )
