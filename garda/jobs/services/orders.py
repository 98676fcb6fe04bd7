"""Job orders: write, submit, verify or reject, close, cancel, and the nightly
re-check of published orders (docs/jobs.md, "A job order's life").

    draft ──submit──▶ submitted ──verify──▶ verified ──close──▶ closed
      ▲                  │  ▲                  │
      └──(edit)── rejected ◀┘  └──(edit, or a failed re-check)
    any state but closed and cancelled ──cancel──▶ cancelled

A failed check blocks verification; a warning needs the verifying officer's reason.
Every move is a `JobOrderEvent` and an audit row; a move the table does not allow (a
draft verified without being submitted) is refused with `MoveRefused`.
"""

import re
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from garda.accounts import roles
from garda.accounts.models import User
from garda.accounts.notify import notify
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record, audit_record_many
from garda.destinations.models import Destination, RequirementSet, Scheme, Sector
from garda.jobs import access, checks, facts
from garda.jobs.models import (
    Application,
    Employer,
    ForeignPartner,
    JobOrder,
    JobOrderEvent,
    Placement,
    PlacementAgency,
)
from garda.jobs.services.common import VersionConflict, error, require_reason
from garda.models import ReferenceSequence

REFERENCE_PREFIX = "JO"
S = JobOrder.Status

# The moves a job order may make, by the service that makes them.
MOVES = {
    "submit": ({S.DRAFT, S.REJECTED}, S.SUBMITTED),
    "verify": ({S.SUBMITTED}, S.VERIFIED),
    "reject": ({S.SUBMITTED}, S.REJECTED),
    "close": ({S.VERIFIED}, S.CLOSED),
    "cancel": ({S.DRAFT, S.SUBMITTED, S.VERIFIED, S.REJECTED}, S.CANCELLED),
}
EDITABLE = {S.DRAFT, S.SUBMITTED, S.VERIFIED, S.REJECTED}
CURRENCY = re.compile(r"^[A-Z]{3}$")
MAX_COSTS = 30


class MoveRefused(Exception):
    """The order is not in a state this move starts from."""

    def __init__(self, order: JobOrder, move: str):
        super().__init__(f"{order.reference}: {move} from {order.status}")
        self.order = order
        self.move = move

    @property
    def message(self) -> str:
        return _("A job order that is %(status)s cannot be %(move)s.") % {
            "status": JobOrder.Status(self.order.status).label.lower(),
            "move": MOVE_WORDS.get(self.move, self.move),
        }


class ChecksFailed(Exception):
    """Verification refused: failed checks, or warnings without a reason."""

    def __init__(self, order: JobOrder, checks_run: list, unexplained: list[str]):
        super().__init__(order.reference)
        self.order = order
        self.checks = checks_run
        self.unexplained = unexplained

    @property
    def failed(self) -> list:
        return checks.failed(self.checks)


def _move_words() -> dict:
    from django.utils.translation import gettext_lazy

    return {
        "submit": gettext_lazy("submitted"),
        "verify": gettext_lazy("verified"),
        "reject": gettext_lazy("rejected"),
        "close": gettext_lazy("closed"),
        "cancel": gettext_lazy("cancelled"),
    }


MOVE_WORDS = _move_words()


@dataclass
class OrderData:
    """A cleaned job order (forms.JobOrderForm, or the API's schema)."""

    destination: str
    scheme: str
    sector: str
    occupation_code: str
    agency: PlacementAgency | None = None
    employer: Employer | None = None
    partner: ForeignPartner | None = None
    number: str = ""
    city: str = ""
    occupation_title: str = ""
    positions: int = 0
    positions_female: int = 0
    positions_male: int = 0
    wage_amount: Decimal | None = None
    wage_currency: str = ""
    wage_period: str = "month"
    hours_per_day: int | None = None
    days_per_week: int | None = None
    rest_days_per_month: int | None = None
    overtime: str = ""
    leave_days_per_year: int | None = None
    food: str = ""
    lodging: str = ""
    transport: str = ""
    insurance: str = ""
    contract_months: int | None = None
    ticket_paid_by: str = ""
    worker_costs: list = field(default_factory=list)
    closing_date: date | None = None
    requirement_set: RequirementSet | None = None
    skills: str = ""
    certificates: str = ""
    language: str = ""
    language_level: str = ""
    # What matching filters on (docs/matching.md): the language as ISO 639-1 with the
    # scale and lowest level of people.LanguageSkill, and the courses whose
    # certificate a candidate must hold (training.Course objects).
    required_language: str = ""
    required_language_scale: str = ""
    required_language_level: str = ""
    required_courses: list = field(default_factory=list)
    experience_months: int | None = None
    min_age: int | None = None
    max_age: int | None = None
    description: str = ""
    attested_on: date | None = None
    attested_by: str = ""
    sip2mi_number: str = ""
    sip2mi_date: date | None = None


