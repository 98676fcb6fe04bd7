"""Backups of the database and the document files, and their restore
(`garda backup`, `garda restore`; docs/operations.md).

One archive (a plain tar: the files are encrypted already, so compressing gains little)
holds, in this order:

- `database.sqlite3` (SQLite's online backup API: one consistent snapshot, writers
  carry on in WAL mode) or `database.pgdump` (`pg_dump --format=custom`, run on a
  snapshot exported from a repeatable-read transaction that also counts the rows);
- `files/...`: every file under GARDA_FILES_DIR (the uploaded documents, encrypted
  with the field key; the archive holds them as they are on disk);
- `files.sha256`: the SHA-256 of each of those files;
- `manifest.json`: when, which Garda, the applied migrations, the row count of every
  table and the audit chain's last entry, as of the database snapshot; the SHA-256 of
  the database part and of `files.sha256`; and an HMAC of all that under a key derived
  from the audit chain key, so that an archive edited after the fact (its checksums
  recomputed) is refused too.

No key is ever written into a backup: the field key is kept apart on purpose, so a
stolen archive reveals no identity number (docs/operations.md, "Where the keys live").
The database is copied before the files: a document uploaded meanwhile leaves an
unreferenced file in the archive, never a reference to a missing one.
"""

import hashlib
import hmac
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

FORMAT = "garda-backup-1"
MANIFEST = "manifest.json"
FILE_LIST = "files.sha256"
FILES = "files/"
DATABASE = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
_CHUNK = 1024 * 1024
# A path under files/ is made of plain name parts (storage names are hex; the
# sharding folders two hex characters): nothing that could climb out of the folder.
_PART = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*$")


class BackupError(Exception):
    """Stops a backup, or refuses a restore before anything was changed."""


# --- facts: what a backup promises about the database ---------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _audit_table() -> str:
    from garda.audit.models import AuditEvent

    return AuditEvent._meta.db_table


def database_facts(cursor, tables: list[str]) -> dict:
    """Row counts per table, applied migrations and the audit chain's last entry, read
    through `cursor` (a DB-API cursor on the snapshot or on the restored database)."""
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 (catalogue names)
        counts[table] = cursor.fetchone()[0]
    migrations = []
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [list(row) for row in cursor.fetchall()]
    audit = {"entries": counts.get(_audit_table(), 0), "last_id": None, "last_hash": ""}
    if _audit_table() in counts:
        cursor.execute(
            f"SELECT id, hash FROM {_quote(_audit_table())} ORDER BY id DESC LIMIT 1"  # noqa: S608
        )
        row = cursor.fetchone()
        if row:
            audit["last_id"], audit["last_hash"] = row[0], row[1]
    return {"tables": counts, "migrations": migrations, "audit": audit}


def _sqlite_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return [row[0] for row in cursor.fetchall()]


def _pg_tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()")
    return [row[0] for row in cursor.fetchall()]


# --- small helpers ----------------------------------------------------------------------


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _signing_key() -> bytes:
    # Derived from the audit chain key: stable across field-key rotations (it can be
    # pinned, settings.py) and needed anyway to verify a restored chain.
    return hmac.new(settings.AUDIT_CHAIN_KEY, b"garda-backup-manifest-v1", "sha256").digest()


