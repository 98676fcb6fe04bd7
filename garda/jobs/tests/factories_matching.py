"""Persons with what matching reads (skills, languages, certificates, experience,
readiness rows, preferences), written directly: the registry's and the training
services are tested in their own apps; here only matching's reading of them is."""

from datetime import date, timedelta
from itertools import count

from django.utils import timezone

from garda.destinations.models import Readiness
from garda.jobs.models import WorkerPreference
from garda.people.models import LanguageSkill, Person, Skill, WorkExperience
from garda.places.models import Country
from garda.training.models import Certificate, Course

_serial = count(1)
NIK_PREFIX = "3171014101"


def born_aged(years: int, days: int = 0) -> date:
    """A birth date making the person `years` old today (and `days` more)."""
    today = timezone.localdate()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:
        day = today.replace(year=today.year - years, day=28)
    return day - timedelta(days=days)


def country(code="HK", name="Hong Kong") -> Country:
    found, _ = Country.objects.get_or_create(
        code=code,
        defaults={"alpha3": code + "X", "numeric": "999", "name_id": name, "name_en": name},
    )
    return found


def make_person(
    *,
    status="ready",
    sex="F",
    age=30,
    ready_for="HK:p2p:domestic",
    ready=True,
    skills=("9111",),
    user=None,
    **extra,
) -> Person:
    n = next(_serial)
    person = Person.objects.create(
        reference=f"MT{n:06d}",
        nik=f"{NIK_PREFIX}{n:06d}",
        nik_index=f"matching-{n}",
        full_name=extra.pop("full_name", f"Pekerja {n}"),
        sex=sex,
        birth_date=extra.pop("birth_date", born_aged(age)),
        status=status,
        passport_number=extra.pop("passport_number", f"C{n:07d}"),
        user=user,
        **extra,
    )
    if ready_for:
        Readiness.objects.create(
            person=person,
            target_key=ready_for,
            ready=ready,
            percent=100 if ready else 60,
            result={"requirements": [], "next_steps": []},
        )
    for code in skills:
        Skill.objects.create(person=person, occupation_code=code, title=f"Keahlian {code}")
    return person


def add_language(person, language="en", scale="cefr", level="B1"):
    return LanguageSkill.objects.create(person=person, language=language, scale=scale, level=level)


def make_course(code="caregiver-basic", **extra) -> Course:
    extra.setdefault("title", f"Kursus {code}")
    extra.setdefault("title_en", f"Course {code}")
    extra.setdefault("hours", 100)
    extra.setdefault("sector", "caregiving")
    return Course.objects.create(code=code, **extra)


def add_certificate(person, course=None, *, status="valid", expires_on=None, n=None):
    n = n or next(_serial)
    return Certificate.objects.create(
        number=f"EXT-{n}",
        person=person,
        source=Certificate.Source.EXTERNAL,
        course=course,
        title=course.title if course else "Sertifikat lain",
        issuer_name="LSP Uji",
        issued_on=timezone.localdate() - timedelta(days=100),
        expires_on=expires_on,
        status=status,
        revoked_reason="dicabut (uji)" if status == "revoked" else "",
    )


def add_experience(person, country_code="HK", months=24, occupation="9111"):
    country(country_code)
    ended = timezone.localdate() - timedelta(days=30)
    started = ended - timedelta(days=int(months * 30.6))
    return WorkExperience.objects.create(
        person=person,
        employer="Keluarga Chan",
        country_id=country_code,
        occupation_code=occupation,
        started_on=started,
        ended_on=ended,
    )


def prefer(person, destinations=("HK",), sectors=("domestic",)):
    return WorkerPreference.objects.update_or_create(
        person=person, defaults={"destinations": list(destinations), "sectors": list(sectors)}
    )[0]