FIELDS = [f.name for f in fields(OrderData)]


def clean_costs(rows, default_currency: str = "IDR") -> list[dict]:
    """[{"item", "amount", "currency"}] with amounts as strings of positive numbers;
    raises a ValidationError on `worker_costs` naming the bad row."""
    out = []
    for n, row in enumerate(rows or [], start=1):
        if not isinstance(row, dict):
            raise error("worker_costs", _("Cost %(n)s is not an item with an amount.") % {"n": n})
        item = str(row.get("item") or "").strip()[:120]
        raw = row.get("amount")
        if not item and raw in (None, "", 0, "0"):
            continue
        if not item:
            raise error("worker_costs", _("Cost %(n)s has no name.") % {"n": n})
        try:
            amount = Decimal(str(raw).replace(" ", ""))
        except (InvalidOperation, ValueError):
            amount = None
        if amount is None or not amount.is_finite() or amount < 0 or amount > Decimal("1e12"):
            raise error(
                "worker_costs",
                _("The amount of “%(item)s” is not a number of zero or more.") % {"item": item},
            )
        currency = str(row.get("currency") or default_currency).strip().upper()
        if not CURRENCY.match(currency):
            raise error(
                "worker_costs",
                _("The currency of “%(item)s” must be a three-letter code such as IDR.")
                % {"item": item},
            )
        # Plain digits ("1500000", "12.5"), never an exponent ("1.5E+6").
        out.append({"item": item, "amount": format(amount.normalize(), "f"), "currency": currency})
    if len(out) > MAX_COSTS:
        raise error("worker_costs", _("List at most %(n)s costs.") % {"n": MAX_COSTS})
    return out


def _language_errors(data: OrderData) -> dict:
    """The required language: a code with a scale and one of that scale's levels,
    or nothing at all."""
    from garda.people.models import LanguageSkill

    language = (data.required_language or "").strip().lower()
    scale = (data.required_language_scale or "").strip().lower()
    level = (data.required_language_level or "").strip()
    if not (language or scale or level):
        return {}
    errors = {}
    if not re.fullmatch(r"[a-z]{2,3}", language):
        errors["required_language"] = _(
            "Give the language as a code of two letters (ISO 639-1), such as en or ja."
        )
    levels = LanguageSkill.LEVELS.get(scale)
    if levels is None:
        errors["required_language_scale"] = _("Choose the scale of the level from the list.")
    elif level not in levels:
        errors["required_language_level"] = _(
            "On the %(scale)s scale the level is one of: %(levels)s."
        ) % {"scale": scale.upper(), "levels": ", ".join(levels)}
    return errors


