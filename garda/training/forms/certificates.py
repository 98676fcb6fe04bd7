"""Forms of the certificate pages. The rules (levels, dates, file or document) live in
services/certificates.py, shared with the API; these forms only collect and type the values."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from garda.documents.access import visible_documents
from garda.documents.forms import MultipleFileField
from garda.documents.models import Category, Document
from garda.training.services.certificates import EXTERNAL_CATEGORIES, external_types


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revoking"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The holder reads it, and the public verification shows “revoked”."),
    )


def _type_choices() -> list:
    groups: dict[str, list] = {}
    for t in external_types():
        groups.setdefault(t.category, []).append((t.code, t.display_name))
    labels = dict(Category.choices)
    return [("", "—")] + [(labels.get(cat, cat), items) for cat, items in groups.items()]


class ExternalCertificateForm(forms.Form):
    document_type = forms.ChoiceField(label=_("Certificate or test"))
    number = forms.CharField(
        label=_("Certificate number"),
        max_length=60,
        help_text=_("As printed on the certificate or result."),
    )
    issuer_name = forms.CharField(
        label=_("Issued by"),
        max_length=200,
        help_text=_("E.g. LSP Las Indonesia (BNSP), Japan Foundation (JLPT), HRD Korea."),
    )
    issued_on = forms.DateField(
        label=_("Issue date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    level = forms.CharField(
        label=_("Level or score"),
        max_length=20,
        required=False,
        help_text=_("Language tests: the level (e.g. N4, A2, B1) or the score."),
    )
    expires_on = forms.DateField(
        label=_("Expiry date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    document = forms.TypedChoiceField(
        label=_("Document the person already uploaded"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Or upload the file below."),
    )
    files = MultipleFileField(
        label=_("File of the certificate"),
        required=False,
        help_text=_("One PDF, or one photo (JPEG or PNG) per page, in page order."),
    )

    def __init__(self, *args, user, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_type"].choices = _type_choices()
        self.documents = {
            d.pk: d
            for d in visible_documents(user)
            .filter(
                person=person,
                status__in=(Document.Status.PENDING, Document.Status.VERIFIED),
                type__category__in=EXTERNAL_CATEGORIES,
                certificate__isnull=True,
            )
            .select_related("type")
            .order_by("type__order", "-uploaded_at")
        }
        self.fields["document"].choices = [("", "—")] + [
            (pk, f"{d.type.display_name} · {d.get_status_display()} · {_uploaded(d)}")
            for pk, d in self.documents.items()
        ]

    def clean_document_type(self):
        code = self.cleaned_data["document_type"]
        found = external_types().filter(code=code).first()
        if found is None:
            raise forms.ValidationError(
                _("Choose a competency certificate or a language test result."), code="invalid"
            )
        return found

    def clean_document(self):
        pk = self.cleaned_data.get("document")
        return self.documents.get(pk) if pk else None

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        return [f for f in files if f]


def _uploaded(document) -> str:
    """The upload day as the pages show it ("6 Mar 2026")."""
    return date_format(timezone.localtime(document.uploaded_at), "SHORT_DATE_FORMAT")


def _number_errors(message) -> dict:
    return {key: message for key in ("required", "invalid", "min_value", "max_value")}


class CertificateCheckForm(forms.Form):
    """The public check by the number printed on a certificate, with the holder's birth
    date as a second factor (docs/design-ui.md §2.7): the readable numbers follow a
    sequence, so a number alone would let anyone list Garda's certificates. The date
    is three fields (day, month, year), as people write it."""

    number = forms.CharField(
        label=_("Certificate number"),
        max_length=60,
        help_text=_("As printed on the certificate, for example GRD/PPKD-JT/2026/00012."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Enter the certificate number.")},
    )
    day = forms.IntegerField(
        label=_("Day"),
        min_value=1,
        max_value=31,
        error_messages=_number_errors(_("Enter the day of birth as a number from 1 to 31.")),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 2, "maxlength": 2}),
    )
    month = forms.IntegerField(
        label=_("Month"),
        min_value=1,
        max_value=12,
        error_messages=_number_errors(_("Enter the month of birth as a number from 1 to 12.")),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 2, "maxlength": 2}),
    )
    year = forms.IntegerField(
        label=_("Year"),
        min_value=1900,
        max_value=2999,
        error_messages=_number_errors(
            _("Enter the year of birth with 4 digits, for example 1995.")
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 4, "maxlength": 4}),
    )

    def clean_number(self) -> str:
        # "grd / ppkd-jt/2026/00012 " as typed -> "GRD/PPKD-JT/2026/00012".
        return "".join(self.cleaned_data["number"].split()).upper()

    def clean(self):
        cleaned = super().clean()
        day, month, year = (cleaned.get(name) for name in ("day", "month", "year"))
        if None not in (day, month, year):
            try:
                cleaned["birth_date"] = date(year, month, day)
            except ValueError:
                self.add_error(
                    "day", _("Enter a real date, for example 27 3 1995 for 27 March 1995.")
                )
        return cleaned
