"""A stay abroad: reported by the worker (the portal) or taken by an officer, updated,
ended. Every write is checked first (messages in the user's language under the
field's name), then written in one transaction with its audit row and the
notification to the other side: nothing is half-written when a write is refused."""

from dataclasses import dataclass, fields
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from garda.abroad.access import accompanying_officers, current_stay, may_report_for
from garda.abroad.models import Stay
from garda.accounts import roles
from garda.accounts.models import User
from garda.accounts.notify import notify
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record, audit_record_many
from garda.people.forms import normalize_phone
from garda.people.models import FamilyContact, Person
from garda.places.models import Country

HOME_COUNTRY = "ID"
LIMITS = {"city": 100, "employer_name": 200, "address": 500, "emergency_name": 200}


@dataclass
class StayData:
    """A stay as the form or the API gives it. `passport_number` None keeps the stored
    one (an update that does not touch it); `family_contact_id` copies one of the
    person's family contacts as the emergency contact."""

    departure: str
    country: str  # ISO 3166-1 alpha-2
    city: str
    emergency_name: str = ""
    emergency_relation: str = ""
    emergency_phone: str = ""
    employer_name: str = ""
    address: str = ""
    phone: str = ""
    contract_start: date | None = None
    contract_end: date | None = None
    passport_number: str | None = ""
    family_contact_id: int | None = None


# The fields of Stay a StayData writes (the audit rows name them).
WRITTEN = (
    "departure",
    "country",
    "city",
    "employer_name",
    "address",
    "phone",
    "contract_start",
    "contract_end",
    "passport_number",
    "emergency_name",
    "emergency_relation",
    "emergency_phone",
)


def _phone(raw: str, field: str, errors: dict) -> str:
    """The registry's phone check (people.forms.normalize_phone), its refusal worded
    for a number abroad."""
    try:
        return normalize_phone(raw or "")
    except ValidationError:
        errors[field] = _(
            "This is not a valid phone number. Write it with the country code, "
            "e.g. +60 12 345 6789."
        )
        return ""


def clean(person: Person, data: StayData) -> dict:
    """The values to write, or a ValidationError naming every bad field."""
    errors: dict = {}
    values: dict = {}
    if data.departure not in Stay.Departure.values:
        errors["departure"] = _("Choose how you left from the list.")
    values["departure"] = data.departure
    code = (data.country or "").strip().upper()
    country = Country.objects.filter(pk=code).first() if len(code) == 2 else None
    if country is None:
        errors["country"] = _("Choose the country from the list.")
    elif country.pk == HOME_COUNTRY:
        errors["country"] = _("A stay abroad cannot be in Indonesia.")
    values["country"] = country
    for name in ("city", "employer_name", "address", "emergency_name"):
        value = (getattr(data, name) or "").strip()
        if "\x00" in value:
            errors[name] = _("Null characters are not allowed.")
        elif len(value) > LIMITS[name]:
            errors[name] = _("Keep it under %(n)s characters.") % {"n": LIMITS[name]}
        values[name] = value
    if not values["city"] and "city" not in errors:
        errors["city"] = _("Write the city where you live.")
    values["phone"] = _phone(data.phone, "phone", errors)
    start, end = data.contract_start, data.contract_end
    if start and end and end < start:
        errors["contract_end"] = _("The contract cannot end before it starts.")
    values["contract_start"], values["contract_end"] = start, end
    if data.passport_number is not None:
        passport = "".join((data.passport_number or "").split()).upper()
        if passport and not (
            passport.isascii() and passport.isalnum() and 6 <= len(passport) <= 12
        ):
            errors["passport_number"] = _("A passport number has 6 to 12 letters and digits.")
        values["passport_number"] = passport
    relation = data.emergency_relation or ""
    emergency_phone = data.emergency_phone
    if data.family_contact_id is not None:
        contact = FamilyContact.objects.filter(pk=data.family_contact_id, person=person).first()
        if contact is None:
            errors["family_contact"] = _("Choose one of the family contacts of the record.")
        else:
            values["emergency_name"] = contact.name
            relation = contact.relation
            emergency_phone = emergency_phone or contact.phone
    if not values["emergency_name"] and "emergency_name" not in errors:
        errors["emergency_name"] = _("Name someone in Indonesia to call in an emergency.")
    if relation and relation not in FamilyContact.Relation.values:
        errors["emergency_relation"] = _("Choose the relation from the list.")
    values["emergency_relation"] = relation
    values["emergency_phone"] = _phone(emergency_phone, "emergency_phone", errors)
    if errors:
        raise ValidationError(errors)
    return values


def _tell(actor: User, person: Person, stay: Stay, *, created: bool) -> None:
    """The worker reported: their officers are told. An officer took it: the worker."""
    if actor.role == roles.WORKER:
        title = (
            _("%(reference)s reported a stay abroad")
            if created
            else _("%(reference)s updated their stay abroad")
        ) % {"reference": person.reference}
        for officer in accompanying_officers(person):
            notify(
                user=officer,
                title=title,
                body=_("Country: %(country)s, %(city)s.")
                % {"country": stay.country.name, "city": stay.city},
                url=reverse("abroad:person_stay", args=[person.pk]),
                email=False,
            )
    elif person.user_id:
        notify(
            user=User.objects.filter(pk=person.user_id).first(),
            title=_("An officer recorded your stay abroad"),
            body=_("Check it and correct it if something is wrong."),
            url=reverse("abroad:mine"),
            email=False,
        )


