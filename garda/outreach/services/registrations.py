"""Registrations and check-in (docs/outreach.md, "Registration and check-in").

- `registration_create`: online (the public, a worker for themself) or at the door
  (staff). The capacity is enforced under a lock of the event's row, so two last
  registrations racing for one seat cannot both get it. A person is registered once
  per event (by their record, or a NIK an officer vouches for).
- A NIK typed online is the visitor's claim, not proof: it is stored (encrypted) but
  links nothing and blocks nothing (`nik_index` stays empty). Otherwise anyone could
  type another person's NIK, link a registration to their record (their funnel would
  count it) and have the real person refused as "already registered" — and the
  refusal would tell a visitor whether a NIK is registered for the event. A record is
  linked by a worker's own account, by staff registering someone, or at check-in when
  the officer types the NIK from the identity card (`registration_check_in(nik=...)`).
- `registration_check_in`: by the registration's code; refused in words when the code
  is unknown, belongs to another event (whose is not told), was checked in already
  (409, with when), or the event is not open.
- `registration_walk_in`: at the door, registration and check-in in one step.
- `registrations_link_person`: a person registered in the registry later is linked to
  the registrations whose NIK staff confirmed (the people app's post_save, apps.py).
"""

import re
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from garda.accounts import roles
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.outreach.access import may_run
from garda.outreach.models import Event, Registration
from garda.outreach.services.common import error
from garda.people.models import Person
from garda.people.services.registry import nik_index

# No 0/O, 1/I/L: read aloud and typed from a phone without confusion.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
NIK_RE = re.compile(r"[0-9]{16}")
PHONE_RE = re.compile(r"\+?[0-9][0-9 \-]{6,18}")


class CheckInRefused(Exception):
    """A check-in the officer must be told about: `code` is the machine's word
    (already_checked_in, wrong_event, unknown_code, event_not_open), `status` the
    API's answer."""

    def __init__(self, code: str, message: str, status: int, registration=None):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status
        self.registration = registration


class RegistrationRefused(Exception):
    """Full, already registered, or closed: `code` and `message` as above (409)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def normalize_code(raw) -> str:
    return re.sub(r"[\s\-]", "", str(raw or "")).upper()[:20]


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@dataclass
class RegistrationData:
    full_name: str = ""
    phone: str = ""
    nik: str = ""


def _clean(data: RegistrationData, person: Person | None) -> dict:
    full_name = (data.full_name or "").strip() or (person.full_name if person else "")
    if not full_name:
        raise error("full_name", _("This field is required."), "required")
    if len(full_name) > 200:
        raise error("full_name", _("Keep it under %(n)s characters.") % {"n": 200}, "max_length")
    phone = (data.phone or "").strip() or (person.phone if person else "")
    if phone and not PHONE_RE.fullmatch(phone):
        raise error("phone", _("This is not a valid phone number."), "invalid_phone")
    nik = re.sub(r"\s", "", data.nik or "")
    if nik and not NIK_RE.fullmatch(nik):
        raise error("nik", _("A NIK has 16 digits."), "invalid_nik")
    return {"full_name": full_name, "phone": phone[:20], "nik": nik}


def _by_staff(actor, channel: str) -> bool:
    return channel == Registration.Channel.DOOR or (
        actor is not None and actor.role in (roles.OFFICER, roles.SUPERVISOR)
    )


def _ensure_may_register(actor, event: Event, channel: str, person: Person | None) -> None:
    if _by_staff(actor, channel):
        if not may_run(actor, event):
            deny(actor, "outreach.registration_create", target=event)
        return
    # Online: the public or a worker, for an open event for the public.
    if actor is not None and getattr(actor, "is_authenticated", False):
        if actor.role != roles.WORKER:
            deny(actor, "outreach.registration_create", target=event)
    if not event.is_public:
        raise RegistrationRefused(
            "not_public", _("This event is not open for registration by the public.")
        )


def registration_create(
    *,
    actor,
    event: Event,
    data: RegistrationData,
    channel: str = Registration.Channel.ONLINE,
    check_in: bool = False,
) -> Registration:
    """Register someone for `event`. A worker's online registration is linked to their
    own record; a NIK staff type is linked to a record with that NIK (if any); a NIK
    typed online is kept unconfirmed (see the module)."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    person = None
    if actor is not None and actor.role == roles.WORKER:
        person = Person.objects.filter(user=actor).first()
    _ensure_may_register(actor, event, channel, person)
    if person is not None:
        # A worker registers as their record says (the name typed does not matter).
        data = RegistrationData(full_name=person.full_name, phone=data.phone, nik="")
    values = _clean(data, person)
    # Only staff vouch for a NIK typed (they see the person); online it is a claim.
    index = nik_index(values["nik"]) if values["nik"] and _by_staff(actor, channel) else ""
    if person is None and index:
        person = Person.objects.filter(nik_index=index).first()
    if person is not None and person.nik_index:
        index = index or person.nik_index
    now = timezone.now()
    try:
        with transaction.atomic():
            # The lock: registrations for one event queue here (the capacity check).
            locked = Event.objects.select_for_update().get(pk=event.pk)
            if locked.status != Event.Status.OPEN:
                raise RegistrationRefused(
                    "event_not_open", _("Registration for this event is not open.")
                )
            taken = Registration.objects.filter(event=locked)
            if person is not None and taken.filter(person=person).exists():
                raise RegistrationRefused(
                    "already_registered", _("This person is already registered for this event.")
                )
            if index and taken.filter(nik_index=index).exists():
                raise RegistrationRefused(
                    "already_registered", _("This person is already registered for this event.")
                )
            if locked.capacity is not None and taken.count() >= locked.capacity:
                raise RegistrationRefused("full", _("This event is full."))
            registration = Registration.objects.create(
                event=locked,
                person=person,
                full_name=values["full_name"],
                phone=values["phone"],
                nik=values["nik"],
                nik_index=index,
                channel=channel,
                code=new_code(),
                token=secrets.token_urlsafe(18),
                registered_at=now,
                registered_by=actor,
                checked_in_at=now if check_in else None,
                checked_in_by=actor if check_in else None,
            )
            audit_record(
                actor=actor,
                action=AuditEvent.Action.CREATE,
                target=registration,
                changed_fields=["full_name", "phone", *(["nik"] if values["nik"] else [])],
                reason="walk-in" if check_in else "",
            )
    except IntegrityError:
        # A twin request that slipped past the checks (the unique constraints hold).
        raise RegistrationRefused(
            "already_registered", _("This person is already registered for this event.")
        ) from None
    return registration


