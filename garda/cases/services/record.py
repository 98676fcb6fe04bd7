"""What is written on a case besides its workflow: notes (internal, or shared with the
worker and the reporter), messages sent in by the worker or reporter, tasks, planned
services with their due dates, screening rounds, and documents."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from garda.accounts import roles
from garda.accounts.models import User
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record, audited_create
from garda.cases import screening
from garda.cases.access import may_handle, own_cases
from garda.cases.models import (
    SEVERITY_RANK,
    Case,
    CaseDocument,
    CaseTask,
    Note,
    Screening,
    Service,
    SeverityChange,
)
from garda.cases.services.common import (
    bump,
    case_url,
    clock_done,
    clocks_recompute,
    error,
    lock,
    tell,
    tell_worker_side,
)
from garda.cases.services.intake import severity_for, task_force_for

TIMEFRAMES = {
    Service.Timeframe.ONE_HOUR: timedelta(hours=1),
    Service.Timeframe.THREE_HOURS: timedelta(hours=3),
    Service.Timeframe.ONE_DAY: timedelta(days=1),
    Service.Timeframe.THREE_DAYS: timedelta(days=3),
}


def _text(text: str, field: str = "text", limit: int = 5000) -> str:
    text = (text or "").strip()
    if not text:
        raise error(field, _("Write something first."), "required")
    if len(text) > limit:
        raise error(field, _("Keep it under %(n)s characters.") % {"n": limit}, "max_length")
    return text


def _still_open(case: Case, field: str) -> None:
    """The worker side adds information to an open case only: a closed one was ended
    with a reason, and nobody would read what comes in (they report again)."""
    if not case.is_open:
        raise error(
            field, _("This case is closed. If the problem comes back, report it again."), "closed"
        )


def _staff_write(actor: User, case: Case, what: str) -> None:
    if not may_handle(actor, case):
        deny(actor, what, target=case)


def note_add(*, actor: User, case: Case, text: str, shared: bool = False) -> Note:
    """An officer's note; `shared` ones are messages to the worker and the reporter
    (and count as the first response to a new case)."""
    _staff_write(actor, case, "cases.note_add")
    text = _text(text)
    with transaction.atomic():
        note = audited_create(
            actor=actor,
            obj=Note(case=case, author=actor, text=text, shared=shared),
            changed_fields=["text", "shared"],
        )
        if shared:
            clock_done(case, "first_response")
            tell_worker_side(
                case,
                gettext_lazy("Case %(reference)s: a new message"),
                {"reference": case.reference},
            )
    return note


def message_add(*, actor: User, case: Case, text: str) -> Note:
    """The worker (or the family member who reported) adds information to their own
    case; the officer holding it is told."""
    if not own_cases(actor).filter(pk=case.pk).exists():
        deny(actor, "cases.message_add", target=case)
    _still_open(case, "text")
    text = _text(text)
    with transaction.atomic():
        note = audited_create(
            actor=actor,
            obj=Note(case=case, author=actor, text=text, shared=True, from_reporter=True),
            changed_fields=["text"],
        )
        tell(
            case.owner,
            gettext_lazy("Case %(reference)s: new information from the worker or reporter"),
            {"reference": case.reference},
            url=case_url(case),
        )
    return note


def task_add(
    *, actor: User, case: Case, title: str, due_at: datetime, assignee: User | None = None
) -> CaseTask:
    _staff_write(actor, case, "cases.task_add")
    title = _text(title, "title", 200)
    if assignee is not None and assignee.pk != actor.pk:
        # Someone else's task: an active officer of the agency that holds the case
        # (or the actor's, while nobody holds it), never another agency's staff.
        agency_id = case.agency_id or actor.agency_id
        if (
            not assignee.is_active
            or assignee.role != roles.OFFICER
            or agency_id is None
            or assignee.agency_id != agency_id
        ):
            raise error(
                "assignee_id",
                _("Choose an active officer of the agency that holds the case."),
                "not_an_officer",
            )
    with transaction.atomic():
        task = audited_create(
            actor=actor,
            obj=CaseTask(
                case=case, title=title, due_at=due_at, assignee=assignee or actor, created_by=actor
            ),
            changed_fields=["title", "due_at", "assignee"],
        )
    return task


def task_done(*, actor: User, task: CaseTask) -> CaseTask:
    _staff_write(actor, task.case, "cases.task_done")
    if task.done_at is None:
        with transaction.atomic():
            task.done_at = timezone.now()
            task.save(update_fields=["done_at"])
            audit_record(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                target=task,
                changed_fields=["done_at"],
            )
    return task


def service_due(timeframe: str, *, on: date | None, start: datetime) -> datetime:
    if timeframe == Service.Timeframe.DATE:
        if on is None:
            raise error("due_on", _("Give the date the service is due."), "required")
        if on < timezone.localdate(start):
            raise error("due_on", _("The date has passed."), "past")
        return timezone.make_aware(datetime.combine(on, time(23, 59)))
    if timeframe not in TIMEFRAMES:
        raise error("timeframe", _("Choose when from the list."), "invalid")
    return start + TIMEFRAMES[timeframe]


def service_plan(
    *,
    actor: User,
    case: Case,
    type: str,
    timeframe: str,
    due_on: date | None = None,
    provider: str = "",
    note: str = "",
) -> Service:
    """Plan a service (legal aid, shelter, medical, mediation, repatriation request...)
    due within 1 hour, 3 hours, 1 day, 3 days or by a date."""
    _staff_write(actor, case, "cases.service_plan")
    if type not in Service.Type.values:
        raise error("type", _("Choose a service from the list."), "invalid")
    now = timezone.now()
    due = service_due(timeframe, on=due_on, start=now)
    with transaction.atomic():
        service = audited_create(
            actor=actor,
            obj=Service(
                case=case,
                type=type,
                timeframe=timeframe,
                due_at=due,
                provider=provider.strip()[:200],
                note=note.strip(),
                created_by=actor,
                created_at=now,
            ),
            changed_fields=["type", "timeframe", "due_at", "provider", "note"],
        )
    return service


def service_done(*, actor: User, service: Service) -> Service:
    _staff_write(actor, service.case, "cases.service_done")
    if service.done_at is None:
        with transaction.atomic():
            service.done_at = timezone.now()
            service.save(update_fields=["done_at"])
            audit_record(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                target=service,
                changed_fields=["done_at"],
            )
    return service


def screening_record(*, actor: User, case: Case, answers: dict) -> Screening:
    """One round of the screening at a contact: the severity rises (never falls) and
    the task-force flag is set as the policy says; a raise is a SeverityChange."""
    _staff_write(actor, case, "cases.screening_record")
    try:
        answers = screening.check(answers)
    except screening.ScreeningError:
        raise error("answers", _("An answer does not match the questions."), "invalid") from None
    if not answers:
        raise error("answers", _("Record at least one answer."), "required")
    result = screening.assess(answers)
    with transaction.atomic():
        case = lock(case, None)
        row = Screening.objects.create(
            case=case,
            answers=answers,
            level=result.level,
            indicators=list(result.indicators),
            asked_by=actor,
        )
        values = {"screening_level": result.level}
        # Only what the answers say raises the case: a round without indicators does
        # not undo a supervisor's change of the severity the kinds gave.
        wanted = severity_for([], result.level)
        if SEVERITY_RANK[wanted] > SEVERITY_RANK[case.severity]:
            SeverityChange.objects.create(
                case=case,
                from_severity=case.severity,
                to_severity=wanted,
                reason="screening",
                actor=actor,
            )
            values["severity"] = wanted
        if task_force_for(result.level) and not case.task_force:
            values["task_force"] = True
        bump(case, **values)
        if "severity" in values:
            clocks_recompute(case)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=case,
            changed_fields=sorted(values) + ["screening"],
            reason=f"screening {result.level}",
        )
    return row


def document_add(
    *, actor: User, case: Case, title: str, data: bytes, content_type: str
) -> CaseDocument:
    """A file on the case (checked and sealed by the caller's upload handling, stored
    encrypted like the documents app's files). Staff files are internal; a file the
    worker or reporter sends is shared."""
    from garda.documents import storage

    from_worker = own_cases(actor).filter(pk=case.pk).exists()
    if not from_worker:
        _staff_write(actor, case, "cases.document_add")
    else:
        _still_open(case, "file")
    title = _text(title, "title", 200)
    name = storage.save(data)
    try:
        with transaction.atomic():
            doc = audited_create(
                actor=actor,
                obj=CaseDocument(
                    case=case,
                    title=title,
                    storage_name=name,
                    content_type=content_type,
                    size=len(data),
                    shared=from_worker,
                    uploaded_by=actor,
                ),
                changed_fields=["title", "file"],
            )
            if from_worker:
                tell(
                    case.owner,
                    gettext_lazy("Case %(reference)s: new information from the worker or reporter"),
                    {"reference": case.reference},
                    url=case_url(case),
                )
    except Exception:
        storage.delete(name)
        raise
    return doc
