"""Issue 19, weakness 11: SQLite's INSERT OR REPLACE must not rewrite an audit row.

REPLACE deletes the conflicting row without firing the BEFORE DELETE trigger (unless
recursive_triggers is on), so the append-only triggers of 0002 did not stop it; the
chain check only noticed afterwards. A BEFORE INSERT trigger refuses it at the source.
"""

import pytest
from django.db import connection, transaction
from django.db.utils import IntegrityError

from garda.audit.models import AuditEvent
from garda.audit.tests.factories import make_chain, run_sql
from garda.audit.verify import verify_chain

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL has no REPLACE"),
]

COLUMNS = (
    "id, actor_id, actor_role, actor_agency_id, action, object_type, object_id,"
    " changed_fields, reason, ip, request_id, created_at, prev_hash, hash"
)


def _replace_sql(verb: str) -> str:
    # The attacker copies every column of the row and changes only the reason.
    altered = COLUMNS.replace("reason", "'nothing happened'")
    table = "audit_auditevent"
    return f"{verb} INTO {table} ({COLUMNS}) SELECT {altered} FROM {table} WHERE id = %s"  # noqa: S608


@pytest.mark.parametrize("verb", ["INSERT OR REPLACE", "REPLACE"])
def test_replace_of_an_audit_row_is_refused(alice, verb):
    chain = make_chain(alice, 3)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        run_sql(_replace_sql(verb), params=[chain[1].pk])
    row = AuditEvent.objects.get(pk=chain[1].pk)
    assert row.reason == "entry 1"
    assert AuditEvent.objects.count() == 3
    assert verify_chain().ok


def test_upsert_on_conflict_is_refused(alice):
    chain = make_chain(alice, 2)
    sql = f"INSERT INTO audit_auditevent ({COLUMNS}) SELECT {COLUMNS} FROM audit_auditevent"  # noqa: S608
    sql += " WHERE id = %s ON CONFLICT(id) DO UPDATE SET reason = 'nothing happened'"
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        run_sql(sql, params=[chain[0].pk])
    assert AuditEvent.objects.get(pk=chain[0].pk).reason == "entry 0"


def test_new_rows_are_still_written(alice):
    make_chain(alice, 4)
    assert AuditEvent.objects.count() == 4
    assert verify_chain().ok
