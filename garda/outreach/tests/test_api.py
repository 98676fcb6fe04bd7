"""The outreach API contract: POST /events, POST /events/{id}/registrations,
POST /events/{id}/check-in {"code"}, GET /events/{id}/funnel: status codes, the error
format, Indonesian messages, denied rows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.outreach.models import Event, Registration
from garda.outreach.services.events import event_set_status
from garda.outreach.tests.factories import make_event, places, register_for
from garda.people.tests.factories import register

pytestmark = pytest.mark.django_db


def _client(user):
    client = verified_client(user)
    client.cookies["django_language"] = "id"
    return client


def post(client, path, data):
    return client.post(
        path, data, content_type="application/json", headers={"accept-language": "id"}
    )


def _payload(**extra):
    starts = timezone.now() + timedelta(days=5)
    return {
        "kind": "g2g_info",
        "title": "Sesi informasi G to G Jepang",
        "region_code": "31.71.01",
        "venue": "Kantor Kecamatan Gambir",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "audience": "prospective",
        "capacity": 50,
        **extra,
    }


def test_an_officer_creates_an_event(alice):
    places()
    response = post(_client(alice), "/api/v1/events", _payload(open=True))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "open" and body["district_code"] == "31.71"
    assert body["agency_id"] == alice.agency_id and body["reference"].startswith("JKT-OUT-")


def test_a_bad_event_is_a_422_naming_the_field_in_indonesian(alice):
    places()
    response = post(_client(alice), "/api/v1/events", _payload(region_code="00.00"))
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "region_code" and "kode kota" in error["message"]
    assert not Event.objects.exists()


@pytest.mark.parametrize("persona", ["teguh", "putri", "rina", "wati"])
def test_other_roles_may_not_create_events(persona, request):
    user = request.getfixturevalue(persona)
    places()
    response = post(_client(user), "/api/v1/events", _payload())
    assert response.status_code == 403
    assert AuditEvent.objects.filter(actor=user, action="denied").exists()


def test_registration_and_check_in_through_the_api(alice):
    event = make_event(alice, capacity=1)
    client = _client(alice)
    response = post(client, f"/api/v1/events/{event.pk}/registrations", {"full_name": "Rudi"})
    assert response.status_code == 201
    code = response.json()["code"]
    full = post(client, f"/api/v1/events/{event.pk}/registrations", {"full_name": "Sari"})
    assert full.status_code == 409 and full.json()["errors"][0]["code"] == "full"
    assert full.json()["detail"] == "Acara ini sudah penuh."
    done = post(client, f"/api/v1/events/{event.pk}/check-in", {"code": code})
    assert done.status_code == 200 and done.json()["checked_in_at"]
    again = post(client, f"/api/v1/events/{event.pk}/check-in", {"code": code})
    assert again.status_code == 409
    body = again.json()
    assert body["errors"][0] == {
        "field": "code",
        "code": "already_checked_in",
        "message": body["detail"],
    }
    assert body["detail"].startswith("Kehadirannya sudah dicatat pada")
    assert body["checked_in_at"][:16] == done.json()["checked_in_at"][:16]


def test_check_in_refusals_wrong_event_unknown_closed(alice):
    event = make_event(alice)
    other = make_event(alice, title="Acara lain")
    theirs = register_for(other)
    client = _client(alice)
    wrong = post(client, f"/api/v1/events/{event.pk}/check-in", {"code": theirs.code})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["code"] == "wrong_event"
    assert "Acara lain" not in wrong.content.decode()
    unknown = post(client, f"/api/v1/events/{event.pk}/check-in", {"code": "NOPE"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["code"] == "unknown_code"
    mine = register_for(event)
    event_set_status(actor=alice, event=event, status=Event.Status.CLOSED)
    closed = post(client, f"/api/v1/events/{event.pk}/check-in", {"code": mine.code})
    assert closed.status_code == 409
    assert closed.json()["detail"] == "Pencatatan kehadiran ditolak: acara ini berstatus Ditutup."
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 0


def test_another_agency_cannot_check_in_or_register_at_the_door(alice, carol):
    event = make_event(alice)
    registration = register_for(event)
    client = _client(carol)
    assert (
        post(client, f"/api/v1/events/{event.pk}/check-in", {"code": registration.code}).status_code
        == 404
    )
    assert (
        post(client, f"/api/v1/events/{event.pk}/registrations", {"full_name": "X"}).status_code
        == 404
    )
    assert AuditEvent.objects.filter(actor=carol, action="denied").count() == 2
    assert client.get(f"/api/v1/events/{event.pk}").status_code == 200  # she reads it


def test_a_worker_registers_themself_once(alice, wati):
    person = register(serial=41, user=wati)
    event = make_event(alice)
    client = _client(wati)
    response = post(client, f"/api/v1/events/{event.pk}/registrations", {"full_name": "Bukan saya"})
    assert response.status_code == 201
    assert response.json()["person_id"] == person.pk
    assert response.json()["full_name"] == person.full_name
    again = post(client, f"/api/v1/events/{event.pk}/registrations", {})
    assert again.status_code == 409 and again.json()["errors"][0]["code"] == "already_registered"
    assert (
        client.post(
            f"/api/v1/events/{event.pk}/check-in", {"code": "X"}, content_type="application/json"
        ).status_code
        == 403
    )


def test_a_worker_cannot_register_for_a_staff_event(alice, wati):
    register(serial=42, user=wati)
    event = make_event(alice, audience=Event.Audience.OFFICERS)
    response = post(_client(wati), f"/api/v1/events/{event.pk}/registrations", {})
    assert response.status_code == 404


def test_the_attendance_list_is_audited_and_paginated(
    alice, admin_user, django_assert_max_num_queries
):
    event = make_event(alice)
    for n in range(12):
        register_for(event, full_name=f"Peserta {n}")
    client = _client(admin_user)
    client.get("/api/v1/events")  # the session's first request (log-in bookkeeping)
    with django_assert_max_num_queries(12):
        response = client.get(f"/api/v1/events/{event.pk}/registrations?page_size=5")
    assert response.status_code == 200
    assert response.json()["count"] == 12 and len(response.json()["items"]) == 5
    assert AuditEvent.objects.filter(
        actor=admin_user, action="view", reason="api attendance list", object_id=str(event.pk)
    ).exists()


def test_the_funnel_endpoint(alice, bob):
    event = make_event(alice)
    registration = register_for(event)
    post(_client(alice), f"/api/v1/events/{event.pk}/check-in", {"code": registration.code})
    body = _client(bob).get(f"/api/v1/events/{event.pk}/funnel").json()
    assert body["registrations"] == body["attended"] == 1
    assert body["attended_with_record"] == 0 and body["registered_median_days"] is None


def test_partners_may_not_read_the_funnel(alice, putri):
    event = make_event(alice)
    assert _client(putri).get(f"/api/v1/events/{event.pk}/funnel").status_code == 403


def test_events_list_is_bounded_in_queries(alice, bob, django_assert_max_num_queries):
    for n in range(6):
        make_event(alice, title=f"Acara {n}")
    client = _client(bob)
    client.get("/api/v1/events")  # the session's first request (log-in bookkeeping)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/events")
    assert response.json()["count"] == 6
