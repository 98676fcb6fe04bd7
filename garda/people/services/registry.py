"""Every write to the registry (docs/style.md): permission, one transaction, audit row."""

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from garda import crypto
from garda.accounts import roles
from garda.accounts.models import User
from garda.accounts.notify import notify
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record, audited_create
from garda.models import ReferenceSequence
from garda.people import rules
from garda.people.forms import PersonForm, normalize_phone
from garda.people.models import (
    Assignment,
    Consent,
    FamilyContact,
    Person,
    Status,
    StatusChange,
)
from garda.people.names import name_tokens_refresh
from garda.people.services.duplicates import IDENTITY_FIELDS, duplicates_refresh
from garda.people.signals import consent_withdrawn
from garda.places.models import Region

REFERENCE_PREFIX = "PMI"
CONSENTING_RELATIONS = frozenset(
    {FamilyContact.Relation.SPOUSE, FamilyContact.Relation.PARENT, FamilyContact.Relation.GUARDIAN}
)
NIK_CONTEXT = "people.person.nik"


@dataclass(frozen=True)
class PersonData:
    """Validated values of the person form (see forms.PersonForm)."""

    nik: str
    full_name: str
    sex: str
    birth_date: date
    other_names: str = ""
    birth_place: str = ""
    marital_status: str = ""
    address_line: str = ""
    village_code: str = ""
    phone: str = ""
    email: str = ""
    education_level: str = ""
    education_field: str = ""
    kk_number: str = ""
    passport_number: str = ""
    nik_mismatch_reason: str = ""

    @classmethod
    def from_cleaned(cls, cleaned: dict) -> "PersonData":
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in cleaned.items() if k in names and v is not None})


class DuplicateNik(Exception):
    """A person with this NIK is already registered."""

    def __init__(self, existing: Person):
        super().__init__(existing.reference)
        self.existing = existing


class NikAttemptsExceeded(ValidationError):
    """A worker tried too many NIKs that cannot be used (NIK_ATTEMPTS_PER_DAY)."""


# A worker's tries with a NIK that is another record's, per day, before every change
# of NIK is refused alike (the page says so beside the field; the API answers 429).
NIK_ATTEMPTS_PER_DAY = 3
# The reason of the DENIED row a worker's try with another record's NIK writes.
NIK_IN_USE = "nik in use by another record"
NIK_ATTEMPTS = "too many nik attempts"


class VersionConflict(Exception):
    """The record changed since the caller read it."""

    def __init__(self, person: Person):
        super().__init__(person.reference)
        self.current = person


def nik_index(nik: str) -> str:
    return crypto.blind_index(nik, context=NIK_CONTEXT)


def find_by_nik(nik: str) -> Person | None:
    return Person.objects.filter(nik_index=nik_index(nik)).first()


def _may_register(actor: User | None, for_user: User | None) -> bool:
    if actor is None:  # the system: imports, commands
        return True
    if actor.role in (roles.OFFICER, roles.SUPERVISOR, roles.ADMIN):
        return True
    # A worker registers only themself, once.
    return (
        actor.role == roles.WORKER
        and for_user is not None
        and for_user.pk == actor.pk
        and not Person.objects.filter(user=actor).exists()
    )


