"""Placement and departure (docs/placement.md): a placement from a selected
application, the contract as signed, social security, the pre-departure orientation
(OPP), the visa, the flight, departure and arrival.

    placement_create ──▶ preparing ──depart──▶ departed ──arrive──▶ arrived
                            └──cancel (reason)──▶ cancelled

The person moves along the registry's status machine (garda/people/rules.py) with
the placement: ready -> placed (create), placed -> departed (depart), departed ->
abroad (arrive); a cancelled placement sends them back to ready. A placement is only
made for a person the registry has as `ready` (or already `placed`): the machine
allows `placed` only from `ready`, and "ready" is where an officer says the
documents are complete (UU 18/2017 art. 5 and 13), and never for a person with an
open protection case (409 `protection_block`, the blocks matching reads).

The application moves through `garda.jobs.services.applications.application_move`
(the one door): selected -> contract_signed (the contract is recorded), ->
departed (departure); a cancelled placement ends the application as rejected, or
withdrawn when the worker withdrew.

Every write is one transaction, optimistic locking on `version`, one audit row (the
person's and the application's moves write theirs too). Who may call what is checked
here as well as in the access functions (garda/jobs/access/placement.py): officers and
admins write everything; a recruiter of the order's company records the contract,
the visa and the travel of their company's placements.
"""

import re
import secrets
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from garda.accounts import roles
from garda.accounts.models import User
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.jobs.models import Application, JobOrder, OrientationSession, Placement
from garda.jobs.services.applications import (
    MoveRefused,
    applications_lapse_for_person,
    is_blocked,
    protection_block_message,
)
from garda.jobs.services.applications import application_move as _application_move
from garda.jobs.services.common import VersionConflict, error, require_reason
from garda.jobs.signals import placement_arrived
from garda.people.models import Person, Route
from garda.people.models import Status as PersonStatus

P = Placement.Status
A = Application.Status

# Who writes which part of a placement.
OFFICE_ROLES = frozenset({roles.OFFICER, roles.ADMIN})
# The sections a recruiter of the order's company may record (docs/placement.md).
RECRUITER_SECTIONS = frozenset({"contract", "visa", "travel"})
# The fields of each section placement_update changes.
SECTIONS = {
    "bpjs": ("bpjs_number", "bpjs_programmes"),
    "orientation": (
        "orientation",
        "orientation_attended_on",
        "orientation_place",
        "orientation_certificate",
    ),
    "visa": ("visa_number", "visa_issued_on", "visa_valid_until"),
    "travel": ("departure_date", "flight"),
}
# A placement still going (its card is valid while it is, and its end date not past).
LIVE = frozenset({P.PREPARING, P.DEPARTED, P.ARRIVED})

