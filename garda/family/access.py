"""Who sees and handles the family's accesses, and the family's door into the
tracking page (docs/family.md, "Who sees what").

- Staff see a case's family accesses where they may see the case
  (`garda.cases.access.get_case_for`) and issue or end them where they may handle
  it (`may_handle`); anything else is 404 with a `denied` row, as for the case.
- A worker sees who follows the cases about them (`own_accesses`) and sets their
  preference; nobody else's.
- The family member, with no account: the case number and their own secret on the
  public tracking page (`FamilyDoor`, registered in apps.py).
- A family member who reported the case (the report's relationship is family,
  `FAMILY_REPORTERS`) follows it with the report's own secret; once the worker
  restricts following, that secret opens nothing either, outside a death case
  (`FamilyReporterVeto`, registered in apps.py), and the worker's page lists such a
  reporter among who follows (`family_reporters`).
"""

import re

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from garda import crypto
from garda.accounts import roles
from garda.accounts.models import User
from garda.audit.gate import deny_not_found
from garda.cases.access import get_case_for
from garda.cases.models import Case, CaseKind, Kind, Relationship, Status
from garda.family.models import FamilyAccess, FamilyPreference
from garda.people.models import Person

INDEX_CONTEXT = "family.tracking"
OBJECT_TYPE = "family.familyaccess"
# The reporters who are the worker's family (a case's `relationship`): the worker's
# "my family may not follow my cases" reaches them too. A friend, an advocate with a
# power of attorney or an official is not family.
FAMILY_REPORTERS = (
    Relationship.PARENT,
    Relationship.SPOUSE,
    Relationship.CHILD,
    Relationship.SIBLING,
    Relationship.RELATIVE,
)


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


def _restricted_by_person():
    """Whether the case's person (OuterRef) restricted their family following."""
    return Exists(FamilyPreference.objects.filter(person_id=OuterRef("person_id"), restricted=True))


def _death():
    return Exists(CaseKind.objects.filter(case=OuterRef("pk"), kind=Kind.DEATH))


def family_reporters(person: Person) -> QuerySet[Case]:
    """The cases about `person` a family member reported and follows with the report's
    own secret now (not vetoed: see FamilyReporterVeto), what the worker is shown
    beside the family's own codes."""
    return (
        Case.objects.filter(person=person, relationship__in=FAMILY_REPORTERS)
        .exclude(tracking_index="")
        .exclude(status=Status.DUPLICATE)
        .annotate(family_vetoed=FamilyReporterVeto().lookup())
        .filter(family_vetoed=False)
        .order_by("-created_at", "-id")
    )


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


class FamilyReporterVeto:
    """The worker's restriction on the reporter's own secret (garda.cases.access
    TRACKING_VETOES): a case reported by a family member (FAMILY_REPORTERS) about a
    person who restricted following, and not a death (UU 18/2017 art. 7: then the
    family is the party the process serves), is not opened by the report's secret.
    One expression on the case's own look-up: no query of its own."""

    key = "family_reporter_vetoed"
    reason = "tracking: family restricted"

    def lookup(self):
        return ExpressionWrapper(
            Q(relationship__in=FAMILY_REPORTERS) & Q(_restricted_by_person()) & ~Q(_death()),
            output_field=BooleanField(),
        )


VETO = FamilyReporterVeto()
