"""Rotating the field key (`garda rotate_field_key`; docs/operations.md, "Rotating the
field key"): data written under key A; the keys become [B, A]; after the command,
[B] alone reads everything and [A] alone reads nothing. The blind indexes and the
audit chain keep their own keys and keep working."""

import base64
import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection

from garda import crypto
from garda import settings as garda_settings
from garda.audit.models import AuditEvent
from garda.audit.verify import verify_chain
from garda.cases.models import Case
from garda.cases.services.record import document_add
from garda.cases.tests.factories import case_in_progress
from garda.documents import storage
from garda.documents.models import Document
from garda.documents.tests.conftest import upload
from garda.management.rotation import encrypted_columns
from garda.people.models import Person
from garda.people.services.imports import FILE_CONTEXT, import_dir
from garda.people.services.registry import find_by_nik
from garda.people.tests.factories import nik_for, register

KEY_A = bytes(range(32))
KEY_B = bytes(range(100, 132))
CASE_FILE = b"%PDF-1.4 a letter from the embassy"


def _use(settings, *keys: bytes) -> None:
    settings.FIELD_ENCRYPTION_KEY = keys[0]
    settings.FIELD_ENCRYPTION_KEYS_OLD = list(keys[1:])


def _raw(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {column} <> '' ORDER BY id")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def _key_ids() -> set[str]:
    values = [
        *_raw("people_person", "nik"),
        *_raw("people_person", "kk_number"),
        *_raw("people_person", "passport_number"),
        *_raw("documents_document", "number"),
    ]
    return {value.split(".")[1] for value in values}


def _rotate(*args) -> str:
    out = io.StringIO()
    call_command("rotate_field_key", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def under_key_a(settings, alice, tmp_path):
    """Three persons with NIK, KK and passport numbers, a passport document with its
    number and file, and an import file waiting to be read, all under key A."""
    settings.VAR_DIR = tmp_path
    _use(settings, KEY_A)
    persons = [register(serial=n, actor=alice) for n in (1, 2, 3)]
    Person.objects.filter(pk=persons[0].pk).update(
        kk_number="3171010101010001", passport_number="C7654321"
    )
    document = upload(persons[0], alice, code="passport", number="C1234567")
    stored = document.files.get()
    content = storage.read(stored.storage_name)
    (import_dir() / ("ab" * 16)).write_bytes(crypto.seal(b"nik,name\n", context=FILE_CONTEXT))
    case = case_in_progress(officer=alice, person_nik=nik_for(serial=9))
    case_file = document_add(
        actor=alice, case=case, title="Surat", data=CASE_FILE, content_type="application/pdf"
    )
    return {
        "person": persons[0],
        "document": document,
        "file": stored,
        "content": content,
        "case": case,
        "case_file": case_file,
    }


def test_every_encrypted_column_is_found():
    found = {f"{model._meta.db_table}.{field.column}" for model, field in encrypted_columns()}
    assert {
        "people_person.nik",
        "people_person.kk_number",
        "people_person.passport_number",
        "documents_document.number",
        "cases_case.subject_nik",
    } <= found


def test_after_rotation_the_new_key_alone_reads_everything(settings, under_key_a):
    person, document, stored = under_key_a["person"], under_key_a["document"], under_key_a["file"]
    key_a_id = crypto.current_key_id()
    assert _key_ids() == {key_a_id}

    _use(settings, KEY_B, KEY_A)  # the new key first, the old one kept to read
    dry = _rotate("--dry-run")
    assert "people_person.nik: 3 checked, 3 to re-encrypt" in dry
    assert "stored files: 2 checked, 2 to re-encrypt" in dry
    assert _key_ids() == {key_a_id}  # a dry run changes nothing

    out = _rotate("--batch-size", "2")  # several batches
    assert "people_person.nik: 3 checked, 3 re-encrypted" in out
    assert "people_person.kk_number: 1 checked, 1 re-encrypted" in out
    assert "documents_document.number: 1 checked, 1 re-encrypted" in out
    assert "stored files: 2 checked, 2 re-encrypted" in out
    assert "cases_case.subject_nik: 1 checked, 1 re-encrypted" in out
    assert "import files: 1 checked, 1 re-encrypted" in out
    assert "Done: 10 values and files re-encrypted." in out
    assert _key_ids() == {crypto.current_key_id()} != {key_a_id}
    row = AuditEvent.objects.get(object_type="garda.field_key")
    assert row.action == "update" and "10 values and files" in row.reason

    # Idempotent: a second run (or a resumed one) finds nothing left to do.
    assert "Done: 0 values and files re-encrypted." in _rotate()
    assert AuditEvent.objects.filter(object_type="garda.field_key").count() == 1

    _use(settings, KEY_B)  # the old key removed
    again = Person.objects.get(pk=person.pk)
    assert (again.nik, again.kk_number, again.passport_number) == (
        nik_for(serial=1),
        "3171010101010001",
        "C7654321",
    )
    assert Document.objects.get(pk=document.pk).number == "C1234567"
    assert storage.read(stored.storage_name) == under_key_a["content"]
    assert storage.read(under_key_a["case_file"].storage_name) == CASE_FILE
    assert Case.objects.get(pk=under_key_a["case"].pk).subject_nik == nik_for(serial=9)
    assert crypto.unseal((import_dir() / ("ab" * 16)).read_bytes(), context=FILE_CONTEXT) == (
        b"nik,name\n"
    )
    # Blind indexes and the audit chain have keys of their own: untouched, working.
    assert find_by_nik(nik_for(serial=2)).pk != person.pk
    assert verify_chain().ok

    _use(settings, KEY_A)  # the old key alone reads nothing any more
    with pytest.raises(crypto.DecryptionError):
        Person.objects.get(pk=person.pk)
    with pytest.raises(crypto.DecryptionError):
        storage.read(stored.storage_name)


def test_an_interrupted_rotation_is_finished_by_running_it_again(settings, under_key_a):
    from garda.management.rotation import Tally, rotate_column

    _use(settings, KEY_B, KEY_A)
    nik = Person._meta.get_field("nik")
    rotate_column(Person, nik, Tally())  # as if the run stopped after one column
    out = _rotate()
    assert "people_person.nik: 3 checked, 0 re-encrypted" in out
    assert "people_person.passport_number: 1 checked, 1 re-encrypted" in out


def test_an_edit_during_rotation_is_kept(settings, under_key_a):
    """The write is a compare-and-swap on the old ciphertext: a value changed since it
    was read is left as the edit made it."""
    from garda.management import rotation

    _use(settings, KEY_B, KEY_A)
    person = under_key_a["person"]
    real_encrypt = crypto.encrypt

    def encrypt_while_someone_edits(plaintext, *, context):
        if context == "people.person.passport_number" and plaintext == "C7654321":
            Person.objects.filter(pk=person.pk).update(passport_number="X1111111")
        return real_encrypt(plaintext, context=context)

    rotation.crypto.encrypt = encrypt_while_someone_edits
    try:
        out = _rotate()
    finally:
        rotation.crypto.encrypt = real_encrypt
    assert "people_person.passport_number: 1 checked, 0 re-encrypted" in out
    _use(settings, KEY_B)
    assert Person.objects.get(pk=person.pk).passport_number == "X1111111"


@pytest.mark.parametrize("changed", ["BLIND_INDEX_KEY", "AUDIT_CHAIN_KEY"])
def test_rotation_refuses_when_the_index_or_chain_key_moved_with_the_field_key(
    settings, under_key_a, changed
):
    """Changing GARDA_FIELD_KEY without pinning the derived keys would break every
    NIK look-up, or the audit chain: the command says so and changes nothing."""
    setattr(settings, changed, bytes(32))
    _use(settings, KEY_B, KEY_A)
    with pytest.raises(CommandError, match="Not rotating") as refused:
        _rotate()
    assert (
        "GARDA_BLIND_INDEX_KEY" if changed == "BLIND_INDEX_KEY" else "GARDA_AUDIT_CHAIN_KEY"
    ) in str(refused.value)
    _use(settings, KEY_A)
    assert Person.objects.get(pk=under_key_a["person"].pk).nik == nik_for(serial=1)


def test_rotation_refuses_when_the_old_key_is_missing(settings, under_key_a):
    _use(settings, KEY_B)  # A forgotten in GARDA_FIELD_KEYS_OLD
    with pytest.raises(CommandError, match="GARDA_FIELD_KEYS_OLD"):
        _rotate()


def test_the_pinned_keys_are_printed_and_read_back(monkeypatch, settings):
    out = _rotate("--show-pinned-keys")
    lines = dict(line.split("=", 1) for line in out.split())
    assert base64.urlsafe_b64decode(lines["GARDA_BLIND_INDEX_KEY"]) == settings.BLIND_INDEX_KEY
    monkeypatch.setenv("GARDA_BLIND_INDEX_KEY", lines["GARDA_BLIND_INDEX_KEY"])
    assert (
        garda_settings._pinned_key("GARDA_BLIND_INDEX_KEY", "blind-index-v1")
        == settings.BLIND_INDEX_KEY
    )
    monkeypatch.setenv("GARDA_AUDIT_CHAIN_KEY", "too-short")
    with pytest.raises(ImproperlyConfigured, match="GARDA_AUDIT_CHAIN_KEY"):
        garda_settings._pinned_key("GARDA_AUDIT_CHAIN_KEY", "audit-chain-v1")