# BPJS Ketenagakerjaan programmes (UU 24/2011 art. 6(2); for migrant workers
# Permenaker 4/2023: JKK and JKM are compulsory, JHT optional; JP is listed for
# completeness as the fourth programme of the law).
PROGRAMMES = {
    "JKK": gettext_lazy("Work accident insurance (JKK)"),
    "JKM": gettext_lazy("Death benefit (JKM)"),
    "JHT": gettext_lazy("Old-age savings (JHT)"),
    "JP": gettext_lazy("Pension (JP)"),
}
REQUIRED_PROGRAMMES = ("JKK", "JKM")
# The membership number printed on the BPJS Ketenagakerjaan card (KPJ): 11 digits.
BPJS_DIGITS = 11
FLIGHT = re.compile(r"^[A-Z0-9]{2}[A-Z]?\s?\d{1,4}[A-Z]?$")
VISA = re.compile(r"^[A-Z0-9][A-Z0-9/\-. ]{2,39}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
MAX_MONTHS = 120

# The steps a departure needs, in the order the board names them.
STEPS = {
    "contract": gettext_noop("contract"),
    "bpjs": gettext_noop("BPJS Ketenagakerjaan"),
    "orientation": gettext_noop("pre-departure orientation"),
    "visa": gettext_noop("visa"),
    "flight": gettext_noop("flight"),
}
# What `placement_depart` insists on (the flight is recorded for the board, not
# a condition: a worker may leave by another flight than the one booked).
DEPART_NEEDS = ("contract", "bpjs", "orientation", "visa")


class PlacementRefused(Exception):
    """The placement (or its application, or its person) is not in a state this
    step starts from: 409 `wrong_state`, with a message for the reader."""

    def __init__(self, message, code: str = "wrong_state"):
        super().__init__(str(message))
        self.message = message
        self.code = code


def application_move(**kwargs) -> Application:
    """The application's one door, its refusal worded as the placement's: the
    application may have moved since the placement was read (a page, a race)."""
    try:
        return _application_move(**kwargs)
    except MoveRefused as exc:
        raise PlacementRefused(exc.message, exc.code) from None


# --- reading -------------------------------------------------------------------------


def missing_steps(placement: Placement) -> list[str]:
    """The codes of STEPS not yet recorded on `placement`."""
    missing = []
    if placement.contract_signed_on is None:
        missing.append("contract")
    if not placement.bpjs_number:
        missing.append("bpjs")
    if placement.orientation_attended_on is None:
        missing.append("orientation")
    if not placement.visa_number:
        missing.append("visa")
    if not placement.flight:
        missing.append("flight")
    return missing


def step_words(codes) -> list[str]:
    return [_(STEPS[code]) for code in codes]


def card_valid(placement: Placement | None, today: date | None = None) -> bool:
    """The worker card is valid while the placement is: preparing, departed or
    arrived, and its contract's end not past."""
    if placement is None or placement.status not in LIVE:
        return False
    today = today or timezone.localdate()
    ends_on = placement.ends_on
    if ends_on is None and placement.departure_date and placement.contract_months:
        # Departed, the arrival not recorded yet: the contract counted from the flight.
        ends_on = add_months(placement.departure_date, placement.contract_months)
    return ends_on is None or ends_on >= today


def add_months(day: date, months: int) -> date:
    """`day` plus `months` calendar months (31 January + 1 month = 28/29 February)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


# --- checks shared by the writes -------------------------------------------------------


def _ensure_office(actor: User, what: str) -> None:
    if actor.role not in OFFICE_ROLES:
        deny(actor, f"jobs.{what}")


def may_write_section(actor: User, placement: Placement, section: str) -> bool:
    """Officers and admins write every section; a recruiter of the order's company the
    contract, the visa and the travel."""
    if actor.role in OFFICE_ROLES:
        return True
    if actor.role == roles.RECRUITER and section in RECRUITER_SECTIONS:
        from garda.jobs.access import recruiter_agency_id

        agency = recruiter_agency_id(actor)
        return agency is not None and placement.agency_id == agency
    return False


def _ensure_section(actor: User, placement: Placement, section: str) -> None:
    if not may_write_section(actor, placement, section):
        deny(actor, f"jobs.placement {section}", target=placement)


def _lock(placement: Placement, version: int | None) -> Placement:
    row = Placement.objects.select_for_update().get(pk=placement.pk)
    if version is not None and row.version != version:
        raise VersionConflict(row)
    return row


def _status_word(placement: Placement) -> str:
    return str(P(placement.status).label).lower()


def _ensure_preparing(row: Placement) -> None:
    if row.status != P.PREPARING:
        raise PlacementRefused(
            _("This placement is %(status)s: it can no longer be changed here.")
            % {"status": _status_word(row)}
        )


def _save(actor: User, row: Placement, values: dict, reason: str = "") -> Placement:
    values = {**values, "updated_at": timezone.now(), "version": F("version") + 1}
    Placement.objects.filter(pk=row.pk).update(**values)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=row,
        changed_fields=sorted(k for k in values if k not in ("updated_at", "version")),
        reason=reason,
    )
    return Placement.objects.select_related(
        "application", "person", "order", "employer", "agency", "orientation"
    ).get(pk=row.pk)


def _move_person(actor: User, person: Person, to_status: str, *, route: str = "", reason: str):
    """The person's registry status, unless they are there already."""
    from garda.people.services.registry import person_change_status

    current = Person.objects.filter(pk=person.pk).values_list("status", flat=True).first()
    if current == to_status:
        return
    person_change_status(
        actor=actor, person=person, to_status=to_status, route=route, reason=reason
    )


def route_for(order: JobOrder) -> str:
    """The registry's placement route of a job order: its scheme's kind, or through a
    company (P3MI) when the order names one, else government to government."""
    from garda.destinations.models import Scheme

    kind = Scheme.objects.filter(code=order.scheme).values_list("kind", flat=True).first()
    by_kind = {
        Scheme.Kind.P2P: Route.P3MI,
        Scheme.Kind.INDEPENDENT: Route.INDEPENDENT,
        Scheme.Kind.COMPANY: Route.COMPANY,
        Scheme.Kind.G2G: Route.G2G,
    }
    if kind in by_kind:
        return by_kind[kind]
    return Route.P3MI if order.agency_id else Route.G2G


# --- create ------------------------------------------------------------------------------


def placement_create(*, actor: User, application: Application) -> Placement:
    """A placement from a `selected` application: the order's employer and company
    copied, a random card code, the person moved to `placed`."""
    _ensure_office(actor, "placement_create")
    with transaction.atomic():
        app = (
            Application.objects.select_for_update()
            .select_related("order", "person")
            .get(pk=application.pk)
        )
        if app.status != A.SELECTED:
            raise PlacementRefused(
                _("Only a selected application becomes a placement; this one is %(status)s.")
                % {"status": str(A(app.status).label).lower()}
            )
        if Placement.objects.filter(application=app).exists():
            raise PlacementRefused(_("This application already has a placement."), "exists")
        person = Person.objects.select_for_update().get(pk=app.person_id)
        if person.status not in (PersonStatus.READY, PersonStatus.PLACED):
            raise error(
                "person",
                _(
                    "%(name)s is %(status)s in the registry, not ready for placement: "
                    "check their documents and mark them ready first."
                )
                % {
                    "name": person.full_name,
                    "status": str(PersonStatus(person.status).label).lower(),
                },
                "not_ready",
            )
        if Placement.objects.filter(person=person, status__in=LIVE).exists():
            raise PlacementRefused(
                _("%(name)s already has a placement under way.") % {"name": person.full_name},
                "exists",
            )
        if is_blocked(person):
            raise PlacementRefused(protection_block_message(actor, person), "protection_block")
        order = app.order
        placement = Placement.objects.create(
            application=app,
            person=person,
            order=order,
            employer_id=order.employer_id,
            agency_id=order.agency_id,
            card_code=secrets.token_urlsafe(24),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            target=placement,
            changed_fields=["application", "person", "order", "employer", "agency"],
        )
        _move_person(
            actor,
            person,
            PersonStatus.PLACED,
            route=person.route or route_for(order),
            reason=f"placement {placement.pk}",
        )
        applications_lapse_for_person(person, placed=app, actor=actor)
    return placement


# --- the contract ----------------------------------------------------------------------------


@dataclass
class ContractData:
    signed_on: date | None
    months: int | None
    wage_amount: Decimal | str | None
    wage_currency: str
    wage_period: str


def _money(amount, currency: str, period: str) -> str:
    period_word = dict(JobOrder.WagePeriod.choices).get(period, period)
    value = Decimal(amount)
    value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    text = number_format(value, decimal_pos=None, force_grouping=True)
    return f"{currency} {text} {period_word}".strip()


def contract_differences(order: JobOrder, values: dict) -> list[dict]:
    """What the contract as signed changes from the job order (UU 18/2017 art. 19:
    the work agreement follows the job order the worker applied to). Each item:
    {"field", "order", "signed", "message"}; messages in the active language."""
    out = []
    wage, currency, period = values["wage_amount"], values["wage_currency"], values["wage_period"]
    if order.wage_amount is not None:
        same_unit = currency == order.wage_currency and period == order.wage_period
        if not same_unit or wage != order.wage_amount:
            signed = _money(wage, currency, period)
            offered = _money(order.wage_amount, order.wage_currency, order.wage_period)
            if same_unit and wage < order.wage_amount:
                message = _(
                    "The wage as signed (%(signed)s) is lower than the job order's "
                    "(%(order)s) (UU 18/2017 art. 19)."
                )
            elif same_unit:
                message = _(
                    "The wage as signed (%(signed)s) differs from the job order's "
                    "(%(order)s) (UU 18/2017 art. 19)."
                )
            else:
                message = _(
                    "The wage as signed (%(signed)s) is not in the job order's currency or "
                    "period (%(order)s): check that it is not lower (UU 18/2017 art. 19)."
                )
            out.append(
                {
                    "field": "wage",
                    "order": offered,
                    "signed": signed,
                    "lower": bool(same_unit and wage < order.wage_amount),
                    "message": message % {"signed": signed, "order": offered},
                }
            )
    if order.contract_months and values["contract_months"] != order.contract_months:
        out.append(
            {
                "field": "contract_months",
                "order": order.contract_months,
                "signed": values["contract_months"],
                "lower": False,
                "message": _(
                    "The contract as signed runs %(signed)s months; the job order said "
                    "%(order)s (UU 18/2017 art. 19)."
                )
                % {"signed": values["contract_months"], "order": order.contract_months},
            }
        )
    return out


def _contract_values(data: ContractData, today: date) -> dict:
    errors = {}
    if data.signed_on is None:
        errors["signed_on"] = _("Give the date the contract was signed.")
    elif data.signed_on > today:
        errors["signed_on"] = _("The contract cannot be signed in the future.")
    months = data.months
    if months is None or not 1 <= int(months) <= MAX_MONTHS:
        errors["months"] = _("Give the contract's length in months (1 to %(max)s).") % {
            "max": MAX_MONTHS
        }
    try:
        wage = Decimal(str(data.wage_amount).replace(" ", "").replace(",", "."))
    except (InvalidOperation, ValueError):
        wage = None
    if data.wage_amount in (None, "") or wage is None or not wage.is_finite() or wage <= 0:
        errors["wage_amount"] = _("Give the wage as signed, a number above zero.")
    elif wage > Decimal("1e11"):
        errors["wage_amount"] = _("This wage is too large to be right.")
    currency = (data.wage_currency or "").strip().upper()
    if not CURRENCY.match(currency):
        errors["wage_currency"] = _("The currency must be a three-letter code such as HKD.")
    if data.wage_period not in JobOrder.WagePeriod.values:
        errors["wage_period"] = _("Choose the wage period from the list.")
    if errors:
        from django.core.exceptions import ValidationError

        raise ValidationError({k: ValidationError(v, code="invalid") for k, v in errors.items()})
    return {
        "contract_signed_on": data.signed_on,
        "contract_months": int(months),
        "wage_amount": wage.quantize(Decimal("0.01")),
        "wage_currency": currency,
        "wage_period": data.wage_period,
    }


def placement_record_contract(
    *, actor: User, placement: Placement, data: ContractData, version: int | None = None
) -> Placement:
    """The contract as signed: the differences from the order flagged, and the
    application moved to contract_signed (the first time)."""
    _ensure_section(actor, placement, "contract")
    values = _contract_values(data, timezone.localdate())
    with transaction.atomic():
        row = _lock(placement, version)
        _ensure_preparing(row)
        order = JobOrder.objects.get(pk=row.order_id)
        values["differences"] = contract_differences(order, values)
        app = Application.objects.get(pk=row.application_id)
        if app.status == A.SELECTED:
            application_move(
                actor=actor, application=app, to_status=A.CONTRACT_SIGNED, reason="contract"
            )
        elif app.status != A.CONTRACT_SIGNED:
            raise PlacementRefused(
                _("The application is %(status)s: the contract cannot be recorded.")
                % {"status": str(A(app.status).label).lower()}
            )
        return _save(actor, row, values, reason="contract")


# --- BPJS, orientation, visa, travel ------------------------------------------------------


def clean_bpjs_number(raw: str) -> str:
    """The KPJ number: digits only (spaces, dots and dashes dropped), 11 of them."""
    digits = re.sub(r"[\s.\-]", "", raw or "")
    if not digits.isdigit() or len(digits) != BPJS_DIGITS:
        raise error(
            "bpjs_number",
            _("The BPJS Ketenagakerjaan number (KPJ) is the %(n)s digits on the membership card.")
            % {"n": BPJS_DIGITS},
        )
    return digits


def clean_programmes(values) -> list[str]:
    chosen = []
    for value in values or []:
        code = str(value).strip().upper()
        if code not in PROGRAMMES:
            raise error("bpjs_programmes", _("Choose the programmes from the list."))
        if code not in chosen:
            chosen.append(code)
    missing = [c for c in REQUIRED_PROGRAMMES if c not in chosen]
    if missing:
        raise error(
            "bpjs_programmes",
            _("A migrant worker must be covered at least by JKK and JKM (Permenaker 4/2023)."),
            "required",
        )
    return [c for c in PROGRAMMES if c in chosen]


def _check_date(field: str, value, *, not_future: bool = False, today: date) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value))
        except ValueError:
            raise error(field, _("Give a date such as 2026-03-31.")) from None
    if not_future and value > today:
        raise error(field, _("This date cannot be in the future."))
    return value


