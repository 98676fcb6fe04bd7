"""Reminders: an appointment the day before (officer and worker), a task when it
becomes due (officer), each once; a rescheduled task is reminded again."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from garda.accompaniment.models import Task
from garda.accompaniment.reminders import task_reminders_send
from garda.accompaniment.services import task_cancel, task_create, task_reschedule
from garda.accompaniment.tasks import task_reminders
from garda.accounts.models import Notification
from garda.audit.models import AuditEvent

JAKARTA = ZoneInfo("Asia/Jakarta")
START = datetime(2026, 12, 1, 9, 0, tzinfo=JAKARTA)
APPOINTMENT_AT = datetime(2026, 12, 10, 10, 0, tzinfo=JAKARTA)


@pytest.fixture
def appointment(alice, accompanied_wati):
    with time_machine.travel(START, tick=False):
        Notification.objects.all().delete()
        task = task_create(
            actor=alice,
            person=accompanied_wati,
            kind="appointment",
            title="Antar ke Kantor Imigrasi",
            place="Kanim Jakarta Selatan",
            due_at=APPOINTMENT_AT,
            note="internal",
        )
        Notification.objects.all().delete()
    return task


@pytest.mark.django_db
def test_appointment_reminded_the_day_before_once(appointment, alice, wati):
    with time_machine.travel(APPOINTMENT_AT - timedelta(hours=25), tick=False):
        assert task_reminders_send() == 0
    with time_machine.travel(APPOINTMENT_AT - timedelta(hours=23), tick=False):
        assert task_reminders_send() == 1
        assert task_reminders_send() == 0
    with time_machine.travel(APPOINTMENT_AT - timedelta(hours=1), tick=False):
        assert task_reminders_send() == 0
    officer_note = Notification.objects.get(user=alice)
    worker_note = Notification.objects.get(user=wati)
    assert appointment.person.reference in officer_note.title
    assert "Kanim Jakarta Selatan" in worker_note.body and "internal" not in worker_note.body
    assert worker_note.url == "/accompaniment/me/"
    appointment.refresh_from_db()
    assert appointment.reminder_sent_at == APPOINTMENT_AT - timedelta(hours=23)
    event = AuditEvent.objects.get(object_type="accompaniment.task", reason="reminder")
    assert event.actor is None and event.changed_fields == ["reminder_sent_at"]


@pytest.mark.django_db
def test_a_task_is_reminded_when_it_becomes_due(alice, siti):
    due = START + timedelta(days=2)
    with time_machine.travel(START, tick=False):
        task = task_create(actor=alice, person=siti, title="Cek berkas SKCK", due_at=due)
    with time_machine.travel(due - timedelta(minutes=1), tick=False):
        assert task_reminders_send() == 0
    with time_machine.travel(due + timedelta(minutes=5), tick=False):
        assert task_reminders_send() == 1
    with time_machine.travel(due + timedelta(hours=5), tick=False):
        assert task_reminders_send() == 0
    note = Notification.objects.get(user=alice)
    assert "Cek berkas SKCK" in note.title
    assert note.url == f"/accompaniment/people/{task.person_id}/"


@pytest.mark.django_db
def test_a_rescheduled_appointment_is_reminded_again(appointment, alice):
    with time_machine.travel(APPOINTMENT_AT - timedelta(hours=20), tick=False):
        assert task_reminders_send() == 1
        task_reschedule(actor=alice, task=appointment, due_at=APPOINTMENT_AT + timedelta(days=7))
    with time_machine.travel(APPOINTMENT_AT + timedelta(days=6, hours=12), tick=False):
        assert task_reminders_send() == 1


@pytest.mark.django_db
def test_closed_tasks_are_not_reminded(appointment, alice):
    with time_machine.travel(START, tick=False):
        task_cancel(actor=alice, task=appointment)
    with time_machine.travel(APPOINTMENT_AT - timedelta(hours=2), tick=False):
        assert task_reminders_send() == 0
    assert not Notification.objects.filter(title__startswith="Reminder").exists()


@pytest.mark.django_db
def test_the_periodic_job_runs_the_reminders(appointment):
    with time_machine.travel(APPOINTMENT_AT - timedelta(hours=3), tick=False):
        assert task_reminders.call_local() == 1
    assert Task.objects.get(pk=appointment.pk).reminder_sent_at is not None
