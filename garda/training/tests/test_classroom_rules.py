"""The completion rule and the session calendar on plain values (no database)."""

from datetime import date

import pytest
from django.utils import translation

from garda.training.services.classroom import session_dates
from garda.training.services.completion import evaluate

UNITS = ["C.01", "C.02"]


@pytest.mark.parametrize(
    ("attended", "sessions", "minimum", "competent", "complete", "reasons"),
    [
        # everything met
        (10, 10, 80, {"C.01", "C.02"}, True, []),
        # exactly the minimum counts
        (8, 10, 80, {"C.01", "C.02"}, True, []),
        # just under: 79.x% is not 80%
        (7, 9, 80, {"C.01", "C.02"}, False, ["Attendance 77% below the minimum 80%"]),
        (6, 10, 80, {"C.01", "C.02"}, False, ["Attendance 60% below the minimum 80%"]),
        # a unit not yet competent (or not assessed)
        (10, 10, 80, {"C.01"}, False, ["Unit C.02 not yet competent"]),
        (
            5,
            10,
            80,
            set(),
            False,
            [
                "Attendance 50% below the minimum 80%",
                "Unit C.01 not yet competent",
                "Unit C.02 not yet competent",
            ],
        ),
        # no minimum: attendance never blocks, as long as a session was held
        (0, 4, 0, {"C.01", "C.02"}, True, []),
        # nothing held yet
        (0, 0, 80, {"C.01", "C.02"}, False, ["No session has been held yet"]),
        # a competent unit outside the course does not count
        (10, 10, 80, {"C.01", "X.99"}, False, ["Unit C.02 not yet competent"]),
    ],
)
def test_completion_rule(attended, sessions, minimum, competent, complete, reasons):
    with translation.override("en"):
        result = evaluate(
            attended=attended,
            sessions=sessions,
            min_attendance_percent=minimum,
            unit_codes=UNITS,
            competent_codes=competent,
        )
    assert result.complete is complete
    assert result.reasons == reasons
    assert result.units_total == 2
    assert result.units_competent == len(set(UNITS) & competent)


def test_reasons_in_indonesian():
    with translation.override("id"):
        result = evaluate(
            attended=6,
            sessions=10,
            min_attendance_percent=80,
            unit_codes=["C.24.110.01.017.1"],
            competent_codes=set(),
        )
    assert result.attendance_percent == 60
    assert result.missing_units == ["C.24.110.01.017.1"]
    assert len(result.reasons) == 2


def test_attendance_percent_is_rounded_down_and_capped():
    assert (
        evaluate(
            attended=2, sessions=3, min_attendance_percent=0, unit_codes=[], competent_codes=set()
        ).attendance_percent
        == 66
    )
    over = evaluate(
        attended=5, sessions=3, min_attendance_percent=80, unit_codes=[], competent_codes=set()
    )
    assert over.attended == 3 and over.attendance_percent == 100 and over.complete


@pytest.mark.parametrize(
    ("start", "end", "days", "expected"),
    [
        # Monday 2026-01-05 to Sunday 2026-01-11, weekdays
        (date(2026, 1, 5), date(2026, 1, 11), (0, 1, 2, 3, 4), 5),
        # Saturdays only over two weeks
        (date(2026, 1, 5), date(2026, 1, 18), (5,), 2),
        # a single day that is a Sunday, weekdays only: none
        (date(2026, 1, 11), date(2026, 1, 11), (0, 1, 2, 3, 4), 0),
        # every day
        (date(2026, 1, 1), date(2026, 1, 31), tuple(range(7)), 31),
    ],
)
def test_session_dates(start, end, days, expected):
    dates = session_dates(start, end, days)
    assert len(dates) == expected
    assert all(d.weekday() in days and start <= d <= end for d in dates)
    assert dates == sorted(dates)
