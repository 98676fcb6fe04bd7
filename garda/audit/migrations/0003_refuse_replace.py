"""Refuse SQLite's INSERT OR REPLACE on audit_auditevent (issue 19, weakness 11).

REPLACE resolves a uniqueness conflict by deleting the old row, and SQLite fires DELETE
triggers for that only when recursive_triggers is on: the append-only triggers of 0002
did not stop ``INSERT OR REPLACE`` (or ``REPLACE``) from rewriting a row in place. This
BEFORE INSERT trigger refuses any insert that would collide with an existing row's id,
hash or prev_hash, so a REPLACE never gets as far as the delete. A plain insert that
collides would fail on the unique constraints anyway; new rows are unaffected.

PostgreSQL has no REPLACE (``ON CONFLICT DO UPDATE`` fires the UPDATE trigger), so
nothing is done there. The same caution as 0002 applies: a later migration that
rebuilds this table on SQLite must recreate the trigger.
"""

from django.db import migrations

MESSAGE = "audit_auditevent is append-only"

SQLITE_CREATE = [
    f"""CREATE TRIGGER audit_auditevent_no_replace BEFORE INSERT ON audit_auditevent
    WHEN EXISTS (
        SELECT 1 FROM audit_auditevent
        WHERE id = NEW.id OR hash = NEW.hash OR prev_hash = NEW.prev_hash
    )
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_auditevent_no_replace;"]


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_CREATE:
            schema_editor.execute(sql, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
