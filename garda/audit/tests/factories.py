"""Small builders for the audit tests."""

import importlib

from django.contrib.auth.models import Group
from django.db import connection

from garda.accounts.models import Agency, User
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record

_migration = importlib.import_module("garda.audit.migrations.0002_append_only_triggers")


def make_user(email: str, role: str, agency: Agency | None) -> User:
    # The role groups and their permissions come from accounts' migrations, so the
    # access tests check the real role table.
    user = User.objects.create_user(email=email, password=None, agency=agency)
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def make_chain(actor: User, length: int) -> list[AuditEvent]:
    return [
        audit_record(
            actor=actor,
            action=AuditEvent.Action.VIEW,
            object_type="people.person",
            object_id=str(n),
            reason=f"entry {n}",
        )
        for n in range(length)
    ]


def drop_triggers() -> None:
    """Play an attacker who bypasses the append-only triggers (a database owner).

    DDL is transactional on SQLite and PostgreSQL: the test's rollback restores them.
    """
    run_sql(*_migration.STATEMENTS[connection.vendor][1])


def create_triggers() -> None:
    run_sql(*_migration.STATEMENTS[connection.vendor][0])


def run_sql(*statements: str, params=None) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, params)
