"""Fixtures of the documents tests: persons (through the registry's services) and a
helper that uploads through the real service."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import make_user
from garda.accounts import roles
from garda.accounts.models import Agency
from garda.documents.models import Document, DocumentType
from garda.documents.services import document_upload
from garda.documents.tests.samples import png_bytes
from garda.people.tests.factories import register


@pytest.fixture
def siti(alice):
    """Registered by alice, who is therefore her pendamping; no account."""
    return register(serial=1, actor=alice, full_name="Siti Aminah")


@pytest.fixture
def wati_person(wati, alice):
    """Wati's own record; alice accompanies her."""
    person = register(serial=2, user=wati, full_name="Wati Lestari")
    person.assignments.create(officer=alice, assigned_by=alice)
    return person


@pytest.fixture
def tono_person(tono):
    return register(serial=3, user=tono, full_name="Tono Sugiarto", sex="M")


@pytest.fixture
def dinkes(db) -> Agency:
    return Agency.objects.create(
        name="Dinas Kesehatan", short_name="Dinkes", kind=Agency.Kind.HEALTH
    )


@pytest.fixture
def hana(dinkes):
    """An officer of the health agency, not assigned to anyone."""
    return make_user("hana@example.org", roles.OFFICER, dinkes, full_name="Hana")


def doc_type(code: str) -> DocumentType:
    return DocumentType.objects.get(code=code)


def upload(
    person,
    actor=None,
    code: str = "ktp",
    files: list | None = None,
    **details,
) -> Document:
    """Upload through the service; sensible details per type unless given."""
    t = doc_type(code)
    if t.has_number:
        details.setdefault("number", "AB 123456")
    if t.has_expiry:
        details.setdefault("expires_on", date(2099, 1, 1))
    if t.validity_months:
        from django.utils import timezone

        details.setdefault("issued_on", timezone.localdate())
    if t.level_list:
        details.setdefault("level", t.level_list[0])
    elif t.is_scored:
        details.setdefault("level", "150")
    return document_upload(
        actor=actor,
        person=person,
        type=t,
        files=files or [SimpleUploadedFile(f"{code}.png", png_bytes())],
        **details,
    )