def _validate(actor: User, data: OrderData, order: JobOrder | None) -> dict:
    """The order's values from `data`, or a ValidationError naming the field."""
    errors = {}
    dest = Destination.objects.filter(code=(data.destination or "").upper()).first()
    if dest is None:
        errors["destination"] = _("Choose a destination country from the list.")
    scheme = Scheme.objects.filter(code=data.scheme, is_active=True).first()
    if scheme is None:
        errors["scheme"] = _("Choose a placement scheme from the list.")
    if data.sector not in Sector.values:
        errors["sector"] = _("Choose a sector from the list.")
    code = (data.occupation_code or "").strip()
    occ = facts.occupation(code)
    if not re.fullmatch(r"\d{4}", code):
        errors["occupation_code"] = _(
            "Give the occupation as an ISCO-08 code of four digits (9111: domestic helper)."
        )
    title = (data.occupation_title or "").strip() or (occ.title if occ else "")
    if not title and "occupation_code" not in errors:
        errors["occupation_title"] = _("Give the job title.")
    if data.wage_currency and not CURRENCY.match(data.wage_currency.upper()):
        errors["wage_currency"] = _("Give the currency as a three-letter code such as HKD.")
    if data.wage_amount is not None and data.wage_amount <= 0:
        errors["wage_amount"] = _("The wage must be more than zero.")
    if data.wage_period not in JobOrder.WagePeriod.values:
        errors["wage_period"] = _("The wage is paid per month or per hour.")
    if data.ticket_paid_by and data.ticket_paid_by not in JobOrder.TicketPaidBy.values:
        errors["ticket_paid_by"] = _("Choose who pays the tickets from the list.")
    for name in ("food", "lodging", "transport"):
        value = getattr(data, name)
        if value and value not in JobOrder.Provision.values:
            errors[name] = _("Choose from the list.")
    if data.positions_female + data.positions_male > data.positions:
        errors["positions"] = _(
            "The positions for women and for men add up to more than the positions."
        )
    if data.min_age is not None and data.max_age is not None and data.max_age < data.min_age:
        errors["max_age"] = _("The maximum age is below the minimum age.")
    for name, top in (("hours_per_day", 24), ("days_per_week", 7), ("rest_days_per_month", 31)):
        value = getattr(data, name)
        if value is not None and value > top:
            errors[name] = _("At most %(n)s.") % {"n": top}
    today = timezone.localdate()
    if (
        data.closing_date is not None
        and data.closing_date < today
        and (order is None or order.closing_date != data.closing_date)
    ):
        errors["closing_date"] = _("The closing date has passed.")
    # The company: a recruiter's own, always; others choose (none for G-to-G).
    agency = data.agency
    if actor.role == roles.RECRUITER:
        agency = access.recruiter_agency(actor)
        if agency is None:
            deny(actor, "jobs.order_write:no_company")
    if scheme is not None and scheme.kind != Scheme.Kind.G2G and agency is None:
        errors["agency_id"] = _("Choose the placement company (P3MI) that holds the order.")
    if data.employer is not None and data.employer.country != (data.destination or "").upper():
        errors["employer_id"] = _("The employer is in another country than the destination.")
    errors.update(_language_errors(data))
    if errors:
        raise ValidationError(errors)
    costs = clean_costs(data.worker_costs)
    values = {name: getattr(data, name) for name in FIELDS}
    values.update(
        destination=dest.code,
        agency=agency,
        occupation_code=code,
        occupation_title=title[:200],
        fee_free=bool(occ and occ.fee_free),
        wage_currency=(data.wage_currency or "").upper(),
        worker_costs=costs,
        required_language=(data.required_language or "").strip().lower(),
        required_language_scale=(data.required_language_scale or "").strip().lower(),
        required_language_level=(data.required_language_level or "").strip(),
        required_courses=sorted({c.pk for c in data.required_courses or ()}),
    )
    for name in (
        "number",
        "city",
        "overtime",
        "insurance",
        "skills",
        "certificates",
        "language",
        "language_level",
        "description",
        "attested_by",
        "sip2mi_number",
    ):
        values[name] = (values[name] or "").strip()
    return values


def _stored(loader: "facts.Loader", order: JobOrder) -> list[dict]:
    """The checks of `order` as they are kept on it: in Indonesian, the product's
    language, whoever ran them (the API's GET .../checks answers in the caller's)."""
    with override(settings.LANGUAGE_CODE):
        return [c.as_dict() for c in checks.run(loader.order(order))]


def _check_all(order: JobOrder) -> list[dict]:
    return _stored(facts.Loader(), order)


def _event(order: JobOrder, actor, before: str, reason: str = "") -> None:
    JobOrderEvent.objects.create(
        order=order,
        from_status=before,
        to_status=order.status,
        reason=reason,
        checks=order.checks,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _ensure_writer(actor: User, what: str) -> None:
    if not getattr(actor, "is_authenticated", False) or actor.role not in access.WRITE_ROLES:
        deny(actor, what)


def order_create(*, actor: User, data: OrderData) -> JobOrder:
    """A new draft order, its checks run once so the writer sees them at once."""
    _ensure_writer(actor, "jobs.order_create")
    values = _validate(actor, data, None)
    courses = values.pop("required_courses")
    with transaction.atomic():
        year = timezone.localdate().year
        order = JobOrder(
            reference=ReferenceSequence.next_reference(REFERENCE_PREFIX, year),
            created_by=actor,
            **values,
        )
        order.full_clean(exclude=["reference", "checks", "accepted_warnings"])
        order.save()
        if courses:
            order.required_courses.set(courses)
        order.checks = _check_all(order)
        order.checked_at = timezone.now()
        order.save(update_fields=["checks", "checked_at"])
        _event(order, actor, "")
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=order)
    return order


