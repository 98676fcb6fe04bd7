"""What the checks read, gathered from the database and the app's data files: the
occupations (and which are fee-free), wage floors, zero-cost exceptions, exchange
rates and licence rules (`data/*.toml`, read once), and for each order its company,
the problematic list, the destination's sector rule and the scheme.

`Loader` remembers what many orders share (a destination, a scheme, the listings),
so that the nightly re-check of every published order reads each of them once.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language

from garda import refdata
from garda.destinations import rules as destination_rules
from garda.destinations.models import (
    Destination,
    DestinationScheme,
    RequirementSet,
    Scheme,
    Sector,
    SectorRule,
)
from garda.jobs import checks
from garda.jobs.models import JobOrder, PlacementAgency, ProblemListing, name_key

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Occupation:
    code: str
    title: str
    fee_free: bool
    fee_free_job: str


@dataclass(frozen=True)
class Data:
    occupations: dict  # code -> Occupation
    floors: tuple  # dicts from wage_floors.toml
    fee_rule_from: date
    fee_exceptions: tuple  # dicts
    rates: dict
    rate_margin: float
    licence_rules: tuple  # dicts, ordered by effective_from


@lru_cache(maxsize=1)
def data() -> Data:
    occ = refdata.load(DATA / "occupations.toml")["occupations"]
    floors = refdata.load(DATA / "wage_floors.toml")["floors"]
    for row in floors:
        if row["per"] not in ("month", "hour") or Decimal(row["amount"]) <= 0:
            raise ValueError(f"bad wage floor {row!r}")
        if row["per"] == "hour" and not row["hours_per_month"]:
            raise ValueError(f"an hourly floor needs hours_per_month: {row!r}")
    fee = refdata.load(DATA / "fee_free.toml")
    rates = refdata.load(DATA / "exchange_rates.toml")
    licence = refdata.load(DATA / "licence_rules.toml")["rules"]
    return Data(
        occupations={
            r["code"]: Occupation(r["code"], r["title"], r["fee_free"], r["fee_free_job"])
            for r in occ
        },
        floors=tuple(floors),
        fee_rule_from=fee["rule_effective_from"],
        fee_exceptions=tuple(fee.get("exceptions", ())),
        rates=dict(rates["rates"]),
        rate_margin=float(rates["margin"]),
        licence_rules=tuple(sorted(licence, key=lambda r: r["effective_from"])),
    )


def occupation(code: str) -> Occupation | None:
    return data().occupations.get((code or "").strip())


def occupation_choices() -> list[tuple[str, str]]:
    return [(o.code, f"{o.code} — {o.title}") for o in data().occupations.values()]


def licence_valid_until(issued_on: date | None) -> date | None:
    """The end of a licence issued on `issued_on`, by the rule in force that day."""
    if issued_on is None:
        return None
    rule = None
    for row in data().licence_rules:
        if row["effective_from"] <= issued_on:
            rule = row
    if rule is None:
        return None
    return destination_rules.add_months(issued_on, int(rule["months"]))


def floor_for(destination: str, occupation_code: str, day: date) -> checks.Floor | None:
    """The wage floor in force on `day` for the occupation in the destination: a row
    naming the occupation wins over a row for every occupation."""
    best = None
    best_specific = False
    for row in data().floors:
        if row["destination"] != destination or row["effective_from"] > day:
            continue
        if row["effective_to"] and row["effective_to"] <= day:
            continue
        specific = bool(row["occupations"])
        if specific and occupation_code not in row["occupations"]:
            continue
        if (specific, row["effective_from"]) > (
            best_specific,
            best["effective_from"] if best else date.min,
        ):
            best, best_specific = row, specific
    if best is None:
        return None
    return checks.Floor(
        amount=Decimal(best["amount"]),
        currency=best["currency"],
        per=best["per"],
        hours_per_month=int(best["hours_per_month"] or 0),
        legal_basis=best["legal_basis"],
        effective_from=best["effective_from"],
    )


def fee_exception(destination: str, day: date) -> str:
    """The legal basis of a zero-cost exception for `destination` on `day`, or ""."""
    for row in data().fee_exceptions:
        if row["destination"] == destination and row["effective_from"] <= day:
            return row["legal_basis"]
    return ""


def fee_rule_applies(day: date) -> bool:
    return day >= data().fee_rule_from


def agency_facts(agency: PlacementAgency | None) -> checks.AgencyFacts | None:
    if agency is None:
        return None
    return checks.AgencyFacts(
        name=agency.name,
        licence_number=agency.licence_number,
        status=agency.status,
        valid_until=agency.licence_valid_until,
        status_reason=agency.status_reason,
    )


def _listing_q(day: date) -> Q:
    return Q(listed_on__lte=day) & (Q(delisted_on__isnull=True) | Q(delisted_on__gt=day))


def _same_names(found: dict) -> None:
    """Give every employer and partner recorded under a listed party's country and
    name the listings of that name, by id: a listed employer entered again as a new
    record (the same name) fails an order's check as the public check finds it by name
    (issue 19: a copy of a listed employer passed verification). Two queries."""
    from django.db.models import Q

    from garda.jobs.models import Employer, ForeignPartner

    keys = [k for k in found if isinstance(k[0], str) and len(k[0]) == 2 and k[0].isupper()]
    if not keys:
        return
    match = Q()
    for country, key in keys:
        match |= Q(country=country, name_key=key)
    for kind, model in (("employer", Employer), ("partner", ForeignPartner)):
        for pk, country, key in model.objects.filter(match).values_list(
            "pk", "country", "name_key"
        ):
            rows = found.setdefault((kind, pk), [])
            rows.extend(row for row in found[(country, key)] if row not in rows)


class Loader:
    """Facts for many orders, reading each destination, scheme and listing once."""

    def __init__(self, today: date | None = None):
        self.today = today or timezone.localdate()
        self._destinations: dict[str, Destination | None] = {}
        self._schemes = {s.code: s for s in Scheme.objects.all()}
        self._available: dict[tuple[str, str], list] = {}
        self._rules: dict[tuple[str, str], tuple] = {}
        self._ages: dict[tuple[str, str, str], tuple] = {}
        self._listings: dict | None = None
        # Per (destination, scheme, sector, day) and (destination, occupation, day):
        # the orders of a night share a few of each.
        self._targets: dict[tuple, dict] = {}
        self._floors: dict[tuple, checks.Floor | None] = {}

    def destination(self, code: str) -> Destination | None:
        if code not in self._destinations:
            self._destinations[code] = Destination.objects.filter(code=code).first()
        return self._destinations[code]

    def sector_rules(self, destination: str, sector: str) -> tuple:
        key = (destination, sector)
        if key not in self._rules:
            self._rules[key] = tuple(
                destination_rules.SectorStatus(
                    status=r.status,
                    legal_basis=r.legal_basis,
                    note=r.note,
                    effective_from=r.effective_from,
                    effective_to=r.effective_to,
                )
                for r in SectorRule.objects.filter(
                    destination__code=destination, sector=sector, occupation=""
                )
            )
        return self._rules[key]

    def scheme_sectors(self, destination: str, scheme: str) -> list | None:
        """The sectors the scheme places into in the destination ([] any), None: the
        scheme does not serve the destination."""
        key = (destination, scheme)
        if key not in self._available:
            row = DestinationScheme.objects.filter(
                destination__code=destination, scheme__code=scheme
            ).first()
            self._available[key] = None if row is None else list(row.sectors or [])
        return self._available[key]

    def age_band(self, destination: str, scheme: str, sector: str) -> tuple:
        key = (destination, scheme, sector)
        if key not in self._ages:
            sets = RequirementSet.objects.filter(is_current=True, scheme__code=scheme).filter(
                Q(destination__code=destination) | Q(destination__isnull=True)
            )
            best = None
            for s in sets:
                score = (s.destination_id is not None, s.sector == sector)
                if s.sector and s.sector != sector:
                    continue
                if best is None or score > best[0]:
                    best = (score, s)
            low = high = None
            if best is not None:
                low, high = best[1].min_age, best[1].max_age
            dest = self.destination(destination)
            if dest is not None and (low is None or dest.min_age > low):
                low = dest.min_age
            self._ages[key] = (low, high)
        return self._ages[key]

    def listings(self) -> dict:
        """Active listings by ("employer"|"partner", id), and by (country, name key)."""
        if self._listings is None:
            found: dict = {}
            rows = ProblemListing.objects.filter(_listing_q(self.today)).select_related(
                "employer", "partner"
            )
            for row in rows:
                party = row.employer or row.partner
                kind = "employer" if row.employer_id else "partner"
                listing = checks.Listing(
                    party=kind,
                    name=party.name,
                    reason=row.reason,
                    source=row.source,
                    listed_on=row.listed_on,
                )
                found.setdefault((kind, party.pk), []).append(listing)
                found.setdefault((party.country, party.name_key), []).append(listing)
            _same_names(found)
            self._listings = found
        return self._listings

    def _target(self, destination: str, scheme_code: str, sector: str, day: date) -> dict:
        key = (destination, scheme_code, sector, day, get_language())  # names: language
        if key not in self._targets:
            self._targets[key] = self._target_uncached(destination, scheme_code, sector, day)
        return self._targets[key]

    def floor(self, destination: str, occupation_code: str, day: date) -> checks.Floor | None:
        key = (destination, occupation_code, day)
        if key not in self._floors:
            self._floors[key] = floor_for(destination, occupation_code, day)
        return self._floors[key]

    def _target_uncached(self, destination: str, scheme_code: str, sector: str, day: date) -> dict:
        dest = self.destination(destination)
        scheme = self._schemes.get(scheme_code)
        out = {
            "destination": destination,
            "destination_known": dest is not None,
            "destination_name": dest.display_name if dest else destination,
            "sector": sector,
            "sector_name": str(Sector(sector).label) if sector in Sector.values else sector,
        }
        if dest is not None and sector:
            rule = destination_rules.sector_rule_on(self.sector_rules(destination, sector), day)
            if rule is not None and rule.status != "open":
                out["sector_status"] = rule.status
                out["sector_basis"] = rule.legal_basis
        if scheme is not None:
            out["scheme_name"] = scheme.display_name
            out["scheme_kind"] = scheme.kind
            out["scheme_fee_free"] = scheme.fee_free
            if dest is not None:
                sectors = self.scheme_sectors(destination, scheme_code)
                out["scheme_available"] = sectors is not None and (
                    not sectors or not sector or sector in sectors
                )
        return out

    def order(self, order: JobOrder) -> checks.Facts:
        day = order.closing_date or self.today
        if day < self.today:
            day = self.today
        occ = occupation(order.occupation_code)
        listings = self.listings()
        found = []
        if order.employer_id:
            found += listings.get(("employer", order.employer_id), [])
        if order.partner_id:
            found += listings.get(("partner", order.partner_id), [])
        fee_free_job = bool(occ and occ.fee_free and fee_rule_applies(day))
        return checks.Facts(
            mode="order",
            day=day,
            **self._target(order.destination, order.scheme, order.sector, day),
            scheme_age=self.age_band(order.destination, order.scheme, order.sector),
            occupation_code=order.occupation_code,
            occupation_title=order.occupation_title or (occ.title if occ else ""),
            fee_free_job=fee_free_job,
            agency=agency_facts(order.agency),
            listings=tuple(found),
            employer_given=True,
            wage_amount=order.wage_amount,
            wage_currency=order.wage_currency,
            wage_period=order.wage_period,
            floor=self.floor(order.destination, order.occupation_code, day),
            rates=data().rates,
            rate_margin=data().rate_margin,
            hours_per_day=order.hours_per_day,
            days_per_week=order.days_per_week,
            rest_days_per_month=order.rest_days_per_month,
            leave_days_per_year=order.leave_days_per_year,
            contract_months=order.contract_months,
            insurance=order.insurance,
            ticket_paid_by=order.ticket_paid_by,
            worker_costs=order.worker_costs or (),
            costs_given=True,
            fee_exception=fee_exception(order.destination, day),
            positions=order.positions,
            positions_female=order.positions_female,
            positions_male=order.positions_male,
            min_age=order.min_age,
            max_age=order.max_age,
        )


def order_checks(order: JobOrder, loader: Loader | None = None) -> list[checks.Check]:
    return checks.run((loader or Loader()).order(order))


def find_agency(given: str) -> PlacementAgency | None:
    """The company a worker named, by licence number (exact, any case) or name."""
    given = (given or "").strip()[:200]
    if not given:
        return None
    by_number = PlacementAgency.objects.filter(licence_number__iexact=given).first()
    if by_number is not None:
        return by_number
    key = name_key(given)
    if not key:
        return None
    return PlacementAgency.objects.filter(name_key=key).order_by("status", "pk").first()


def public_facts(values: dict, today: date | None = None) -> checks.Facts:
    """Facts from what a worker typed on "is this job real?" (already cleaned: codes
    upper or lower case as stored, amounts as Decimal)."""
    loader = Loader(today)
    day = loader.today
    destination = values.get("destination") or ""
    sector = values.get("sector") or ""
    code = values.get("occupation_code") or ""
    occ = occupation(code)
    agency_given = values.get("agency") or ""
    employer = values.get("employer") or ""
    found = []
    if employer:
        listings = loader.listings()
        key = name_key(employer)
        if destination:
            found = listings.get((destination, key), [])
        else:
            for (country, name), rows in listings.items():
                if name == key and isinstance(country, str):
                    found += rows
    target = loader._target(destination, "", sector, day) if destination else {}
    costs = values.get("worker_costs") or []
    return checks.Facts(
        mode="public",
        day=day,
        **target,
        occupation_code=code,
        occupation_title=occ.title if occ else "",
        fee_free_job=bool(occ and occ.fee_free and fee_rule_applies(day)),
        agency=agency_facts(find_agency(agency_given)) if agency_given else None,
        agency_given=agency_given,
        listings=tuple(found),
        employer_given=bool(employer),
        wage_amount=values.get("wage_amount"),
        wage_currency=values.get("wage_currency") or "",
        wage_period=values.get("wage_period") or "month",
        floor=floor_for(destination, code, day) if destination and code else None,
        rates=data().rates,
        rate_margin=data().rate_margin,
        worker_costs=costs,
        costs_given=bool(costs) and bool(code),
        fee_exception=fee_exception(destination, day) if destination else "",
    )
