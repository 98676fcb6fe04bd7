"""Moving a case through its workflow, on a clock (docs/cases.md, "Workflow").

Every move goes through `case_move` with a reason: one step at a time (a skip raises
workflow.SkippedStage, the API's 409), optimistic locking on the version the caller
read, a StageChange row and an audit row. Closing a critical case or one flagged for
the anti-trafficking task force needs a supervisor: an officer's close becomes a
pending Approval (ApprovalPending) that a supervisor decides."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from garda.accounts import roles
from garda.accounts.models import User
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.cases import workflow
from garda.cases.access import may_handle, may_manage
from garda.cases.models import (
    Approval,
    Case,
    Severity,
    SeverityChange,
    Stage,
    StageChange,
    Status,
)
from garda.cases.services.common import (
    bump,
    case_url,
    clock_done,
    clock_restart,
    clocks_recompute,
    error,
    lock,
    require_reason,
    tell,
    tell_worker_side,
)
from garda.cases.signals import case_closed


class ApprovalPending(Exception):
    """Closing this case needs a supervisor: the request is waiting (`approval`)."""

    def __init__(self, approval: Approval):
        super().__init__(approval.pk)
        self.approval = approval


def UNOWNED_CLOSE_MESSAGE() -> str:  # noqa: N802 (a message, built in the reader's language)
    return _("Nobody holds this report yet: take it first, or ask a supervisor to close it.")


def needs_approval(case: Case) -> bool:
    return case.severity == Severity.CRITICAL or case.task_force


def _record_move(case: Case, actor: User | None, to: str, reason: str, **extra) -> None:
    now = timezone.now()
    from_stage = case.stage
    values = {"stage": to, **extra}
    if to == Stage.CLOSED:
        values.update(status=Status.CLOSED, closed_at=now)
    bump(case, **values)
    StageChange.objects.create(
        case=case, from_stage=from_stage, to_stage=to, reason=reason, actor=actor, at=now
    )
    if from_stage == Stage.NEW:
        clock_done(case, "first_response", now)
    if to == Stage.ASSIGNED:
        clock_done(case, "assignment", now)
    if to == Stage.RESOLVED:
        clock_done(case, "resolution", now)
    if from_stage == Stage.RESOLVED and to == Stage.IN_PROGRESS:
        clock_restart(case, "resolution", now)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=case,
        changed_fields=sorted(values),
        # "new -> triaged": the audit pages show it as a status change.
        reason=f"{from_stage} -> {to}",
    )
    tell_worker_side(
        case,
        gettext_lazy("Case %(reference)s: %(stage)s"),
        {"reference": case.reference, "stage": Stage(to).label},
    )
    if to == Stage.CLOSED:
        # The apps above end what lives on an open case (referrals: docs/referrals.md).
        case_closed.send(sender=Case, case=case, actor=actor, how="closed")


def case_move(
    *,
    actor: User,
    case: Case,
    stage: str,
    reason: str,
    version: int | None = None,
    closing_reason: str = "",
) -> Case:
    """Move `case` one step to `stage`. Raises SkippedStage, VersionConflict,
    ValidationError (no reason; assigning without an officer; a close without a
    closing reason), or ApprovalPending (an officer closing a case that needs a
    supervisor: the request is recorded)."""
    if not may_handle(actor, case):
        deny(actor, "cases.case_move", target=case)
    reason = require_reason(reason)
    if closing_reason and closing_reason not in workflow.CLOSING_REASONS:
        raise error("closing_reason", _("Choose a closing reason from the list."), "invalid")
    with transaction.atomic():
        case = lock(case, version)
        if case.status == Status.DUPLICATE:
            raise workflow.SkippedStage(case.stage, stage)
        if stage == Stage.CLOSED and not closing_reason:
            if case.stage != Stage.RESOLVED:
                raise error(
                    "closing_reason",
                    _("Choose why the case closes before it is resolved."),
                    "required",
                )
            closing_reason = workflow.RESOLVED_REASON
        workflow.check_move(case.stage, stage, closing_reason=closing_reason)
        if stage == Stage.CLOSED and case.owner_id is None and not may_manage(actor, case):
            # A report nobody holds belongs to no agency yet: closed by an officer, it
            # would leave every supervisor's sight. Take it first, or ask a supervisor.
            raise error("stage", UNOWNED_CLOSE_MESSAGE(), "unowned")
        if stage == Stage.ASSIGNED and case.owner_id is None:
            raise error(
                "stage", _("Assign an officer first: the case is assigned then."), "no_owner"
            )
        if stage == Stage.CLOSED and needs_approval(case) and not may_manage(actor, case):
            approval = Approval.objects.filter(
                case=case, decision=Approval.Decision.PENDING
            ).first()
            if approval is None:
                approval = Approval.objects.create(
                    case=case, closing_reason=closing_reason, reason=reason, requested_by=actor
                )
                audit_record(
                    actor=actor,
                    action=AuditEvent.Action.CREATE,
                    target=approval,
                    changed_fields=["closing_reason", "reason"],
                    reason="closing approval requested",
                )
                _tell_supervisors(case, approval)
            pending = ApprovalPending(approval)
        else:
            pending = None
            extra = {"closing_reason": closing_reason} if stage == Stage.CLOSED else {}
            if stage == Stage.CLOSED:
                # A supervisor closing directly settles a request still waiting.
                Approval.objects.filter(case=case, decision=Approval.Decision.PENDING).update(
                    decision=Approval.Decision.APPROVED,
                    decided_by=actor,
                    decided_at=timezone.now(),
                    comment=reason,
                )
            _record_move(case, actor, stage, reason, **extra)
    if pending is not None:
        raise pending
    return case


def _supervisors_of(case: Case):
    qs = User.objects.filter(is_active=True, groups__name=roles.SUPERVISOR)
    if case.agency_id is not None:
        return qs.filter(agency_id=case.agency_id)
    return qs


def _tell_supervisors(case: Case, approval: Approval) -> None:
    for user in _supervisors_of(case):
        tell(
            user,
            gettext_lazy("Case %(reference)s: closing waits for your approval"),
            {"reference": case.reference},
            url=case_url(case),
        )


def approval_decide(
    *, actor: User, approval: Approval, approve: bool, comment: str = ""
) -> Approval:
    """A supervisor approves (the case closes with the requested reason) or refuses
    (the case stays where it is; the comment says why)."""
    case = approval.case
    if not may_manage(actor, case):
        deny(actor, "cases.approval_decide", target=case)
    if not approve:
        comment = require_reason(comment, "comment")
    with transaction.atomic():
        approval = Approval.objects.select_for_update().get(pk=approval.pk)
        if approval.decision != Approval.Decision.PENDING:
            raise error("decision", _("This request was already decided."), "decided")
        approval.decision = Approval.Decision.APPROVED if approve else Approval.Decision.REJECTED
        approval.decided_by = actor
        approval.decided_at = timezone.now()
        approval.comment = comment.strip()
        approval.save(update_fields=["decision", "decided_by", "decided_at", "comment"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=approval,
            changed_fields=["decision", "comment"],
            reason=f"closing {approval.decision}",
        )
        case = lock(case, None)
        if approve:
            try:
                workflow.check_move(
                    case.stage, Stage.CLOSED, closing_reason=approval.closing_reason
                )
            except workflow.SkippedStage:
                raise error(
                    "decision",
                    _(
                        "The case has moved since the request and cannot close from "
                        "here: refuse the request, with a comment."
                    ),
                    "moved",
                ) from None
            _record_move(
                case,
                actor,
                Stage.CLOSED,
                approval.reason,
                closing_reason=approval.closing_reason,
            )
        tell(
            approval.requested_by,
            gettext_lazy("Case %(reference)s: closing approved")
            if approve
            else gettext_lazy("Case %(reference)s: closing not approved"),
            {"reference": case.reference},
            url=case_url(case),
        )
    return approval


def case_assign(
    *, actor: User, case: Case, officer: User, reason: str = "", version: int | None = None
) -> Case:
    """Give the case to `officer` (and their agency). A supervisor assigns the officers
    of their agency, an admin anyone; an officer may take a triaged case nobody holds.
    A triaged case moves to "assigned"; a new one must be triaged first."""
    from garda.accompaniment.access import may_manage_officer

    self_take = (
        actor.role == roles.OFFICER
        and officer is not None
        and officer.pk == actor.pk
        and case.owner_id is None
    )
    if not (self_take or (may_manage(actor, case) and may_manage_officer(actor, officer))):
        deny(actor, "cases.case_assign", target=case)
    if officer is None or not officer.is_active or officer.role != roles.OFFICER:
        raise error("officer", _("Choose an active officer (Pasukan Putih)."), "not_an_officer")
    reason = (reason or "").strip() or _("Officer assigned")
    try:
        return _assign(actor, case, officer, reason, version, self_take)
    except _Taken:
        # Someone took it between the officer's read and this write (the denied row
        # is written outside the rolled-back transaction).
        deny(actor, "cases.case_assign:taken", target=case)


class _Taken(Exception):
    pass


def _assign(actor, case, officer, reason, version, self_take) -> Case:
    with transaction.atomic():
        case = lock(case, version)
        if self_take and case.owner_id is not None and case.owner_id != officer.pk:
            raise _Taken
        if not case.is_open:
            raise error("officer", _("A closed case is not assigned; reopen it first."), "closed")
        if case.stage == Stage.NEW:
            raise error(
                "officer", _("Triage the case first: then it can be assigned."), "not_triaged"
            )
        if case.owner_id == officer.pk:
            return case
        previous = case.owner
        bump(case, owner=officer, agency_id=officer.agency_id)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=case,
            changed_fields=["owner", "agency"],
            reason="assign",
        )
        if case.stage == Stage.TRIAGED:
            _record_move(case, actor, Stage.ASSIGNED, reason)
        tell(
            officer,
            gettext_lazy("Case %(reference)s is now yours"),
            {"reference": case.reference},
            url=case_url(case),
        )
        if previous is not None and previous.pk != officer.pk:
            tell(
                previous,
                gettext_lazy("Case %(reference)s was handed to another officer"),
                {"reference": case.reference},
                url="",
            )
    return case


def case_severity_change(*, actor: User, case: Case, severity: str, reason: str) -> Case:
    """A supervisor changes the severity, with a reason; the running clocks follow."""
    if not may_manage(actor, case):
        deny(actor, "cases.case_severity_change", target=case)
    reason = require_reason(reason)
    if severity not in Severity.values:
        raise error("severity", _("Choose a severity from the list."), "invalid")
    with transaction.atomic():
        case = lock(case, None)
        if case.severity == severity:
            return case
        SeverityChange.objects.create(
            case=case, from_severity=case.severity, to_severity=severity, reason=reason, actor=actor
        )
        bump(case, severity=severity)
        clocks_recompute(case)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=case,
            changed_fields=["severity"],
            reason="severity",
        )
    return case


def case_reopen(*, actor: User, case: Case, reason: str) -> Case:
    """A closed case opens again: in progress with its officer (triaged when nobody
    holds it), the resolution clock restarted."""
    if not may_handle(actor, case):
        deny(actor, "cases.case_reopen", target=case)
    reason = require_reason(reason)
    with transaction.atomic():
        case = lock(case, None)
        if case.status != Status.CLOSED:
            raise workflow.SkippedStage(case.stage, "reopen")
        to = Stage.IN_PROGRESS if case.owner_id else Stage.TRIAGED
        now = timezone.now()
        StageChange.objects.create(
            case=case, from_stage=case.stage, to_stage=to, reason=reason, actor=actor, at=now
        )
        bump(
            case,
            stage=to,
            status=Status.OPEN,
            closed_at=None,
            closing_reason="",
            reopened_count=case.reopened_count + 1,
        )
        clock_restart(case, "resolution", now)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=case,
            changed_fields=["stage", "status"],
            reason=f"reopen -> {to}",
        )
        tell_worker_side(
            case,
            gettext_lazy("Case %(reference)s: %(stage)s"),
            {"reference": case.reference, "stage": Stage(to).label},
        )
    return case


def case_mark_duplicate(*, actor: User, case: Case, of_case: Case, reason: str) -> Case:
    """Record that `case` is the same report as `of_case` (status duplicate; its clocks
    stop counting on the dashboard)."""
    if not may_handle(actor, case) or not may_handle(actor, of_case):
        deny(actor, "cases.case_mark_duplicate", target=case)
    reason = require_reason(reason)
    if case.owner_id is None and not may_manage(actor, case):
        raise error("duplicate_of", UNOWNED_CLOSE_MESSAGE(), "unowned")
    if needs_approval(case) and not may_manage(actor, case):
        # A duplicate never moves again: for a case whose closing needs a supervisor,
        # it would be a close without the approval (issue 19).
        deny(
            actor,
            "cases.case_mark_duplicate:needs supervisor",
            target=case,
            exc=error(
                "duplicate_of",
                _(
                    "This case is critical or flagged for the task force: only a "
                    "supervisor may record it as a duplicate. Ask one."
                ),
                "needs_supervisor",
            ),
        )
    if of_case.pk == case.pk or of_case.status == Status.DUPLICATE:
        raise error("duplicate_of", _("Choose another open case."), "invalid")
    with transaction.atomic():
        case = lock(case, None)
        if case.status == Status.DUPLICATE:
            raise error("duplicate_of", _("This case is already marked as a duplicate."), "done")
        bump(case, status=Status.DUPLICATE, duplicate_of=of_case)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=case,
            changed_fields=["status", "duplicate_of"],
            reason="duplicate",
        )
        case_closed.send(sender=Case, case=case, actor=actor, how="duplicate")
    return case
