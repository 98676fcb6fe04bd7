"""Make audit_auditevent append-only (docs/security.md, "Audit").

1. The actor foreign key no longer cascades (SET_NULL would UPDATE audit rows).
2. prev_hash is unique: the chain cannot fork.
3. Database triggers refuse every UPDATE and DELETE, whoever issues them.

The trigger SQL is kept in this file (not imported from the app) so the migration
stays as it was written; tests import the constants below to drop and restore them.

Caution for later migrations on SQLite: Django alters a SQLite table by rebuilding it
(new table, copy, drop, rename), which silently drops these triggers. A migration
that alters AuditEvent must recreate them afterwards; test_append_only checks that
they exist.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MESSAGE = "audit_auditevent is append-only"

SQLITE_CREATE = [
    f"""CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete;",
]

# restrict_violation (SQLSTATE 23001) makes Django raise IntegrityError, as on SQLite.
# TRUNCATE is not covered (row triggers do not fire on it): the database role the
# application uses should hold only SELECT and INSERT on this table.
POSTGRES_CREATE = [
    f"""CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
    END;
    $$;""",
    """CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only();""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;",
    "DROP FUNCTION IF EXISTS audit_auditevent_append_only();",
]

STATEMENTS = {
    "sqlite": (SQLITE_CREATE, SQLITE_DROP),
    "postgresql": (POSTGRES_CREATE, POSTGRES_DROP),
}


def _statements(schema_editor, direction: int) -> list[str]:
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        # Fail loudly: docs/security.md promises these triggers on every supported database.
        raise RuntimeError(f"No append-only triggers for the {vendor} database")
    return STATEMENTS[vendor][direction]


def create_triggers(apps, schema_editor):
    for sql in _statements(schema_editor, 0):
        schema_editor.execute(sql, params=None)


def drop_triggers(apps, schema_editor):
    for sql in _statements(schema_editor, 1):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(fields=["prev_hash"], name="audit_prev_hash_unique"),
        ),
        # After the two above: on SQLite, AddConstraint rebuilds the table.
        migrations.RunPython(create_triggers, drop_triggers),
    ]
