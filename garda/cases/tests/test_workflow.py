"""The workflow (docs/cases.md, "Workflow"): stages move one step at a time along
workflow.MOVES; any other move is a skip, refused (the API's 409) with nothing
written; a case closes early only with a closing reason of Perban BP2MI 6/2024
art. 30 (or a withdrawal); a closed case reopens."""

from itertools import product

import pytest
from django.core.exceptions import ValidationError

from garda.audit.models import AuditEvent
from garda.cases import workflow
from garda.cases.models import ClosingReason, Stage, StageChange, Status
from garda.cases.services.handling import case_move, case_reopen
from garda.cases.tests.factories import case_at

PAIRS = list(product(workflow.STAGES, workflow.STAGES))


def test_the_stages_and_reasons_match_the_model_choices():
    assert tuple(Stage.values) == workflow.STAGES
    assert tuple(ClosingReason.values) == workflow.CLOSING_REASONS
    assert set(workflow.MOVES) == set(workflow.STAGES)


@pytest.mark.parametrize(("current", "wanted"), PAIRS)
def test_every_pair_of_stages(current, wanted):
    """A move along MOVES passes; everything else is a skip. Closing needs a reason."""
    reason = workflow.RESOLVED_REASON if current == workflow.RESOLVED else "handed_over"
    if wanted in workflow.MOVES[current]:
        workflow.check_move(current, wanted, closing_reason=reason)
        return
    if wanted == workflow.CLOSED and current != workflow.CLOSED:
        # An early close from an open stage (resolved closes as resolved, above).
        workflow.check_move(current, wanted, closing_reason="handed_over")
        return
    with pytest.raises(workflow.SkippedStage) as exc:
        workflow.check_move(current, wanted, closing_reason=reason)
    assert (exc.value.current, exc.value.wanted) == (current, wanted)


@pytest.mark.parametrize("current", [s for s in workflow.STAGES if s not in ("resolved", "closed")])
def test_resolved_is_not_a_reason_to_close_before_resolving(current):
    with pytest.raises(workflow.SkippedStage):
        workflow.check_move(current, workflow.CLOSED, closing_reason=workflow.RESOLVED_REASON)
    for reason in workflow.EARLY_REASONS:
        workflow.check_move(current, workflow.CLOSED, closing_reason=reason)
    assert workflow.CLOSED in workflow.allowed(current)


def test_unknown_stages_are_skips():
    with pytest.raises(workflow.SkippedStage):
        workflow.check_move(workflow.NEW, "archived")
    assert workflow.allowed(workflow.CLOSED) == frozenset()


# --- through the service, on the database ----------------------------------------------


def _expected_ok(current: str, wanted: str) -> bool:
    if wanted == workflow.CLOSED:
        return current != workflow.CLOSED
    if wanted == workflow.ASSIGNED:
        return False  # only case_assign moves a case to "assigned" (it needs an owner)
    return wanted in workflow.MOVES[current]


@pytest.mark.django_db
@pytest.mark.parametrize(("current", "wanted"), PAIRS)
def test_every_move_through_the_service(current, wanted, alice, bob):
    case = case_at(current, officer=alice)
    version = case.version
    changes = StageChange.objects.filter(case=case).count()
    closing = "" if current == workflow.RESOLVED else "handed_over"
    # A report nobody holds yet (new, triaged) is closed by a supervisor.
    actor = bob if wanted == workflow.CLOSED and case.owner_id is None else alice
    if _expected_ok(current, wanted):
        case = case_move(
            actor=actor, case=case, stage=wanted, reason="langkah", closing_reason=closing
        )
        case.refresh_from_db()
        assert case.stage == wanted
        assert case.version == version + 1
        last = StageChange.objects.filter(case=case).last()
        assert (last.from_stage, last.to_stage, last.reason, last.actor) == (
            current,
            wanted,
            "langkah",
            actor,
        )
        event = AuditEvent.objects.filter(object_id=str(case.pk), action="update").latest("id")
        assert event.reason == f"{current} -> {wanted}"
        assert "stage" in event.changed_fields
        assert "langkah" not in str(event.changed_fields)
        if wanted == workflow.CLOSED:
            assert case.status == Status.CLOSED and case.closed_at is not None
            assert case.closing_reason == (closing or workflow.RESOLVED_REASON)
        return
    expected = (workflow.SkippedStage, ValidationError)
    with pytest.raises(expected):
        case_move(actor=alice, case=case, stage=wanted, reason="lompat", closing_reason=closing)
    case.refresh_from_db()
    assert case.stage == current
    assert case.version == version
    assert StageChange.objects.filter(case=case).count() == changes


