"""Validity, the expiring list, the verification queue's scope, and the daily
reminders job (with a controlled clock)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from garda.accounts.models import Notification
from garda.documents.models import Document
from garda.documents.queries import (
    add_months,
    expiring,
    pending_for_officer,
    reminder_window_start,
    valid_until,
)
from garda.documents.services import document_verify
from garda.documents.tasks import document_expiry_reminders
from garda.documents.tests.conftest import upload

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")


def at(day: date, hour: int = 6):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, tzinfo=JAKARTA), tick=False
    )


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),
        (date(2026, 3, 31), -18, date(2024, 9, 30)),
    ],
)
def test_add_months_clamps_to_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


def _verified(person, officer, code, **details):
    return document_verify(actor=officer, document=upload(person, officer, code, **details))


def test_expiring_lists_expiry_dates_and_results_past_their_validity(siti, alice):
    with at(date(2026, 1, 10)):
        medical = _verified(siti, alice, "medical", issued_on=date(2026, 1, 5))
        passport = _verified(siti, alice, "passport", expires_on=date(2026, 6, 1))
        far = _verified(siti, alice, "work-visa", expires_on=date(2028, 1, 1))
        _verified(siti, alice, "ktp")  # never expires
        pending = upload(siti, alice, "skck", expires_on=date(2026, 2, 1))
    assert valid_until(medical) == date(2026, 4, 5)
    qs = Document.objects.all()
    assert set(expiring(qs, within_days=30, today=date(2026, 1, 10))) == set()
    assert set(expiring(qs, within_days=183, today=date(2026, 1, 10))) == {medical, passport}
    # Past its 3 months the medical result is listed even with a short window.
    assert set(expiring(qs, within_days=0, today=date(2026, 4, 6))) == {medical}
    assert far not in expiring(qs, within_days=365, today=date(2026, 4, 6))
    assert pending not in expiring(qs, within_days=365, today=date(2026, 4, 6))


def test_the_queue_is_pending_documents_oldest_first_scoped_for_health(
    siti, wati_person, wati, alice, carol, bob, hana, admin_user, teguh
):
    with at(date(2026, 1, 1)):
        old = upload(wati_person, wati, "kk")
    with at(date(2026, 1, 2)):
        health_wati = upload(wati_person, wati, "medical")
    with at(date(2026, 1, 3)):
        health_siti = upload(siti, alice, "colour-vision")
        done = _verified(siti, alice, "ktp")
    assert list(pending_for_officer(alice)) == [old, health_wati, health_siti]  # both assigned
    # Health results and identity scans of persons not hers: not hers to judge (issue 19).
    assert list(pending_for_officer(carol)) == []
    assert list(pending_for_officer(bob)) == [old]
    assert list(pending_for_officer(hana)) == [health_wati, health_siti]  # a health officer
    assert list(pending_for_officer(admin_user)) == [old, health_wati, health_siti]
    assert list(pending_for_officer(teguh)) == []
    assert list(pending_for_officer(wati)) == []
    assert done not in pending_for_officer(admin_user)


def test_reminder_windows_for_a_passport():
    from garda.documents.tests.conftest import doc_type

    passport = Document(type=doc_type("passport"), expires_on=date(2028, 1, 31))
    assert reminder_window_start(passport, date(2026, 7, 30)) is None
    assert reminder_window_start(passport, date(2026, 7, 31)) == date(2026, 7, 31)  # < 18 months
    assert reminder_window_start(passport, date(2028, 1, 1)) == date(2028, 1, 1)  # 30 days
    assert reminder_window_start(passport, date(2028, 2, 1)) == date(2028, 2, 1)  # expired


def test_reminders_once_per_window_to_the_worker_and_the_officers(
    wati, wati_person, alice, django_capture_on_commit_callbacks
):
    with at(date(2026, 1, 5)):
        passport = _verified(wati_person, alice, "passport", expires_on=date(2027, 3, 1))
        _verified(wati_person, alice, "ktp")
        medical = _verified(wati_person, alice, "medical", issued_on=date(2026, 1, 5))
        Notification.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=True):
            # The passport has under 18 months left: a placement needs more.
            assert document_expiry_reminders.call_local() == 1
            assert document_expiry_reminders.call_local() == 0  # same window: once
    worker_note = Notification.objects.get(user=wati)
    assert "18" in worker_note.body and worker_note.url == "/documents/me/"
    officer_note = Notification.objects.get(user=alice)
    assert wati_person.reference in officer_note.title
    assert officer_note.url == f"/documents/person/{wati_person.pk}/"
    assert [m.to for m in mail.outbox] == [["wati@example.org"]]
    passport.refresh_from_db()
    assert passport.reminded_at is not None

    # The medical result is valid until 5 April: reminded 30 days before, with nothing
    # new for the passport.
    with at(date(2026, 3, 10)):
        Notification.objects.all().delete()
        assert document_expiry_reminders.call_local() == 1
        assert medical.type.name in Notification.objects.get(user=wati).title
    with at(date(2026, 3, 11)):
        assert document_expiry_reminders.call_local() == 0
    # Once expired, one more reminder for the medical result.
    with at(date(2026, 4, 6)):
        Notification.objects.all().delete()
        assert document_expiry_reminders.call_local() == 1
        assert "no longer valid" in Notification.objects.get(user=wati).body or (
            "tidak berlaku" in Notification.objects.get(user=wati).body
        )
    # The passport's 30-day window.
    with at(date(2027, 2, 1)):
        assert document_expiry_reminders.call_local() == 1


def test_replaced_and_pending_documents_are_not_reminded(wati, wati_person, alice):
    with at(date(2026, 1, 5)):
        _verified(wati_person, alice, "passport", expires_on=date(2026, 2, 1))
        upload(wati_person, wati, "passport", expires_on=date(2031, 1, 1))  # the new one
    with at(date(2026, 1, 20)):
        assert document_expiry_reminders.call_local() == 0
