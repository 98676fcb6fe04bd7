"""A job order as the pages take it: one form, its fields grouped under headings,
cleaned into `services.orders.OrderData`. The service checks what needs the
database (the destination, the scheme, the company); the form checks the shapes.

The costs charged to the worker are five fixed rows (item, amount, currency), more
when the order already lists more, so the page works without JavaScript."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from garda.accounts import roles
from garda.destinations.models import Destination, RequirementSet, Scheme, Sector
from garda.jobs import access, facts
from garda.jobs.models import JobOrder, PlacementAgency
from garda.jobs.services.orders import MAX_COSTS, OrderData, clean_costs
from garda.people.catalogue import language_choices
from garda.people.models import LanguageSkill
from garda.training.models import Course

COST_ROWS = 5

# The headings of the form and the fields under each, in order.
GROUPS = (
    (
        _("Job"),
        (
            "number",
            "destination",
            "city",
            "scheme",
            "sector",
            "occupation_code",
            "occupation_title",
            "positions",
            "positions_female",
            "positions_male",
            "description",
            "closing_date",
        ),
    ),
    (_("Employer"), ("agency", "employer", "partner")),
    (
        _("Wage and working time"),
        (
            "wage_amount",
            "wage_currency",
            "wage_period",
            "hours_per_day",
            "days_per_week",
            "rest_days_per_month",
            "overtime",
            "leave_days_per_year",
            "contract_months",
        ),
    ),
    (_("Facilities"), ("food", "lodging", "transport", "insurance", "ticket_paid_by")),
    (_("Costs charged to the worker"), ()),
    (
        _("Requirements"),
        (
            "requirement_set",
            "skills",
            "certificates",
            "language",
            "language_level",
            "required_language",
            "required_language_scale",
            "required_language_level",
            "required_courses",
            "experience_months",
            "min_age",
            "max_age",
        ),
    ),
    (_("Attestation"), ("attested_on", "attested_by", "sip2mi_number", "sip2mi_date")),
)
COSTS_GROUP = 4

# The service names some fields as the API does.
SERVICE_NAMES = {"agency_id": "agency", "employer_id": "employer", "partner_id": "partner"}


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _count(label, top=None, **kwargs):
    return forms.IntegerField(label=label, min_value=0, max_value=top, required=False, **kwargs)


def _text(label, max_length, **kwargs):
    return forms.CharField(label=label, max_length=max_length, required=False, **kwargs)


def _provision(label):
    return forms.ChoiceField(
        label=label, choices=[("", "—"), *JobOrder.Provision.choices], required=False
    )


class JobOrderForm(forms.Form):
    """A job order; `user` decides the choices (a recruiter never chooses the company)."""

    number = _text(_("Demand letter number"), 80)
    destination = forms.ChoiceField(label=_("Destination country"))
    city = _text(_("City"), 100)
    scheme = forms.ChoiceField(label=_("Placement scheme"))
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—"), *Sector.choices])
    occupation_code = forms.ChoiceField(
        label=_("Occupation"),
        error_messages={"invalid_choice": _("Choose an occupation from the list.")},
    )
    occupation_title = _text(
        _("Job title"),
        200,
        help_text=_("As the employer writes it; left empty, the occupation's name."),
    )
    positions = _count(_("Positions"), 100000)
    positions_female = _count(_("Of which for women"), 100000)
    positions_male = _count(_("Of which for men"), 100000)
    description = _text(_("Job description"), 5000, widget=forms.Textarea(attrs={"rows": 4}))
    closing_date = forms.DateField(label=_("Closing date"), required=False, widget=_date_widget())
    agency = forms.ModelChoiceField(
        label=_("Placement company (P3MI)"),
        queryset=PlacementAgency.objects.none(),
        required=False,
        empty_label=_("None (government to government)"),
    )
    employer = forms.ModelChoiceField(
        label=_("Employer"), queryset=None, required=False, empty_label="—"
    )
    partner = forms.ModelChoiceField(
        label=_("Foreign partner"), queryset=None, required=False, empty_label="—"
    )
    wage_amount = forms.DecimalField(
        label=_("Wage"), max_digits=14, decimal_places=2, required=False
    )
    wage_currency = _text(_("Currency"), 3, help_text=_("Three letters, such as HKD, TWD or MYR."))
    wage_period = forms.ChoiceField(label=_("Paid"), choices=JobOrder.WagePeriod.choices)
    hours_per_day = _count(_("Hours per day"), 24)
    days_per_week = _count(_("Days per week"), 7)
    rest_days_per_month = _count(_("Rest days per month"), 31)
    overtime = _text(_("Overtime pay"), 200)
    leave_days_per_year = _count(_("Paid leave (days a year)"), 366)
    contract_months = _count(_("Contract length (months)"), 120)
    food = _provision(_("Food"))
    lodging = _provision(_("Lodging"))
    transport = _provision(_("Transport to work"))
    insurance = _text(_("Insurance"), 300)
    ticket_paid_by = forms.ChoiceField(
        label=_("Tickets paid by"),
        choices=[("", "—"), *JobOrder.TicketPaidBy.choices],
        required=False,
    )
    requirement_set = forms.ModelChoiceField(
        label=_("Requirement set"),
        queryset=RequirementSet.objects.none(),
        required=False,
        empty_label="—",
    )
    skills = _text(_("Skills asked for"), 500)
    certificates = _text(_("Certificates asked for"), 500)
    language = _text(_("Language"), 40)
    language_level = _text(_("Language level"), 20)
    required_language = forms.ChoiceField(
        label=_("Language a candidate must speak (for matching)"), required=False
    )
    required_language_scale = forms.ChoiceField(
        label=_("Scale of the level"),
        choices=[("", "—"), *LanguageSkill.Scale.choices],
        required=False,
    )
    required_language_level = _text(
        _("Lowest level accepted"),
        10,
        help_text=_(
            "As the scale writes it: B1 (CEFR), N4 (JLPT), 3 (TOPIK), basic (self-assessed)."
        ),
    )
    required_courses = forms.ModelMultipleChoiceField(
        label=_("Certificates a candidate must hold (courses)"),
        queryset=Course.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    experience_months = _count(_("Experience asked for (months)"), 600)
    min_age = _count(_("Minimum age"), 100)
    max_age = _count(_("Maximum age"), 100)
    attested_on = forms.DateField(
        label=_("Attested by the labour attaché on"), required=False, widget=_date_widget()
    )
    attested_by = _text(_("Attested by"), 200)
    sip2mi_number = _text(_("Recruitment permit (SIP2MI) number"), 80)
    sip2mi_date = forms.DateField(
        label=_("Recruitment permit date"), required=False, widget=_date_widget()
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, order: JobOrder | None = None, **kwargs):
        if order is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_from(order)
        super().__init__(*args, **kwargs)
        self.user = user
        self.order = order
        self.cost_errors: list = []
        f = self.fields
        f["destination"].choices = [("", "—")] + [
            (d.code, f"{d.display_name} ({d.code})")
            for d in Destination.objects.order_by("name").only("code", "name", "name_en")
        ]
        f["scheme"].choices = [("", "—")] + [
            (s.code, s.display_name)
            for s in Scheme.objects.filter(is_active=True)
            .order_by("code")
            .only("code", "name", "name_en")
        ]
        occupations = [("", "—"), *facts.occupation_choices()]
        if order is not None and order.occupation_code not in dict(occupations):
            # An order from the API may name an occupation the list does not have.
            occupations.append(
                (order.occupation_code, f"{order.occupation_code} — {order.occupation_title}")
            )
        f["occupation_code"].choices = occupations
        f["employer"].queryset = access.visible_employers(user).order_by("name", "pk")
        f["partner"].queryset = access.visible_partners(user).order_by("name", "pk")
        f["requirement_set"].queryset = RequirementSet.objects.filter(is_current=True).order_by(
            "name", "pk"
        )
        f["required_courses"].queryset = Course.objects.filter(is_active=True).order_by("title")
        f["required_language"].choices = [("", "—"), *language_choices()]
        if user.role in (roles.OFFICER, roles.ADMIN):
            f["agency"].queryset = PlacementAgency.objects.order_by("name", "pk")
        else:
            # A recruiter's orders are always their own company's (the service says so).
            del f["agency"]
        existing = len(order.worker_costs or []) if order is not None else 0
        self.cost_rows = min(max(COST_ROWS, existing), MAX_COSTS)
        for n in range(self.cost_rows):
            f[f"cost_{n}_item"] = forms.CharField(
                label=_("Cost %(n)s: what for") % {"n": n + 1}, max_length=120, required=False
            )
            f[f"cost_{n}_amount"] = forms.DecimalField(
                label=_("Cost %(n)s: amount") % {"n": n + 1},
                max_digits=16,
                decimal_places=2,
                min_value=0,
                required=False,
            )
            f[f"cost_{n}_currency"] = forms.CharField(
                label=_("Cost %(n)s: currency") % {"n": n + 1},
                max_length=3,
                required=False,
                initial="IDR",
            )

    # --- what the template shows ---

    def groups(self) -> list[tuple]:
        """[(heading, [bound fields])], the costs' group with no fields of its own."""
        out = []
        for heading, names in GROUPS:
            out.append((heading, [self[n] for n in names if n in self.fields]))
        return out

    def cost_lines(self) -> list[tuple]:
        return [
            (
                n + 1,
                self[f"cost_{n}_item"],
                self[f"cost_{n}_amount"],
                self[f"cost_{n}_currency"],
            )
            for n in range(self.cost_rows)
        ]

    # --- cleaning ---

    def clean_wage_currency(self):
        return (self.cleaned_data.get("wage_currency") or "").strip().upper()

    def clean(self):
        data = super().clean()
        rows = []
        for n in range(self.cost_rows):
            item = (data.get(f"cost_{n}_item") or "").strip()
            amount = data.get(f"cost_{n}_amount")
            currency = (data.get(f"cost_{n}_currency") or "").strip().upper() or "IDR"
            if item or amount:
                rows.append({"item": item, "amount": amount, "currency": currency})
        try:
            data["worker_costs"] = clean_costs(rows)
        except ValidationError as exc:
            self.cost_errors = exc.messages
            self.add_error(None, exc.messages)
        return data

    def order_data(self) -> OrderData:
        d = self.cleaned_data
        values = {}
        for name in OrderData.__dataclass_fields__:
            if name in d:
                values[name] = d[name]
        for name in ("positions", "positions_female", "positions_male"):
            values[name] = d.get(name) or 0
        for name, value in list(values.items()):
            if value is None and isinstance(OrderData.__dataclass_fields__[name].default, str):
                values[name] = ""
        values["required_courses"] = list(d.get("required_courses") or [])
        values["worker_costs"] = d.get("worker_costs", [])
        return OrderData(**values)

    def add_service_errors(self, exc: ValidationError) -> None:
        """The service's ValidationError beside the fields it names."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for name, errors in exc.error_dict.items():
            name = SERVICE_NAMES.get(name, name)
            if name == "worker_costs":
                self.cost_errors += [m for e in errors for m in e.messages]
                self.add_error(None, errors)
            else:
                self.add_error(name if name in self.fields else None, errors)


def plain_amount(value) -> str:
    """A stored amount as digits ("7.5E+5" from the service reads "750000")."""
    try:
        return format(Decimal(str(value)), "f")
    except (InvalidOperation, ValueError, TypeError):
        return str(value or "")


def initial_from(order: JobOrder) -> dict:
    """The form's values from a stored order."""
    initial = {}
    for name in OrderData.__dataclass_fields__:
        if name in ("agency", "employer", "partner", "requirement_set"):
            initial[name] = getattr(order, f"{name}_id")
        elif name == "required_courses":
            initial[name] = list(order.required_courses.values_list("pk", flat=True))
        elif name != "worker_costs":
            initial[name] = getattr(order, name)
    for n, row in enumerate(order.worker_costs or []):
        initial[f"cost_{n}_item"] = row.get("item", "")
        initial[f"cost_{n}_amount"] = plain_amount(row.get("amount"))
        initial[f"cost_{n}_currency"] = row.get("currency", "")
    initial["version"] = order.version
    return initial