def _section_values(section: str, data: dict, row: Placement, today: date) -> dict:
    """The checked values of one section from `data` (keys of SECTIONS[section];
    a key absent from `data` is left as it is; for the encrypted numbers a blank value
    keeps the number on record, as forms never show it)."""
    values = {}
    if section == "bpjs":
        if (data.get("bpjs_number") or "").strip():
            values["bpjs_number"] = clean_bpjs_number(data["bpjs_number"])
        if "bpjs_programmes" in data:
            values["bpjs_programmes"] = clean_programmes(data["bpjs_programmes"])
        if "bpjs_number" in values and "bpjs_programmes" not in values and not row.bpjs_programmes:
            raise error("bpjs_programmes", _("Choose the programmes the worker is covered by."))
    elif section == "visa":
        if (data.get("visa_number") or "").strip():
            number = data["visa_number"].strip().upper()
            if not VISA.match(number):
                raise error("visa_number", _("The visa number is 3 to 40 letters and digits."))
            values["visa_number"] = number
        for name in ("visa_issued_on", "visa_valid_until"):
            if name in data:
                values[name] = _check_date(
                    name, data[name], not_future=name == "visa_issued_on", today=today
                )
        issued = values.get("visa_issued_on", row.visa_issued_on)
        until = values.get("visa_valid_until", row.visa_valid_until)
        if issued and until and until < issued:
            raise error("visa_valid_until", _("The visa cannot expire before it was issued."))
    elif section == "travel":
        if "departure_date" in data:
            day = _check_date("departure_date", data["departure_date"], today=today)
            if day and row.contract_signed_on and day < row.contract_signed_on:
                raise error(
                    "departure_date", _("The departure cannot be before the contract was signed.")
                )
            values["departure_date"] = day
        if "flight" in data:
            flight = re.sub(r"\s+", " ", (data["flight"] or "").strip().upper())
            if flight and not FLIGHT.match(flight):
                raise error(
                    "flight", _("Give the flight as the airline code and number, e.g. GA 890.")
                )
            values["flight"] = flight
    elif section == "orientation":
        if "orientation_attended_on" in data:
            values["orientation_attended_on"] = _check_date(
                "orientation_attended_on",
                data["orientation_attended_on"],
                not_future=True,
                today=today,
            )
        if "orientation_place" in data:
            values["orientation_place"] = (data["orientation_place"] or "").strip()[:300]
        if "orientation_certificate" in data:
            values["orientation_certificate"] = (data["orientation_certificate"] or "").strip()[:80]
        attended = values.get("orientation_attended_on", row.orientation_attended_on)
        certificate = values.get("orientation_certificate", row.orientation_certificate)
        if attended and not certificate:
            raise error(
                "orientation_certificate",
                _("Give the number of the orientation certificate the worker received."),
                "required",
            )
    return values


