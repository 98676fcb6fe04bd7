"""The demo training step of `garda demo`: upcoming batches with seats, full batches
with a waiting list, a finished batch closed with valid certificates; run twice,
nothing is duplicated."""

from datetime import date

import pytest
from django.utils import timezone

from conftest import create_agency, create_persona, make_user, rolled_back
from garda.accounts import roles
from garda.accounts.models import Agency, User
from garda.people.tests.factories import register
from garda.training.demo import PLANS, populate
from garda.training.models import Batch, Certificate, Enrolment
from garda.training.tests.factories import jakarta_cities, load_training_agencies

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker, tmp_path_factory) -> dict[str, int]:
    """Regions, the training agencies, a trainer and 110 persons registered by alice:
    built once for the module (conftest.rolled_back), each test rolled back."""
    with rolled_back(django_db_blocker):
        alice = create_persona("alice", create_agency("disnaker"))
        admin_user = create_persona("admin_user")
        jakarta_cities()
        load_training_agencies(tmp_path_factory.mktemp("demo-training"))
        trainer = make_user(
            "teguh@demo.example.org",
            roles.TRAINER,
            Agency.objects.get(short_name="PPKD Jakarta Timur"),
            full_name="Teguh Prasetyo",
        )
        today = timezone.localdate()
        for n in range(1, 111):
            register(serial=n, actor=alice, born=date(today.year - 20 - n % 25, 1 + n % 12, 1))
        yield {"trainer": trainer.pk, "alice": alice.pk, "admin_user": admin_user.pk}


# The world's users, read afresh for each test (one test deactivates the admin).
@pytest.fixture
def demo_world(_world, db) -> User:
    """The trainer."""
    return User.objects.get(pk=_world["trainer"])


@pytest.fixture
def alice(_world, db) -> User:
    return User.objects.get(pk=_world["alice"])


@pytest.fixture
def admin_user(_world, db) -> User:
    return User.objects.get(pk=_world["admin_user"])


def test_the_demo_has_seats_waiting_lists_and_certificates(demo_world, alice, admin_user):
    trainer = demo_world
    counts = populate(trainer=trainer, officer=alice, admin=admin_user)
    assert counts["batches"] == len(PLANS)
    today = timezone.localdate()

    upcoming = [b for b in Batch.objects.filter(starts_on__gt=today) if b.seats_left > 0]
    assert len(upcoming) >= 3
    assert all(b.is_open_for_enrolment(today) for b in upcoming)
    assert Batch.objects.filter(trainers=trainer, starts_on__gt=today).exists()

    full = [b for b in Batch.objects.filter(starts_on__gt=today) if b.seats_left == 0]
    assert full
    for batch in full:
        assert batch.enrolments.filter(status="enrolled").count() == batch.capacity
        assert batch.enrolments.filter(status="waitlisted").exists()
    assert counts["waitlisted"] == Enrolment.objects.filter(status="waitlisted").count() >= 5

    finished = Batch.objects.get(code="JT-SMAW-DEMO-00")
    assert finished.closed_at is not None and finished.ends_on < today
    assert finished.trainers.filter(pk=trainer.pk).exists()
    valid = Certificate.objects.filter(status="valid", enrolment__batch=finished)
    assert valid.count() == counts["certificates"] >= 5
    assert valid.filter(course__code="welding-smaw", source="course").count() == valid.count()
    assert all(c.number and c.verification_code for c in valid)
    # The trainee who missed classes and the one not yet competent did not complete.
    assert finished.enrolments.filter(status="enrolled").count() == 2
    assert finished.enrolments.filter(status="completed").count() == valid.count()


def test_running_again_creates_nothing(demo_world, alice, admin_user):
    populate(trainer=demo_world, officer=alice, admin=admin_user)
    before = (Batch.objects.count(), Enrolment.objects.count(), Certificate.objects.count())
    again = populate(trainer=demo_world, officer=alice, admin=admin_user)
    assert again == {"batches": 0, "enrolled": 0, "waitlisted": 0, "certificates": 0}
    assert (Batch.objects.count(), Enrolment.objects.count(), Certificate.objects.count()) == (
        before
    )


def test_the_demo_needs_an_admin(demo_world, alice, admin_user):
    admin_user.is_active = False
    admin_user.save(update_fields=["is_active"])
    with pytest.raises(ValueError, match="admin"):
        populate(trainer=demo_world, officer=alice)


def _running_today(trainer: User) -> Batch:
    today = timezone.localdate()
    batch = Batch.objects.get(
        trainers=trainer, starts_on__lt=today, ends_on__gt=today, code__endswith=f"{today:%y%m%d}"
    )
    assert batch.sessions.filter(date=today).exists()
    return batch


@pytest.mark.parametrize("day", ["2026-03-04 09:00 +07:00", "2026-08-15 09:00 +07:00"])
def test_a_batch_runs_today_whatever_the_day(demo_world, alice, admin_user, day):
    """The trainer opens the demo and has today's attendance to mark (a Saturday too),
    the earlier sessions marked already."""
    import time_machine

    from garda.training.models import Attendance

    with time_machine.travel(day, tick=False):
        populate(trainer=demo_world, officer=alice, admin=admin_user)
        today = timezone.localdate()
        batch = _running_today(demo_world)
        assert batch.enrolments.filter(status="enrolled").count() >= 5
        session = batch.sessions.get(date=today)
        assert not Attendance.objects.filter(session=session).exists()
        earlier = batch.sessions.filter(date__lt=today)
        assert earlier.exists()
        assert Attendance.objects.filter(session__in=earlier).count() == (
            earlier.count() * batch.enrolments.filter(status="enrolled").count()
        )
        # Nothing else is in the past but the finished batch and this one.
        assert Batch.objects.filter(starts_on__lt=today).count() == 2
    assert Batch.objects.filter(trainers=demo_world, code__startswith="JT-HK-DEMO-2").count() == 1


def test_a_later_run_adds_only_that_days_running_batch(demo_world, alice, admin_user):
    import time_machine

    with time_machine.travel("2026-03-04 09:00 +07:00", tick=False):
        populate(trainer=demo_world, officer=alice, admin=admin_user)
        first = _running_today(demo_world)
    before = Batch.objects.count()
    with time_machine.travel("2026-03-11 09:00 +07:00", tick=False):
        again = populate(trainer=demo_world, officer=alice, admin=admin_user)
        later = _running_today(demo_world) if again["batches"] else None
    assert again["batches"] == 1 and Batch.objects.count() == before + 1
    assert later is not None and later.pk != first.pk
    assert later.code.endswith("260311") and first.code.endswith("260304")
