"""Forms of the rules pages (and the filters the API shares with them)."""

from dataclasses import fields

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from garda.destinations.models import (
    Destination,
    DestinationScheme,
    Plan,
    Scheme,
    Sector,
    SectorRule,
)
from garda.destinations.readiness import plannable_destinations
from garda.destinations.services.rules import (
    MAX_REQUIREMENTS,
    DestinationData,
    RequirementData,
    RequirementSetTerms,
)
from garda.documents.models import DocumentType
from garda.people.models import Education

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SECTOR_CHOICES = [("", _("Any sector")), *Sector.choices]
EDUCATION_CHOICES = [("", _("No minimum")), *Education.choices]


class DestinationForm(forms.Form):
    """A destination's editable facts; the hidden version guards against lost updates."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in fields(DestinationData):
            extra = {"assume_scheme": "https"} if f.name == "embassy_website" else {}
            self.fields[f.name] = Destination._meta.get_field(f.name).formfield(**extra)
        self.fields["min_age"] = forms.IntegerField(
            label=Destination._meta.get_field("min_age").verbose_name,
            min_value=18,
            max_value=99,
            help_text=_("At least 18 (UU 18/2017 art. 5)."),
        )
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    @staticmethod
    def initial_for(destination: Destination) -> dict:
        return {**DestinationData.of(destination).__dict__, "version": destination.version}

    def data_object(self) -> DestinationData:
        return DestinationData.from_cleaned(self.cleaned_data)


class SectorRuleForm(forms.Form):
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    occupation = forms.CharField(
        label=_("Occupation (optional)"),
        max_length=100,
        required=False,
        help_text=_("Leave empty for a rule on the whole sector."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=SectorRule.Status.choices)
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=300,
        help_text=_("The decree, regulation or agreement, e.g. Kepmenaker 260/2015."),
    )
    effective_from = forms.DateField(label=_("In force from"), widget=DATE_INPUT)
    effective_to = forms.DateField(
        label=_("In force until (exclusive, optional)"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Leave empty while the rule applies until further notice."),
    )
    note = forms.CharField(
        label=_("Note for workers (Indonesian)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("effective_from"), data.get("effective_to")
        if start and end and end <= start:
            self.add_error(
                "effective_to",
                ValidationError(
                    _(
                        "The end date must be after the start date: the rule stops applying "
                        "on the end date itself."
                    ),
                    code="dates_ordered",
                ),
            )
        return data


class RequirementSetForm(forms.Form):
    """The terms of a requirement set version, conditions as plain fields."""

    name = forms.CharField(label=_("Name (Indonesian)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300)
    min_age = forms.IntegerField(label=_("Minimum age"), required=False, min_value=18, max_value=99)
    max_age = forms.IntegerField(label=_("Maximum age"), required=False, min_value=18, max_value=99)
    min_education = forms.ChoiceField(
        label=_("Minimum education"), choices=EDUCATION_CHOICES, required=False
    )
    prior_stay_country = forms.CharField(
        label=_("Prior stay: country code"),
        required=False,
        max_length=2,
        help_text=_("e.g. KR: the total earlier stay in that country is limited."),
    )
    prior_stay_years = forms.IntegerField(
        label=_("Prior stay: fewer than (years)"), required=False, min_value=1, max_value=50
    )
    min_experience_years = forms.IntegerField(
        label=_("Minimum work experience (years)"), required=False, min_value=1, max_value=50
    )
    sex = forms.ChoiceField(
        label=_("Only for"),
        required=False,
        choices=[("", _("Women and men")), ("F", _("Women")), ("M", _("Men"))],
    )
    effective_from = forms.DateField(label=_("In force from"), widget=DATE_INPUT)
    note = forms.CharField(
        label=_("Note for workers (Indonesian)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_prior_stay_country(self):
        return self.cleaned_data["prior_stay_country"].strip().upper()

    def clean(self):
        data = super().clean()
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and high < low:
            self.add_error(
                "max_age",
                ValidationError(
                    _("The maximum age (%(max)s) is below the minimum age (%(min)s).")
                    % {"max": high, "min": low},
                    code="age_band",
                ),
            )
        country, years = data.get("prior_stay_country"), data.get("prior_stay_years")
        if bool(country) != bool(years):
            self.add_error(
                "prior_stay_years" if country else "prior_stay_country",
                ValidationError(
                    _("Give both the country and the number of years, or neither."),
                    code="incomplete",
                ),
            )
        return data

    def conditions(self) -> list[dict]:
        data, conditions = self.cleaned_data, []
        if data.get("prior_stay_country") and data.get("prior_stay_years"):
            conditions.append(
                {
                    "kind": "max_prior_stay_years",
                    "country": data["prior_stay_country"],
                    "years": data["prior_stay_years"],
                }
            )
        if data.get("min_experience_years"):
            conditions.append(
                {"kind": "min_experience_years", "years": data["min_experience_years"]}
            )
        if data.get("sex"):
            conditions.append({"kind": "sex", "value": data["sex"]})
        return conditions

    def terms(self) -> RequirementSetTerms:
        data = self.cleaned_data
        return RequirementSetTerms(
            name=data["name"],
            name_en=data["name_en"],
            legal_basis=data["legal_basis"],
            min_age=data.get("min_age"),
            max_age=data.get("max_age"),
            min_education=data.get("min_education") or "",
            conditions=self.conditions(),
            note=data.get("note") or "",
            effective_from=data["effective_from"],
        )

    @staticmethod
    def initial_for(terms: RequirementSetTerms) -> dict:
        initial = {
            "name": terms.name,
            "name_en": terms.name_en,
            "legal_basis": terms.legal_basis,
            "min_age": terms.min_age,
            "max_age": terms.max_age,
            "min_education": terms.min_education,
            "note": terms.note,
            "effective_from": terms.effective_from,
        }
        for cond in terms.conditions:
            if cond.get("kind") == "max_prior_stay_years":
                initial["prior_stay_country"] = cond.get("country", "")
                initial["prior_stay_years"] = cond.get("years")
            elif cond.get("kind") == "min_experience_years":
                initial["min_experience_years"] = cond.get("years")
            elif cond.get("kind") == "sex":
                initial["sex"] = cond.get("value", "")
        return initial


class RequirementSetCreateForm(RequirementSetForm):
    """A new set: its code and target too (a revision keeps them)."""

    code = forms.SlugField(
        label=_("Code"),
        max_length=60,
        help_text=_("Lower-case letters, digits and hyphens, e.g. kr-eps-fishery."),
    )
    destination = forms.ModelChoiceField(
        label=_("Destination"),
        queryset=Destination.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label=_("Any destination"),
    )
    scheme = forms.ModelChoiceField(
        label=_("Scheme"),
        queryset=Scheme.objects.filter(is_active=True).order_by("code"),
        to_field_name="code",
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=SECTOR_CHOICES, required=False)

    field_order = ["code", "destination", "scheme", "sector"]


def document_type_choices() -> list[tuple[str, str]]:
    """Active document types for the requirement rows (one query, shared by the rows)."""
    return [("", "—")] + [
        (t.code, f"{t.display_name} ({t.code})")
        for t in DocumentType.objects.filter(is_active=True).order_by("order", "code")
    ]


class RequirementRowForm(forms.Form):
    document_type = forms.ChoiceField(label=_("Document"), required=False)
    min_level = forms.CharField(label=_("Minimum level or score"), max_length=20, required=False)
    validity_months = forms.IntegerField(
        label=_("Valid for (months after issue)"), required=False, min_value=1, max_value=240
    )
    min_remaining_months = forms.IntegerField(
        label=_("Minimum remaining validity (months)"),
        required=False,
        min_value=1,
        max_value=240,
    )
    note = forms.CharField(label=_("Note (Indonesian)"), max_length=300, required=False)
    alternative_group = forms.IntegerField(
        label=_("Alternative group"),
        required=False,
        min_value=1,
        max_value=99,
        help_text=_("Rows with the same number are alternatives: any one of them is enough."),
    )

    def __init__(self, *args, type_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_type"].choices = type_choices

    def requirement(self) -> RequirementData | None:
        data = self.cleaned_data
        if not data.get("document_type") or data.get("DELETE"):
            return None
        return RequirementData(
            type_code=data["document_type"],
            min_level=data.get("min_level") or "",
            validity_months=data.get("validity_months"),
            min_remaining_months=data.get("min_remaining_months"),
            note=data.get("note") or "",
            alternative_group=data.get("alternative_group"),
        )


RequirementFormSet = forms.formset_factory(
    RequirementRowForm,
    extra=3,
    can_delete=True,
    max_num=MAX_REQUIREMENTS,
    validate_max=True,
    absolute_max=MAX_REQUIREMENTS + 10,
)


def requirement_formset(data=None, *, initial=None, type_choices=None):
    return RequirementFormSet(
        data,
        initial=initial,
        prefix="req",
        form_kwargs={"type_choices": type_choices or document_type_choices()},
    )


def formset_requirements(formset) -> list[RequirementData]:
    return [r for form in formset.forms if (r := form.requirement()) is not None]


class RequirementSetFilterForm(forms.Form):
    destination = forms.CharField(label=_("Destination code"), required=False, max_length=2)
    scheme = forms.CharField(label=_("Scheme code"), required=False, max_length=40)
    sector = forms.ChoiceField(label=_("Sector"), choices=SECTOR_CHOICES, required=False)
    current = forms.ChoiceField(
        label=_("Versions"),
        required=False,
        choices=[("1", _("Current only")), ("0", _("Earlier versions only")), ("", _("All"))],
    )

    def filter(self, qs):
        if not self.is_valid():
            return qs.filter(is_current=True)
        data = self.cleaned_data
        if data["destination"]:
            qs = qs.filter(destination__code=data["destination"].upper())
        if data["scheme"]:
            qs = qs.filter(scheme__code=data["scheme"])
        if data["sector"]:
            qs = qs.filter(sector=data["sector"])
        if data["current"] == "1":
            qs = qs.filter(is_current=True)
        elif data["current"] == "0":
            qs = qs.filter(is_current=False)
        return qs


class PublicSectorForm(forms.Form):
    sector = forms.ChoiceField(label=_("Sector"), choices=SECTOR_CHOICES, required=False)


class PlanForm(forms.Form):
    """A person's placement target, in two steps: the destination country first
    (nothing preselected), then a scheme among those that country offers and a sector
    among those its schemes place into. Without a destination chosen the form has only
    that field (plan_form.html then submits it with GET: "Lanjutkan"); with HTMX the
    form reloads when the country changes.

    The scheme and sector are checked by plans.plan_set (readiness.resolve_target),
    which explains a refusal by name and lists what the country does offer: a sector
    under moratorium, deliberately absent from the schemes' lists, can still be asked
    about and gets its moratorium explained.
    """

    destination = forms.ChoiceField(
        label=_("Destination country"),
        error_messages={
            "required": _("Choose the destination country."),
            "invalid_choice": _("Choose the destination country from the list."),
        },
    )
    scheme = forms.CharField(
        label=_("Placement scheme"),
        max_length=40,
        widget=forms.Select,
        error_messages={"required": _("Choose the placement scheme.")},
        help_text=_("Only the schemes this country offers are listed."),
    )
    sector = forms.CharField(
        label=_("Sector"),
        max_length=20,
        widget=forms.Select,
        error_messages={"required": _("Choose the sector of work.")},
    )
    planned_departure = forms.DateField(
        label=_("Planned departure"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Leave empty if you do not know yet."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only destinations this user may plan for (a draft is for admins only).
        destinations = sorted(plannable_destinations(user), key=lambda d: d.display_name)
        self.fields["destination"].choices = [
            ("", _("Choose the destination country")),
            *((d.code, d.display_name) for d in destinations),
        ]
        source = self.data if self.is_bound else self.initial
        code = str(source.get("destination") or "").strip().upper()
        self.destination = next((d for d in destinations if d.code == code), None)
        if self.destination is None:
            for name in ("scheme", "sector", "planned_departure"):
                del self.fields[name]
            return
        offered = list(
            DestinationScheme.objects.filter(
                destination=self.destination, scheme__is_active=True
            ).select_related("scheme")
        )
        schemes = [o.scheme for o in offered] or list(Scheme.objects.filter(is_active=True))
        self.fields["scheme"].widget.choices = [
            ("", _("Choose the placement scheme")),
            *sorted(((s.code, s.display_name) for s in schemes), key=lambda c: c[1]),
        ]
        # A scheme with no sector list places into any sector.
        if not offered or any(not o.sectors for o in offered):
            sectors = set(Sector.values)
        else:
            sectors = {sector for o in offered for sector in o.sectors}
        self.fields["sector"].widget.choices = [
            ("", _("Choose the sector of work")),
            *((value, label) for value, label in Sector.choices if value in sectors),
        ]

    @property
    def destination_chosen(self) -> bool:
        return self.destination is not None

    @classmethod
    def for_plan(cls, plan: Plan | None, *, user=None) -> "PlanForm":
        if plan is None:
            return cls(user=user)
        return cls(
            user=user,
            initial={
                "destination": plan.destination.code,
                "scheme": plan.scheme.code,
                "sector": plan.sector,
                "planned_departure": plan.planned_departure,
            },
        )
