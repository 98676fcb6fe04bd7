"""Forms of the document pages. The rules of a document's details live in
services.document_upload (the page and the API share them); these forms only collect
and type the values."""

from django import forms
from django.utils.translation import gettext_lazy as _

from garda.documents.files import _mb, max_file_bytes, max_total_bytes
from garda.documents.models import Category, DocumentType

ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (the pages of a document), in the order sent."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)]


def type_choices() -> list:
    """Active document types grouped by category, for a select."""
    groups: dict[str, list] = {}
    for t in DocumentType.objects.filter(is_active=True):
        groups.setdefault(t.category, []).append((t.code, t.display_name))
    labels = dict(Category.choices)
    return [("", "—")] + [(labels.get(cat, cat), items) for cat, items in groups.items()]


class DocumentUploadForm(forms.Form):
    type = forms.ChoiceField(label=_("Document"))
    number = forms.CharField(
        label=_("Number"),
        max_length=80,
        required=False,
        help_text=_("As printed on the document (passport number, KK number...)."),
    )
    issued_on = forms.DateField(
        label=_("Issue date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    expires_on = forms.DateField(
        label=_("Expiry date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Required for documents with an expiry date (passport, visa, SKCK...)."),
    )
    level = forms.CharField(
        label=_("Level or score"),
        max_length=20,
        required=False,
        help_text=_("Language tests only: the level (e.g. N4, A2, B1) or the score."),
    )
    note = forms.CharField(
        label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    files = MultipleFileField(label=_("Files"))  # its hint: __init__

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = type_choices()
        # The limits are settings, so the hint is written when the form is made.
        self.fields["files"].help_text = _(
            "JPG, PNG or PDF, at most %(file)s MB per file and %(total)s MB for all pages "
            "together. One PDF, or one photo per page, in page order. The location and "
            "camera data of photos are removed."
        ) % {"file": _mb(max_file_bytes()), "total": _mb(max_total_bytes())}

    def clean_type(self) -> DocumentType:
        code = self.cleaned_data["type"]
        try:
            return DocumentType.objects.get(code=code, is_active=True)
        except DocumentType.DoesNotExist:
            raise forms.ValidationError(_("Choose a document type."), code="invalid") from None


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The worker reads it: say what to fix (e.g. blurred photo, wrong page)."),
    )


WINDOWS = [
    (30, _("30 days")),
    (91, _("3 months")),
    (183, _("6 months")),
    (548, _("18 months")),
]


class ExpiringFilterForm(forms.Form):
    within = forms.TypedChoiceField(
        label=_("Validity ends within"), choices=WINDOWS, coerce=int, required=False
    )

    def days(self) -> int:
        if self.is_valid() and self.cleaned_data.get("within"):
            return self.cleaned_data["within"]
        return 183


class QueueFilterForm(forms.Form):
    mine = forms.BooleanField(label=_("Only persons I accompany"), required=False)
    type = forms.ChoiceField(label=_("Document"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = type_choices()
