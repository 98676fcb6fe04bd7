"""The periodic work under a controlled clock (`now` passed in, and time_machine for
the code that reads the clock itself): contract-end reminders at 60 and 14 days,
once each; the check-in asked every 30 days; an unanswered check-in tells the
accompanying officer once (“lost contact”); all in bulk."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from garda.abroad import policy
from garda.abroad.models import CheckIn, Reminder, Stay
from garda.abroad.services.checkins import checkin_answer
from garda.abroad.services.reminders import run
from garda.abroad.services.stays import stay_report
from garda.abroad.tests.conftest import stay_data
from garda.accounts.models import Notification
from garda.audit.models import AuditEvent
from garda.people.tests.factories import register

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
START = datetime(2026, 3, 1, 9, 0, tzinfo=JAKARTA)


def at(day: date, hour: int = 1) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 15, tzinfo=JAKARTA)


@pytest.fixture
def stay(wati, wati_person):
    with time_machine.travel(START, tick=False):
        return stay_report(
            actor=wati,
            person=wati_person,
            data=stay_data(contract_start="2025-06-01", contract_end="2026-09-30"),
        )


def _titles(user) -> list[str]:
    return list(
        Notification.objects.filter(user=user).order_by("id").values_list("title", flat=True)
    )


def test_the_policy_says_60_and_14_days():
    pol = policy.current()
    assert pol.contract_reminder_days == (60, 14)
    assert (pol.checkin_every_days, pol.checkin_unanswered_days) == (30, 14)


def test_contract_reminders_fire_once_at_60_and_14_days(stay, wati, alice):
    Notification.objects.all().delete()
    end = stay.contract_end
    assert run(now=at(end - timedelta(days=61)))["contract_reminders"] == 0
    assert run(now=at(end - timedelta(days=60)))["contract_reminders"] == 1
    assert _titles(wati)[-1] == "Kontrak berakhir dalam 60 hari"
    assert any("Kontrak berakhir dalam 60 hari" in t for t in _titles(alice))
    # The next days, and a second run the same day: nothing more.
    for days in (60, 59, 30, 15):
        assert run(now=at(end - timedelta(days=days), hour=13))["contract_reminders"] == 0
    assert run(now=at(end - timedelta(days=14)))["contract_reminders"] == 1
    assert _titles(wati)[-1] == "Kontrak berakhir dalam 14 hari"
    assert run(now=at(end - timedelta(days=3)))["contract_reminders"] == 0
    assert sorted(Reminder.objects.filter(stay=stay).values_list("mark", flat=True)) == ["14", "60"]
    assert (
        AuditEvent.objects.filter(reason="contract reminder", object_id=str(stay.pk)).count() == 2
    )


def test_a_stay_reported_late_gets_only_the_nearest_reminder(wati, wati_person):
    with time_machine.travel(START, tick=False):
        stay = stay_report(
            actor=wati, person=wati_person, data=stay_data(contract_end="2026-03-10")
        )
    Notification.objects.all().delete()
    assert run(now=at(date(2026, 3, 2)))["contract_reminders"] == 1
    assert _titles(wati) == ["Kontrak berakhir dalam 8 hari"]
    assert run(now=at(date(2026, 3, 3)))["contract_reminders"] == 0
    assert Reminder.objects.filter(stay=stay).count() == 2


def test_an_ended_stay_gets_no_reminder(stay, wati):
    Stay.objects.filter(pk=stay.pk).update(ended_at=START)
    assert run(now=at(stay.contract_end - timedelta(days=10))) == {
        "contract_reminders": 0,
        "check_ins_asked": 0,
        "lost_contact": 0,
    }


def test_the_check_in_is_asked_every_30_days_and_lost_contact_told_once(stay, wati, alice):
    Notification.objects.all().delete()
    day = START.date()
    assert run(now=at(day + timedelta(days=29)))["check_ins_asked"] == 0
    assert run(now=at(day + timedelta(days=31)))["check_ins_asked"] == 1
    asked = CheckIn.objects.get(stay=stay)
    worker_note = Notification.objects.get(user=wati)
    assert worker_note.url == "/abroad/me/check-in/"
    assert run(now=at(day + timedelta(days=32)))["check_ins_asked"] == 0
    # Unanswered for 14 days: the officer who accompanies her is told, once.
    assert run(now=at(day + timedelta(days=44)))["lost_contact"] == 0
    assert run(now=at(day + timedelta(days=46)))["lost_contact"] == 1
    assert any("Hilang kontak" in t for t in _titles(alice))
    assert run(now=at(day + timedelta(days=47)))["lost_contact"] == 0
    asked.refresh_from_db()
    assert asked.lost_contact_told_at is not None
    # She answers: the next question comes 30 days after her answer.
    with time_machine.travel(at(day + timedelta(days=50)), tick=False):
        checkin_answer(actor=wati, stay=stay, well="yes", help="no", answers={})
    asked.refresh_from_db()
    assert asked.answered_at is not None
    assert run(now=at(day + timedelta(days=75)))["check_ins_asked"] == 0
    assert run(now=at(day + timedelta(days=81)))["check_ins_asked"] == 1


def test_a_person_without_an_account_is_not_asked(alice, malaysia):
    person = register(serial=21, full_name="Ani Rahayu")
    with time_machine.travel(START, tick=False):
        stay_report(actor=alice, person=person, data=stay_data())
    assert run(now=at(START.date() + timedelta(days=40)))["check_ins_asked"] == 0


def test_the_run_is_bulk(alice, malaysia, django_assert_max_num_queries):
    with time_machine.travel(START, tick=False):
        for n in range(12):
            person = register(serial=40 + n, full_name=f"Pekerja {n}")
            stay_report(actor=alice, person=person, data=stay_data(contract_end="2026-04-20"))
    # 12 stays due for a reminder: the queries do not grow with them.
    with django_assert_max_num_queries(20):
        counts = run(now=at(date(2026, 3, 1) + timedelta(days=1)))
    assert counts["contract_reminders"] == 12
