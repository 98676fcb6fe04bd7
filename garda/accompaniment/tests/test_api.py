"""The accompaniment API: assignments, tasks, contacts; scoping and error format."""

import pytest
from django.utils import timezone

from conftest import verified_client
from garda.accompaniment.models import Task
from garda.accompaniment.services import task_create
from garda.accompaniment.tests.conftest import later
from garda.people.models import Assignment

JSON = "application/json"


def iso(value) -> str:
    return value.isoformat()


@pytest.mark.django_db
def test_assignments_api(bob, alice, dewi, carol, tono, wati, wati_person):
    client = verified_client(bob)
    url = f"/api/v1/people/{wati_person.pk}/assignments"
    created = client.post(url, {"officer_id": alice.pk}, content_type=JSON)
    assert created.status_code == 201
    assert created.json()["officer"]["email"] == "alice@example.org"
    assert created.json()["officer"]["agency"] == "Disnakertransgi"
    again = client.post(url, {"officer_id": alice.pk}, content_type=JSON)
    assert again.status_code == 422
    assert again.json()["errors"][0]["field"] == "officer_id"
    assert again.json()["errors"][0]["code"] == "already_assigned"
    worker = client.post(url, {"officer_id": tono.pk}, content_type=JSON)
    assert worker.status_code == 422 and worker.json()["errors"][0]["code"] == "not_an_officer"
    assert client.post(url, {"officer_id": carol.pk}, content_type=JSON).status_code == 403
    # The worker sees who accompanies them; another worker does not.
    assert [a["officer"]["id"] for a in verified_client(wati).get(url).json()] == [alice.pk]
    assert verified_client(tono).get(url).status_code == 404
    # An officer cannot assign a colleague, nor remove anyone.
    assert (
        verified_client(alice).post(url, {"officer_id": dewi.pk}, content_type=JSON).status_code
        == 403
    )
    delete = f"/api/v1/assignments/{created.json()['id']}"
    assert verified_client(alice).delete(delete).status_code == 403
    assert verified_client(carol).delete(delete).status_code == 403
    assert client.delete(delete).status_code == 204
    assert client.delete(delete).status_code == 404
    assert not Assignment.objects.filter(person=wati_person).exists()


@pytest.mark.django_db
def test_tasks_api(alice, dewi, siti):
    client = verified_client(alice)
    url = f"/api/v1/people/{siti.pk}/tasks"
    past = client.post(url, {"title": "Medical", "due_at": iso(later(hours=-1))}, content_type=JSON)
    assert past.status_code == 422
    assert past.json()["errors"] == [
        {"field": "due_at", "code": "past", "message": past.json()["errors"][0]["message"]}
    ]
    created = client.post(
        url,
        {
            "kind": "appointment",
            "title": "Imigrasi",
            "place": "Kanim Jaksel",
            "due_at": iso(later(days=2)),
            "note": "bawa KK",
        },
        content_type=JSON,
    )
    assert created.status_code == 201
    task = created.json()
    assert task["state"] == "open" and task["officer_id"] == alice.pk and not task["overdue"]
    listed = client.get(url).json()
    assert listed["count"] == 1 and listed["items"][0]["note"] == "bawa KK"
    moved = client.post(
        f"/api/v1/tasks/{task['id']}/reschedule",
        {"due_at": iso(later(days=4)), "version": 1},
        content_type=JSON,
    )
    assert moved.status_code == 200 and moved.json()["version"] == 2
    stale = client.post(
        f"/api/v1/tasks/{task['id']}/reschedule",
        {"due_at": iso(later(days=5)), "version": 1},
        content_type=JSON,
    )
    assert stale.status_code == 409 and stale.json()["version"] == 2
    assert client.post(f"/api/v1/tasks/{task['id']}/complete").json()["state"] == "done"
    closed = client.post(f"/api/v1/tasks/{task['id']}/cancel")
    assert closed.status_code == 422 and closed.json()["errors"][0]["code"] == "closed"
    assert client.get(url).json()["count"] == 0
    assert client.get(url, {"state": "closed"}).json()["count"] == 1
    # Another officer: the person is not theirs.
    other = verified_client(dewi)
    assert other.get(url).status_code == 404
    assert (
        other.post(url, {"title": "x", "due_at": iso(later(days=1))}, content_type=JSON).status_code
        == 404
    )
    assert other.post(f"/api/v1/tasks/{task['id']}/complete").status_code == 404


@pytest.mark.django_db
def test_tasks_api_mass_assignment_is_ignored(alice, dewi, siti):
    response = verified_client(alice).post(
        f"/api/v1/people/{siti.pk}/tasks",
        {
            "title": "Medical",
            "due_at": iso(later(days=1)),
            "done_at": iso(timezone.now()),
            "created_by": dewi.pk,
            "version": 9,
        },
        content_type=JSON,
    )
    assert response.status_code == 201
    task = Task.objects.get()
    assert task.done_at is None and task.created_by == alice and task.version == 1


@pytest.mark.django_db
def test_contacts_api(alice, wati, siti):
    client = verified_client(alice)
    url = f"/api/v1/people/{siti.pk}/contacts"
    created = client.post(url, {"channel": "phone", "summary": "Telepon"}, content_type=JSON)
    assert created.status_code == 201 and created.json()["officer_name"] == "Alice"
    future = client.post(
        url,
        {"channel": "phone", "summary": "x", "happened_at": iso(later(days=1))},
        content_type=JSON,
    )
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "happened_at"
    bad = client.post(url, {"channel": "pigeon", "summary": "x"}, content_type=JSON)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "channel"
    assert client.get(url).json()["count"] == 1
    assert verified_client(wati).get(url).status_code == 403


@pytest.mark.django_db
def test_supervisor_task_for_an_officer(bob, alice, siti, carol):
    client = verified_client(bob)
    url = f"/api/v1/people/{siti.pk}/tasks"
    missing = client.post(url, {"title": "x", "due_at": iso(later(days=1))}, content_type=JSON)
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "officer_id"
    ok = client.post(
        url, {"title": "x", "due_at": iso(later(days=1)), "officer_id": alice.pk}, content_type=JSON
    )
    assert ok.status_code == 201


@pytest.mark.django_db
def test_anonymous_gets_401(siti, alice):
    from django.test import Client

    task = task_create(actor=alice, person=siti, title="x", due_at=later(days=1))
    client = Client()
    assert client.get("/api/v1/worklist").status_code == 401
    assert client.post(f"/api/v1/tasks/{task.pk}/complete").status_code == 401