def _lock(order: JobOrder, version: int | None) -> JobOrder:
    current = JobOrder.objects.select_for_update().get(pk=order.pk)
    if version is not None and current.version != version:
        raise VersionConflict(current)
    return current


def _save(order: JobOrder, names: list[str]) -> None:
    order.updated_at = timezone.now()
    order.version = F("version") + 1
    order.save(update_fields=[*names, "updated_at", "version"])
    order.refresh_from_db(fields=["version"])


def order_update(
    *, actor: User, order: JobOrder, data: OrderData, version: int | None = None
) -> JobOrder:
    """Change an order; a verified (published) order goes back for verification."""
    if not access.may_edit(actor, order):
        deny(actor, "jobs.order_update", target=order)
    values = _validate(actor, data, order)
    courses = values.pop("required_courses")
    with transaction.atomic():
        order = _lock(order, version)
        if order.status not in EDITABLE:
            raise MoveRefused(order, "edit")
        # Under the order's lock (the one a selection takes): a selection made while
        # this form was open is counted.
        _check_positions_held(order, values)
        changed = [k for k, v in values.items() if getattr(order, _attr(k)) != _key(v)]
        if sorted(order.required_courses.values_list("pk", flat=True)) != courses:
            changed.append("required_courses")
            order.required_courses.set(courses)
        for name, value in values.items():
            setattr(order, name, value)
        if not changed:
            return order
        before = order.status
        if order.status == S.VERIFIED:
            order.status = S.SUBMITTED
            order.status_reason = _("Changed after verification: to be verified again.")
            order.verified_at = None
            order.verified_by = None
            order.accepted_warnings = {}
        order.full_clean(exclude=["reference", "checks", "accepted_warnings"])
        order.checks = _check_all(order)
        order.checked_at = timezone.now()
        _save(
            order,
            [
                *values,
                "status",
                "status_reason",
                "verified_at",
                "verified_by",
                "accepted_warnings",
                "checks",
                "checked_at",
            ],
        )
        if before != order.status:
            _event(order, actor, before, order.status_reason)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=order,
            changed_fields=changed,
            reason="sent back for verification" if before != order.status else "",
        )
    return order


def _check_positions_held(order: JobOrder, values: dict) -> None:
    """Refuse fewer positions than the people already selected (or with a signed
    contract, or gone), and positions kept for women or for men that would leave the
    other sex's selected people without a place: a ValidationError naming the field."""
    from garda.jobs.services.applications import HOLDS_POSITION

    names = ("positions", "positions_female", "positions_male")
    if all((values.get(n) or 0) == (getattr(order, n) or 0) for n in names):
        return  # unchanged: an edit of other fields is never refused for them
    held = dict(
        Application.objects.filter(order=order, status__in=HOLDS_POSITION)
        .values_list("person__sex")
        .annotate(n=Count("id"))
        .order_by()
    )
    total = sum(held.values())
    if not total:
        return
    positions = values.get("positions") or 0
    errors = {}
    if positions < total:
        errors["positions"] = ngettext(
            "%(n)d person is already selected for this order: it needs at least %(n)d position.",
            "%(n)d people are already selected for this order: it needs at least %(n)d positions.",
            total,
        ) % {"n": total}
    else:
        women, men = held.get("F", 0), held.get("M", 0)
        kept_women = values.get("positions_female") or 0
        kept_men = values.get("positions_male") or 0
        if men > positions - kept_women:
            errors["positions_female"] = ngettext(
                "%(n)d man is already selected: at most %(most)d positions can be kept for women.",
                "%(n)d men are already selected: at most %(most)d positions can be kept for women.",
                men,
            ) % {"n": men, "most": positions - men}
        if women > positions - kept_men:
            errors["positions_male"] = ngettext(
                "%(n)d woman is already selected: at most %(most)d positions can be kept for men.",
                "%(n)d women are already selected: at most %(most)d positions can be kept for men.",
                women,
            ) % {"n": women, "most": positions - women}
    if errors:
        raise ValidationError(
            {k: ValidationError(v, code="positions_taken") for k, v in errors.items()}
        )


