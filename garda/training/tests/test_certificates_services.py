# ruff: noqa: F811 - pytest fixtures imported from certificates_support
"""services/certificates.py: issuing (numbers, snapshot, the readiness bridge), revoking and
recording certificates obtained elsewhere."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.utils import timezone

from garda.accounts.models import Agency, Notification
from garda.audit.models import AuditEvent
from garda.documents import storage
from garda.documents.models import Document, DocumentFile, DocumentType
from garda.documents.tests.samples import png_bytes
from garda.people.tests.factories import register
from garda.training.models import Certificate, CertificateSerial, Enrolment
from garda.training.services.certificates import (
    certificate_issue,
    certificate_record_external,
    certificate_revoke,
    number_prefix,
)
from garda.training.tests.certificates_support import (  # noqa: F401 - fixtures
    batch_of,
    completed,
    provider,
    smaw,
    tono_person,
    wati_cert,
    wati_done,
    wati_person,
    welding_course,
)
from garda.training.tests.factories import make_unit

# Every test here uses the database, also those that ask for personas by name
# (request.getfixturevalue): unmarked, pytest-django would run them after the
# transactional tests, whose flush removes the role groups.
pytestmark = pytest.mark.django_db


def _png(name: str = "jlpt.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes())


# --- issuing ------------------------------------------------------------------------------


def test_a_completed_enrolment_gets_a_numbered_certificate_with_a_snapshot(wati_done, teguh):
    today = timezone.localdate()
    certificate = certificate_issue(actor=teguh, enrolment=wati_done)
    assert certificate.number == f"GRD/PPKD-JT/{today.year}/00001"
    assert certificate.source == Certificate.Source.COURSE
    assert certificate.status == Certificate.Status.VALID
    assert certificate.person_id == wati_done.person_id
    assert certificate.title == "Pengelasan SMAW Posisi 3G"
    assert certificate.units == [
        {"code": "CERT-SMAW.001", "title": "Unit CERT-SMAW.001"},
        {"code": "CERT-SMAW.002", "title": "Unit CERT-SMAW.002"},
    ]
    assert certificate.kkni_level == 2
    assert certificate.issuer_name == "PPKD Jakarta Timur"
    assert (certificate.lsp_name, certificate.lsp_scheme) == (
        "LSP Las Indonesia",
        "Okupasi Juru Las SMAW 3G",
    )
    assert certificate.issued_on == today
    assert certificate.expires_on.year == today.year + 3
    assert certificate.issued_by == teguh
    event = AuditEvent.objects.get(object_type="training.certificate", action="create")
    assert event.object_id == str(certificate.pk) and event.actor_id == teguh.pk


def test_the_readiness_bridge_is_a_verified_document_without_file(wati_done, teguh):
    certificate = certificate_issue(actor=teguh, enrolment=wati_done)
    document = certificate.document
    assert document.type.code == "competency-certificate"
    assert document.status == Document.Status.VERIFIED
    assert document.person_id == wati_done.person_id
    assert document.number == certificate.number
    assert document.issued_on == certificate.issued_on
    assert document.expires_on == certificate.expires_on
    assert document.reviewed_by == teguh and document.uploaded_by == teguh
    assert document.note == f"Sertifikat Garda {certificate.number}"
    assert not DocumentFile.objects.filter(document=document).exists()
    assert certificate.document_type.code == "competency-certificate"


def test_a_course_that_certifies_nothing_writes_no_document(smaw, wati_person, ppkd):
    course = welding_course("cert-bahasa", certifies=None, sector="language")
    batch = batch_of(course, provider(ppkd), code="CERT-BHS-1")
    certificate = certificate_issue(actor=None, enrolment=completed(batch, wati_person))
    assert certificate.document is None and certificate.issued_by is None
    assert not Document.objects.exists()


def test_the_holder_is_notified_with_a_link_to_their_certificates(wati_done, wati):
    certificate_issue(actor=None, enrolment=wati_done)
    note = Notification.objects.get(user=wati)
    assert note.url == "/training/certificates/mine/"


def test_issuing_twice_returns_the_same_certificate(wati_done):
    first = certificate_issue(actor=None, enrolment=wati_done)
    second = certificate_issue(actor=None, enrolment=wati_done)
    assert first.pk == second.pk
    assert Certificate.objects.count() == 1 and Document.objects.count() == 1
    assert CertificateSerial.objects.get().last == 1


@pytest.mark.parametrize("status", ["enrolled", "waitlisted", "withdrawn", "no_show"])
def test_only_a_completed_enrolment_gets_a_certificate(smaw, wati_person, status):
    enrolment = completed(smaw, wati_person, status=status)
    with pytest.raises(ValidationError) as caught:
        certificate_issue(actor=None, enrolment=enrolment)
    assert caught.value.code == "not_completed"
    assert not Certificate.objects.exists() and not CertificateSerial.objects.filter(last__gt=0)


def test_numbers_are_sequential_per_provider_and_year(smaw, wati_person, tono_person, ppkd):
    year = timezone.localdate().year
    first = certificate_issue(actor=None, enrolment=completed(smaw, wati_person))
    second = certificate_issue(actor=None, enrolment=completed(smaw, tono_person))
    lpk = Agency.objects.create(
        name="LPK Karya Mandiri", short_name="lpk karya  mandiri", kind=Agency.Kind.TRAINING
    )
    other = batch_of(smaw.course, provider(lpk, kind="lpk"), code="CERT-LPK-1")
    third = certificate_issue(
        actor=None, enrolment=completed(other, register(serial=9, full_name="Rina"))
    )
    assert [first.number, second.number] == [
        f"GRD/PPKD-JT/{year}/00001",
        f"GRD/PPKD-JT/{year}/00002",
    ]
    assert third.number == f"GRD/LPK-KARYA-MANDIRI/{year}/00001"


def test_the_serial_starts_again_each_year(smaw, wati_person):
    year = timezone.localdate().year
    CertificateSerial.objects.create(provider=smaw.provider, year=year - 1, last=41)
    certificate = certificate_issue(actor=None, enrolment=completed(smaw, wati_person))
    assert certificate.number.endswith(f"/{year}/00001")


def test_a_failed_issue_gives_the_serial_back(smaw, wati_person, tono_person, monkeypatch):
    """Gap-free: the serial is taken in the certificate's transaction."""
    from garda.training.services import certificates

    def broken(**kwargs):
        raise RuntimeError("audit down")

    enrolment = completed(smaw, wati_person)
    monkeypatch.setattr(certificates, "audit_record", broken)
    with pytest.raises(RuntimeError):
        certificate_issue(actor=None, enrolment=enrolment)
    monkeypatch.undo()
    assert not Certificate.objects.exists() and not Document.objects.exists()
    certificate = certificate_issue(actor=None, enrolment=enrolment)
    assert certificate.number.endswith("/00001")


