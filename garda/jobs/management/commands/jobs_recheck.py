"""garda jobs_recheck: run the nightly re-check of published job orders now."""

from django.core.management.base import BaseCommand

from garda.jobs.services.orders import orders_recheck


class Command(BaseCommand):
    help = "Re-check every published job order now (the nightly job)."

    def handle(self, *args, **options):
        counts = orders_recheck()
        self.stdout.write(", ".join(f"{k} {v}" for k, v in counts.items()))
