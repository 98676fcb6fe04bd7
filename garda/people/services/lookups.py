"""Look-ups of a person by identity number (docs/security.md, issue 19).

Masks show no digit of a NIK, KK or passport number (garda.crypto.mask), so what is
left to rebuild one is trying numbers: the registry search with a NIK, or checking
a number a person reads out against their record. Both are look-ups of a specific
person and are treated as such, on the page and in the API alike:

- only the registry's roles may look up (a worker, trainer or partner gets 403);
- each look-up writes one `lookup` audit row: what was asked (`changed_fields`, the
  field), the query's blind index (the same keyed HMAC as the stored index, so an
  auditor can tell which record was asked about; never the number), the blind index
  of its birth date and serial part (what the district-trying attack keeps fixed),
  and what was found (the person ids, the row's object when one);
- each counts against the user's budget (`GARDA_IDENTITY_LOOKUP_RATE`, shared
  storage: people/throttles.py); over it the look-up is refused (the page says so,
  the API answers 429 with Retry-After), the first refusal in a window audited;
- a pattern of enumeration alerts the supervisors of the user's agency (a
  notification and an `alert` audit row), once per window however many requests
  follow: MISSES_ALERT look-ups finding nothing within ALERT_WINDOW, SAME_TAIL_ALERT
  different numbers with the same birth date and serial (other districts tried), or
  the budget exhausted.
"""

import hmac
from datetime import timedelta

from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from garda import crypto
from garda.accounts import roles
from garda.accounts.access import ensure_role
from garda.accounts.models import User
from garda.accounts.notify import notify
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.people.access import REGISTRY_ROLES, visible_people
from garda.people.models import Person
from garda.people.search import filter_people, identity_query
from garda.people.services.registry import nik_index
from garda.people.throttles import CACHE_ALIAS, IDENTITY_LOOKUP

# The numbers a record can be checked against, as the audit row names them.
CHECKABLE = ("nik", "kk_number", "passport_number")
# The window of the patterns (seconds) and their thresholds.
ALERT_WINDOW = 3600
MISSES_ALERT = 10
SAME_TAIL_ALERT = 3
# At most this many person ids in a row's reason.
_IDS_SHOWN = 10


class IdentityLookupsExceeded(PermissionDenied):
    """The user has used up their budget of identity look-ups for now."""

    def __init__(self, retry_after: int):
        super().__init__(self.message())
        self.retry_after = retry_after

    @staticmethod
    def message() -> str:
        return _(
            "You have looked up too many identity numbers in a short time. Please try "
            "again later, or search by name or reference number; your supervisor has "
            "been told."
        )


def lookup_index(kind: str, number: str) -> str:
    """The query's blind index: the stored NIK index for a NIK (the auditor can match
    it to a record), a keyed index of its own for a KK or passport number."""
    if kind == "nik":
        return nik_index(number)
    return crypto.blind_index(number, context=f"people.lookup.{kind}")


def _tail_index(kind: str, number: str) -> str:
    """A keyed index of a NIK's birth date and serial (digits 7 to 16): the same for
    every district tried with them. "" for other numbers."""
    if kind != "nik" or len(number) != 16:
        return ""
    return crypto.blind_index(number[6:], context="people.lookup.nik_tail")


def _allow(actor: User) -> None:
    """Count one look-up of `actor`: raise IdentityLookupsExceeded over the budget
    (the first refusal in a window audited and alerted)."""
    ensure_role(actor, *REGISTRY_ROLES, what="identity lookup")
    count = IDENTITY_LOOKUP.hit(actor)
    limit, _window = IDENTITY_LOOKUP.rate
    if count <= limit:
        return
    if count == limit + 1:
        with transaction.atomic():
            audit_record(
                actor=actor,
                action=AuditEvent.Action.DENIED,
                object_type="people.person",
                reason="identity look-ups over the budget",
            )
            _alert(actor, "over the budget")
    raise IdentityLookupsExceeded(IDENTITY_LOOKUP.retry_after())


def _record(
    actor: User, *, kind: str, number: str, found: list[int], how: str, about: int | None = None
) -> None:
    """The `lookup` audit row of one look-up (naming the person checked, `about`, or
    else the one person found), then the patterns checked."""
    index, tail = lookup_index(kind, number), _tail_index(kind, number)
    ids = ",".join(str(pk) for pk in found[:_IDS_SHOWN])
    if about is None and len(found) == 1:
        about = found[0]
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditEvent.Action.LOOKUP,
            object_type="people.person",
            object_id=str(about) if about is not None else "",
            changed_fields=[kind],
            reason=f"{how} index={index} tail={tail or '-'} ids={ids or '-'} found={len(found)}",
        )
        _watch(actor, tail=tail)


