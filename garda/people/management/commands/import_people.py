"""`garda import_people FILE [--dry-run] [--errors OUT.csv] [--user EMAIL]`.

The import wizard's two passes (people/services/imports.py) from the command line, in this
process: check every row, write the error report if asked, then (without
--dry-run) import the valid rows. Exits with status 1 when any row failed, after
importing the others; `--resume JOB` continues an import that stopped half way.
"""

import sys
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from garda.accounts.models import User
from garda.people.models import ImportJob
from garda.people.services.imports import (
    errors_csv,
    import_check,
    import_commit,
    import_commit_start,
    import_start,
)


class Command(BaseCommand):
    help = "Import people from a CSV or XLSX file in the template's format (idempotent by NIK)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="CSV (UTF-8) or XLSX file")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--errors", help="write the per-row error report (CSV) here")
        parser.add_argument(
            "--user", help="e-mail of the officer the import is recorded for (default: system)"
        )
        parser.add_argument("--resume", type=int, help="continue the import with this job id")

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        actor = self._actor(options["user"])
        started = time.perf_counter()
        if options["resume"]:
            job = ImportJob.objects.filter(pk=options["resume"]).first()
            if job is None:
                raise CommandError(f"no import job {options['resume']}")
        else:
            job = self._start(options, actor)
        if options["dry_run"]:
            job = import_check(job.pk, progress=self._progress)
        else:
            try:
                job = import_commit_start(actor=actor, job=job, enqueue=False, unchecked=True)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
            job = import_commit(job.pk, progress=self._progress)
        if job.state == ImportJob.State.FAILED:
            raise CommandError(job.message)
        self.stdout.write(
            f"{job.total_rows} rows: {job.valid_rows} valid "
            f"({job.new_rows} new, {job.valid_rows - job.new_rows} already registered), "
            f"{job.error_rows} with errors"
        )
        if not options["dry_run"]:
            self.stdout.write(
                f"imported in {time.perf_counter() - started:.1f} s: {job.created_rows} created, "
                f"{job.updated_rows} updated, {job.unchanged_rows} unchanged (job {job.pk})"
            )
        if options["errors"]:
            with open(options["errors"], "w", encoding="utf-8", newline="") as out:
                out.writelines(errors_csv(job))
            self.stdout.write(f"error report: {options['errors']}")
        if job.error_rows:
            self.stderr.write(f"{job.error_rows} row(s) failed")
            sys.exit(1)

    def _actor(self, email: str | None) -> User | None:
        if not email:
            return None
        actor = User.objects.filter(email__iexact=email, is_active=True).first()
        if actor is None:
            raise CommandError(f"no active user {email}")
        return actor

    def _start(self, options, actor) -> ImportJob:
        if not options["file"]:
            raise CommandError("give a FILE, or --resume JOB")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"file not found: {path}")
        try:
            job = import_start(
                actor=actor,
                file_name=path.name,
                content=path.read_bytes(),
                enqueue=False,
                bounded=False,  # the upload limits protect the web server, not this
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        return job

    def _progress(self, job: ImportJob) -> None:
        if self.verbosity > 1:
            self.stdout.write(f"  {job.processed_rows} rows")
