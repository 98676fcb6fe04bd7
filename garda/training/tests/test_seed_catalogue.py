"""The seeded catalogue (garda/training/data, written by garda/training/seed.py;
migration 0002 from its frozen copy): every database has it, it is consistent,
re-applying changes nothing, and the reverse removes only what nothing refers to."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from garda.destinations.models import Destination, Sector
from garda.training import seed
from garda.training.models import CompetencyUnit, Course, CourseUnit, Language
from garda.training.models import Sector as CourseSector

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("garda.training.migrations.0002_seed_catalogue")


def _snapshot():
    return (
        sorted(Course.objects.values_list("code", "title", "hours", "kkni_level")),
        sorted(CompetencyUnit.objects.values_list("code", "title")),
        sorted(CourseUnit.objects.values_list("course__code", "unit__code", "order")),
        sorted(Course.prerequisite_courses.through.objects.values_list("pk", flat=True)),
    )


def test_every_database_has_the_catalogue():
    assert Course.objects.count() == len(seed.COURSES)
    assert CompetencyUnit.objects.count() == len(seed.UNITS)
    smaw = Course.objects.get(code="welding-smaw")
    assert smaw.hours == 240 and smaw.kkni_level == 2 and smaw.min_age == 18
    assert smaw.certifies.code == "competency-certificate"
    assert smaw.lsp_name and smaw.lsp_scheme and smaw.certificate_validity_months == 36
    assert "C.24.110.01.017.1" in set(smaw.units.values_list("code", flat=True))
    assert set(smaw.destinations.values_list("code", flat=True)) >= {"KR", "JP", "SA"}
    korean = Course.objects.get(code="korean-eps-topik")
    assert korean.language == "ko" and korean.certifies is None
    assert list(korean.prepares_for.values_list("code", flat=True)) == ["eps-topik"]


def test_every_course_has_units_or_is_a_language_course():
    for course in Course.objects.prefetch_related("units", "prepares_for", "destinations"):
        if course.sector == CourseSector.LANGUAGE:
            assert not course.units.exists(), course.code
            assert course.certifies_id is None, course.code
            assert course.kkni_level is None, course.code
            assert course.language != Language.INDONESIAN, course.code
        else:
            assert course.units.count() >= 2, course.code
            assert course.kkni_level in range(1, 10), course.code
            assert "competency-certificate" in {t.code for t in course.prepares_for.all()}
        assert course.title and course.title_en, course.code
        assert 1 <= course.hours <= 400, course.code
        assert course.min_age == 18 and course.min_attendance_percent == 80, course.code
        assert course.destinations.exists(), course.code
        assert set(course.job_sectors) <= set(Sector.values), course.code


def test_every_seeded_destination_exists():
    known = set(Destination.objects.values_list("code", flat=True))
    wanted = {c for row in seed.COURSES for c in row["destinations"]}
    assert wanted <= known, wanted - known
    for row in seed.COURSES:
        course = Course.objects.get(code=row["code"])
        assert course.destinations.count() == len(set(row["destinations"])), row["code"]


def test_prerequisites_chain_correctly():
    def prior(code):
        return set(
            Course.objects.get(code=code).prerequisite_courses.values_list("code", flat=True)
        )

    assert prior("welding-gmaw") == {"welding-smaw"}
    assert prior("welding-gtaw") == {"welding-smaw"}
    assert prior("welding-smaw") == set()
    assert prior("japanese-n4-jft") == {"japanese-n5"}
    assert prior("german-a2") == {"german-a1"}
    assert prior("german-b1") == {"german-a2"}
    # No course leads back to itself.
    graph = {c.code: prior(c.code) for c in Course.objects.all()}

    def reaches(start, target, seen=()):
        return any(
            p == target or (p not in seen and reaches(p, target, (*seen, p))) for p in graph[start]
        )

    assert not [code for code in graph if reaches(code, code)]


def test_applying_again_changes_nothing():
    before = _snapshot()
    assert seed.apply() == {"units": 0, "courses": 0}
    assert _snapshot() == before


def test_apply_restores_an_edited_course_and_its_units():
    course = Course.objects.get(code="welding-gmaw")
    course.prerequisite_courses.clear()
    CourseUnit.objects.filter(course=course).delete()
    Course.objects.filter(pk=course.pk).update(hours=1)
    seed.apply()
    course.refresh_from_db()
    assert course.hours == 200
    assert list(course.prerequisite_courses.values_list("code", flat=True)) == ["welding-smaw"]
    assert course.units.count() == 3


def test_the_migration_reverses_and_applies_again_with_historical_models():
    executor = MigrationExecutor(connection)
    apps = executor.loader.project_state(("training", "0002_seed_catalogue")).apps
    MIGRATION.backwards(apps, None)
    assert not Course.objects.exists()
    assert not CompetencyUnit.objects.exists()
    MIGRATION.forwards(apps, None)
    assert Course.objects.count() == len(seed.COURSES)
    assert CourseUnit.objects.filter(course__code="welding-smaw").count() == 5


def test_the_reverse_keeps_what_is_in_use(teguh, ppkd):
    from garda.places.models import Region
    from garda.training.tests.factories import make_batch, make_provider

    Region.objects.create(
        code="31.75", name="Jakarta Timur", level="regency", first_edition=2016, last_edition=2025
    )
    smaw = Course.objects.get(code="welding-smaw")
    make_batch(smaw, make_provider(ppkd), trainers=[teguh])
    removed = seed.unapply()
    assert removed["courses"] == len(seed.COURSES) - 1
    assert list(Course.objects.values_list("code", flat=True)) == ["welding-smaw"]
    # Its units stay (the course refers to them); the others are gone.
    assert set(CompetencyUnit.objects.values_list("code", flat=True)) == set(
        smaw.units.values_list("code", flat=True)
    )


def test_a_missing_document_type_is_a_clear_error():
    from garda.documents.models import DocumentType

    DocumentType.objects.filter(code="hsk").update(code="hsk-renamed")
    with pytest.raises(seed.SeedError, match="hsk"):
        seed.apply()


def test_the_live_data_and_the_migrated_database_agree():
    """garda/training/data/*.toml says what migration 0002 made from its own copy.
    Changing the live data needs a data migration with its own copy of the change."""
    units = {u.code: u for u in CompetencyUnit.objects.all()}
    assert set(units) == {row["code"] for row in seed.UNITS}
    for row in seed.UNITS:
        assert {k: getattr(units[row["code"]], k) for k in row} == row, row["code"]
    courses = {
        c.code: c
        for c in Course.objects.select_related("certifies").prefetch_related(
            "destinations", "prepares_for", "prerequisite_courses"
        )
    }
    assert set(courses) == {row["code"] for row in seed.COURSES}
    for row in seed.COURSES:
        course = courses[row["code"]]
        assert {f: getattr(course, f) for f in seed._FIELDS} == {f: row[f] for f in seed._FIELDS}, (
            row["code"]
        )
        assert (course.certifies.code if course.certifies else None) == row["certifies"]
        assert (
            list(
                CourseUnit.objects.filter(course=course)
                .order_by("order")
                .values_list("unit__code", flat=True)
            )
            == row["units"]
        ), row["code"]
        assert {d.code for d in course.destinations.all()} == set(row["destinations"])
        assert {t.code for t in course.prepares_for.all()} == set(row["prepares_for"])
        assert {c.code for c in course.prerequisite_courses.all()} == set(row["prerequisites"])


def test_an_unknown_course_field_is_refused():
    with pytest.raises(ValueError, match="hours_per_week"):
        seed._check_fields([{"code": "x", "title": "X", "hours_per_week": 4}])
