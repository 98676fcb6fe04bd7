from django import forms
from django.utils.translation import gettext_lazy as _

from garda.family.services.following import MAX_REASON


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why end it"),
        max_length=MAX_REASON,
    )


class PreferenceForm(forms.Form):
    allowed = forms.BooleanField(
        label=_("My family may follow my cases"),
        required=False,
        help_text=_(
            "A family member named in your profile can then follow the stage of your case "
            "and the messages shared with you, with a code an officer gives them."
        ),
    )