def _signature(manifest: dict) -> str:
    body = {k: v for k, v in manifest.items() if k != "signature"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(_signing_key(), canonical, "sha256").hexdigest()


def garda_version() -> str:
    try:
        return metadata.version("garda")
    except metadata.PackageNotFoundError:  # a checkout that was never installed
        return "unknown"


def _vendor(using: str) -> str:
    connection = connections[using]
    if connection.vendor not in DATABASE:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {connection.vendor}")
    if connection.in_atomic_block:
        # SQLite's backup API waits forever on a connection that is writing; and a
        # snapshot taken inside a transaction would not be what others see.
        raise BackupError("cannot run inside a database transaction")
    return connection.vendor


# --- PostgreSQL tools ---------------------------------------------------------------------


def _pg_env(settings_dict: dict) -> dict[str, str]:
    """The connection for pg_dump/pg_restore in libpq's variables: the password never
    appears on a command line (where `ps` shows it)."""
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if settings_dict.get(key):
            env[name] = str(settings_dict[key])
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    options = settings_dict.get("OPTIONS") or {}
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if options.get(key):
            env["PG" + key.upper()] = str(options[key])
    return env


def _pg_tool(tool: str, server_major: int) -> str:
    """The path of `tool`, after checking that it can handle this server: a pg_dump
    older than the server refuses to dump it, and one too old to read a newer dump
    fails halfway through a restore."""
    path = shutil.which(tool)
    if path is None:
        raise BackupError(f"{tool} is not on PATH: install the PostgreSQL client tools")
    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    found = re.search(r"(\d+)(?:\.\d+)?", out.stdout)
    if found is None:
        raise BackupError(f"cannot tell the version of {tool}: {out.stdout.strip()!r}")
    major = int(found.group(1))
    if major < server_major:
        raise BackupError(
            f"{tool} {major} is older than the PostgreSQL {server_major} server: install "
            f"the client tools of version {server_major} or newer"
        )
    return path


def _run(argv: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{what} failed: {done.stderr.strip()[-2000:]}")


# --- backup -----------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    manifest: dict


def default_name(now: datetime) -> str:
    return f"garda-backup-{now.strftime('%Y%m%dT%H%M%SZ')}.tar"


def _destination(output: str | None, now: datetime) -> Path:
    if not output:
        return Path(settings.VAR_DIR) / "backups" / default_name(now)
    path = Path(output)
    if path.is_dir() or output.endswith(("/", os.sep)):
        return path / default_name(now)
    return path


def _snapshot_sqlite(using: str, target: Path) -> dict:
    """Copy the configured SQLite database into `target` with the online backup API
    (one read transaction: in WAL mode writers carry on meanwhile) and read its facts
    from the copy, so they describe exactly what the archive holds."""
    connection = connections[using]
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        cursor = copy.cursor()
        (check,) = cursor.execute("PRAGMA quick_check").fetchone()
        if check != "ok":
            raise BackupError(f"the database copy fails SQLite's check: {check}")
        facts = database_facts(cursor, _sqlite_tables(cursor))
    finally:
        copy.close()
    facts["server_version"] = sqlite3.sqlite_version
    return facts


def _snapshot_postgresql(using: str, target: Path) -> dict:
    """pg_dump of the configured database on a snapshot exported by a repeatable-read
    transaction that also reads the facts: the counts are those of the dump."""
    connection = connections[using]
    connection.ensure_connection()
    server_major = connection.pg_version // 10000
    pg_dump = _pg_tool("pg_dump", server_major)
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = False
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
            facts = database_facts(cursor, _pg_tables(cursor))
            _run(
                [
                    pg_dump,
                    "--format=custom",
                    "--no-password",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                    "--dbname",
                    connection.settings_dict["NAME"],
                ],
                _pg_env(connection.settings_dict),
                "pg_dump",
            )
        raw.rollback()
    finally:
        raw.close()
    facts["server_version"] = str(connection.pg_version)
    return facts


class _HashingReader:
    """A file object that hashes what tarfile reads from it."""

    def __init__(self, fh: IO[bytes]):
        self.fh, self.digest = fh, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.fh.read(size)
        self.digest.update(data)
        return data


def _files_root() -> Path:
    return Path(settings.GARDA_FILES_DIR)


def _stored_files(root: Path) -> Iterator[Path]:
    """Every file under the files folder, in a stable order; half-written `.tmp` files
    (storage writes to one and renames it) are left out."""
    if not root.is_dir():
        return
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            if not name.endswith(".tmp"):
                yield Path(folder) / name


def _add(tar: tarfile.TarFile, name: str, path: Path) -> tuple[str, int]:
    """Add `path` as `name`, reading it once; its SHA-256 and size. The file is
    opened before anything is written, so a file deleted meanwhile raises
    FileNotFoundError with the archive still whole."""
    info = tarfile.TarInfo(name)
    with path.open("rb") as fh:
        info.size = os.fstat(fh.fileno()).st_size
        info.mtime = int(os.fstat(fh.fileno()).st_mtime)
        info.mode = 0o600
        reader = _HashingReader(fh)
        tar.addfile(info, reader)
    return reader.digest.hexdigest(), info.size


def backup_create(
    *, output: str | None = None, using: str = "default", now: datetime | None = None
) -> BackupResult:
    """Write one archive of the configured database and the document files."""
    now = now or datetime.now(UTC)
    vendor = _vendor(using)
    destination = _destination(output, now)
    destination.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".garda-backup-") as work:
        database = Path(work) / DATABASE[vendor]
        snapshot = _snapshot_sqlite if vendor == "sqlite" else _snapshot_postgresql
        facts = snapshot(using, database)
        partial = Path(work) / "archive.tar"
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            database_sha, database_size = _add(tar, DATABASE[vendor], database)
            database.unlink()  # the copy is in the archive now: no second copy on disk
            root = _files_root()
            lines, count, total = [], 0, 0
            for path in _stored_files(root):
                relative = path.relative_to(root).as_posix()
                try:
                    digest, size = _add(tar, FILES + relative, path)
                except FileNotFoundError:
                    continue  # deleted since the folder was listed
                lines.append(f"{digest}  {relative}\n")
                count += 1
                total += size
            file_list = Path(work) / FILE_LIST
            file_list.write_text("".join(lines), encoding="utf-8")
            manifest = {
                "format": FORMAT,
                "created_at": now.isoformat(),
                "garda_version": garda_version(),
                "database": {
                    "vendor": vendor,
                    "member": DATABASE[vendor],
                    "sha256": database_sha,
                    "size": database_size,
                    "server_version": facts["server_version"],
                },
                "files": {
                    "member": FILE_LIST,
                    "sha256": _sha256_file(file_list),
                    "count": count,
                    "bytes": total,
                },
                "migrations": facts["migrations"],
                "tables": facts["tables"],
                "audit": facts["audit"],
            }
            manifest["signature"] = _signature(manifest)
            _add(tar, FILE_LIST, file_list)
            manifest_path = Path(work) / MANIFEST
            manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
            _add(tar, MANIFEST, manifest_path)
        partial.chmod(0o600)
        os.replace(partial, destination)
    return BackupResult(path=destination, manifest=manifest)


# --- reading and checking an archive ---------------------------------------------------------


def _safe_file_name(name: str) -> str | None:
    """The path under the files folder of an archive member, or None if the member
    is not a plain `files/...` path."""
    if not name.startswith(FILES):
        return None
    parts = name[len(FILES) :].split("/")
    if not parts or not all(_PART.match(part) and part not in {".", ".."} for part in parts):
        return None
    return "/".join(parts)


def _copy(source: IO[bytes], sink: IO[bytes] | None) -> str:
    digest = hashlib.sha256()
    while chunk := source.read(_CHUNK):
        digest.update(chunk)
        if sink is not None:
            sink.write(chunk)
    return digest.hexdigest()


@dataclass
class Archive:
    """A checked archive: its manifest, and where its parts were extracted to."""

    manifest: dict
    database: Path | None = None
    files: Path | None = None


def archive_check(
    path: Path, *, extract_to: Path | None = None, extract_files_to: Path | None = None
) -> Archive:
    """Check an archive completely (members, signature, every checksum) and, when
    asked, extract its database into `extract_to` and its files into
    `extract_files_to` while checking. Raises BackupError naming every problem found;
    nothing outside the two given folders is touched."""
    try:
        tar = tarfile.open(path, "r:")  # noqa: SIM115 (closed below)
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{path} is not a Garda backup archive ({exc})") from None
    with tar:
        try:
            members = tar.getmembers()
        except tarfile.TarError as exc:
            raise BackupError(f"the archive is damaged ({exc})") from None
        by_name = {}
        for member in members:
            if not member.isfile() or member.name in by_name:
                raise BackupError(f"unexpected entry in the archive: {member.name!r}")
            by_name[member.name] = member
        if MANIFEST not in by_name:
            raise BackupError("the archive has no manifest.json: not a Garda backup")
        try:
            manifest = json.loads(tar.extractfile(by_name[MANIFEST]).read())
        except ValueError:
            raise BackupError("the manifest is damaged") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BackupError(f"unknown backup format: {manifest.get('format')!r}")
        if not hmac.compare_digest(str(manifest.get("signature", "")), _signature(manifest)):
            raise BackupError(
                "the manifest's signature does not match: the archive was changed after "
                "it was made, or it was made with another audit chain key"
            )
        problems = []
        database_member = manifest["database"]["member"]
        if database_member not in DATABASE.values() or database_member not in by_name:
            raise BackupError("the archive has no database part")
        # The list of files first: it says what the files must be.
        listed = tar.extractfile(by_name[FILE_LIST]) if FILE_LIST in by_name else None
        if listed is None:
            raise BackupError("the archive has no files.sha256")
        raw_list = listed.read()
        if hashlib.sha256(raw_list).hexdigest() != manifest["files"]["sha256"]:
            problems.append("files.sha256 does not match the manifest")
        expected = {}
        for line in raw_list.decode("utf-8", "replace").splitlines():
            digest, _, relative = line.partition("  ")
            expected[relative] = digest
        archive = Archive(manifest=manifest)
        seen = set()
        for member in members:
            if member.name in {MANIFEST, FILE_LIST}:
                continue
            if member.name == database_member:
                target = extract_to / database_member if extract_to else None
                digest = _extract(tar, member, target)
                if digest != manifest["database"]["sha256"]:
                    problems.append(f"{database_member} does not match its checksum")
                archive.database = target
                continue
            relative = _safe_file_name(member.name)
            if relative is None:
                raise BackupError(f"unexpected entry in the archive: {member.name!r}")
            target = extract_files_to / relative if extract_files_to else None
            digest = _extract(tar, member, target)
            seen.add(relative)
            if expected.get(relative) != digest:
                problems.append(f"{member.name} does not match its checksum")
        missing = sorted(set(expected) - seen)
        if missing:
            problems.append(f"{len(missing)} listed files are missing, e.g. files/{missing[0]}")
        if len(expected) != manifest["files"]["count"]:
            problems.append("the number of files differs from the manifest")
        if problems:
            raise BackupError("the archive is damaged: " + "; ".join(problems))
        archive.files = extract_files_to
        return archive


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path | None) -> str:
    source = tar.extractfile(member)
    if target is None:
        return _copy(source, None)
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as sink:
        return _copy(source, sink)


