"""The funnel's pure part (outreach/funnel.py): what counts after a check-in, one
person once, medians. No database."""

from datetime import UTC, date, datetime, timedelta

from garda.outreach.funnel import Attendance, Facts, stages_after, tally

T = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # 09:00 in Jakarta


def test_only_what_happened_after_the_check_in_counts():
    facts = Facts(
        created_at=T - timedelta(days=30),  # in the registry before: not "registered"
        completions=[date(2026, 3, 1), date(2026, 3, 15)],
        placements=[T - timedelta(days=1), T + timedelta(days=20)],
        departures=[T + timedelta(days=40)],
    )
    assert stages_after(T, facts) == {
        "registered": None,
        "trained": 5.0,
        "placed": 20.0,
        "departed": 40.0,
    }


def test_a_record_made_after_attending_is_registered_after():
    out = stages_after(T, Facts(created_at=T + timedelta(days=2, hours=12)))
    assert out["registered"] == 2.5
    assert out["trained"] is out["placed"] is out["departed"] is None


def test_a_training_completed_the_same_day_counts():
    assert stages_after(T, Facts(completions=[date(2026, 3, 10)]))["trained"] == 0.0


def test_tally_counts_a_person_once_from_their_first_check_in_and_takes_medians():
    later = T + timedelta(days=10)
    attendances = [
        Attendance(1, later),
        Attendance(1, T),  # the same person twice: counted once, from T
        Attendance(2, T),
        Attendance(3, T),
        Attendance(None, T),  # a walk-in without a record
    ]
    facts = {
        1: Facts(created_at=T + timedelta(days=1)),
        2: Facts(created_at=T + timedelta(days=3)),
        3: Facts(created_at=T - timedelta(days=3), placements=[T + timedelta(days=7)]),
    }
    out = tally(attendances, facts)
    assert out["attended"] == 4
    assert out["attended_with_record"] == 3
    assert out["already_registered"] == 1
    assert out["registered"] == 2
    assert out["registered_median_days"] == 2.0
    assert out["placed"] == 1 and out["placed_median_days"] == 7.0
    assert out["trained"] == 0 and out["trained_median_days"] is None


def test_an_empty_event_has_zeros_and_no_medians():
    out = tally([], {})
    assert out["attended"] == 0
    assert all(out[f"{s}_median_days"] is None for s in ("registered", "trained"))