def person_values(data: PersonData, *, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    return {
        "nik": data.nik,
        "nik_index": nik_index(data.nik),
        "full_name": data.full_name.strip(),
        "other_names": data.other_names.strip(),
        "sex": data.sex,
        "birth_date": data.birth_date,
        "birth_place": data.birth_place.strip(),
        "marital_status": data.marital_status,
        "address_line": data.address_line.strip(),
        "village_id": data.village_code or None,
        "domicile_jakarta": data.village_code.startswith("31."),
        "regency_code": data.village_code[:5],
        "district_code": data.village_code[:8],
        "phone": data.phone,
        "email": data.email.lower(),
        "education_level": data.education_level,
        "education_field": data.education_field.strip(),
        "kk_number": data.kk_number,
        "passport_number": data.passport_number,
        "nik_mismatch_reason": data.nik_mismatch_reason.strip(),
        "training_only": rules.age_on(data.birth_date, today) < rules.PLACEMENT_MIN_AGE,
    }


def person_register(*, actor: User | None, data: PersonData, user: User | None = None) -> Person:
    """Register a person: assisted by an officer, or a worker signing themself up
    (`user` is then the worker's account). A NIK already registered raises
    DuplicateNik; the registering officer becomes the person's first pendamping."""
    if not _may_register(actor, user):
        deny(actor, "people.person_register")
    if actor is not None and actor.role == roles.WORKER and data.nik_mismatch_reason:
        raise ValidationError({"nik_mismatch_reason": _("Only an officer can record this.")})
    is_worker = actor is not None and actor.role == roles.WORKER
    if is_worker:
        _nik_attempts_check(actor)
    existing = find_by_nik(data.nik)
    if existing is not None:
        if is_worker:
            _nik_unavailable(actor, existing)
        raise DuplicateNik(existing)
    values = person_values(data)
    try:
        with transaction.atomic():
            person = Person(
                reference=ReferenceSequence.next_reference(
                    REFERENCE_PREFIX, timezone.localdate().year
                ),
                user=user,
                created_by=actor,
                **values,
            )
            person.full_clean(exclude=["nik", "kk_number", "passport_number"])
            person.save()
            StatusChange.objects.create(
                person=person, to_status=Status.REGISTERED, actor=actor, reason="registration"
            )
            if actor is not None and actor.role == roles.OFFICER:
                Assignment.objects.create(person=person, officer=actor, assigned_by=actor)
            audit_record(
                actor=actor,
                action=AuditEvent.Action.CREATE,
                target=person,
                changed_fields=sorted(k for k, v in values.items() if v),
            )
            duplicates_refresh(person)
            name_tokens_refresh(person)
    except IntegrityError:
        # Two registrations of one NIK at the same moment: the unique index decides.
        existing = find_by_nik(data.nik)
        if existing is None:
            raise
        if is_worker:
            _nik_unavailable(actor, existing)
        raise DuplicateNik(existing) from None
    person.refresh_from_db(fields=["needs_duplicate_review"])  # set by duplicates_refresh
    return person


# The columns a field of the person form writes (the others write their own name).
_COLUMNS = {
    "nik": ("nik", "nik_index"),
    "village_code": ("village_id", "domicile_jakarta", "regency_code", "district_code"),
    "birth_date": ("birth_date", "training_only"),
}
PERSON_FIELDS = tuple(f.name for f in fields(PersonData))


def person_update(
    *,
    actor: User,
    person: Person,
    data: PersonData,
    version: int,
    given: Iterable[str] | None = None,
) -> Person:
    """Save an edit made on `version` of the record; a stale version raises
    VersionConflict and changes nothing (optimistic locking).

    `given` names the fields the caller sets (a PATCH's body, the page's form without
    its locked fields); None: all of them. Only those are written. One rule for the
    page and the API (issue 19):
    - naming an identity number (NIK, KK, passport) in `given`, or changing one, needs
      may_reveal_identity: else IdentityRevealRefused (403) with a DENIED row, and
      nothing is written;
    - a worker changes none of PersonForm.IDENTITY_FIELDS once an officer verified the
      identity: a ValidationError naming the field;
    - a worker who gives another record's NIK learns nothing about it (_nik_unavailable).
    """
    if not _may_edit(actor, person):
        deny(actor, "people.person_update")
    named = set(PERSON_FIELDS if given is None else given).intersection(PERSON_FIELDS)
    values = person_values(data)
    is_worker = actor.role == roles.WORKER
    if is_worker:
        named.discard("nik_mismatch_reason")
        if person.identity_verified:
            locked = {
                name: ValidationError(
                    _("An officer verified this. Ask an officer to correct it."),
                    code="identity_locked",
                )
                for name in PersonForm.IDENTITY_FIELDS
                if name in named and _current(person, name) != values[name]
            }
            if locked:
                raise ValidationError(locked)
    columns = [c for name in sorted(named) for c in _COLUMNS.get(name, (name,))]
    changed = [k for k in columns if k != "nik_index" and _current(person, k) != values[k]]
    # Named in a PATCH is enough (the answer must not tell whether a number is right);
    # a caller that passes the whole record (given None) is checked on what changes.
    if (named if given is not None else set(changed)).intersection(IDENTITY_NUMBERS):
        identity_reveal_check(actor=actor, person=person, purpose="change")
    if "nik" in changed:
        if is_worker:
            _nik_attempts_check(actor)
        other = find_by_nik(data.nik)
        if other is not None and other.pk != person.pk:
            if is_worker:
                _nik_unavailable(actor, other)
            raise DuplicateNik(other)
    update = {k: values[k] for k in changed}
    if "nik" in changed:
        update["nik_index"] = values["nik_index"]
    try:
        with transaction.atomic():
            # Encrypted fields are encrypted by their field on update() too.
            updated = Person.objects.filter(pk=person.pk, version=version).update(
                **update, version=F("version") + 1, updated_at=timezone.now()
            )
            if not updated:
                raise VersionConflict(Person.objects.get(pk=person.pk))
            if IDENTITY_FIELDS.intersection(changed):
                fresh = Person.objects.get(pk=person.pk)
                duplicates_refresh(fresh)
                name_tokens_refresh(fresh)
            audit_record(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                target=person,
                changed_fields=sorted(f.removesuffix("_id") for f in changed),
            )
    except IntegrityError:
        # Another record took this NIK at the same moment.
        other = find_by_nik(data.nik) if "nik" in changed else None
        if other is None or other.pk == person.pk:
            raise
        if is_worker:
            _nik_unavailable(actor, other)
        raise DuplicateNik(other) from None
    return Person.objects.get(pk=person.pk)


def _nik_attempts_check(actor: User) -> None:
    """Refuse any change of NIK by a worker who already tried NIK_ATTEMPTS_PER_DAY
    NIKs of other records in the last 24 hours (counted from the DENIED rows, shared by
    every server process): the answer is then the same for a free and a taken NIK."""
    since = timezone.now() - timedelta(days=1)
    tries = AuditEvent.objects.filter(
        actor_id=actor.pk,
        action=AuditEvent.Action.DENIED,
        reason=NIK_IN_USE,
        created_at__gte=since,
    ).count()
    if tries >= NIK_ATTEMPTS_PER_DAY:
        audit_record(
            actor=actor,
            action=AuditEvent.Action.DENIED,
            object_type="people.person",
            reason=NIK_ATTEMPTS,
        )
        raise NikAttemptsExceeded(
            {
                "nik": ValidationError(
                    _(
                        "Too many tries with a NIK that cannot be used. Please ask a "
                        "Pasukan Putih officer to check your NIK."
                    ),
                    code="nik_attempts",
                )
            }
        )


def _nik_unavailable(actor: User, existing: Person) -> None:
    """A worker gave the NIK of another record (`existing`): answer without saying
    that it is registered, record the try on that record (a DENIED row, counted by
    _nik_attempts_check), and tell the officers who accompany it (else the
    supervisors) so that one of them checks it. Raises the field's ValidationError."""
    with transaction.atomic():
        audit_record(
            actor=actor, action=AuditEvent.Action.DENIED, target=existing, reason=NIK_IN_USE
        )
        officers = list(
            User.objects.filter(assignments__person=existing, is_active=True).distinct()
        ) or list(User.objects.filter(groups__name=roles.SUPERVISOR, is_active=True))
        for officer in officers:
            notify(
                user=officer,
                title=_("Check a NIK: a worker's account entered the NIK of %(reference)s")
                % {"reference": existing.reference},
                body=_(
                    "The account %(account)s entered this record's NIK for itself. Check "
                    "whether it is the same person (a lost account, a typing mistake or a "
                    "misuse) and contact them."
                )
                % {"account": actor.email},
                url=reverse("people:detail", args=[existing.pk]),
                email=False,
            )
    raise ValidationError(
        {
            "nik": ValidationError(
                _(
                    "This NIK cannot be used here. A Pasukan Putih officer will check it "
                    "and contact you."
                ),
                code="nik_unavailable",
            )
        }
    )


def person_form_values(person: Person) -> dict:
    """The record as the person form takes it (identity numbers in clear): what the
    edit page shows, and what a PATCH's body is laid over."""
    return {
        "nik": person.nik,
        "full_name": person.full_name,
        "other_names": person.other_names,
        "sex": person.sex,
        "birth_date": person.birth_date,
        "birth_place": person.birth_place,
        "marital_status": person.marital_status,
        "address_line": person.address_line,
        "village_code": person.village_id or "",
        "phone": person.phone,
        "email": person.email,
        "education_level": person.education_level,
        "education_field": person.education_field,
        "kk_number": person.kk_number,
        "passport_number": person.passport_number,
        "nik_mismatch_reason": person.nik_mismatch_reason,
    }


def _current(person: Person, name: str):
    return getattr(person, name)


def _may_edit(actor: User, person: Person) -> bool:
    if actor.role in (roles.OFFICER, roles.SUPERVISOR, roles.ADMIN):
        return True
    return actor.role == roles.WORKER and person.user_id == actor.pk


def person_change_status(
    *, actor: User, person: Person, to_status: str, route: str = "", reason: str = ""
) -> Person:
    """Move a person along the migration status machine (rules.TRANSITIONS)."""
    if actor.role not in (roles.OFFICER, roles.SUPERVISOR, roles.ADMIN):
        deny(actor, "people.person_change_status")
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        route = route or person.route
        errors = rules.transition_errors(
            current=person.status,
            target=to_status,
            birth_date=person.birth_date,
            route=route,
            today=timezone.localdate(),
        )
        if errors:
            raise ValidationError(
                {"status": [ValidationError(_(message), code=code) for code, message in errors]}
            )
        StatusChange.objects.create(
            person=person,
            from_status=person.status,
            to_status=to_status,
            route=route,
            reason=reason,
            actor=actor,
        )
        Person.objects.filter(pk=person.pk).update(
            status=to_status, route=route, version=F("version") + 1, updated_at=timezone.now()
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=person,
            changed_fields=["status", "route"] if route != person.route else ["status"],
            reason=f"{person.status} -> {to_status}",
        )
    return Person.objects.get(pk=person.pk)


def person_verify_identity(*, actor: User, person: Person) -> Person:
    """An officer checked the KTP/KK: identity fields become read-only for the worker."""
    if actor.role not in (roles.OFFICER, roles.SUPERVISOR, roles.ADMIN):
        deny(actor, "people.person_verify_identity")
    with transaction.atomic():
        Person.objects.filter(pk=person.pk).update(
            identity_verified_at=timezone.now(),
            identity_verified_by=actor,
            version=F("version") + 1,
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=person,
            changed_fields=["identity_verified_at"],
        )
    return Person.objects.get(pk=person.pk)


# The identity numbers a reveal unmasks, in the order they are shown.
IDENTITY_NUMBERS = ("nik", "kk_number", "passport_number")
# Why a reveal was refused, per purpose (the DENIED row's reason).
_REVEAL_REFUSALS = {
    "": "reveal identity",
    "edit form": "edit needs the identity numbers",
    "change": "change identity numbers",
}


class IdentityRevealRefused(PermissionDenied):
    """`actor` may not see this person's identity numbers (people.access.may_reveal_identity)."""


def identity_reveal_check(*, actor: User, person: Person, purpose: str = "") -> None:
    """Refuse (IdentityRevealRefused, with a DENIED row naming the person) unless
    `actor` may reveal `person`'s identity numbers: supervisors and admins always,
    officers for the persons assigned to them, the worker for themself. `purpose`
    "edit form": the person form, which carries the numbers in clear."""
    from garda.people.access import may_reveal_identity

    if not may_reveal_identity(actor, person):
        reason = _REVEAL_REFUSALS[purpose]
        deny(actor, reason, target=person, exc=IdentityRevealRefused(reason))


def identity_reveal(*, actor: User, person: Person, purpose: str = "") -> dict[str, str]:
    """The unmasked NIK, KK and passport numbers of `person` for `actor` (the page and
    the API alike): refused as identity_reveal_check says, else audited with one
    REVEAL row naming the numbers (`purpose` is its reason)."""
    identity_reveal_check(actor=actor, person=person, purpose=purpose)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.REVEAL,
        target=person,
        changed_fields=list(IDENTITY_NUMBERS),
        reason=purpose,
    )
    return {name: getattr(person, name) for name in IDENTITY_NUMBERS}


