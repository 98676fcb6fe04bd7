"""Certificates in the API: one certificate, its PDF, revoking, a person's list
(paginated, fixed number of queries) and recording one obtained elsewhere."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import verified_client
from garda.documents.models import Document
from garda.training.models import Certificate
from garda.training.services.certificates import certificate_issue, certificate_revoke
from garda.training.tests.certificates_support import completed, external_form, uploaded_jlpt

# Every test here uses the database, also those that ask for personas by name
# (request.getfixturevalue): unmarked, pytest-django would run them after the
# transactional tests, whose flush removes the role groups.
pytestmark = pytest.mark.django_db


@pytest.fixture
def accompanied_tono(tono_person, alice):
    tono_person.assignments.create(officer=alice, assigned_by=alice)
    return tono_person


# --- one certificate ---------------------------------------------------------------------


def test_the_holder_reads_their_certificate(wati, wati_cert):
    response = verified_client(wati).get(f"/api/v1/certificates/{wati_cert.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == wati_cert.number and body["status"] == "valid"
    assert body["units"][0] == {"code": "CERT-SMAW.001", "title": "Unit CERT-SMAW.001"}
    assert body["document_type"] == "competency-certificate"
    assert body["verify_url"].endswith(f"/training/verify/{wati_cert.verification_code}/")


@pytest.mark.parametrize("who", ["tono", "putri"])
def test_others_get_404(who, request, wati_cert):
    user = request.getfixturevalue(who)
    assert verified_client(user).get(f"/api/v1/certificates/{wati_cert.pk}").status_code == 404
    assert verified_client(user).get(f"/api/v1/certificates/{wati_cert.pk}/pdf").status_code == 404


def test_anonymous_gets_401(wati_cert):
    assert Client().get(f"/api/v1/certificates/{wati_cert.pk}").status_code == 401


def test_the_pdf(teguh, wati_cert):
    response = verified_client(teguh).get(f"/api/v1/certificates/{wati_cert.pk}/pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_revoked_pdf_is_409(wati, wati_cert, admin_user):
    certificate_revoke(actor=admin_user, certificate=wati_cert, reason="Data palsu")
    response = verified_client(wati).get(
        f"/api/v1/certificates/{wati_cert.pk}/pdf", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 409
    assert "revoked" in response.json()["detail"]


# --- revoking -----------------------------------------------------------------------------


def test_an_admin_revokes(admin_user, wati_cert):
    client = verified_client(admin_user)
    url = f"/api/v1/certificates/{wati_cert.pk}/revoke"
    response = client.post(url, {"reason": "Data palsu"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["status"] == "revoked"
    assert response.json()["revoked_reason"] == "Data palsu"
    again = client.post(url, {"reason": "Lagi"}, content_type="application/json")
    assert again.status_code == 409


def test_revoking_without_a_reason_is_422(admin_user, wati_cert):
    response = verified_client(admin_user).post(
        f"/api/v1/certificates/{wati_cert.pk}/revoke",
        {"reason": " "},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reason"


@pytest.mark.parametrize("who", ["alice", "teguh", "wati"])
def test_others_may_not_revoke(who, request, wati_cert):
    user = request.getfixturevalue(who)
    response = verified_client(user).post(
        f"/api/v1/certificates/{wati_cert.pk}/revoke",
        {"reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403
    wati_cert.refresh_from_db()
    assert wati_cert.status == "valid"


# --- a person's certificates --------------------------------------------------------------


def test_the_list_is_paginated_and_its_queries_do_not_grow(alice, smaw, wati_person):
    client = verified_client(alice)
    url = f"/api/v1/people/{wati_person.pk}/certificates"
    certificate_issue(actor=None, enrolment=completed(smaw, wati_person))
    client.get(url)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    one = queries()
    for _ in range(6):
        certificate_issue(actor=None, enrolment=completed(smaw, wati_person))
    assert queries() == one
    body = client.get(url + "?page_size=5").json()
    assert body["count"] == 7 and len(body["items"]) == 5


def test_a_worker_lists_only_their_own(wati, tono, wati_cert, wati_person, tono_person, smaw):
    certificate_issue(actor=None, enrolment=completed(smaw, tono_person))
    mine = verified_client(wati).get(f"/api/v1/people/{wati_person.pk}/certificates").json()
    assert [c["id"] for c in mine["items"]] == [wati_cert.pk]
    other = verified_client(wati).get(f"/api/v1/people/{tono_person.pk}/certificates")
    assert other.status_code == 404


def test_trainers_and_partners_may_not_list(teguh, putri, wati_person):
    for user in (teguh, putri):
        response = verified_client(user).get(f"/api/v1/people/{wati_person.pk}/certificates")
        assert response.status_code == 403


# --- recording one obtained elsewhere ---------------------------------------------------------


def test_an_officer_records_with_a_file(alice, accompanied_tono):
    response = verified_client(alice).post(
        f"/api/v1/people/{accompanied_tono.pk}/certificates", external_form()
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["source"] == "external" and body["level"] == "N4"
    assert body["verify_url"] is None
    document = Document.objects.get(pk=body["document_id"])
    assert document.status == Document.Status.VERIFIED


def test_an_officer_records_from_a_document_id(alice, tono, tono_person):
    pending = uploaded_jlpt(tono, tono_person)
    response = verified_client(alice).post(
        f"/api/v1/people/{tono_person.pk}/certificates",
        external_form(files=None, document_id=str(pending.pk)),
    )
    assert response.status_code == 201, response.json()
    pending.refresh_from_db()
    assert pending.status == Document.Status.VERIFIED


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"level": "N9"}, "level"),
        ({"document_type": "ktp"}, "document_type"),
        ({"document_type": "no-such-type"}, "document_type"),
        ({"files": None}, "files"),
        ({"files": None, "document_id": "999999"}, "document_id"),
        ({"issued_on": "2999-01-01"}, "issued_on"),
    ],
)
def test_bad_input_is_422_naming_the_field(alice, accompanied_tono, overrides, field):
    response = verified_client(alice).post(
        f"/api/v1/people/{accompanied_tono.pk}/certificates", external_form(**overrides)
    )
    assert response.status_code == 422
    assert field in {e["field"] for e in response.json()["errors"]}
    assert not Certificate.objects.exists() and not Document.objects.exists()


def test_a_renamed_file_is_refused(alice, accompanied_tono):
    fake = SimpleUploadedFile("jlpt.png", b"<html><script>alert(1)</script></html>")
    response = verified_client(alice).post(
        f"/api/v1/people/{accompanied_tono.pk}/certificates", external_form(files=fake)
    )
    assert response.status_code == 422
    assert "files" in {e["field"] for e in response.json()["errors"]}


def test_an_officer_not_accompanying_may_not_upload(alice, tono_person):
    response = verified_client(alice).post(
        f"/api/v1/people/{tono_person.pk}/certificates", external_form()
    )
    assert response.status_code == 403
    assert not Document.objects.exists()


@pytest.mark.parametrize("who", ["wati", "teguh", "putri"])
def test_others_may_not_record(who, request, accompanied_tono):
    user = request.getfixturevalue(who)
    response = verified_client(user).post(
        f"/api/v1/people/{accompanied_tono.pk}/certificates", external_form()
    )
    assert response.status_code == 403
    assert not Document.objects.exists()


def test_an_oversized_body_is_413(alice, accompanied_tono, settings):
    settings.GARDA_DOCUMENT_MAX_BYTES = 1000
    settings.GARDA_DOCUMENT_MAX_TOTAL_BYTES = 1000
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * 200_000)
    response = verified_client(alice).post(
        f"/api/v1/people/{accompanied_tono.pk}/certificates", external_form(files=big)
    )
    assert response.status_code == 413
    assert not Document.objects.exists()
