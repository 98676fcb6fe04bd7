"""The database itself refuses to change or remove audit rows (docs/security.md, test 17)."""

import pytest
from django.db import connection, transaction
from django.db.utils import IntegrityError

from garda.audit.models import AuditEvent
from garda.audit.tests.factories import make_chain, run_sql
from garda.audit.verify import verify_chain

pytestmark = pytest.mark.django_db

REFUSED = pytest.raises(IntegrityError, match="append-only")


@pytest.fixture
def chain(alice):
    return make_chain(alice, 3)


def test_raw_update_is_refused(chain):
    # The savepoint keeps the test's transaction usable after the error on PostgreSQL.
    with REFUSED, transaction.atomic():
        run_sql("UPDATE audit_auditevent SET reason = 'nothing happened'")
    assert verify_chain().ok


def test_raw_delete_is_refused(chain):
    with REFUSED, transaction.atomic():
        run_sql("DELETE FROM audit_auditevent WHERE id = %s", params=[chain[1].pk])
    assert AuditEvent.objects.count() == 3


def test_orm_update_is_refused(chain):
    with REFUSED, transaction.atomic():
        AuditEvent.objects.filter(pk=chain[0].pk).update(reason="nothing happened")
    assert AuditEvent.objects.get(pk=chain[0].pk).reason != "nothing happened"


def test_orm_delete_is_refused(chain):
    with REFUSED, transaction.atomic():
        AuditEvent.objects.filter(pk=chain[0].pk).delete()
    with REFUSED, transaction.atomic():
        chain[2].delete()
    assert AuditEvent.objects.count() == 3


def test_saving_an_existing_row_is_refused(chain):
    chain[0].reason = "nothing happened"
    with REFUSED, transaction.atomic():
        chain[0].save()
    assert AuditEvent.objects.get(pk=chain[0].pk).reason != "nothing happened"


def test_the_triggers_exist_after_all_migrations():
    # On SQLite a later migration that alters AuditEvent rebuilds the table and silently
    # drops the triggers; this test names the problem if that happens.
    if connection.vendor == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s"
        # 0003 adds the BEFORE INSERT trigger that refuses INSERT OR REPLACE (issue 19).
        expected = {
            "audit_auditevent_no_update",
            "audit_auditevent_no_delete",
            "audit_auditevent_no_replace",
        }
    else:
        sql = "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal"
        expected = {"audit_auditevent_append_only"}
    with connection.cursor() as cursor:
        cursor.execute(sql, ["audit_auditevent"])
        assert {row[0] for row in cursor.fetchall()} == expected
