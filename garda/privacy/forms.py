"""Input of the privacy pages and, where a form is the validator, the API."""

from django import forms
from django.utils.translation import gettext_lazy as _

from garda.documents.models import Document
from garda.people.models import Person
from garda.privacy.services.corrections import MAX_TEXT, field_choices


class EvidenceChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Document) -> str:
        return f"{obj.type.name} ({obj.uploaded_at:%d-%m-%Y})"


class CorrectionForm(forms.Form):
    """What the worker asks to correct. The service checks the value with the
    registry's own rules (services.corrections.clean_value)."""

    field = forms.ChoiceField(
        label=_("What is wrong?"),
        error_messages={
            "required": _("Choose what to correct."),
            "invalid_choice": _("Choose what to correct."),
        },
    )
    requested_value = forms.CharField(
        label=_("The correct value"),
        max_length=300,
        required=False,
        help_text=_("Write it as it is on your documents. For a date: day-month-year."),
    )
    description = forms.CharField(
        label=_("Describe what is wrong"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only when you chose “Something else”."),
    )
    reason = forms.CharField(
        label=_("Why should it be corrected?"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why it should be corrected.")},
    )
    evidence = EvidenceChoice(
        label=_("Evidence (optional)"),
        queryset=Document.objects.none(),
        required=False,
        empty_label=_("No evidence"),
        help_text=_(
            "One of your documents that shows the correct value. Upload it first on "
            "the page My documents."
        ),
        error_messages={"invalid_choice": _("Choose one of your own documents.")},
    )

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", "—"), *field_choices()]
        self.fields["evidence"].queryset = (
            Document.objects.filter(person=person)
            .exclude(status=Document.Status.REPLACED)
            .select_related("type")
            .order_by("type__order", "-uploaded_at")
        )

    def clean_requested_value(self):
        # A date typed day-month-year ("05-03-1990") is read as the person form reads it.
        value = self.cleaned_data["requested_value"].strip()
        parts = value.replace("/", "-").split("-")
        if self.data.get("field") == "birth_date" and len(parts) == 3 and len(parts[2]) == 4:
            value = f"{parts[2]}-{parts[1].zfill(2)}-{parts[0].zfill(2)}"
        return value


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept and correct")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose accept or reject."),
            "invalid_choice": _("Choose accept or reject."),
        },
    )
    note = forms.CharField(
        label=_("Reason or note for the person"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when you reject, and when you accept something described in words."),
    )
