"""Fixtures of the privacy tests: Wati's record (alice accompanies her) built through
the real services, and a helper that adds one more record of every kind."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from garda.accompaniment.models import Contact, Task
from garda.accompaniment.services import contact_log, task_create
from garda.accounts.notify import notify
from garda.cases.tests.factories import case_in_progress
from garda.documents.models import DocumentType
from garda.documents.services import document_upload
from garda.documents.tests.samples import png_bytes
from garda.people.services.profile import skill_add
from garda.people.services.registry import consent_give, family_contact_add
from garda.people.tests.factories import person_data, register
from garda.places.models import Region


@pytest.fixture
def wati_person(wati, alice):
    """Wati's own record (her account), accompanied by alice."""
    Region.objects.get_or_create(
        code="31",
        defaults={
            "name": "DKI Jakarta",
            "level": "province",
            "first_edition": 2016,
            "last_edition": 2025,
        },
    )
    person = register(serial=1, user=wati, full_name="Wati Susanti")
    person.assignments.create(officer=alice, assigned_by=alice)
    return person


@pytest.fixture
def tono_person(tono):
    return register(serial=3, user=tono, full_name="Tono Sugiarto", sex="M")


def add_one_of_each(person, *, officer, n: int) -> None:
    """One more record of every kind the export reads (n: a serial for unique values)."""
    now = timezone.now()
    family_contact_add(
        actor=officer, person=person, name=f"Keluarga {n}", relation="parent", phone=""
    )
    consent_give(
        actor=person.user,
        person=person,
        purpose="processing",
        text_version=f"2026-{n}",
    )
    skill_add(actor=officer, person=person, occupation_code="5120", title=f"Memasak {n}")
    codes = ["ktp", "kk", "birth-certificate", "diploma", "medical", "skck"]
    code = codes[n % len(codes)]
    t = DocumentType.objects.get(code=code)
    details = {}
    if t.has_number:
        details["number"] = f"NO-{n}"
    if t.has_expiry:
        details["expires_on"] = timezone.localdate() + timedelta(days=3000)
    if t.validity_months:
        details["issued_on"] = timezone.localdate()
    if t.level_list:
        details["level"] = t.level_list[0]
    elif t.is_scored:
        details["level"] = "150"
    document_upload(
        actor=officer,
        person=person,
        type=t,
        files=[SimpleUploadedFile("scan.png", png_bytes())],
        **details,
    )
    task_create(
        actor=officer,
        person=person,
        kind=Task.Kind.APPOINTMENT,
        title=f"Ke kantor imigrasi {n}",
        place="Kanim Jakarta Selatan",
        due_at=now + timedelta(days=n + 1),
        note="CATATAN INTERNAL tugas",
    )
    contact_log(
        actor=officer,
        person=person,
        channel=Contact.Channel.PHONE,
        summary="RINGKASAN INTERNAL kontak",
    )
    case_in_progress(
        officer=officer,
        person_name=person.full_name,
        person_nik=person_data(serial=1)["nik"],
        kinds=["wages"],
    )
    notify(user=person.user, title=f"Pemberitahuan {n}", email=False)
