"""The applications API as the issue's contract says: the worker applies (201
`applied`, 409 a second time or on a closed order), officers nominate, the pipeline
moves (200; 409 `wrong_state`, `no_position_left`, `version_conflict`; 422 a missing
reason), the recruiter's scope (another company's application is a 404 with a denied
row) and what they read of an applicant (never an identity number or a health
result)."""

import json

import pytest

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.jobs.models import Application, JobOrder
from garda.jobs.services.applications import application_move
from garda.jobs.tests.factories_applications import (
    applied,
    at_step,
    nominated,
    open_order,
    other_company_order,
    worker_with_person,
)
from garda.people.models import LanguageSkill, Skill

pytestmark = pytest.mark.django_db
A = Application.Status


def post(client, path, body=None):
    return client.post(path, body or {}, content_type="application/json")


@pytest.fixture
def order(rina, alice):
    return open_order(rina, alice, positions=1, positions_female=1)


@pytest.fixture
def sri():
    return worker_with_person(201, "sri@example.org")


def test_the_worker_applies_once(order, sri):
    worker, person = sri
    client = verified_client(worker)
    url = f"/api/v1/job-orders/{order.pk}/applications"
    response = post(client, url, {"person_id": person.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "applied" and body["id"] == Application.objects.get().pk
    again = post(client, url, {"person_id": person.pk})
    assert again.status_code == 409
    assert again.json()["errors"][0]["code"] == "already_applied"
    assert again.json()["application_id"] == body["id"]


def test_a_closed_order_answers_409(order, sri, rina):
    worker, person = sri
    post(verified_client(rina), f"/api/v1/job-orders/{order.pk}/close")
    assert JobOrder.objects.get(pk=order.pk).status == "closed"
    response = post(
        verified_client(worker),
        f"/api/v1/job-orders/{order.pk}/applications",
        {"person_id": person.pk},
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "order_closed"


def test_a_worker_cannot_apply_for_someone_else_or_to_a_draft(order, sri, rina):
    worker, person = sri
    _other, other_person = worker_with_person(202)
    client = verified_client(worker)
    response = post(
        client, f"/api/v1/job-orders/{order.pk}/applications", {"person_id": other_person.pk}
    )
    assert response.status_code == 404
    from garda.jobs.tests.factories import make_order

    draft = make_order(rina)
    response = post(client, f"/api/v1/job-orders/{draft.pk}/applications", {"person_id": person.pk})
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="denied").count() == 2
    assert not Application.objects.exists()


def test_officers_nominate_and_do_not_apply(order, sri, alice):
    worker, person = sri
    officer = verified_client(alice)
    refused = post(officer, f"/api/v1/job-orders/{order.pk}/applications", {"person_id": person.pk})
    assert refused.status_code == 403
    response = post(officer, f"/api/v1/job-orders/{order.pk}/nominations", {"person_id": person.pk})
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "nominated"
    app_id = response.json()["id"]
    # The worker sees it and accepts.
    client = verified_client(worker)
    mine = client.get("/api/v1/me/applications").json()
    assert mine["count"] == 1 and mine["items"][0]["status"] == "nominated"
    accepted = post(client, f"/api/v1/applications/{app_id}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "applied"


def test_the_pipeline_through_move(order, sri, rina):
    worker, person = sri
    app = applied(order, worker, person)
    client = verified_client(rina)
    url = f"/api/v1/applications/{app.pk}/move"
    skip = post(client, url, {"status": "selected"})
    assert skip.status_code == 409
    assert skip.json()["errors"][0]["code"] == "wrong_state"
    ok = post(client, url, {"status": "shortlisted", "version": 1})
    assert ok.status_code == 200 and ok.json()["status"] == "shortlisted"
    assert ok.json()["version"] == 2
    stale = post(client, url, {"status": "interviewed", "version": 1})
    assert stale.status_code == 409
    assert stale.json()["errors"][0]["code"] == "version_conflict"
    no_reason = post(client, url, {"status": "rejected"})
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["field"] == "reason"
    unknown = post(client, url, {"status": "hired"})
    assert unknown.status_code == 422
    placement = post(client, url, {"status": "contract_signed"})
    assert placement.status_code == 409
    assert placement.json()["errors"][0]["code"] == "placement_step"
    for step in ("lapsed", "applied", "declined"):
        made_up = post(client, url, {"status": step})
        assert made_up.status_code == 409
        assert made_up.json()["errors"][0]["code"] == "wrong_state"
    # A recruiter does not withdraw for the worker.
    assert post(client, url, {"status": "withdrawn", "reason": "x"}).status_code == 403
    app.refresh_from_db()
    assert app.status == A.SHORTLISTED


def test_the_last_position_goes_to_one(order, rina, alice):
    first = at_step(order, *worker_with_person(211), A.INTERVIEWED, rina)
    second = at_step(order, *worker_with_person(212), A.INTERVIEWED, rina)
    assert (
        post(
            verified_client(rina), f"/api/v1/applications/{first.pk}/move", {"status": "selected"}
        ).status_code
        == 200
    )
    response = post(
        verified_client(alice), f"/api/v1/applications/{second.pk}/move", {"status": "selected"}
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "no_position_left"


def test_the_worker_withdraws_and_declines_with_a_reason(order, sri, rina, alice):
    worker, person = sri
    app = applied(order, worker, person)
    client = verified_client(worker)
    assert post(client, f"/api/v1/applications/{app.pk}/withdraw").status_code == 422
    response = post(client, f"/api/v1/applications/{app.pk}/withdraw", {"reason": "Menikah"})
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    other = open_order(rina, alice)
    nom = nominated(other, person, alice)
    response = post(client, f"/api/v1/applications/{nom.pk}/decline", {"reason": "Jauh"})
    assert response.status_code == 200 and response.json()["status"] == "declined"
    # The worker moves nothing else.
    assert post(client, f"/api/v1/applications/{app.pk}/move", {"status": "x"}).status_code == 403


def test_another_company_s_application_is_a_404_with_a_denied_row(order, sri, rina, alice):
    other_order, _lain = other_company_order(alice)
    worker, person = sri
    theirs = applied(other_order, worker, person)
    client = verified_client(rina)
    before = AuditEvent.objects.filter(action="denied").count()
    assert client.get(f"/api/v1/applications/{theirs.pk}").status_code == 404
    assert (
        post(client, f"/api/v1/applications/{theirs.pk}/move", {"status": "shortlisted"})
    ).status_code == 404
    assert client.get(f"/api/v1/job-orders/{other_order.pk}/applications").status_code == 404
    assert AuditEvent.objects.filter(action="denied").count() == before + 3
    theirs.refresh_from_db()
    assert theirs.status == A.APPLIED


def test_the_recruiter_reads_what_selection_needs_and_nothing_of_identity(
    order, rina, django_assert_max_num_queries
):
    people = []
    for serial in range(221, 227):
        worker, person = worker_with_person(serial)
        Skill.objects.create(person=person, occupation_code="5120", title="Memasak")
        LanguageSkill.objects.create(person=person, language="zh", scale="self", level="basic")
        applied(order, worker, person)
        people.append(person)
    client = verified_client(rina)
    with django_assert_max_num_queries(20):
        response = client.get(f"/api/v1/job-orders/{order.pk}/applications?page_size=4")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 6 and len(body["items"]) == 4
    item = body["items"][0]
    assert set(item) >= {
        "name",
        "age",
        "sex",
        "region",
        "skills",
        "certificates",
        "languages",
        "readiness_percent",
        "status",
        "version",
    }
    assert item["skills"] == ["Memasak"] and item["age"] >= 30
    assert item["languages"][0].startswith(("Mandarin", "Tionghoa", "Cina", "Chinese"))
    text = json.dumps(body).lower()
    for person in people:
        for secret in (person.nik, person.kk_number or "", person.passport_number or ""):
            if secret:
                assert secret.lower() not in text
        assert person.phone not in text
    for word in ("nik", "kk", "passport", "paspor", "health", "kesehatan", "phone", "address"):
        assert not any(word in key for key in item)
    # Each applicant shown is a read of their record, audited.
    views = AuditEvent.objects.filter(
        action="view", object_type="people.person", reason="job application"
    )
    assert views.count() == 4


def test_a_nomination_not_accepted_is_not_listed_for_the_recruiter(order, sri, rina, alice):
    _worker, person = sri
    app = nominated(order, person, alice)
    client = verified_client(rina)
    assert client.get(f"/api/v1/job-orders/{order.pk}/applications").json()["count"] == 0
    assert client.get(f"/api/v1/applications/{app.pk}").status_code == 404
    officer = verified_client(alice)
    assert officer.get(f"/api/v1/job-orders/{order.pk}/applications").json()["count"] == 1


def test_supervisors_read_and_do_not_move(order, sri, bob):
    worker, person = sri
    app = applied(order, worker, person)
    client = verified_client(bob)
    response = client.get(f"/api/v1/applications/{app.pk}")
    assert response.status_code == 200
    assert [e["to_status"] for e in response.json()["events"]] == ["applied"]
    assert (
        post(client, f"/api/v1/applications/{app.pk}/move", {"status": "shortlisted"})
    ).status_code == 403


def test_the_worker_s_own_list_and_history(order, sri, rina):
    worker, person = sri
    app = applied(order, worker, person)
    application_move(actor=rina, application=app, to_status=A.SHORTLISTED)
    body = verified_client(worker).get("/api/v1/me/applications").json()
    [item] = body["items"]
    assert item["status"] == "shortlisted" and item["occupation_title"] == order.occupation_title
    assert [e["to_status"] for e in item["events"]] == ["applied", "shortlisted"]
