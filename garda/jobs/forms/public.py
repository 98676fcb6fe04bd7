"""The public doors' input: the vacancy board's filters and "is this job real?"
(the page's form; the API builds the same form from its JSON, so both clean alike).

Nothing typed on "is this job real?" is stored: `JobCheckForm.values()` is what
`facts.public_facts` reads, and only the checks' results are counted.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from garda.destinations.models import Destination, Scheme, Sector
from garda.jobs import facts
from garda.jobs.models import JobOrder

COST_ROWS = 5
MAX_AMOUNT = Decimal("100000000000")  # 1e11: more than any wage or fee in rupiah


def destination_choices() -> list[tuple[str, str]]:
    """The published destinations, by their name in the reader's language."""
    rows = Destination.objects.filter(is_published=True).only("code", "name", "name_en")
    return sorted(((d.code, d.display_name) for d in rows), key=lambda pair: pair[1])


def currency_choices() -> list[tuple[str, str]]:
    return [(code, code) for code in sorted(facts.data().rates)]


def _blank(label) -> list[tuple[str, str]]:
    return [("", label)]


class VacancyFilterForm(forms.Form):
    """The board's filters (GET): every field optional; an unknown value is ignored."""

    destination = forms.ChoiceField(label=_("Destination country"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    occupation = forms.ChoiceField(label=_("Job"), required=False)
    scheme = forms.ChoiceField(label=_("Placement scheme"), required=False)

    def __init__(self, *args, destinations=None, **kwargs):
        super().__init__(*args, **kwargs)
        anything = _("All")
        self.fields["destination"].choices = _blank(anything) + (
            destinations if destinations is not None else destination_choices()
        )
        self.fields["sector"].choices = _blank(anything) + list(Sector.choices)
        self.fields["occupation"].choices = _blank(anything) + facts.occupation_choices()
        schemes = Scheme.objects.filter(is_active=True).only("code", "name", "name_en")
        self.fields["scheme"].choices = _blank(anything) + [
            (s.code, s.display_name) for s in schemes
        ]

    def values(self) -> dict:
        """The valid filters given (an invalid one is dropped, not an error)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data[name] for name in self.fields if data.get(name)}


class JobCheckForm(forms.Form):
    """What a worker knows of a job offer. Every field is optional, but at least
    one thing to check must be given."""

    agency = forms.CharField(
        label=_("Placement company (name or licence number)"),
        required=False,
        max_length=200,
        help_text=_("As written on the letter, the card or the chat, e.g. PT Maju Jaya."),
    )
    employer = forms.CharField(
        label=_("Employer abroad (name)"),
        required=False,
        max_length=200,
    )
    destination = forms.ChoiceField(label=_("Destination country"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    occupation_code = forms.ChoiceField(label=_("Job"), required=False)
    wage_amount = forms.DecimalField(
        label=_("Wage offered"),
        required=False,
        min_value=0,
        max_value=MAX_AMOUNT,
        max_digits=14,
        decimal_places=2,
        help_text=_("Numbers only, e.g. 5200."),
    )
    wage_currency = forms.ChoiceField(label=_("Currency of the wage"), required=False)
    wage_period = forms.ChoiceField(
        label=_("The wage is paid"),
        required=False,
        choices=JobOrder.WagePeriod.choices,
        initial=JobOrder.WagePeriod.MONTH,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choose = _("I don't know")
        self.fields["destination"].choices = _blank(choose) + destination_choices()
        self.fields["sector"].choices = _blank(choose) + list(Sector.choices)
        self.fields["occupation_code"].choices = _blank(choose) + facts.occupation_choices()
        currencies = currency_choices()
        self.fields["wage_currency"].choices = _blank(choose) + currencies
        for n in range(1, COST_ROWS + 1):
            self.fields[f"cost_{n}_item"] = forms.CharField(
                label=_("What for (cost %(n)s)") % {"n": n}, required=False, max_length=100
            )
            self.fields[f"cost_{n}_amount"] = forms.DecimalField(
                label=_("Amount (cost %(n)s)") % {"n": n},
                required=False,
                min_value=0,
                max_value=MAX_AMOUNT,
                max_digits=14,
                decimal_places=2,
            )
            self.fields[f"cost_{n}_currency"] = forms.ChoiceField(
                label=_("Currency (cost %(n)s)") % {"n": n},
                required=False,
                choices=currencies,
                initial="IDR",
            )

    @property
    def main_fields(self):
        return [self[name] for name in self.fields if not name.startswith("cost_")]

    @property
    def cost_rows(self):
        return [
            (n, self[f"cost_{n}_item"], self[f"cost_{n}_amount"], self[f"cost_{n}_currency"])
            for n in range(1, COST_ROWS + 1)
        ]

    def clean(self):
        data = super().clean()
        for n in range(1, COST_ROWS + 1):
            item = data.get(f"cost_{n}_item")
            amount = data.get(f"cost_{n}_amount")
            if item and amount is None and f"cost_{n}_amount" not in self.errors:
                self.add_error(
                    f"cost_{n}_amount",
                    _("Give the amount you were asked to pay for “%(item)s”.") % {"item": item},
                )
        given = [
            data.get("agency"),
            data.get("employer"),
            data.get("destination"),
            data.get("occupation_code"),
        ]
        if not self.errors and not any(given):
            raise forms.ValidationError(
                _(
                    "Type at least the company's name or licence number, the employer, "
                    "the destination country or the job: Garda checks what you give."
                ),
                code="empty",
            )
        return data

    def worker_costs(self) -> list[dict]:
        data = self.cleaned_data
        rows = []
        for n in range(1, COST_ROWS + 1):
            amount = data.get(f"cost_{n}_amount")
            if amount is None:
                continue
            rows.append(
                {
                    "item": data.get(f"cost_{n}_item") or "",
                    "amount": str(amount),
                    "currency": data.get(f"cost_{n}_currency") or "IDR",
                }
            )
        return rows

    def values(self) -> dict:
        """What `facts.public_facts` reads."""
        data = self.cleaned_data
        return {
            "agency": (data.get("agency") or "").strip(),
            "employer": (data.get("employer") or "").strip(),
            "destination": data.get("destination") or "",
            "sector": data.get("sector") or "",
            "occupation_code": data.get("occupation_code") or "",
            "wage_amount": data.get("wage_amount"),
            "wage_currency": data.get("wage_currency") or "",
            "wage_period": data.get("wage_period") or JobOrder.WagePeriod.MONTH,
            "worker_costs": self.worker_costs(),
        }
