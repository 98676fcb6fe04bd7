"""The fair-recruitment checks of a job order (docs/jobs.md, "The checks"): a pure
engine over plain facts, no database. `garda/jobs/facts.py` gathers the facts of an
order (or of what a worker typed on the public "is this job real?" page); `run`
answers with one `Check` per rule, in a fixed order, each with a stable code, a
result (pass, fail, warn) and a message in the reader's language naming the rule and
its source.

A check whose facts are not given (the public check, where a worker types only what
they know) is left out, never guessed.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

PASS, FAIL, WARN = "pass", "fail", "warn"

DESTINATION_CLOSED = "destination_closed"
AGENCY_LICENCE = "agency_licence"
EMPLOYER_LISTED = "employer_listed"
WORKER_FEE = "worker_fee"
WAGE_FLOOR = "wage_floor"
CONTRACT_TERMS = "contract_terms"
POSITIONS = "positions"
CODES = (
    DESTINATION_CLOSED,
    AGENCY_LICENCE,
    EMPLOYER_LISTED,
    WORKER_FEE,
    WAGE_FLOOR,
    CONTRACT_TERMS,
    POSITIONS,
)

UU18 = "UU 18/2017"


@dataclass(frozen=True)
class Check:
    code: str
    result: str
    message: str

    def as_dict(self) -> dict:
        return {"code": self.code, "result": self.result, "message": self.message}


@dataclass(frozen=True)
class AgencyFacts:
    name: str
    licence_number: str
    status: str  # active, suspended, revoked
    valid_until: date | None = None
    status_reason: str = ""


@dataclass(frozen=True)
class Listing:
    """An active entry of the problematic list against the employer or the partner."""

    party: str  # "employer" or "partner"
    name: str
    reason: str
    source: str
    listed_on: date


@dataclass(frozen=True)
class Floor:
    amount: Decimal
    currency: str
    per: str  # month, hour
    hours_per_month: int
    legal_basis: str
    effective_from: date


@dataclass(frozen=True)
class Facts:
    """What the checks read. `mode` "order" runs every check; "public" runs only the
    ones whose facts were given."""

    mode: str = "order"
    day: date | None = None  # the closing date, else today
    destination: str = ""
    destination_name: str = ""
    destination_known: bool = True
    sector: str = ""
    sector_name: str = ""
    # The sector rule in force on `day` (status, legal basis), None: open.
    sector_status: str = ""
    sector_basis: str = ""
    # Whether the scheme places into this destination and sector (None: not asked).
    scheme_available: bool | None = None
    scheme_name: str = ""
    scheme_kind: str = ""  # g2g, p2p, ...
    scheme_fee_free: bool = False
    scheme_age: tuple[int | None, int | None] = (None, None)
    occupation_code: str = ""
    occupation_title: str = ""
    fee_free_job: bool = False
    # The agency: for an order, the company's facts (None for a G-to-G order); for
    # the public check, `agency_given` is what was typed and `agency` what it found.
    agency: AgencyFacts | None = None
    agency_given: str = ""
    listings: tuple[Listing, ...] = ()
    employer_given: bool = False
    wage_amount: Decimal | None = None
    wage_currency: str = ""
    wage_period: str = "month"
    floor: Floor | None = None
    # Rupiah per unit of currency (for a floor in another currency) and the margin
    # within which a converted comparison is a warning, not a failure.
    rates: dict = field(default_factory=dict)
    rate_margin: float = 0.05
    hours_per_day: int | None = None
    days_per_week: int | None = None
    rest_days_per_month: int | None = None
    leave_days_per_year: int | None = None
    contract_months: int | None = None
    insurance: str = ""
    ticket_paid_by: str = ""
    worker_costs: Sequence[dict] = ()
    costs_given: bool = False
    # A dated exception to the zero-cost rule for this destination: its legal basis.
    fee_exception: str = ""
    positions: int | None = None
    positions_female: int = 0
    positions_male: int = 0
    min_age: int | None = None
    max_age: int | None = None


def _day(value: date) -> str:
    return date_format(value, "j F Y")


def money(amount, currency: str) -> str:
    """ "HKD 5.100" in Indonesian, "HKD 5,100" in English."""
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        return f"{currency} {amount}"
    places = 0 if value == value.to_integral_value() else 2
    return f"{currency} {number_format(value, places, force_grouping=True)}"


def _period(per: str) -> str:
    return _("an hour") if per == "hour" else _("a month")


def run(facts: Facts) -> list[Check]:
    checks = []
    for code, fn in (
        (DESTINATION_CLOSED, _destination),
        (AGENCY_LICENCE, _agency),
        (EMPLOYER_LISTED, _employer),
        (WORKER_FEE, _worker_fee),
        (WAGE_FLOOR, _wage),
        (CONTRACT_TERMS, _terms),
        (POSITIONS, _positions),
    ):
        found = fn(facts)
        if found is not None:
            result, message = found
            checks.append(Check(code, result, message))
    return checks


def verdict(checks: Sequence[Check]) -> str:
    """ "danger" on any failed check, "warning" on any warning, else "ok"."""
    results = {c.result for c in checks}
    if FAIL in results:
        return "danger"
    if WARN in results:
        return "warning"
    return "ok"


def failed(checks: Sequence) -> list:
    return [c for c in checks if _result(c) == FAIL]


def warnings(checks: Sequence) -> list:
    return [c for c in checks if _result(c) == WARN]


def _result(check) -> str:
    return check["result"] if isinstance(check, dict) else check.result


# --- the checks -------------------------------------------------------------------


def _destination(f: Facts):
    if not f.destination:
        return None
    if not f.destination_known:
        return FAIL, _(
            "%(country)s is not a destination Indonesia places workers in: no rules are "
            "on file for it (UU 18/2017 art. 31: only countries that protect foreign "
            "workers)."
        ) % {"country": f.destination}
    name = f.destination_name or f.destination
    on = _day(f.day) if f.day else ""
    if f.sector_status == "moratorium":
        return FAIL, _(
            "%(sector)s in %(country)s is closed (moratorium) on %(day)s: no worker may "
            "be placed in it (%(basis)s)."
        ) % {
            "sector": f.sector_name or f.sector,
            "country": name,
            "day": on,
            "basis": f.sector_basis,
        }
    if f.scheme_available is False:
        return FAIL, _(
            "The scheme %(scheme)s does not place workers in %(sector)s in %(country)s "
            "(the destination rules in Garda)."
        ) % {"scheme": f.scheme_name, "sector": f.sector_name or f.sector, "country": name}
    if f.sector_status == "restricted":
        return WARN, _(
            "%(sector)s in %(country)s is restricted on %(day)s: only under the "
            "conditions of %(basis)s."
        ) % {
            "sector": f.sector_name or f.sector,
            "country": name,
            "day": on,
            "basis": f.sector_basis,
        }
    if f.sector:
        return PASS, _("%(sector)s in %(country)s is open on %(day)s.") % {
            "sector": f.sector_name or f.sector,
            "country": name,
            "day": on,
        }
    return PASS, _("%(country)s is an open destination.") % {"country": name}


def _agency(f: Facts):
    if f.mode == "public" and not f.agency_given:
        return None
    if f.mode == "order" and f.agency is None:
        if f.scheme_kind == "g2g":
            return PASS, _(
                "A government-to-government scheme: the government places the workers, "
                "no company is needed (UU 18/2017 art. 49)."
            )
        return FAIL, _(
            "No placement company is named: a private placement needs a company with a "
            "SIP3MI licence (UU 18/2017 art. 51)."
        )
    a = f.agency
    if a is None:
        return FAIL, _(
            "No licensed placement company is registered under “%(given)s”. "
            "Recruiting workers without a SIP3MI licence is against the law (UU 18/2017 "
            "art. 51): do not pay anything, and ask the manpower office."
        ) % {"given": f.agency_given[:80]}
    if a.status == "revoked":
        return FAIL, _(
            "The licence of %(name)s (%(number)s) has been revoked: it may not recruit or "
            "place workers (UU 18/2017 art. 51)."
        ) % {"name": a.name, "number": a.licence_number}
    if a.status == "suspended":
        return FAIL, _(
            "%(name)s (%(number)s) is suspended (tunda layanan): it may not take new "
            "workers until the suspension ends (Perban BP2MI 3/2021)."
        ) % {"name": a.name, "number": a.licence_number}
    if a.valid_until is not None and f.day is not None and a.valid_until < f.day:
        return FAIL, _(
            "The licence of %(name)s (%(number)s) ends on %(until)s, before %(day)s: "
            "the company may not recruit for this job beyond its licence "
            "(UU 18/2017 art. 51)."
        ) % {
            "name": a.name,
            "number": a.licence_number,
            "until": _day(a.valid_until),
            "day": _day(f.day),
        }
    return PASS, _("%(name)s holds an active SIP3MI licence (%(number)s).") % {
        "name": a.name,
        "number": a.licence_number,
    }


def _employer(f: Facts):
    if f.mode == "public" and not f.employer_given:
        return None
    if f.listings:
        first = f.listings[0]
        return FAIL, _(
            "%(name)s is on the list of problematic employers and partners since "
            "%(day)s (%(source)s): %(reason)s. No worker may be placed with them "
            "(UU 18/2017 arts. 9-10)."
        ) % {
            "name": first.name,
            "day": _day(first.listed_on),
            "source": first.source,
            "reason": first.reason,
        }
    return PASS, _("Neither the employer nor the partner is on the problematic list.")


def _charged(costs: Sequence[dict]) -> list[dict]:
    out = []
    for cost in costs or ():
        try:
            amount = Decimal(str(cost.get("amount") or "0"))
        except (InvalidOperation, ValueError):
            amount = Decimal(0)
        if amount > 0:
            out.append({**cost, "amount": amount})
    return out


def _worker_fee(f: Facts):
    if f.mode == "public" and not f.costs_given:
        return None
    charged = _charged(f.worker_costs)
    free_by_scheme = f.scheme_kind == "g2g" or f.scheme_fee_free
    if not (f.fee_free_job or free_by_scheme):
        if charged:
            listed = ", ".join(
                f"{c.get('item') or '?'} ({money(c['amount'], c.get('currency') or '')})"
                for c in charged
            )
            return PASS, _(
                "This job is not on the fee-free list; the costs charged to the worker "
                "are listed: %(costs)s. Anything not listed may not be asked for "
                "(UU 18/2017 art. 30)."
            ) % {"costs": listed}
        return PASS, _("No cost is charged to the worker.")
    if not charged:
        return PASS, _(
            "No cost is charged to the worker, as the law requires for this job "
            "(Perban BP2MI 9/2020)."
        )
    listed = ", ".join(
        f"{c.get('item') or '?'} ({money(c['amount'], c.get('currency') or '')})" for c in charged
    )
    if free_by_scheme:
        # A G-to-G scheme is free whatever the job and wherever it goes: no
        # destination's exception applies to it.
        return FAIL, _(
            "A government-to-government placement costs the worker nothing: the employer "
            "pays (Perban BP2MI 9/2020 art. 5). Charged to the worker: %(costs)s."
        ) % {"costs": listed}
    if f.fee_exception:
        return WARN, _(
            "This job is on the fee-free list, but %(country)s is exempt from the "
            "zero-cost rule (%(basis)s). Charged to the worker: %(costs)s; check each "
            "cost is allowed there."
        ) % {
            "country": f.destination_name or f.destination,
            "basis": f.fee_exception,
            "costs": listed,
        }
    return FAIL, _(
        "%(job)s is one of the fee-free jobs: the worker may not be charged for "
        "placement (Perban BP2MI 9/2020). Charged to the worker: %(costs)s."
    ) % {"job": f.occupation_title or f.occupation_code, "costs": listed}


def _monthly(amount: Decimal, per: str, hours_per_month: float) -> Decimal:
    if per == "hour":
        return amount * Decimal(str(hours_per_month))
    return amount


def _wage(f: Facts):
    if f.wage_amount is None:
        if f.mode == "public":
            return None
        return FAIL, _("No wage is given: the contract must state it (UU 18/2017 art. 15).")
    floor = f.floor
    if floor is None:
        if f.mode == "public":
            return None
        return WARN, _(
            "Garda has no wage floor on file for this job in %(country)s: compare the "
            "wage with the destination's rules by hand."
        ) % {"country": f.destination_name or f.destination}
    if f.wage_period == "hour" and floor.per == "hour":
        # Both by the hour (Korea): compared as they are, whatever the hours.
        offered, needed = f.wage_amount, floor.amount
    else:
        # An hourly wage against a monthly floor: at the order's hours, else the
        # floor's own month; a monthly wage against an hourly floor: at the floor's
        # month (Korea: 209 hours, the paid weekly rest included).
        order_hours = floor.hours_per_month or 173
        if f.hours_per_day and f.days_per_week:
            order_hours = f.hours_per_day * f.days_per_week * 52 / 12
        offered = _monthly(f.wage_amount, f.wage_period, order_hours)
        needed = _monthly(floor.amount, floor.per, floor.hours_per_month or order_hours)
    converted = False
    currency = (f.wage_currency or floor.currency).upper()
    if currency != floor.currency:
        rate_from, rate_to = f.rates.get(currency), f.rates.get(floor.currency)
        if not rate_from or not rate_to:
            return WARN, _(
                "The wage is in %(currency)s and the floor in %(floor_currency)s: Garda "
                "cannot compare them; check by hand (%(basis)s)."
            ) % {"currency": currency, "floor_currency": floor.currency, "basis": floor.legal_basis}
        offered = offered * Decimal(str(rate_from)) / Decimal(str(rate_to))
        converted = True
    floor_text = money(floor.amount, floor.currency) + " " + _period(floor.per)
    params = {
        "wage": money(f.wage_amount, currency) + " " + _period(f.wage_period),
        "floor": floor_text,
        "country": f.destination_name or f.destination,
        "basis": floor.legal_basis,
    }
    if offered >= needed:
        return PASS, _(
            "The wage %(wage)s meets the floor of %(floor)s in %(country)s (%(basis)s)."
        ) % params
    if converted and offered >= needed * Decimal(str(1 - f.rate_margin)):
        return WARN, _(
            "The wage %(wage)s, converted at a reference rate, is just under the floor of "
            "%(floor)s in %(country)s (%(basis)s): check at the day's rate."
        ) % params
    return FAIL, _(
        "The wage %(wage)s is below the floor of %(floor)s in %(country)s (%(basis)s)."
    ) % params


def _terms(f: Facts):
    if f.mode == "public":
        return None
    missing = []
    if f.wage_amount is None or not f.wage_currency:
        missing.append(_("wage"))
    if not f.hours_per_day or not f.days_per_week:
        missing.append(_("working hours"))
    if f.rest_days_per_month is None:
        missing.append(_("rest days"))
    if f.leave_days_per_year is None:
        missing.append(_("leave"))
    if not f.contract_months:
        missing.append(_("contract length"))
    if not (f.insurance or "").strip():
        missing.append(_("insurance"))
    if not f.ticket_paid_by:
        missing.append(_("who pays the tickets"))
    if missing:
        return FAIL, _(
            "The contract terms the law requires are missing: %(missing)s (UU 18/2017 art. 15)."
        ) % {"missing": ", ".join(str(m) for m in missing)}
    heavy = []
    if f.hours_per_day > 8:
        heavy.append(_("%(n)s hours a day") % {"n": f.hours_per_day})
    if f.days_per_week > 6:
        heavy.append(_("%(n)s days a week") % {"n": f.days_per_week})
    if f.rest_days_per_month < 4:
        heavy.append(_("%(n)s rest days a month") % {"n": f.rest_days_per_month})
    if f.ticket_paid_by == "worker":
        heavy.append(_("the worker pays the tickets"))
    if heavy:
        return WARN, _(
            "The terms are complete, but heavy: %(terms)s (the usual minimum is at most 8 "
            "hours a day, 6 days a week and 4 rest days a month; the Indonesian embassies' "
            "standard contracts)."
        ) % {"terms": ", ".join(str(h) for h in heavy)}
    return PASS, _("The contract terms the law requires are all given (UU 18/2017 art. 15).")


def _positions(f: Facts):
    if f.mode == "public":
        return None
    if not f.positions:
        return FAIL, _("The order asks for no worker: give the number of positions.")
    if f.positions_female + f.positions_male > f.positions:
        return FAIL, _(
            "The positions for women (%(f)s) and men (%(m)s) add up to more than the "
            "%(n)s positions of the order."
        ) % {"f": f.positions_female, "m": f.positions_male, "n": f.positions}
    if f.min_age is not None and f.min_age < 18:
        return FAIL, _(
            "The order accepts workers under 18: a migrant worker must be at least 18 "
            "(UU 18/2017 art. 5)."
        )
    low, high = f.scheme_age
    if f.min_age is not None and low is not None and f.min_age < low:
        return FAIL, _(
            "The order accepts workers from %(age)s years old, below the minimum of "
            "%(low)s for this destination and scheme."
        ) % {"age": f.min_age, "low": low}
    if f.max_age is not None and high is not None and f.max_age > high:
        return FAIL, _(
            "The order accepts workers up to %(age)s years old, above the maximum of "
            "%(high)s for this destination and scheme."
        ) % {"age": f.max_age, "high": high}
    return PASS, _("%(n)s positions, in the age band the scheme allows.") % {"n": f.positions}
