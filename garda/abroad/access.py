"""Who may see and write which stays abroad (docs/abroad.md, "Who may do what").

- A worker: their own stays and check-ins (their record through the registry's gate);
  another person's is a 404 with a `denied` row.
- Officers, supervisors and admins: any person's stay, as they may see and edit any
  person of the registry (people.access: the registry is shared by Pasukan Putih
  across agencies), and every country's list. The list is not narrowed to the
  officer's agency: a worker abroad is the province's concern whichever agency
  registered them, and the embassy lists are the tool for finding them.
- Partners of an embassy or consulate (accounts.Agency.Kind.EMBASSY) with a country:
  the list of that country only (another country's is a 404 with a `denied` row).
  Every other partner, trainers and recruiters: 403 with a `denied` row.
Every read of a stay or of a list is one VIEW audit row.
"""

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from garda.abroad.models import Stay
from garda.accounts import roles
from garda.accounts.models import Agency, User
from garda.audit.gate import deny, deny_not_found
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.people.access import get_person_for, may_edit, visible_people
from garda.people.models import Assignment, Person
from garda.places.models import Country

STAFF_ROLES = frozenset({roles.OFFICER, roles.SUPERVISOR, roles.ADMIN})
# Who may open a country's list at all (an embassy partner then only their country).
LIST_ROLES = STAFF_ROLES | {roles.PARTNER}


def own_person(user: User) -> Person | None:
    """A worker's own record (None without one)."""
    if not getattr(user, "is_authenticated", False) or user.role != roles.WORKER:
        return None
    return visible_people(user).filter(user=user).first()


def current_stay(person: Person) -> Stay | None:
    return (
        Stay.objects.select_related("country").filter(person=person, ended_at__isnull=True).first()
    )


def may_report_for(user: User, person: Person) -> bool:
    """Report or change `person`'s stay: the worker themself, or staff who may edit
    the person in the registry."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role == roles.WORKER:
        return person.user_id == user.pk
    return user.role in STAFF_ROLES and may_edit(user, person)


def get_stay_person_for(user: User, pk) -> Person:
    """Person `pk` if `user` may take their stay (staff); else 404 with a denied row."""
    person = get_person_for(user, pk, for_write=True)
    if user.role not in STAFF_ROLES:
        deny_not_found(user, "people.person", pk, "abroad stay")
    return person


def read_stays_of(user: User, person: Person) -> list[Stay]:
    """A person's stays (current first), the read audited as a VIEW of the person."""
    audit_record(actor=user, action=AuditEvent.Action.VIEW, target=person, reason="stays abroad")
    return list(
        Stay.objects.select_related("country")
        .filter(person=person)
        .order_by("ended_at", "-reported_at", "-id")
    )


def embassy_country(user: User) -> str | None:
    """The country code of an embassy partner's agency (None for anyone else)."""
    if user.role != roles.PARTNER or user.agency_id is None:
        return None
    agency = Agency.objects.filter(pk=user.agency_id).values("kind", "country_id").first()
    if agency is None or agency["kind"] != Agency.Kind.EMBASSY or not agency["country_id"]:
        return None
    return agency["country_id"]


def list_countries(user: User, what: str) -> set[str] | None:
    """The countries whose list `user` may read: None for all (staff), one code for an
    embassy partner; anyone else is refused (403, a denied row naming `what`)."""
    if getattr(user, "is_authenticated", False) and user.role in STAFF_ROLES:
        return None
    code = embassy_country(user) if getattr(user, "is_authenticated", False) else None
    if code is None:
        deny(user, what)
    return {code}


def get_country_for(user: User, code: str, what: str) -> Country:
    """Country `code` if `user` may read its list; an unknown code, or another
    country than an embassy partner's, is a 404 with a denied row."""
    allowed = list_countries(user, what)
    code = (code or "").upper()
    country = Country.objects.filter(pk=code).first() if len(code) == 2 else None
    if country is None or (allowed is not None and code not in allowed):
        deny_not_found(user, "places.country", code, what)
    return country


def current_stays() -> QuerySet[Stay]:
    return Stay.objects.filter(ended_at__isnull=True, person__merged_into__isnull=True)


def no_contact_since(days: int, now=None) -> Q:
    """Current stays without contact for `days` days (never contacted: since reported)."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return Q(last_contact_at__lt=cutoff) | Q(last_contact_at__isnull=True, reported_at__lt=cutoff)


def read_country_stays(user: User, country: Country, *, no_contact_days: int | None = None):
    """The current stays in `country` (gate: get_country_for), the listing audited."""
    audit_record(
        actor=user,
        action=AuditEvent.Action.VIEW,
        object_type="abroad.stay",
        reason=f"country list {country.pk}",
    )
    qs = current_stays().filter(country=country)
    if no_contact_days:
        qs = qs.filter(no_contact_since(no_contact_days))
    return qs.select_related("person").order_by("person__full_name", "id")


def accompanying_officers(person: Person) -> list[User]:
    """Whom to tell about `person`: the officers who accompany them, else the
    supervisors (somebody must read a worrying answer)."""
    officers = list(
        User.objects.filter(
            pk__in=Assignment.objects.filter(person=person).values("officer_id"), is_active=True
        ).order_by("pk")
    )
    return officers or list(
        User.objects.filter(groups__name=roles.SUPERVISOR, is_active=True).order_by("pk")
    )
