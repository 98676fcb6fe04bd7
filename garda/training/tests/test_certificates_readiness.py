# ruff: noqa: F811 - pytest fixtures imported from certificates_support
"""Certificates satisfy requirements in the readiness engine (through the verified
Document each one stands for), and stop satisfying them when revoked."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from garda.destinations.readiness import readiness_for
from garda.destinations.services.plans import plan_set
from garda.destinations.tests.factories_readiness import KR_EPS, educated, requirement_set
from garda.documents.models import DocumentType
from garda.documents.tests.samples import png_bytes
from garda.training.models import Enrolment
from garda.training.services.certificates import (
    certificate_issue,
    certificate_record_external,
    certificate_revoke,
)
from garda.training.services.classroom import assessment_record, attendance_record
from garda.training.services.completion import batch_close
from garda.training.services.enrolment import enrolment_create
from garda.training.tests.certificates_support import (  # noqa: F401 - fixtures
    completed,
    provider,
    smaw,
    wati_person,
    welding_course,
)
from garda.training.tests.factories import make_batch

# Every test here uses the database, also those that ask for personas by name
# (request.getfixturevalue): unmarked, pytest-django would run them after the
# transactional tests, whose flush removes the role groups.
pytestmark = pytest.mark.django_db

JP_SSW_CARE = ("JP", "jp-ssw", "care")


def _states(person) -> dict[str, str]:
    person.refresh_from_db()
    return {r.code: r.state for r in readiness_for(person).requirements}


@pytest.fixture
def planned_wati(wati_person, alice):
    """Wati plans Korea (EPS, manufacturing), whose set asks for a KTP and a work
    competency certificate."""
    requirement_set(KR_EPS, requirements=[{"type": "ktp"}, {"type": "competency-certificate"}])
    person = educated(wati_person)
    plan_set(
        actor=alice,
        person=person,
        destination_code=KR_EPS[0],
        scheme_code=KR_EPS[1],
        sector=KR_EPS[2],
    )
    return person


def test_completing_a_course_meets_the_requirement_and_revoking_undoes_it(
    planned_wati, wati, teguh, admin_user, ppkd
):
    """The whole path through the services: enrol, attend, pass every unit, close the
    batch (which issues the certificate), then revoke."""
    assert _states(planned_wati)["competency-certificate"] == "missing"
    course = welding_course("cert-readiness")
    batch = make_batch(
        course, provider(ppkd), code="CERT-RDY-1", starts_in_days=7, sessions=2, trainers=[teguh]
    )
    enrolment = enrolment_create(actor=wati, batch=batch, person=planned_wati)
    assert enrolment.status == Enrolment.Status.ENROLLED

    after = datetime.combine(batch.ends_on + timedelta(days=1), time(10, 0))
    with time_machine.travel(timezone.make_aware(after)):
        today = timezone.localdate()
        for session in batch.sessions.all():
            attendance_record(actor=teguh, session=session, marks={enrolment.pk: "present"})
        for course_unit in course.course_units.select_related("unit"):
            assessment_record(
                actor=teguh,
                enrolment=enrolment,
                unit=course_unit.unit,
                result="competent",
                assessed_on=today,
            )
        result = batch_close(actor=teguh, batch=batch)
        assert [e.pk for e, _ in result.completed] == [enrolment.pk]
        [certificate] = result.certificates
        assert certificate.document.status == "verified"
        assert _states(planned_wati)["competency-certificate"] == "met"

        certificate_revoke(actor=admin_user, certificate=certificate, reason="Uji ulang diperlukan")
        assert _states(planned_wati)["competency-certificate"] == "rejected"
        certificate.document.refresh_from_db()
        assert certificate.document.rejection_reason == "Sertifikat dicabut: Uji ulang diperlukan"


def test_a_cached_answer_is_refreshed_by_issuing_and_revoking(planned_wati, smaw, admin_user):
    assert _states(planned_wati)["competency-certificate"] == "missing"  # now cached
    certificate = certificate_issue(actor=None, enrolment=completed(smaw, planned_wati))
    assert _states(planned_wati)["competency-certificate"] == "met"
    certificate_revoke(actor=admin_user, certificate=certificate, reason="Data palsu")
    assert _states(planned_wati)["competency-certificate"] == "rejected"


def test_a_certificate_of_a_course_that_certifies_nothing_does_not_count(planned_wati, ppkd):
    course = welding_course("cert-nothing", certifies=None)
    batch = make_batch(course, provider(ppkd), code="CERT-NOT-1", starts_in_days=-20)
    certificate_issue(actor=None, enrolment=completed(batch, planned_wati))
    assert _states(planned_wati)["competency-certificate"] == "missing"


@pytest.fixture
def japan_wati(wati_person, alice):
    """Wati plans Japan (SSW, care), whose set asks for JLPT N4 or better."""
    requirement_set(JP_SSW_CARE, requirements=[{"type": "jlpt", "min_level": "N4"}])
    person = educated(wati_person)
    person.assignments.create(officer=alice, assigned_by=alice)
    plan_set(
        actor=alice,
        person=person,
        destination_code=JP_SSW_CARE[0],
        scheme_code=JP_SSW_CARE[1],
        sector=JP_SSW_CARE[2],
    )
    return person


def _record_jlpt(actor, person, level: str):
    return certificate_record_external(
        actor=actor,
        person=person,
        document_type=DocumentType.objects.get(code="jlpt"),
        number=f"{level}-2025-0042",
        issuer_name="Japan Foundation",
        issued_on=timezone.localdate() - timedelta(days=40),
        level=level,
        files=[SimpleUploadedFile("jlpt.png", png_bytes())],
    )


def test_an_external_jlpt_n4_meets_the_japan_requirement(japan_wati, alice, admin_user):
    assert _states(japan_wati)["jlpt"] == "missing"
    certificate = _record_jlpt(alice, japan_wati, "N4")
    assert _states(japan_wati)["jlpt"] == "met"
    certificate_revoke(actor=admin_user, certificate=certificate, reason="Hasil tidak terdaftar")
    assert _states(japan_wati)["jlpt"] == "rejected"


def test_an_external_jlpt_n5_is_below_the_level(japan_wati, alice):
    _record_jlpt(alice, japan_wati, "N5")
    assert _states(japan_wati)["jlpt"] != "met"
