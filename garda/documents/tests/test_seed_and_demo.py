"""The seeded document types (garda/documents/data/document_types.toml, migration 0002
from its frozen copy) and the demo documents."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from garda.accounts.models import Agency
from garda.documents import files, seed, storage
from garda.documents.demo import _pdf, _png, populate
from garda.documents.models import Category, Document, DocumentFile, DocumentType
from garda.documents.seed import DOCUMENT_TYPES
from garda.people.tests.factories import register, restart_person_ids

pytestmark = pytest.mark.django_db


def test_every_database_has_the_types_and_seeding_again_changes_nothing():
    assert DocumentType.objects.count() == len(DOCUMENT_TYPES)
    before = list(DocumentType.objects.order_by("code").values())
    assert seed.apply() == {"document_types": 0}
    after = list(DocumentType.objects.order_by("code").values())
    strip = [{k: v for k, v in row.items() if k != "updated_at"} for row in before]
    assert strip == [{k: v for k, v in row.items() if k != "updated_at"} for row in after]


def test_the_seed_is_complete_and_consistent():
    kinds = set(Agency.Kind.values)
    for t in DocumentType.objects.all():
        assert t.name and t.name_en and t.issuer and t.where_to_get, t.code
        assert t.category in Category.values, t.code
        assert t.issuer_kind in kinds or t.issuer_kind == "", t.code
        assert not (t.levels and t.is_scored), t.code
    assert set(DocumentType.objects.filter(is_health=True).values_list("code", flat=True)) == {
        "medical",
        "colour-vision",
    }
    assert DocumentType.objects.get(code="hsk").level_list == ["1", "2", "3", "4", "5", "6"]
    assert DocumentType.objects.get(code="goethe").level_list[-1] == "C2"


def test_demo_files_pass_the_upload_checks():
    for data in (_png("Paspor"), _pdf("Hasil pemeriksaan kesehatan")):
        assert files.clean_uploads([SimpleUploadedFile("x", data)])


def test_demo_gives_many_persons_documents_in_every_state(alice, settings):
    restart_person_ids()  # the same documents drawn whichever tests ran before
    persons = [register(serial=i, actor=alice, full_name=f"Demo {i}") for i in range(1, 61)]
    started = time.monotonic()
    created = populate(persons, alice)
    assert time.monotonic() - started < 10
    assert created == Document.objects.count() > 60
    assert DocumentFile.objects.count() == created
    with_documents = Document.objects.values("person").distinct().count()
    assert 0.5 * 60 <= with_documents <= 0.9 * 60
    statuses = set(Document.objects.values_list("status", flat=True))
    assert statuses >= {"verified", "pending", "rejected"}
    assert not Document.objects.filter(status="rejected", rejection_reason="").exists()
    from django.utils import timezone

    from garda.documents.queries import expiring

    today = timezone.localdate()
    assert expiring(Document.objects.all(), within_days=0, today=today).exists()  # expired
    assert expiring(Document.objects.all(), within_days=183, today=today).count() > (
        expiring(Document.objects.all(), within_days=0, today=today).count()
    )  # and expiring
    stored = DocumentFile.objects.first()
    assert files.sniff(storage.read(stored.storage_name)) == stored.content_type
    assert populate(persons, alice) == 0  # idempotent


def test_an_administrator_edits_a_type_with_an_audit_row(db):
    from django.contrib.auth.models import Group

    from conftest import verified_client
    from garda.accounts.models import User
    from garda.audit.models import AuditEvent

    root = User.objects.create_superuser(email="root@example.org", password="Correct-Horse-9x")
    root.groups.add(Group.objects.get(name="admin"))
    client = verified_client(root)
    passport = DocumentType.objects.get(code="passport")
    url = f"/admin/documents/documenttype/{passport.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"min_remaining_months": 24, "name": "Paspor RI"})
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    passport.refresh_from_db()
    assert passport.min_remaining_months == 24 and passport.code == "passport"
    row = AuditEvent.objects.get(object_type="documents.documenttype", action="update")
    assert set(row.changed_fields) == {"min_remaining_months", "name"}


def test_the_live_data_and_the_migrated_database_agree():
    """garda/documents/data/document_types.toml says what the migrations made. Changing
    the live data needs a data migration with its own copy of the change."""
    rows = {row["code"]: row for row in DOCUMENT_TYPES}
    assert set(DocumentType.objects.values_list("code", flat=True)) == set(rows)
    for stored in DocumentType.objects.all():
        row = rows[stored.code]
        assert {k: getattr(stored, k) for k in row} == row, stored.code
