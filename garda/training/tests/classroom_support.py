"""A class to teach, for the classroom tests: a batch of the trainer's provider with
trainees enrolled through the real enrolment service (docs/style.md, rule 9)."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from garda.accounts.models import User
from garda.people.models import Person
from garda.people.tests.factories import register
from garda.training.models import Batch, Course, Enrolment, Provider
from garda.training.services.enrolment import enrolment_create
from garda.training.tests.factories import jakarta_timur, make_batch, make_course, make_provider


@dataclass
class Classroom:
    provider: Provider
    course: Course
    batch: Batch
    people: list[Person]
    enrolments: list[Enrolment]


def provider_of(agency=None, **extra) -> Provider:
    """make_provider, with the region it puts providers in (not loaded in tests)."""
    jakarta_timur()
    return make_provider(agency, **extra)


def trainee(**extra) -> Person:
    serial = 5001 + Person.objects.count()
    return register(serial=serial, full_name=f"Peserta {serial}", **extra)


def classroom(
    trainer: User,
    actor: User,
    *,
    code: str = "uji-kelas",
    trainees: int = 3,
    starts_in_days: int = -10,
    sessions: int = 5,
    units: int = 2,
    capacity: int = 10,
    **course_extra,
) -> Classroom:
    """A batch taught by `trainer` that started `-starts_in_days` days ago (enrolment
    still open today, so the real service enrols), with `trainees` enrolled by
    `actor` (a registry role)."""
    provider = provider_of(trainer.agency)
    course = Course.objects.filter(code=code).first() or make_course(
        code, units=units, **course_extra
    )
    batch = make_batch(
        course,
        provider,
        capacity=capacity,
        starts_in_days=starts_in_days,
        sessions=sessions,
        trainers=[trainer],
        enrol_until=timezone.localdate() + timedelta(days=max(0, starts_in_days)),
    )
    people = [trainee() for _ in range(trainees)]
    enrolments = [enrolment_create(actor=actor, batch=batch, person=p) for p in people]
    batch.refresh_from_db()
    return Classroom(provider, course, batch, people, enrolments)
