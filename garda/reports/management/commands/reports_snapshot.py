"""garda reports_snapshot [--period P ...] [--name N ...]: compute the dashboards'
snapshots now (what the hourly job does), and say how long each took. The public
statistics of a year are written once, by the first run after the year ended, and
never rewritten (docs/statistics.md): asked again, they are left as published."""

from django.core.management.base import BaseCommand, CommandError

from garda.reports.snapshots import COMPUTERS, _load_computers, period_bounds, snapshot_all


class Command(BaseCommand):
    help = (
        "Compute the figures' snapshots (default periods: all, this year, last year, this "
        "month); --period and --name choose (each may repeat)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--period", action="append", help="all, a year (2026) or a month (2026-11)"
        )
        parser.add_argument("--name", action="append", help="a figure set (e.g. registrations)")

    def handle(self, *args, period=None, name=None, **options):
        for p in period or ():
            try:
                period_bounds(p)
            except ValueError:
                raise CommandError(
                    f"Not a period: {p!r} (all, a year like 2026, a month like 2026-11)"
                ) from None
        _load_computers()
        unknown = sorted(set(name or ()) - COMPUTERS.keys())
        if unknown:
            raise CommandError(
                f"No such figures: {', '.join(unknown)} (known: {', '.join(COMPUTERS)})"
            )
        written = snapshot_all(periods=period, names=name)
        total = sum(s.seconds for s in written)
        for s in written:
            self.stdout.write(f"{s.name:<16} {s.period:<8} {s.seconds:7.2f} s")
        self.stdout.write(f"{len(written)} snapshots in {total:.1f} s")
