"""The documents API: types, a person's documents, upload (multipart), one document,
its files, verify/reject, the queue and expiring documents."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.documents.access import HEALTH_FIELDS
from garda.documents.models import Document
from garda.documents.seed import DOCUMENT_TYPES
from garda.documents.services import document_verify
from garda.documents.tests.conftest import upload
from garda.documents.tests.samples import pdf_bytes, png_bytes
from garda.people.tests.factories import register

pytestmark = pytest.mark.django_db
HUGE = "99999999999999999999"
CONTRACT_CODES = {
    "ktp", "kk", "birth-certificate", "diploma", "marital-status", "consent", "skck",
    "competency-certificate", "medical", "colour-vision", "passport", "work-visa",
    "placement-agreement", "work-agreement", "bpjs-tk", "opp", "eps-topik", "jlpt",
    "jft-basic", "ssw-skill-test", "goethe", "ielts", "hsk", "nursing-registration",
    "experience-letter",
}  # fmt: skip


def _post_upload(client, person_id, *, files=None, **fields):
    data = {"type": "kk", "number": "KK 77", **fields}
    data["files"] = files or [SimpleUploadedFile("kk.png", png_bytes())]
    return client.post(f"/api/v1/people/{person_id}/documents", data)


def test_document_types_hold_the_contract_codes(wati):
    response = verified_client(wati).get("/api/v1/document-types")
    assert response.status_code == 200
    by_code = {t["code"]: t for t in response.json()}
    assert set(by_code) == CONTRACT_CODES == {row["code"] for row in DOCUMENT_TYPES}
    assert by_code["jlpt"]["levels"] == ["N5", "N4", "N3", "N2", "N1"]
    assert by_code["passport"]["min_remaining_months"] == 18
    assert by_code["passport"]["has_expiry"] and by_code["passport"]["issuer_kind"] == "immigration"
    assert by_code["medical"]["validity_months"] == 3 and by_code["medical"]["is_health"]
    assert by_code["ielts"]["is_scored"] and by_code["eps-topik"]["is_scored"]


def test_upload_list_and_read_one(wati, wati_person):
    client = verified_client(wati)
    response = _post_upload(client, wati_person.pk)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["type"] == "kk" and body["number"] == "KK 77"
    assert [f["page"] for f in body["files"]] == [1]
    assert body["files"][0]["url"] == f"/api/v1/documents/{body['id']}/files/1"
    listed = client.get(f"/api/v1/people/{wati_person.pk}/documents").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]
    one = client.get(f"/api/v1/documents/{body['id']}")
    assert one.status_code == 200 and one.json()["version"] == 1
    file = client.get(body["files"][0]["url"])
    assert file.status_code == 200 and file.content[:4] == b"\x89PNG"
    assert file["Content-Disposition"].startswith("attachment;")
    assert file["X-Content-Type-Options"] == "nosniff"


def test_upload_errors_are_field_level(wati, wati_person):
    client = verified_client(wati)
    renamed = _post_upload(
        client,
        wati_person.pk,
        type="passport",
        files=[SimpleUploadedFile("passport.pdf", b"MZ" + b"\0" * 300)],
    )
    assert renamed.status_code == 422
    errors = {(e["field"], e["code"]) for e in renamed.json()["errors"]}
    assert ("files", "unsupported_type") in errors and ("expires_on", "required") in errors
    unknown = _post_upload(client, wati_person.pk, type="nope")
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "type"
    no_files = client.post(f"/api/v1/people/{wati_person.pk}/documents", {"type": "kk"})
    assert no_files.status_code == 422
    assert not Document.objects.exists()
    blank_dates = _post_upload(client, wati_person.pk, issued_on="", expires_on="")
    assert blank_dates.status_code == 201 and blank_dates.json()["issued_on"] is None


def test_upload_over_the_limit_is_413(wati, wati_person, settings):
    settings.GARDA_DOCUMENT_MAX_BYTES = 2000
    client = verified_client(wati)
    url = f"/api/v1/people/{wati_person.pk}/documents"
    early = client.post(
        url, b"--x\r\n", content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=str(10**9)
    )
    assert early.status_code == 413 and early.json()["detail"]
    big = _post_upload(client, wati_person.pk, files=[SimpleUploadedFile("a.png", b"\0" * 200_000)])
    assert big.status_code == 413
    one = _post_upload(
        client, wati_person.pk, files=[SimpleUploadedFile("scan.png", b"\x89PNG" + b"\0" * 3000)]
    )
    assert one.status_code == 413 and "scan.png" in one.json()["detail"]
    assert not Document.objects.exists()


def test_another_worker_gets_404_and_lists_without_others(wati, wati_person, tono, tono_person):
    document = upload(wati_person, wati, "ktp")
    client = verified_client(tono)
    assert client.get(f"/api/v1/people/{wati_person.pk}/documents").status_code == 404
    assert client.get(f"/api/v1/documents/{document.pk}").status_code == 404
    assert client.get(f"/api/v1/documents/{document.pk}/files/1").status_code == 404
    assert _post_upload(client, wati_person.pk).status_code == 404
    assert AuditEvent.objects.filter(actor=tono, action="denied").count() >= 2
    assert client.get(f"/api/v1/people/{tono_person.pk}/documents").json()["count"] == 0


def test_trainer_partner_and_anonymous(wati, wati_person, teguh, putri, client):
    document = upload(wati_person, wati, "ktp")
    for user in (teguh, putri):
        other = verified_client(user)
        assert other.get(f"/api/v1/documents/{document.pk}").status_code == 404
        assert other.get(f"/api/v1/documents/{document.pk}/files/1").status_code == 404
        assert other.get(f"/api/v1/people/{wati_person.pk}/documents").status_code == 403
    assert client.get(f"/api/v1/documents/{document.pk}/files/1").status_code == 401
    assert client.get("/api/v1/document-types").status_code == 401


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/documents/{HUGE}",
        f"/api/v1/documents/{HUGE}/files/1",
        f"/api/v1/people/{HUGE}/documents",
        f"/documents/{HUGE}/",
        f"/documents/{HUGE}/files/1/",
        f"/documents/person/{HUGE}/",
    ],
)
def test_huge_ids_are_not_found(admin_user, path):
    assert verified_client(admin_user).get(path).status_code in (404, 422)


def test_huge_page_of_a_file_is_not_found(wati, wati_person):
    document = upload(wati_person, wati, "ktp")
    response = verified_client(wati).get(f"/api/v1/documents/{document.pk}/files/{HUGE}")
    assert response.status_code in (404, 422)


def test_health_keys_are_absent_for_roles_without_need(
    wati, wati_person, alice, bob, carol, hana, admin_user
):
    document = upload(wati_person, wati, "medical", number="MED-1", note="Catatan")
    for user in (bob, carol):
        client = verified_client(user)
        item = client.get(f"/api/v1/documents/{document.pk}").json()
        assert not set(HEALTH_FIELDS) & set(item), user
        assert item["status"] == "pending" and item["is_health"]
        listed = client.get(f"/api/v1/people/{wati_person.pk}/documents").json()["items"]
        assert not set(HEALTH_FIELDS) & set(listed[0])
        queue = client.get("/api/v1/documents/queue").json()["items"]
        assert document.pk not in [i["id"] for i in queue]  # not theirs to judge
        assert client.get(f"/api/v1/documents/{document.pk}/files/1").status_code == 404
        assert "MED-1" not in client.get(f"/api/v1/documents/{document.pk}").content.decode()
    for user in (alice, hana, admin_user, wati):
        item = verified_client(user).get(f"/api/v1/documents/{document.pk}").json()
        assert set(HEALTH_FIELDS) <= set(item), user
        assert item["number"] == "MED-1" and item["note"] == "Catatan"


def test_each_file_view_writes_one_audit_row(wati, wati_person, alice):
    document = upload(wati_person, wati, "ktp", files=[SimpleUploadedFile("k.pdf", pdf_bytes())])
    client = verified_client(alice)
    before = AuditEvent.objects.count()
    for _ in range(3):
        assert client.get(f"/api/v1/documents/{document.pk}/files/1").content == pdf_bytes()
    rows = AuditEvent.objects.filter(pk__gt=0).order_by("-id")[:3]
    assert AuditEvent.objects.count() - before == 3
    assert {(r.action, r.object_id, r.reason) for r in rows} == {
        ("view", str(document.pk), "file page 1")
    }


def test_verify_and_reject_through_the_api(wati, wati_person, alice, bob):
    document = upload(wati_person, wati, "kk")
    client = verified_client(alice)
    verified = client.post(f"/api/v1/documents/{document.pk}/verify")
    assert verified.status_code == 200 and verified.json()["status"] == "verified"
    assert verified.json()["version"] == 2
    again = client.post(f"/api/v1/documents/{document.pk}/verify", HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 409 and "already “Verified”" in again.json()["detail"]
    url = f"/api/v1/documents/{document.pk}/reject"
    no_reason = client.post(url, {"reason": " "}, content_type="application/json")
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    rejected = verified_client(bob).post(url, {"reason": "Palsu"}, content_type="application/json")
    assert rejected.status_code == 200
    assert (
        rejected.json()["status"] == "rejected" and rejected.json()["rejection_reason"] == "Palsu"
    )
    worker = verified_client(wati).post(f"/api/v1/documents/{document.pk}/verify")
    assert worker.status_code == 403


def test_the_queue_endpoint_is_paginated_with_constant_queries(alice, carol):
    def pending(start, n):
        for i in range(n):
            person = register(serial=200 + start + i, actor=alice, full_name=f"Antre {start + i}")
            upload(person, alice, "diploma")

    pending(0, 2)
    client = verified_client(carol)
    with CaptureQueriesContext(connection) as few:
        first = client.get("/api/v1/documents/queue").json()
    pending(2, 30)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/api/v1/documents/queue").json()
    assert len(many) == len(few) and len(many) <= 20
    assert first["count"] == 2 and page["count"] == 32 and len(page["items"]) == 25
    second = client.get("/api/v1/documents/queue", {"page": 2}).json()
    assert len(second["items"]) == 7
    ids = [i["id"] for i in page["items"]] + [i["id"] for i in second["items"]]
    assert ids == sorted(ids)  # oldest first
    assert client.get("/api/v1/documents/queue", {"mine": True}).json()["count"] == 0
    assert (
        verified_client(alice).get("/api/v1/documents/queue", {"mine": True}).json()["count"] == 32
    )
    # An identity scan waits for the person's own officers (issue 19): not in carol's queue.
    person = register(serial=299, actor=alice, full_name="Antre KK")
    kk = upload(person, alice, "kk")
    ids = [
        i["id"] for i in client.get("/api/v1/documents/queue", {"page_size": 100}).json()["items"]
    ]
    assert kk.pk not in ids
    mine = verified_client(alice).get("/api/v1/documents/queue", {"page_size": 100}).json()
    assert kk.pk in [i["id"] for i in mine["items"]]


def test_expiring_endpoint(siti, alice, carol):
    soon = timezone.localdate() + timedelta(days=60)
    passport = document_verify(
        actor=alice, document=upload(siti, alice, "passport", expires_on=soon)
    )
    items = verified_client(alice).get("/api/v1/documents/expiring").json()["items"]
    assert [i["id"] for i in items] == [passport.pk]
    assert items[0]["state"] == "verified"  # 60 days: in the list, not yet in the 30-day state
    assert verified_client(carol).get("/api/v1/documents/expiring").json()["count"] == 0
    short = verified_client(alice).get("/api/v1/documents/expiring", {"within_days": 30}).json()
    assert short["count"] == 0


def test_status_and_reviewer_in_the_upload_body_are_ignored(wati, wati_person, alice):
    response = _post_upload(
        verified_client(wati),
        wati_person.pk,
        status="verified",
        reviewed_by=alice.pk,
        uploaded_by=alice.pk,
        version=9,
    )
    assert response.status_code == 201
    document = Document.objects.get()
    assert document.status == "pending" and document.reviewed_by is None
    assert document.uploaded_by == wati and document.version == 1


def test_a_person_s_documents_list_has_constant_queries(siti, alice, carol):
    client = verified_client(alice)
    upload(siti, alice, "ktp")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/api/v1/people/{siti.pk}/documents")
    for code in ("kk", "passport", "medical", "jlpt", "diploma"):
        upload(siti, alice, code)
    with CaptureQueriesContext(connection) as many:
        items = client.get(f"/api/v1/people/{siti.pk}/documents").json()["items"]
    assert len(many) == len(few) and len(items) == 6
    # An officer who does not accompany Siti sees the pending ones only, and not her
    # identity scans (ktp, kk, passport: issue 19).
    assert verified_client(carol).get(f"/api/v1/people/{siti.pk}/documents").json()["count"] == 3
    document_verify(actor=alice, document=Document.objects.get(type__code="diploma"))
    assert verified_client(carol).get(f"/api/v1/people/{siti.pk}/documents").json()["count"] == 2
