"""Case clocks: when a target falls due and how a clock stands (docs/cases.md, "Clocks").

Pure: no database; the policy and the holidays come from `policy.py` as plain values.
Two ways of counting (data/policy.toml):
- calendar hours: the due time is the start plus the hours, nights and holidays
  included;
- working days: Monday to Friday, minus the holidays. N working days after a start
  on a working day is the same time of day on the Nth working day after it; a start
  on a non-working day counts from the beginning of the next working day. Days are
  Jakarta days: the caller passes the start in local time (policy.Policy.due does);
  a start given in UTC is a day early for anything before 07:00 in Jakarta.
"""

from datetime import UTC, date, datetime, timedelta

HOURS = "hours"
WORKING_DAYS = "working_days"
UNITS = (HOURS, WORKING_DAYS)

MET, RUNNING, AT_RISK, BREACHED = "met", "running", "at_risk", "breached"
STATES = (MET, RUNNING, AT_RISK, BREACHED)


def is_working_day(day: date, holidays: frozenset[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def next_working_day(day: date, holidays: frozenset[date]) -> date:
    day += timedelta(days=1)
    while not is_working_day(day, holidays):
        day += timedelta(days=1)
    return day


def add_working_days(start: datetime, days: int, holidays: frozenset[date]) -> datetime:
    """`days` working days after `start` (an aware local datetime)."""
    if not is_working_day(start.date(), holidays):
        day = next_working_day(start.date(), holidays)
        start = start.replace(
            year=day.year, month=day.month, day=day.day, hour=0, minute=0, second=0, microsecond=0
        )
    day = start.date()
    for _ in range(days):
        day = next_working_day(day, holidays)
    # The same wall-clock time (zoneinfo resolves the offset of the new day).
    return datetime.combine(day, start.time(), tzinfo=start.tzinfo)


def due_at(start: datetime, amount: int, unit: str, holidays: frozenset[date]) -> datetime:
    if start.tzinfo is None:
        raise ValueError("start must be an aware datetime")
    if unit == HOURS:
        # Elapsed time, whatever the zone's offsets do meanwhile.
        return (start.astimezone(UTC) + timedelta(hours=amount)).astimezone(start.tzinfo)
    if unit == WORKING_DAYS:
        return add_working_days(start, amount, holidays)
    raise ValueError(f"unknown unit {unit!r}")


def state(
    *,
    started_at: datetime,
    due: datetime,
    done_at: datetime | None,
    now: datetime,
    at_risk_fraction: float,
) -> str:
    """met: done in time; breached: done late, or not done and past due; at_risk: not
    done and less than `at_risk_fraction` of the window left; running: otherwise."""
    if done_at is not None:
        return MET if done_at <= due else BREACHED
    if now > due:
        return BREACHED
    return AT_RISK if now >= risk_at(started_at, due, at_risk_fraction) else RUNNING


def risk_at(started_at: datetime, due: datetime, at_risk_fraction: float) -> datetime:
    """The moment a running clock turns at risk."""
    return due - (due - started_at) * at_risk_fraction
