"""Every write of the accompaniment (docs/style.md): permission first (a denial is audited
outside the transaction, so it survives), then one transaction with the audit rows.

Who accompanies whom is people.Assignment; tasks and appointments are Task; every
contact with the person is Contact. Notifications go to the officers and, for
appointments, to the worker (garda.accounts.notify: in-app now, e-mail after commit).
Notification texts carry the person's reference, never their name or identity numbers
(they may travel by e-mail), and are written in the site's default language.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from garda.accompaniment.access import (
    ASSIGNING_ROLES,
    is_assigned,
    may_accompany,
    may_change_task,
    may_manage_officer,
    open_tasks,
)
from garda.accompaniment.models import Contact, Task
from garda.accounts import roles
from garda.accounts.models import User
from garda.accounts.notify import notify
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record, audit_record_many, audited_create
from garda.people.models import Assignment, Person

# A contact logged "now" from a phone whose clock runs a little ahead is still fine.
CONTACT_CLOCK_SKEW = timedelta(minutes=5)


class TaskVersionConflict(Exception):
    """The task changed since the caller read it (optimistic locking)."""

    def __init__(self, task: Task):
        super().__init__(f"task {task.pk}")
        self.current = task


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _check_officer(officer: User | None, field: str = "officer") -> None:
    """Only an active account with the officer role is ever assigned."""
    if officer is None or not officer.is_active or officer.role != roles.OFFICER:
        raise _error(field, _("Choose an active officer (Pasukan Putih)."), "not_an_officer")


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _when(value: datetime) -> str:
    return date_format(timezone.localtime(value), "j F Y H:i")


def _person_url(person: Person) -> str:
    return reverse("accompaniment:person", args=[person.pk])


def _tell(
    *,
    user: User | None,
    title,
    body="",
    url: str = "",
    params: dict | None = None,
    when: datetime | None = None,
) -> None:
    """Notify in the site's language: the recipient is not the one making the request.
    `title` and `body` are lazy translations, formatted with `params` (and `when` as
    %(when)s, a date in that language) once translated."""
    if user is None:
        return
    params = dict(params or {})
    with translation.override(settings.LANGUAGE_CODE):
        if when is not None:
            params["when"] = _when(when)
        notify(
            user=user,
            title=str(title) % params if params else str(title),
            body=str(body) % params if params and body else str(body),
            url=url,
        )


# --- assignments ----------------------------------------------------------------------


def assignment_add(*, actor: User, person: Person, officer: User) -> Assignment:
    """Make `officer` a pendamping of `person`.

    Supervisors assign the officers of their own agency, admins any officer. An
    officer may take a person nobody accompanies yet (a self-registered worker, a
    walk-in registered by someone else); a person who already has an officer is
    assigned by a supervisor, since being assigned also lets an officer see the
    person's documents and unmasked identity numbers.
    """
    self_take = actor.role == roles.OFFICER and officer is not None and officer.pk == actor.pk
    if actor.role in ASSIGNING_ROLES:
        _check_officer(officer)
        if not may_manage_officer(actor, officer):
            deny(actor, "accompaniment.assignment_add")
    elif not self_take:
        deny(actor, "accompaniment.assignment_add")
    _check_officer(officer)
    with transaction.atomic():
        # Serialise concurrent takes of the same person (PostgreSQL; SQLite's
        # IMMEDIATE transactions already hold the write lock).
        Person.objects.select_for_update().filter(pk=person.pk).values_list("pk").first()
        if is_assigned(officer, person):
            raise _error(
                "officer", _("This officer already accompanies this person."), "already_assigned"
            )
        if self_take and person.assignments.exists():
            raise ValidationError(
                _(
                    "This person already has an accompanying officer: ask your supervisor "
                    "to assign you as well."
                ),
                code="already_accompanied",
            )
        assignment = Assignment(person=person, officer=officer, assigned_by=actor)
        assignment.full_clean(validate_unique=False)
        assignment.save()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            target=assignment,
            changed_fields=["person", "officer"],
        )
        if not self_take:
            _tell(
                user=officer,
                # Subjects in words; the reference goes in the body (issue 20).
                title=gettext_lazy("You have a new person to accompany"),
                body=gettext_lazy("%(reference)s is now on your worklist."),
                params={"reference": person.reference},
                url=_person_url(person),
            )
        _tell(
            user=person.user,
            title=gettext_lazy("An officer now accompanies you"),
            body=gettext_lazy("%(officer)s will help you prepare your documents."),
            params={"officer": officer.full_name or officer.email},
            url=reverse("accompaniment:mine"),
        )
    return assignment


def assignment_remove(*, actor: User, assignment: Assignment) -> None:
    """End an officer's accompaniment of a person (supervisors and admins).

    The officer's open tasks for the person move to the officer assigned longest
    among those who remain; when nobody remains, the removal is refused until the
    tasks are done or cancelled (or the person is reassigned), so no task is left
    with an officer who can no longer see the person.
    """
    officer = assignment.officer
    if actor.role not in ASSIGNING_ROLES or not may_manage_officer(actor, officer):
        deny(actor, "accompaniment.assignment_remove")
    person = assignment.person
    with transaction.atomic():
        tasks = list(open_tasks(person.accompaniment_tasks.filter(officer=officer)))
        heir = (
            person.assignments.exclude(pk=assignment.pk)
            .select_related("officer")
            .order_by("assigned_at", "id")
            .first()
        )
        if tasks and heir is None:
            raise ValidationError(
                _(
                    "This officer still has open tasks for this person and nobody else "
                    "accompanies them: complete or cancel the tasks first, or reassign the "
                    "person to another officer."
                ),
                code="open_tasks",
            )
        if tasks:
            _move_tasks(actor=actor, tasks=tasks, to_officer=heir.officer)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.DELETE,
            target=assignment,
            changed_fields=["person", "officer"],
        )
        assignment.delete()
        _tell(
            user=officer,
            title=gettext_lazy("A person was moved off your worklist"),
            body=gettext_lazy("You no longer accompany %(reference)s."),
            params={"reference": person.reference},
        )
        if tasks:
            _tell(
                user=heir.officer,
                title=gettext_lazy("Tasks were moved to you"),
                body=gettext_lazy("Tasks moved to you for %(reference)s"),
                params={"reference": person.reference},
                url=_person_url(person),
            )


def _move_tasks(*, actor: User, tasks: list[Task], to_officer: User) -> None:
    if not tasks:
        return
    audit_record_many(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        targets=[(task, ["officer"]) for task in tasks],
        reason="reassign",
    )
    Task.objects.filter(pk__in=[t.pk for t in tasks]).update(
        officer=to_officer, version=F("version") + 1
    )


def assignments_reassign(
    *,
    actor: User,
    from_officer: User,
    to_officer: User,
    person_ids: Iterable[int] | None = None,
) -> int:
    """Move the persons of `from_officer` (all, or those in `person_ids`) to
    `to_officer`, with their open tasks; returns how many persons moved.

    Supervisors move persons between officers of their own agency, admins between
    any officers. A person `to_officer` already accompanies just loses the old
    assignment. One audit row per assignment and per task moved (bulk).
    """
    if actor.role not in ASSIGNING_ROLES:
        deny(actor, "accompaniment.assignments_reassign")
    _check_officer(to_officer, "to_officer")
    if from_officer.pk == to_officer.pk:
        raise _error(
            "to_officer", _("Choose another officer than the current one."), "same_officer"
        )
    if not (may_manage_officer(actor, from_officer) and may_manage_officer(actor, to_officer)):
        deny(actor, "accompaniment.assignments_reassign")
    with transaction.atomic():
        qs = Assignment.objects.filter(officer=from_officer).select_for_update()
        if person_ids is not None:
            wanted = {int(pk) for pk in person_ids}
            if not wanted:
                raise _error("person_ids", _("Select at least one person."), "required")
            qs = qs.filter(person_id__in=wanted)
        rows = list(qs.order_by("id"))
        if person_ids is not None and len(rows) != len(wanted):
            raise _error(
                "person_ids",
                _("Some of the selected persons are not accompanied by this officer."),
                "not_assigned",
            )
        if not rows:
            return 0
        persons = [row.person_id for row in rows]
        already = set(
            Assignment.objects.filter(officer=to_officer, person_id__in=persons).values_list(
                "person_id", flat=True
            )
        )
        move = [row for row in rows if row.person_id not in already]
        drop = [row for row in rows if row.person_id in already]
        audit_record_many(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            targets=[(row, ["officer", "assigned_by", "assigned_at"]) for row in move],
            reason="reassign",
        )
        audit_record_many(
            actor=actor,
            action=AuditEvent.Action.DELETE,
            targets=[(row, ["officer"]) for row in drop],
            reason="reassign: already accompanied by the new officer",
        )
        Assignment.objects.filter(pk__in=[row.pk for row in move]).update(
            officer=to_officer, assigned_by=actor, assigned_at=timezone.now()
        )
        Assignment.objects.filter(pk__in=[row.pk for row in drop]).delete()
        tasks = list(open_tasks().filter(officer=from_officer, person_id__in=persons))
        _move_tasks(actor=actor, tasks=tasks, to_officer=to_officer)
        count = len(rows)
        _tell(
            user=to_officer,
            title=gettext_lazy("People were moved to your worklist"),
            body=gettext_lazy("Persons moved to you: %(count)d"),
            params={"count": count},
            url=reverse("accompaniment:worklist"),
        )
        _tell(
            user=from_officer,
            title=gettext_lazy("People were moved from your worklist to %(officer)s"),
            body=gettext_lazy("Persons moved from you to %(officer)s: %(count)d"),
            params={"count": count, "officer": to_officer.full_name or to_officer.email},
            url=reverse("accompaniment:worklist"),
        )
    return count


# --- tasks and appointments -----------------------------------------------------------


def _check_due(due_at: datetime | None, now: datetime) -> datetime:
    if due_at is None:
        raise _error("due_at", _("Give the date and time."), "required")
    due_at = _aware(due_at)
    if due_at <= now:
        raise _error(
            "due_at",
            _("This time is already past: choose a date and time from now on."),
            "past",
        )
    return due_at


def _check_place(kind: str, place: str) -> None:
    if kind == Task.Kind.APPOINTMENT and not place.strip():
        raise _error("place", _("An appointment needs a place (where to meet)."), "required")


def task_create(
    *,
    actor: User,
    person: Person,
    officer: User | None = None,
    kind: str = Task.Kind.TASK,
    title: str,
    due_at: datetime,
    place: str = "",
    note: str = "",
) -> Task:
    """Plan a task or an appointment for one of the person's officers (by default
    the acting officer). The officer must accompany the person; a supervisor plans
    only for the officers of their agency. Due times in the past are refused."""
    if not may_accompany(actor, person):
        deny(actor, "accompaniment.task_create")
    if officer is None:
        if actor.role != roles.OFFICER:
            raise _error("officer", _("Choose the officer who will do it."), "required")
        officer = actor
    _check_officer(officer)
    if actor.role == roles.SUPERVISOR and not may_manage_officer(actor, officer):
        deny(actor, "accompaniment.task_create")
    now = timezone.now()
    due_at = _check_due(due_at, now)
    _check_place(kind, place)
    if not is_assigned(officer, person):
        raise _error("officer", _("This officer does not accompany this person."), "not_assigned")
    with transaction.atomic():
        task = Task(
            person=person,
            officer=officer,
            kind=kind,
            title=title.strip(),
            due_at=due_at,
            place=place.strip(),
            note=note.strip(),
            created_by=actor,
            created_at=now,
        )
        audited_create(
            actor=actor,
            obj=task,
            changed_fields=["kind", "title", "due_at", "officer"]
            + [name for name in ("place", "note") if getattr(task, name)],
        )
        if officer.pk != actor.pk:
            _tell(
                user=officer,
                title=gettext_lazy("New task for %(reference)s: %(title)s"),
                body=gettext_lazy("Due %(when)s."),
                params={"reference": person.reference, "title": task.title},
                url=_person_url(person),
                when=task.due_at,
            )
        if task.kind == Task.Kind.APPOINTMENT:
            _tell_worker(task, gettext_lazy("New appointment: %(title)s"))
    return task


def _tell_worker(task: Task, title: str) -> None:
    """The worker's side of an appointment: what, when, where, with whom (no notes)."""
    person = task.person
    if person.user_id is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        body = _("%(when)s at %(place)s, with %(officer)s.") % {
            "when": _when(task.due_at),
            "place": task.place,
            "officer": task.officer.full_name or task.officer.email,
        }
        notify(
            user=person.user,
            title=str(title) % {"title": task.title},
            body=body,
            url=reverse("accompaniment:mine"),
        )


