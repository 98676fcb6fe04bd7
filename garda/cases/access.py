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
- after a transfer (docs/cases.md, "Transfers"): the previous officer and the supervisors
  of the agency it left see only their own part, up to the transfer (`trail_cases`).
- the public: nothing but the tracking page: number + secret, state and shared
  messages (`case_by_tracking`); a veto registered by an app above may close the
  reporter's secret (a family reporter once the worker restricted their family:
  `TRACKING_VETOES`, garda/family).
"""

import hmac
import re
import secrets

from django.db.models import Exists, OuterRef, Q, QuerySet

from garda import crypto
from garda.accounts import roles
from garda.accounts.models import User
from garda.audit.gate import deny_not_found
from garda.cases.models import Case, Status, Transfer

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
        # The cases they typed in, until one is transferred away (then: `trail_cases`).
        typed = Q(created_by=user) & ~Exists(transferred_away(OuterRef("pk")))
        return qs.filter(queue | Q(owner=user) | typed)
    return qs.none()


def own_cases(user: User) -> QuerySet[Case]:
    """A worker's cases: about them, or reported by them (for a family member). A case
    they only reported is left out when a registered veto holds for it
    (TRACKING_VETOES: the worker it is about stopped their family following), as the
    report's tracking secret is: the account is the same reporter's other door."""
    if not getattr(user, "is_authenticated", False) or user.role != roles.WORKER:
        return Case.objects.none()
    cases = Case.objects.filter(Q(person__user=user) | Q(reporter_user=user)).exclude(
        status=Status.DUPLICATE
    )
    for veto in TRACKING_VETOES:
        cases = cases.alias(**{veto.key: veto.lookup()}).exclude(
            Q(**{veto.key: True}) & ~Q(person__user=user)
        )
    return cases


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


# Other doors into the tracking page, registered by apps above this one (the family's
# own secrets: garda/family/apps.py). A door has `reason` (the audit reason of a read
# through it), `key` and `lookup(secret)` (an expression annotated as `key` on the
# look-up of the case by its number: the door's check runs in the same query, whatever
# the number), `opens(case, secret) -> bool` (`case` is the case with that number, or
# None) and `part(case) -> dict | None` (a template and its context shown below the
# messages).
TRACKING_DOORS: list = []


def register_tracking_door(door) -> None:
    if door not in TRACKING_DOORS:
        TRACKING_DOORS.append(door)


# Vetoes on the reporter's own secret, registered by apps above this one (the worker's
# choice that their family not follow their cases, when a family member reported it:
# garda/family/apps.py). A veto has `key`, `lookup()` (a boolean expression annotated as
# `key` on the same look-up of the case by its number: no query of its own) and
# `reason` (the `denied` row's reason). A vetoed secret opens nothing: the answer is
# the one for a wrong secret, and the try leaves a `denied` row on the case.
TRACKING_VETOES: list = []


def register_tracking_veto(veto) -> None:
    if veto not in TRACKING_VETOES:
        TRACKING_VETOES.append(veto)


def _tracking_refused(case: Case, reason: str) -> None:
    from garda.audit.models import AuditEvent
    from garda.audit.services import audit_record

    audit_record(actor=None, action=AuditEvent.Action.DENIED, target=case, reason=reason)


def case_by_tracking(reference: str, secret: str) -> Case | None:
    """The case with this number if `secret` is its tracking secret, or opens it
    through a registered door (`tracking_door` on the case says which, None for the
    reporter's own secret); None otherwise (a wrong secret and a missing number look
    the same). The comparison takes the same time whatever the secret, and every
    door is asked whatever the answer. A registered veto (TRACKING_VETOES) that holds
    for the case closes the reporter's own secret: None, and a `denied` row."""
    reference = (reference or "").strip().upper()[:20]
    secret = (secret or "").strip()[:100]
    doors = {door.key: door.lookup(secret) for door in TRACKING_DOORS}
    vetoes = {veto.key: veto.lookup() for veto in TRACKING_VETOES}
    case = Case.objects.filter(reference=reference).annotate(**doors, **vetoes).first()
    # The HMAC and the comparison run whether or not the number exists.
    wanted = tracking_index(secret or "-")
    stored = case.tracking_index if case is not None and case.tracking_index else "0" * 64
    matches = hmac.compare_digest(stored.encode(), wanted.encode())
    opened_by = [door for door in TRACKING_DOORS if door.opens(case, secret)]
    if case is None or not secret:
        return None
    if matches:
        vetoed = [veto for veto in TRACKING_VETOES if getattr(case, veto.key, False)]
        if vetoed:
            _tracking_refused(case, vetoed[0].reason)
            return None
        case.tracking_door = None
        return case
    if opened_by:
        case.tracking_door = opened_by[0]
        return case
    return None


def shared_notes(case: Case):
    """The messages the worker and the reporter read (never internal notes)."""
    return case.notes.filter(shared=True).order_by("created_at", "id")


# --- transfers: the parties of one, and the old owner's trail ---------------------------

TRANSFER_TYPE = "cases.transfer"


def transferred_away(case_ref) -> QuerySet[Transfer]:
    return Transfer.objects.filter(case=case_ref, status=Transfer.State.ACCEPTED)


