"""Input cleaning shared by the pages and the API: the public report form, the
officer's intake form (plus the channel), and the small forms of a case's actions.
Messages are in the reader's language (Indonesian by default)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from garda.cases import screening
from garda.cases.models import (
    OFFICER_CHANNELS,
    ClosingReason,
    Kind,
    Relationship,
    Service,
    Severity,
    Stage,
)
from garda.cases.services.intake import ReportData
from garda.places.models import Country

PHONE_HELP = _("With the country code if it is a number abroad, e.g. +60 12 345 6789.")


class CountryField(forms.ModelChoiceField):
    """A country by its ISO code (the API sends "MY"; the page's select sends the same)."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Country.objects.order_by("name_id"),
            to_field_name="code",
            **kwargs,
        )

    def label_from_instance(self, obj):
        return obj.name_id


class ReportForm(forms.Form):
    """What anyone can report, with or without an account (the public form and
    `POST /api/v1/reports`). `website` is a honeypot: people leave it empty."""

    reporter_name = forms.CharField(label=_("Your name"), max_length=200)
    reporter_phone = forms.CharField(
        label=_("Your phone number"), max_length=30, required=False, help_text=PHONE_HELP
    )
    relationship = forms.ChoiceField(label=_("You are the person's"), choices=Relationship.choices)
    person_name = forms.CharField(label=_("Name of the worker"), max_length=200)
    person_nik = forms.CharField(
        label=_("The worker's NIK (if you know it)"), max_length=16, required=False
    )
    person_birth_date = forms.DateField(
        label=_("The worker's birth date (if you know it)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    country = CountryField(label=_("Country where the worker is now"), required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    employer_abroad = forms.CharField(
        label=_("Employer or address abroad"), max_length=300, required=False
    )
    phone_abroad = forms.CharField(
        label=_("The worker's phone abroad"), max_length=30, required=False, help_text=PHONE_HELP
    )
    last_contact_on = forms.DateField(
        label=_("Last contact with the worker"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    kinds = forms.MultipleChoiceField(
        label=_("What is the problem?"),
        choices=Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one kind of problem.")},
    )
    description = forms.CharField(
        label=_("What happened?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def clean_person_nik(self):
        from garda.people.nik import parse_nik

        nik = self.cleaned_data["person_nik"].strip().replace(" ", "")
        if not nik:
            return ""
        result = parse_nik(nik)
        if not result.valid:
            raise forms.ValidationError(
                _("This NIK is not valid: check the 16 digits, or leave it empty."),
                code="invalid_nik",
            )
        return nik

    def clean_person_birth_date(self):
        value = self.cleaned_data["person_birth_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The birth date is in the future."), code="future")
        return value

    def clean_last_contact_on(self):
        value = self.cleaned_data["last_contact_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future."), code="future")
        return value

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def report_data(self, answers: dict | None = None) -> ReportData:
        c = self.cleaned_data
        return ReportData(
            reporter_name=c["reporter_name"],
            reporter_phone=c.get("reporter_phone", ""),
            relationship=c["relationship"],
            person_name=c["person_name"],
            person_nik=c.get("person_nik", ""),
            person_birth_date=c.get("person_birth_date"),
            country=c.get("country"),
            city=c.get("city", ""),
            employer_abroad=c.get("employer_abroad", ""),
            phone_abroad=c.get("phone_abroad", ""),
            last_contact_on=c.get("last_contact_on"),
            kinds=list(c["kinds"]),
            description=c["description"],
            answers=answers if answers is not None else screening_answers(self.data),
        )


class CaseForm(ReportForm):
    """An officer's intake (hotline, walk-in, family at the office, embassy, another
    agency): the report plus the channel and the screening, asked where the channel
    allows."""

    channel = forms.ChoiceField(
        label=_("How the report came in"),
        choices=[(c.value, c.label) for c in OFFICER_CHANNELS],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No honeypot on a signed-in officer's form (it is for robots on the public one).
        self.fields.pop("website", None)
        # The officer types what the reporter says: the questions speak of them.
        self.fields["reporter_name"].label = _("Name of the reporter")
        self.fields["reporter_phone"].label = _("Reporter's phone number")
        self.fields["relationship"].label = _("The reporter is the worker's")


def screening_fields() -> list[tuple[str, screening.Question]]:
    """Form field names of the screening questions ("q_documents"...)."""
    return [(f"q_{q.code}", q) for q in screening.QUESTIONS]


def screening_answers(data) -> dict:
    """The answers given in a posted form (unanswered and "unknown" left out)."""
    answers = {}
    for name, question in screening_fields():
        value = data.get(name, "") if hasattr(data, "get") else ""
        if value and value != screening.UNKNOWN.code:
            answers[question.code] = value
    return answers


class ScreeningForm(forms.Form):
    """One round of the 11 questions (every one optional: ask what the moment allows)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, question in screening_fields():
            self.fields[name] = forms.ChoiceField(
                label=question.text,
                choices=[(o.code, o.label) for o in question.options],
                required=False,
                widget=forms.RadioSelect,
                initial=screening.UNKNOWN.code,
            )

    def answers(self) -> dict:
        return screening_answers(self.cleaned_data)


class MoveForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    reason = forms.CharField(label=_("Why"), max_length=500)
    closing_reason = forms.ChoiceField(
        label=_("Closing reason"), choices=[("", "—"), *ClosingReason.choices], required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SeverityForm(forms.Form):
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    reason = forms.CharField(label=_("Why"), max_length=500)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    shared = forms.BooleanField(label=_("Share with the worker and the reporter"), required=False)


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Add information"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class ServiceForm(forms.Form):
    type = forms.ChoiceField(label=_("Type of service"), choices=Service.Type.choices)
    timeframe = forms.ChoiceField(label=_("When"), choices=Service.Timeframe.choices)
    due_on = forms.DateField(
        label=_('Date (when "by a date")'),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    provider = forms.CharField(label=_("Who provides it"), max_length=200, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TaskForm(forms.Form):
    title = forms.CharField(label=_("What"), max_length=200)
    due_at = forms.DateTimeField(
        label=_("By when"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=500)


class ApprovalForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve closing")), ("0", _("Do not approve"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)