@pytest.mark.django_db
def test_assigned_without_an_owner_is_refused_with_a_message(alice):
    case = case_at(Stage.TRIAGED, officer=alice)
    with pytest.raises(ValidationError) as exc:
        case_move(actor=alice, case=case, stage=Stage.ASSIGNED, reason="x")
    assert [e.code for e in exc.value.error_dict["stage"]] == ["no_owner"]


@pytest.mark.django_db
@pytest.mark.parametrize("reason", workflow.EARLY_REASONS)
def test_early_closes_record_their_reason(reason, alice):
    case = case_at(Stage.IN_PROGRESS, officer=alice)
    case = case_move(
        actor=alice,
        case=case,
        stage=Stage.CLOSED,
        reason="Tidak bisa dihubungi",
        closing_reason=reason,
    )
    case.refresh_from_db()
    assert (case.stage, case.status, case.closing_reason) == ("closed", "closed", reason)


@pytest.mark.django_db
def test_a_supervisor_closes_a_queue_report_early(alice, bob):
    case = case_at(Stage.NEW, officer=alice)
    case = case_move(
        actor=bob,
        case=case,
        stage=Stage.CLOSED,
        reason="Kewenangan Dinsos",
        closing_reason="handed_over",
    )
    assert case.status == Status.CLOSED


@pytest.mark.django_db
def test_an_early_close_needs_a_listed_reason(alice):
    case = case_at(Stage.IN_PROGRESS, officer=alice)
    with pytest.raises(ValidationError) as exc:
        case_move(actor=alice, case=case, stage=Stage.CLOSED, reason="tutup")
    assert "closing_reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        case_move(
            actor=alice, case=case, stage=Stage.CLOSED, reason="tutup", closing_reason="bored"
        )
    assert "closing_reason" in exc.value.message_dict
    with pytest.raises(workflow.SkippedStage):
        case_move(
            actor=alice, case=case, stage=Stage.CLOSED, reason="tutup", closing_reason="resolved"
        )
    case.refresh_from_db()
    assert case.is_open


@pytest.mark.django_db
def test_every_move_needs_a_reason(alice):
    case = case_at(Stage.NEW, officer=alice)
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as exc:
            case_move(actor=alice, case=case, stage=Stage.TRIAGED, reason=reason)
        assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError):
        case_move(actor=alice, case=case, stage=Stage.TRIAGED, reason="x" * 501)
    case.refresh_from_db()
    assert case.stage == Stage.NEW


# --- reopening ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_closed_case_reopens_in_progress_with_its_officer(alice):
    case = case_at(Stage.CLOSED, officer=alice)
    resolution = case.clocks.get(name="resolution")
    assert resolution.done_at is not None
    case = case_reopen(actor=alice, case=case, reason="Gaji belum dibayar lagi")
    case.refresh_from_db()
    assert (case.stage, case.status, case.closing_reason, case.closed_at) == (
        "in_progress",
        "open",
        "",
        None,
    )
    assert case.reopened_count == 1
    resolution.refresh_from_db()
    assert resolution.done_at is None and resolution.escalation_level == 0
    last = StageChange.objects.filter(case=case).last()
    assert (last.from_stage, last.to_stage) == ("closed", "in_progress")


@pytest.mark.django_db
def test_a_case_closed_from_the_queue_reopens_triaged(alice, bob):
    case = case_at(Stage.NEW, officer=alice)
    case = case_move(
        actor=bob,
        case=case,
        stage=Stage.CLOSED,
        reason="Diserahkan",
        closing_reason="handed_over",
    )
    # Nobody holds it: a supervisor reopens it, back to the queue.
    case = case_reopen(actor=bob, case=case, reason="Dikembalikan oleh Dinsos")
    assert (case.stage, case.status, case.owner) == ("triaged", "open", None)


@pytest.mark.django_db
def test_only_a_closed_case_reopens(alice):
    case = case_at(Stage.IN_PROGRESS, officer=alice)
    with pytest.raises(workflow.SkippedStage):
        case_reopen(actor=alice, case=case, reason="lagi")
    with pytest.raises(ValidationError):
        case_reopen(actor=alice, case=case_at(Stage.CLOSED, officer=alice), reason="")


@pytest.mark.django_db
def test_taking_back_a_resolved_case_restarts_the_resolution_clock(alice):
    case = case_at(Stage.RESOLVED, officer=alice)
    assert case.clocks.get(name="resolution").done_at is not None
    case = case_move(actor=alice, case=case, stage=Stage.IN_PROGRESS, reason="Belum selesai")
    assert case.clocks.get(name="resolution").done_at is None