def test_number_prefix_upper_cases_and_dashes_spaces(smaw):
    assert number_prefix(smaw.provider) == "PPKD-JT"


def test_a_unit_snapshot_keeps_the_course_order(ppkd, wati_person):
    units = [make_unit("Z.9", "Terakhir"), make_unit("A.1", "Pertama")]
    course = welding_course("cert-order", units=units)
    batch = batch_of(course, provider(ppkd), code="CERT-ORD-1")
    certificate = certificate_issue(actor=None, enrolment=completed(batch, wati_person))
    assert [u["code"] for u in certificate.units] == ["Z.9", "A.1"]


# --- revoking -------------------------------------------------------------------------------


def test_a_supervisor_revokes_and_the_bridge_document_is_rejected(wati_cert, ppkd_supervisor, wati):
    revoked = certificate_revoke(
        actor=ppkd_supervisor, certificate=wati_cert, reason="  Data  palsu "
    )
    assert revoked.status == Certificate.Status.REVOKED
    assert revoked.revoked_reason == "Data palsu" and revoked.revoked_by == ppkd_supervisor
    document = Document.objects.get(pk=wati_cert.document_id)
    assert document.status == Document.Status.REJECTED
    assert document.rejection_reason == "Sertifikat dicabut: Data palsu"
    assert document.changed_at >= revoked.revoked_at
    assert AuditEvent.objects.filter(
        object_type="training.certificate", action="update", reason="revoked"
    ).exists()
    note = Notification.objects.filter(user=wati).latest("pk")  # the revocation's
    assert wati_cert.title in note.title
    assert wati_cert.number in note.body and wati_cert.number not in note.title


@pytest.mark.parametrize("who", ["alice", "teguh", "wati", "putri"])
def test_only_admins_and_supervisors_revoke(wati_cert, who, request):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        certificate_revoke(actor=actor, certificate=wati_cert, reason="Data palsu")
    wati_cert.refresh_from_db()
    assert wati_cert.status == Certificate.Status.VALID
    assert AuditEvent.objects.filter(
        action="denied", reason="training.certificate_revoke", actor_id=actor.pk
    ).exists()


def test_revoking_needs_a_reason_and_happens_once(wati_cert, admin_user):
    with pytest.raises(ValidationError) as caught:
        certificate_revoke(actor=admin_user, certificate=wati_cert, reason="   ")
    assert caught.value.error_dict["reason"][0].code == "required"
    with pytest.raises(ValidationError) as caught:
        certificate_revoke(actor=admin_user, certificate=wati_cert, reason="x" * 501)
    assert caught.value.error_dict["reason"][0].code == "max_length"
    certificate_revoke(actor=admin_user, certificate=wati_cert, reason="Data palsu")
    with pytest.raises(ValidationError) as caught:
        certificate_revoke(actor=admin_user, certificate=wati_cert, reason="Lagi")
    assert caught.value.code == "state_changed"
    wati_cert.refresh_from_db()
    assert wati_cert.revoked_reason == "Data palsu"


