"""The reintegration pages' forms. Plain fields (no JavaScript): the plan's goals are
repeated rows, the survey is one group of radio buttons per question, built from the
plan's instrument in the reader's language."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from garda.reintegration.instruments import questions
from garda.reintegration.models import Goal, Programme, Remigration, Vulnerability
from garda.reintegration.services.plans import AssessmentData, GoalData, PlanData

GOAL_ROWS = 4
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AssessmentForm(forms.Form):
    returned_on = forms.DateField(label=_("Returned on"), widget=DATE)
    vulnerability = forms.ChoiceField(
        label=_("Vulnerability"), choices=Vulnerability.choices, widget=forms.RadioSelect
    )
    economic = forms.CharField(
        label=_("Economic situation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    has_debts = forms.BooleanField(label=_("Has debts"), required=False)
    debts = forms.CharField(
        label=_("Debts (to whom, how much)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    skills = forms.CharField(
        label=_("Skills"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    health = forms.CharField(
        label=_("Health"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    family = forms.CharField(
        label=_("Family"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def to_data(self) -> AssessmentData:
        return AssessmentData(**self.cleaned_data)


def _kind_choices():
    return [("", "—")] + list(Goal.Kind.choices)


class PlanForm(forms.Form):
    returned_on = forms.DateField(
        label=_("Returned on"),
        widget=DATE,
        required=False,
        help_text=_("Empty: the day the records know (the arrival, the assessment)."),
    )
    return_correction = forms.CharField(
        label=_("Why the return date differs from the records"),
        required=False,
        max_length=500,
        help_text=_("Only for a return later than the one the records know."),
    )
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.filter(active=True)
    )
    summary = forms.CharField(
        label=_("What the plan is for"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, GOAL_ROWS + 1):
            self.fields[f"goal_{n}_kind"] = forms.ChoiceField(
                label=_("Goal %(n)s: service") % {"n": n}, choices=_kind_choices(), required=False
            )
            self.fields[f"goal_{n}_description"] = forms.CharField(
                label=_("Goal %(n)s: what is to be achieved") % {"n": n},
                required=False,
                max_length=500,
            )
            self.fields[f"goal_{n}_provider"] = forms.CharField(
                label=_("Goal %(n)s: by whom") % {"n": n}, required=False, max_length=200
            )

    def goal_rows(self) -> list[list]:
        return [
            [self[f"goal_{n}_{part}"] for part in ("kind", "description", "provider")]
            for n in range(1, GOAL_ROWS + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        for n in range(1, GOAL_ROWS + 1):
            kind = cleaned.get(f"goal_{n}_kind")
            text = cleaned.get(f"goal_{n}_description")
            if kind and not text:
                self.add_error(f"goal_{n}_description", _("Say what is to be achieved."))
            if text and not kind:
                self.add_error(f"goal_{n}_kind", _("Choose the service."))
        return cleaned

    def to_data(self) -> PlanData:
        c = self.cleaned_data
        goals = [
            GoalData(
                kind=c[f"goal_{n}_kind"],
                description=c[f"goal_{n}_description"],
                provider=c[f"goal_{n}_provider"],
            )
            for n in range(1, GOAL_ROWS + 1)
            if c.get(f"goal_{n}_kind")
        ]
        return PlanData(
            returned_on=c["returned_on"],
            programme_id=c["programme"].pk,
            goals=goals,
            summary=c["summary"],
            return_correction=c["return_correction"],
        )


class GoalForm(forms.Form):
    kind = forms.ChoiceField(label=_("Which service"), choices=Goal.Kind.choices)
    description = forms.CharField(label=_("What is to be achieved"), max_length=500)
    provider = forms.CharField(label=_("By whom"), required=False, max_length=200)
    due_on = forms.DateField(label=_("By when"), required=False, widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def to_goal(self) -> GoalData:
        c = self.cleaned_data
        return GoalData(
            kind=c["kind"], description=c["description"], provider=c["provider"], due_on=c["due_on"]
        )


class GoalDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Delivered on"), required=False, widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PlanVersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SurveyForm(forms.Form):
    """One radio group per question of `instrument`, then whether the person left
    again, a note and the day. A question left blank is not answered."""

    remigration = forms.ChoiceField(
        label=_("Has the person left again?"),
        choices=Remigration.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    done_on = forms.DateField(label=_("Follow-up done on"), required=False, widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.dimensions = questions(instrument, get_language())
        fields = {}
        for dim in self.dimensions:
            for ind in dim["indicators"]:
                fields[f"q_{ind['code']}"] = forms.ChoiceField(
                    label=ind["question"],
                    choices=[(o["code"], o["label"]) for o in ind["options"]],
                    widget=forms.RadioSelect,
                    required=False,
                )
        # The questions first, then the rest.
        self.fields = {**fields, **self.fields}

    def groups(self) -> list[tuple[str, list]]:
        return [
            (dim["label"], [self[f"q_{ind['code']}"] for ind in dim["indicators"]])
            for dim in self.dimensions
        ]

    def answers(self) -> dict[str, str]:
        return {
            name[2:]: value
            for name, value in self.cleaned_data.items()
            if name.startswith("q_") and value
        }