def placement_update(
    *,
    actor: User,
    placement: Placement,
    section: str,
    data: dict,
    version: int | None = None,
) -> Placement:
    """Record one section ("bpjs", "orientation", "visa", "travel") of a placement
    that is still preparing. For "orientation", `data["orientation"]` is an
    OrientationSession (or None to take the worker off their session): the session's
    capacity is enforced under a lock on its row."""
    if section not in SECTIONS:
        raise error("section", _("Choose one of the listed parts."), "invalid_choice")
    _ensure_section(actor, placement, section)
    today = timezone.localdate()
    with transaction.atomic():
        row = _lock(placement, version)
        _ensure_preparing(row)
        values = _section_values(section, data, row, today)
        if section == "orientation" and "orientation" in data:
            session = data["orientation"]
            if session is not None and session.pk != row.orientation_id:
                _take_seat(session, row)
            values["orientation"] = session
            if session is not None and not values.get("orientation_place", row.orientation_place):
                values["orientation_place"] = session.place[:300]
        if not values:
            return row
        return _save(actor, row, values, reason=section)


def _take_seat(session: OrientationSession, row: Placement) -> None:
    """Refuse a session that is full: its row locked, so two officers filling its last
    seat wait for each other and the second counts the first's."""
    locked = OrientationSession.objects.select_for_update().get(pk=session.pk)
    taken = (
        Placement.objects.filter(orientation=locked)
        .exclude(status=P.CANCELLED)
        .exclude(pk=row.pk)
        .count()
    )
    if taken >= locked.capacity:
        raise PlacementRefused(
            _("This orientation session is full (%(n)s places): choose another one.")
            % {"n": locked.capacity},
            "session_full",
        )


