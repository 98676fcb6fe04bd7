"""The reintegration pages (docs/reintegration.md, "Pages"): a person's page with the
late flags, the plan and survey forms (errors on the page, nothing written), the
worklist (late first, a bounded number of queries) and the worker's own page."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.reintegration.models import Assessment, Plan
from garda.reintegration.services.plans import AssessmentData, assessment_record
from garda.reintegration.tests.factories import (
    ANSWERS,
    SCORES,
    make_plan,
    programme,
    repatriated,
    returnee,
)

pytestmark = pytest.mark.django_db


def words(msgid: str) -> str:
    """What an Indonesian page shows for `msgid` (its translation once merged)."""
    with translation.override("id"):
        return gettext(msgid)


def get(client, url):
    return client.get(url, headers={"accept-language": "id"})


@pytest.fixture
def person(alice):
    return returnee(alice, serial=51)


def test_the_person_page_shows_the_plan_goals_follow_ups_and_the_late_flag(alice, person):
    # 75 days after the return: the 3-month follow-up may be recorded (30 days early).
    plan = make_plan(alice, person, returned_on=timezone.localdate() - timedelta(days=75))
    from garda.reintegration.services.plans import followup_record

    followup_record(
        actor=alice, followup=plan.follow_ups.get(month=3), answers=ANSWERS, remigration="no"
    )
    response = get(verified_client(alice), f"/reintegration/people/{person.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert words("Plan made late") in html
    assert "Pelatihan usaha katering" in html and "Konseling psikososial" in html
    assert "0,61" in html or "0.61" in html  # the composite, 0.6056
    assert "0,65" in html or "0.65" in html  # economic
    assert AuditEvent.objects.filter(
        action="view", object_id=str(person.pk), reason="reintegration"
    ).exists()
    assert SCORES["composite"] == 0.6056


def test_no_plan_past_the_deadline_is_flagged_on_the_person_page(alice, person):
    assessment_record(
        actor=alice,
        person=person,
        data=AssessmentData(
            returned_on=timezone.localdate() - timedelta(days=35), vulnerability="medium"
        ),
    )
    html = get(verified_client(alice), f"/reintegration/people/{person.pk}/").content.decode()
    assert words("No plan yet, past the deadline") in html


def test_the_officer_makes_a_plan_from_the_form(alice, person):
    client = verified_client(alice)
    url = f"/reintegration/people/{person.pk}/plan/"
    assert get(client, url).status_code == 200
    response = client.post(
        url,
        {
            "returned_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
            "programme": programme().pk,
            "goal_1_kind": "capital",
            "goal_1_description": "Modal warung sembako",
            "goal_2_kind": "family",
            "goal_2_description": "Mediasi dengan keluarga",
        },
    )
    assert response.status_code == 302
    plan = Plan.objects.get()
    assert sorted(plan.goals.values_list("kind", flat=True)) == ["capital", "family"]


def test_a_bad_plan_form_shows_the_problem_and_writes_nothing(alice, person):
    client = verified_client(alice)
    response = client.post(
        f"/reintegration/people/{person.pk}/plan/",
        {
            "returned_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
            "programme": programme().pk,
        },
        headers={"accept-language": "id"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert words("There is a problem") in html
    assert words("Give the plan at least one goal.") in html
    assert not Plan.objects.exists()


def test_the_survey_form_asks_each_question_and_records_the_scores(alice, person):
    plan = make_plan(alice, person, returned_on=timezone.localdate() - timedelta(days=75))
    client = verified_client(alice)
    url = f"/reintegration/plans/{plan.pk}/follow-ups/3/"
    html = get(client, url).content.decode()
    assert html.count('type="radio"') >= 15 * 2
    assert "Seberapa puas Anda dengan keadaan ekonomi Anda sekarang?" in html
    data = {f"q_{k}": v for k, v in ANSWERS.items()}
    response = client.post(url, {**data, "remigration": "no", "version": plan.version})
    assert response.status_code == 302
    row = plan.follow_ups.get(month=3)
    assert row.scores == SCORES


def test_the_survey_form_without_the_remigration_answer_is_refused(alice, person):
    plan = make_plan(alice, person)
    response = verified_client(alice).post(
        f"/reintegration/plans/{plan.pk}/follow-ups/3/", {"q_econ_work": "none"}
    )
    assert response.status_code == 400
    assert plan.follow_ups.get(month=3).done_on is None


def test_the_assessment_form(alice, person):
    client = verified_client(alice)
    url = f"/reintegration/people/{person.pk}/assessment/"
    assert get(client, url).status_code == 200
    bad = client.post(url, {"returned_on": "", "vulnerability": "high"})
    assert bad.status_code == 400 and not Assessment.objects.exists()
    ok = client.post(
        url, {"returned_on": timezone.localdate().isoformat(), "vulnerability": "high"}
    )
    assert ok.status_code == 302 and Assessment.objects.get().vulnerability == "high"


def test_the_worklist_lists_returnees_without_a_plan_late_first(
    alice, person, django_assert_max_num_queries
):
    from garda.people.tests.factories import register

    late = register(serial=52, full_name="Rina Terlambat")
    repatriated(alice, late, days_ago=45)
    recent = register(serial=53, full_name="Dewi Baru")
    repatriated(alice, recent, days_ago=2)
    planned = returnee(alice, serial=54, full_name="Tuti Berencana")
    make_plan(alice, planned)
    for n in range(5):
        repatriated(alice, register(serial=60 + n, full_name=f"Warga {n}"), days_ago=10 + n)
    client = verified_client(alice)
    with django_assert_max_num_queries(25):
        response = get(client, "/reintegration/due/")
    html = response.content.decode()
    assert "Rina Terlambat" in html and "Dewi Baru" in html and person.full_name in html
    assert "Tuti Berencana" not in html
    assert html.index("Rina Terlambat") < html.index("Dewi Baru")
    assert html.count(words("No plan yet, past the deadline")) == 1


def test_the_worker_reads_their_own_plan_without_forms(alice, wati):
    own = returnee(alice, serial=55, user=wati)
    make_plan(alice, own)
    response = get(verified_client(wati), "/reintegration/me/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pelatihan usaha katering" in html and "<form" not in html.split("<main")[-1]
    assert AuditEvent.objects.filter(
        action="view", actor=wati, object_id=str(own.pk), reason="reintegration"
    ).exists()


@pytest.mark.parametrize("who", ["teguh", "putri", "rina", "wati"])
def test_roles_without_access_get_403_and_a_denied_row(who, request, person):
    user = request.getfixturevalue(who)
    response = get(verified_client(user), f"/reintegration/people/{person.pk}/")
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="denied", actor=user).exists()


def test_a_missing_plan_is_a_404_with_a_denied_row(alice):
    response = get(verified_client(alice), "/reintegration/plans/999999/follow-ups/3/")
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        action="denied", object_type="reintegration.plan", object_id="999999"
    ).exists()


def test_goals_are_added_delivered_and_the_plan_completed_from_the_page(alice, person):
    plan = make_plan(alice, person)
    client = verified_client(alice)
    back = f"/reintegration/people/{person.pk}/"
    response = client.post(
        f"/reintegration/plans/{plan.pk}/goals/",
        {"kind": "capital", "description": "Modal warung", "version": plan.version},
    )
    assert response.status_code == 302 and response["Location"] == back
    goal = plan.goals.get(kind="capital")
    # A stale version: nothing changes, the page says why.
    stale = client.post(f"/reintegration/goals/{goal.pk}/done/", {"version": 1}, follow=True)
    assert (
        words(
            "Someone else changed this plan since you read it: read it again. Nothing was changed."
        )
        in stale.content.decode()
    )
    goal.refresh_from_db()
    assert goal.status == "planned"
    client.post(f"/reintegration/goals/{goal.pk}/done/", {})
    goal.refresh_from_db()
    assert goal.status == "done"
    assert client.post(f"/reintegration/plans/{plan.pk}/complete/", {}).status_code == 302
    plan.refresh_from_db()
    person.refresh_from_db()
    assert plan.status == "completed" and person.status == "reintegrated"
