"""Case clocks (docs/cases.md, "Clocks"): targets per severity from data/policy.toml,
counted in calendar hours or in working days that skip weekends and the holidays of
data/holidays.toml, on the Jakarta calendar. Time is driven with time_machine."""

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from garda import refdata
from garda.cases import clocks, policy
from garda.cases.models import Severity
from garda.cases.services.handling import case_severity_change
from garda.cases.tests.factories import case_in_progress, open_case

JAKARTA = ZoneInfo("Asia/Jakarta")
UTC = ZoneInfo("UTC")
HOLIDAYS = policy.current().holidays


def at(*args) -> datetime:
    return datetime(*args, tzinfo=JAKARTA)


# --- the engine (pure) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Monday 10:00 + 1 working day = Tuesday 10:00.
        (at(2026, 11, 2, 10, 0), 1, at(2026, 11, 3, 10, 0)),
        # Friday + 1 skips the weekend.
        (at(2026, 11, 6, 10, 0), 1, at(2026, 11, 9, 10, 0)),
        # A start at 23:30 on a working day keeps its time of day.
        (at(2026, 11, 5, 23, 30), 1, at(2026, 11, 6, 23, 30)),
        (at(2026, 11, 6, 23, 30), 3, at(2026, 11, 11, 23, 30)),
        # A start on Saturday counts from Monday 00:00.
        (at(2026, 11, 7, 15, 0), 1, at(2026, 11, 10, 0, 0)),
        # Nyepi and Idul Fitri 2026: 18-24 March are holidays or cuti bersama.
        (at(2026, 3, 17, 9, 0), 1, at(2026, 3, 25, 9, 0)),
        (at(2026, 3, 17, 23, 30), 2, at(2026, 3, 26, 23, 30)),
        (at(2026, 3, 16, 9, 0), 3, at(2026, 3, 26, 9, 0)),
        # A start inside the block counts from the first working day after it.
        (at(2026, 3, 19, 10, 0), 1, at(2026, 3, 26, 0, 0)),
        (at(2026, 3, 21, 8, 0), 5, at(2026, 4, 1, 0, 0)),
        # Good Friday 3 April 2026.
        (at(2026, 4, 2, 14, 0), 1, at(2026, 4, 6, 14, 0)),
        # The year's end: 24 (cuti bersama) and 25 December, then the weekend.
        (at(2026, 12, 23, 10, 0), 1, at(2026, 12, 28, 10, 0)),
        (at(2026, 12, 23, 10, 0), 2, at(2026, 12, 29, 10, 0)),
        (at(2026, 12, 24, 10, 0), 1, at(2026, 12, 29, 0, 0)),
    ],
)
def test_working_days_skip_weekends_and_holidays(start, days, due):
    assert clocks.due_at(start, days, clocks.WORKING_DAYS, HOLIDAYS) == due


def test_calendar_hours_run_through_nights_and_holidays():
    start = at(2026, 3, 20, 23, 30)  # cuti bersama Idul Fitri, late at night
    assert clocks.due_at(start, 2, clocks.HOURS, HOLIDAYS) == at(2026, 3, 21, 1, 30)
    assert clocks.due_at(start, 168, clocks.HOURS, HOLIDAYS) == at(2026, 3, 27, 23, 30)


def test_beyond_the_calendar_on_file_every_weekday_counts():
    """The 2027 decree is not on file yet: 1 January 2027 counts as a working day
    until its days are added (docs/cases.md, "Clocks", says so)."""
    assert policy.holidays_cover_until() == date(2026, 12, 25)
    assert clocks.due_at(at(2026, 12, 31, 9, 0), 1, clocks.WORKING_DAYS, HOLIDAYS) == at(
        2027, 1, 1, 9, 0
    )


def test_a_start_in_utc_is_counted_on_the_jakarta_calendar():
    """06:00 on Monday in Jakarta is still Sunday in UTC: the clock must count from
    Monday morning, not from Monday midnight."""
    monday_6am = at(2026, 11, 9, 6, 0)
    due = policy.current().due("high", "first_response", monday_6am.astimezone(UTC))
    assert due == at(2026, 11, 10, 6, 0)


def test_the_engine_refuses_naive_times_and_unknown_units():
    with pytest.raises(ValueError):
        clocks.due_at(datetime(2026, 11, 2, 10, 0), 1, clocks.HOURS, HOLIDAYS)  # noqa: DTZ001
    with pytest.raises(ValueError):
        clocks.due_at(at(2026, 11, 2, 10, 0), 1, "weeks", HOLIDAYS)


def test_clock_states():
    start, due = at(2026, 11, 2, 10, 0), at(2026, 11, 2, 14, 0)  # a 4-hour window
    kw = {"started_at": start, "due": due, "at_risk_fraction": 0.25}
    assert clocks.state(**kw, done_at=None, now=at(2026, 11, 2, 12, 59)) == clocks.RUNNING
    assert clocks.state(**kw, done_at=None, now=at(2026, 11, 2, 13, 0)) == clocks.AT_RISK
    assert clocks.state(**kw, done_at=None, now=due) == clocks.AT_RISK
    assert clocks.state(**kw, done_at=None, now=due + timedelta(seconds=1)) == clocks.BREACHED
    assert clocks.state(**kw, done_at=due, now=at(2026, 11, 9, 0, 0)) == clocks.MET
    late = due + timedelta(minutes=1)
    assert clocks.state(**kw, done_at=late, now=late) == clocks.BREACHED


