import phonenumbers
from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from garda.people import catalogue
from garda.people.models import Education, LanguageSkill, MaritalStatus, Route, Sex, Status
from garda.people.nik import check_declared, parse_nik
from garda.people.rules import TRANSITIONS
from garda.places.forms import (
    PickerStepMixin,
    RegionField,
    area_choices,
    area_label,
    village_error,
    village_exists,
)
from garda.places.models import Country


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


class IdentityCheckForm(forms.Form):
    """A number a person reads out, to compare with their record without showing
    any of it (services/lookups.identity_check)."""

    kind = forms.ChoiceField(
        label=_("Which number"),
        choices=[
            ("nik", _("NIK")),
            ("kk_number", _("Family card (KK) number")),
            ("passport_number", _("Passport number")),
        ],
    )
    number = forms.CharField(
        label=_("The number they read out"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_number(self):
        number = "".join(self.cleaned_data["number"].split()).upper()
        if not (number.isascii() and number.isalnum()):
            raise forms.ValidationError(
                _("Type the number only: digits and, for a passport, letters."),
                code="invalid_number",
            )
        return number


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


class PersonForm(PickerStepMixin, forms.Form):
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
    village_code = RegionField(
        label=_("Place of residence (kelurahan or desa)"),
        required=False,
        help_text=_("Search by name, or choose the province, city, district and village."),
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
    IDENTITY_FIELDS = (
        "nik",
        "full_name",
        "sex",
        "birth_date",
        "birth_place",
        "kk_number",
        "passport_number",
    )

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
        code = self.cleaned_data["village_code"]
        if code and not self.village_exists(code):
            raise village_error(code)
        return code

    def village_exists(self, code: str) -> bool:
        return village_exists(code)

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
    # A menu of Jakarta's cities and districts by name; the value is the code prefix
    # (the API's `region`), and any other code (an older link) still filters.
    region = forms.RegexField(
        label=_("Area"),
        regex=r"^[0-9.]*$",
        max_length=13,
        required=False,
        widget=forms.Select,
        error_messages={"invalid": _("Choose an area from the list.")},
    )
    age_min = forms.IntegerField(label=_("Age from"), required=False, min_value=0, max_value=120)
    age_max = forms.IntegerField(label=_("Age to"), required=False, min_value=0, max_value=120)
    birth_year = forms.IntegerField(
        label=_("Birth year"), required=False, min_value=1900, max_value=2100
    )
    # Menus by name; the value stays the code (the API's `skill` and `language`), and a
    # code outside the lists (an older link) still filters.
    skill = forms.RegexField(
        label=_("Occupation"),
        regex=r"^\d*$",
        max_length=6,
        required=False,
        widget=forms.Select,
    )
    language = forms.RegexField(
        label=_("Language"),
        regex=r"^[a-z]*$",
        max_length=3,
        required=False,
        widget=forms.Select,
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].widget.choices = [("", _("All")), *catalogue.occupation_choices()]
        self.fields["language"].widget.choices = [("", _("All")), *catalogue.language_choices()]
        areas = [("", _("All")), *area_choices()]
        current = str(self.data.get("region") or "").strip() if self.is_bound else ""
        known = {c for _label, group in areas[1:] if isinstance(group, list) for c, _n in group}
        known |= {c for c, group in areas if not isinstance(group, list)}
        if current and current not in known:
            areas.append((current, area_label(current)))
        self.fields["region"].widget.choices = areas

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


class OccupationPicker(forms.TextInput):
    """A text box that suggests the listed occupations by title as one types (an HTML
    datalist: no JavaScript). When the words typed match several occupations, the
    form comes back with them as radio buttons (search, then choose)."""

    template_name = "people/_occupation_picker.html"

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", **(attrs or {})})
        self.matches: list[catalogue.Occupation] = []

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        values = [v.strip() for v in values if isinstance(v, str) and v.strip()]
        chosen = [v for v in values if v.isdigit()]  # a radio: the code
        return chosen[-1] if chosen else (values[0] if values else "")

    def format_value(self, value):
        found = catalogue.occupation(value) if value and str(value).isdigit() else None
        return found.title if found else super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["titles"] = sorted(o.title for o in catalogue.occupations())
        context["widget"]["matches"] = [(o.code, o.title) for o in self.matches]
        return context


class OccupationField(forms.CharField):
    """An occupation by title, stored as its ISCO-08/KBJI code. A code typed as such
    is kept (the service checks its format); a title or a few words are looked up in
    catalogue.occupations()."""

    widget = OccupationPicker

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        self.widget.matches = []
        if not text or text.isdigit():
            return text
        lowered = text.lower()
        exact = [
            o
            for o in catalogue.occupations()
            if lowered in (o.title_id.lower(), o.title_en.lower())
        ]
        found = exact or catalogue.search_occupations(text)
        if len(found) == 1:
            return found[0].code
        if not found:
            raise forms.ValidationError(
                _(
                    "No occupation in the list matches “%(text)s”. Try another word, "
                    "such as las, masak or perawat."
                ),
                code="unknown_occupation",
                params={"text": text},
            )
        self.widget.matches = found[:15]
        raise forms.ValidationError(
            _("Several occupations match “%(text)s”: choose yours below."),
            code="choose_occupation",
            params={"text": text},
        )


def _level_choices() -> list:
    """Every scale's levels in words, grouped by scale, self-assessment first; a value
    is "scale:level" (LanguageForm splits it)."""
    scales = sorted(LanguageSkill.Scale.choices, key=lambda c: c[0] != LanguageSkill.Scale.SELF)
    return [("", _("Choose the level"))] + [
        (
            label,
            [(f"{scale}:{level}", catalogue.level_words(scale, level)) for level in levels],
        )
        for scale, label in scales
        for levels in [LanguageSkill.LEVELS[scale]]
    ]


class ProfileItemForm(forms.Form):
    """One entry of a profile list, as the person page adds it.

    The forms give the shape (types, lengths, menus) and turn names into codes; the
    rules (occupation code format, ISO 639 code, level on the chosen scale, dates in
    order) are checked once, by the services in profile.py that the API calls too,
    and the view shows their errors next to the field. Field names are the services'
    argument names.
    """

    kind: str  # the Person relation, as in the URLs: skills, languages, experience

    def __init__(self, *args, **kwargs):
        # Three of these forms share the person page: keep their ids apart.
        kwargs.setdefault("auto_id", f"id_{self.kind}_%s")
        super().__init__(*args, **kwargs)


class SkillForm(ProfileItemForm):
    kind = "skills"

    occupation_code = OccupationField(
        label=_("Occupation"),
        help_text=_("Type a few letters and choose, e.g. las, masak, perawat, sopir."),
    )
    title = forms.CharField(
        label=_("What you can do (optional)"),
        max_length=200,
        required=False,
        help_text=_("e.g. SMAW welding 3G, Japanese home cooking. Empty: the occupation."),
    )

    def clean(self):
        data = super().clean()
        code = data.get("occupation_code")
        if code and not (data.get("title") or "").strip():
            data["title"] = catalogue.occupation_title(code)
            if data["title"] == code:  # a code outside the list: say what it is
                self.add_error(
                    "title",
                    forms.ValidationError(
                        _("Describe the skill in a few words."), code="title_required"
                    ),
                )
        return data


class LanguageForm(ProfileItemForm):
    kind = "languages"

    language = forms.ChoiceField(
        label=_("Language"),
        error_messages={"invalid_choice": _("Choose the language from the list.")},
    )
    # The scale and the level in one menu ("jlpt:N4"): only pairs that exist.
    level = forms.ChoiceField(
        label=_("Level"),
        help_text=_("The test you passed, or your own estimate if you have no test."),
        error_messages={"invalid_choice": _("Choose the level from the list.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            ("", _("Choose the language")),
            *catalogue.language_choices(),
        ]
        self.fields["level"].choices = _level_choices()

    def clean(self):
        data = super().clean()
        scale, _sep, level = (data.get("level") or "").partition(":")
        if scale:
            data["scale"], data["level"] = scale, level
        return data


class ExperienceForm(ProfileItemForm):
    kind = "experience"

    employer = forms.CharField(label=_("Employer"), max_length=200)
    country = forms.CharField(label=_("Country"), widget=forms.Select)
    occupation_code = OccupationField(
        label=_("Occupation"),
        required=False,
        help_text=_("Type a few letters and choose, e.g. las, masak, perawat, sopir."),
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
