"""The backup drill (docs/security.md, test 20; docs/operations.md): back up, damage
the database and the files, restore, and find the same rows, a verifying audit chain
and documents that decrypt to the same bytes; a tampered archive is refused.

Runs on whichever database the suite runs on (SQLite's in-memory test database, or
PostgreSQL with pg_dump/pg_restore): the commands use the configured connection, so
the test database is the one backed up and restored.
"""

import hashlib
import io
import json
import sqlite3
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from garda.audit.models import AuditEvent
from garda.audit.verify import verify_chain
from garda.documents import storage
from garda.documents.models import Document, DocumentFile
from garda.documents.tests.conftest import upload
from garda.management.backup import MANIFEST, archive_check, database_facts
from garda.people.models import Person
from garda.people.services.registry import find_by_nik
from garda.people.tests.factories import nik_for, register

ON_SQLITE = connection.vendor == "sqlite"
drill = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def pristine(transactional_db):
    """On SQLite, put the test database back as it was before the test (through the
    backup API, as a restore does): the test's audit rows would stop the flush that
    ends a transactional test, since the append-only triggers refuse DELETE.
    PostgreSQL's flush is a TRUNCATE, which row triggers do not see."""
    if not ON_SQLITE:
        yield
        return
    connection.ensure_connection()
    saved = sqlite3.connect(":memory:")
    connection.connection.backup(saved)
    yield
    connection.ensure_connection()
    saved.backup(connection.connection)
    saved.close()


def _run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def _counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return database_facts(cursor, tables)["tables"]


def _world(alice):
    """Persons with encrypted identity numbers, a document with a file, audit rows."""
    siti = register(serial=1, actor=alice, full_name="Siti Aminah")
    register(serial=2, actor=alice, full_name="Dewi Lestari")
    document = upload(siti, alice, code="passport", number="C1234567")
    stored = document.files.get()
    return siti, stored, storage.read(stored.storage_name)


def _archive(tmp_path) -> Path:
    (archive,) = (tmp_path / "backups").glob("garda-backup-*.tar")
    return archive


@drill
def test_backup_damage_restore_gives_back_the_same_data(alice, tmp_path, pristine):
    siti, stored, document_bytes = _world(alice)
    code, out, _ = _run("backup", "--output", str(tmp_path / "backups") + "/")
    assert code == 0, out
    archive = _archive(tmp_path)
    manifest = json.loads(tarfile.open(archive).extractfile(MANIFEST).read())
    before = _counts()
    assert manifest["tables"] == before
    assert manifest["tables"]["people_person"] == 2
    assert manifest["audit"]["entries"] == AuditEvent.objects.count() > 0
    assert manifest["files"]["count"] == 1
    # No key is in the archive: neither the field key nor anything derived from it.
    from django.conf import settings

    raw = archive.read_bytes()
    for key in (settings.FIELD_ENCRYPTION_KEY, settings.AUDIT_CHAIN_KEY, settings.BLIND_INDEX_KEY):
        assert key not in raw
    assert settings.FIELD_KEY.encode() not in raw
    assert nik_for(serial=1).encode() not in raw  # identity numbers stay ciphertext

    # Damage: a row added, rows deleted, a document file overwritten, a table dropped.
    register(serial=3, actor=alice)  # written after the backup: gone after the restore
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM documents_documentfile")
        cursor.execute("DELETE FROM people_statuschange")
        cursor.execute("DROP TABLE people_nametoken" + ("" if ON_SQLITE else " CASCADE"))
    path = Path(storage._path(stored.storage_name))
    path.write_bytes(b"overwritten")
    assert _counts() != before

    code, out, err = _run("restore", str(archive), "--yes")
    assert code == 0, out + err
    assert "Audit chain: OK" in out
    assert "Restore complete" in out
    assert "WARNING" not in out  # no migration missing: as `migrate --check` would say
    assert _counts() == before
    assert verify_chain().ok
    restored = DocumentFile.objects.get(pk=stored.pk)
    assert storage.read(restored.storage_name) == document_bytes
    assert Person.objects.get(pk=siti.pk).nik == nik_for(serial=1)
    assert find_by_nik(nik_for(serial=2)) is not None  # blind indexes still match
    assert find_by_nik(nik_for(serial=3)) is None
    assert Document.objects.get(pk=stored.document_id).number == "C1234567"
    # The files there before the restore are kept beside, never deleted.
    kept = list(path.parents[2].parent.glob("files.before-restore-*"))
    assert len(kept) == 1