# --- certificates obtained elsewhere --------------------------------------------------------


@pytest.fixture
def accompanied_tono(tono_person, alice):
    tono_person.assignments.create(officer=alice, assigned_by=alice)
    return tono_person


def _jlpt():
    return DocumentType.objects.get(code="jlpt")


def _record(actor, person, **overrides):
    values = {
        "document_type": _jlpt(),
        "number": "n4-2025 0042",
        "issuer_name": "Japan Foundation",
        "issued_on": timezone.localdate() - timedelta(days=30),
        "level": "n4",
    }
    values.update(overrides)
    if "files" not in values and "document" not in values:
        values["files"] = [_png()]
    return certificate_record_external(actor=actor, person=person, **values)


def test_an_officer_records_a_jlpt_result_with_its_file(accompanied_tono, alice):
    certificate = _record(alice, accompanied_tono)
    assert certificate.source == Certificate.Source.EXTERNAL
    assert certificate.number == "N4-2025 0042"
    assert certificate.level == "N4"
    assert certificate.title == f"{_jlpt().name} N4"
    assert certificate.issued_by == alice and certificate.enrolment is None
    document = certificate.document
    assert document.type.code == "jlpt" and document.level == "N4"
    assert document.status == Document.Status.VERIFIED and document.reviewed_by == alice
    assert DocumentFile.objects.filter(document=document).count() == 1
    assert AuditEvent.objects.filter(object_type="training.certificate", action="create").exists()


def test_an_officer_verifies_a_document_the_worker_uploaded(tono_person, alice, tono):
    from garda.documents.services import document_upload

    pending = document_upload(
        actor=tono, person=tono_person, type=_jlpt(), files=[_png()], level="N4"
    )
    assert pending.status == Document.Status.PENDING
    certificate = _record(alice, tono_person, document=pending)
    pending.refresh_from_db()
    assert pending.status == Document.Status.VERIFIED
    assert certificate.document_id == pending.pk
    with pytest.raises(ValidationError) as caught:
        _record(alice, tono_person, document=pending)
    assert caught.value.error_dict["document"][0].code == "duplicate"


def test_the_level_must_match_the_document(tono_person, alice, tono):
    from garda.documents.services import document_upload

    pending = document_upload(
        actor=tono, person=tono_person, type=_jlpt(), files=[_png()], level="N5"
    )
    with pytest.raises(ValidationError) as caught:
        _record(alice, tono_person, document=pending, level="N4")
    assert caught.value.error_dict["level"][0].code == "mismatch"
    pending.refresh_from_db()
    assert pending.status == Document.Status.PENDING and not Certificate.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"level": "N7"}, "level", "invalid_level"),
        ({"level": ""}, "level", "invalid_level"),
        ({"number": ""}, "number", "required"),
        ({"issuer_name": " "}, "issuer_name", "required"),
        ({"issued_on": None}, "issued_on", "required"),
        ({"issued_on": timezone.localdate() + timedelta(days=2)}, "issued_on", "future"),
        ({"expires_on": timezone.localdate() - timedelta(days=60)}, "expires_on", "before_issue"),
        ({"files": None}, "files", "file_or_document"),
    ],
)
def test_bad_details_are_refused_by_field(accompanied_tono, alice, overrides, field, code):
    with pytest.raises(ValidationError) as caught:
        _record(alice, accompanied_tono, **overrides)
    assert [e.code for e in caught.value.error_dict[field]] == [code]
    assert not Certificate.objects.exists() and not Document.objects.exists()


def test_a_level_message_names_the_levels(accompanied_tono, alice):
    with pytest.raises(ValidationError) as caught:
        _record(alice, accompanied_tono, level="N7")
    assert "N5, N4, N3, N2, N1" in caught.value.error_dict["level"][0].message


def test_a_scored_type_takes_a_number(accompanied_tono, alice):
    eps = DocumentType.objects.get(code="eps-topik")
    with pytest.raises(ValidationError) as caught:
        _record(alice, accompanied_tono, document_type=eps, level="lulus")
    assert caught.value.error_dict["level"][0].code == "invalid_score"
    certificate = _record(alice, accompanied_tono, document_type=eps, level="152,5")
    assert certificate.level == "152.5" and certificate.document.level == "152.5"


