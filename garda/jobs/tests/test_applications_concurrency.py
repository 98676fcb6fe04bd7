"""Two recruiters racing for an order's last position: one wins, the other is told
`no_position_left`; the same worker applying twice at the same moment makes one
application (docs/applications.md, "Positions"). PostgreSQL only: its row locks are
what is tested (SQLite has one writer, and the serial case is in
test_applications_services.py)."""

import threading

import pytest
from django.db import connection, connections, transaction

from garda.jobs.models import Application
from garda.jobs.services import applications as svc
from garda.jobs.tests.factories_applications import at_step, open_order, worker_with_person

ON_SQLITE = connection.vendor == "sqlite"
A = Application.Status

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.skipif(ON_SQLITE, reason="row locks are PostgreSQL's; SQLite has one writer"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _race(calls) -> tuple[list, list]:
    """Run each call in its own thread and connection, all inside their transactions
    before any of them acts."""
    start = threading.Barrier(len(calls))
    results, errors = [], []

    def go(call) -> None:
        try:
            with transaction.atomic():
                Application.objects.exists()
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


@pytest.mark.parametrize("round_", range(3))
def test_two_recruiters_racing_for_the_last_position_one_wins(rina, alice, round_):
    order = open_order(rina, alice, positions=1, positions_female=1)
    first = at_step(order, *worker_with_person(400 + 2 * round_), A.INTERVIEWED, rina)
    second = at_step(order, *worker_with_person(401 + 2 * round_), A.INTERVIEWED, rina)
    results, errors = _race(
        [
            lambda: svc.application_move(actor=rina, application=first, to_status=A.SELECTED),
            lambda: svc.application_move(actor=alice, application=second, to_status=A.SELECTED),
        ]
    )
    assert len(results) == 1, errors
    assert len(errors) == 1 and isinstance(errors[0], svc.NoPositionLeft), errors
    assert Application.objects.filter(order=order, status=A.SELECTED).count() == 1


def test_one_worker_applying_twice_at_once_makes_one_application(rina, alice):
    order = open_order(rina, alice)
    worker, person = worker_with_person(420)
    results, errors = _race(
        [lambda: svc.application_create(actor=worker, order=order, person=person)] * 2
    )
    assert len(results) == 1, errors
    assert len(errors) == 1 and isinstance(errors[0], svc.ApplyRefused), errors
    assert errors[0].code == "already_applied"
    assert Application.objects.filter(order=order, person=person).count() == 1
