"""`garda load_regions`: upsert the Kemendagri region codes into the Region table."""

import time

from django.core.management.base import BaseCommand, CommandError

from garda.places.codes import CSV_PATH
from garda.places.services import regions_load


class Command(BaseCommand):
    help = (
        "Load Indonesian region codes (province to village, current and retired) from "
        "the packaged Kemendagri CSV or --file. Idempotent: inserts new codes, updates "
        "changed ones, never deletes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            default=str(CSV_PATH),
            help="CSV with columns code,name,level,first_edition,last_edition "
            "(default: the packaged wilayah_codes.csv)",
        )

    def handle(self, *args, file: str, **options):
        start = time.perf_counter()
        try:
            result = regions_load(path=file)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - start
        self.stdout.write(
            f"Regions: {result.total} in file, {result.inserted} inserted, "
            f"{result.updated} updated, {result.unchanged} unchanged in {elapsed:.1f} s"
        )
