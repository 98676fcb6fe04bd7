"""Two people racing for an event's last seat: one is registered, the other told the
event is full; two officers scanning the same code at once: one check-in
(docs/outreach.md, "Registration and check-in"). PostgreSQL only: its row locks are
what is tested (SQLite has one writer; the serial cases are in test_services.py)."""

import threading

import pytest
from django.db import connection, connections, transaction

from garda.outreach.models import Registration
from garda.outreach.services.registrations import (
    CheckInRefused,
    RegistrationRefused,
    registration_check_in,
)
from garda.outreach.tests.factories import make_event, register_for

ON_SQLITE = connection.vendor == "sqlite"

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.skipif(ON_SQLITE, reason="row locks are PostgreSQL's; SQLite has one writer"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _race(calls) -> tuple[list, list]:
    start = threading.Barrier(len(calls))
    results, errors = [], []

    def go(call) -> None:
        try:
            with transaction.atomic():
                Registration.objects.exists()
                start.wait(timeout=10)
                results.append(call())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=go, args=(c,)) for c in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results, errors


def test_two_racing_for_the_last_seat_one_wins(alice):
    event = make_event(alice, capacity=1)
    results, errors = _race(
        [
            lambda: register_for(event, full_name="Satu"),
            lambda: register_for(event, full_name="Dua"),
        ]
    )
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], RegistrationRefused)
    assert errors[0].code == "full"
    assert Registration.objects.filter(event=event).count() == 1


def test_two_officers_scanning_one_code_check_in_once(alice, bob):
    event = make_event(alice)
    registration = register_for(event)
    results, errors = _race(
        [
            lambda: registration_check_in(actor=alice, event=event, code=registration.code),
            lambda: registration_check_in(actor=bob, event=event, code=registration.code),
        ]
    )
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], CheckInRefused)
    assert errors[0].code == "already_checked_in"