# --- departure, arrival, cancellation --------------------------------------------------------


def placement_depart(
    *, actor: User, placement: Placement, departed_at=None, version: int | None = None
) -> Placement:
    """The worker has left: the contract, BPJS, orientation and visa must be on
    record; the application and the person move to departed."""
    _ensure_office(actor, "placement_depart")
    now = timezone.now()
    departed_at = departed_at or now
    if timezone.is_naive(departed_at):  # a time typed without its zone is Jakarta's
        departed_at = timezone.make_aware(departed_at)
    if departed_at > now:
        raise error("departed_at", _("The departure cannot be recorded before it happens."))
    with transaction.atomic():
        row = _lock(placement, version)
        _ensure_preparing(row)
        # (A placement may be typed in after the worker left: only the contract, which
        # the departure needs, bounds it.)
        day = timezone.localtime(departed_at).date()
        if row.contract_signed_on and day < row.contract_signed_on:
            raise error("departed_at", _("The departure cannot be before the contract was signed."))
        missing = [code for code in missing_steps(row) if code in DEPART_NEEDS]
        if missing:
            raise PlacementRefused(
                _("The departure cannot be recorded yet: missing %(steps)s.")
                % {"steps": ", ".join(step_words(missing))},
                "steps_missing",
            )
        app = Application.objects.get(pk=row.application_id)
        application_move(actor=actor, application=app, to_status=A.DEPARTED, reason="departed")
        _move_person(actor, row.person, PersonStatus.DEPARTED, reason=f"placement {row.pk}")
        values = {"status": P.DEPARTED, "departed_at": departed_at}
        if row.departure_date is None:
            values["departure_date"] = timezone.localtime(departed_at).date()
        return _save(actor, row, values, reason="departed")


