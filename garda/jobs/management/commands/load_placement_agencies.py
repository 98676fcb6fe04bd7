"""garda load_placement_agencies FILE: load the licence register of placement
companies (CSV, UTF-8, a header row with the columns in
garda/jobs/services/register.py COLUMNS). Idempotent: loading the same file twice
changes nothing; a file with an error loads nothing and lists every error."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from garda.jobs.services.register import agencies_load


class Command(BaseCommand):
    help = "Load the register of licensed placement companies (P3MI) from a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        result = agencies_load(actor=None, text=text)
        if result.errors:
            for message in result.errors:
                self.stderr.write(str(message))
            raise CommandError(f"{len(result.errors)} error(s): nothing was loaded.")
        self.stdout.write(
            f"created {result.created}, updated {result.updated}, "
            f"unchanged {result.unchanged}, status changes {result.status_changes}"
        )
