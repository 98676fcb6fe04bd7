"""docs/security.md, test 1 across the apps built on the registry: a record outside the
caller's scope is 404 *and* leaves a denied-access audit row; and test 12's bad input:
a NUL character in a request body is refused with 400/422, never a 500 (PostgreSQL
refuses NUL in text)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import verified_client
from garda.accompaniment.services import assignment_add, task_create
from garda.audit.models import AuditEvent
from garda.people.tests.factories import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def wati_person(wati):
    return register(serial=11, user=wati)


@pytest.fixture
def tono_person(tono):
    return register(serial=12, user=tono)


def _denied_rows(user) -> int:
    return AuditEvent.objects.filter(actor=user, action=AuditEvent.Action.DENIED).count()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/people/{pk}/readiness",
        "/api/v1/people/{pk}/plan",
        "/api/v1/people/{pk}/documents",
        # Staff pages: a worker is refused by role (403, audited) before any lookup.
        "/destinations/people/{pk}/readiness/",
    ],
)
def test_a_worker_asking_for_another_workers_records_is_refused_and_audited(
    path, tono, wati_person, tono_person
):
    client = verified_client(tono)
    before = _denied_rows(tono)
    response = client.get(path.format(pk=wati_person.pk))
    assert response.status_code in (403, 404)
    assert wati_person.full_name not in response.content.decode()
    assert _denied_rows(tono) == before + 1


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/people/{pk}/tasks",
        "/api/v1/people/{pk}/timeline",
        "/api/v1/people/{pk}/readiness-summary.pdf",
        "/accompaniment/people/{pk}/timeline/",
    ],
)
def test_an_officer_not_accompanying_the_person_is_refused_and_audited(
    path, alice, carol, bob, wati_person
):
    assignment_add(actor=bob, person=wati_person, officer=alice)
    client = verified_client(carol)  # another agency's officer, not assigned
    before = _denied_rows(carol)
    response = client.get(path.format(pk=wati_person.pk))
    assert response.status_code == 404
    assert _denied_rows(carol) == before + 1


def test_someone_elses_task_is_refused_and_audited(alice, carol, bob, wati_person):
    assignment_add(actor=bob, person=wati_person, officer=alice)
    task = task_create(
        actor=alice,
        person=wati_person,
        title="Antar ke kantor imigrasi",
        due_at=timezone.now() + timedelta(days=2),
    )
    client = verified_client(carol)
    before = _denied_rows(carol)
    response = client.post(f"/api/v1/tasks/{task.pk}/complete", content_type="application/json")
    assert response.status_code == 404
    assert _denied_rows(carol) == before + 1
    task.refresh_from_db()
    assert task.done_at is None


@pytest.mark.parametrize(
    "body",
    [
        '{"destination": "KR\\u0000", "scheme": "g2g-kr-eps", "sector": "manufacturing"}',
        '{"destination": "KR", "scheme": "g2g-kr-eps\u0000", "sector": "manufacturing"}',
    ],
)
def test_a_nul_character_in_a_json_body_is_a_400(body, wati, wati_person):
    client = verified_client(wati)
    response = client.put(
        f"/api/v1/people/{wati_person.pk}/plan", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert not wati_person.plans.exists()


def test_a_nul_character_in_a_task_title_is_a_400(alice, bob, wati_person):
    assignment_add(actor=bob, person=wati_person, officer=alice)
    client = verified_client(alice)
    due = (timezone.now() + timedelta(days=3)).isoformat()
    response = client.post(
        f"/api/v1/people/{wati_person.pk}/tasks",
        f'{{"title": "Antar\\u0000", "due_at": "{due}"}}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not wati_person.accompaniment_tasks.exists()


def test_a_nul_character_in_an_upload_field_is_a_422(wati, wati_person):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from garda.documents.tests.samples import png_bytes

    client = verified_client(wati)
    response = client.post(
        f"/api/v1/people/{wati_person.pk}/documents",
        {
            "type": "ktp",
            "number": "3171\x00",
            "files": [SimpleUploadedFile("ktp.png", png_bytes())],
        },
    )
    assert response.status_code == 422
    assert not wati_person.documents.exists()
