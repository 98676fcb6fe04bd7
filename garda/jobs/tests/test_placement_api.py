"""The placements API: the same services as the pages, errors in the project's
format (422 with fields, 409 with a code), numbers masked, the export audited."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.crypto import MASKED
from garda.jobs.models import OrientationSession, Placement
from garda.jobs.tests.factories_placement import (
    make_placement,
    make_session,
    open_order,
    ready_person,
    ready_to_leave,
    selected_application,
)
from garda.people.models import Person

pytestmark = pytest.mark.django_db
API = "/api/v1"


def post(client, path, body=None):
    return client.post(API + path, body or {}, content_type="application/json")


def patch(client, path, body):
    return client.patch(API + path, body, content_type="application/json")


@pytest.fixture
def order(rina, alice):
    return open_order(rina, alice)


@pytest.fixture
def placement(alice, order, wati):
    return make_placement(alice, order, ready_person(user=wati))


def test_create_from_a_selected_application(alice, order):
    app = selected_application(order, ready_person())
    client = verified_client(alice)
    response = post(client, f"/applications/{app.pk}/placement")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "preparing" and body["card_valid"] is True
    assert body["missing_steps"] == ["contract", "bpjs", "orientation", "visa", "flight"]
    again = post(client, f"/applications/{app.pk}/placement")
    assert again.status_code == 409 and again.json()["errors"][0]["code"] == "exists"


def test_patch_records_sections_together_and_masks_numbers(alice, placement):
    client = verified_client(alice)
    response = patch(
        client,
        f"/placements/{placement.pk}",
        {
            "contract_signed_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
            "contract_months": 24,
            "wage_amount": "5000",
            "wage_currency": "HKD",
            "wage_period": "month",
            "bpjs_number": "12345678901",
            "bpjs_programmes": ["JKK", "JKM"],
            "flight": "cx 798",
            "version": placement.version,
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["bpjs_number"] == MASKED
    assert body["differences"][0]["field"] == "wage"
    assert body["flight"] == "CX 798"
    assert "12345678901" not in response.content.decode()


def test_patch_with_a_bad_value_is_422_and_writes_nothing(alice, placement):
    response = patch(
        verified_client(alice),
        f"/placements/{placement.pk}",
        {"flight": "GA 1", "bpjs_number": "123", "bpjs_programmes": ["JKK", "JKM"]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "bpjs_number"
    assert Placement.objects.get(pk=placement.pk).flight == ""


def test_a_stale_version_is_409(alice, placement):
    response = patch(
        verified_client(alice), f"/placements/{placement.pk}", {"flight": "GA 1", "version": 99}
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "version_conflict"


def test_recruiter_may_not_patch_bpjs(rina, placement):
    response = patch(
        verified_client(rina),
        f"/placements/{placement.pk}",
        {"bpjs_number": "12345678901", "bpjs_programmes": ["JKK", "JKM"]},
    )
    assert response.status_code == 403
    response = patch(verified_client(rina), f"/placements/{placement.pk}", {"flight": "GA 1"})
    assert response.status_code == 200


def test_depart_missing_steps_is_409_then_depart_arrive(alice, placement):
    client = verified_client(alice)
    response = post(client, f"/placements/{placement.pk}/depart")
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "steps_missing"
    ready_to_leave(alice, placement)
    assert post(client, f"/placements/{placement.pk}/depart").json()["status"] == "departed"
    body = post(client, f"/placements/{placement.pk}/arrive").json()
    assert body["status"] == "arrived"
    assert Person.objects.get(pk=placement.person_id).status == "abroad"


def test_cancel_needs_a_reason(alice, placement):
    client = verified_client(alice)
    assert post(client, f"/placements/{placement.pk}/cancel", {"reason": ""}).status_code == 422
    response = post(client, f"/placements/{placement.pk}/cancel", {"reason": "Batal"})
    assert response.json()["status"] == "cancelled"


def test_the_worker_reads_their_own_others_get_404(wati, tono, placement):
    response = verified_client(wati).get(f"{API}/placements/{placement.pk}")
    assert response.status_code == 200
    assert response.json()["card_url"].endswith(f"/jobs/card/{placement.card_code}/")
    assert verified_client(tono).get(f"{API}/placements/{placement.pk}").status_code == 404
    listed = verified_client(wati).get(f"{API}/placements").json()
    assert listed["count"] == 1


def test_the_export_is_masked_and_audited(alice, bob, placement):
    ready_to_leave(alice, placement)
    before = AuditEvent.objects.filter(action="export").count()
    response = verified_client(bob).get(f"{API}/placements/export.csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "12345678901" not in body and MASKED in body
    assert Person.objects.get(pk=placement.person_id).nik not in body
    assert AuditEvent.objects.filter(action="export").count() == before + 1
    assert verified_client(alice).get(f"{API}/placements/export.csv").status_code == 200


def test_orientation_sessions_crud_and_capacity_floor(alice, bob, placement):
    client = verified_client(alice)
    response = post(
        client,
        "/orientation-sessions",
        {
            "starts_at": (timezone.now() + timedelta(days=3)).isoformat(),
            "place": "BP3MI DKI Jakarta",
            "capacity": 2,
            "destination": "HK",
        },
    )
    assert response.status_code == 201, response.content
    sid = response.json()["id"]
    assert (
        post(
            client,
            "/orientation-sessions",
            {"starts_at": "2026-01-01T09:00:00", "place": "", "capacity": 0},
        ).status_code
        == 422
    )
    session = OrientationSession.objects.get(pk=sid)
    patch(client, f"/placements/{placement.pk}", {"orientation_session_id": sid})
    assert patch(client, f"/orientation-sessions/{sid}", {"capacity": 0}).status_code == 422
    assert client.delete(f"{API}/orientation-sessions/{sid}").status_code == 409
    assert verified_client(bob).get(f"{API}/orientation-sessions/{sid}").json()["taken"] == 1
    assert (
        patch(verified_client(bob), f"/orientation-sessions/{sid}", {"notes": "x"}).status_code
        == 403
    )
    empty = make_session(alice)
    assert client.delete(f"{API}/orientation-sessions/{empty.pk}").status_code == 204
    assert session.pk == sid