def placement_arrive(
    *, actor: User, placement: Placement, arrived_on=None, version: int | None = None
) -> Placement:
    """The worker has arrived: the person is abroad; the contract's end is counted
    from the arrival."""
    _ensure_office(actor, "placement_arrive")
    today = timezone.localdate()
    arrived_on = _check_date("arrived_on", arrived_on, not_future=True, today=today) or today
    with transaction.atomic():
        row = _lock(placement, version)
        if row.status != P.DEPARTED:
            raise PlacementRefused(
                _("Only a departed placement can arrive; this one is %(status)s.")
                % {"status": _status_word(row)}
            )
        if row.departed_at and arrived_on < timezone.localtime(row.departed_at).date():
            raise error("arrived_on", _("The arrival cannot be before the departure."))
        _move_person(actor, row.person, PersonStatus.ABROAD, reason=f"placement {row.pk}")
        values = {"status": P.ARRIVED, "arrived_on": arrived_on}
        if row.contract_months:
            values["ends_on"] = add_months(arrived_on, row.contract_months)
        row = _save(actor, row, values, reason="arrived")
        placement_arrived.send(sender=Placement, placement=row, actor=actor)
        return row


def placement_cancel(
    *,
    actor: User,
    placement: Placement,
    reason: str,
    by_worker: bool = False,
    version: int | None = None,
) -> Placement:
    """The placement will not go ahead: the application ends (withdrawn when the
    worker withdrew, else rejected), the person is ready again, the card invalid."""
    _ensure_office(actor, "placement_cancel")
    reason = require_reason(reason)
    with transaction.atomic():
        row = _lock(placement, version)
        _ensure_preparing(row)
        app = Application.objects.get(pk=row.application_id)
        to_status = A.WITHDRAWN if by_worker else A.REJECTED
        if app.status in (A.SELECTED, A.CONTRACT_SIGNED):
            application_move(
                actor=actor,
                application=app,
                to_status=to_status,
                reason=reason,
                placement_ending=True,
            )
        current = Person.objects.filter(pk=row.person_id).values_list("status", flat=True).first()
        if current == PersonStatus.PLACED:  # ready again (an officer may have moved them)
            _move_person(
                actor, row.person, PersonStatus.READY, reason=f"placement {row.pk} cancelled"
            )
        values = {"status": P.CANCELLED, "status_reason": reason}
        return _save(actor, row, values, reason="cancelled")
