"""The snapshot job's registry: each figure set is a function `compute(period) -> dict`
registered under its name; `snapshot_all` runs every one and stores the result
(one `Snapshot` row per name and period, replaced in place).

A figure set registered `final=True` (the public statistics) is different: it is
written once, on the job's first run after its period has ended, and never again —
not by the next run, not when late data for that period arrives. Figures that are
recomputed while the period runs could be subtracted from each other (two releases an
hour apart differ by what happened in the hour), which would give back a cell the
suppression hid; a period written once has nothing to subtract. `accepts` narrows the
periods such a set is written for (the public statistics: calendar years).

A period is "all", a year ("2026") or a month ("2026-11"); `period_bounds` turns it into
the half-open [start, end) datetimes a query filters on (None, None for "all")."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from django.utils import timezone

COMPUTERS: dict[str, Callable[[str], dict]] = {}
# name -> which periods it is written for; written once, after the period ended.
FINAL: dict[str, Callable[[str], bool]] = {}


def register(name: str, *, final: bool = False, accepts: Callable[[str], bool] | None = None):
    """Decorator: `@register("registrations") def compute(period): ...`; `final=True`:
    written once per period, after the period ended (see the module)."""

    def wrap(fn: Callable[[str], dict]) -> Callable[[str], dict]:
        assert name not in COMPUTERS, name
        COMPUTERS[name] = fn
        if final:
            FINAL[name] = accepts or (lambda period: True)
        return fn

    return wrap


def period_ended(period: str, now: dt.datetime | None = None) -> bool:
    """Has `period` ended by `now`? "all" never ends."""
    start, end = period_bounds(period)
    return end is not None and end <= (now or timezone.now())


def period_bounds(period: str) -> tuple[dt.datetime | None, dt.datetime | None]:
    """[start, end) of a period in the project's time zone; ValueError when malformed."""
    if period == "all":
        return None, None
    tz = timezone.get_current_timezone()
    if len(period) == 4 and period.isdigit():
        year = int(period)
        return (
            dt.datetime(year, 1, 1, tzinfo=tz),
            dt.datetime(year + 1, 1, 1, tzinfo=tz),
        )
    if len(period) == 7 and period[4] == "-" and period[:4].isdigit() and period[5:].isdigit():
        year, month = int(period[:4]), int(period[5:])
        if 1 <= month <= 12:
            start = dt.datetime(year, month, 1, tzinfo=tz)
            end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
            return start, end
    raise ValueError(period)


def snapshot_all(periods: list[str] | None = None, names: list[str] | None = None) -> list:
    """Compute and store every registered figure set for each period (default: "all",
    this year and last year, this month, and last month until it has been computed
    once after it ended). Returns the Snapshot rows written: a final
    set (`register(final=True)`) only for a period that has ended and was not written
    before."""
    from garda.reports.models import Snapshot

    _load_computers()
    if periods is None:
        today = timezone.localdate()
        periods = ["all", str(today.year), str(today.year - 1), today.strftime("%Y-%m")]
        previous = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
        if not _final_everywhere(previous):
            # Once more after it ended: its figures are then final (no "out of date").
            periods.append(previous)
    written = []
    for name, fn in COMPUTERS.items():
        if names and name not in names:
            continue
        for period in periods:
            final = name in FINAL
            if final and not _due(name, period):
                continue
            started = time.perf_counter()
            data = fn(period)
            seconds = time.perf_counter() - started
            values = {"data": data, "computed_at": timezone.now(), "seconds": seconds}
            if final:
                # Written once: of two runs racing, the first row stays.
                row, created = Snapshot.objects.get_or_create(
                    name=name, period=period, defaults=values
                )
                if not created:
                    continue
            else:
                row, _ = Snapshot.objects.update_or_create(
                    name=name, period=period, defaults=values
                )
            written.append(row)
    return written


def _final_everywhere(period: str) -> bool:
    """Was every stored snapshot of `period` computed after it ended (and is there one)?"""
    from garda.reports.models import Snapshot

    _start, end = period_bounds(period)
    stored = Snapshot.objects.filter(period=period)
    return stored.exists() and not stored.filter(computed_at__lt=end).exists()


def _due(name: str, period: str) -> bool:
    """A final set is written for an accepted period that has ended, once."""
    from garda.reports.models import Snapshot

    if not FINAL[name](period) or not period_ended(period):
        return False
    return not Snapshot.objects.filter(name=name, period=period).exists()


def _load_computers() -> None:
    """Import the modules that register computers (each registers on import)."""
    # Each part adds its module here.
    import garda.reports.public  # noqa: F401
    from garda.reports import figures

    figures.load()
