"""Who may see which persons (docs/design.md, need to know).

- admin, supervisor, officer: the whole registry (shared by Pasukan Putih across
  agencies);
- worker: only their own record;
- trainer, partner: nobody yet (their access comes with training batches and
  referrals).
Missing and forbidden look the same: 404.
"""

from django.db.models import QuerySet

from garda.accounts import roles
from garda.accounts.models import User
from garda.audit.gate import deny_not_found
from garda.people.models import Person

REGISTRY_ROLES = frozenset({roles.ADMIN, roles.SUPERVISOR, roles.OFFICER})


def visible_people(user: User) -> QuerySet[Person]:
    if not user.is_authenticated:
        return Person.objects.none()
    qs = Person.objects.active()
    if user.role in REGISTRY_ROLES:
        return qs
    if user.role == roles.WORKER:
        return qs.filter(user=user)
    return qs.none()


def get_person_for(user: User, pk: int, *, for_write: bool = False) -> Person:
    """The person `pk` if `user` may see it (and edit it, with for_write); else 404,
    with a denied-access audit row (docs/security.md, test 1)."""
    try:
        person = visible_people(user).select_related("village").get(pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, "people.person", pk, "get_person_for")
    if for_write and not may_edit(user, person):
        deny_not_found(user, "people.person", pk, "get_person_for:write")
    return person


def read_person_for(user: User, pk: int, *, reason: str = "") -> Person:
    """get_person_for, and the read audited: one VIEW row naming the person (`reason`
    says which part of their record: "" for the profile, "documents"...). The page and
    the API read a person's record through here, so each read writes the same row."""
    person = get_person_for(user, pk)
    person_read(user, person, reason=reason)
    return person


def person_read(user: User, person: Person, *, reason: str = "") -> None:
    """The VIEW row of showing (part of) `person`'s record, fetched already."""
    from garda.audit.models import AuditEvent
    from garda.audit.services import audit_record

    audit_record(actor=user, action=AuditEvent.Action.VIEW, target=person, reason=reason)


def read_own_person(user: User, *, reason: str = "") -> Person | None:
    """A worker's own record, its read audited like read_person_for; None (and no
    row) when they have none yet."""
    person = visible_people(user).select_related("village").filter(user=user).first()
    if person is not None:
        person_read(user, person, reason=reason)
    return person


def read_people(user: User) -> QuerySet[Person]:
    """The registry as `user` may search it, the search audited (a VIEW of the list):
    the page and the API list people through here."""
    from garda.audit.models import AuditEvent
    from garda.audit.services import audit_record

    audit_record(
        actor=user, action=AuditEvent.Action.VIEW, object_type="people.person", reason="list"
    )
    return visible_people(user)


def may_edit(user: User, person: Person) -> bool:
    if user.role in REGISTRY_ROLES:
        return True
    return user.role == roles.WORKER and person.user_id == user.pk


def may_reveal_identity(user: User, person: Person) -> bool:
    """Unmasked NIK/KK/passport: admins and supervisors, officers for the persons
    assigned to them, the worker for themself. Every reveal is audited by the caller."""
    if user.role in (roles.ADMIN, roles.SUPERVISOR):
        return True
    if user.role == roles.OFFICER:
        return person.assignments.filter(officer=user).exists()
    return user.role == roles.WORKER and person.user_id == user.pk


def get_consent_for(user: User, person: Person, pk: int):
    """Consent `pk` of `person` (whom the caller got through get_person_for or
    read_own_person); another person's consent, or none, is a 404 with a denied row."""
    consent = person.consents.prefetch_related("agencies").filter(pk=pk).first()
    if consent is None:
        deny_not_found(user, "people.consent", pk, "get_consent_for")
    consent.person = person
    return consent


def get_family_contact_for(user: User, person: Person, pk: int):
    """Family contact `pk` of `person`, as get_consent_for."""
    contact = person.family.filter(pk=pk).first()
    if contact is None:
        deny_not_found(user, "people.familycontact", pk, "get_family_contact_for")
    contact.person = person
    return contact
