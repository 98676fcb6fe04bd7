"""Who may see and handle which cases (docs/cases.md, "Who sees what").

A case holds what happened to a person abroad (abuse, trafficking, illness): it is
shown on need to know, every read of one is audited, and missing and forbidden look
the same (404 with a `denied` row).

- admins: every case;
- supervisors: the cases of their agency, the intake queue (cases nobody holds
  yet) and reports closed before any agency held them; they assign, change
  severity and approve closing;
- officers: the cases they hold, the intake queue (to triage and take), and the cases
  they typed in themselves (a hotline call), read-only once someone else holds them;
- workers: the cases about them (their person record) and the ones they reported,
  through `own_cases` and a worker's view (no internal notes, no screening answers);
- trainers and partners: none (partners come with referrals).
- the public: nothing but the tracking page: number + secret, state and shared
  messages (`case_by_tracking`).
"""

import hmac
import re
import secrets

from django.db.models import Q, QuerySet

from garda import crypto
from garda.accounts import roles
from garda.accounts.models import User
from garda.audit.gate import deny_not_found
from garda.cases.models import Case, Status

CASE_ROLES = frozenset({roles.ADMIN, roles.SUPERVISOR, roles.OFFICER})
MANAGING_ROLES = frozenset({roles.ADMIN, roles.SUPERVISOR})
TRACKING_CONTEXT = "cases.tracking"
OBJECT_TYPE = "cases.case"


# Tracking codes are read aloud on the phone and copied by hand: no 0/O, 1/I/L, and
# the letters' case and the dashes do not count (`tracking_index` folds them).
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_tracking_secret() -> str:
    """16 characters (about 79 bits) in four groups: "7K3M-QX9P-2HTA-V6RW"."""
    chars = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(16))
    return "-".join(chars[i : i + 4] for i in range(0, 16, 4))


def tracking_index(secret: str) -> str:
    folded = re.sub(r"[^0-9A-Z]", "", (secret or "").upper())
    return crypto.blind_index(folded, context=TRACKING_CONTEXT)


def visible_cases(user: User) -> QuerySet[Case]:
    """The cases `user` may open as staff (workers: `own_cases`)."""
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    qs = Case.objects.all()
    if user.role == roles.ADMIN:
        return qs
    queue = Q(owner__isnull=True, status=Status.OPEN)
    if user.role == roles.SUPERVISOR:
        # Reports no agency ever held (closed from the queue by a supervisor) stay
        # in every supervisor's sight.
        nobodys = queue | Q(agency__isnull=True)
        if user.agency_id is None:
            return qs.filter(nobodys)
        return qs.filter(nobodys | Q(agency_id=user.agency_id))
    if user.role == roles.OFFICER:
        return qs.filter(queue | Q(owner=user) | Q(created_by=user))
    return qs.none()


def own_cases(user: User) -> QuerySet[Case]:
    """A worker's cases: about them, or reported by them (for a family member)."""
    if not getattr(user, "is_authenticated", False) or user.role != roles.WORKER:
        return Case.objects.none()
    return Case.objects.filter(Q(person__user=user) | Q(reporter_user=user)).exclude(
        status=Status.DUPLICATE
    )


def may_handle(user: User, case: Case) -> bool:
    """Whether `user` may write on `case` (notes, tasks, services, moves)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role == roles.ADMIN:
        return True
    if user.role == roles.SUPERVISOR:
        return case.owner_id is None or (
            user.agency_id is not None and case.agency_id == user.agency_id
        )
    if user.role == roles.OFFICER:
        return case.owner_id == user.pk or (case.owner_id is None and case.is_open)
    return False


def may_manage(user: User, case: Case) -> bool:
    """Assign to another officer, change severity, approve closing."""
    return (
        getattr(user, "is_authenticated", False)
        and user.role in MANAGING_ROLES
        and may_handle(user, case)
    )


def get_case_for(user: User, pk, *, for_write: bool = False) -> Case:
    """The case `pk` as staff may see it (and handle it, with for_write); else 404."""
    try:
        case = visible_cases(user).select_related("owner", "agency", "country", "person").get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, OBJECT_TYPE, pk, "get_case_for")
    if for_write and not may_handle(user, case):
        deny_not_found(user, OBJECT_TYPE, pk, "get_case_for:write")
    return case


def get_case_part_for(user: User, model, pk, *, what: str, for_write: bool = True):
    """A task, service, approval or file (`model`) of a case `user` may see (and
    handle, with for_write), its `case` loaded through `get_case_for`; else 404 with a
    denied row naming `what`. The page and the API read a case's parts through here."""
    try:
        row = model.objects.get(pk=pk, case__in=visible_cases(user))
    except (model.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, f"cases.{model._meta.model_name}", pk, what)
    row.case = get_case_for(user, row.case_id, for_write=for_write)
    return row


def get_own_case_for(user: User, pk) -> Case:
    """A worker's own case `pk`; else 404."""
    try:
        return own_cases(user).select_related("owner", "agency", "country").get(pk=pk)
    except (Case.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, OBJECT_TYPE, pk, "get_own_case_for")


def case_read(user: User | None, case: Case, *, reason: str = "") -> None:
    """The VIEW row of showing `case` (the page and the API write the same row)."""
    from garda.audit.models import AuditEvent
    from garda.audit.services import audit_record

    audit_record(actor=user, action=AuditEvent.Action.VIEW, target=case, reason=reason)


def read_case_for(user: User, pk, *, reason: str = "") -> Case:
    case = get_case_for(user, pk)
    case_read(user, case, reason=reason)
    return case


def read_own_case_for(user: User, pk) -> Case:
    case = get_own_case_for(user, pk)
    case_read(user, case, reason="own")
    return case


def read_cases(user: User) -> QuerySet[Case]:
    """The case list as `user` may see it, the listing audited."""
    from garda.audit.models import AuditEvent
    from garda.audit.services import audit_record

    audit_record(actor=user, action=AuditEvent.Action.VIEW, object_type=OBJECT_TYPE, reason="list")
    return visible_cases(user)


def read_own_cases(user: User) -> QuerySet[Case]:
    """A worker's own cases (`own_cases`), the listing audited."""
    from garda.audit.models import AuditEvent
    from garda.audit.services import audit_record

    audit_record(
        actor=user, action=AuditEvent.Action.VIEW, object_type=OBJECT_TYPE, reason="own list"
    )
    return own_cases(user)


def case_by_tracking(reference: str, secret: str) -> Case | None:
    """The case with this number if `secret` is its tracking secret; None otherwise
    (a wrong secret and a missing number look the same). The comparison takes the
    same time whatever the secret."""
    reference = (reference or "").strip().upper()[:20]
    secret = (secret or "").strip()[:100]
    case = Case.objects.filter(reference=reference).exclude(tracking_index="").first()
    # The HMAC and the comparison run whether or not the number exists.
    wanted = tracking_index(secret or "-")
    stored = case.tracking_index if case is not None else "0" * len(wanted)
    matches = hmac.compare_digest(stored.encode(), wanted.encode())
    if case is None or not secret or not matches:
        return None
    return case


def shared_notes(case: Case):
    """The messages the worker and the reporter read (never internal notes)."""
    return case.notes.filter(shared=True).order_by("created_at", "id")
