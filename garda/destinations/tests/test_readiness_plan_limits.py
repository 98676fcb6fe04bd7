"""What a placement plan may name: a departure at most ten years ahead (a far date
once made the rules overflow: a 500 on every readiness page, for good), and only
published destinations (a draft is an administrator's)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import verified_client
from garda.destinations import rules
from garda.destinations.models import Destination, Plan
from garda.destinations.services.plans import MAX_DEPARTURE_YEARS, latest_departure
from garda.destinations.tests.factories_readiness import (
    KR_QUERY,
    document,
)

KR_FORM = KR_QUERY


def put_plan(client, person, **data):
    return client.put(
        f"/api/v1/people/{person.pk}/plan", {**KR_QUERY, **data}, content_type="application/json"
    )


def errors(response) -> set[tuple[str, str]]:
    return {(e["field"], e["code"]) for e in response.json()["errors"]}


# --- the planned departure --------------------------------------------------------------


@pytest.mark.parametrize("far", ["9999-12-01", "2206-01-01"])
def test_a_far_departure_is_refused_naming_the_field(person, wati, kr_set, far):
    response = put_plan(verified_client(wati), person, planned_departure=far)
    assert response.status_code == 422
    assert errors(response) == {("planned_departure", "departure_too_far")}
    assert not Plan.objects.exists()


def test_ten_years_ahead_is_the_limit(person, wati, kr_set):
    client = verified_client(wati)
    latest = latest_departure(timezone.localdate())
    assert latest.year == timezone.localdate().year + MAX_DEPARTURE_YEARS
    assert put_plan(client, person, planned_departure=str(latest)).status_code == 200
    late = put_plan(client, person, planned_departure=str(latest + timedelta(days=1)))
    assert late.status_code == 422
    assert errors(late) == {("planned_departure", "departure_too_far")}


def test_the_form_explains_a_far_departure(person, wati, kr_set):
    client = verified_client(wati)
    client.cookies["django_language"] = "en"
    page = client.post(
        reverse("destinations:my_plan"), {**KR_FORM, "planned_departure": "9999-12-01"}
    )
    assert page.status_code == 200
    assert f"at most {MAX_DEPARTURE_YEARS} years from today" in page.content.decode()
    assert not Plan.objects.exists()


def test_a_far_departure_already_stored_does_not_break_readiness(person, wati, kr_set):
    """A plan saved before the limit: the API, the page and the PDF still answer."""
    client = verified_client(wati)
    assert put_plan(client, person).status_code == 200
    Plan.objects.update(planned_departure=date(9999, 12, 1))
    document(person, "passport", expires_on=timezone.localdate().replace(year=2040))
    document(person, "medical", issued_on=timezone.localdate())
    body = client.get(f"/api/v1/people/{person.pk}/readiness").json()
    states = {r["code"]: r["state"] for r in body["requirements"]}
    assert states["passport"] == "expiring" and body["planned_departure"] == "9999-12-01"
    assert client.get(reverse("destinations:my_readiness")).status_code == 200
    assert client.get(reverse("accompaniment:my_summary_pdf")).status_code == 200


def test_the_engine_survives_the_calendar_s_end():
    assert rules.add_months(date(9999, 12, 1), 18) == date.max
    assert rules.add_months(date(9999, 1, 31), 1) == date(9999, 2, 28)
    assert rules.add_months(date(1, 1, 1), -1) == date.min
    assert rules.birthday(date(9990, 2, 28), 18) == date.max
    inputs = rules.Inputs(
        person=rules.PersonFacts(birth_date=date(2000, 1, 1), sex="F", education="sma"),
        documents={
            "passport": rules.DocumentFacts("verified", expires_on=date(9999, 6, 1)),
            "medical": rules.DocumentFacts("verified", issued_on=date(9999, 11, 30)),
        },
        target=rules.TargetFacts(
            key="KR:x:y",
            today=date(2026, 1, 1),
            planned_departure=date(9999, 12, 1),
            requirement_set=rules.RequirementSetFacts(
                id=1,
                max_age=39,
                requirements=(
                    rules.RequirementFacts("passport", "Passport", min_remaining_months=18),
                    rules.RequirementFacts("medical", "Medical", validity_months=3),
                ),
            ),
        ),
    )
    result = rules.evaluate(inputs)
    states = {r.code: r.state for r in result.requirements}
    assert states == {"passport": "expiring", "medical": "met"}
    assert [b.code for b in result.blockers] == ["over_age"]


# --- unpublished destinations ----------------------------------------------------------


@pytest.fixture
def kr_draft(kr_set):
    Destination.objects.filter(code="KR").update(is_published=False)


@pytest.mark.parametrize("who", ["wati", "alice", "bob"])
def test_nobody_but_an_admin_plans_an_unpublished_destination(who, request, person, kr_draft):
    response = put_plan(verified_client(request.getfixturevalue(who)), person)
    assert response.status_code == 422
    assert errors(response) == {("destination", "unknown_destination")}
    assert not Plan.objects.exists()


def test_an_admin_may_plan_a_draft(person, admin_user, kr_draft):
    assert put_plan(verified_client(admin_user), person).status_code == 200


def test_a_worker_cannot_ask_about_an_unpublished_destination(person, wati, kr_draft):
    response = verified_client(wati).get(f"/api/v1/people/{person.pk}/readiness", KR_QUERY)
    assert response.status_code == 422
    assert errors(response) == {("destination", "unknown_destination")}


def test_the_plan_form_offers_published_destinations_only(person, wati, kr_draft):
    client = verified_client(wati)
    page = client.get(reverse("destinations:my_readiness")).content.decode()
    assert 'value="KR"' not in page and 'value="JP"' in page
    refused = client.post(reverse("destinations:my_plan"), KR_FORM)
    assert refused.status_code == 200 and not Plan.objects.exists()