# --- restore ----------------------------------------------------------------------------


@dataclass
class RestoreReport:
    """What a restore found when it compared the result with the manifest."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _restore_sqlite(using: str, database: Path) -> None:
    """Copy the archived database page by page into the configured one (the backup
    API in the other direction): the live connection then sees the restored data,
    tables dropped since the backup included."""
    connection = connections[using]
    connection.ensure_connection()
    source = sqlite3.connect(database)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _restore_postgresql(using: str, database: Path) -> None:
    connection = connections[using]
    connection.ensure_connection()
    pg_restore = _pg_tool("pg_restore", connection.pg_version // 10000)
    settings_dict = dict(connection.settings_dict)
    connection.close()  # no session of ours holds a lock pg_restore must wait for
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            "--dbname",
            settings_dict["NAME"],
            str(database),
        ],
        _pg_env(settings_dict),
        "pg_restore",
    )


def _swap_files(staged: Path, root: Path, stamp: str) -> Path | None:
    """Put the restored files in place; the files there before are kept beside them
    (`<folder>.before-restore-<time>`), never deleted by a restore."""
    kept = None
    if root.exists():
        kept = root.with_name(f"{root.name}.before-restore-{stamp}")
        os.replace(root, kept)
    os.replace(staged, root)
    return kept


def _compare(using: str, manifest: dict, report: RestoreReport) -> None:
    from garda.audit.verify import verify_chain
    from garda.cases.models import CaseDocument
    from garda.documents import storage
    from garda.documents.models import DocumentFile

    connection = connections[using]
    with connection.cursor() as cursor:
        tables = _sqlite_tables(cursor) if connection.vendor == "sqlite" else _pg_tables(cursor)
        facts = database_facts(cursor, tables)
    expected = manifest["tables"]
    for table in sorted(set(expected) | set(facts["tables"])):
        want, have = expected.get(table), facts["tables"].get(table)
        if want != have:
            report.problems.append(
                f"table {table}: {have if have is not None else 'missing'} rows, "
                f"the backup has {want if want is not None else 'no such table'}"
            )
    report.lines.append(
        f"Row counts: {len(expected)} tables, {sum(expected.values())} rows as in the backup"
        if not report.problems
        else "Row counts: differ from the backup (below)"
    )
    if facts["migrations"] != manifest["migrations"]:
        report.problems.append("the applied migrations differ from the backup's")
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        report.warnings.append(
            f"{len(pending)} migrations of this Garda are not applied: the backup is "
            "older than the code; run `garda migrate`"
        )
    if facts["audit"] != manifest["audit"]:
        report.problems.append(
            f"the audit trail ends at entry #{facts['audit']['last_id']}, the backup's at "
            f"#{manifest['audit']['last_id']}"
        )
    result = verify_chain()
    if result.ok:
        report.lines.append(f"Audit chain: OK, {result.checked} entries verified")
    else:
        report.problems.append(
            f"audit chain BROKEN at entry #{result.first_broken_id}: {result.reason}"
        )
    missing = 0
    for model in (DocumentFile, CaseDocument):
        names = model.objects.values_list("storage_name", flat=True)
        missing += sum(1 for name in names.iterator() if not storage.exists(name))
    if missing:
        report.problems.append(f"{missing} stored files the database names are missing")
    else:
        report.lines.append(
            f"Files: every file the database names is in place ({manifest['files']['count']} "
            "in the backup)"
        )


def backup_restore(
    path: Path, *, using: str = "default", now: datetime | None = None
) -> RestoreReport:
    """Check the archive completely, then replace the configured database and the
    files folder with its contents, and compare the result with the manifest (row
    counts, migrations, the audit chain's end) and verify the whole audit chain.

    Nothing is changed when the archive fails its checks (BackupError). The server
    must be stopped: a restore replaces the database under it."""
    now = now or datetime.now(UTC)
    vendor = _vendor(using)
    root = _files_root()
    root.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    report = RestoreReport()
    with tempfile.TemporaryDirectory(dir=root.parent, prefix=".garda-restore-") as work:
        staged = Path(work) / "files"
        staged.mkdir(mode=0o700)
        archive = archive_check(path, extract_to=Path(work), extract_files_to=staged)
        manifest = archive.manifest
        if manifest["database"]["vendor"] != vendor:
            raise BackupError(
                f"this backup holds a {manifest['database']['vendor']} database; the "
                f"configured database is {vendor}"
            )
        report.lines.append(
            f"Archive: {path.name}, made {manifest['created_at']} by Garda "
            f"{manifest['garda_version']}; checksums and signature OK"
        )
        restore = _restore_sqlite if vendor == "sqlite" else _restore_postgresql
        restore(using, archive.database)
        report.lines.append(f"Database: restored ({vendor})")
        kept = _swap_files(staged, root, now.strftime("%Y%m%dT%H%M%SZ"))
        report.lines.append(
            f"Files: {manifest['files']['count']} restored into {root}"
            + (f" (the files there before are kept in {kept})" if kept else "")
        )
    _compare(using, manifest, report)
    return report
