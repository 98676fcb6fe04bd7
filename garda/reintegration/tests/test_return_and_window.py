"""The plan's return day cannot be moved later than the records say (the late flag
is not dodged), and a follow-up cannot be recorded long before it is due."""

import dataclasses
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.formats import date_format

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.reintegration import policy
from garda.reintegration.models import Assessment, FollowUp, Goal, Plan
from garda.reintegration.services.plans import (
    AssessmentData,
    GoalData,
    PlanData,
    add_months,
    assessment_record,
    followup_record,
    known_return,
    plan_create,
)
from garda.reintegration.tests.factories import (
    ANSWERS,
    make_plan,
    programme,
    repatriated,
    returnee,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(alice):
    return returnee(alice, serial=91)


def day(value) -> str:
    with translation.override("id"):
        return date_format(value, "j F Y")


def later_refused(known) -> str:
    return (
        f"Menurut catatan, orang ini pulang pada {day(known)}. Tanggal yang lebih lambat "
        "memerlukan alasan koreksinya."
    )


def _data(**extra) -> PlanData:
    values = {
        "returned_on": None,
        "programme_id": programme().pk,
        "goals": [GoalData(kind="capital", description="Modal usaha")],
    }
    values.update(extra)
    return PlanData(**values)


def _assessed(alice, person, days_ago: int) -> Assessment:
    return assessment_record(
        actor=alice,
        person=person,
        data=AssessmentData(
            returned_on=timezone.localdate() - timedelta(days=days_ago), vulnerability="medium"
        ),
    )


def test_a_plan_dated_today_after_a_return_90_days_ago_is_refused(alice, person):
    _assessed(alice, person, 90)
    known = timezone.localdate() - timedelta(days=90)
    with pytest.raises(ValidationError) as caught:
        plan_create(actor=alice, person=person, data=_data(returned_on=timezone.localdate()))
    assert caught.value.message_dict == {"returned_on": [later_refused(known)]}
    assert not Plan.objects.exists() and not Goal.objects.exists()
    assert not FollowUp.objects.exists()
    assert not AuditEvent.objects.filter(object_type="reintegration.plan").exists()


def test_without_a_date_the_plan_takes_the_known_return_and_is_late(alice, person):
    _assessed(alice, person, 90)
    plan = plan_create(actor=alice, person=person, data=_data())
    assert plan.returned_on == timezone.localdate() - timedelta(days=90)
    assert plan.made_late and plan.return_correction == ""
    assert AuditEvent.objects.get(object_type="reintegration.plan").reason == "plan made late"


def test_an_earlier_date_than_the_known_return_needs_no_reason(alice, person):
    _assessed(alice, person, 20)
    plan = plan_create(
        actor=alice,
        person=person,
        data=_data(returned_on=timezone.localdate() - timedelta(days=45)),
    )
    assert plan.made_late and plan.return_correction == ""


def test_a_later_date_with_a_reason_is_kept_and_audited(alice, person):
    _assessed(alice, person, 90)
    reason = "Asesmen salah tanggal; tiket pesawat menunjukkan tanggal 10 hari lalu"
    plan = plan_create(
        actor=alice,
        person=person,
        data=_data(returned_on=timezone.localdate() - timedelta(days=10), return_correction=reason),
    )
    plan.refresh_from_db()
    assert plan.returned_on == timezone.localdate() - timedelta(days=10)
    assert plan.return_correction == reason and not plan.made_late
    row = AuditEvent.objects.get(object_type="reintegration.plan", action="update")
    assert row.reason == "return date corrected" and row.object_id == str(plan.pk)
    assert set(row.changed_fields) == {"returned_on", "return_correction"}


def test_the_repatriations_arrival_is_the_known_return(alice, person):
    repatriated(alice, person, days_ago=60)
    arrived = timezone.localdate() - timedelta(days=60)
    assert known_return(person) == arrived
    with pytest.raises(ValidationError) as caught:
        plan_create(
            actor=alice,
            person=person,
            data=_data(returned_on=timezone.localdate() - timedelta(days=5)),
        )
    assert caught.value.message_dict["returned_on"] == [later_refused(arrived)]
    plan = plan_create(actor=alice, person=person, data=_data())
    assert plan.returned_on == arrived and plan.made_late


def test_nothing_known_and_no_date_is_refused(alice, person):
    assert known_return(person) is None
    with pytest.raises(ValidationError) as caught:
        plan_create(actor=alice, person=person, data=_data())
    assert caught.value.message_dict == {"returned_on": ["Bidang ini tidak boleh kosong."]}


def test_the_api_refuses_the_later_date_with_422_and_defaults_to_the_known_one(alice, person):
    _assessed(alice, person, 90)
    known = timezone.localdate() - timedelta(days=90)
    client = verified_client(alice)
    body = {
        "programme_id": programme().pk,
        "goals": [{"kind": "capital", "description": "Modal usaha"}],
    }
    url = f"/api/v1/people/{person.pk}/reintegration-plans"
    answer = client.post(
        url,
        {**body, "returned_on": timezone.localdate().isoformat()},
        content_type="application/json",
    )
    assert answer.status_code == 422
    error = answer.json()["errors"][0]
    assert (error["field"], error["message"]) == ("returned_on", later_refused(known))
    assert not Plan.objects.exists()
    answer = client.post(url, body, content_type="application/json")
    assert answer.status_code == 201
    assert answer.json()["returned_on"] == known.isoformat() and answer.json()["made_late"]


def test_the_plan_page_refuses_the_later_date_and_offers_the_known_one(alice, person):
    _assessed(alice, person, 90)
    known = timezone.localdate() - timedelta(days=90)
    client = verified_client(alice)
    url = f"/reintegration/people/{person.pk}/plan/"
    page = client.get(url)
    assert page.status_code == 200 and f'value="{known.isoformat()}"' in page.content.decode()
    data = {
        "returned_on": timezone.localdate().isoformat(),
        "programme": programme().pk,
        "goal_1_kind": "capital",
        "goal_1_description": "Modal usaha",
    }
    answer = client.post(url, data)
    assert answer.status_code == 400
    assert later_refused(known) in answer.content.decode()
    assert not Plan.objects.exists()
    answer = client.post(url, {**data, "return_correction": "Tanggal di asesmen keliru"})
    assert answer.status_code == 302
    assert Plan.objects.get().return_correction == "Tanggal di asesmen keliru"


# --- follow-ups: not long before they are due ----------------------------------------


def early_refused(followup, done_on, days=30) -> str:
    return (
        f"Pemantauan ini jatuh tempo pada {day(followup.due_on)}: dapat dicatat paling "
        f"cepat {days} hari sebelumnya, tidak pada {day(done_on)}."
    )


def test_a_follow_up_long_before_its_due_day_is_refused(alice, person):
    plan = make_plan(alice, person, returned_on=timezone.localdate() - timedelta(days=10))
    followup = plan.follow_ups.get(month=3)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        followup_record(actor=alice, followup=followup, answers=ANSWERS, remigration="no")
    assert caught.value.message_dict == {"done_on": [early_refused(followup, today)]}
    followup.refresh_from_db()
    assert followup.done_on is None and followup.scores == {}
    plan.refresh_from_db()
    assert plan.version == 1


def test_a_follow_up_from_the_window_on_is_recorded(alice, person):
    returned = timezone.localdate() - timedelta(days=70)
    plan = make_plan(alice, person, returned_on=returned)
    followup = plan.follow_ups.get(month=3)
    assert followup.due_on == add_months(returned, 3)
    first = followup.due_on - timedelta(days=30)
    with pytest.raises(ValidationError) as caught:
        followup_record(
            actor=alice,
            followup=followup,
            answers=ANSWERS,
            remigration="no",
            done_on=first - timedelta(days=1),
        )
    assert caught.value.message_dict["done_on"] == [
        early_refused(followup, first - timedelta(days=1))
    ]
    row = followup_record(
        actor=alice, followup=followup, answers=ANSWERS, remigration="no", done_on=first
    )
    assert row.done_on == first


def test_the_window_is_local_policy(alice, person, monkeypatch):
    assert policy.current().follow_up_early_days == 30
    wide = dataclasses.replace(policy.current(), follow_up_early_days=100)
    monkeypatch.setattr(policy, "current", lambda: wide)
    plan = make_plan(alice, person, returned_on=timezone.localdate() - timedelta(days=10))
    row = followup_record(
        actor=alice, followup=plan.follow_ups.get(month=3), answers=ANSWERS, remigration="no"
    )
    assert row.done_on == timezone.localdate()


def test_the_api_refuses_an_early_follow_up_with_422(alice, person):
    plan = make_plan(alice, person, returned_on=timezone.localdate() - timedelta(days=10))
    followup = plan.follow_ups.get(month=3)
    answer = verified_client(alice).post(
        f"/api/v1/reintegration-plans/{plan.pk}/follow-ups/3",
        {"answers": ANSWERS, "remigration": "no"},
        content_type="application/json",
    )
    assert answer.status_code == 422
    error = answer.json()["errors"][0]
    assert error["field"] == "done_on"
    assert error["message"] == early_refused(followup, timezone.localdate())