@pytest.mark.parametrize("code", ["ktp", "passport", "medical"])
def test_only_competency_and_language_types(accompanied_tono, alice, code):
    with pytest.raises(ValidationError) as caught:
        _record(alice, accompanied_tono, document_type=DocumentType.objects.get(code=code))
    assert "document_type" in caught.value.error_dict


def test_a_bnsp_competency_certificate(accompanied_tono, alice):
    bnsp = DocumentType.objects.get(code="competency-certificate")
    certificate = _record(
        alice,
        accompanied_tono,
        document_type=bnsp,
        number="62090 2521 3 0000123 2024",
        issuer_name="LSP Las Indonesia (BNSP)",
        level="",
        expires_on=timezone.localdate() + timedelta(days=900),
    )
    assert certificate.document.status == Document.Status.VERIFIED
    assert certificate.title == bnsp.name


@pytest.mark.parametrize("who", ["wati", "teguh", "putri"])
def test_only_registry_roles_record(tono_person, who, request):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        _record(actor, tono_person)
    assert not Document.objects.exists()
    assert AuditEvent.objects.filter(
        action="denied", reason="training.certificate_record_external"
    ).exists()


def test_an_officer_uploads_only_for_persons_they_accompany(tono_person, alice):
    with pytest.raises(PermissionDenied):
        _record(alice, tono_person)
    assert not Document.objects.exists()
    assert AuditEvent.objects.filter(action="denied", reason="documents.document_upload").exists()


def test_a_failure_after_the_upload_leaves_no_row_and_no_file(accompanied_tono, alice, monkeypatch):
    from garda.training.services import certificates

    saved: list[str] = []
    real_save = storage.save

    def spy(data):
        name = real_save(data)
        saved.append(name)
        return name

    def broken(**kwargs):
        raise ValidationError("the verification failed", code="state_changed")

    monkeypatch.setattr(storage, "save", spy)
    monkeypatch.setattr(certificates, "document_verify", broken)
    # Make the upload stay pending, so that the (broken) verification runs.
    DocumentType.objects.filter(code="jlpt").update(needs_verification=True)
    with pytest.raises(ValidationError):
        _record(alice, accompanied_tono)
    assert saved and not Document.objects.exists() and not Certificate.objects.exists()
    assert not storage.exists(saved[0])


def test_revoking_an_external_certificate_rejects_its_document(accompanied_tono, alice, bob):
    certificate = _record(alice, accompanied_tono)
    certificate_revoke(actor=bob, certificate=certificate, reason="Palsu")
    certificate.document.refresh_from_db()
    assert certificate.document.status == Document.Status.REJECTED


def test_enrolment_statuses_are_the_contract():
    assert set(Enrolment.Status.values) == {
        "enrolled",
        "waitlisted",
        "withdrawn",
        "no_show",
        "completed",
    }


# --- concurrency (PostgreSQL) -----------------------------------------------------------------

ON_SQLITE = connection.vendor == "sqlite"


def _race(targets, run) -> tuple[list, list]:
    start = threading.Barrier(len(targets))
    results, errors = [], []

    def go(target) -> None:
        try:
            with transaction.atomic():
                # Every transaction is open before any takes a number.
                Certificate.objects.exists()
                start.wait(timeout=10)
                results.append(run(target))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=go, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


@pytest.mark.concurrency
@pytest.mark.skipif(ON_SQLITE, reason="row locks are PostgreSQL's; SQLite has one writer")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_issues_get_distinct_gap_free_numbers(ppkd, teguh):
    batch = batch_of(welding_course("cert-race"), provider(ppkd), code="CERT-RACE-1")
    enrolments = [
        completed(batch, register(serial=8100 + i, full_name=f"Peserta {i}")) for i in range(4)
    ]
    results, errors = _race(enrolments, lambda e: certificate_issue(actor=None, enrolment=e))
    assert not errors, errors
    year = timezone.localdate().year
    assert sorted(c.number for c in results) == [f"GRD/PPKD-JT/{year}/{n:05d}" for n in range(1, 5)]
    assert CertificateSerial.objects.get(provider=batch.provider, year=year).last == 4


@pytest.mark.concurrency
@pytest.mark.skipif(ON_SQLITE, reason="row locks are PostgreSQL's; SQLite has one writer")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_issues_of_one_enrolment_make_one_certificate(ppkd):
    batch = batch_of(welding_course("cert-twice"), provider(ppkd), code="CERT-TWICE-1")
    enrolment = completed(batch, register(serial=8200, full_name="Peserta Ganda"))
    results, errors = _race(
        [enrolment, enrolment], lambda e: certificate_issue(actor=None, enrolment=e)
    )
    assert not errors, errors
    assert len({c.pk for c in results}) == 1
    assert Certificate.objects.count() == 1 and Document.objects.count() == 1