def stay_report(*, actor: User, person: Person, data: StayData) -> Stay:
    """Report `person`'s stay abroad (the worker for themself, or an officer who may
    edit the person). One current stay per person: a second is refused."""
    if not may_report_for(actor, person):
        deny(actor, "abroad.stay_report", target=person)
    values = clean(person, data)
    if current_stay(person) is not None:
        raise ValidationError(
            {"__all__": _("A stay abroad is already reported: update it instead.")},
            code="exists",
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            stay = Stay(
                person=person,
                reported_by=actor,
                reported_at=now,
                updated_at=now,
                last_contact_at=now,
                **values,
            )
            stay.save()
            audit_record(
                actor=actor,
                action=AuditEvent.Action.CREATE,
                target=stay,
                changed_fields=[n for n in WRITTEN if values.get(n)],
                reason="stay reported" if actor.role == roles.WORKER else "stay taken by officer",
            )
            _tell(actor, person, stay, created=True)
    except IntegrityError:
        # Two reports at once: the other one won.
        raise ValidationError(
            {"__all__": _("A stay abroad is already reported: update it instead.")},
            code="exists",
        ) from None
    return stay


def stay_from_placement(sender, *, placement, actor: User, **kwargs) -> Stay | None:
    """A worker placed through Garda has arrived (garda/jobs/signals.py): their stay is
    opened from the placement (country, city, employer, contract), so the reminders,
    check-ins and the country list hold them from day one. Nothing is opened when the
    worker already reported one, when the city or an emergency contact in Indonesia is
    not known (the worker reports it then, as anyone), or when the officer may not
    take stays for this person; the arrival is never refused for it."""
    person = placement.person
    if current_stay(person) is not None or not may_report_for(actor, person):
        return None
    order, employer = placement.order, placement.employer
    city = (order.city or (employer.city if employer else "")).strip()
    contact = (
        FamilyContact.objects.filter(person=person, is_emergency_contact=True)
        .order_by("id")
        .first()
    )
    if not city or contact is None:
        return None
    data = StayData(
        departure=Stay.Departure.PLACED,
        country=order.destination,
        city=city,
        employer_name=employer.name if employer else "",
        contract_start=placement.arrived_on,
        contract_end=placement.ends_on,
        passport_number="",
        family_contact_id=contact.pk,
    )
    try:
        with transaction.atomic():
            return stay_report(actor=actor, person=person, data=data)
    except ValidationError:
        return None


def stay_update(*, actor: User, stay: Stay, data: StayData) -> Stay:
    """Change a current stay (the worker, or an officer who may edit the person)."""
    person = stay.person
    if not may_report_for(actor, person):
        deny(actor, "abroad.stay_update", target=stay)
    if stay.ended_at is not None:
        raise ValidationError({"__all__": _("This stay has ended.")}, code="ended")
    values = clean(person, data)
    with transaction.atomic():
        locked = Stay.objects.select_for_update().get(pk=stay.pk)
        changed = [n for n, v in values.items() if getattr(locked, n) != v]
        now = timezone.now()
        for name, value in values.items():
            setattr(locked, name, value)
        locked.updated_at = now
        if actor.role == roles.WORKER:
            locked.last_contact_at = now
        locked.save()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=locked,
            changed_fields=changed,
            reason="stay updated",
        )
        if changed:
            _tell(actor, person, locked, created=False)
    locked.person = person
    return locked


def stay_end(*, actor: User, stay: Stay, reason: str) -> Stay:
    """The stay is over: back home, or moved on (a new stay is reported then)."""
    if not may_report_for(actor, stay.person):
        deny(actor, "abroad.stay_end", target=stay)
    if reason not in Stay.EndReason.values:
        raise ValidationError({"end_reason": _("Choose why the stay ended.")})
    with transaction.atomic():
        updated = Stay.objects.filter(pk=stay.pk, ended_at__isnull=True).update(
            ended_at=timezone.now(), end_reason=reason, updated_at=timezone.now()
        )
        if not updated:
            raise ValidationError({"__all__": _("This stay has ended.")}, code="ended")
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=stay,
            changed_fields=["ended_at", "end_reason"],
            reason="stay ended",
        )
    stay.refresh_from_db()
    return stay


def stays_end_on_return(sender, *, repatriations, actor: User, **kwargs) -> int:
    """People brought home (garda/cases/signals.py): their open stays end, "back home"
    (or "died abroad" for the remains of a worker who died), in one statement per kind
    whatever their number (an evacuation's flight)."""
    died = {r.person_id for r in repatriations if r.person_id and r.reason == "death"}
    ids = {r.person_id for r in repatriations if r.person_id}
    if not ids:
        return 0
    stays = list(
        Stay.objects.filter(person_id__in=ids, ended_at__isnull=True).only("pk", "person_id")
    )
    if not stays:
        return 0
    now = timezone.now()
    for reason, group in (
        (Stay.EndReason.DIED, [s.pk for s in stays if s.person_id in died]),
        (Stay.EndReason.RETURNED, [s.pk for s in stays if s.person_id not in died]),
    ):
        if group:
            Stay.objects.filter(pk__in=group).update(
                ended_at=now, end_reason=reason, updated_at=now
            )
    audit_record_many(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        targets=[(s, ["ended_at", "end_reason"]) for s in stays],
        reason="stay ended",
    )
    return len(stays)


def stay_values(stay: Stay) -> dict:
    """The stored values as a form's initial data (the passport left out: it is
    never sent back to a page)."""
    values = {f.name: getattr(stay, f.name) for f in fields(StayData) if hasattr(stay, f.name)}
    values["country"] = stay.country_id
    values.pop("passport_number", None)
    return values
