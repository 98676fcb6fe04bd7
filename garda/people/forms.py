import phonenumbers
from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from garda.people.models import Education, LanguageSkill, MaritalStatus, Route, Sex, Status
from garda.people.nik import check_declared, parse_nik
from garda.people.rules import TRANSITIONS
from garda.places.models import Country, Region


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


def normalize_phone(raw: str) -> str:
    """An Indonesian or international phone number in E.164 ("" stays "")."""
    raw = raw.strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, "ID")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(_("This is not a valid phone number."), code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class PersonForm(forms.Form):
    """The person record, as an officer registers it or a worker completes it. The API
    validates with this same form, so both speak the same rules and messages."""

    nik = forms.CharField(
        label=_("NIK"), max_length=32, help_text=_("16 digits, as printed on the KTP or KK.")
    )
    full_name = forms.CharField(label=_("Full name (as on the KTP)"), max_length=200)
    other_names = forms.CharField(label=_("Other names"), max_length=300, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    birth_date = forms.DateField(
        label=_("Birth date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    birth_place = forms.CharField(label=_("Birth place"), max_length=100, required=False)
    marital_status = forms.ChoiceField(
        label=_("Marital status"), choices=[("", "—"), *MaritalStatus.choices], required=False
    )
    address_line = forms.CharField(label=_("Address"), max_length=300, required=False)
    village_code = forms.CharField(
        label=_("Village code"),
        max_length=13,
        required=False,
        help_text=_("Kemendagri code of the kelurahan/desa, e.g. 31.71.01.1001."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    education_level = forms.ChoiceField(
        label=_("Education"), choices=[("", "—"), *Education.choices], required=False
    )
    education_field = forms.CharField(label=_("Field of study"), max_length=100, required=False)
    kk_number = forms.CharField(label=_("Family card (KK) number"), max_length=16, required=False)
    passport_number = forms.CharField(label=_("Passport number"), max_length=12, required=False)
    nik_mismatch_reason = forms.CharField(
        label=_("Reason for a difference with the NIK"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only when the documents show another birth date or sex than the NIK: "
            "say which document and why."
        ),
    )

    # Identity fields a worker may no longer change once an officer verified them.
    IDENTITY_FIELDS = ("nik", "full_name", "sex", "birth_date", "birth_place")

    def __init__(
        self, *args, may_override_nik: bool = True, locked_identity: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.may_override_nik = may_override_nik
        if not may_override_nik:
            del self.fields["nik_mismatch_reason"]
        if locked_identity:
            for name in self.IDENTITY_FIELDS:
                self.fields[name].disabled = True

    def clean_nik(self):
        result = parse_nik(self.cleaned_data["nik"])
        if not result.valid:
            lang = get_language()
            raise forms.ValidationError(
                [forms.ValidationError(e.message(lang), code=e.code) for e in result.errors]
            )
        self.nik_result = result
        return result.nik

    def clean_village_code(self):
        code = self.cleaned_data["village_code"].strip()
        if not code:
            return ""
        if not self.village_exists(code):
            raise forms.ValidationError(
                _("Unknown village code %(code)s (use a current kelurahan/desa code)."),
                code="unknown_village",
                params={"code": code},
            )
        return code

    def village_exists(self, code: str) -> bool:
        return Region.objects.filter(
            code=code, level=Region.Level.VILLAGE, is_current=True
        ).exists()

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean_kk_number(self):
        kk = self.cleaned_data["kk_number"].strip()
        if kk and not (kk.isascii() and kk.isdigit() and len(kk) == 16):
            raise forms.ValidationError(_("A KK number has 16 digits."), code="invalid_kk")
        return kk

    def clean_passport_number(self):
        number = self.cleaned_data["passport_number"].strip().upper()
        if number and not (number.isascii() and number.isalnum() and 7 <= len(number) <= 9):
            raise forms.ValidationError(
                _("A passport number has 7 to 9 letters and digits."), code="invalid_passport"
            )
        return number

    def clean(self):
        data = super().clean()
        result = getattr(self, "nik_result", None)
        if result is None or "birth_date" not in data or "sex" not in data:
            return data
        mismatches = check_declared(result, birth_date=data["birth_date"], sex=data["sex"])
        reason = (data.get("nik_mismatch_reason") or "").strip()
        if mismatches and not reason:
            lang = get_language()
            for error in mismatches:
                field = "birth_date" if error.code == "birth_date_mismatch" else "sex"
                message = error.message(lang)
                if self.may_override_nik:
                    message = _(
                        "%(error)s. Check the documents; if they are right, "
                        "explain the difference below."
                    ) % {"error": message}
                self.add_error(field, forms.ValidationError(message, code=error.code))
        if not mismatches:
            data["nik_mismatch_reason"] = ""
        return data


class PersonEditForm(PersonForm):
    """The person form for an edit: carries the version the user read (optimistic
    locking, see services.person_update).

    `recorded` is the record as saved. A worker has no reason field, so a difference
    with the NIK that an officer already explained would block every edit of theirs;
    it is accepted while the NIK, birth date and sex stay as the officer saved them.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    def __init__(self, *args, recorded: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.recorded = recorded or {}
        # An <input type="date"> only takes ISO dates; the localised format (d/m/Y in
        # Indonesian) would show the saved birth date as empty.
        self.fields["birth_date"].widget.format = "%Y-%m-%d"

    def clean(self):
        reason = self.recorded.get("nik_mismatch_reason")
        if (
            reason
            and "nik_mismatch_reason" not in self.fields
            and all(
                self.cleaned_data.get(name) == self.recorded.get(name)
                for name in ("nik", "birth_date", "sex")
            )
        ):
            self.cleaned_data["nik_mismatch_reason"] = reason
        return super().clean()


class PersonFilterForm(forms.Form):
    """The registry page's search box and filters; the same parameters as the API's
    search.PersonFilter, read by search.filter_people."""

    q = forms.CharField(
        label=_("Search"),
        max_length=100,
        required=False,
        help_text=_("NIK, reference number, phone number or name."),
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + Status.choices
    )
    route = forms.ChoiceField(
        label=_("Placement route"), required=False, choices=[("", _("All"))] + Route.choices
    )
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", _("All"))] + Sex.choices)
    region = forms.RegexField(
        label=_("Region code"),
        regex=r"^[0-9.]*$",
        max_length=13,
        required=False,
        help_text=_("Province, regency, district or village, e.g. 31.71."),
        error_messages={"invalid": _("Digits and dots only, e.g. 31.71.01.")},
    )
    age_min = forms.IntegerField(label=_("Age from"), required=False, min_value=0, max_value=120)
    age_max = forms.IntegerField(label=_("Age to"), required=False, min_value=0, max_value=120)
    skill = forms.RegexField(
        label=_("Occupation code"),
        regex=r"^\d*$",
        max_length=6,
        required=False,
        help_text=_("ISCO-08/KBJI, e.g. 7212 (welders)."),
    )
    language = forms.RegexField(
        label=_("Language"),
        regex=r"^[a-z]*$",
        max_length=3,
        required=False,
        help_text=_("ISO 639 code, e.g. ko, ja."),
    )
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
    officer = forms.IntegerField(
        label=_("Assigned officer id"), required=False, min_value=1, max_value=2**63 - 1
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("", _("Best match (names), else newest first")),
            ("-created", _("Newest first")),
            ("created", _("Oldest first")),
            ("name", _("Name (A-Z)")),
            ("-name", _("Name (Z-A)")),
            ("reference", _("Reference")),
            ("-reference", _("Reference, descending")),
            ("birth_date", _("Oldest person first")),
            ("-birth_date", _("Youngest person first")),
        ],
    )

    def params(self, user) -> dict:
        """The valid filters as search.filter_people takes them; an invalid field is
        left out (and its error shown) rather than failing the whole search."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        if data.pop("mine", False):
            data["officer"] = user.pk
        return data


class StatusChangeForm(forms.Form):
    """Move a person along the status machine. Every status is accepted here so that
    the service, which knows the rules, explains a refusal; the menu offers only the
    changes allowed from the current status."""

    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    route = forms.ChoiceField(
        label=_("Placement route"), choices=[("", "—")] + Route.choices, required=False
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS.get(current, frozenset())
        self.fields["status"].widget.choices = [
            (value, label) for value, label in Status.choices if value in allowed
        ]


# --- skills, languages, work experience -------------------------------------------------


def country_by_code(code: str) -> Country:
    """The country with ISO 3166-1 alpha-2 `code`, in any case (the page's menu and
    the API both read it here)."""
    country = Country.objects.filter(code=code.strip().upper()).first()
    if country is None:
        raise forms.ValidationError(_("Unknown country code."), code="unknown_country")
    return country


# Every scale's levels, grouped by scale.
_LEVEL_CHOICES = [("", "—")] + [
    (
        label,
        [
            (level, LanguageSkill.LEVEL_LABELS.get(level, level))
            for level in LanguageSkill.LEVELS[scale]
        ],
    )
    for scale, label in LanguageSkill.Scale.choices
]


class ProfileItemForm(forms.Form):
    """One entry of a profile list, as the person page adds it.

    The forms give the shape (types, lengths, menus); the rules (occupation code
    format, ISO 639 code, level on the chosen scale, dates in order) are checked once,
    by the services in profile.py that the API calls too, and the view shows their
    errors next to the field. Field names are the services' argument names.
    """

    kind: str  # the Person relation, as in the URLs: skills, languages, experience

    def __init__(self, *args, **kwargs):
        # Three of these forms share the person page: keep their ids apart.
        kwargs.setdefault("auto_id", f"id_{self.kind}_%s")
        super().__init__(*args, **kwargs)


class SkillForm(ProfileItemForm):
    kind = "skills"

    occupation_code = forms.CharField(
        label=_("Occupation code"), max_length=8, help_text=_("ISCO-08/KBJI, e.g. 7212 (welders).")
    )
    title = forms.CharField(label=_("Skill"), max_length=200)


class LanguageForm(ProfileItemForm):
    kind = "languages"

    language = forms.CharField(
        label=_("Language"), max_length=3, help_text=_("ISO 639 code, e.g. ko, ja.")
    )
    scale = forms.ChoiceField(label=_("Scale"), choices=LanguageSkill.Scale.choices)
    # A menu of every scale's levels; whether the level exists on the chosen scale is
    # the service's rule (and its message lists the right ones).
    level = forms.CharField(label=_("Level"), widget=forms.Select(choices=_LEVEL_CHOICES))


class ExperienceForm(ProfileItemForm):
    kind = "experience"

    employer = forms.CharField(label=_("Employer"), max_length=200)
    country = forms.CharField(label=_("Country"), widget=forms.Select)
    occupation_code = forms.CharField(
        label=_("Occupation code"),
        max_length=8,
        required=False,
        help_text=_("ISCO-08/KBJI, e.g. 7212 (welders)."),
    )
    started_on = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ended_on = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Empty if the person still works there."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read once per form (the table is data), sorted in the user's language.
        countries = sorted(Country.objects.all(), key=lambda c: c.name)
        self.fields["country"].widget.choices = [("", "—"), *((c.code, c.name) for c in countries)]

    def clean_country(self) -> Country:
        return country_by_code(self.cleaned_data["country"])


PROFILE_FORMS: dict[str, type[ProfileItemForm]] = {
    form.kind: form for form in (SkillForm, LanguageForm, ExperienceForm)
}
