"""`garda purge`: what the retention rules (data/retention.toml) would remove, and with
--apply, remove it (records and their encrypted files), batch by batch; held records
stay. Each batch and the run itself write an audit row (docs/compliance.md)."""

from django.core.management.base import BaseCommand, CommandError

from garda.compliance import retention
from garda.compliance.services.purge import BATCH, purge


class Command(BaseCommand):
    help = "Remove personal data past its retention time (dry run unless --apply)."

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="remove (default: dry run)")
        parser.add_argument("--rule", help="only this rule (its code in retention.toml)")
        parser.add_argument("--batch-size", type=int, default=BATCH)

    def handle(self, *args, apply: bool, rule: str | None, batch_size: int, **options):
        codes = [r.code for r in retention.rules()]
        if rule and rule not in codes:
            raise CommandError(f"unknown rule {rule!r}; rules: {', '.join(codes)}")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        report = purge(actor=None, apply=apply, only=rule, batch_size=batch_size)
        self.stdout.write("APPLIED" if apply else "DRY RUN (nothing changed; --apply removes)")
        for o in report.outcomes:
            if o.due is None:
                self.stdout.write(f"  {o.code}: kept (nothing to purge)")
                continue
            line = f"  {o.code}: {o.due} past their time, {o.held} held"
            if apply:
                line += f"; removed {o.removed}, files {o.files}, kept for a link {o.kept}"
            self.stdout.write(line)
        if apply:
            self.stdout.write(f"removed {report.removed} records")
