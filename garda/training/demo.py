"""Demo training for `garda demo`: the providers, then batches at PPKD Jakarta Timur
(taught by the demo trainer) and at other providers, written through the real
services (classroom.batch_create, enrolment.enrolment_create, attendance_record,
assessments_record, completion.batch_close, which issues the certificates):

- upcoming batches with free seats;
- full batches with a waiting list;
- a finished batch with attendance and assessments, closed, its certificates issued
  (and two trainees who did not complete, with the reasons);
- a batch running today at the demo trainer's centre, with a session today whose
  attendance is still to mark (the earlier sessions are marked).

A finished batch is made the way it happens in life, compressed: created and filled
while enrolment is open, then its dates (and its sessions') are moved into the past
directly, by whole weeks so the weekdays stay (the services refuse enrolment once a
batch has started, and attendance for a session still to come).

Idempotent: a batch whose code exists is left as it is. The running batch's code
carries the day it was set up (JT-HK-DEMO-<yymmdd>): a second run the same day adds
nothing, a run on a later day adds that day's running batch, so the trainer always has
today's attendance to mark.
"""

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from garda.accounts import roles
from garda.accounts.models import User
from garda.people.models import Person
from garda.people.services.registry import PersonData, person_update
from garda.training.eligibility import unmet_prerequisites
from garda.training.models import Attendance, Batch, Course, Enrolment, Provider, Session
from garda.training.services.classroom import assessments_record, attendance_record, batch_create
from garda.training.services.completion import batch_close
from garda.training.services.enrolment import enrolment_create

HOME = "PPKD Jakarta Timur"  # the demo trainer's centre (demo.py's DEMO_USERS)
HOME_PLACE = "Gedung PPKD Jakarta Timur, Jl. Raya Bekasi Km 18, Pulo Gadung"
# Education recorded for demo persons who have none yet, by person id.
EDUCATION_MIX = ("smp", "sma", "smk", "sma", "smk", "d3", "smp", "s1")


@dataclass(frozen=True)
class Plan:
    code: str
    course: str
    provider: str  # agency short name
    starts_in: int  # days from today
    weeks: int
    capacity: int
    enrol: int  # enrolments attempted: above capacity, the rest wait
    place: str = ""
    finished: bool = False
    running: bool = False  # started RUNNING_WEEKS ago, a session today


PLANS = (
    # upcoming, with free seats
    Plan("JT-SMAW-DEMO-01", "welding-smaw", HOME, 21, 6, 16, 9),
    Plan("JT-HK-DEMO-01", "hospitality-housekeeping", HOME, 35, 4, 20, 6),
    Plan("NKJ-N5-DEMO-01", "japanese-n5", "LPK Nihongo Karya Jakarta", 14, 8, 24, 10),
    Plan("JS-KAIGO-DEMO-01", "caregiving-kaigo", "PPKD Jakarta Selatan", 28, 8, 20, 5),
    Plan("HBU-EPS-DEMO-01", "korean-eps-topik", "LPK Hanguk Bahasa Utama", 21, 10, 30, 12),
    # full, with a waiting list
    Plan("JT-LISTRIK-DEMO-01", "electrical-installation", HOME, 18, 6, 12, 16),
    Plan("JP-MASAK-DEMO-01", "hospitality-cookery", "PPKD Jakarta Pusat", 25, 6, 10, 13),
    # finished: attendance, assessments, closed with certificates
    Plan("JT-SMAW-DEMO-00", "welding-smaw", HOME, 1, 4, 12, 10, finished=True),
    # running today: its code gets the day (running_code)
    Plan("JT-HK-DEMO-", "hospitality-housekeeping", HOME, 1, 4, 16, 8, running=True),
)
SHIFT_WEEKS = 10  # how far back a finished batch is moved
RUNNING_WEEKS = 2  # how far back the running batch is moved: a session falls on today


def running_code(plan: Plan, today: date) -> str:
    return f"{plan.code}{today:%y%m%d}" if plan.running else plan.code


def _provider(short_name: str) -> Provider:
    return Provider.objects.select_related("agency").get(agency__short_name=short_name)


def _pool(today: date) -> list[Person]:
    """Adults in the registry, in a stable order, who are in no batch yet."""
    adult = date(today.year - 19, today.month, 1)
    busy = Enrolment.objects.values("person_id")
    return list(
        Person.objects.active()
        .filter(birth_date__lte=adult, training_only=False)
        .exclude(pk__in=busy)
        .order_by("pk")
    )


def _record_education(actor: User, person: Person) -> Person:
    """The education an officer records at the desk (the demo population has none)."""
    if person.education_level:
        return person
    values = {f.name: getattr(person, f.name, "") for f in dataclasses.fields(PersonData)}
    values["village_code"] = person.village_id or ""
    values["education_level"] = EDUCATION_MIX[person.pk % len(EDUCATION_MIX)]
    data = PersonData(**{k: ("" if v is None else v) for k, v in values.items()})
    return person_update(actor=actor, person=person, data=data, version=person.version)


def _fill(plan: Plan, batch: Batch, pool: list[Person], officer: User) -> dict[str, int]:
    counts = {"enrolled": 0, "waitlisted": 0}
    while pool and counts["enrolled"] + counts["waitlisted"] < plan.enrol:
        person = _record_education(officer, pool.pop(0))
        if unmet_prerequisites(person, batch.course, on=batch.starts_on):
            continue  # e.g. SD education for a course asking for SMA: someone else
        try:
            enrolment = enrolment_create(actor=officer, batch=batch, person=person)
        except ValidationError:
            continue
        counts[enrolment.status] += 1
    return counts


