"""Encrypting everything again under the newest field key (`garda rotate_field_key`;
docs/operations.md, "Rotating the field key").

What the field key protects: every `EncryptedTextField` column of every model
(found by looking, so a new one is covered without a change here), the files kept
by `documents/storage.py` (documents' pages, case files) and the import files waiting
to be read (`people/services/imports.py`). The blind indexes and the audit chain have keys of
their own, which a rotation leaves alone: see `keys_fit`.

Each value is read, decrypted with whichever configured key made it, and written back
under the newest key only when it was under an old one, so a run is idempotent and an
interrupted run is resumed by running it again. Rows go `BATCH` at a time in key order
(memory stays bounded) and each write is a compare-and-swap on the old ciphertext: a
row edited meanwhile keeps the edit (the server already writes with the newest key).
"""

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connections, transaction

from garda import crypto
from garda.fields import EncryptedTextField

BATCH = 500


@dataclass
class Tally:
    """Per column (or kind of file): how many values were looked at, re-encrypted,
    and could not be read."""

    checked: int = 0
    rotated: int = 0
    failed: int = 0


@dataclass
class Rotation:
    tallies: dict[str, Tally] = field(default_factory=dict)

    def tally(self, name: str) -> Tally:
        return self.tallies.setdefault(name, Tally())

    @property
    def rotated(self) -> int:
        return sum(t.rotated for t in self.tallies.values())

    @property
    def failed(self) -> int:
        return sum(t.failed for t in self.tallies.values())


def encrypted_columns() -> list[tuple[type, EncryptedTextField]]:
    """Every encrypted column of every installed model (each table once)."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        for model_field in meta.local_concrete_fields:
            if isinstance(model_field, EncryptedTextField):
                found.append((model, model_field))
    return found


def _q(connection, name: str) -> str:
    return connection.ops.quote_name(name)


def rotate_column(
    model: type,
    model_field: EncryptedTextField,
    tally: Tally,
    *,
    dry_run: bool = False,
    using: str = "default",
    batch_size: int = BATCH,
) -> None:
    connection = connections[using]
    table, pk, column = (
        _q(connection, model._meta.db_table),
        _q(connection, model._meta.pk.column),
        _q(connection, model_field.column),
    )
    context = model_field.crypto_context
    last = None
    while True:
        # Raw SQL: the field would decrypt on read and encrypted columns cannot be
        # filtered through the ORM; the names are the model's own, quoted.
        sql = f"SELECT {pk}, {column} FROM {table} WHERE {column} IS NOT NULL AND {column} <> ''"  # noqa: S608
        params: list = []
        if last is not None:
            sql += f" AND {pk} > %s"
            params.append(last)
        sql += f" ORDER BY {pk} LIMIT {int(batch_size)}"
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not rows:
            return
        updates = []
        for key, token in rows:
            tally.checked += 1
            try:
                if crypto.needs_rotation(token):
                    plain = crypto.decrypt(token, context=context)
                    updates.append((crypto.encrypt(plain, context=context), key, token))
            except (crypto.DecryptionError, IndexError):
                tally.failed += 1
        if updates and not dry_run:
            with transaction.atomic(using=using), connection.cursor() as cursor:
                for new, key, old in updates:
                    cursor.execute(
                        f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s",  # noqa: S608
                        [new, key, old],
                    )
                    tally.rotated += cursor.rowcount
        elif updates:
            tally.rotated += len(updates)
        last = rows[-1][0]


def _rotate_stored_files(tally: Tally, *, dry_run: bool) -> None:
    """Every file the documents storage holds: documents' pages and case files alike
    (both are stored through it), read from disk one at a time."""
    from garda.documents import storage

    for name in storage.stored_names():
        tally.checked += 1
        try:
            tally.rotated += storage.needs_reseal(name) if dry_run else storage.reseal(name)
        except (crypto.DecryptionError, IndexError):
            tally.failed += 1


def _rotate_import_files(tally: Tally, *, dry_run: bool) -> None:
    from garda.people.services.imports import FILE_CONTEXT, import_dir

    folder = import_dir()
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.endswith(".tmp"):
            continue
        tally.checked += 1
        try:
            blob = path.read_bytes()
            if not crypto.sealed_needs_rotation(blob):
                continue
            if not dry_run:
                sealed = crypto.reseal(blob, context=FILE_CONTEXT)
                tmp = path.with_name(f"{path.name}.tmp")
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(sealed)
                os.replace(tmp, path)
            tally.rotated += 1
        except (crypto.DecryptionError, IndexError):
            tally.failed += 1


def field_key_rotate(
    *,
    dry_run: bool = False,
    using: str = "default",
    batch_size: int = BATCH,
    progress: Callable[[str, Tally], None] | None = None,
) -> Rotation:
    """Encrypt every encrypted value and file again under the newest field key; with
    `dry_run`, only count what would be. One audit row records a run that changed
    anything (counts only)."""
    from garda.audit.models import AuditEvent
    from garda.audit.services import audit_record

    rotation = Rotation()
    for model, model_field in encrypted_columns():
        name = f"{model._meta.db_table}.{model_field.column}"
        tally = rotation.tally(name)
        rotate_column(
            model, model_field, tally, dry_run=dry_run, using=using, batch_size=batch_size
        )
        if progress:
            progress(name, tally)
    for name, rotate in (
        ("stored files", _rotate_stored_files),
        ("import files", _rotate_import_files),
    ):
        tally = rotation.tally(name)
        rotate(tally, dry_run=dry_run)
        if progress:
            progress(name, tally)
    if rotation.rotated and not dry_run:
        audit_record(
            actor=None,
            action=AuditEvent.Action.UPDATE,
            object_type="garda.field_key",
            object_id=crypto.current_key_id(),
            reason=(
                f"rotate_field_key: {rotation.rotated} values and files encrypted again "
                f"under the newest key, {rotation.failed} unreadable"
            ),
        )
    return rotation


def keys_fit(using: str = "default") -> list[str]:
    """Why rotating now would do harm, in words; empty when it is safe.

    A new GARDA_FIELD_KEY also changes the keys derived from it (settings.py) unless
    they are pinned: the audit chain would stop verifying and every blind index (NIK
    look-up and uniqueness) would stop matching. Checked on the newest audit entry
    and the newest person."""
    from garda.audit.models import AuditEvent
    from garda.audit.services import compute_hash
    from garda.people.models import Person
    from garda.people.services.registry import nik_index

    problems = []
    event = AuditEvent.objects.using(using).order_by("-id").first()
    if event is not None and compute_hash(event.prev_hash, event) != event.hash:
        problems.append(
            "The newest audit entry does not verify with the current audit chain key: "
            "GARDA_FIELD_KEY changed while GARDA_AUDIT_CHAIN_KEY was not pinned. Pin "
            "the audit chain key of before (docs/operations.md, “Rotating the field key”)."
        )
    try:
        person = Person.objects.using(using).order_by("-id").only("nik", "nik_index").first()
        if person is not None and nik_index(person.nik) != person.nik_index:
            problems.append(
                "Blind indexes do not match with the current blind index key: "
                "GARDA_FIELD_KEY changed while GARDA_BLIND_INDEX_KEY was not pinned. "
                "Pin the blind index key of before (docs/operations.md)."
            )
    except crypto.DecryptionError:
        problems.append(
            "A stored identity number cannot be decrypted with the configured keys: "
            "put the previous GARDA_FIELD_KEY in GARDA_FIELD_KEYS_OLD."
        )
    return problems
