"""Correction requests (UU 27/2022 art. 6): the worker asks, an officer who
accompanies them (or a supervisor) accepts, the change going through the registry's
own service, or rejects with a reason; the worker is told and sees the decision;
everything recorded and audited; bad input refused in Indonesian with nothing written."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import verified_client
from garda.accounts.models import Notification
from garda.audit.models import AuditEvent
from garda.people.models import Person
from garda.people.services.registry import person_verify_identity
from garda.people.tests.factories import nik_for
from garda.privacy.models import CorrectionEvent, CorrectionRequest
from garda.privacy.services.corrections import correction_request

pytestmark = pytest.mark.django_db


def _ask(client, **data):
    return client.post(reverse("privacy:my_correction_new"), data)


def test_worker_asks_officer_accepts_and_the_record_changes(wati, wati_person, alice):
    client = verified_client(wati)
    response = _ask(
        client, field="birth_place", requested_value="Bandung", reason="Salah ketik di KTP lama"
    )
    assert response.status_code == 302
    request = CorrectionRequest.objects.get(person=wati_person)
    assert request.status == "pending"
    assert Notification.objects.filter(user=alice, url__contains=str(request.pk)).exists()
    assert AuditEvent.objects.filter(
        action="create", object_type="privacy.correctionrequest", object_id=str(request.pk)
    ).exists()

    officer = verified_client(alice)
    queue = officer.get(reverse("privacy:corrections"))
    assert wati_person.full_name in queue.content.decode()
    assert officer.get(reverse("privacy:correction", args=[request.pk])).status_code == 200
    decided = officer.post(
        reverse("privacy:correction_decide", args=[request.pk]), {"decision": "accept"}
    )
    assert decided.status_code == 302
    wati_person.refresh_from_db()
    assert wati_person.birth_place == "Bandung"
    request.refresh_from_db()
    assert (request.status, request.decided_by, request.previous_value) == (
        "accepted",
        alice,
        "Jakarta",
    )
    assert list(request.events.values_list("kind", flat=True)) == ["asked", "accepted", "applied"]
    # The change is the registry's own audit row (the worker's access log shows it).
    assert AuditEvent.objects.filter(
        actor=alice, action="update", object_type="people.person", changed_fields=["birth_place"]
    ).exists()
    assert Notification.objects.filter(user=wati, url=reverse("privacy:my_corrections")).exists()
    mine = client.get(reverse("privacy:my_corrections")).content.decode()
    assert "Bandung" in mine


def test_officer_rejects_with_a_reason_the_worker_reads(wati, wati_person, alice):
    request = correction_request(
        actor=wati, person=wati_person, field="full_name", requested_value="Wati S.", reason="x"
    )
    officer = verified_client(alice)
    empty = officer.post(
        reverse("privacy:correction_decide", args=[request.pk]), {"decision": "reject"}
    )
    assert empty.status_code == 400
    assert "Sebutkan" in empty.content.decode() or "alasan" in empty.content.decode().lower()
    request.refresh_from_db()
    assert request.status == "pending"
    officer.post(
        reverse("privacy:correction_decide", args=[request.pk]),
        {"decision": "reject", "note": "Nama di KTP tertulis Wati Susanti."},
    )
    request.refresh_from_db()
    assert request.status == "rejected"
    wati_person.refresh_from_db()
    assert wati_person.full_name == "Wati Susanti"
    note = Notification.objects.filter(user=wati).latest("id")
    assert note.url == reverse("privacy:my_corrections")
    page = verified_client(wati).get(reverse("privacy:my_corrections")).content.decode()
    assert "Nama di KTP tertulis Wati Susanti." in page


def test_a_locked_field_may_be_asked_for_and_the_officer_decides(wati, wati_person, alice):
    person_verify_identity(actor=alice, person=wati_person)
    new_nik = nik_for(serial=77)
    response = _ask(verified_client(wati), field="nik", requested_value=new_nik, reason="NIK baru")
    assert response.status_code == 302
    request = CorrectionRequest.objects.get()
    # Shown masked to the worker on their list, in full to the deciding officer.
    mine = verified_client(wati).get(reverse("privacy:my_corrections")).content.decode()
    assert new_nik not in mine
    page = verified_client(alice).get(reverse("privacy:correction", args=[request.pk]))
    assert new_nik in page.content.decode()
    assert AuditEvent.objects.filter(
        actor=alice, action="reveal", reason="correction request"
    ).exists()
    verified_client(alice).post(
        reverse("privacy:correction_decide", args=[request.pk]), {"decision": "accept"}
    )
    assert Person.objects.get(pk=wati_person.pk).nik == new_nik


def test_an_officer_who_does_not_accompany_cannot_see_or_decide(wati, wati_person, carol):
    request = correction_request(
        actor=wati, person=wati_person, field="phone", requested_value="0812 1111 2222", reason="x"
    )
    client = verified_client(carol)
    assert wati_person.full_name not in client.get(reverse("privacy:corrections")).content.decode()
    assert client.get(reverse("privacy:correction", args=[request.pk])).status_code == 404
    response = client.post(
        reverse("privacy:correction_decide", args=[request.pk]), {"decision": "accept"}
    )
    assert response.status_code == 404
    api = client.post(
        f"/api/v1/privacy/corrections/{request.pk}/decision",
        {"decision": "accept"},
        content_type="application/json",
    )
    assert api.status_code == 404
    assert AuditEvent.objects.filter(actor=carol, action="denied").count() >= 3
    request.refresh_from_db()
    assert request.status == "pending"


def test_a_supervisor_decides_for_anyone(wati, wati_person, bob):
    request = correction_request(
        actor=wati, person=wati_person, field="education_level", requested_value="SMK", reason="x"
    )
    response = verified_client(bob).post(
        f"/api/v1/privacy/corrections/{request.pk}/decision",
        {"decision": "accept"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    assert Person.objects.get(pk=wati_person.pk).education_level == "smk"


def test_wrong_roles_are_refused_and_audited(wati, tono, tono_person, wati_person, teguh, putri):
    request = correction_request(
        actor=wati, person=wati_person, field="phone", requested_value="0812 1111 2222", reason="x"
    )
    # Another worker: 404 (not theirs) on the API, 403 on the staff pages.
    tono_client = verified_client(tono)
    assert tono_client.get(f"/api/v1/privacy/corrections/{request.pk}").status_code == 404
    assert tono_client.get(reverse("privacy:correction", args=[request.pk])).status_code == 403
    assert tono_client.get(reverse("privacy:corrections")).status_code == 403
    listed = tono_client.get("/api/v1/privacy/me/corrections").json()
    assert listed["count"] == 0
    # A worker cannot decide their own.
    own = verified_client(wati).post(
        f"/api/v1/privacy/corrections/{request.pk}/decision",
        {"decision": "accept"},
        content_type="application/json",
    )
    assert own.status_code == 403
    for user in (teguh, putri):
        assert verified_client(user).get(reverse("privacy:corrections")).status_code == 403
        assert AuditEvent.objects.filter(actor=user, action="denied").exists()
    assert AuditEvent.objects.filter(actor=tono, action="denied").count() >= 3
    request.refresh_from_db()
    assert request.status == "pending"


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"field": "", "reason": "x"}, "field", "Pilih"),
        ({"field": "nik", "requested_value": "123", "reason": "x"}, "requested_value", "NIK"),
        (
            {"field": "email", "requested_value": "bukan-email", "reason": "x"},
            "requested_value",
            "",
        ),
        ({"field": "phone", "requested_value": "0812 1111 2222", "reason": ""}, "reason", ""),
        ({"field": "other", "reason": "x"}, "description", ""),
        (
            {"field": "birth_place", "requested_value": "Jakarta", "reason": "x"},
            "requested_value",
            "",
        ),
    ],
)
def test_bad_input_is_refused_in_indonesian_and_nothing_is_written(
    wati, wati_person, data, field, words
):
    client = verified_client(wati)
    client.cookies["django_language"] = "id"
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    response = _ask(client, **data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error"' in html
    assert f'id="id_{field}_error"' in html
    assert words in html
    assert "There is a problem" not in html  # Indonesian
    assert not CorrectionRequest.objects.exists()
    assert not CorrectionEvent.objects.exists()
    written = AuditEvent.objects.filter(id__gt=before).exclude(action__in=["view", "login"])
    assert not written.exists()


def test_api_bad_input_is_a_422_in_indonesian(wati, wati_person):
    client = verified_client(wati)
    response = client.post(
        "/api/v1/privacy/me/corrections",
        {"field": "birth_date", "requested_value": "31-02-1990", "reason": "x"},
        content_type="application/json",
        headers={"accept-language": "id"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "requested_value"
    assert not CorrectionRequest.objects.exists()
    ok = client.post(
        "/api/v1/privacy/me/corrections",
        {"field": "birth_date", "requested_value": "1990-01-02", "reason": "Salah tanggal"},
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["status"] == "pending"


def test_evidence_must_be_the_workers_own_document(wati, wati_person, tono, tono_person):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from garda.documents.models import DocumentType
    from garda.documents.services import document_upload
    from garda.documents.tests.samples import png_bytes

    other = document_upload(
        actor=None,
        person=tono_person,
        type=DocumentType.objects.get(code="diploma"),
        files=[SimpleUploadedFile("ijazah.png", png_bytes())],
        number="DN-1",
    )
    response = verified_client(wati).post(
        "/api/v1/privacy/me/corrections",
        {
            "field": "other",
            "description": "Alamat salah",
            "reason": "x",
            "evidence_document_id": other.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not CorrectionRequest.objects.exists()


def test_an_accept_that_cannot_be_applied_writes_nothing(wati, wati_person, alice, tono_person):
    """Another record holds the NIK asked for: the officer is told, nothing changes."""
    request = correction_request(
        actor=wati, person=wati_person, field="nik", requested_value=tono_person.nik, reason="x"
    )
    response = verified_client(alice).post(
        reverse("privacy:correction_decide", args=[request.pk]), {"decision": "accept"}
    )
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.status == "pending"
    assert list(request.events.values_list("kind", flat=True)) == ["asked"]
    assert Person.objects.get(pk=wati_person.pk).nik == wati_person.nik


def test_a_request_is_decided_once(wati, wati_person, alice, bob):
    request = correction_request(
        actor=wati, person=wati_person, field="birth_place", requested_value="Bogor", reason="x"
    )
    verified_client(alice).post(
        reverse("privacy:correction_decide", args=[request.pk]), {"decision": "accept"}
    )
    again = verified_client(bob).post(
        f"/api/v1/privacy/corrections/{request.pk}/decision",
        {"decision": "reject", "note": "tidak"},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert Person.objects.get(pk=wati_person.pk).birth_place == "Bogor"


def test_a_birth_date_the_nik_contradicts_needs_the_officers_reason(wati, wati_person, alice):
    request = correction_request(
        actor=wati, person=wati_person, field="birth_date", requested_value="1990-01-02", reason="x"
    )
    client = verified_client(alice)
    url = reverse("privacy:correction_decide", args=[request.pk])
    refused = client.post(url, {"decision": "accept"})
    assert refused.status_code == 400
    assert Person.objects.get(pk=wati_person.pk).birth_date == date(1990, 1, 1)
    client.post(url, {"decision": "accept", "note": "Akta lahir: 2 Januari 1990."})
    person = Person.objects.get(pk=wati_person.pk)
    assert person.birth_date == date(1990, 1, 2)
    assert person.nik_mismatch_reason == "Akta lahir: 2 Januari 1990."


def test_queue_query_count_does_not_grow(wati, wati_person, alice, django_assert_max_num_queries):
    for n in range(3):
        correction_request(
            actor=wati, person=wati_person, field="other", description=f"d{n}", reason="x"
        )
    client = verified_client(alice)
    client.get(reverse("privacy:corrections"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("privacy:corrections"))
    correction_request(actor=wati, person=wati_person, field="other", description="d9", reason="x")
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("privacy:corrections"))
    assert len(few) == len(more)


def test_api_null_characters_are_a_422_not_a_server_error(wati, wati_person):
    """PostgreSQL refuses NUL in text: refused before the database (the API's guard,
    and the service by field for any other caller)."""
    response = verified_client(wati).post(
        "/api/v1/privacy/me/corrections",
        {"field": "other", "description": "a\x00b", "reason": "x\x00"},
        content_type="application/json",
    )
    assert response.status_code in (400, 422)
    with pytest.raises(ValidationError) as refused:
        correction_request(
            actor=wati, person=wati_person, field="other", description="a\x00b", reason="x\x00"
        )
    assert {"description", "reason"} <= set(refused.value.message_dict)
    assert not CorrectionRequest.objects.exists()
