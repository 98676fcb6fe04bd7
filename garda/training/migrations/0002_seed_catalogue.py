"""Reference data: the SKKNI competency units and the course catalogue (welding,
hospitality, engineering, caregiving, construction, fishery and language courses).
Frozen: the data is this migration's own copy in migrations/data/0002_units.toml and
0002_courses.toml (see their headers for the sources and which unit codes are
confirmed), read by its own loader and written by its own code, so that editing the
live data (garda/training/data) or garda/training/seed.py never changes history.
Created or updated by code; the reverse removes the seeded rows that nothing refers
to yet."""

import copy
import tomllib
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent / "data"

# The fields of Course set straight from a row (the rest are relations).
FIELDS = (
    "title",
    "title_en",
    "description",
    "sector",
    "kkni_level",
    "hours",
    "language",
    "min_education",
    "min_age",
    "max_age",
    "job_sectors",
    "job_kinds",
    "lsp_name",
    "lsp_scheme",
    "certificate_validity_months",
    "min_attendance_percent",
)


def _load(name: str) -> dict:
    """A frozen data file, with its `[defaults.NAME]` and `[nullable]` tables applied
    to the rows of the arrays called NAME (garda.refdata.load as it was)."""
    with open(DATA / name, "rb") as fh:
        data = tomllib.load(fh)
    defaults = data.pop("defaults", {})
    nullable = data.pop("nullable", {})

    def fill(table):
        for key, value in table.items():
            if not (isinstance(value, list) and value and all(isinstance(r, dict) for r in value)):
                continue
            for row in value:
                for field, default in defaults.get(key, {}).items():
                    row.setdefault(field, copy.deepcopy(default))
                for field in nullable.get(key, ()):
                    row.setdefault(field, None)
                fill(row)

    fill(data)
    return data


def _data():
    return _load("0002_units.toml")["units"], _load("0002_courses.toml")["courses"]


def forwards(apps, schema_editor):
    UNITS, COURSES = _data()
    CompetencyUnit = apps.get_model("training", "CompetencyUnit")
    Course = apps.get_model("training", "Course")
    CourseUnit = apps.get_model("training", "CourseUnit")
    DocumentType = apps.get_model("documents", "DocumentType")
    Destination = apps.get_model("destinations", "Destination")

    codes = {c for row in COURSES for c in (*row["prepares_for"], row["certifies"]) if c}
    types = {t.code: t for t in DocumentType.objects.filter(code__in=codes)}
    missing = sorted(codes - types.keys())
    if missing:
        raise RuntimeError(
            f"Document types missing for the training catalogue: {', '.join(missing)}. "
            "The documents app's seed migration must run first."
        )
    destinations = {d.code: d for d in Destination.objects.all()}

    units = {}
    for row in UNITS:
        values = {k: v for k, v in row.items() if k != "code"}
        units[row["code"]], _ = CompetencyUnit.objects.update_or_create(
            code=row["code"], defaults=values
        )

    courses = {}
    for row in COURSES:
        values = {f: row[f] for f in FIELDS}
        values["certifies"] = types[row["certifies"]] if row["certifies"] else None
        course, _ = Course.objects.update_or_create(code=row["code"], defaults=values)
        courses[row["code"]] = course
        CourseUnit.objects.filter(course=course).delete()
        CourseUnit.objects.bulk_create(
            CourseUnit(course=course, unit=units[code], order=i)
            for i, code in enumerate(row["units"], start=1)
        )
        course.destinations.set([destinations[c] for c in row["destinations"] if c in destinations])
        course.prepares_for.set([types[c] for c in row["prepares_for"]])
    for row in COURSES:
        courses[row["code"]].prerequisite_courses.set([courses[c] for c in row["prerequisites"]])


def backwards(apps, schema_editor):
    """Remove the seeded courses and units, except those in use: a course with
    batches or certificates, a unit that another course or an assessment refers to."""
    UNITS, COURSES = _data()
    CompetencyUnit = apps.get_model("training", "CompetencyUnit")
    Course = apps.get_model("training", "Course")
    CourseUnit = apps.get_model("training", "CourseUnit")
    Batch = apps.get_model("training", "Batch")
    Certificate = apps.get_model("training", "Certificate")
    Assessment = apps.get_model("training", "Assessment")

    course_codes = [row["code"] for row in COURSES]
    in_use = set(
        Batch.objects.filter(course__code__in=course_codes).values_list("course_id", flat=True)
    ) | set(
        Certificate.objects.filter(course__code__in=course_codes).values_list(
            "course_id", flat=True
        )
    )
    Course.objects.filter(code__in=course_codes).exclude(pk__in=in_use).delete()

    unit_codes = [row["code"] for row in UNITS]
    used = set(
        CourseUnit.objects.filter(unit__code__in=unit_codes).values_list("unit_id", flat=True)
    ) | set(Assessment.objects.filter(unit__code__in=unit_codes).values_list("unit_id", flat=True))
    CompetencyUnit.objects.filter(code__in=unit_codes).exclude(pk__in=used).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0001_initial"),
        ("documents", "0002_seed_document_types"),
        ("destinations", "0005_ssw_jlpt_alternative"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
