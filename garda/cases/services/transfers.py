"""Handing a case to another agency (docs/cases.md, "Transfers").

- `transfer_offer`: a user who may handle the case (its officer, a supervisor of its
  agency, an admin) offers it to another agency, with a reason, optionally naming the
  receiving officer;
- `transfer_request`: an officer or supervisor who may not handle the case (of another
  agency, or an officer of the owner's own one) asks the owner's side to transfer it to their
  agency or to a named one; the owner and the agency's supervisors are told, and
  `transfer_accept` (turning it into an offer) or `transfer_decline` answers it;
- `transfer_accept`: on an offer, a supervisor of the receiving agency (naming one of
  its officers) or an officer of it (the one the offer names, or anyone when it names
  nobody: they take it, as an officer takes a case from the intake queue) accepts:
  the owner and the agency change, open tasks of the old owner go to the new one, a
  StageChange row keeps it in the case's history; the clocks keep running;
- `transfer_decline` (with a reason) and `transfer_cancel` (by whoever started it, or
  the owner's side for an offer).

Every step: audit row, notifications, nothing half-written (one transaction), the
case row locked (and its `version` checked when the caller sends the one it read)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from garda.accounts import roles
from garda.accounts.models import Agency, User
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.cases.access import may_handle, visible_cases
from garda.cases.models import Approval, Case, CaseTask, Repatriation, StageChange, Transfer
from garda.cases.services.common import bump, case_url, error, lock, require_reason, tell

State = Transfer.State


def inbox_url() -> str:
    return reverse("cases:transfers")


def _supervisors(agency_id):
    if agency_id is None:
        return User.objects.none()
    return User.objects.filter(is_active=True, groups__name=roles.SUPERVISOR, agency_id=agency_id)


def _is_officer_of(user: User | None, agency_id) -> bool:
    return (
        user is not None
        and user.is_active
        and user.role == roles.OFFICER
        and agency_id is not None
        and user.agency_id == agency_id
    )


def may_receive(user: User, transfer: Transfer) -> bool:
    """Accept an offer: an admin, a supervisor of the receiving agency, or an officer of
    it when the offer names them or nobody."""
    if not getattr(user, "is_authenticated", False) or transfer.offered_at is None:
        return False
    if user.role == roles.ADMIN:
        return True
    if user.role == roles.SUPERVISOR:
        return user.agency_id is not None and user.agency_id == transfer.to_agency_id
    if user.role == roles.OFFICER:
        return _is_officer_of(user, transfer.to_agency_id) and transfer.to_owner_id in (
            None,
            user.pk,
        )
    return False


def may_refuse(user: User, transfer: Transfer) -> bool:
    """Decline: for a request, the owner's side; for an offer, an admin, a supervisor of
    the receiving agency or the officer the offer names (a decline is the agency's
    answer: an officer the offer does not name does not give it)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if transfer.offered_at is None:
        return may_handle(user, transfer.case)
    if user.role == roles.OFFICER:
        return transfer.to_owner_id == user.pk and _is_officer_of(user, transfer.to_agency_id)
    return may_receive(user, transfer)


def may_answer(user: User, transfer: Transfer) -> bool:
    """Whether `user` may accept (for a request: turn it into an offer). Rights only:
    whether the transfer still waits is the service's check (a 409, not a 403)."""
    if transfer.offered_at is None:
        return getattr(user, "is_authenticated", False) and may_handle(user, transfer.case)
    return may_receive(user, transfer)


def may_cancel(user: User, transfer: Transfer) -> bool:
    """Withdraw: whoever started it, or (an offer) the owner's side."""
    if not getattr(user, "is_authenticated", False):
        return False
    if transfer.requested_by_id == user.pk:
        return True
    return transfer.offered_at is not None and may_handle(user, transfer.case)


def _check_agency(case: Case, agency: Agency | None) -> Agency:
    if agency is None:
        raise error("agency", _("Choose the agency that should take the case."), "required")
    if agency.pk == case.agency_id:
        raise error(
            "agency",
            _("The case is already with this agency: a supervisor gives it to another officer."),
            "same_agency",
        )
    return agency


def _check_owner(agency: Agency, owner: User | None) -> User | None:
    if owner is not None and not _is_officer_of(owner, agency.pk):
        raise error(
            "owner",
            _("Choose an active officer of the receiving agency."),
            "not_an_officer",
        )
    return owner


