"""The reintegration API (docs/reintegration.md, "API"): the plan with its goals and
follow-up schedule, the late flag, the survey scored in the follow-up's answer, the
instrument's questions; refusals in the project's format with audited denials."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.reintegration.models import Plan
from garda.reintegration.tests.factories import ANSWERS, SCORES, make_plan, programme, returnee

pytestmark = pytest.mark.django_db

JSON = "application/json"


def post(client, url, data, **kwargs):
    return client.post(url, data, content_type=JSON, **kwargs)


@pytest.fixture
def person(alice):
    return returnee(alice, serial=41)


def payload(days_ago: int = 12, **extra) -> dict:
    return {
        "returned_on": (timezone.localdate() - timedelta(days=days_ago)).isoformat(),
        "programme_id": programme().pk,
        "goals": [
            {"kind": "job_at_home", "description": "Kerja di pabrik garmen Cakung"},
            {"kind": "care", "description": "Pemeriksaan kesehatan", "provider": "Puskesmas"},
        ],
        **extra,
    }


def test_an_officer_makes_a_plan_with_goals_and_the_follow_up_schedule(alice, person):
    client = verified_client(alice)
    response = post(client, f"/api/v1/people/{person.pk}/reintegration-plans", payload())
    assert response.status_code == 201, response.content
    body = response.json()
    returned = timezone.localdate() - timedelta(days=12)
    assert body["due_on"] == (returned + timedelta(days=30)).isoformat()
    assert body["made_late"] is False and body["status"] == "active"
    assert [(g["kind"], g["dimension"]) for g in body["goals"]] == [
        ("job_at_home", "economic"),
        ("care", "health"),
    ]
    assert [f["month"] for f in body["follow_ups"]] == [3, 6, 12]
    assert body["instrument"] == "rss garda-1"

    again = post(client, f"/api/v1/people/{person.pk}/reintegration-plans", payload())
    assert again.status_code == 409
    assert again.json()["errors"][0]["code"] == "active_plan"
    assert again.json()["plan_id"] == body["id"]


def test_a_plan_made_after_the_month_is_flagged_late(alice, person):
    response = post(
        verified_client(alice),
        f"/api/v1/people/{person.pk}/reintegration-plans",
        payload(days_ago=45),
    )
    assert response.status_code == 201 and response.json()["made_late"] is True


def test_bad_input_is_a_422_naming_the_field_in_the_readers_language(alice, person):
    response = post(
        verified_client(alice),
        f"/api/v1/people/{person.pk}/reintegration-plans",
        payload(goals=[]),
        headers={"accept-language": "id"},
    )
    assert response.status_code == 422
    error = response.json()["errors"][0]
    with translation.override("id"):
        assert error["field"] == "goals"
        assert error["message"] == gettext("Give the plan at least one goal.")
    assert not Plan.objects.exists()


def test_a_follow_up_answers_with_its_scores(alice, person):
    # 160 days after the return: the 3- and the 6-month follow-ups may be recorded.
    plan = make_plan(alice, person, returned_on=timezone.localdate() - timedelta(days=160))
    client = verified_client(alice)
    url = f"/api/v1/reintegration-plans/{plan.pk}/follow-ups/3"
    response = post(client, url, {"answers": ANSWERS, "remigration": "no", "note": "Baik"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["scores"] == SCORES and body["done_on"] == timezone.localdate().isoformat()
    assert body["remigration"] == "no" and body["instrument"] == "rss garda-1"

    bad = post(
        client,
        f"/api/v1/reintegration-plans/{plan.pk}/follow-ups/6",
        {"answers": {"econ_work": "lottery"}, "remigration": "no"},
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "answers"
    stale = post(
        client,
        f"/api/v1/reintegration-plans/{plan.pk}/follow-ups/6",
        {"answers": ANSWERS, "remigration": "no", "version": 1},
    )
    assert stale.status_code == 409 and stale.json()["version"] == 2
    missing = post(
        client,
        f"/api/v1/reintegration-plans/{plan.pk}/follow-ups/4",
        {"answers": ANSWERS, "remigration": "no"},
    )
    assert missing.status_code == 404
    assert AuditEvent.objects.filter(
        action="denied", object_type="reintegration.followup", object_id=f"{plan.pk}/4"
    ).exists()


def test_goals_are_added_and_delivered(alice, person):
    plan = make_plan(alice, person)
    client = verified_client(alice)
    added = post(
        client,
        f"/api/v1/reintegration-plans/{plan.pk}/goals",
        {"kind": "remigration", "description": "Daftar ulang lewat jalur resmi", "version": 1},
    )
    assert added.status_code == 201 and added.json()["dimension"] == "economic"
    done = post(client, f"/api/v1/reintegration-goals/{added.json()['id']}/done", {})
    assert done.status_code == 200 and done.json()["status"] == "done"


def test_the_assessment_is_recorded(alice, person):
    response = post(
        verified_client(alice),
        f"/api/v1/people/{person.pk}/reintegration-assessments",
        {
            "returned_on": timezone.localdate().isoformat(),
            "vulnerability": "high",
            "has_debts": True,
            "debts": "Utang ke sponsor",
        },
    )
    assert response.status_code == 201 and response.json()["vulnerability"] == "high"


def test_the_worker_reads_their_own_plan_only_and_every_read_is_audited(alice, wati):
    own = returnee(alice, serial=42, user=wati)
    other = returnee(alice, serial=43)
    plan = make_plan(alice, own)
    other_plan = make_plan(alice, other)
    client = verified_client(wati)
    listed = client.get(f"/api/v1/people/{own.pk}/reintegration-plans")
    assert listed.status_code == 200 and [p["id"] for p in listed.json()] == [plan.pk]
    assert client.get(f"/api/v1/reintegration-plans/{plan.pk}").status_code == 200
    views = AuditEvent.objects.filter(
        action="view", object_type="people.person", object_id=str(own.pk), reason="reintegration"
    )
    assert views.count() == 2
    assert client.get(f"/api/v1/reintegration-plans/{other_plan.pk}").status_code == 404
    assert AuditEvent.objects.filter(
        action="denied", object_type="reintegration.plan", object_id=str(other_plan.pk)
    ).exists()
    # Read-only: the worker writes nothing.
    response = post(
        client,
        f"/api/v1/reintegration-plans/{plan.pk}/follow-ups/3",
        {"answers": ANSWERS, "remigration": "no"},
    )
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["teguh", "putri", "rina"])
def test_trainers_partners_and_recruiters_get_403_and_a_denied_row(who, request, alice, person):
    plan = make_plan(alice, person)
    user = request.getfixturevalue(who)
    client = verified_client(user)
    assert client.get(f"/api/v1/reintegration-plans/{plan.pk}").status_code == 403
    assert AuditEvent.objects.filter(
        action="denied", actor=user, reason="api reintegration_plan_detail"
    ).exists()


def test_the_active_instrument_gives_the_questions_in_the_readers_language(alice):
    client = verified_client(alice)
    body = client.get(
        "/api/v1/reintegration-instruments/active", headers={"accept-language": "en"}
    ).json()
    assert body["version"] == "garda-1" and body["official"] is False
    assert [d["code"] for d in body["dimensions"]] == ["economic", "social", "psychosocial"]
    assert sum(len(d["indicators"]) for d in body["dimensions"]) == 15
    assert body["dimensions"][0]["indicators"][0]["options"][0]["label"] == "Very satisfied"


def test_the_list_of_plans_takes_a_fixed_number_of_queries(
    alice, person, django_assert_max_num_queries
):
    from garda.reintegration.services.plans import plan_withdraw

    for _ in range(3):
        plan = make_plan(alice, person)
        plan_withdraw(actor=alice, plan=plan)
    client = verified_client(alice)
    with django_assert_max_num_queries(20):
        response = client.get(f"/api/v1/people/{person.pk}/reintegration-plans")
    assert len(response.json()) == 3
