"""Reference data for the training catalogue: SKKNI competency units and courses.

The data, with its sources and which unit codes are confirmed, is in
garda/training/data/units.toml and courses.toml (format in garda/refdata.py).
`apply()` writes it to the database and `unapply()` removes what nothing uses;
migration 0002_seed_catalogue created the first rows from its own frozen copy. Providers are not
seeded here: they come from `garda load_training_providers`
(garda/training/data/providers.csv), since they hang on agencies.
"""

from pathlib import Path

from garda import refdata

DATA = Path(__file__).resolve().parent / "data"

UNITS: list[dict] = refdata.load(DATA / "units.toml")["units"]
COURSES: list[dict] = refdata.load(DATA / "courses.toml")["courses"]

# The fields of Course set straight from a row (the rest are relations).
_FIELDS = (
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
_RELATIONS = ("prerequisites", "destinations", "prepares_for", "certifies", "units")


def _check_fields(rows: list[dict]) -> None:
    for row in rows:
        unknown = set(row) - {"code", *_FIELDS, *_RELATIONS}
        if unknown:
            raise ValueError(f"{row['code']}: unknown course fields: {sorted(unknown)}")


_check_fields(COURSES)


class SeedError(Exception):
    """The seed refers to something the database lacks (a document type, a course)."""


def apply(apps=None) -> dict[str, int]:
    """Create or update the units and courses, by code; return how many were created.

    `apps` is a migration's registry (historical models) or None for the real ones.
    A course's units, prerequisites, destinations and document types are set to the
    seed's. Destinations missing from the database are skipped (a test database
    always has them: the destinations seed migration runs first)."""
    apps = refdata.registry(apps)
    CompetencyUnit = apps.get_model("training", "CompetencyUnit")
    Course = apps.get_model("training", "Course")
    CourseUnit = apps.get_model("training", "CourseUnit")
    DocumentType = apps.get_model("documents", "DocumentType")
    Destination = apps.get_model("destinations", "Destination")

    codes = {c for row in COURSES for c in (*row["prepares_for"], row["certifies"]) if c}
    types = {t.code: t for t in DocumentType.objects.filter(code__in=codes)}
    missing = sorted(codes - types.keys())
    if missing:
        raise SeedError(
            f"Document types missing for the training catalogue: {', '.join(missing)}. "
            "The documents app's seed migration must run first."
        )
    destinations = {d.code: d for d in Destination.objects.all()}
    created = {"units": 0, "courses": 0}

    units = {}
    for row in UNITS:
        values = {k: v for k, v in row.items() if k != "code"}
        unit, made = CompetencyUnit.objects.update_or_create(code=row["code"], defaults=values)
        created["units"] += made
        units[row["code"]] = unit

    courses = {}
    for row in COURSES:
        values = {f: row[f] for f in _FIELDS}
        values["certifies"] = types[row["certifies"]] if row["certifies"] else None
        course, made = Course.objects.update_or_create(code=row["code"], defaults=values)
        created["courses"] += made
        courses[row["code"]] = course
        CourseUnit.objects.filter(course=course).delete()
        CourseUnit.objects.bulk_create(
            CourseUnit(course=course, unit=units[code], order=i)
            for i, code in enumerate(row["units"], start=1)
        )
        course.destinations.set([destinations[c] for c in row["destinations"] if c in destinations])
        course.prepares_for.set([types[c] for c in row["prepares_for"]])
    for row in COURSES:
        try:
            prior = [courses[c] for c in row["prerequisites"]]
        except KeyError as exc:
            raise SeedError(f"{row['code']}: unknown prerequisite course {exc}") from None
        courses[row["code"]].prerequisite_courses.set(prior)
    return created


def unapply(apps=None) -> dict[str, int]:
    """Remove the seeded courses and units (as the migration's reverse does), except
    those that are in use: a course with batches or certificates, a unit that another
    course or an assessment refers to. Returns how many were removed."""
    apps = refdata.registry(apps)
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
    doomed = Course.objects.filter(code__in=course_codes).exclude(pk__in=in_use)
    removed_courses = doomed.count()
    doomed.delete()

    unit_codes = [row["code"] for row in UNITS]
    used = set(
        CourseUnit.objects.filter(unit__code__in=unit_codes).values_list("unit_id", flat=True)
    ) | set(Assessment.objects.filter(unit__code__in=unit_codes).values_list("unit_id", flat=True))
    units = CompetencyUnit.objects.filter(code__in=unit_codes).exclude(pk__in=used)
    removed_units = units.count()
    units.delete()
    return {"units": removed_units, "courses": removed_courses}
