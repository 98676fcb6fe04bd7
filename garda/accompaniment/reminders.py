"""Reminders of tasks and appointments (run hourly by tasks.task_reminders).

- an appointment: once, when it is less than APPOINTMENT_NOTICE away (the day
  before), to the officer and to the worker (if they have an account);
- a task: once, when it becomes due, to the officer.
Each task is claimed with a conditional update of reminder_sent_at before anyone is
notified, so two workers running the job at once never remind twice. Rescheduling
clears reminder_sent_at (services.task_reschedule): the new time is reminded again.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from garda.accompaniment.access import open_tasks
from garda.accompaniment.models import Task
from garda.accounts.notify import notify
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record

APPOINTMENT_NOTICE = timedelta(hours=24)


def reminders_due(now: datetime):
    return (
        open_tasks()
        .filter(reminder_sent_at__isnull=True, person__merged_into__isnull=True)
        .filter(
            Q(kind=Task.Kind.TASK, due_at__lte=now)
            | Q(kind=Task.Kind.APPOINTMENT, due_at__gt=now, due_at__lte=now + APPOINTMENT_NOTICE)
        )
        .select_related("person__user", "officer")
        .order_by("due_at", "id")
    )


def _remind(task: Task) -> None:
    when = date_format(timezone.localtime(task.due_at), "DATETIME_FORMAT")
    person = task.person
    staff_url = reverse("accompaniment:person", args=[person.pk])
    if task.kind == Task.Kind.APPOINTMENT:
        notify(
            user=task.officer,
            title=_("Appointment soon for %(reference)s: %(title)s")
            % {"reference": person.reference, "title": task.title},
            body=_("%(when)s at %(place)s.") % {"when": when, "place": task.place},
            url=staff_url,
        )
        notify(
            user=person.user,
            title=_("Reminder: appointment %(title)s") % {"title": task.title},
            body=_("%(when)s at %(place)s, with %(officer)s.")
            % {
                "when": when,
                "place": task.place,
                "officer": task.officer.full_name or task.officer.email,
            },
            url=reverse("accompaniment:mine"),
        )
    else:
        notify(
            user=task.officer,
            title=_("Task due for %(reference)s: %(title)s")
            % {"reference": person.reference, "title": task.title},
            body=_("Due %(when)s.") % {"when": when},
            url=staff_url,
        )


def task_reminders_send(*, now: datetime | None = None) -> int:
    """Send the reminders that are due; returns how many tasks were reminded."""
    now = now or timezone.now()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for task in reminders_due(now):
            with transaction.atomic():
                claimed = Task.objects.filter(pk=task.pk, reminder_sent_at__isnull=True).update(
                    reminder_sent_at=now
                )
                if not claimed:
                    continue
                _remind(task)
                audit_record(
                    actor=None,
                    action=AuditEvent.Action.UPDATE,
                    target=task,
                    changed_fields=["reminder_sent_at"],
                    reason="reminder",
                )
            sent += 1
    return sent
