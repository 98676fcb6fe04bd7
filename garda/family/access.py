"""Who sees and handles the family's accesses, and the family's door into the
tracking page (docs/family.md, "Who sees what").

- Staff see a case's family accesses where they may see the case
  (`garda.cases.access.get_case_for`) and issue or end them where they may handle
  it (`may_handle`); anything else is 404 with a `denied` row, as for the case.
- A worker sees who follows the cases about them (`own_accesses`) and sets their
  preference; nobody else's.
- The family member, with no account: the case number and their own secret on the
  public tracking page (`FamilyDoor`, registered in apps.py).
"""

import re

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from garda import crypto
from garda.accounts import roles
from garda.accounts.models import User
from garda.audit.gate import deny_not_found
from garda.cases.access import get_case_for
from garda.cases.models import Case, CaseKind, Kind
from garda.family.models import FamilyAccess, FamilyPreference
from garda.people.models import Person

INDEX_CONTEXT = "family.tracking"
OBJECT_TYPE = "family.familyaccess"


def secret_index(secret: str) -> str:
    """The keyed hash of a family secret, folded like the reporter's (capitals,
    spaces and dashes do not count)."""
    folded = re.sub(r"[^0-9A-Z]", "", (secret or "").upper())
    return crypto.blind_index(folded, context=INDEX_CONTEXT)


def case_accesses(case: Case) -> QuerySet[FamilyAccess]:
    return FamilyAccess.objects.filter(case=case).select_related("contact", "issued_by")


def get_access_for(user: User, pk, *, for_write: bool = False) -> FamilyAccess:
    """The access `pk` of a case `user` may see (and handle, with for_write); else 404
    with a denied row."""
    try:
        access = FamilyAccess.objects.select_related("contact").get(pk=pk)
    except (FamilyAccess.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, OBJECT_TYPE, pk, "get_family_access_for")
    # The case's own gate: 404 with its denied row when the case is out of reach.
    access.case = get_case_for(user, access.case_id, for_write=for_write)
    return access


def own_person(user: User) -> Person | None:
    """A worker's own registry record (None without one, or for another role)."""
    if not getattr(user, "is_authenticated", False) or user.role != roles.WORKER:
        return None
    return Person.objects.filter(user=user, merged_into__isnull=True).first()


def is_restricted(person: Person | None) -> bool:
    if person is None:
        return False
    return FamilyPreference.objects.filter(person=person, restricted=True).exists()


def own_accesses(person: Person) -> QuerySet[FamilyAccess]:
    """The live accesses to the cases about `person` (what the worker is shown)."""
    return (
        FamilyAccess.objects.filter(case__person=person, revoked_at__isnull=True)
        .select_related("contact", "case")
        .order_by("-issued_at", "-id")
    )


class FamilyDoor:
    """The family's secret on the public tracking page (garda.cases.access
    TRACKING_DOORS). One keyed hash whatever the number and the secret, its check a
    subquery of the case's own look-up (no query of its own); a revoked access,
    another case's number, and a worker who restricted following (outside a death
    case) open nothing, as a wrong secret."""

    reason = "family"
    key = "family_access_id"

    def lookup(self, secret: str):
        wanted = secret_index(secret or "-")
        death = CaseKind.objects.filter(case=OuterRef("case_id"), kind=Kind.DEATH)
        # The case's person decides (a case re-linked to another person is not opened
        # by the first person's family).
        restricted = FamilyPreference.objects.filter(
            person=OuterRef("case__person_id"), restricted=True
        )
        live = (
            FamilyAccess.objects.filter(
                case=OuterRef("pk"),
                contact__person_id=OuterRef("person_id"),
                secret_index=wanted,
                revoked_at__isnull=True,
            )
            .annotate(death=Exists(death), restricted=Exists(restricted))
            .filter(Q(restricted=False) | Q(death=True))
            .values("pk")[:1]
        )
        return Subquery(live)

    def opens(self, case: Case | None, secret: str) -> bool:
        pk = getattr(case, self.key, None) if case is not None else None
        if not secret or pk is None:
            return False
        FamilyAccess.objects.filter(pk=pk).update(last_used_at=timezone.now())
        return True

    def part(self, case: Case) -> dict:
        from garda.family.steps import death_steps, is_death

        death = is_death(case)
        return {
            "template": "family/_tracking_part.html",
            "death": death,
            "steps": death_steps(case) if death else [],
        }


DOOR = FamilyDoor()
