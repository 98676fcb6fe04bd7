"""Forms of the accompaniment pages (and of the worklist filters)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from garda.accompaniment import worklist
from garda.accompaniment.models import Contact, Task
from garda.fields import IdModelChoiceField

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def _datetime_field(label) -> forms.DateTimeField:
    # Interpreted in the site's time zone (Asia/Jakarta), like every time shown.
    return forms.DateTimeField(
        label=label,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )


class OfficerChoiceField(IdModelChoiceField):
    def label_from_instance(self, obj) -> str:
        name = obj.full_name or obj.email
        return f"{name} ({obj.agency.short_name})" if obj.agency_id else name


class TaskForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Task.Kind.choices, initial=Task.Kind.TASK)
    title = forms.CharField(label=_("What"), max_length=200)
    due_at = _datetime_field(_("When"))
    place = forms.CharField(
        label=_("Where"),
        max_length=200,
        required=False,
        help_text=_("Required for an appointment, e.g. the immigration office in Jakarta Selatan."),
    )
    note = forms.CharField(
        label=_("Internal note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only staff see it; the worker sees what, when and where."),
    )
    officer = OfficerChoiceField(label=_("Officer"), queryset=None, required=False)

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if officers is None:
            del self.fields["officer"]
        else:
            self.fields["officer"].queryset = officers
            self.fields["officer"].required = True


class RescheduleForm(forms.Form):
    due_at = _datetime_field(_("New date and time"))
    place = forms.CharField(label=_("Where"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ContactForm(forms.Form):
    channel = forms.ChoiceField(label=_("How"), choices=Contact.Channel.choices)
    happened_at = _datetime_field(_("When"))
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class AssignmentForm(forms.Form):
    officer = OfficerChoiceField(label=_("Officer"), queryset=None)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers


class IdListField(forms.Field):
    """Several ids (ticked checkboxes); whether they fit is the service's check."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        try:
            return sorted({int(v) for v in value})
        except (TypeError, ValueError):
            raise forms.ValidationError(_("Choose from the list."), code="invalid") from None


class ReassignForm(forms.Form):
    """Move all or the selected persons of one officer to another."""

    from_officer = OfficerChoiceField(label=_("From officer"), queryset=None)
    to_officer = OfficerChoiceField(label=_("To officer"), queryset=None)
    everyone = forms.BooleanField(
        label=_("Move all their persons"),
        required=False,
        help_text=_("Otherwise only the persons ticked below."),
    )
    person_ids = IdListField(label=_("Persons"), required=False)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_officer"].queryset = officers
        self.fields["to_officer"].queryset = officers

    def clean(self):
        data = super().clean()
        source, target = data.get("from_officer"), data.get("to_officer")
        if source and target and source.pk == target.pk:
            self.add_error(
                "to_officer",
                forms.ValidationError(
                    _("Choose another officer than the current one."), code="same_officer"
                ),
            )
        if not data.get("everyone") and not data.get("person_ids"):
            self.add_error(
                "person_ids",
                forms.ValidationError(
                    _("Tick the persons to move, or choose to move all of them."),
                    code="required",
                ),
            )
        return data


class WorklistFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            (worklist.ALL, _("Everyone I accompany")),
            (worklist.NEEDS_ACTION, _("Needs action")),
            (worklist.DUE_THIS_WEEK, _("Due this week")),
        ],
    )

    def show_value(self) -> str:
        if self.is_valid() and self.cleaned_data.get("show"):
            return self.cleaned_data["show"]
        return worklist.ALL