def region_of(person: Person) -> Region | None:
    return person.village


FAMILY_FIELDS = ("name", "relation", "phone", "is_emergency_contact", "gives_consent")


def _family_values(
    *, name: str, relation: str, phone: str, is_emergency_contact: bool, gives_consent: bool
) -> dict:
    """The checked values of a family contact: the phone in E.164 (the same parser as
    the person's own phone), the family consent only from a spouse, a parent or a
    guardian (UU 18/2017 art. 13). Raises ValidationError naming the field."""
    errors = {}
    try:
        phone = normalize_phone(phone)
    except ValidationError as exc:
        errors["phone"] = exc.error_list
    if gives_consent and relation not in CONSENTING_RELATIONS:
        errors["gives_consent"] = _("Family consent comes from a spouse, a parent or a guardian.")
    if errors:  # every mistake at once, each at its field
        raise ValidationError(errors)
    return {
        "name": name.strip(),
        "relation": relation,
        "phone": phone,
        "is_emergency_contact": is_emergency_contact,
        "gives_consent": gives_consent,
    }


def family_contact_add(
    *,
    actor: User,
    person: Person,
    name: str,
    relation: str,
    phone: str = "",
    is_emergency_contact: bool = False,
    gives_consent: bool = False,
) -> FamilyContact:
    """Add a family or emergency contact (values checked as _family_values says)."""
    if not _may_edit(actor, person):
        deny(actor, "people.family_contact_add")
    values = _family_values(
        name=name,
        relation=relation,
        phone=phone,
        is_emergency_contact=is_emergency_contact,
        gives_consent=gives_consent,
    )
    with transaction.atomic():
        return audited_create(
            actor=actor,
            obj=FamilyContact(person=person, **values),
            changed_fields=list(FAMILY_FIELDS),
        )