def registration_walk_in(*, actor, event: Event, data: RegistrationData) -> Registration:
    """Someone who did not register comes to the door: registered and checked in."""
    if event.status != Event.Status.OPEN:
        raise CheckInRefused("event_not_open", _("Check-in is closed: the event is not open."), 409)
    return registration_create(
        actor=actor, event=event, data=data, channel=Registration.Channel.DOOR, check_in=True
    )


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y H:i")


def registration_check_in(*, actor, event: Event, code: str, nik: str = "") -> Registration:
    """Check in the registration whose code is `code` at `event` (see the module).
    `nik`, typed by the officer from the person's identity card, confirms who came:
    the registration is linked to the record with that NIK (or to the record made
    later), unless it is linked already (a worker's own)."""
    if not may_run(actor, event):
        deny(actor, "outreach.registration_check_in", target=event)
    if event.status != Event.Status.OPEN:
        label = Event.Status(event.status).label
        raise CheckInRefused(
            "event_not_open",
            _("Check-in is refused: this event is %(status)s.") % {"status": label},
            409,
        )
    code = normalize_code(code)
    registration = Registration.objects.filter(code=code).first() if code else None
    if registration is None:
        raise CheckInRefused("unknown_code", _("There is no registration with this code."), 422)
    if registration.event_id != event.pk:
        raise CheckInRefused("wrong_event", _("This code is for another event, not this one."), 422)
    confirmed = _confirmed_identity(registration, nik)
    now = timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                # Conditional: of two officers scanning the same code, one wins.
                done = Registration.objects.filter(
                    pk=registration.pk, checked_in_at__isnull=True
                ).update(checked_in_at=now, checked_in_by=actor, **confirmed)
        except IntegrityError:
            # Another registration of the event was linked to that person meanwhile.
            raise CheckInRefused(
                "already_registered",
                _("This person is already registered for this event, with another code."),
                409,
            ) from None
        if not done:
            registration.refresh_from_db(fields=["checked_in_at"])
            raise CheckInRefused(
                "already_checked_in",
                _("Already checked in at %(when)s.") % {"when": _when(registration.checked_in_at)},
                409,
                registration,
            )
        registration.checked_in_at, registration.checked_in_by = now, actor
        for name, value in confirmed.items():
            setattr(registration, name, value)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=registration,
            changed_fields=["checked_in_at", *(["nik", "person"] if confirmed else [])],
            reason="check-in",
        )
    return registration


def _confirmed_identity(registration: Registration, nik: str) -> dict:
    """The fields the officer's NIK sets on `registration` (empty: nothing to link)."""
    nik = re.sub(r"\s", "", nik or "")
    if not nik:
        return {}
    if not NIK_RE.fullmatch(nik):
        raise CheckInRefused("invalid_nik", _("A NIK has 16 digits."), 422)
    if registration.person_id is not None:
        return {}  # a worker's own registration: linked by their account already
    index = nik_index(nik)
    person = Person.objects.filter(nik_index=index).first()
    others = Registration.objects.filter(event_id=registration.event_id).exclude(pk=registration.pk)
    same = Q(nik_index=index) | Q(person=person) if person else Q(nik_index=index)
    if others.filter(same).exists():
        raise CheckInRefused(
            "already_registered",
            _("This person is already registered for this event, with another code."),
            409,
        )
    return {"nik": nik, "nik_index": index, "person": person}


def registrations_link_person(person: Person) -> int:
    """Link `person` to the registrations that gave their NIK and have no person yet
    (the person registered in the registry after the event). Returns how many."""
    if not person.nik_index:
        return 0
    return Registration.objects.filter(person__isnull=True, nik_index=person.nik_index).update(
        person=person
    )
