"""The catalogue in the admin screen: administrators maintain providers, units and
courses (with their inlines), every save audited; batches, enrolments and certificates
are not there; other roles do not get in."""

import json

import pytest

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.training.models import CompetencyUnit, Course, CourseUnit

pytestmark = pytest.mark.django_db


def _course_form(course: Course, **changes) -> dict:
    data = {
        "title": course.title,
        "title_en": course.title_en,
        "description": course.description,
        "sector": course.sector,
        "kkni_level": course.kkni_level or "",
        "hours": course.hours,
        "language": course.language,
        "min_education": course.min_education,
        "min_age": course.min_age or "",
        "max_age": course.max_age or "",
        "prerequisite_courses": [c.pk for c in course.prerequisite_courses.all()],
        "destinations": [d.pk for d in course.destinations.all()],
        "job_sectors": json.dumps(course.job_sectors),
        # A field with a callable default carries its initial value in a hidden input.
        "initial-job_sectors": json.dumps(course.job_sectors),
        "job_kinds": course.job_kinds,
        "prepares_for": [t.pk for t in course.prepares_for.all()],
        "certifies": course.certifies_id or "",
        "min_attendance_percent": course.min_attendance_percent,
        "lsp_name": course.lsp_name,
        "lsp_scheme": course.lsp_scheme,
        "certificate_validity_months": course.certificate_validity_months or "",
        "is_active": "on",
        "prerequisite_documents-TOTAL_FORMS": "0",
        "prerequisite_documents-INITIAL_FORMS": "0",
    }
    rows = list(CourseUnit.objects.filter(course=course).order_by("order"))
    data["course_units-TOTAL_FORMS"] = str(len(rows))
    data["course_units-INITIAL_FORMS"] = str(len(rows))
    for i, row in enumerate(rows):
        data[f"course_units-{i}-id"] = row.pk
        data[f"course_units-{i}-course"] = course.pk
        data[f"course_units-{i}-order"] = row.order
        data[f"course_units-{i}-unit"] = row.unit_id
    data.update(changes)
    return data


def test_an_administrator_edits_a_course_and_its_units_with_one_audit_row(admin_user):
    client = verified_client(admin_user)
    course = Course.objects.get(code="welding-gmaw")
    url = f"/admin/training/course/{course.pk}/change/"
    assert client.get(url).status_code == 200
    data = _course_form(course, hours=220)
    data["course_units-0-order"] = 9  # move the first unit last
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    course.refresh_from_db()
    assert course.hours == 220
    event = AuditEvent.objects.filter(object_type="training.course").get()
    assert event.action == "update" and event.actor_id == admin_user.pk
    assert set(event.changed_fields) == {"hours", "course_units"}


def test_the_code_is_read_only_once_created(admin_user):
    client = verified_client(admin_user)
    course = Course.objects.get(code="welding-smaw")
    client.post(f"/admin/training/course/{course.pk}/change/", _course_form(course, code="renamed"))
    assert Course.objects.filter(code="welding-smaw").exists()


def test_an_administrator_adds_a_unit_with_an_audit_row(admin_user):
    client = verified_client(admin_user)
    response = client.post(
        "/admin/training/competencyunit/add/",
        {"code": "C.24.110.01.099.1", "title": "Mengelas pelat aluminium", "title_en": ""},
    )
    assert response.status_code == 302
    unit = CompetencyUnit.objects.get(code="C.24.110.01.099.1")
    event = AuditEvent.objects.get(object_type="training.competencyunit", object_id=str(unit.pk))
    assert event.action == "create"


def test_nothing_is_deleted_and_service_owned_rows_are_not_in_the_admin(admin_user):
    client = verified_client(admin_user)
    course = Course.objects.get(code="welding-smaw")
    assert client.get(f"/admin/training/course/{course.pk}/delete/").status_code == 403
    for model in ("batch", "enrolment", "certificate", "attendance", "assessment", "session"):
        assert client.get(f"/admin/training/{model}/").status_code == 404, model
    assert client.get("/admin/training/provider/").status_code == 200
    assert client.get("/admin/training/competencyunit/").status_code == 200


@pytest.mark.parametrize("persona", ["bob", "alice", "teguh", "wati"])
def test_other_roles_do_not_get_in(persona, request):
    user = request.getfixturevalue(persona)
    response = verified_client(user).get("/admin/training/course/")
    assert response.status_code in (302, 403, 404)
