"""The forced-labour screening (docs/cases.md, "Screening and severity"): the ILO
two-element rule turns answers into a level; the level raises the case's severity
(never lowers it) and flags the anti-trafficking task force, as data/policy.toml says."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from garda.audit.models import AuditEvent
from garda.cases import policy, screening
from garda.cases.models import Screening, Severity, SeverityChange
from garda.cases.services.handling import case_severity_change
from garda.cases.services.intake import severity_for, task_force_for
from garda.cases.services.record import screening_record
from garda.cases.tests.factories import case_in_progress, open_case

CLEAN = {
    "documents": "self",
    "movement": "yes",
    "threats": "no",
    "violence": "no",
    "deception": "same",
    "debt": "no",
    "wages": "paid",
    "isolation": "yes",
    "hours": "normal",
    "living": "ok",
    "irregular": "no",
}


def answers(**changed) -> dict:
    return {**CLEAN, **changed}


# --- the question set ---------------------------------------------------------------


def test_eleven_questions_one_per_ilo_indicator_each_with_a_dont_know():
    assert len(screening.QUESTIONS) == 11
    assert len({str(q.indicator) for q in screening.QUESTIONS}) == 11
    for question in screening.QUESTIONS:
        assert "unknown" in {o.code for o in question.options}


# --- the levels ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "changed",
    [{"threats": "yes"}, {"violence": "yes"}, {"violence": "yes", "deception": "different"}],
)
def test_anyone_hurt_or_threatened_is_urgent(changed):
    result = screening.assess(answers(**changed))
    assert result.level == screening.URGENT


@pytest.mark.parametrize("involuntary", [{"deception": "different"}, {"debt": "yes"}])
@pytest.mark.parametrize(
    "coercion",
    [
        {"documents": "held"},
        {"movement": "no"},
        {"wages": "three_months"},
        {"isolation": "no"},
        {"living": "abusive"},
    ],
)
def test_involuntariness_and_coercion_together_are_high(involuntary, coercion):
    result = screening.assess(answers(**involuntary, **coercion))
    assert result.level == screening.HIGH
    assert set(result.indicators) == set(involuntary) | set(coercion)


@pytest.mark.parametrize(
    "changed",
    [
        {"deception": "different"},  # involuntariness alone
        {"debt": "yes"},
        {"documents": "held"},  # coercion alone
        {"movement": "no", "isolation": "no"},  # coercion twice, still no involuntariness
        {"wages": "one_month"},
        {"hours": "excessive"},
        {"irregular": "yes"},
        {"deception": "different", "wages": "one_month"},  # one or two months is not coercion
    ],
)
def test_a_warning_sign_without_both_elements_is_medium(changed):
    assert screening.assess(answers(**changed)).level == screening.MEDIUM


@pytest.mark.parametrize("given", [{}, CLEAN, {code: "unknown" for code in CLEAN}])
def test_nothing_raised_is_none(given):
    result = screening.assess(given)
    assert result.level == screening.NONE
    assert result.indicators == ()


def test_indicators_come_in_question_order_with_their_ilo_names():
    result = screening.assess(answers(living="abusive", documents="held", debt="yes"))
    assert result.indicators == ("documents", "debt", "living")
    with translation.override("id"):
        assert result.indicator_labels[0] == "Penahanan dokumen identitas"
    with translation.override("en"):
        labels = result.indicator_labels
    assert labels == [
        "Retention of identity documents",
        "Debt bondage",
        "Abusive working and living conditions",
    ]


@pytest.mark.parametrize("bad", [{"passport": "held"}, {"documents": "lost"}, {"threats": ""}])
def test_a_question_or_option_that_does_not_exist_is_refused(bad):
    with pytest.raises(screening.ScreeningError):
        screening.assess(bad)


# --- what a level does (policy data) ---------------------------------------------------


def test_the_policy_maps_each_level_to_a_severity_and_the_task_force():
    pol = policy.current()
    assert pol.screening["urgent"] == {"severity": "critical", "task_force": True}
    assert pol.screening["high"] == {"severity": "high", "task_force": True}
    assert pol.screening["medium"] == {"severity": "high", "task_force": False}
    assert severity_for(["wages"], screening.NONE) == Severity.NORMAL
    assert severity_for(["wages"], screening.MEDIUM) == Severity.HIGH
    assert severity_for(["wages", "abuse"], screening.MEDIUM) == Severity.CRITICAL
    assert severity_for(["illness"], screening.URGENT) == Severity.CRITICAL
    assert task_force_for(screening.HIGH) and task_force_for(screening.URGENT)
    assert not task_force_for(screening.MEDIUM) and not task_force_for(screening.NONE)


@pytest.mark.django_db
def test_screening_at_intake_sets_severity_and_flags_the_task_force():
    case, _ = open_case(answers=answers(deception="different", documents="held"))
    assert case.severity == Severity.HIGH
    assert case.task_force
    assert case.screening_level == screening.HIGH
    row = Screening.objects.get(case=case)
    assert row.indicators == ["documents", "deception"]
    assert row.asked_by is None  # the public form


@pytest.mark.django_db
def test_intake_with_bad_answers_is_refused_and_writes_nothing():
    from garda.cases.models import Case

    with pytest.raises(ValidationError) as exc:
        open_case(answers={"documents": "burned"})
    assert "answers" in exc.value.message_dict
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_screening_at_a_contact_raises_the_severity_and_the_clocks_follow(alice):
    case = case_in_progress(officer=alice)
    assert case.severity == Severity.NORMAL and not case.task_force
    due_before = case.clocks.get(name="resolution").due_at
    row = screening_record(actor=alice, case=case, answers=answers(debt="yes", isolation="no"))
    case.refresh_from_db()
    assert row.level == screening.HIGH
    assert case.severity == Severity.HIGH
    assert case.task_force
    change = SeverityChange.objects.get(case=case)
    assert (change.from_severity, change.to_severity, change.reason) == (
        "normal",
        "high",
        "screening",
    )
    assert case.clocks.get(name="resolution").due_at < due_before  # 20 instead of 60 days
    event = AuditEvent.objects.filter(object_id=str(case.pk), action="update").latest("id")
    assert event.reason == "screening high"
    assert "severity" in event.changed_fields and "task_force" in event.changed_fields
    assert not any("yes" in str(f) for f in event.changed_fields)


@pytest.mark.django_db
def test_a_screening_never_lowers_the_severity_nor_clears_the_flag(alice):
    case = case_in_progress(officer=alice, answers=answers(violence="yes"))
    assert case.severity == Severity.CRITICAL and case.task_force
    screening_record(actor=alice, case=case, answers=CLEAN)
    case.refresh_from_db()
    assert case.severity == Severity.CRITICAL
    assert case.task_force
    assert case.screening_level == screening.NONE  # the latest round is shown
    assert not SeverityChange.objects.filter(case=case).exists()


@pytest.mark.django_db
def test_a_clean_screening_does_not_undo_a_supervisors_lowering(alice, bob):
    case = case_in_progress(officer=alice, kinds=["lost_contact"])  # starts high
    case = case_severity_change(
        actor=bob, case=case, severity=Severity.NORMAL, reason="Sudah bisa dihubungi"
    )
    screening_record(actor=alice, case=case, answers=CLEAN)
    case.refresh_from_db()
    assert case.severity == Severity.NORMAL


@pytest.mark.django_db
def test_a_screening_with_bad_or_no_answers_is_refused(alice):
    case = case_in_progress(officer=alice)
    for bad in ({"documents": "burned"}, {"passport": "held"}, {}):
        with pytest.raises(ValidationError) as exc:
            screening_record(actor=alice, case=case, answers=bad)
        assert "answers" in exc.value.message_dict
    assert not Screening.objects.filter(case=case).exists()


@pytest.mark.django_db
def test_only_staff_handling_the_case_record_a_screening(alice, carol, wati):
    from django.core.exceptions import PermissionDenied

    case = case_in_progress(officer=alice)
    for user in (carol, wati):
        with pytest.raises(PermissionDenied):
            screening_record(actor=user, case=case, answers=CLEAN)
    assert AuditEvent.objects.filter(
        action="denied", reason="cases.screening_record", actor=carol
    ).exists()