def _watch(actor: User, *, tail: str) -> None:
    """Alert when `actor`'s look-ups of the last ALERT_WINDOW look like enumeration
    (from their audit rows: shared by every server process)."""
    since = timezone.now() - timedelta(seconds=ALERT_WINDOW)
    recent = AuditEvent.objects.filter(
        actor_id=actor.pk, action=AuditEvent.Action.LOOKUP, created_at__gte=since
    )
    misses = recent.filter(reason__endswith=" found=0").count()
    if misses >= MISSES_ALERT:
        _alert(actor, f"{misses} identity look-ups found nothing")
        return
    if tail:
        asked = {  # the distinct numbers (their "index=..." words) with this tail
            reason.split(" ", 2)[1]
            for reason in recent.filter(reason__contains=f" tail={tail} ").values_list(
                "reason", flat=True
            )[:100]
        }
        if len(asked) >= SAME_TAIL_ALERT:
            _alert(actor, f"{len(asked)} numbers with the same birth date and serial")


def _alert(actor: User, why: str) -> None:
    """Tell the supervisors of `actor`'s agency (else every supervisor), once per
    window: an `alert` audit row and a notification each."""
    slot = int(IDENTITY_LOOKUP.clock() // ALERT_WINDOW)
    if not caches[CACHE_ALIAS].add(
        f"people:identity_alert:{actor.pk}:{slot}", 1, timeout=ALERT_WINDOW + 60
    ):
        return  # already alerted in this window
    audit_record(actor=actor, action=AuditEvent.Action.ALERT, target=actor, reason=why[:200])
    supervisors = User.objects.filter(groups__name=roles.SUPERVISOR, is_active=True).exclude(
        pk=actor.pk
    )
    own = list(supervisors.filter(agency_id=actor.agency_id)) if actor.agency_id else []
    for supervisor in own or list(supervisors):
        notify(
            user=supervisor,
            title=_("Suspicious identity number look-ups by %(account)s")
            % {"account": actor.full_name or actor.email},
            body=_(
                "%(account)s looked up identity numbers in a way that looks like trying "
                "numbers until one matches (for example the same birth date with "
                "different district codes, or many numbers that found nobody). Check "
                "their recent activity in the audit log and talk to them."
            )
            % {"account": actor.email},
            url=f"{reverse('audit:event_list')}?actor={actor.pk}",
        )


def identity_search(actor: User, params: dict) -> QuerySet[Person]:
    """The registry search (search.filter_people) for a `q` that is an identity
    number: refused as _allow says, else audited as a look-up with what it found.
    The page and `GET /people` search through here."""
    number = identity_query(params.get("q"))
    if number is None:
        raise ValueError("not an identity number")
    _allow(actor)
    found = filter_people(visible_people(actor), params)
    _record(
        actor,
        kind="nik",
        number=number,
        found=list(found.values_list("pk", flat=True)[: _IDS_SHOWN + 1]),
        how="search",
    )
    return found


def identity_check(*, actor: User, person: Person, kind: str, number: str) -> bool:
    """Whether `number` is `person`'s NIK, KK or passport number (`kind`), without
    showing any: compared through keyed indexes, counted and audited as a look-up
    (the row names the person; a miss counts toward the alert)."""
    if kind not in CHECKABLE:
        raise ValueError(f"unknown identity number {kind!r}")
    number = "".join(number.split()).upper()
    _allow(actor)
    stored = getattr(person, kind) or ""
    if kind == "nik":
        recorded = person.nik_index
    else:
        recorded = lookup_index(kind, stored.upper()) if stored else ""
    same = bool(recorded) and hmac.compare_digest(recorded, lookup_index(kind, number))
    _record(
        actor,
        kind=kind,
        number=number,
        found=[person.pk] if same else [],
        how="check",
        about=person.pk,
    )
    return same


def duplicate_found(actor: User, existing: Person) -> None:
    """A registration or an edit by the registry refused because its NIK is
    `existing`'s: the answer says the record exists, so it is a look-up too
    (audited, counted; IdentityLookupsExceeded over the budget, and the caller
    then answers that instead of naming the record). A worker is never told
    (registry._nik_unavailable): nothing to count."""
    if actor.role not in REGISTRY_ROLES:
        return
    _allow(actor)
    _record(actor, kind="nik", number=existing.nik, found=[existing.pk], how="register")
