"""The licence register's forms (admins): a company, a decision on its licence, a
branch, a staff member, the register file, and the list's filters.

A region is never a select of the whole national list: the DKI Jakarta cities are
offered by name, and any other region is typed as its Kemendagri code ("32.75"); the
page shows the region's name back."""

from django import forms
from django.utils.translation import gettext_lazy as _

from garda.jobs.models import PlacementAgency
from garda.jobs.services.register import AgencyData
from garda.places.forms import short_name
from garda.places.models import Region

DATE = forms.DateInput(attrs={"type": "date"})
MAX_FILE_BYTES = 2 * 1024 * 1024
DKI = "31"


def dki_choices() -> list[tuple[str, str]]:
    """The DKI Jakarta cities and regency (a handful of rows), by name."""
    rows = Region.objects.filter(code__startswith=f"{DKI}.", level=Region.Level.REGENCY)
    return [(r.code, short_name(r)) for r in rows.order_by("code")]


def region_label(region: Region | None) -> str:
    return short_name(region) if region is not None else ""


class RegionMixin:
    """Two inputs for one region: a DKI city chosen by name, or another region's code
    typed (`<prefix>` and `<prefix>_code`); clean_region() gives the Region or None."""

    region_prefix = "region"
    region_required = True

    def add_region_fields(self, label, initial: Region | None = None):
        name = self.region_prefix
        self.fields[name] = forms.ChoiceField(
            label=label,
            choices=[("", _("Another region (type its code below)")), *dki_choices()],
            required=False,
        )
        self.fields[f"{name}_code"] = forms.CharField(
            label=_("Code of another region"),
            max_length=13,
            required=False,
            help_text=_(
                "Only for a region outside DKI Jakarta: its Kemendagri code, e.g. 32.75 "
                "for Kota Bekasi."
            ),
        )
        if initial is not None and not self.is_bound:
            if initial.code.startswith(f"{DKI}.") and initial.level == Region.Level.REGENCY:
                self.initial[name] = initial.code
            else:
                self.initial[f"{name}_code"] = initial.code
                self._show_name(initial)

    def _show_name(self, region: Region) -> None:
        """The typed code's region by name, beside the code."""
        self.fields[f"{self.region_prefix}_code"].help_text = _("%(code)s is %(name)s.") % {
            "code": region.code,
            "name": region.name,
        }

    def clean_region_value(self) -> Region | None:
        name = self.region_prefix
        chosen = (self.cleaned_data.get(name) or "").strip()
        typed = (self.cleaned_data.get(f"{name}_code") or "").strip()
        code = typed or chosen
        if not code:
            if self.region_required:
                self.add_error(name, _("Choose a city or type a region's code."))
            return None
        region = Region.objects.filter(code=code).first()
        if region is None:
            field = f"{name}_code" if typed else name
            self.add_error(field, _("There is no region with the code %(code)s.") % {"code": code})
            return None
        if typed:
            self._show_name(region)
        return region


class AgencyForm(RegionMixin, forms.Form):
    name = forms.CharField(label=_("Company name"), max_length=200)
    licence_number = forms.CharField(label=_("Licence (SIP3MI) number"), max_length=80)
    licence_issued_on = forms.DateField(label=_("Licence issued on"), required=False, widget=DATE)
    licence_valid_until = forms.DateField(
        label=_("Licence valid until"),
        required=False,
        widget=DATE,
        help_text=_("Left empty: counted from the date of issue by the licence rules."),
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    region_prefix = "head_office_region"
    region_required = False

    def __init__(self, *args, agency: PlacementAgency | None = None, **kwargs):
        if agency is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                f: getattr(agency, f)
                for f in (
                    "name",
                    "licence_number",
                    "licence_issued_on",
                    "licence_valid_until",
                    "address",
                    "phone",
                    "email",
                    "website",
                )
            }
        super().__init__(*args, **kwargs)
        self.add_region_fields(
            _("Head office (city)"), agency.head_office_region if agency else None
        )

    def clean(self):
        cleaned = super().clean()
        cleaned["region_value"] = self.clean_region_value()
        return cleaned

    def agency_data(self) -> AgencyData:
        d = self.cleaned_data
        return AgencyData(
            name=d["name"],
            licence_number=d["licence_number"],
            licence_issued_on=d.get("licence_issued_on"),
            licence_valid_until=d.get("licence_valid_until"),
            head_office_region=d.get("region_value"),
            address=d.get("address", ""),
            phone=d.get("phone", ""),
            email=d.get("email", ""),
            website=d.get("website", ""),
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[
            (PlacementAgency.Status.SUSPENDED, _("Suspend (tunda layanan)")),
            (PlacementAgency.Status.REVOKED, _("Revoke the licence")),
            (PlacementAgency.Status.ACTIVE, _("Reinstate (licensed again)")),
        ],
    )
    effective_on = forms.DateField(label=_("From"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=500)
    source = forms.CharField(
        label=_("Source (decision, letter)"),
        max_length=300,
        required=False,
        help_text=_("For example the number of the minister's decision."),
    )


class BranchForm(RegionMixin, forms.Form):
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        # Its own ids: the company's form on the same page has address and phone too.
        kwargs.setdefault("auto_id", "branch_%s")
        super().__init__(*args, **kwargs)
        self.add_region_fields(_("City of the branch"))
        self.order_fields(["region", "region_code", "address", "phone"])

    def clean(self):
        cleaned = super().clean()
        cleaned["region_value"] = self.clean_region_value()
        return cleaned


class RecruiterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "staff_%s")  # the company's form has a phone too
        super().__init__(*args, **kwargs)

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("They set their password through “forgot password”."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)


class LoadForm(forms.Form):
    file = forms.FileField(
        label=_("Register file (CSV)"),
        help_text=_("UTF-8, with a header row of the columns below."),
        error_messages={"required": _("Choose a file.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 2 MB)."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not a UTF-8 text (CSV) file.")) from None


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or licence number"), max_length=100, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), *PlacementAgency.Status.choices],
        required=False,
    )

    def values(self) -> dict:
        if not self.is_bound:
            return {}
        if self.is_valid():
            return self.cleaned_data
        return {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