@drill
def test_a_restore_that_finds_a_mismatch_says_so_and_exits_non_zero(alice, tmp_path, pristine):
    _world(alice)
    assert _run("backup", "-o", str(tmp_path / "one.tar"))[0] == 0
    # The manifest promises one more person than the database holds: the signature is
    # redone with the installation's key, as only someone holding the key could.
    from garda.management import backup

    with tarfile.open(tmp_path / "one.tar") as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    manifest = json.loads(members[MANIFEST])
    manifest["tables"]["people_person"] += 1
    manifest["signature"] = backup._signature(manifest)
    members[MANIFEST] = json.dumps(manifest).encode()
    _write_tar(tmp_path / "two.tar", members)

    code, out, err = _run("restore", str(tmp_path / "two.tar"), "--yes")
    assert code == 1
    assert "MISMATCH: table people_person: 2 rows, the backup has 3" in err
    assert "Audit chain: OK" in out


def _write_tar(path: Path, members: dict[str, bytes]) -> None:
    with tarfile.open(path, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


@drill
def test_a_tampered_archive_is_refused_and_nothing_changes(alice, tmp_path, pristine):
    _, stored, _ = _world(alice)
    assert _run("backup", "-o", str(tmp_path / "good.tar"))[0] == 0
    with tarfile.open(tmp_path / "good.tar") as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    file_member = next(name for name in members if name.startswith("files/"))

    # 1. A flipped byte in a document file.
    flipped = dict(members)
    flipped[file_member] = bytes([members[file_member][0] ^ 1]) + members[file_member][1:]
    _write_tar(tmp_path / "flipped.tar", flipped)
    # 2. The database part replaced and its checksum recomputed in the manifest: the
    # signature (a key the attacker does not hold) no longer matches.
    forged = dict(members)
    manifest = json.loads(members[MANIFEST])
    database_member = manifest["database"]["member"]
    body = members[database_member]
    forged[database_member] = body[:-100] + bytes([body[-100] ^ 0xFF]) + body[-99:]
    manifest["database"]["sha256"] = hashlib.sha256(forged[database_member]).hexdigest()
    forged[MANIFEST] = json.dumps(manifest).encode()
    _write_tar(tmp_path / "forged.tar", forged)
    # 3. A member that would land outside the files folder.
    escaping = {**members, "files/../../escaped": b"x"}
    _write_tar(tmp_path / "escaping.tar", escaping)

    before = _counts()
    for name, words in (
        ("flipped.tar", f"{file_member} does not match its checksum"),
        ("forged.tar", "signature does not match"),
        ("escaping.tar", "unexpected entry"),
    ):
        code, _, err = _run("restore", str(tmp_path / name), "--yes")
        assert code == 1, name
        assert "REFUSED, nothing was changed" in err and words in err, err
        assert _run("restore", str(tmp_path / name), "--check")[0] == 1
    assert _counts() == before
    assert storage.exists(stored.storage_name)
    assert not (tmp_path / "escaped").exists()
    assert _run("restore", str(tmp_path / "good.tar"), "--check")[0] == 0


@drill
def test_restore_asks_for_confirmation(tmp_path, pristine):
    assert _run("backup", "-o", str(tmp_path / "b.tar"))[0] == 0
    with pytest.raises(CommandError, match="confirm with --yes"):
        call_command("restore", str(tmp_path / "b.tar"))
    with pytest.raises(CommandError, match="No such archive"):
        call_command("restore", str(tmp_path / "missing.tar"), "--yes")
    with pytest.raises(Exception, match="not a Garda backup"):
        (tmp_path / "junk.tar").write_bytes(b"junk")
        archive_check(tmp_path / "junk.tar")


@pytest.mark.django_db
def test_a_backup_inside_a_transaction_is_refused_not_hung(tmp_path):
    """SQLite's backup API would wait forever on a connection that is writing."""
    with pytest.raises(CommandError, match="inside a database transaction"):
        call_command("backup", "-o", str(tmp_path / "b.tar"), stdout=io.StringIO())


def test_pg_dump_missing_or_older_than_the_server_is_refused(tmp_path, monkeypatch):
    from garda.management.backup import BackupError, _pg_tool

    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match="pg_dump is not on PATH"):
        _pg_tool("pg_dump", 15)
    old = tmp_path / "pg_dump"
    old.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 13.4'\n")
    old.chmod(0o755)
    with pytest.raises(BackupError, match="pg_dump 13 is older than the PostgreSQL 15 server"):
        _pg_tool("pg_dump", 15)
    assert _pg_tool("pg_dump", 13) == str(old)
