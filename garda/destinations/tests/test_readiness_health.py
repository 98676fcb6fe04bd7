"""Health data in readiness (docs/security.md, test 4): a health result's rejection reason
and level are in the answer only for those who may see the person's health data
(documents.access.may_see_health: the worker, their assigned officers, health staff,
admins). Everyone else keeps the requirement's state, but not its detail, its
document id or a next step that quotes them: in the API, on the pages, from the
cache and whoever filled it first."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_user, verified_client
from garda.accounts import roles
from garda.accounts.models import Agency
from garda.destinations import rules
from garda.destinations.models import Readiness
from garda.destinations.tests.factories_readiness import (
    KR_EPS,
    KR_QUERY,
    document,
    requirement_set,
)
from garda.people.models import Assignment

SECRET = "HEPATITIS"


@pytest.fixture
def rejected_medical(person, alice):
    """A plan for KR (set by alice, an officer of a manpower office, not assigned)
    and a medical result rejected for a health reason."""
    requirement_set(KR_EPS)
    response = verified_client(alice).put(
        f"/api/v1/people/{person.pk}/plan", KR_QUERY, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return document(
        person,
        "medical",
        "rejected",
        issued_on=timezone.localdate(),
        rejection_reason=f"{SECRET}-B positive",
    )


@pytest.fixture
def assigned(db, person):
    officer = make_user("asih@example.org", roles.OFFICER, full_name="Asih")
    Assignment.objects.create(person=person, officer=officer)
    return officer


@pytest.fixture
def health_staff(db):
    dinkes = Agency.objects.create(name="Dinas Kesehatan", kind=Agency.Kind.HEALTH)
    return make_user("hana@example.org", roles.SUPERVISOR, dinkes, full_name="Hana")


def api(user, person, params=None):
    response = verified_client(user).get(f"/api/v1/people/{person.pk}/readiness", params or {})
    assert response.status_code == 200, response.content
    return response


def medical(body: dict) -> tuple[dict, list[dict]]:
    requirement = next(r for r in body["requirements"] if r["code"] == "medical")
    steps = [s for s in body["next_steps"] if s["requirement_code"] == "medical"]
    return requirement, steps


@pytest.mark.parametrize("who", ["bob", "alice"])
@pytest.mark.parametrize("params", [{}, KR_QUERY], ids=["plan", "query"])
def test_readers_without_health_access_get_no_health_detail_from_the_api(
    who, params, request, person, rejected_medical
):
    response = api(request.getfixturevalue(who), person, params)
    assert SECRET not in response.content.decode()
    requirement, steps = medical(response.json())
    # The state is not the health content: it stays, like on the documents' pages.
    assert requirement["state"] == "rejected"
    assert requirement["detail"] == "" and requirement["document_id"] is None
    assert len(steps) == 1 and steps[0]["code"] == "rejected" and steps[0]["text"]
    # Other requirements keep their details.
    ktp = next(r for r in response.json()["requirements"] if r["code"] == "ktp")
    assert ktp["detail"]


@pytest.mark.parametrize("who", ["wati", "assigned", "health_staff", "admin_user"])
def test_the_worker_and_those_who_may_see_health_data_get_the_reason(
    who, request, person, rejected_medical
):
    body = api(request.getfixturevalue(who), person).json()
    requirement, steps = medical(body)
    assert SECRET in requirement["detail"] and SECRET in steps[0]["text"]
    assert requirement["document_id"] == rejected_medical.pk


def test_the_shared_cache_does_not_carry_health_data_from_one_reader_to_another(
    person, wati, bob, rejected_medical
):
    # The worker fills the cache with the full answer; the supervisor reads it redacted.
    assert SECRET in api(wati, person).content.decode()
    assert Readiness.objects.count() == 1
    assert SECRET not in api(bob, person).content.decode()
    assert SECRET in api(wati, person).content.decode()
    # A row cached before the health flag was stored is redacted all the same.
    row = Readiness.objects.get()
    for item in row.result["requirements"] + row.result["next_steps"]:
        item.pop("health", None)
    Readiness.objects.filter(pk=row.pk).update(result=row.result)
    assert SECRET not in api(bob, person).content.decode()
    assert SECRET in api(wati, person).content.decode()


def test_a_health_level_shortfall_is_health_data_too(person, wati, bob):
    requirement_set(KR_EPS, requirements=[{"type": "medical", "min_level": "FIT"}])
    document(person, "medical", issued_on=timezone.localdate(), level=f"{SECRET}-UNFIT")
    body = api(bob, person, KR_QUERY).json()
    assert SECRET not in str(body)
    requirement, steps = medical(body)
    assert requirement["state"] == "missing" and requirement["detail"] == ""
    assert SECRET in str(api(wati, person, KR_QUERY).json())


@pytest.mark.parametrize("who", ["bob", "alice"])
def test_the_readiness_page_leaves_health_details_out(who, request, person, rejected_medical):
    client = verified_client(request.getfixturevalue(who))
    page = client.get(reverse("destinations:person_readiness", args=[person.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert SECRET not in html
    assert 'data-code="medical" data-state="rejected"' in html


def test_the_worker_and_an_assigned_officer_see_the_reason_on_the_pages(
    person, wati, assigned, rejected_medical
):
    mine = verified_client(wati).get(reverse("destinations:my_readiness")).content.decode()
    assert SECRET in mine
    theirs = verified_client(assigned).get(
        reverse("destinations:person_readiness", args=[person.pk])
    )
    assert SECRET in theirs.content.decode()


def _result(health: bool) -> rules.Result:
    return rules.Result(
        ready=False,
        percent=50,
        blockers=(),
        requirements=(
            rules.RequirementState("ktp", "KTP", "met", "Verified.", 1),
            rules.RequirementState(
                "medical", "Medical", "rejected", "Rejected: X-RAY", 2, health=health
            ),
        ),
        next_steps=(
            rules.Step("Upload your Medical again. Rejected: X-RAY", requirement_code="medical"),
        ),
        target_key="KR:g2g-kr-eps:manufacturing",
        requirement_set_id=1,
        computed_for=date(2026, 1, 1),
    )


def test_redact_for_keeps_states_and_drops_health_details():
    result = _result(health=True)
    assert rules.redact_for(result, True) is result
    redacted = rules.redact_for(result, False)
    assert "X-RAY" not in str(redacted.to_dict())
    ktp, med = redacted.requirements
    assert ktp == result.requirements[0]
    assert (med.state, med.detail, med.document_id, med.health) == ("rejected", "", None, True)
    (step,) = redacted.next_steps
    assert step.requirement_code == "medical" and "Medical" in step.text and step.health
    # Nothing to redact without a health result.
    plain = _result(health=False)
    assert rules.redact_for(plain, False) is plain


def test_the_engine_marks_health_results():
    facts = rules.Inputs(
        person=rules.PersonFacts(birth_date=date(2000, 1, 1), sex="F", education="sma"),
        documents={"medical": rules.DocumentFacts("rejected", rejection_reason="X-RAY", id=5)},
        target=rules.TargetFacts(
            key="KR:x:y",
            today=date(2026, 1, 1),
            requirement_set=rules.RequirementSetFacts(
                id=1,
                requirements=(
                    rules.RequirementFacts("ktp", "KTP"),
                    rules.RequirementFacts("medical", "Medical", is_health=True),
                ),
            ),
        ),
    )
    data = rules.evaluate_data(facts)
    assert [r["health"] for r in data["requirements"]] == [False, True]
    assert {s["requirement_code"]: s["health"] for s in data["next_steps"]} == {
        "ktp": False,
        "medical": True,
    }
    result = rules.Result.from_dict(data)
    assert result.to_dict() == data
