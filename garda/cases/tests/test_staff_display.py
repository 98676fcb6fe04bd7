"""The words and colours of a case (cases/display.py): pure, no database."""

from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from garda.cases import display
from garda.cases.models import Clock, Stage, Status

JAKARTA = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 3, 6, 14, 30, tzinfo=JAKARTA)


def clock(name, due_hours, *, done=False, risk_hours=None, pk=1):
    due = NOW + timedelta(hours=due_hours)
    risk = NOW + timedelta(hours=risk_hours if risk_hours is not None else due_hours - 1)
    return Clock(
        pk=pk,
        name=name,
        started_at=NOW - timedelta(hours=10),
        due_at=due,
        risk_at=risk,
        done_at=NOW - timedelta(hours=1) if done else None,
    )


@pytest.mark.parametrize(
    "row,state,tag",
    [
        (clock("first_response", -1), "breached", "tag-red"),
        (clock("assignment", 1, risk_hours=-1), "at_risk", "tag-yellow"),
        (clock("resolution", 48), "running", "tag-blue"),
        (clock("resolution", 48, done=True), "met", "tag-green"),
    ],
)
def test_clock_states_have_a_word_and_a_colour(row, state, tag):
    view = display.clock_view(row, NOW)
    assert (view.state, view.tag) == (state, tag)
    with translation.override("id"):
        assert display.clock_view(row, NOW).state_label not in ("", state)


def test_nearest_clock_is_the_first_running_one():
    rows = [
        clock("resolution", 48, pk=3),
        clock("first_response", -5, done=True, pk=1),
        clock("assignment", 2, pk=2),
    ]
    assert display.nearest_clock(rows, NOW).name == "assignment"
    assert display.nearest_clock([clock("x", 1, done=True)], NOW) is None


def test_kinds_in_list_order_and_unknown_codes_kept():
    with translation.override("en"):
        assert display.kind_labels(["abuse", "go_home", "abuse"]) == [
            "Wants to go home",
            "Physical or sexual abuse",
        ]
        assert display.kind_labels(["gone"]) == ["gone"]


def test_status_words_are_adjectives_in_indonesian():
    with translation.override("id"):
        assert display.status_label(Status.OPEN) == "Terbuka"
        assert display.status_label(Status.CLOSED) == "Ditutup"


def test_indicators_are_ilo_labels():
    with translation.override("en"):
        assert display.indicator_labels(["documents", "nope", "debt"]) == [
            "Retention of identity documents",
            "Debt bondage",
        ]


@pytest.mark.parametrize(
    "stage,status,owner,pending,words",
    [
        (Stage.NEW, Status.OPEN, False, False, "triase"),
        (Stage.TRIAGED, Status.OPEN, False, False, "petugas"),
        (Stage.IN_PROGRESS, Status.OPEN, True, False, "layanan"),
        (Stage.RESOLVED, Status.OPEN, True, True, "persetujuan supervisor"),
        (Stage.CLOSED, Status.CLOSED, True, False, "dibuka kembali"),
        (Stage.IN_PROGRESS, Status.DUPLICATE, True, False, "duplikat"),
    ],
)
def test_next_step_in_words(stage, status, owner, pending, words):
    with translation.override("id"):
        sentence = display.next_step(
            stage=stage, status=status, has_owner=owner, approval_pending=pending
        )
    assert words in sentence.lower()


def test_every_stage_has_a_next_step():
    for stage in Stage.values:
        case = SimpleNamespace(stage=stage, status=Status.OPEN)
        assert display.next_step(stage=case.stage, status=case.status, has_owner=True)