def family_contact_update(
    *,
    actor: User,
    contact: FamilyContact,
    name: str,
    relation: str,
    phone: str = "",
    is_emergency_contact: bool = False,
    gives_consent: bool = False,
) -> FamilyContact:
    """Change a family contact; the audit row names the fields that changed (none
    changed: nothing is written)."""
    if not _may_edit(actor, contact.person):
        deny(actor, "people.family_contact_update")
    values = _family_values(
        name=name,
        relation=relation,
        phone=phone,
        is_emergency_contact=is_emergency_contact,
        gives_consent=gives_consent,
    )
    changed = [field for field in FAMILY_FIELDS if getattr(contact, field) != values[field]]
    if not changed:
        return contact
    for field in changed:
        setattr(contact, field, values[field])
    with transaction.atomic():
        contact.full_clean()
        contact.save(update_fields=changed)
        audit_record(
            actor=actor, action=AuditEvent.Action.UPDATE, target=contact, changed_fields=changed
        )
    return contact


def family_contact_remove(*, actor: User, contact: FamilyContact) -> None:
    """Remove a family contact (the audit row keeps that it existed, not its values)."""
    if not _may_edit(actor, contact.person):
        deny(actor, "people.family_contact_remove")
    with transaction.atomic():
        audit_record(actor=actor, action=AuditEvent.Action.DELETE, target=contact)
        contact.delete()