def _check_case(case: Case) -> None:
    """A case that can be handed over now (called with the case locked)."""
    if not case.is_open:
        raise error("case", _("A closed case is not transferred; reopen it first."), "closed")
    if case.owner_id is None:
        raise error(
            "case",
            _("Nobody holds this case yet: assign it first, then transfer it."),
            "unowned",
        )
    if Approval.objects.filter(case=case, decision=Approval.Decision.PENDING).exists():
        raise error(
            "case",
            _("A closing request waits for a supervisor: decide it before the transfer."),
            "approval_pending",
        )


def _check_no_pending(case: Case) -> None:
    if Transfer.objects.filter(case=case, status=State.REQUESTED).exists():
        raise error(
            "case",
            _("A transfer of this case is already waiting for an answer."),
            "pending",
        )


def _audit(actor, transfer: Transfer, action, fields, reason: str) -> None:
    audit_record(
        actor=actor, action=action, target=transfer, changed_fields=sorted(fields), reason=reason
    )


def _tell_receivers(transfer: Transfer) -> None:
    params = {"reference": transfer.case.reference}
    seen = set()
    named = [transfer.to_owner] if transfer.to_owner_id else []
    for user in [*_supervisors(transfer.to_agency_id), *named]:
        if user.pk not in seen:
            seen.add(user.pk)
            tell(
                user,
                gettext_lazy("Case %(reference)s is offered to your agency"),
                params,
                url=inbox_url(),
            )


def _tell_owner_side(case: Case, title, *, skip=()) -> None:
    seen = set(skip)
    for user in [case.owner, *_supervisors(case.agency_id)]:
        if user is not None and user.pk not in seen:
            seen.add(user.pk)
            tell(user, title, {"reference": case.reference}, url=case_url(case))


def _tell_once(users, title, reference: str, *, actor: User, url: str = "") -> None:
    seen = {actor.pk}
    for user in users:
        if user is not None and user.pk not in seen:
            seen.add(user.pk)
            tell(user, title, {"reference": reference}, url=url)


def _new_transfer(case: Case, version, agency: Agency | None, **fields) -> Transfer:
    """The case locked and checked (inside the caller's transaction), then the pending
    transfer from its current owner and agency to `agency`."""
    case = lock(case, version)
    _check_agency(case, agency)
    _check_case(case)
    _check_no_pending(case)
    return Transfer.objects.create(
        case=case,
        from_agency_id=case.agency_id,
        from_owner_id=case.owner_id,
        to_agency=agency,
        **fields,
    )


# --- the owner's side offers ---------------------------------------------------------


def transfer_offer(
    *,
    actor: User,
    case: Case,
    agency: Agency | None,
    reason: str,
    owner: User | None = None,
    version: int | None = None,
) -> Transfer:
    """Offer `case` to `agency` (optionally naming its officer `owner`). Raises
    ValidationError (no reason, the same agency, an officer of another agency, a closed
    or unheld case, a pending closing request or transfer) or VersionConflict."""
    if not may_handle(actor, case):
        deny(actor, "cases.transfer_offer", target=case)
    reason = require_reason(reason)
    agency = _check_agency(case, agency)
    owner = _check_owner(agency, owner)
    now = timezone.now()
    with transaction.atomic():
        transfer = _new_transfer(
            case,
            version,
            agency,
            kind=Transfer.Kind.OFFER,
            to_owner=owner,
            reason=reason,
            requested_by=actor,
            requested_at=now,
            offered_by=actor,
            offered_at=now,
        )
        _audit(
            actor,
            transfer,
            AuditEvent.Action.CREATE,
            ["to_agency", "to_owner", "reason"],
            "transfer offered",
        )
        _tell_receivers(transfer)
    return transfer


# --- someone else asks for it --------------------------------------------------------


