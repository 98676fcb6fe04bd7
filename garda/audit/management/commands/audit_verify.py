from django.core.management.base import BaseCommand

from garda.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exit status 1 at the first broken entry."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, batch_size: int, verbosity: int, **options):
        result = verify_chain(batch_size=batch_size)
        if not result.ok:
            self.stderr.write(f"BROKEN at entry #{result.first_broken_id}: {result.reason}")
            # SystemExit, not CommandError: the message above is the whole report.
            raise SystemExit(1)
        self.stdout.write(f"OK: {result.checked} entries verified")
        if verbosity >= 2 and result.last_hash:
            self.stdout.write(f"Last hash: {result.last_hash}")
