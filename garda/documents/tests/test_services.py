"""The document services: every state transition, validation of the details, the
guards against races, audit rows and notifications."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from garda.accounts.models import Notification
from garda.audit.models import AuditEvent
from garda.documents import storage
from garda.documents.models import Document, DocumentFile
from garda.documents.services import document_reject, document_verify
from garda.documents.tests.conftest import doc_type, upload
from garda.documents.tests.samples import png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def codes(exc: ValidationError, field: str) -> list[str]:
    return [e.code for e in exc.error_dict[field]]


# --- upload -----------------------------------------------------------------------------


def test_a_worker_upload_is_pending_stored_encrypted_and_audited(wati, wati_person, settings):
    document = upload(
        wati_person,
        wati,
        "ktp",
        files=[SimpleUploadedFile("a.png", png_bytes()), SimpleUploadedFile("b.png", png_bytes())],
    )
    assert document.status == Document.Status.PENDING
    assert document.uploaded_by == wati and document.version == 1
    pages = list(document.files.order_by("page"))
    assert [p.page for p in pages] == [1, 2]
    assert [p.original_name for p in pages] == ["a.png", "b.png"]
    for page in pages:
        assert storage.read(page.storage_name)[:4] == b"\x89PNG"
    create = AuditEvent.objects.get(action="create", object_type="documents.document")
    assert create.actor == wati and create.object_id == str(document.pk)
    assert "files" in create.changed_fields and "number" in create.changed_fields


def test_the_worker_upload_tells_the_assigned_officers(
    wati, wati_person, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document = upload(wati_person, wati, "kk")
    note = Notification.objects.get(user=alice)
    assert wati_person.reference in note.title
    assert note.url == f"/documents/{document.pk}/"
    assert mail.outbox == []  # officers: in-app only


def test_a_new_upload_replaces_the_earlier_ones_of_that_type(wati, wati_person, alice):
    first = upload(wati_person, wati, "passport")
    document_verify(actor=alice, document=first)
    second = upload(wati_person, wati, "passport")
    first.refresh_from_db()
    assert first.status == Document.Status.REPLACED
    assert first.version == 3  # verified, then replaced
    assert second.replaces == first and second.status == Document.Status.PENDING
    other_type = upload(wati_person, wati, "kk")
    assert other_type.replaces is None
    assert AuditEvent.objects.filter(
        action="update", object_id=str(first.pk), reason=f"replaced by {second.pk}"
    ).exists()


def test_types_without_verification_are_verified_when_staff_upload(wati, wati_person, alice):
    t = doc_type("experience-letter")
    t.needs_verification = False
    t.save()
    by_officer = upload(wati_person, alice, "experience-letter")
    assert by_officer.status == Document.Status.VERIFIED and by_officer.reviewed_by == alice
    by_worker = upload(wati_person, wati, "experience-letter")
    assert by_worker.status == Document.Status.PENDING


@pytest.mark.parametrize(
    ("code", "details", "field", "code_"),
    [
        ("ktp", {"number": ""}, "number", "required"),
        ("ktp", {"number": "<script>"}, "number", "invalid"),
        ("passport", {"expires_on": None}, "expires_on", "required"),
        (
            "passport",
            {"issued_on": date(2024, 5, 1), "expires_on": date(2024, 5, 1)},
            "expires_on",
            "before_issue",
        ),
        ("passport", {"expires_on": date(2020, 1, 1)}, "expires_on", "expired"),
        ("ktp", {"issued_on": date(2999, 1, 1)}, "issued_on", "future"),
        ("medical", {"issued_on": None}, "issued_on", "required"),
        ("medical", {"issued_on": date(2020, 1, 1)}, "issued_on", "expired"),
        ("jlpt", {"level": "N6"}, "level", "invalid_level"),
        ("jlpt", {"level": ""}, "level", "invalid_level"),
        ("eps-topik", {"level": "lulus"}, "level", "invalid_score"),
        ("eps-topik", {"level": "-5"}, "level", "invalid_score"),
        ("ktp", {"level": "B2"}, "level", "no_level"),
    ],
)
def test_details_are_checked_against_the_type(wati, wati_person, code, details, field, code_):
    with pytest.raises(ValidationError) as info:
        upload(wati_person, wati, code, **details)
    assert code_ in codes(info.value, field)
    assert not Document.objects.exists()
    assert not DocumentFile.objects.exists()


def test_levels_and_scores_are_normalised(wati, wati_person):
    assert upload(wati_person, wati, "jlpt", level="n4").level == "N4"
    assert upload(wati_person, wati, "eps-topik", level="165,50").level == "165.5"
    assert upload(wati_person, wati, "ktp", number=" ab  12 ").number == "AB 12"


def test_refused_files_leave_nothing_behind(wati, wati_person, settings):
    bad = [SimpleUploadedFile("x.png", png_bytes()), SimpleUploadedFile("y.pdf", b"MZ" * 20)]
    with pytest.raises(ValidationError) as info:
        upload(wati_person, wati, "ktp", files=bad)
    assert "files" in info.value.error_dict
    assert not Document.objects.exists()
    root = settings.GARDA_FILES_DIR
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))


def test_a_failing_write_removes_the_stored_files(wati, wati_person, settings, monkeypatch):
    from garda.documents import services

    def boom(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "_record_upload", boom)
    with pytest.raises(RuntimeError):
        upload(wati_person, wati, "ktp")
    assert not any(p.is_file() for p in settings.GARDA_FILES_DIR.rglob("*"))


def test_only_the_worker_and_staff_who_accompany_may_upload(tono, wati_person, carol, bob):
    with pytest.raises(PermissionDenied):
        upload(wati_person, tono, "ktp")  # another worker
    with pytest.raises(PermissionDenied):
        upload(wati_person, carol, "ktp")  # an officer who does not accompany her
    assert AuditEvent.objects.filter(action="denied", actor__in=[tono, carol]).count() == 2
    assert upload(wati_person, bob, "ktp").uploaded_by == bob  # a supervisor may


# --- verify and reject -------------------------------------------------------------------


def test_verify_sets_the_review_bumps_the_version_and_tells_the_worker(
    wati, wati_person, alice, django_capture_on_commit_callbacks
):
    document = upload(wati_person, wati, "ktp")
    before = document.changed_at
    with django_capture_on_commit_callbacks(execute=True):
        verified = document_verify(actor=alice, document=document)
    assert verified.status == Document.Status.VERIFIED
    assert verified.reviewed_by == alice and verified.reviewed_at is not None
    assert verified.version == 2 and verified.changed_at > before
    assert (
        AuditEvent.objects.filter(
            action="update", object_id=str(document.pk), reason="verified", actor=alice
        ).count()
        == 1
    )
    note = Notification.objects.get(user=wati)
    assert note.url == "/documents/me/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["wati@example.org"]


def test_reject_needs_a_reason_and_tells_the_worker_where_to_upload_again(
    wati, wati_person, alice, django_capture_on_commit_callbacks
):
    document = upload(wati_person, wati, "kk")
    with pytest.raises(ValidationError) as info:
        document_reject(actor=alice, document=document, reason="   ")
    assert codes(info.value, "reason") == ["required"]
    document.refresh_from_db()
    assert document.status == Document.Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        rejected = document_reject(actor=alice, document=document, reason="Foto buram")
    assert rejected.status == Document.Status.REJECTED
    assert rejected.rejection_reason == "Foto buram"
    note = Notification.objects.get(user=wati)
    assert note.url == "/documents/me/?type=kk#upload"
    assert "Foto buram" in note.body
    assert "/documents/me/?type=kk#upload" in mail.outbox[0].body


def test_a_health_rejection_keeps_the_reason_out_of_the_mail(
    wati, wati_person, alice, django_capture_on_commit_callbacks
):
    document = upload(wati_person, wati, "medical")
    with django_capture_on_commit_callbacks(execute=True):
        document_reject(actor=alice, document=document, reason="Hasil lab tidak lengkap")
    assert "Hasil lab" not in mail.outbox[0].body
    assert "Hasil lab" not in Notification.objects.get(user=wati).body


def test_decisions_follow_the_state_machine(wati, wati_person, alice, bob):
    document = upload(wati_person, wati, "ktp")
    document_reject(actor=alice, document=document, reason="Terpotong")
    with pytest.raises(ValidationError) as info:
        document_verify(actor=bob, document=document)  # a stale copy: it says pending
    assert info.value.code == "state_changed"
    assert "Rejected" in info.value.messages[0]
    document.refresh_from_db()
    assert document.status == Document.Status.REJECTED and document.reviewed_by == alice
    # A verified document found false later can still be rejected...
    second = upload(wati_person, wati, "ktp")
    document_verify(actor=alice, document=second)
    assert document_reject(actor=bob, document=second, reason="Palsu").status == "rejected"
    # ...but a replaced one is history.
    third = upload(wati_person, wati, "ktp")
    upload(wati_person, wati, "ktp")
    with pytest.raises(ValidationError):
        document_reject(actor=alice, document=third, reason="x")
    with pytest.raises(ValidationError):
        document_verify(actor=alice, document=third)


def test_workers_and_outsiders_cannot_review(wati, tono, wati_person, teguh):
    document = upload(wati_person, wati, "ktp")
    for actor in (wati, tono, teguh):
        with pytest.raises(PermissionDenied):
            document_verify(actor=actor, document=document)
    assert AuditEvent.objects.filter(action="denied").count() == 3
    document.refresh_from_db()
    assert document.status == Document.Status.PENDING


def test_health_results_are_judged_only_by_those_who_may_read_them(
    wati, wati_person, carol, bob, hana, alice
):
    document = upload(wati_person, wati, "medical")
    for actor in (carol, bob):  # an officer not assigned, a supervisor outside health
        with pytest.raises(PermissionDenied):
            document_verify(actor=actor, document=document)
    assert document_verify(actor=hana, document=document).status == "verified"  # health staff
    other = upload(wati_person, wati, "colour-vision")
    assert document_verify(actor=alice, document=other).status == "verified"  # assigned


def test_every_write_moves_changed_at(wati, wati_person, alice):
    document = upload(wati_person, wati, "ktp")
    stamps = [document.changed_at]
    document = document_verify(actor=alice, document=document)
    stamps.append(document.changed_at)
    document = document_reject(actor=alice, document=document, reason="Palsu")
    stamps.append(document.changed_at)
    assert stamps == sorted(stamps) and len(set(stamps)) == 3
    assert timezone.now() - stamps[-1] < timedelta(seconds=5)