def transfer_request(
    *,
    actor: User,
    case: Case,
    reason: str,
    agency: Agency | None = None,
    version: int | None = None,
) -> Transfer:
    """Ask the owner's side to transfer `case` to `agency` (by default the asker's
    own). Raises ValidationError (the asker holds the case: they offer it instead; no
    reason; the same agency; a closed or unheld case; a pending transfer)."""
    if actor.role not in (roles.OFFICER, roles.SUPERVISOR):
        # An admin may handle every case: they offer it instead.
        deny(actor, "cases.transfer_request", target=case)
    reason = require_reason(reason)
    if may_handle(actor, case):
        raise error(
            "case",
            _("You may handle this case: offer it to the other agency instead."),
            "holder",
        )
    if agency is None and actor.agency_id is not None:
        agency = actor.agency
    with transaction.atomic():
        try:
            transfer = _new_transfer(
                case, version, agency, kind=Transfer.Kind.REQUEST, reason=reason, requested_by=actor
            )
        except ValidationError as exc:
            raise _uniform_refusal(actor, case, exc) from None
        _audit(actor, transfer, AuditEvent.Action.CREATE, ["to_agency", "reason"], "transfer asked")
        _tell_owner_side(transfer.case, gettext_lazy("Case %(reference)s: a transfer is asked for"))
    return transfer


# The refusals that tell something of a case's state: closed, nobody holding it, a
# closing request waiting, a transfer waiting, already with the agency named.
STATE_REFUSALS = frozenset({"closed", "unowned", "approval_pending", "pending", "same_agency"})


def _uniform_refusal(actor: User, case: Case, exc: ValidationError) -> ValidationError:
    """What an asker who cannot open the case learns of a refusal: one answer for
    every state, so a case number typed in is not a window on another agency's case
    (closed or open, held or not, which agency)."""
    codes = {e.code for errors in getattr(exc, "error_dict", {}).values() for e in errors}
    if not codes & STATE_REFUSALS or visible_cases(actor).filter(pk=case.pk).exists():
        return exc
    return error(
        "case",
        _(
            "A transfer of this case cannot be asked for now. If it is urgent, call the "
            "agency that handles it through your supervisor."
        ),
        "not_transferable",
    )


# --- answers -------------------------------------------------------------------------


def _still_pending(transfer: Transfer) -> None:
    if transfer.status != State.REQUESTED:
        raise error("status", _("This transfer was already answered."), "decided")


def _locked(transfer: Transfer) -> Transfer:
    """The transfer row locked for the transaction, still waiting (else "decided")."""
    current = Transfer.objects.select_for_update().get(pk=transfer.pk)
    _still_pending(current)
    current.case = transfer.case
    return current


def transfer_accept(
    *,
    actor: User,
    transfer: Transfer,
    owner: User | None = None,
    version: int | None = None,
) -> Transfer:
    """Answer yes. A request waiting on the owner's side becomes an offer (to the agency
    it names, `owner` optionally naming its officer); an offer moves the case: its
    owner becomes `owner` (a supervisor names an officer of the receiving agency; an
    officer accepting takes it themself). Raises ValidationError (already answered; no
    officer named; the case closed or handed elsewhere meanwhile) or VersionConflict."""
    if not may_answer(actor, transfer):
        deny(actor, "cases.transfer_accept", target=transfer)
    _still_pending(transfer)
    if transfer.offered_at is None:
        return _agree(actor, transfer, owner, version)
    if actor.role == roles.OFFICER:
        if owner is not None and owner.pk != actor.pk:
            raise error("owner", _("An officer accepts a case for themself."), "not_self")
        owner = actor
    owner = owner or transfer.to_owner
    if owner is None:
        raise error(
            "owner", _("Choose the officer of your agency who will hold the case."), "required"
        )
    _check_owner(transfer.to_agency, owner)
    with transaction.atomic():
        transfer = _locked(transfer)
        case = lock(transfer.case, version)
        _check_case(case)
        if case.agency_id != transfer.from_agency_id:
            raise error(
                "case",
                _("The case changed hands since the offer: ask its owner for a new one."),
                "moved",
            )
        return _move(actor, transfer, case, owner)


def _agree(actor: User, transfer: Transfer, owner: User | None, version) -> Transfer:
    owner = _check_owner(transfer.to_agency, owner)
    with transaction.atomic():
        transfer = _locked(transfer)
        case = lock(transfer.case, version)
        _check_case(case)
        transfer.offered_by = actor
        transfer.offered_at = timezone.now()
        transfer.to_owner = owner
        transfer.from_agency_id = case.agency_id
        transfer.from_owner_id = case.owner_id
        transfer.save(
            update_fields=["offered_by", "offered_at", "to_owner", "from_agency", "from_owner"]
        )
        _audit(
            actor, transfer, AuditEvent.Action.UPDATE, ["offered_at", "to_owner"], "request agreed"
        )
        _tell_once(
            [transfer.requested_by],
            gettext_lazy("Case %(reference)s: your transfer request was agreed"),
            case.reference,
            actor=actor,
            url=inbox_url(),
        )
        _tell_receivers(transfer)
    return transfer