def _close(*, actor: User, task: Task, what: str, then=None, **values) -> Task:
    if not may_change_task(actor, task):
        deny(actor, f"accompaniment.{what}")
    with transaction.atomic():
        updated = Task.objects.filter(
            pk=task.pk, done_at__isnull=True, cancelled_at__isnull=True
        ).update(version=F("version") + 1, **values)
        if not updated:
            raise ValidationError(_("This task is already done or cancelled."), code="closed")
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=task,
            changed_fields=sorted(values),
        )
        task.refresh_from_db()
        if then is not None:
            then(task)
    return task


def task_complete(*, actor: User, task: Task) -> Task:
    """Mark a task or appointment done (once: a closed task stays closed)."""
    return _close(
        actor=actor, task=task, what="task_complete", done_at=timezone.now(), done_by=actor
    )


def task_cancel(*, actor: User, task: Task) -> Task:
    """Cancel a task or appointment; the worker hears of a cancelled upcoming appointment."""

    def tell(task: Task) -> None:
        if task.kind == Task.Kind.APPOINTMENT and task.due_at > timezone.now():
            _tell_worker(task, gettext_lazy("Appointment cancelled: %(title)s"))

    return _close(
        actor=actor, task=task, what="task_cancel", then=tell, cancelled_at=timezone.now()
    )


