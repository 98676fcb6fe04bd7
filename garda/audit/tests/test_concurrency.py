"""Concurrent writers never fork the chain (PostgreSQL: the advisory lock).

SQLite is left out: its in-memory test database cannot host concurrent writers, and
there every transaction takes the single write lock at BEGIN (transaction_mode
IMMEDIATE), so appends cannot interleave.
"""

import threading

import pytest
from django.db import connection, transaction

from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.audit.tests.factories import create_triggers, drop_triggers, run_sql
from garda.audit.verify import verify_chain

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]

WRITERS = 8
ENTRIES_EACH = 5


def in_thread(target, *args) -> threading.Thread:
    def run():
        try:
            target(*args)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_concurrent_writers_keep_one_chain():
    # The writers commit on their own connections, outside the test's transaction;
    # the test's own connection never touches the audit table, so the cleanup below
    # cannot wait on a lock it holds.
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []
    outcome = {}

    def write(n: int) -> None:
        start.wait()
        try:
            for i in range(ENTRIES_EACH):
                audit_record(actor=None, action=AuditEvent.Action.VIEW, object_id=f"{n}-{i}")
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    def check_and_clean_up() -> None:
        outcome["result"] = verify_chain()
        outcome["count"] = AuditEvent.objects.count()
        with transaction.atomic():
            drop_triggers()
            run_sql("DELETE FROM audit_auditevent")
            create_triggers()  # exactly as the migration creates them

    writers = [in_thread(write, n) for n in range(WRITERS)]
    for thread in writers:
        thread.join(timeout=60)
    in_thread(check_and_clean_up).join(timeout=60)

    assert errors == []
    assert outcome["count"] == WRITERS * ENTRIES_EACH
    assert outcome["result"].ok, outcome["result"]
    assert outcome["result"].checked == WRITERS * ENTRIES_EACH
