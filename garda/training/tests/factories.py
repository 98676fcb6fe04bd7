"""Build training data for tests. Catalogue rows (reference data maintained by admins)
are created directly; enrolments and everything after go through the services in the
tests themselves (docs/style.md, rule 9)."""

import csv
import io
from datetime import date, time, timedelta
from pathlib import Path

from django.core.management import call_command
from django.utils import timezone

from garda.accounts.models import Agency, User
from garda.places.models import Country, Region
from garda.training.models import (
    Batch,
    CompetencyUnit,
    Course,
    CourseUnit,
    Provider,
    Session,
)


def jakarta_timur() -> Region:
    """The region make_provider puts providers in (Kota Jakarta Timur, in DKI Jakarta):
    the regions are not loaded in tests."""
    province, _ = Region.objects.get_or_create(
        code="31",
        defaults={
            "name": "DKI Jakarta",
            "level": "province",
            "first_edition": 2016,
            "last_edition": 2025,
        },
    )
    region, _ = Region.objects.get_or_create(
        code="31.75",
        defaults={
            "name": "Kota Jakarta Timur",
            "level": "regency",
            "parent": province,
            "first_edition": 2016,
            "last_edition": 2025,
        },
    )
    return region


JAKARTA_CITIES = {
    "31.71": "Jakarta Pusat",
    "31.72": "Jakarta Utara",
    "31.73": "Jakarta Barat",
    "31.74": "Jakarta Selatan",
    "31.75": "Jakarta Timur",
}


def jakarta_cities() -> None:
    """DKI Jakarta and its five cities (the regions the training reference data points
    at), and Indonesia: what the loaders and the demo need in place."""
    province = Region.objects.create(
        code="31", name="DKI Jakarta", level="province", first_edition=2016, last_edition=2025
    )
    for code, name in JAKARTA_CITIES.items():
        Region.objects.create(
            code=code,
            name=name,
            level="regency",
            parent=province,
            first_edition=2016,
            last_edition=2025,
        )
    Country.objects.get_or_create(
        code="ID",
        defaults={
            "alpha3": "IDN",
            "numeric": "360",
            "name_id": "Indonesia",
            "name_en": "Indonesia",
        },
    )


AGENCIES = Path(__file__).resolve().parents[2] / "accounts" / "data" / "agencies.csv"


def load_training_agencies(folder: Path) -> list[dict]:
    """`garda load_agencies` with the training rows of the real agencies file (written
    to `folder`); the rows."""
    with AGENCIES.open(encoding="utf-8") as fh:
        rows = [row for row in csv.DictReader(fh) if row["kind"] == "training"]
    path = folder / "agencies.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    call_command("load_agencies", file=path, stdout=io.StringIO())
    return rows


def make_provider(agency: Agency | None = None, *, kind: str = "ppkd", **extra) -> Provider:
    """The provider of `agency` (created as a training agency when None)."""
    if agency is None:
        n = Agency.objects.count() + 1
        agency = Agency.objects.create(
            name=f"LPK Uji {n}", short_name=f"LPK-U{n}", kind=Agency.Kind.TRAINING
        )
    existing = Provider.objects.filter(agency=agency).first()
    if existing is not None:
        return existing
    extra.setdefault("region", Region.objects.get(code="31.75"))
    extra.setdefault("accreditation", "A")
    return Provider.objects.create(agency=agency, kind=kind, **extra)


def make_unit(code: str, title: str = "") -> CompetencyUnit:
    unit, _ = CompetencyUnit.objects.get_or_create(
        code=code, defaults={"title": title or f"Unit {code}", "title_en": f"Unit {code}"}
    )
    return unit


def make_course(
    code: str = "welding-smaw",
    *,
    units: int | list[CompetencyUnit] = 2,
    sector: str = "welding",
    **extra,
) -> Course:
    extra.setdefault("title", f"Kursus {code}")
    extra.setdefault("title_en", f"Course {code}")
    extra.setdefault("hours", 160)
    extra.setdefault("kkni_level", 2)
    course = Course.objects.create(code=code, sector=sector, **extra)
    if isinstance(units, int):
        units = [make_unit(f"{code.upper()}.{i:03d}") for i in range(1, units + 1)]
    CourseUnit.objects.bulk_create(
        CourseUnit(course=course, unit=unit, order=i) for i, unit in enumerate(units, start=1)
    )
    return course


def make_batch(
    course: Course,
    provider: Provider,
    *,
    code: str | None = None,
    capacity: int = 10,
    starts_in_days: int = 14,
    days: int = 5,
    sessions: int = 4,
    trainers: list[User] = (),
    **extra,
) -> Batch:
    """A published batch starting `starts_in_days` from today with `sessions` sessions
    on consecutive days from its start."""
    starts = timezone.localdate() + timedelta(days=starts_in_days)
    batch = Batch.objects.create(
        code=code or f"{course.code.upper()}-{Batch.objects.count() + 1:03d}",
        course=course,
        provider=provider,
        starts_on=starts,
        ends_on=starts + timedelta(days=max(days, sessions) - 1),
        place=extra.pop("place", "Gedung PPKD, Jl. Raya Bekasi Km 18"),
        capacity=capacity,
        **extra,
    )
    Session.objects.bulk_create(
        Session(
            batch=batch,
            number=i,
            date=starts + timedelta(days=i - 1),
            starts_at=time(8, 0),
            ends_at=time(16, 0),
            topic=f"Sesi {i}",
        )
        for i in range(1, sessions + 1)
    )
    if trainers:
        batch.trainers.set(trainers)
    return batch


def born_years_ago(years: int) -> date:
    today = timezone.localdate()
    return date(today.year - years, 1, 1)
