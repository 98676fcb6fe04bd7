"""The readiness and plan API: the issue's contract, each state with real documents,
moratorium blocking, cache invalidation, scoping (404), validation (422), audit and
bounded queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.destinations.models import Plan, Readiness
from garda.destinations.tests.factories_readiness import (
    KR_QUERY,
    complete_documents,
    document,
)
from garda.documents.models import Document


def url(person_id, what="readiness"):
    return f"/api/v1/people/{person_id}/{what}"


def put_plan(client, person_id, **data):
    body = {**KR_QUERY, **data}
    return client.put(url(person_id, "plan"), body, content_type="application/json")


def test_contract_shape(person, wati, kr_set):
    response = verified_client(wati).get(url(person.pk), KR_QUERY)
    assert response.status_code == 200, response.content
    body = response.json()
    assert {"ready", "percent", "blockers", "requirements", "next_steps"} <= body.keys()
    assert isinstance(body["ready"], bool) and isinstance(body["percent"], int)
    assert body["ready"] is False and body["percent"] == 0
    assert [r["code"] for r in body["requirements"]] == ["ktp", "passport", "medical", "eps-topik"]
    for requirement in body["requirements"]:
        assert {"code", "name", "state"} <= requirement.keys()
        assert requirement["state"] == "missing"
    for step in body["next_steps"]:
        assert {"text", "agency"} <= step.keys() and step["text"]
    assert body["next_steps"][0]["agency"].startswith("Dukcapil")  # the KTP's issuer
    assert body["blockers"] == []
    assert body["target"] == "KR:g2g-kr-eps:manufacturing"


def test_every_state_through_the_api(person, wati, alice, kr_set):
    today = timezone.localdate()
    client = verified_client(alice)
    departure = str(today + timedelta(60))
    assert put_plan(client, person.pk, planned_departure=departure).status_code == 200
    document(person, "ktp", "pending")
    document(person, "passport", expires_on=today + timedelta(days=300))
    document(person, "medical", issued_on=today - timedelta(days=100))
    document(person, "eps-topik", "rejected", level="95", rejection_reason="Foto buram")
    body = client.get(url(person.pk), HTTP_ACCEPT_LANGUAGE="en").json()
    assert {r["code"]: r["state"] for r in body["requirements"]} == {
        "ktp": "pending",
        "passport": "expiring",
        "medical": "expired",
        "eps-topik": "rejected",
    }
    rejected = body["requirements"][3]
    assert "Foto buram" in rejected["detail"]
    assert rejected["document_id"] == Document.objects.get(type__code="eps-topik").pk

    Document.objects.all().delete()
    complete_documents(person)
    document(person, "eps-topik", "verified", level="60")  # the latest: too low
    body = client.get(url(person.pk)).json()
    states = {r["code"]: r["state"] for r in body["requirements"]}
    assert states == {"ktp": "met", "passport": "met", "medical": "met", "eps-topik": "missing"}
    assert body["percent"] == 75 and body["ready"] is False


def test_ready_through_the_api(person, wati, kr_set):
    client = verified_client(wati)
    put_plan(client, person.pk)
    complete_documents(person)
    body = client.get(url(person.pk)).json()
    assert body["ready"] is True and body["percent"] == 100 and body["next_steps"] == []


def test_a_moratorium_placement_is_never_ready_and_says_why(person, wati):
    """Saudi Arabia, domestic work via an agency (seeded: Kepmenaker 260/2015)."""
    client = verified_client(wati)
    response = put_plan(client, person.pk, destination="SA", scheme="p2p", sector="domestic")
    assert response.status_code == 200, response.content
    for params in ({}, {"destination": "SA", "scheme": "p2p", "sector": "domestic"}):
        body = client.get(url(person.pk), params, HTTP_ACCEPT_LANGUAGE="en").json()
        assert body["ready"] is False
        assert body["blockers"][0]["code"] == "moratorium"
        assert "Nomor 260 Tahun 2015" in body["blockers"][0]["message"]
        assert body["next_steps"][0]["code"] == "moratorium"
    client.cookies["django_language"] = "en"  # pages follow the cookie, not the header
    page = client.get("/destinations/readiness/")
    assert b"A moratorium means" in page.content and b"Nomor 260 Tahun 2015" in page.content


def test_without_a_target_the_current_plan_is_used_and_cached(person, wati, kr_set):
    client = verified_client(wati)
    missing = client.get(url(person.pk), HTTP_ACCEPT_LANGUAGE="en")
    assert missing.status_code == 404
    assert "no placement plan" in missing.json()["detail"]
    put_plan(client, person.pk)
    assert client.get(url(person.pk)).json()["target"] == "KR:g2g-kr-eps:manufacturing"
    assert Readiness.objects.filter(person=person).count() == 1
    # The same target spelled out uses the plan (and its cache) too.
    assert client.get(url(person.pk), KR_QUERY).status_code == 200
    assert Readiness.objects.filter(person=person).count() == 1


def test_another_target_is_computed_without_caching(person, wati, kr_set):
    client = verified_client(wati)
    put_plan(client, person.pk)
    response = client.get(url(person.pk), {"destination": "TW", "scheme": "p2p", "sector": "care"})
    assert response.status_code == 200
    assert response.json()["target"] == "TW:p2p:care"
    assert list(Readiness.objects.values_list("target_key", flat=True)) == []


def test_upload_changes_the_cached_answer(person, wati, kr_set):
    client = verified_client(wati)
    put_plan(client, person.pk)
    assert client.get(url(person.pk)).json()["requirements"][0]["state"] == "missing"
    document(person, "ktp", "pending")
    assert client.get(url(person.pk)).json()["requirements"][0]["state"] == "pending"


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"destination": "XX", "scheme": "g2g-kr-eps", "sector": "manufacturing"}, {"destination"}),
        ({"destination": "KR", "scheme": "nope", "sector": "manufacturing"}, {"scheme"}),
        ({"destination": "KR", "scheme": "g2g-kr-eps", "sector": "mining"}, {"sector"}),
        ({"destination": "KR"}, {"scheme", "sector"}),
        ({"destination": "JP", "scheme": "g2g-kr-eps", "sector": "care"}, {"scheme"}),
    ],
)
def test_an_unknown_target_is_422_naming_the_fields(person, wati, params, fields):
    response = verified_client(wati).get(url(person.pk), params)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == fields


@pytest.mark.parametrize("who", ["tono", "teguh", "putri"])
def test_others_get_404(person, who, request, kr_set):
    client = verified_client(request.getfixturevalue(who))
    assert client.get(url(person.pk), KR_QUERY).status_code == 404
    assert client.get(url(person.pk, "plan")).status_code == 404
    assert put_plan(client, person.pk).status_code == 404
    assert not Plan.objects.exists()


def test_anonymous_gets_401(person):
    from django.test import Client

    assert Client().get(url(person.pk), KR_QUERY).status_code == 401


def test_a_missing_person_is_404(wati, alice):
    assert verified_client(alice).get(url(999999), KR_QUERY).status_code == 404


def test_every_view_is_audited(person, bob, kr_set):
    client = verified_client(bob)
    client.get(url(person.pk), KR_QUERY)
    event = AuditEvent.objects.get(action="view", object_type="people.person")
    assert event.object_id == str(person.pk) and event.reason == "readiness"
    assert event.actor == bob


def test_plan_get_and_put(person, wati, alice, kr_set):
    client = verified_client(alice)
    assert client.get(url(person.pk, "plan")).status_code == 404
    departure = timezone.localdate() + timedelta(days=120)
    response = put_plan(client, person.pk, planned_departure=departure.isoformat())
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["target"] == "KR:g2g-kr-eps:manufacturing"
    assert body["planned_departure"] == departure.isoformat()
    assert verified_client(wati).get(url(person.pk, "plan")).json()["id"] == body["id"]
    bad = put_plan(client, person.pk, scheme="jp-ssw", planned_departure="2001-01-01")
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"scheme"}
    past = put_plan(client, person.pk, planned_departure="2001-01-01")
    assert {e["code"] for e in past.json()["errors"]} == {"past_departure"}
    # Mass assignment: the person, the author and is_current are not taken from the body.
    sneaky = put_plan(client, person.pk, person=12345, created_by=1, is_current=False)
    assert sneaky.status_code == 200
    assert Plan.objects.get(is_current=True).created_by == alice


def test_query_count_is_bounded(person, wati, kr_set, django_assert_max_num_queries):
    client = verified_client(wati)
    put_plan(client, person.pk)
    complete_documents(person)
    client.get(url(person.pk))  # computes and caches
    # Session and second factor (4), person, plan, audit (4; PostgreSQL also takes
    # its advisory lock), the cached row, the document types' texts.
    lock = connection.vendor == "postgresql"
    with django_assert_max_num_queries(12 + lock):
        assert client.get(url(person.pk)).status_code == 200
    document(person, "ktp", "pending")
    # Recomputed: + sector rules, requirement set (3), documents, upsert.
    with django_assert_max_num_queries(17 + lock):
        assert client.get(url(person.pk)).status_code == 200


def test_jlpt_n4_without_jft_meets_the_ssw_language_requirement(person, wati):
    """The seeded Japan SSW set (migration 0005) takes JFT-Basic A2 or JLPT N4."""
    query = {"destination": "JP", "scheme": "jp-ssw", "sector": "care"}
    document(person, "jlpt", level="N4")
    client = verified_client(wati)
    for _ in range(2):  # computed, then read back from the cache
        body = client.get(url(person.pk), query, HTTP_ACCEPT_LANGUAGE="en").json()
        rows = {r["code"]: r for r in body["requirements"]}
        assert rows["jlpt"]["state"] == "met" and rows["jlpt"]["alternative_group"] == 1
        assert rows["jft-basic"]["state"] == "missing"
        assert rows["jft-basic"]["satisfied_by_alternative"] is True
        assert rows["jft-basic"]["bring"] == ""
        assert rows["ktp"]["alternative_group"] is None
        assert rows["ktp"]["satisfied_by_alternative"] is False
        steps = {s["requirement_code"] for s in body["next_steps"]}
        assert not steps & {"jlpt", "jft-basic"}
    # Without it, one step names both options.
    Document.objects.filter(person=person, type__code="jlpt").delete()
    Readiness.objects.update(stale=True)
    body = client.get(url(person.pk), query, HTTP_ACCEPT_LANGUAGE="en").json()
    (step,) = [s for s in body["next_steps"] if s["requirement_code"] == "jft-basic"]
    assert step["text"].startswith("Get one of: JFT-Basic")
    assert "at least A2, or JLPT" in step["text"] and "at least N4" in step["text"]