def _attr(name: str) -> str:
    return f"{name}_id" if name in ("agency", "employer", "partner", "requirement_set") else name


def _key(value):
    return getattr(value, "pk", value)


def _move(
    *,
    actor: User,
    order: JobOrder,
    move: str,
    reason: str = "",
    version: int | None = None,
    extra=None,
) -> JobOrder:
    starts, to = MOVES[move]
    with transaction.atomic():
        order = _lock(order, version)
        if order.status not in starts:
            raise MoveRefused(order, move)
        before = order.status
        names = ["status", "status_reason"]
        if extra is not None:
            names += extra(order)
        order.status = to
        order.status_reason = reason
        _save(order, names)
        _event(order, actor, before, reason)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=order,
            changed_fields=["status"],
            reason=f"{before} -> {to}",
        )
    return order


def order_submit(*, actor: User, order: JobOrder, version: int | None = None) -> JobOrder:
    """Send a draft (or a rejected order, fixed) to the officers; the checks run."""
    if not access.may_edit(actor, order):
        deny(actor, "jobs.order_submit", target=order)

    def stamp(o):
        o.checks = _check_all(o)
        o.checked_at = o.submitted_at = timezone.now()
        return ["checks", "checked_at", "submitted_at"]

    # Submitted orders wait in the officers' queue (their home page and the order
    # list): nobody is e-mailed for each one.
    return _move(actor=actor, order=order, move="submit", version=version, extra=stamp)


def order_verify(
    *,
    actor: User,
    order: JobOrder,
    accepted_warnings: dict | None = None,
    version: int | None = None,
) -> JobOrder:
    """Publish an order whose checks pass; each warning needs a reason
    (`accepted_warnings`: {code: reason}). ChecksFailed otherwise."""
    if not access.may_verify(actor):
        deny(actor, "jobs.order_verify", target=order)
    reasons = {
        str(k): str(v).strip()[:500]
        for k, v in (accepted_warnings or {}).items()
        if str(v or "").strip()
    }
    with transaction.atomic():
        current = _lock(order, version)
        if current.status not in MOVES["verify"][0]:
            raise MoveRefused(current, "verify")
        found = _check_all(current)
        unexplained = [c["code"] for c in checks.warnings(found) if c["code"] not in reasons]
        if checks.failed(found) or unexplained:
            JobOrder.objects.filter(pk=current.pk).update(checks=found, checked_at=timezone.now())
            # The audit row of the refusal stays: it is written outside this block.
            refused = ChecksFailed(current, found, unexplained)
        else:
            refused = None

            def stamp(o):
                o.checks = found
                o.checked_at = o.verified_at = timezone.now()
                o.verified_by = actor
                o.accepted_warnings = {
                    c["code"]: reasons[c["code"]] for c in checks.warnings(found)
                }
                return ["checks", "checked_at", "verified_at", "verified_by", "accepted_warnings"]

            order = _move(actor=actor, order=current, move="verify", extra=stamp)
    if refused is not None:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=refused.order,
            reason="verification refused: "
            + ",".join(sorted({c["code"] for c in refused.failed} | set(refused.unexplained))),
        )
        raise refused
    _tell_company(
        order, _("Job order %(ref)s is verified and published.") % {"ref": order.reference}
    )
    return order


def order_reject(
    *, actor: User, order: JobOrder, reason: str, version: int | None = None
) -> JobOrder:
    if not access.may_verify(actor):
        deny(actor, "jobs.order_reject", target=order)
    reason = require_reason(reason)
    order = _move(actor=actor, order=order, move="reject", reason=reason, version=version)
    _tell_company(
        order, _("Job order %(ref)s was rejected.") % {"ref": order.reference}, body=reason
    )
    return order


def order_close(*, actor: User, order: JobOrder, reason: str = "", version: int | None = None):
    """The positions are filled (or the employer no longer recruits)."""
    if not access.may_edit(actor, order):
        deny(actor, "jobs.order_close", target=order)
    with transaction.atomic():
        order = _move(
            actor=actor,
            order=order,
            move="close",
            reason=(reason or "").strip()[:500],
            version=version,
        )
        _lapse_applications(order, actor)  # issue 15: docs/applications.md
    return order