def visible_transfers(user: User) -> QuerySet[Transfer]:
    """The transfers `user` is a party to: started them, holds (or supervises) the case
    they are about, or is on the receiving side (a supervisor of the agency; an officer
    when the offer names them or nobody)."""
    if not getattr(user, "is_authenticated", False) or user.role not in CASE_ROLES:
        return Transfer.objects.none()
    qs = Transfer.objects.all()
    if user.role == roles.ADMIN:
        return qs
    mine = Q(requested_by=user) | Q(case__owner=user) | Q(from_owner=user)
    if user.agency_id is None:
        return qs.filter(mine)
    if user.role == roles.SUPERVISOR:
        return qs.filter(
            mine
            | Q(to_agency_id=user.agency_id)
            | Q(from_agency_id=user.agency_id)
            | Q(case__agency_id=user.agency_id)
        )
    return qs.filter(
        mine | Q(to_agency_id=user.agency_id, to_owner__isnull=True) | Q(to_owner=user)
    )


def get_transfer_for(user: User, pk) -> Transfer:
    """A transfer `user` is a party to; else 404 with a denied row."""
    try:
        return (
            visible_transfers(user)
            .select_related("case", "case__owner", "to_agency", "from_agency", "to_owner")
            .get(pk=pk)
        )
    except (Transfer.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, TRANSFER_TYPE, pk, "get_transfer_for")


def _trail_transfers(user: User) -> QuerySet[Transfer]:
    """The accepted transfers that leave `user` a trail: of the cases they held (or
    typed in), and, for a supervisor, of the cases that left their agency."""
    if not getattr(user, "is_authenticated", False):
        return Transfer.objects.none()
    accepted = Transfer.objects.filter(status=Transfer.State.ACCEPTED)
    if user.role == roles.OFFICER:
        return accepted.filter(
            Q(from_owner=user) | Q(case__created_by=user, from_agency_id=user.agency_id)
        )
    if user.role == roles.SUPERVISOR and user.agency_id is not None:
        return accepted.filter(from_agency_id=user.agency_id)
    return Transfer.objects.none()


def small_int(value) -> int | None:
    """`value` as a positive id that fits the database's bigint; None otherwise."""
    try:
        value = int(value)
    except (ValueError, TypeError, OverflowError):
        return None
    return value if 0 < value < 2**63 else None


def trail_cases(user: User) -> QuerySet[Case]:
    """The cases handed over from `user` (or their agency): read-only, their part only."""
    return Case.objects.filter(pk__in=_trail_transfers(user).values("case_id"))


def get_trail_for(user: User, pk) -> tuple[Case, Transfer]:
    """Case `pk` as its trail for `user`, with the transfer that ends it (the latest
    one that left them a trail); else 404 with a denied row."""
    transfer = (
        _trail_transfers(user)
        .filter(case_id=small_int(pk))
        .select_related("case", "to_agency", "from_agency", "to_owner", "from_owner")
        .order_by("-decided_at", "-id")
        .first()
    )
    if transfer is None:
        deny_not_found(user, OBJECT_TYPE, pk, "get_trail_for")
    return transfer.case, transfer


def read_trail_for(user: User, pk) -> tuple[Case, Transfer]:
    case, transfer = get_trail_for(user, pk)
    case_read(user, case, reason="trail")
    return case, transfer


# Repatriation (docs/repatriation.md, "Who sees what"): bringing a person home is a team
# operation of the agency running it (the reception team meets the flight), so the
# officers and supervisors of that agency see its repatriations; a repatriation started
# from a case is also seen by whoever may see the case; admins see all. Workers,
# trainers, partners and recruiters: none.
REPATRIATION_OBJECT = "cases.repatriation"


def visible_repatriations(user: User):
    from garda.cases.models import Repatriation

    if not getattr(user, "is_authenticated", False) or user.role not in CASE_ROLES:
        return Repatriation.objects.none()
    qs = Repatriation.objects.all()
    if user.role == roles.ADMIN:
        return qs
    rule = Q(created_by=user) | Q(case__in=visible_cases(user).values("pk"))
    if user.agency_id is not None:
        rule |= Q(agency_id=user.agency_id)
    return qs.filter(rule)


def may_handle_repatriation(user: User, repatriation) -> bool:
    """Write on a repatriation (its steps, travel, statements): case staff who see it,
    while it is live."""
    return (
        getattr(user, "is_authenticated", False)
        and user.role in CASE_ROLES
        and repatriation.is_live
        and visible_repatriations(user).filter(pk=repatriation.pk).exists()
    )


def get_repatriation_for(user: User, pk):
    """The repatriation `pk` as `user` may see it; else 404 with a denied row."""
    from garda.cases.models import Repatriation

    try:
        return (
            visible_repatriations(user)
            .select_related("case", "person", "evacuation", "country", "home_region", "met_by")
            .get(pk=pk)
        )
    except (Repatriation.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, REPATRIATION_OBJECT, pk, "get_repatriation_for")


def get_repatriation_step_for(user: User, pk):
    from garda.cases.models import RepatriationStep

    try:
        step = RepatriationStep.objects.get(
            pk=pk, repatriation__in=visible_repatriations(user).values("pk")
        )
    except (RepatriationStep.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, "cases.repatriationstep", pk, "get_repatriation_step_for")
    step.repatriation = get_repatriation_for(user, step.repatriation_id)
    return step


def visible_evacuations(user: User):
    from garda.cases.models import Evacuation

    if not getattr(user, "is_authenticated", False) or user.role not in CASE_ROLES:
        return Evacuation.objects.none()
    if user.role == roles.ADMIN:
        return Evacuation.objects.all()
    rule = Q(created_by=user)
    if user.agency_id is not None:
        rule |= Q(agency_id=user.agency_id)
    return Evacuation.objects.filter(rule)


def get_evacuation_for(user: User, pk):
    from garda.cases.models import Evacuation

    try:
        return visible_evacuations(user).select_related("country").get(pk=pk)
    except (Evacuation.DoesNotExist, ValueError, TypeError, OverflowError):
        deny_not_found(user, "cases.evacuation", pk, "get_evacuation_for")