def task_reschedule(
    *,
    actor: User,
    task: Task,
    due_at: datetime,
    place: str | None = None,
    version: int | None = None,
) -> Task:
    """Move an open task to a new time (and place). With `version`, a task changed
    meanwhile raises TaskVersionConflict. The reminder is sent again for the new time."""
    if not may_change_task(actor, task):
        deny(actor, "accompaniment.task_reschedule")
    due_at = _check_due(due_at, timezone.now())
    new_place = task.place if place is None else place.strip()
    _check_place(task.kind, new_place)
    changed = ["due_at", "reminder_sent_at"]
    if new_place != task.place:
        changed.append("place")
    with transaction.atomic():
        qs = Task.objects.filter(pk=task.pk, done_at__isnull=True, cancelled_at__isnull=True)
        if version is not None:
            qs = qs.filter(version=version)
        updated = qs.update(
            due_at=due_at, place=new_place, reminder_sent_at=None, version=F("version") + 1
        )
        if not updated:
            current = Task.objects.get(pk=task.pk)
            if current.done_at or current.cancelled_at:
                raise ValidationError(_("This task is already done or cancelled."), code="closed")
            raise TaskVersionConflict(current)
        audit_record(
            actor=actor, action=AuditEvent.Action.UPDATE, target=task, changed_fields=changed
        )
        task.refresh_from_db()
        if task.kind == Task.Kind.APPOINTMENT:
            _tell_worker(task, gettext_lazy("Appointment moved: %(title)s"))
    return task


# --- contacts -------------------------------------------------------------------------


def contact_log(
    *,
    actor: User,
    person: Person,
    channel: str,
    summary: str,
    happened_at: datetime | None = None,
) -> Contact:
    """Record a contact with the person (visit, call, meeting) on their timeline."""
    if not may_accompany(actor, person):
        deny(actor, "accompaniment.contact_log")
    now = timezone.now()
    happened_at = now if happened_at is None else _aware(happened_at)
    if happened_at > now + CONTACT_CLOCK_SKEW:
        raise _error("happened_at", _("A contact cannot be in the future."), "future")
    with transaction.atomic():
        return audited_create(
            actor=actor,
            obj=Contact(
                person=person,
                officer=actor,
                channel=channel,
                happened_at=happened_at,
                summary=summary.strip(),
                created_at=now,
            ),
            changed_fields=["channel", "happened_at", "summary"],
        )
