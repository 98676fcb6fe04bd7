"""The snapshot job's registry: each figure set is a function `compute(period) -> dict`
registered under its name; `snapshot_all` runs every one and stores the result
(one `Snapshot` row per name and period, replaced in place).

A period is "all", a year ("2026") or a month ("2026-11"); `period_bounds` turns it into
the half-open [start, end) datetimes a query filters on (None, None for "all")."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from django.utils import timezone

COMPUTERS: dict[str, Callable[[str], dict]] = {}


def register(name: str):
    """Decorator: `@register("registrations") def compute(period): ...`."""

    def wrap(fn: Callable[[str], dict]) -> Callable[[str], dict]:
        assert name not in COMPUTERS, name
        COMPUTERS[name] = fn
        return fn

    return wrap


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
    this year and last year, this month). Returns the Snapshot rows written."""
    from garda.reports.models import Snapshot

    _load_computers()
    if periods is None:
        today = timezone.localdate()
        periods = ["all", str(today.year), str(today.year - 1), today.strftime("%Y-%m")]
    written = []
    for name, fn in COMPUTERS.items():
        if names and name not in names:
            continue
        for period in periods:
            started = time.perf_counter()
            data = fn(period)
            seconds = time.perf_counter() - started
            row, _ = Snapshot.objects.update_or_create(
                name=name,
                period=period,
                defaults={"data": data, "computed_at": timezone.now(), "seconds": seconds},
            )
            written.append(row)
    return written


def _load_computers() -> None:
    """Import the modules that register computers (each registers on import)."""
    # Each part adds its module here.
    import garda.reports.public  # noqa: F401
    from garda.reports import figures

    figures.load()
