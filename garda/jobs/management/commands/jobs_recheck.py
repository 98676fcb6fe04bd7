"""garda jobs_recheck: run the nightly re-check of published job orders now."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date

from garda.jobs.services.orders import orders_recheck


class Command(BaseCommand):
    help = "Re-check every published job order now (the nightly job)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            help="Check as on this day (YYYY-MM-DD), e.g. the day a new wage floor starts. "
            "Default: today.",
        )

    def handle(self, *args, **options):
        today = None
        if options.get("today"):
            try:
                today = parse_date(options["today"])
            except ValueError:
                today = None
            if today is None:
                raise CommandError(f"--today {options['today']!r} is not a date (YYYY-MM-DD)")
        counts = orders_recheck(today=today)
        self.stdout.write(", ".join(f"{k} {v}" for k, v in counts.items()))
