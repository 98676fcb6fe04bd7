from django.core.management.base import BaseCommand, CommandError

from garda.management.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup, or pg_dump) and the document files "
        "into one archive with a signed manifest. Keys are never included "
        "(docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="A folder (the archive gets a dated name) or a file name; "
            "default: GARDA_VAR_DIR/backups/",
        )

    def handle(self, *args, output, **options):
        try:
            result = backup_create(output=output, using="default")
        except BackupError as exc:
            raise CommandError(f"Backup failed: {exc}") from None
        manifest = result.manifest
        audit = manifest["audit"]
        self.stdout.write(f"Backup written: {result.path}")
        self.stdout.write(
            f"  database: {manifest['database']['vendor']}, {len(manifest['tables'])} tables, "
            f"{sum(manifest['tables'].values())} rows, "
            f"{len(manifest['migrations'])} migrations applied"
        )
        self.stdout.write(
            f"  files: {manifest['files']['count']} ({manifest['files']['bytes']} bytes)"
        )
        self.stdout.write(
            f"  audit trail: {audit['entries']} entries, last #{audit['last_id']} "
            f"{audit['last_hash']}"
        )
        self.stdout.write(
            "Keep the keys (GARDA_FIELD_KEY and the pinned keys) apart from this archive: "
            "without them it cannot be read, with them anyone can."
        )