def _create(plan: Plan, today: date, *, trainer: User, admin: User) -> Batch:
    provider = _provider(plan.provider)
    course = Course.objects.get(code=plan.course)
    starts = today + timedelta(days=plan.starts_in)
    home = provider.agency_id == trainer.agency_id
    # Weekdays; a batch running today also meets on today's weekday (a Saturday class).
    days = (0, 1, 2, 3, 4) if not plan.running else tuple(sorted({0, 1, 2, 3, 4, today.weekday()}))
    return batch_create(
        actor=trainer if home else admin,
        course=course,
        provider=provider,
        code=running_code(plan, today),
        starts_on=starts,
        ends_on=starts + timedelta(weeks=plan.weeks, days=-1),
        place=plan.place or (HOME_PLACE if home else f"Gedung {provider.agency.name}"),
        region=provider.region,
        capacity=plan.capacity,
        session_days=days,
        session_start=time(8, 0),
        session_end=time(15, 0),
        trainers=[trainer] if home else [],
    )


def _finish(batch: Batch, trainer: User) -> int:
    """Move `batch` into the past, record its class and close it; returns the number
    of certificates issued."""
    shift = timedelta(weeks=SHIFT_WEEKS)
    Session.objects.filter(batch=batch).update(date=F("date") - shift)
    Batch.objects.filter(pk=batch.pk).update(
        starts_on=F("starts_on") - shift, ends_on=F("ends_on") - shift
    )
    batch.refresh_from_db()
    enrolled = list(batch.enrolments.filter(status=Enrolment.Status.ENROLLED).order_by("pk"))
    if not enrolled:
        return 0
    # The first trainee missed a third of the class; the second did not pass a unit.
    sessions = list(batch.sessions.order_by("number"))
    for session in sessions:
        marks = {}
        for i, enrolment in enumerate(enrolled):
            status = Attendance.Status.PRESENT
            if i == 0 and session.number % 3 == 0:
                status = Attendance.Status.ABSENT
            elif (i + session.number) % 11 == 0:
                status = Attendance.Status.LATE
            marks[enrolment.pk] = status
        attendance_record(actor=trainer, session=session, marks=marks)
    units = [cu.unit for cu in batch.course.course_units.select_related("unit").order_by("order")]
    for n, unit in enumerate(units):
        rows = []
        for i, enrolment in enumerate(enrolled):
            failed = i == 1 and n == len(units) - 1
            rows.append(
                {
                    "enrolment_id": enrolment.pk,
                    "result": "not_yet" if failed else "competent",
                    "score": 55 if failed else 70 + (i * 7 + n * 3) % 28,
                    "assessed_on": batch.ends_on,
                    "note": "Perlu mengulang uji praktik posisi 3G." if failed else "",
                }
            )
        assessments_record(actor=trainer, batch=batch, unit=unit, rows=rows)
    return len(batch_close(actor=trainer, batch=batch).certificates)


def _run(batch: Batch, trainer: User, today: date) -> None:
    """Move `batch` RUNNING_WEEKS back, so that it started before today and one of its
    sessions is today, and mark the attendance of its sessions before today."""
    shift = timedelta(weeks=RUNNING_WEEKS)
    Session.objects.filter(batch=batch).update(date=F("date") - shift)
    Batch.objects.filter(pk=batch.pk).update(
        starts_on=F("starts_on") - shift, ends_on=F("ends_on") - shift
    )
    batch.refresh_from_db()
    enrolled = list(batch.enrolments.filter(status=Enrolment.Status.ENROLLED).order_by("pk"))
    for session in batch.sessions.filter(date__lt=today).order_by("number"):
        marks = {}
        for i, enrolment in enumerate(enrolled):
            status = Attendance.Status.PRESENT
            if (i + session.number) % 9 == 0:
                status = Attendance.Status.ABSENT
            elif (i + session.number) % 7 == 0:
                status = Attendance.Status.LATE
            marks[enrolment.pk] = status
        if marks:
            attendance_record(actor=trainer, session=session, marks=marks)


def populate(
    *,
    trainer: User,
    officer: User,
    admin: User | None = None,
    persons: Sequence[Person] | None = None,
    today: date | None = None,
) -> dict[str, int]:
    """Load the providers and build the demo batches (see the module docstring);
    returns counts of what was created. `trainer` teaches at PPKD Jakarta Timur,
    `officer` enrols people (and records their education when missing), `admin`
    (default: the first active admin) creates the other providers' batches."""
    from garda.training.management.commands.load_training_providers import (
        DEMO_FILE,
        load_providers,
    )

    load_providers()
    load_providers(DEMO_FILE)
    today = today or timezone.localdate()
    admin = admin or (
        User.objects.filter(is_active=True, groups__name=roles.ADMIN).order_by("pk").first()
    )
    if admin is None:
        raise ValueError("The demo training needs an active admin account")
    pool = list(persons) if persons is not None else _pool(today)
    counts = dict.fromkeys(("batches", "enrolled", "waitlisted", "certificates"), 0)
    codes = [running_code(p, today) for p in PLANS]
    existing = set(Batch.objects.filter(code__in=codes).values_list("code", flat=True))
    for plan in PLANS:
        if running_code(plan, today) in existing:
            continue
        with transaction.atomic():
            batch = _create(plan, today, trainer=trainer, admin=admin)
            filled = _fill(plan, batch, pool, officer)
            if plan.finished:
                counts["certificates"] += _finish(batch, trainer)
            elif plan.running:
                _run(batch, trainer, today)
        counts["batches"] += 1
        counts["enrolled"] += filled["enrolled"]
        counts["waitlisted"] += filled["waitlisted"]
    return counts
