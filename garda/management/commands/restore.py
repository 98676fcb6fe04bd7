import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from garda.management.backup import BackupError, archive_check, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a `garda backup` archive into the configured database and files folder, "
        "then verify the audit chain and compare row counts with the manifest. Stop the "
        "server first. Exit status 1 on any mismatch."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The .tar file `garda backup` wrote")
        parser.add_argument(
            "--yes", action="store_true", help="Replace the database without asking"
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check the archive (signature and every checksum); change nothing",
        )

    def handle(self, *args, archive, yes, check, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"No such archive: {path}")
        if check:
            try:
                manifest = archive_check(path).manifest
            except BackupError as exc:
                self.stderr.write(f"REFUSED: {exc}")
                raise SystemExit(1) from None
            self.stdout.write(
                f"OK: {path.name}, made {manifest['created_at']}, "
                f"{manifest['files']['count']} files, checksums and signature verified"
            )
            return
        target = settings.DATABASES["default"]["NAME"]
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError(
                    "A restore replaces the database and the document files: confirm with --yes."
                )
            answer = input(
                f"This replaces the database {target} and the files in "
                f"{settings.GARDA_FILES_DIR}. Type yes to continue: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was restored.")
        try:
            report = backup_restore(path, using="default")
        except BackupError as exc:
            self.stderr.write(f"REFUSED, nothing was changed: {exc}")
            raise SystemExit(1) from None
        for line in report.lines:
            self.stdout.write(line)
        for line in report.warnings:
            self.stdout.write(f"WARNING: {line}")
        for line in report.problems:
            self.stderr.write(f"MISMATCH: {line}")
        if not report.ok:
            raise SystemExit(1)
        self.stdout.write("Restore complete: the database matches the backup.")