def order_cancel(*, actor: User, order: JobOrder, reason: str, version: int | None = None):
    if not access.may_edit(actor, order):
        deny(actor, "jobs.order_cancel", target=order)
    reason = require_reason(reason)
    with transaction.atomic():
        # Issue 15: a placement under way is cancelled first, on its own page and with
        # its reason (the person, the card, the application move with it).
        waiting = Placement.objects.filter(order=order, status=Placement.Status.PREPARING).count()
        if waiting:
            raise error(
                "reason",
                ngettext(
                    "%(count)d placement on this order is under way: cancel it first.",
                    "%(count)d placements on this order are under way: cancel them first.",
                    waiting,
                )
                % {"count": waiting},
                "placements_under_way",
            )
        order = _move(actor=actor, order=order, move="cancel", reason=reason, version=version)
        _lapse_applications(order, actor)  # issue 15: docs/applications.md
    return order


def _lapse_applications(order: JobOrder, actor) -> None:
    """Issue 15 (services/applications.py): the applications of an order that closed
    or was cancelled lapse with it, in the same transaction."""
    from garda.jobs.services.applications import applications_lapse_for_order

    applications_lapse_for_order(order, actor=actor)


def orders_recheck(*, today: date | None = None, batch: int = 500) -> dict:
    """The nightly re-check of every published order: a failed check (a licence
    suspended, an employer listed, a moratorium, a new wage floor) sends the order
    back for verification and tells the company and the officer who verified it;
    orders whose closing date has passed are closed. Returns the counts."""
    today = today or timezone.localdate()
    loader = facts.Loader(today)
    counts = {"checked": 0, "unpublished": 0, "closed": 0}
    expired = list(
        JobOrder.objects.filter(status=S.VERIFIED, closing_date__lt=today)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(expired), batch):
        counts["closed"] += _close_expired(expired[start : start + batch])
    # The verifying officer is read only for an order that fails (to tell them).
    qs = JobOrder.objects.filter(status=S.VERIFIED).select_related("agency").order_by("pk")
    last = 0
    while True:
        chunk = list(qs.filter(pk__gt=last)[:batch])
        if not chunk:
            break
        last = chunk[-1].pk
        now = timezone.now()
        passed, changed = [], []
        for order in chunk:
            found = _stored(loader, order)
            counts["checked"] += 1
            if checks.failed(found):
                _unpublish(order, found)
                counts["unpublished"] += 1
                continue
            passed.append(order.pk)
            if found != order.checks:
                order.checks = found
                changed.append(order)
        # Most nights nothing changes: one update stamps the chunk, and only the
        # orders whose checks read differently are rewritten (a CASE per row of
        # bulk_update over every order cost more than the checks themselves).
        JobOrder.objects.filter(pk__in=passed, status=S.VERIFIED).update(checked_at=now)
        JobOrder.objects.bulk_update(changed, ["checks"], batch_size=batch)
    return counts


def _close_expired(ids: list[int]) -> int:
    """Close the published orders `ids` whose closing date has passed, in bulk: one
    update, one insert of their events and one of their audit rows, whatever their
    number (the same rows `order_close` writes one by one)."""
    with override("id"):  # stored for every reader, like the nightly check's reasons
        reason = _("The closing date has passed.")
    with transaction.atomic():
        rows = list(
            JobOrder.objects.select_for_update()
            .filter(pk__in=ids, status=S.VERIFIED)
            .only("pk", "checks")
            .order_by("pk")
        )
        if not rows:
            return 0
        now = timezone.now()
        JobOrder.objects.filter(pk__in=[o.pk for o in rows]).update(
            status=S.CLOSED, status_reason=reason, updated_at=now, version=F("version") + 1
        )
        JobOrderEvent.objects.bulk_create(
            JobOrderEvent(
                order=o,
                from_status=S.VERIFIED,
                to_status=S.CLOSED,
                reason=reason,
                checks=o.checks,
                created_at=now,
            )
            for o in rows
        )
        audit_record_many(
            actor=None,
            action=AuditEvent.Action.UPDATE,
            targets=[(o, ["status"]) for o in rows],
            reason=f"{S.VERIFIED} -> {S.CLOSED}",
        )
        # Issue 15 (services/applications.py): their applications lapse, in bulk too.
        from garda.jobs.services.applications import applications_lapse_for_orders

        applications_lapse_for_orders([o.pk for o in rows])
    return len(rows)


