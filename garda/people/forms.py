import phonenumbers
from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from garda.people.models import Education, MaritalStatus, Sex
from garda.people.nik import check_declared, parse_nik
from garda.places.models import Region


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
        if not Region.objects.filter(
            code=code, level=Region.Level.VILLAGE, is_current=True
        ).exists():
            raise forms.ValidationError(
                _("Unknown village code %(code)s (use a current kelurahan/desa code)."),
                code="unknown_village",
                params={"code": code},
            )
        return code

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