def consent_give(
    *,
    actor: User,
    person: Person,
    purpose: str,
    text_version: str,
    agencies=(),
    source_note: str = "",
) -> Consent:
    """Record what the person agreed to, through whom and under which text (UU PDP).

    Given by the person themself, its source is "self". Anyone else records it on
    the person's behalf from a signed paper form (source "paper"), and must say where
    that form is kept (`source_note`): a consent nobody can show is not one. Sharing
    names at least one agency, each of them active."""
    if not _may_edit(actor, person):
        deny(actor, "people.consent_give")
    agencies = list(agencies)
    by_self = person.user_id is not None and person.user_id == actor.pk
    source_note = source_note.strip()
    errors = {}
    if not by_self and not source_note:
        errors["source_note"] = _(
            "Say where the signed consent form is kept, for example its number and the "
            "office that holds it."
        )
    if purpose == Consent.Purpose.SHARING and not agencies:
        errors["agencies"] = _("Choose at least one agency to share the data with.")
    elif any(not agency.is_active for agency in agencies):
        errors["agencies"] = _("Unknown or inactive agency.")
    if errors:  # every mistake at once, each at its field
        raise ValidationError(errors)
    with transaction.atomic():
        consent = Consent(
            person=person,
            purpose=purpose,
            text_version=text_version,
            given_via=actor,
            source=Consent.Source.SELF if by_self else Consent.Source.PAPER,
            source_note="" if by_self else source_note,
        )
        consent.full_clean()
        consent.save()
        consent.agencies.set(agencies)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            target=consent,
            changed_fields=["purpose", "text_version", "agencies", "source", "source_note"],
        )
    return consent


def consent_withdraw(*, actor: User, consent: Consent) -> Consent:
    """Withdraw a consent: kept as history, with when and through whom. The person
    withdraws their own; an officer records a withdrawal the person asked for (a
    withdrawal needs no proof: stopping is always on the safe side)."""
    if not _may_edit(actor, consent.person):
        deny(actor, "people.consent_withdraw")
    with transaction.atomic():
        updated = Consent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now(), withdrawn_via=actor
        )
        if not updated:
            raise ValidationError(
                _("This consent was already withdrawn."), code="already_withdrawn"
            )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=consent,
            changed_fields=["withdrawn_at"],
        )
        # The sharing this consent covered ends with it (garda/privacy/sharing.py).
        consent_withdrawn.send(sender=Consent, consent=consent, actor=actor)
    consent.refresh_from_db()
    return consent
