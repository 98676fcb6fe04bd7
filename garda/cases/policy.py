"""The case policy as data: clock targets per severity, at-risk share, escalation,
the severity each kind starts at, what a screening result does (data/policy.toml),
and the holidays the working-day clocks skip (data/holidays.toml). Read once."""

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from django.utils import timezone

from garda import refdata
from garda.cases import clocks, screening

DATA = Path(__file__).resolve().parent / "data"
SEVERITIES = ("normal", "high", "critical")
CLOCK_NAMES = ("first_response", "assignment", "resolution")


@dataclass(frozen=True)
class Target:
    amount: int
    unit: str


@dataclass(frozen=True)
class Policy:
    targets: dict  # (severity, clock name) -> Target
    at_risk_fraction: float
    head_of_unit_after_hours: int
    kind_severity: dict  # kind -> severity
    screening: dict  # level -> {"severity", "task_force"}
    holidays: frozenset[date]

    def due(self, severity: str, name: str, start: datetime) -> datetime:
        """When the clock `name` of a case of `severity` started at `start` falls due.
        Working days are counted on the Jakarta calendar (TIME_ZONE), whatever zone
        `start` comes in (timezone.now() is UTC)."""

        target = self.targets[(severity, name)]
        return clocks.due_at(timezone.localtime(start), target.amount, target.unit, self.holidays)


def _check(data: dict, holidays: frozenset[date]) -> Policy:
    targets = {}
    for row in data["clocks"]:
        if row["unit"] not in clocks.UNITS or row["amount"] <= 0:
            raise ValueError(f"bad clock row {row!r}")
        targets[(row["severity"], row["name"])] = Target(row["amount"], row["unit"])
    missing = {(s, n) for s in SEVERITIES for n in CLOCK_NAMES} - set(targets)
    if missing:
        raise ValueError(f"policy.toml lacks clocks {sorted(missing)}")
    fraction = float(data["at_risk_fraction"])
    if not 0 < fraction < 1:
        raise ValueError("at_risk_fraction must lie between 0 and 1")
    levels = data["screening"]
    if set(levels) != {screening.MEDIUM, screening.HIGH, screening.URGENT}:
        raise ValueError("policy.toml [screening] needs medium, high and urgent")
    for value in (*data["kinds"].values(), *(v["severity"] for v in levels.values())):
        if value not in SEVERITIES:
            raise ValueError(f"unknown severity {value!r}")
    return Policy(
        targets=targets,
        at_risk_fraction=fraction,
        head_of_unit_after_hours=int(data["escalation"]["head_of_unit_after_hours"]),
        kind_severity=dict(data["kinds"]),
        screening=levels,
        holidays=holidays,
    )


@lru_cache(maxsize=1)
def current() -> Policy:
    holidays = frozenset(row["date"] for row in refdata.load(DATA / "holidays.toml")["holidays"])
    return _check(refdata.load(DATA / "policy.toml"), holidays)


def holidays_cover_until() -> date | None:
    """The last holiday on file (the deploy check warns when the calendar runs out)."""
    days = current().holidays
    return max(days) if days else None
