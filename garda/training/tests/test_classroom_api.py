"""The classroom API (/api/v1/teach/batches, roster, sessions, attendance,
assessments, completion, close, cancel)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_user, verified_client
from garda.accounts import roles
from garda.audit.models import AuditEvent
from garda.training.models import Assessment, Attendance, Batch, Enrolment
from garda.training.tests.classroom_support import classroom

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _client(user):
    client = verified_client(user)
    client.cookies["django_language"] = "en"
    return client


def _put(client, path, body):
    return client.put(path, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_teach_batches_are_the_trainers(teguh, alice):
    c = classroom(teguh, alice, trainees=1)
    colleague = make_user("t11@example.org", roles.TRAINER, teguh.agency)
    mine = _client(teguh).get(f"{API}/teach/batches").json()
    assert [b["id"] for b in mine["items"]] == [c.batch.pk] and mine["count"] == 1
    assert mine["items"][0]["enrolled_count"] == 1
    assert _client(colleague).get(f"{API}/teach/batches").json()["items"] == []
    assert _client(alice).get(f"{API}/teach/batches").status_code == 403


def test_roster_has_only_the_trainee_fields(teguh, alice):
    c = classroom(teguh, alice, trainees=2)
    body = _client(teguh).get(f"{API}/batches/{c.batch.pk}/roster").json()
    assert body["count"] == 2
    row = body["items"][0]
    assert set(row["person"]) == {"id", "reference", "full_name", "sex", "phone"}
    assert row["status"] == "enrolled"
    assert row["completion"]["reasons"] == ["Attendance 0% below the minimum 80%"] + [
        f"Unit {cu.unit.code} not yet competent" for cu in c.course.course_units.order_by("order")
    ]
    text = str(body)
    person = c.people[0]
    assert person.nik not in text and "birth" not in text and person.address_line not in text


def test_roster_of_another_trainers_batch_is_404(teguh, alice):
    c = classroom(teguh, alice, trainees=1)
    colleague = make_user("t12@example.org", roles.TRAINER, teguh.agency)
    assert _client(colleague).get(f"{API}/batches/{c.batch.pk}/roster").status_code == 404
    assert AuditEvent.objects.filter(actor=colleague, action="denied").exists()


def test_roster_and_attendance_query_counts_do_not_grow(teguh, alice):
    small = classroom(teguh, alice, trainees=2)
    big = classroom(teguh, alice, code="uji-besar", trainees=12, capacity=20)
    client = _client(teguh)
    for path in ("roster", "sessions/1/attendance", "sessions"):
        counts = [_count(client, f"{API}/batches/{c.batch.pk}/{path}") for c in (small, big)]
        assert counts[0] == counts[1], path
        assert counts[0] <= 18, path


def test_sessions(teguh, alice):
    c = classroom(teguh, alice, trainees=0, starts_in_days=-1, sessions=4)
    items = _client(teguh).get(f"{API}/batches/{c.batch.pk}/sessions").json()["items"]
    assert [(s["number"], s["held"]) for s in items] == [
        (1, True),
        (2, True),
        (3, False),
        (4, False),
    ]


def test_attendance_put_and_get(teguh, alice, bob):
    c = classroom(teguh, alice, trainees=2)
    a, b = c.enrolments
    path = f"{API}/batches/{c.batch.pk}/sessions/2/attendance"
    client = _client(teguh)
    response = _put(
        client,
        path,
        {
            "marks": [
                {"enrolment_id": a.pk, "status": "late"},
                {"enrolment_id": b.pk, "status": "absent"},
            ]
        },
    )
    assert response.status_code == 200 and response.json() == {"saved": 2}
    items = _client(bob).get(path).json()["items"]
    assert {i["enrolment_id"]: i["status"] for i in items} == {a.pk: "late", b.pk: "absent"}
    assert set(items[0]["person"]) == {"id", "reference", "full_name", "sex", "phone"}
    # the registry reads, but does not write
    assert (
        _put(
            _client(bob), path, {"marks": [{"enrolment_id": a.pk, "status": "present"}]}
        ).status_code
        == 403
    )


def test_attendance_put_bad_input(teguh, alice):
    c = classroom(teguh, alice, trainees=1)
    other = classroom(teguh, alice, code="uji-lain", trainees=1)
    path = f"{API}/batches/{c.batch.pk}/sessions/1/attendance"
    client = _client(teguh)
    response = _put(
        client, path, {"marks": [{"enrolment_id": c.enrolments[0].pk, "status": "asleep"}]}
    )
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "marks" and error["code"] == "invalid_status"
    response = _put(
        client, path, {"marks": [{"enrolment_id": other.enrolments[0].pk, "status": "present"}]}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "not_in_class"
    assert _put(client, path, {"marks": []}).status_code == 422
    assert (
        _put(
            client,
            f"{API}/batches/{c.batch.pk}/sessions/99/attendance",
            {"marks": [{"enrolment_id": 1, "status": "present"}]},
        ).status_code
        == 404
    )
    assert not Attendance.objects.exists()


def test_assessments_put(teguh, alice):
    c = classroom(teguh, alice, trainees=2)
    a, b = c.enrolments
    unit = c.course.course_units.first().unit
    path = f"{API}/batches/{c.batch.pk}/units/{unit.code}/assessments"
    client = _client(teguh)
    rows = [
        {"enrolment_id": a.pk, "result": "competent", "score": 91.5},
        {"enrolment_id": b.pk, "result": "not_yet", "score": 55, "note": "Ulang"},
    ]
    assert _put(client, path, {"rows": rows}).json() == {"saved": 2}
    assert Assessment.objects.get(enrolment=a).assessor == teguh
    bad = _put(
        client, path, {"rows": [{"enrolment_id": a.pk, "result": "competent", "score": 120}]}
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "score"
    assert (
        _put(
            client, f"{API}/batches/{c.batch.pk}/units/NOPE/assessments", {"rows": rows}
        ).status_code
        == 404
    )


def test_completion_of_an_enrolment_for_the_worker(teguh, alice, wati):
    from garda.training.services.enrolment import enrolment_create
    from garda.training.tests.classroom_support import trainee

    c = classroom(teguh, alice, trainees=1)
    own = enrolment_create(actor=alice, batch=c.batch, person=trainee(user=wati))
    body = _client(wati).get(f"{API}/enrolments/{own.pk}/completion").json()
    assert body["enrolment_id"] == own.pk and body["complete"] is False
    assert body["sessions"] == 5 and body["min_attendance_percent"] == 80
    # another's enrolment: 404
    assert _client(wati).get(f"{API}/enrolments/{c.enrolments[0].pk}/completion").status_code == 404


def test_close_and_cancel(teguh, alice):
    c = classroom(teguh, alice, trainees=1)
    client = _client(teguh)
    response = client.post(f"{API}/batches/{c.batch.pk}/close")
    assert response.status_code == 200
    body = response.json()
    assert (
        body["completed"] == [] and body["not_completed"][0]["enrolment_id"] == c.enrolments[0].pk
    )
    again = client.post(f"{API}/batches/{c.batch.pk}/close")
    assert again.status_code == 422 and again.json()["errors"][0]["code"] == "already_closed"

    upcoming = classroom(teguh, alice, code="uji-nanti", trainees=1, starts_in_days=9)
    path = f"{API}/batches/{upcoming.batch.pk}/cancel"
    assert client.post(path, {"reason": " "}, content_type="application/json").status_code == 422
    response = client.post(path, {"reason": "Ruang dipakai ujian"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["cancelled_at"]
    assert Enrolment.objects.get(pk=upcoming.enrolments[0].pk).status == "withdrawn"
    assert Batch.objects.get(pk=upcoming.batch.pk).enrolled_count == 0


def test_a_trainer_sees_only_who_took_a_seat_not_why_others_left(teguh, alice):
    """Withdrawn and waitlisted people, and their reasons (often health or family),
    are not the trainer's business; registry roles see the whole list."""
    from garda.training.services.enrolment import enrolment_withdraw

    c = classroom(teguh, alice, trainees=3, capacity=2, starts_in_days=2)
    waiting = next(e for e in c.enrolments if e.status == "waitlisted")
    leaving = next(e for e in c.enrolments if e.status == "enrolled")
    enrolment_withdraw(actor=alice, enrolment=leaving, reason="Sedang hamil, kontrol rutin")
    waiting.refresh_from_db()
    assert waiting.status == "enrolled"  # promoted to the freed seat
    body = _client(teguh).get(f"{API}/batches/{c.batch.pk}/roster").json()
    assert {row["status"] for row in body["items"]} == {"enrolled"}
    assert "hamil" not in str(body) and body["count"] == 2
    assert _client(teguh).get(f"{API}/enrolments/{leaving.pk}").status_code == 404
    page = _client(teguh).get(f"/training/batches/{c.batch.pk}/roster/").content.decode()
    assert "hamil" not in page and c.people[c.enrolments.index(leaving)].full_name not in page
    everyone = _client(alice).get(f"{API}/batches/{c.batch.pk}/roster").json()
    assert everyone["count"] == 3 and "hamil" in str(everyone)


def test_reading_an_enrolment_or_its_completion_is_audited(teguh, alice):
    c = classroom(teguh, alice, trainees=1)
    enrolment = c.enrolments[0]
    before = AuditEvent.objects.filter(action="view", object_type="training.enrolment").count()
    assert _client(alice).get(f"{API}/enrolments/{enrolment.pk}").status_code == 200
    assert _client(teguh).get(f"{API}/enrolments/{enrolment.pk}/completion").status_code == 200
    after = AuditEvent.objects.filter(action="view", object_type="training.enrolment").count()
    assert after == before + 2
