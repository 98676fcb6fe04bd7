"""The reintegration services: the plan's deadline and the late flag, the follow-up
schedule, one plan under way, the survey scored under the plan's instrument, goals,
completion moving the person to reintegrated; refusals in words, nothing
half-written, one audit row per write."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from garda.audit.models import AuditEvent
from garda.people.models import Person
from garda.places.models import Region
from garda.reintegration.models import Assessment, FollowUp, Goal, Plan
from garda.reintegration.services.plans import (
    ActivePlanExists,
    AssessmentData,
    GoalData,
    PlanData,
    VersionConflict,
    add_months,
    assessment_record,
    followup_record,
    goal_add,
    goal_done,
    plan_complete,
    plan_create,
    plan_withdraw,
)
from garda.reintegration.tests.factories import (
    ANSWERS,
    SCORES,
    make_plan,
    programme,
    returnee,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(alice):
    return returnee(alice, serial=31)


def test_add_months_keeps_the_day_or_the_months_last():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)
    assert add_months(date(2026, 3, 1), 12) == date(2027, 3, 1)


def test_a_plan_is_due_a_month_after_return_with_follow_ups_at_3_6_and_12_months(alice, person):
    Region.objects.create(
        code="31.71",
        name="Kota Jakarta Pusat",
        level="regency",
        first_edition=2016,
        last_edition=2025,
    )
    Person.objects.filter(pk=person.pk).update(regency_code="31.71")
    person.refresh_from_db()
    returned = timezone.localdate() - timedelta(days=10)
    plan = make_plan(alice, person, returned_on=returned)
    assert plan.due_on == returned + timedelta(days=30)
    assert plan.made_on == timezone.localdate() and not plan.made_late
    assert plan.status == "active" and plan.instrument.version == "garda-1"
    assert plan.city_id == "31.71" and plan.agency_id == alice.agency_id
    assert [(f.month, f.due_on) for f in plan.follow_ups.order_by("month")] == [
        (3, add_months(returned, 3)),
        (6, add_months(returned, 6)),
        (12, add_months(returned, 12)),
    ]
    kinds = {g.kind: g.dimension for g in plan.goals.all()}
    assert kinds == {"business_training": "economic", "counselling": "social"}
    row = AuditEvent.objects.get(object_type="reintegration.plan", action="create")
    assert row.object_id == str(plan.pk) and row.reason == ""


def test_a_plan_made_more_than_a_month_after_return_is_late(alice, person):
    plan = make_plan(alice, person, returned_on=timezone.localdate() - timedelta(days=31))
    assert plan.made_late
    assert AuditEvent.objects.get(object_type="reintegration.plan").reason == "plan made late"


def test_one_plan_under_way_per_person(alice, person):
    make_plan(alice, person)
    with pytest.raises(ActivePlanExists) as caught:
        make_plan(alice, person)
    assert caught.value.plan is not None and "sedang berjalan" in " ".join(caught.value.messages)
    assert Plan.objects.count() == 1


@pytest.mark.parametrize(
    "change, field",
    [
        ({"returned_on": timezone.localdate() + timedelta(days=1)}, "returned_on"),
        ({"returned_on": None}, "returned_on"),
        ({"programme_id": 999999}, "programme_id"),
        ({"goals": []}, "goals"),
        ({"goals": [GoalData(kind="teleport", description="x")]}, "goals"),
        ({"goals": [GoalData(kind="capital", description="")]}, "goals"),
        ({"goals": [GoalData(kind="capital", description="Modal", referral_id=424242)]}, "goals"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(alice, person, change, field):
    values = {
        "returned_on": timezone.localdate() - timedelta(days=3),
        "programme_id": programme().pk,
        "goals": [GoalData(kind="capital", description="Modal usaha")],
    }
    values.update(change)
    with pytest.raises(ValidationError) as caught:
        plan_create(actor=alice, person=person, data=PlanData(**values))
    assert field in caught.value.error_dict
    assert not Plan.objects.exists() and not Goal.objects.exists() and not FollowUp.objects.exists()


def test_a_worker_or_trainer_may_not_write_and_the_refusal_is_audited(person, teguh, tono):
    for user in (teguh, tono):
        with pytest.raises(PermissionDenied):
            make_plan(user, person)
    assert (
        AuditEvent.objects.filter(action="denied", reason="reintegration.plan_create").count() == 2
    )
    assert not Plan.objects.exists()


def test_the_assessment_is_recorded_and_a_plan_takes_the_latest(alice, person):
    data = AssessmentData(
        returned_on=timezone.localdate() - timedelta(days=5),
        vulnerability="high",
        economic="Tidak ada penghasilan",
        has_debts=True,
        debts="Utang ke sponsor Rp 10 juta",
    )
    assessment = assessment_record(actor=alice, person=person, data=data)
    assert assessment.assessed_by == alice and assessment.has_debts
    assert make_plan(alice, person).assessment == assessment
    with pytest.raises(ValidationError) as caught:
        assessment_record(
            actor=alice, person=person, data=AssessmentData(returned_on=None, vulnerability="x")
        )
    assert "returned_on" in caught.value.error_dict
    assert Assessment.objects.count() == 1


def test_a_follow_up_stores_the_answers_and_their_scores(alice, person):
    plan = make_plan(alice, person, returned_on=timezone.localdate() - timedelta(days=75))
    row = followup_record(
        actor=alice,
        followup=plan.follow_ups.get(month=3),
        answers={**ANSWERS, "psy_stay": ""},
        remigration="no",
        note="Usaha katering berjalan",
    )
    row.refresh_from_db()
    assert row.scores == SCORES and row.composite == SCORES["composite"]
    assert row.answers == ANSWERS and row.instrument == plan.instrument
    assert row.done_on == timezone.localdate() and row.done_by == alice
    plan.refresh_from_db()
    assert plan.version == 2
    with pytest.raises(ValidationError, match="sudah dicatat"):
        followup_record(actor=alice, followup=row, answers=ANSWERS, remigration="no")


@pytest.mark.parametrize(
    "answers, remigration, field",
    [
        ({"econ_work": "millionaire"}, "no", "answers"),
        ({"favourite_colour": "blue"}, "no", "answers"),
        ({}, "no", "answers"),
        (ANSWERS, "", "remigration"),
    ],
)
def test_answers_that_do_not_fit_are_refused_and_nothing_is_written(
    alice, person, answers, remigration, field
):
    plan = make_plan(alice, person)
    with pytest.raises(ValidationError) as caught:
        followup_record(
            actor=alice,
            followup=plan.follow_ups.get(month=3),
            answers=answers,
            remigration=remigration,
        )
    assert field in caught.value.error_dict
    row = plan.follow_ups.get(month=3)
    assert row.done_on is None and row.scores == {} and row.answers == {}


def test_a_stale_version_is_refused(alice, person):
    plan = make_plan(alice, person)
    goal_add(actor=alice, plan=plan, goal=GoalData(kind="family", description="Mediasi keluarga"))
    with pytest.raises(VersionConflict):
        goal_add(
            actor=alice,
            plan=plan,
            goal=GoalData(kind="care", description="Pemeriksaan"),
            version=1,
        )
    assert plan.goals.count() == 3


def test_goals_are_delivered_and_the_plan_completed_moves_the_person_to_reintegrated(alice, person):
    plan = make_plan(alice, person)
    goal = plan.goals.get(kind="counselling")
    goal.plan = plan
    done = goal_done(actor=alice, goal=goal, provider="Dinsos DKI")
    assert done.status == "done" and done.done_on == timezone.localdate()
    with pytest.raises(ValidationError, match="sudah ditandai"):
        goal_done(actor=alice, goal=goal)
    other = plan.goals.get(kind="business_training")
    other.plan = plan
    with pytest.raises(ValidationError) as caught:
        goal_done(actor=alice, goal=other, referral_id=123456)
    assert "referral_id" in caught.value.error_dict
    plan_complete(actor=alice, plan=plan)
    plan.refresh_from_db()
    person.refresh_from_db()
    assert plan.status == "completed" and person.status == "reintegrated"
    with pytest.raises(ValidationError, match="sudah tidak berjalan"):
        goal_add(actor=alice, plan=plan, goal=GoalData(kind="care", description="x"))
    # A new plan may be made once the last one is no longer under way.
    make_plan(alice, person)


def test_a_withdrawn_plan_leaves_the_status_alone(alice, person):
    plan = make_plan(alice, person)
    plan_withdraw(actor=alice, plan=plan)
    person.refresh_from_db()
    assert person.status == "returned"
    assert Plan.objects.get().status == "withdrawn"


def test_the_assessments_fields_have_indonesian_names():
    from django.utils import translation

    with translation.override("id"):
        names = [
            str(Assessment._meta.get_field(n).verbose_name)
            for n in ("economic", "debts", "has_debts", "skills", "health", "family")
        ]
    assert names[3:] == [
        "keterampilan dan pengalaman kerja",
        "keadaan kesehatan",
        "keadaan keluarga",
    ]