def orders_recheck_for_agency(agency: PlacementAgency) -> int:
    """Re-check a company's published orders now (after its licence changed); the ones
    that fail leave the board. Returns how many left."""
    loader = facts.Loader()
    left = 0
    qs = JobOrder.objects.filter(status=S.VERIFIED, agency=agency)
    for order in qs.select_related("agency", "verified_by"):
        found = _stored(loader, order)
        if checks.failed(found):
            _unpublish(order, found)
            left += 1
    return left


def orders_recheck_for_party(*, employer=None, partner=None) -> int:
    """Re-check the published orders naming a just-listed employer or partner."""
    qs = JobOrder.objects.filter(status=S.VERIFIED)
    qs = qs.filter(employer=employer) if employer is not None else qs.filter(partner=partner)
    loader = facts.Loader()
    left = 0
    for order in qs.select_related("agency", "verified_by"):
        found = _stored(loader, order)
        if checks.failed(found):
            _unpublish(order, found)
            left += 1
    return left


def orders_resubmit_for_party(*, actor: User, employer=None, partner=None) -> int:
    """Send the published orders naming `employer` (or `partner`), just changed by a
    recruiter, back for verification: the board shows only what an officer verified;
    the submitted ones move to a new version. Returns how many left the board."""
    naming = (
        JobOrder.objects.filter(employer=employer)
        if employer is not None
        else JobOrder.objects.filter(partner=partner)
    )
    # An officer reviewing a submitted order read the party as it was: their
    # verification, with the version they read, is refused as stale (issue 19).
    naming.filter(status=S.SUBMITTED).update(version=F("version") + 1, updated_at=timezone.now())
    qs = naming.filter(status=S.VERIFIED)
    with override(settings.LANGUAGE_CODE):
        reason = (
            _("The employer changed after verification: to be verified again.")
            if employer is not None
            else _("The foreign partner changed after verification: to be verified again.")
        )
    left = 0
    for pk in qs.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            current = JobOrder.objects.select_for_update().get(pk=pk)
            if current.status != S.VERIFIED:
                continue
            before = current.status
            current.status = S.SUBMITTED
            current.status_reason = reason
            current.verified_at = None
            current.verified_by = None
            current.accepted_warnings = {}
            _save(
                current,
                ["status", "status_reason", "verified_at", "verified_by", "accepted_warnings"],
            )
            _event(current, actor, before, reason)
            audit_record(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                target=current,
                changed_fields=["status"],
                reason="sent back for verification: "
                + ("employer changed" if employer is not None else "partner changed"),
            )
        left += 1
    return left


def _unpublish(order: JobOrder, found: list[dict]) -> None:
    with override("id"):
        reason = _("The nightly check failed: %(checks)s") % {
            "checks": "; ".join(c["message"] for c in checks.failed(found))
        }

    def stamp(o):
        o.checks, o.checked_at = found, timezone.now()
        o.verified_at = None
        o.accepted_warnings = {}
        return ["checks", "checked_at", "verified_at", "accepted_warnings"]

    with transaction.atomic():
        current = _lock(order, None)
        if current.status != S.VERIFIED:
            return
        before = current.status
        stamp(current)
        current.status = S.SUBMITTED
        current.status_reason = reason[:2000]
        _save(
            current,
            ["status", "status_reason", "checks", "checked_at", "verified_at", "accepted_warnings"],
        )
        _event(current, None, before, current.status_reason)
        audit_record(
            actor=None,
            action=AuditEvent.Action.UPDATE,
            target=current,
            changed_fields=["status"],
            reason="unpublished by the nightly check: "
            + ",".join(c["code"] for c in checks.failed(found)),
        )
        title = _("Job order %(ref)s was taken off the vacancy board.") % {"ref": current.reference}
        _tell_company(current, title, body=current.status_reason)
        if order.verified_by_id:
            notify(
                user=order.verified_by,
                title=title,
                body=current.status_reason,
                url=reverse("jobs:order_detail", args=[current.pk]),
            )


def _tell_company(order: JobOrder, title: str, body: str = "") -> None:
    if order.agency_id is None:
        return
    url = reverse("jobs:order_detail", args=[order.pk])
    staff = User.objects.filter(recruiter__agency_id=order.agency_id, is_active=True).order_by("pk")
    for user in staff:
        notify(user=user, title=title, body=body, url=url)