# --- the policy data ------------------------------------------------------------------


def test_the_holidays_file_is_the_2026_decree():
    rows = refdata.load(policy.DATA / "holidays.toml")["holidays"]
    days = [row["date"] for row in rows]
    assert days == sorted(days) and len(days) == len(set(days)) == 25  # 17 + 8
    assert all(row["name"].strip() for row in rows)
    assert {date(2026, 3, d) for d in range(18, 25)} <= HOLIDAYS


def test_a_broken_policy_is_refused():
    data = refdata.load(policy.DATA / "policy.toml")
    holidays = frozenset()
    policy._check(data, holidays)  # the file on disk is valid
    for broken in (
        {**data, "clocks": data["clocks"][1:]},  # a clock missing
        {**data, "clocks": [{**data["clocks"][0], "unit": "weeks"}, *data["clocks"][1:]]},
        {**data, "clocks": [{**data["clocks"][0], "amount": 0}, *data["clocks"][1:]]},
        {**data, "at_risk_fraction": 1.5},
        {**data, "kinds": {**data["kinds"], "wages": "urgent"}},
        {**data, "screening": {"high": data["screening"]["high"]}},
    ):
        with pytest.raises(ValueError):
            policy._check(broken, holidays)


def test_targets_per_severity_follow_the_policy_file():
    pol = policy.current()
    start = at(2026, 11, 2, 10, 0)  # Monday
    assert pol.due("critical", "first_response", start) == at(2026, 11, 2, 12, 0)
    assert pol.due("critical", "assignment", start) == at(2026, 11, 2, 14, 0)
    assert pol.due("critical", "resolution", start) == at(2026, 11, 9, 10, 0)
    assert pol.due("high", "first_response", start) == at(2026, 11, 3, 10, 0)
    assert pol.due("normal", "first_response", start) == at(2026, 11, 5, 10, 0)
    assert pol.due("normal", "assignment", start) == at(2026, 11, 9, 10, 0)
    changed = replace(
        pol, targets={**pol.targets, ("normal", "first_response"): policy.Target(1, "hours")}
    )
    assert changed.due("normal", "first_response", start) == at(2026, 11, 2, 11, 0)


# --- clocks on cases, under a controlled clock -------------------------------------------


@pytest.mark.django_db
def test_a_report_just_before_idul_fitri_gets_its_clocks_after_the_holidays():
    with time_machine.travel(at(2026, 3, 17, 16, 0), tick=False):
        case, _ = open_case()
    due = {c.name: c.due_at.astimezone(JAKARTA) for c in case.clocks.all()}
    assert due["first_response"] == at(2026, 3, 27, 16, 0)  # 3 working days: 25, 26, 27
    assert due["assignment"] == at(2026, 3, 31, 16, 0)  # 5: ... 30, 31


@pytest.mark.django_db
def test_a_critical_report_in_the_night_of_a_holiday_is_due_in_two_hours():
    with time_machine.travel(at(2026, 12, 24, 23, 30), tick=False):
        case, _ = open_case(kinds=["abuse"])
    assert case.severity == Severity.CRITICAL
    first = case.clocks.get(name="first_response")
    assert first.due_at.astimezone(JAKARTA) == at(2026, 12, 25, 1, 30)
    assert first.state(now=at(2026, 12, 25, 0, 30)) == clocks.RUNNING
    assert first.state(now=at(2026, 12, 25, 1, 0)) == clocks.AT_RISK
    assert first.state(now=at(2026, 12, 25, 1, 31)) == clocks.BREACHED


@pytest.mark.django_db
def test_clocks_are_met_as_the_case_moves(alice):
    with time_machine.travel(at(2026, 11, 2, 9, 0), tick=False):
        case, _ = open_case()
    with time_machine.travel(at(2026, 11, 3, 9, 0), tick=False):
        from garda.cases.services.handling import case_assign, case_move

        case = case_move(actor=alice, case=case, stage="triaged", reason="dicek")
    with time_machine.travel(at(2026, 11, 10, 9, 0), tick=False):  # 6 working days
        case = case_assign(actor=alice, case=case, officer=alice)
    states = {c.name: c.state(now=at(2026, 11, 10, 9, 0)) for c in case.clocks.all()}
    assert states == {
        "first_response": clocks.MET,
        "assignment": clocks.BREACHED,  # done, but late (5 working days)
        "resolution": clocks.RUNNING,
    }


@pytest.mark.django_db
def test_a_severity_change_moves_the_running_clocks_only(alice, bob):
    with time_machine.travel(at(2026, 11, 2, 9, 0), tick=False):
        case = case_in_progress(officer=alice)
    resolution = case.clocks.get(name="resolution")
    first = case.clocks.get(name="first_response")
    assert first.done_at is not None
    with time_machine.travel(at(2026, 11, 4, 9, 0), tick=False):
        case_severity_change(actor=bob, case=case, severity="critical", reason="Dipukul majikan")
    resolution.refresh_from_db()
    first_after = case.clocks.get(name="first_response")
    # 168 hours from the clock's own start, not from the change.
    assert resolution.due_at.astimezone(JAKARTA) == at(2026, 11, 9, 9, 0)
    assert first_after.due_at == first.due_at  # met clocks keep their target
