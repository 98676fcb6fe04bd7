"""The catalogue and enrolment API through the HTTP layer."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from conftest import verified_client
from garda.training.models import Batch, Enrolment
from garda.training.services.enrolment import enrolment_create
from garda.training.tests.catalogue_support import person, provider_for
from garda.training.tests.factories import make_batch, make_course

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def provider(ppkd):
    return provider_for(ppkd)


@pytest.fixture
def course(db):
    return make_course("cat-api-welding", units=3, min_education="sma")


@pytest.fixture
def batch(course, provider):
    return make_batch(course, provider, code="CAT-API-1", capacity=1, starts_in_days=20)


def post(client, url, data):
    return client.post(url, data, content_type="application/json", **EN)


# --- catalogue -------------------------------------------------------------------------


def test_courses_are_public_and_filtered(batch):
    make_course("cat-api-korean", sector="language", language="ko", title="Bahasa Korea EPS")
    client = Client()
    body = client.get("/api/v1/courses", {"sector": "welding", "q": "cat-api"}).json()
    assert [c["code"] for c in body["items"]] == ["cat-api-welding"]
    assert body["items"][0]["upcoming_batches"] == 1
    korean = client.get("/api/v1/courses", {"language": "ko", "q": "korea"}).json()
    assert "cat-api-korean" in [c["code"] for c in korean["items"]]
    assert client.get("/api/v1/courses", {"sector": "astrology"}).status_code == 422


def test_course_list_query_count(provider, django_assert_max_num_queries):
    for i in range(5):
        make_batch(make_course(f"cat-api-q{i}"), provider)
    with django_assert_max_num_queries(3):
        assert Client().get("/api/v1/courses", {"page_size": 50}).status_code == 200


def test_course_detail(course, batch, alice):
    enrolment_create(actor=alice, batch=batch, person=person(1))
    enrolment_create(actor=alice, batch=batch, person=person(2))
    body = Client().get("/api/v1/courses/cat-api-welding", **EN).json()
    assert [u["code"] for u in body["units"]] == [
        "CAT-API-WELDING.001",
        "CAT-API-WELDING.002",
        "CAT-API-WELDING.003",
    ]
    assert body["prerequisites"] == ["Education: at least SMA"]
    [b] = body["batches"]
    assert (b["code"], b["seats_left"], b["waitlist"]) == ("CAT-API-1", 0, 1)
    assert Client().get("/api/v1/courses/no-such-course").status_code == 404


def test_inactive_course_is_not_shown(course):
    course.is_active = False
    course.save()
    assert Client().get("/api/v1/courses/cat-api-welding").status_code == 404


def test_batches_list_upcoming_public_ones(course, provider, batch):
    make_batch(course, provider, code="CAT-API-HIDDEN", is_published=False)
    make_batch(course, provider, code="CAT-API-OFF", cancelled_at=timezone.now())
    make_batch(course, provider, code="CAT-API-PAST", starts_in_days=-3)
    make_batch(course, provider, code="CAT-API-BIG", capacity=20, starts_in_days=40)
    client = Client()
    codes = [
        b["code"] for b in client.get("/api/v1/batches", {"course": course.code}).json()["items"]
    ]
    assert codes == ["CAT-API-1", "CAT-API-BIG"]
    later = str(timezone.localdate() + timedelta(days=30))
    items = client.get("/api/v1/batches", {"from": later}).json()["items"]
    assert [b["code"] for b in items] == ["CAT-API-BIG"]
    Batch.objects.filter(pk=batch.pk).update(enrolled_count=1)
    full = client.get("/api/v1/batches", {"has_seats": "false"}).json()["items"]
    assert [b["code"] for b in full] == ["CAT-API-1"]
    free = client.get("/api/v1/batches", {"has_seats": "true", "region": "31.75"}).json()
    assert [b["code"] for b in free["items"]] == ["CAT-API-BIG"]
    assert client.get("/api/v1/batches", {"region": "32"}).json()["items"] == []
    assert free["items"][0]["provider"]["name"] == "PPKD Jakarta Timur"


def test_batch_list_query_count(course, provider, alice, django_assert_max_num_queries):
    for i in range(6):
        b = make_batch(course, provider, capacity=1, code=f"CAT-API-N{i}")
        enrolment_create(actor=alice, batch=b, person=person(10 + i))
    with django_assert_max_num_queries(2):
        body = Client().get("/api/v1/batches").json()
    assert len(body["items"]) == 6


def test_batch_detail_with_sessions(batch, admin_user):
    body = Client().get(f"/api/v1/batches/{batch.pk}").json()
    assert [s["number"] for s in body["sessions"]] == [1, 2, 3, 4]
    assert body["seats_left"] == 1 and body["open_for_enrolment"] is True
    Batch.objects.filter(pk=batch.pk).update(is_published=False)
    assert Client().get(f"/api/v1/batches/{batch.pk}").status_code == 404
    assert verified_client(admin_user).get(f"/api/v1/batches/{batch.pk}").status_code == 200


# --- enrolment -------------------------------------------------------------------------


def test_worker_enrols_then_the_next_is_waitlisted(batch, wati, tono):
    me = person(20, user=wati)
    body = post(
        verified_client(wati), f"/api/v1/batches/{batch.pk}/enrolments", {"person_id": me.pk}
    )
    assert body.status_code == 201, body.json()
    assert body.json()["status"] == "enrolled" and body.json()["position"] is None
    him = person(21, user=tono)
    second = post(
        verified_client(tono), f"/api/v1/batches/{batch.pk}/enrolments", {"person_id": him.pk}
    )
    assert second.status_code == 201
    assert second.json() == {"id": second.json()["id"], "status": "waitlisted", "position": 1}


def test_ineligible_lists_each_unmet_prerequisite(batch, alice):
    batch.course.min_age = 18
    batch.course.save()
    young = person(22, education="smp", born=timezone.localdate() - timedelta(days=365 * 15))
    response = post(
        verified_client(alice), f"/api/v1/batches/{batch.pk}/enrolments", {"person_id": young.pk}
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [
        ("person_id", "min_education"),
        ("person_id", "min_age"),
    ]
    assert all(e["message"] for e in errors)
    assert response.json()["detail"]


def test_closed_and_duplicate_are_409(batch, alice):
    p = person(23)
    client = verified_client(alice)
    url = f"/api/v1/batches/{batch.pk}/enrolments"
    assert post(client, url, {"person_id": p.pk}).status_code == 201
    again = post(client, url, {"person_id": p.pk})
    assert again.status_code == 409
    assert again.json()["errors"][0]["code"] == "already_enrolled"
    Batch.objects.filter(pk=batch.pk).update(enrol_until=timezone.localdate() - timedelta(days=1))
    closed = post(client, url, {"person_id": person(24).pk})
    assert closed.status_code == 409
    assert closed.json()["errors"][0]["code"] == "batch_closed"
    assert "closed on" in closed.json()["detail"]


def test_who_may_enrol_whom(batch, wati, tono, teguh, putri):
    other = person(25, user=tono)
    url = f"/api/v1/batches/{batch.pk}/enrolments"
    assert post(verified_client(wati), url, {"person_id": other.pk}).status_code == 404
    assert post(verified_client(teguh), url, {"person_id": other.pk}).status_code == 403
    assert post(verified_client(putri), url, {"person_id": other.pk}).status_code == 403
    assert post(Client(), url, {"person_id": other.pk}).status_code == 401
    assert (
        post(
            verified_client(tono), "/api/v1/batches/999999/enrolments", {"person_id": other.pk}
        ).status_code
        == 404
    )
    assert not Enrolment.objects.exists()


def test_enrolment_detail_withdraw_and_promotion(batch, wati, tono, teguh):
    mine = enrolment_create(actor=wati, batch=batch, person=person(26, user=wati))
    waiting = enrolment_create(actor=tono, batch=batch, person=person(27, user=tono))
    tono_client = verified_client(tono)
    body = tono_client.get(f"/api/v1/enrolments/{waiting.pk}").json()
    assert (body["status"], body["position"], body["course"]["code"]) == (
        "waitlisted",
        1,
        "cat-api-welding",
    )
    assert tono_client.get(f"/api/v1/enrolments/{mine.pk}").status_code == 404
    client = verified_client(wati)
    url = f"/api/v1/enrolments/{mine.pk}/withdraw"
    missing = post(client, url, {"reason": " "})
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "reason"
    assert post(verified_client(teguh), url, {"reason": "x"}).status_code == 404
    done = post(client, url, {"reason": "Sudah dapat kerja"})
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["reason"]) == ("withdrawn", "Sudah dapat kerja")
    assert tono_client.get(f"/api/v1/enrolments/{waiting.pk}").json()["status"] == "enrolled"
    assert post(client, url, {"reason": "lagi"}).status_code == 409


def test_no_show_by_the_trainer(course, provider, alice, teguh, wati):
    batch = make_batch(course, provider, trainers=[teguh])
    enrolment = enrolment_create(actor=wati, batch=batch, person=person(28, user=wati))
    url = f"/api/v1/enrolments/{enrolment.pk}/no-show"
    early = post(verified_client(teguh), url, {"reason": "Tidak datang"})
    assert early.status_code == 409 and early.json()["errors"][0]["code"] == "not_started"
    Batch.objects.filter(pk=batch.pk).update(starts_on=timezone.localdate())
    assert post(verified_client(wati), url, {"reason": "x"}).status_code == 403
    ok = post(verified_client(teguh), url, {"reason": "Tidak datang"})
    assert ok.status_code == 200 and ok.json()["status"] == "no_show"


def test_person_enrolments(course, provider, alice, wati, tono):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    me = person(29, user=wati)
    client = verified_client(wati)
    url = f"/api/v1/people/{me.pk}/enrolments"

    def enrol_in_a_full_batch(i: int) -> None:
        b = make_batch(course, provider, capacity=1, starts_in_days=20 + 10 * i)
        enrolment_create(actor=alice, batch=b, person=person(40 + i))
        enrolment_create(actor=alice, batch=b, person=me)

    enrol_in_a_full_batch(0)
    client.get(url)  # warm up (session, permissions)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(1, 4):
        enrol_in_a_full_batch(i)
    with CaptureQueriesContext(connection) as four:
        body = client.get(url).json()
    assert len(four) == len(one)  # no query per enrolment (positions included)
    assert [(e["status"], e["position"]) for e in body["items"]] == [("waitlisted", 1)] * 4
    assert verified_client(tono).get(url).status_code == 404
    assert verified_client(alice).get(url).status_code == 200