def _move(actor: User, transfer: Transfer, case: Case, owner: User) -> Transfer:
    now = timezone.now()
    previous = case.owner
    from_agency = case.agency
    case_from = case.agency_id
    bump(case, owner=owner, agency_id=transfer.to_agency_id)
    # The case's repatriations under way go with it: the receiving agency's reception
    # team runs them now, the old agency keeps no window on them.
    Repatriation.objects.filter(
        case=case, status__in=(Repatriation.Status.OPEN, Repatriation.Status.ARRIVED)
    ).update(agency_id=transfer.to_agency_id)
    transfer.status = State.ACCEPTED
    transfer.decided_by = actor
    transfer.decided_at = now
    transfer.to_owner = owner
    transfer.from_owner = previous
    transfer.save(update_fields=["status", "decided_by", "decided_at", "to_owner", "from_owner"])
    # The old owner's open tasks follow the case; done ones keep who did them.
    moved = CaseTask.objects.filter(case=case, done_at__isnull=True, assignee=previous).update(
        assignee=owner
    )
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Transferred from %(from)s to %(to)s: %(reason)s") % {
            "from": from_agency.short_name if from_agency else "—",
            "to": transfer.to_agency.short_name,
            "reason": transfer.reason,
        }
    StageChange.objects.create(
        case=case,
        from_stage=case.stage,
        to_stage=case.stage,
        reason=text[:500],
        actor=actor,
        at=now,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=case,
        changed_fields=["agency", "owner"],
        reason=f"transfer #{transfer.pk}",
    )
    _audit(
        actor,
        transfer,
        AuditEvent.Action.UPDATE,
        ["status", "to_owner"],
        f"transfer accepted ({moved} open tasks moved)",
    )
    params = {"reference": case.reference}
    tell(owner, gettext_lazy("Case %(reference)s is now yours"), params, url=case_url(case))
    _tell_once(
        [
            previous,
            transfer.requested_by,
            transfer.offered_by,
            *_supervisors(case_from),
        ],
        gettext_lazy("Case %(reference)s was transferred to another agency"),
        case.reference,
        actor=owner,
        url=reverse("cases:trail", args=[case.pk]),
    )
    return transfer


def transfer_decline(*, actor: User, transfer: Transfer, reason: str) -> Transfer:
    """Answer no, with a reason: nothing else changes."""
    if not may_refuse(actor, transfer):
        deny(actor, "cases.transfer_decline", target=transfer)
    _still_pending(transfer)
    reason = require_reason(reason)
    with transaction.atomic():
        transfer = _locked(transfer)
        transfer.status = State.DECLINED
        transfer.decided_by = actor
        transfer.decided_at = timezone.now()
        transfer.decline_reason = reason
        transfer.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
        _audit(
            actor,
            transfer,
            AuditEvent.Action.UPDATE,
            ["status", "decline_reason"],
            "transfer declined",
        )
        _tell_once(
            [transfer.requested_by, transfer.offered_by],
            gettext_lazy("Case %(reference)s: the transfer was declined"),
            transfer.case.reference,
            actor=actor,
            url=inbox_url(),
        )
    return transfer


def transfer_cancel(*, actor: User, transfer: Transfer) -> Transfer:
    """Withdraw a transfer still waiting: nothing else changes."""
    if not may_cancel(actor, transfer):
        deny(actor, "cases.transfer_cancel", target=transfer)
    with transaction.atomic():
        transfer = _locked(transfer)
        transfer.status = State.CANCELLED
        transfer.decided_by = actor
        transfer.decided_at = timezone.now()
        transfer.save(update_fields=["status", "decided_by", "decided_at"])
        _audit(actor, transfer, AuditEvent.Action.UPDATE, ["status"], "transfer withdrawn")
        waiting = (
            [*_supervisors(transfer.to_agency_id), transfer.to_owner]
            if transfer.offered_at
            else [transfer.case.owner]
        )
        _tell_once(
            [transfer.requested_by, *waiting],
            gettext_lazy("Case %(reference)s: the transfer was withdrawn"),
            transfer.case.reference,
            actor=actor,
            url=inbox_url(),
        )
    return transfer
