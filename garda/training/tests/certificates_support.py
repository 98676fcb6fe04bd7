"""Builders for the certificate tests and the policy world: a provider (with the region
make_provider puts it in, which tests do not load), a course that certifies a
document type, a batch, and a completed enrolment.

Enrolments are written straight to the table as "completed": enrolling and closing a
batch are other parts' services (enrolment.py, completion.py); what is tested here
starts at a completed enrolment."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from garda.documents.models import DocumentType
from garda.documents.tests.samples import png_bytes
from garda.training.models import Batch, Course, Enrolment, Provider
from garda.training.tests.factories import jakarta_timur, make_batch, make_course, make_provider


def regions() -> None:
    jakarta_timur()


def provider(agency=None, **extra) -> Provider:
    regions()
    return make_provider(agency, **extra)


def welding_course(
    code: str = "cert-smaw", *, certifies: str | None = "competency-certificate", **extra
) -> Course:
    extra.setdefault("title", "Pengelasan SMAW Posisi 3G")
    extra.setdefault("title_en", "SMAW welding, 3G position")
    extra.setdefault("lsp_name", "LSP Las Indonesia")
    extra.setdefault("lsp_scheme", "Okupasi Juru Las SMAW 3G")
    extra.setdefault("certificate_validity_months", 36)
    return make_course(
        code,
        certifies=DocumentType.objects.get(code=certifies) if certifies else None,
        **extra,
    )


def batch_of(course: Course, prov: Provider, *, trainers=(), code: str | None = None) -> Batch:
    return make_batch(course, prov, code=code, trainers=list(trainers), starts_in_days=-30)


def completed(batch: Batch, person, status: str = Enrolment.Status.COMPLETED) -> Enrolment:
    return Enrolment.objects.create(
        batch=batch,
        person=person,
        status=status,
        completed_on=timezone.localdate() if status == Enrolment.Status.COMPLETED else None,
        reason="" if status not in ("withdrawn", "no_show") else "Tidak hadir",
    )


def external_form(**overrides) -> dict:
    """The fields of a certificate obtained elsewhere (a JLPT N4, its scan): `overrides`
    replace fields, None removes one."""
    data = {
        "document_type": "jlpt",
        "number": "N4-2025-0042",
        "issuer_name": "Japan Foundation",
        "issued_on": (timezone.localdate() - timedelta(days=10)).isoformat(),
        "level": "N4",
        "files": SimpleUploadedFile("jlpt.png", png_bytes()),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def uploaded_jlpt(worker, person):
    """A JLPT N4 scan `worker` uploaded for their own record, awaiting verification."""
    from garda.documents.services import document_upload

    return document_upload(
        actor=worker,
        person=person,
        type=DocumentType.objects.get(code="jlpt"),
        files=[SimpleUploadedFile("j.png", png_bytes())],
        level="N4",
    )


# --- fixtures (the training tests' conftest shares them) ---------------------------------


@pytest.fixture
def smaw(ppkd, teguh):
    """A welding course certifying "competency-certificate", taught by teguh at PPKD JT."""
    course = welding_course()
    return batch_of(course, provider(ppkd), code="CERT-SMAW-1", trainers=[teguh])


@pytest.fixture
def wati_person(wati):
    from garda.people.tests.factories import register

    return register(serial=2, user=wati, full_name="Wati Lestari")


@pytest.fixture
def tono_person(tono):
    from garda.people.tests.factories import register

    return register(serial=3, user=tono, full_name="Tono Sugiarto", sex="M")


@pytest.fixture
def wati_done(smaw, wati_person):
    """Wati's completed enrolment in the SMAW batch."""
    return completed(smaw, wati_person)


@pytest.fixture
def wati_cert(wati_done):
    from garda.training.services.certificates import certificate_issue

    return certificate_issue(actor=None, enrolment=wati_done)
