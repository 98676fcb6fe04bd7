"""Certificate pages and the PDF: who sees what, revoking, recording a certificate
obtained elsewhere (multipart, CSRF), and the printable certificate."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.documents.models import Document
from garda.training import certificate_pdf as pdf_module
from garda.training.certificate_pdf import certificate_pdf
from garda.training.models import Certificate
from garda.training.services.certificates import certificate_issue, certificate_revoke, verify_url
from garda.training.tests.certificates_support import completed, external_form, uploaded_jlpt

# Every test here uses the database, also those that ask for personas by name
# (request.getfixturevalue): unmarked, pytest-django would run them after the
# transactional tests, whose flush removes the role groups.
pytestmark = pytest.mark.django_db

XSS = '"><svg onload=alert(1)>'


def client_for(user, lang: str = "en") -> Client:
    client = verified_client(user)
    client.cookies["django_language"] = lang
    return client


@pytest.fixture
def tono_cert(smaw, tono_person):
    return certificate_issue(actor=None, enrolment=completed(smaw, tono_person))


@pytest.fixture
def accompanied_tono(tono_person, alice):
    tono_person.assignments.create(officer=alice, assigned_by=alice)
    return tono_person


# --- the worker's certificates -------------------------------------------------------------


def test_a_worker_sees_their_certificates_with_pdf_and_verification_link(
    wati, wati_cert, tono_cert, settings
):
    settings.GARDA_BASE_URL = "https://garda.jakarta.go.id"  # links: test_certificate_links
    response = client_for(wati).get(reverse("training:my_certificates"))
    assert response.status_code == 200
    html = response.content.decode()
    assert wati_cert.number in html and tono_cert.number not in html
    assert reverse("training:certificate_pdf", args=[wati_cert.pk]) in html
    assert verify_url(wati_cert) in html
    assert AuditEvent.objects.filter(action="view", reason="certificates").exists()


def test_a_worker_without_a_record_sees_an_empty_page(tono):
    response = client_for(tono).get(reverse("training:my_certificates"))
    assert response.status_code == 200


def test_a_revoked_certificate_has_no_pdf_link(wati, wati_cert, admin_user):
    certificate_revoke(actor=admin_user, certificate=wati_cert, reason="Data palsu")
    html = client_for(wati).get(reverse("training:my_certificates")).content.decode()
    assert reverse("training:certificate_pdf", args=[wati_cert.pk]) not in html
    assert "Revoked" in html


@pytest.mark.parametrize("who", ["alice", "teguh", "putri"])
def test_my_certificates_is_for_workers(who, request):
    user = request.getfixturevalue(who)
    assert client_for(user).get(reverse("training:my_certificates")).status_code == 403


# --- one certificate ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["wati", "alice", "bob", "admin_user", "teguh"])
def test_who_sees_a_certificate(who, request, wati_cert):
    user = request.getfixturevalue(who)
    response = client_for(user).get(reverse("training:certificate", args=[wati_cert.pk]))
    assert response.status_code == 200
    assert "CERT-SMAW.001" in response.content.decode()


@pytest.mark.parametrize("who", ["tono", "putri", "carol_trainer"])
def test_others_get_404_and_a_denied_row(who, request, wati_cert, ppkd):
    if who == "carol_trainer":
        from conftest import make_user

        user = make_user("dedi@example.org", "trainer", ppkd)  # not a trainer of the batch
    else:
        user = request.getfixturevalue(who)
    response = client_for(user).get(reverse("training:certificate", args=[wati_cert.pk]))
    assert response.status_code in (403, 404)
    assert AuditEvent.objects.filter(action="denied", actor_id=user.pk).exists()


def test_only_revokers_see_the_revoke_form(wati_cert, alice, ppkd_supervisor):
    url = reverse("training:certificate", args=[wati_cert.pk])
    assert 'id="revoke"' not in client_for(alice).get(url).content.decode()
    assert 'id="revoke"' in client_for(ppkd_supervisor).get(url).content.decode()


def test_a_supervisor_revokes_from_the_page(wati_cert, ppkd_supervisor):
    url = reverse("training:certificate_revoke", args=[wati_cert.pk])
    response = client_for(ppkd_supervisor).post(url, {"reason": "Hasil uji dipalsukan"})
    assert response.status_code == 302
    wati_cert.refresh_from_db()
    assert wati_cert.status == "revoked"
    again = client_for(ppkd_supervisor).post(url, {"reason": "Lagi"})
    assert again.status_code == 409


def test_revoking_without_a_reason_is_refused(wati_cert, ppkd_supervisor):
    url = reverse("training:certificate_revoke", args=[wati_cert.pk])
    response = client_for(ppkd_supervisor).post(url, {"reason": ""})
    assert response.status_code == 400
    wati_cert.refresh_from_db()
    assert wati_cert.status == "valid"


def test_revoking_needs_csrf(wati_cert, ppkd_supervisor):
    client = verified_client(ppkd_supervisor)
    client.handler.enforce_csrf_checks = True
    url = reverse("training:certificate_revoke", args=[wati_cert.pk])
    assert client.post(url, {"reason": "Data palsu"}).status_code == 403
    wati_cert.refresh_from_db()
    assert wati_cert.status == "valid"


@pytest.mark.parametrize("who", ["alice", "wati", "teguh"])
def test_others_may_not_revoke(who, request, wati_cert):
    user = request.getfixturevalue(who)
    url = reverse("training:certificate_revoke", args=[wati_cert.pk])
    assert client_for(user).post(url, {"reason": "x"}).status_code == 403
    wati_cert.refresh_from_db()
    assert wati_cert.status == "valid"


# --- the PDF --------------------------------------------------------------------------------


def test_the_pdf_holds_the_number_and_the_verification_url(wati_cert, monkeypatch):
    seen: list[str] = []
    make = pdf_module.qrcode.make

    def spy(data, **kwargs):
        seen.append(data)
        return make(data, **kwargs)

    monkeypatch.setattr(pdf_module.qrcode, "make", spy)
    url = verify_url(wati_cert)
    content = certificate_pdf(wati_cert, url)
    assert content.startswith(b"%PDF")
    assert wati_cert.number.encode() in content  # the document's title
    assert url.encode() in content  # the QR code's and the footer's link
    assert seen == [url]


def test_the_pdf_download(wati, wati_cert):
    response = client_for(wati).get(reverse("training:certificate_pdf", args=[wati_cert.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export", reason="certificate pdf").exists()


def test_a_revoked_certificate_is_never_printed(wati, wati_cert, admin_user):
    certificate_revoke(actor=admin_user, certificate=wati_cert, reason="Data palsu")
    response = client_for(wati).get(reverse("training:certificate_pdf", args=[wati_cert.pk]))
    assert response.status_code == 409
    assert b"%PDF" not in response.content
    assert "revoked" in response.content.decode()
    wati_cert.refresh_from_db()
    with pytest.raises(ValueError):
        certificate_pdf(wati_cert, verify_url(wati_cert))


def test_any_name_prints(wati_cert, monkeypatch, settings):
    from garda.accompaniment import pdf as accompaniment_pdf

    wati_cert.person.full_name = "Nguyễn Thị Ánh 山田 " + XSS
    wati_cert.title = "Kursus “las” — SMAW"
    assert certificate_pdf(wati_cert, verify_url(wati_cert)).startswith(b"%PDF")
    settings.GARDA_PDF_FONT_DIR = ""
    monkeypatch.setattr(accompaniment_pdf, "FONT_DIRS", ())
    assert certificate_pdf(wati_cert, verify_url(wati_cert)).startswith(b"%PDF")


def test_many_units_still_print(wati_cert):
    wati_cert.units = [{"code": f"U.{i:03d}", "title": "Unit " * 20} for i in range(40)]
    assert certificate_pdf(wati_cert, verify_url(wati_cert)).startswith(b"%PDF")


# --- a person's certificates (registry) -------------------------------------------------------


def test_the_registry_sees_a_persons_certificates_and_the_form(alice, wati_cert, wati_person):
    url = reverse("training:person_certificates", args=[wati_person.pk])
    response = client_for(alice).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert wati_cert.number in html and 'enctype="multipart/form-data"' in html
    assert 'name="csrfmiddlewaretoken"' in html


@pytest.mark.parametrize("who", ["wati", "teguh", "putri"])
def test_the_person_page_is_for_the_registry(who, request, wati_person):
    user = request.getfixturevalue(who)
    url = reverse("training:person_certificates", args=[wati_person.pk])
    assert client_for(user).get(url).status_code == 403


def test_an_unknown_person_is_404(alice):
    url = reverse("training:person_certificates", args=[999999])
    assert client_for(alice).get(url).status_code == 404


def test_an_officer_records_an_external_certificate(alice, accompanied_tono):
    url = reverse("training:record_external", args=[accompanied_tono.pk])
    response = client_for(alice).post(url, external_form())
    assert response.status_code == 302
    certificate = Certificate.objects.get(person=accompanied_tono)
    assert certificate.source == "external" and certificate.level == "N4"
    assert certificate.document.status == Document.Status.VERIFIED


def test_a_bad_level_is_explained(alice, accompanied_tono):
    url = reverse("training:record_external", args=[accompanied_tono.pk])
    response = client_for(alice).post(url, external_form(level="N9"))
    assert response.status_code == 400
    assert "N5, N4, N3, N2, N1" in response.content.decode()
    assert not Certificate.objects.exists() and not Document.objects.exists()


def test_a_wrong_type_is_refused(alice, accompanied_tono):
    url = reverse("training:record_external", args=[accompanied_tono.pk])
    response = client_for(alice).post(url, external_form(document_type="passport"))
    assert response.status_code == 400
    assert not Certificate.objects.exists()


def test_an_officer_not_accompanying_may_not_upload(alice, tono_person):
    url = reverse("training:record_external", args=[tono_person.pk])
    response = client_for(alice).post(url, external_form())
    assert response.status_code == 403
    assert "persons you accompany" in response.content.decode()
    assert not Document.objects.exists()


def test_an_officer_picks_a_document_the_worker_uploaded(alice, tono, tono_person):
    pending = uploaded_jlpt(tono, tono_person)
    page = client_for(alice).get(reverse("training:person_certificates", args=[tono_person.pk]))
    assert f'value="{pending.pk}"' in page.content.decode()
    url = reverse("training:record_external", args=[tono_person.pk])
    response = client_for(alice).post(url, external_form(files=None, document=str(pending.pk)))
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Document.Status.VERIFIED


def test_recording_needs_csrf(alice, accompanied_tono):
    client = verified_client(alice)
    client.handler.enforce_csrf_checks = True
    url = reverse("training:record_external", args=[accompanied_tono.pk])
    assert client.post(url, external_form()).status_code == 403
    assert not Document.objects.exists()


@pytest.mark.parametrize("who", ["wati", "teguh", "putri"])
def test_others_may_not_record(who, request, accompanied_tono):
    user = request.getfixturevalue(who)
    url = reverse("training:record_external", args=[accompanied_tono.pk])
    assert client_for(user).post(url, external_form()).status_code == 403
    assert not Document.objects.exists()


def test_an_oversized_upload_is_refused_before_reading(alice, accompanied_tono, settings):
    settings.GARDA_DOCUMENT_MAX_BYTES = 1000
    settings.GARDA_DOCUMENT_MAX_TOTAL_BYTES = 1000
    url = reverse("training:record_external", args=[accompanied_tono.pk])
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * 200_000)
    response = client_for(alice).post(url, external_form(files=big))
    assert response.status_code == 413
    assert not Document.objects.exists()


def test_the_list_page_query_count_does_not_grow(alice, wati_person, smaw):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("training:person_certificates", args=[wati_person.pk])
    client = client_for(alice)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    certificate_issue(actor=None, enrolment=completed(smaw, wati_person))
    client.get(url)
    one = queries()
    for _ in range(5):
        certificate_issue(actor=None, enrolment=completed(smaw, wati_person))
    assert queries() == one
