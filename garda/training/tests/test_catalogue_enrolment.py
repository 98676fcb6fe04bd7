"""Enrolment services: permission, closed batches, duplicates and overlaps,
eligibility, seats and the waiting list, withdrawal, no-show, promotion, and the
last-seat race on PostgreSQL."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, transaction
from django.utils import timezone, translation

from garda.accounts.models import Notification
from garda.audit.models import AuditEvent
from garda.people.models import Person
from garda.training.models import Batch, Enrolment
from garda.training.services.enrolment import (
    EnrolmentConflict,
    Ineligible,
    enrolment_create,
    enrolment_no_show,
    enrolment_withdraw,
    waitlist_position,
    waitlist_promote,
    with_positions,
)
from garda.training.tests.catalogue_support import person, provider_for
from garda.training.tests.factories import make_batch, make_course

# Every test here uses the database, also those that ask for personas by name
# (request.getfixturevalue): unmarked, pytest-django would run them after the
# transactional tests, whose flush removes the role groups.
pytestmark = pytest.mark.django_db

ON_SQLITE = connection.vendor == "sqlite"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def provider(ppkd):
    return provider_for(ppkd)


@pytest.fixture
def course(db):
    return make_course("cat-enrol-course")


def batch_of(course, provider, **kwargs) -> Batch:
    return make_batch(course, provider, **kwargs)


def fresh(batch: Batch) -> Batch:
    return Batch.objects.get(pk=batch.pk)


def status_of(enrolment: Enrolment) -> str:
    return Enrolment.objects.get(pk=enrolment.pk).status


# --- create ----------------------------------------------------------------------------


def test_worker_enrols_themself(wati, course, provider):
    me = person(1, user=wati)
    batch = batch_of(course, provider, capacity=2)
    enrolment = enrolment_create(actor=wati, batch=batch, person=me)
    assert enrolment.status == "enrolled"
    assert waitlist_position(enrolment) is None
    assert fresh(batch).enrolled_count == 1
    assert AuditEvent.objects.filter(
        action="create", object_type="training.enrolment", object_id=str(enrolment.pk)
    ).exists()
    note = Notification.objects.get(user=wati)
    assert "/training/me/" in note.url
    assert course.title in note.title  # the site's language (Indonesian) by default


def test_worker_may_not_enrol_someone_else(wati, tono, course, provider):
    other = person(2, user=tono)
    with pytest.raises(PermissionDenied):
        enrolment_create(actor=wati, batch=batch_of(course, provider), person=other)
    assert not Enrolment.objects.exists()
    assert AuditEvent.objects.filter(action="denied", actor=wati).exists()


@pytest.mark.parametrize("who", ["teguh", "putri"])
def test_trainers_and_partners_do_not_enrol(who, request, course, provider):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        enrolment_create(actor=actor, batch=batch_of(course, provider), person=person(3))


def test_officer_enrols_anyone_in_the_registry(alice, course, provider):
    enrolment = enrolment_create(actor=alice, batch=batch_of(course, provider), person=person(4))
    assert enrolment.status == "enrolled"
    assert enrolment.enrolled_by == alice


def test_officer_may_not_enrol_a_merged_record(alice, course, provider):
    current, old = person(5), person(6)
    Person.objects.filter(pk=old.pk).update(merged_into=current)
    old.refresh_from_db()
    with pytest.raises(PermissionDenied):  # not in the registry any more
        enrolment_create(actor=alice, batch=batch_of(course, provider), person=old)


def test_full_batch_waitlists_in_order(alice, course, provider):
    batch = batch_of(course, provider, capacity=1)
    first = enrolment_create(actor=alice, batch=batch, person=person(7))
    second = enrolment_create(actor=alice, batch=batch, person=person(8))
    third = enrolment_create(actor=alice, batch=batch, person=person(9))
    assert [first.status, second.status, third.status] == ["enrolled", "waitlisted", "waitlisted"]
    assert [waitlist_position(second), waitlist_position(third)] == [1, 2]
    assert fresh(batch).enrolled_count == 1
    positions = dict(with_positions(Enrolment.objects.all()).values_list("pk", "position"))
    assert positions == {first.pk: None, second.pk: 1, third.pk: 2}


def test_waitlisted_person_is_told_their_place(wati, alice, course, provider):
    batch = batch_of(course, provider, capacity=1)
    enrolment_create(actor=alice, batch=batch, person=person(10))
    enrolment_create(actor=wati, batch=batch, person=person(11, user=wati))
    note = Notification.objects.get(user=wati)
    assert "1" in note.body


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"cancelled_at": timezone.now(), "cancel_reason": "Gedung direnovasi"}, "cancelled"),
        ({"closed_at": timezone.now()}, "already closed"),
        ({"is_published": False}, "not open"),
        ({"enrol_until": timezone.localdate() - timedelta(days=1)}, "closed on"),
    ],
)
def test_closed_batch_is_refused_with_a_clear_message(alice, course, provider, change, words):
    batch = batch_of(course, provider)
    Batch.objects.filter(pk=batch.pk).update(**change)
    with pytest.raises(EnrolmentConflict) as caught:
        enrolment_create(actor=alice, batch=batch, person=person(12))
    assert caught.value.error_list[0].code == "batch_closed"
    assert words in caught.value.messages[0]
    assert not Enrolment.objects.exists()


def test_enrolment_closes_the_day_before_the_start(alice, course, provider):
    batch = batch_of(course, provider, starts_in_days=0)
    with pytest.raises(EnrolmentConflict, match="closed on"):
        enrolment_create(actor=alice, batch=batch, person=person(13))


def test_already_enrolled_or_waitlisted(alice, course, provider):
    batch = batch_of(course, provider, capacity=1)
    p, q = person(14), person(15)
    enrolment_create(actor=alice, batch=batch, person=p)
    enrolment_create(actor=alice, batch=batch, person=q)
    with pytest.raises(EnrolmentConflict) as caught:
        enrolment_create(actor=alice, batch=batch, person=p)
    assert caught.value.error_list[0].code == "already_enrolled"
    assert "enrolled" in caught.value.messages[0]
    with pytest.raises(EnrolmentConflict, match=r"waiting list \(position 1\)"):
        enrolment_create(actor=alice, batch=batch, person=q)


def test_re_enrolling_after_withdrawal_is_a_new_row(alice, course, provider):
    batch = batch_of(course, provider)
    p = person(16)
    first = enrolment_create(actor=alice, batch=batch, person=p)
    enrolment_withdraw(actor=alice, enrolment=first, reason="Salah pilih")
    again = enrolment_create(actor=alice, batch=batch, person=p)
    assert again.pk != first.pk and again.status == "enrolled"


def test_overlapping_batch_is_refused(alice, course, provider):
    p = person(17)
    one = batch_of(course, provider, code="CAT-A", starts_in_days=10, days=5)
    other = make_course("cat-other")
    two = batch_of(other, provider, code="CAT-B", starts_in_days=14, days=5)
    three = batch_of(other, provider, code="CAT-C", starts_in_days=15, days=5)
    enrolment_create(actor=alice, batch=one, person=p)
    with pytest.raises(EnrolmentConflict) as caught:
        enrolment_create(actor=alice, batch=two, person=p)
    assert caught.value.error_list[0].code == "overlapping_batch"
    assert "CAT-A" in caught.value.messages[0]
    assert enrolment_create(actor=alice, batch=three, person=p).status == "enrolled"


def test_ineligible_person_gets_each_reason(alice, course, provider):
    course.min_education, course.min_age = "d3", 18
    course.save()
    batch = batch_of(course, provider)
    with pytest.raises(Ineligible) as caught:
        enrolment_create(
            actor=alice, batch=batch, person=person(18, education="smp", born=timezone.localdate())
        )
    assert [u.code for u in caught.value.unmet] == ["min_education", "min_age"]
    assert isinstance(caught.value, ValidationError)
    assert len(caught.value.messages) == 2
    assert not Enrolment.objects.exists()
    assert fresh(batch).enrolled_count == 0


# --- withdraw, promotion ---------------------------------------------------------------


def test_withdraw_needs_a_reason(wati, course, provider):
    enrolment = enrolment_create(
        actor=wati, batch=batch_of(course, provider), person=person(19, user=wati)
    )
    with pytest.raises(ValidationError) as caught:
        enrolment_withdraw(actor=wati, enrolment=enrolment, reason="  ")
    assert caught.value.message_dict == {"reason": ["Give the reason."]}
    assert status_of(enrolment) == "enrolled"


def test_withdraw_frees_the_seat_and_promotes_the_next(wati, tono, alice, course, provider):
    batch = batch_of(course, provider, capacity=1)
    mine = enrolment_create(actor=wati, batch=batch, person=person(20, user=wati))
    next_one = enrolment_create(actor=tono, batch=batch, person=person(21, user=tono))
    after = enrolment_create(actor=alice, batch=batch, person=person(22))
    Notification.objects.all().delete()
    enrolment_withdraw(actor=wati, enrolment=mine, reason="Dapat kerja")
    mine.refresh_from_db()
    assert (mine.status, mine.reason) == ("withdrawn", "Dapat kerja")
    assert status_of(next_one) == "enrolled"
    assert waitlist_position(Enrolment.objects.get(pk=after.pk)) == 1
    assert fresh(batch).enrolled_count == 1
    note = Notification.objects.get(user=tono)
    assert note.url == "/training/me/"
    assert course.title in note.title  # Indonesian, the default language
    assert not Notification.objects.filter(user=wati).exists()  # they did it themself
    assert AuditEvent.objects.filter(
        object_type="training.enrolment", object_id=str(next_one.pk), reason="waitlist_promote"
    ).exists()


def test_withdrawing_a_waitlisted_person_promotes_nobody(alice, course, provider):
    batch = batch_of(course, provider, capacity=1)
    enrolment_create(actor=alice, batch=batch, person=person(23))
    second = enrolment_create(actor=alice, batch=batch, person=person(24))
    third = enrolment_create(actor=alice, batch=batch, person=person(25))
    enrolment_withdraw(actor=alice, enrolment=second, reason="Pindah kota")
    assert status_of(third) == "waitlisted"
    assert waitlist_position(Enrolment.objects.get(pk=third.pk)) == 1
    assert fresh(batch).enrolled_count == 1


def test_promotion_skips_an_ineligible_person_who_keeps_their_place(alice, course, provider):
    batch = batch_of(course, provider, capacity=1)
    seated = enrolment_create(actor=alice, batch=batch, person=person(26))
    skipped = enrolment_create(actor=alice, batch=batch, person=person(27, education="smp"))
    promoted = enrolment_create(actor=alice, batch=batch, person=person(28, education="d3"))
    course.min_education = "sma"  # raised after they queued
    course.save()
    enrolment_withdraw(actor=alice, enrolment=seated, reason="Sakit")
    assert status_of(skipped) == "waitlisted"
    assert status_of(promoted) == "enrolled"
    assert waitlist_position(Enrolment.objects.get(pk=skipped.pk)) == 1


def test_promote_fills_every_free_seat(alice, course, provider):
    batch = batch_of(course, provider, capacity=1)
    enrolment_create(actor=alice, batch=batch, person=person(29))
    waiting = [enrolment_create(actor=alice, batch=batch, person=person(30 + i)) for i in range(3)]
    Batch.objects.filter(pk=batch.pk).update(capacity=3)
    with transaction.atomic():
        locked = Batch.objects.select_for_update().get(pk=batch.pk)
        promoted = waitlist_promote(batch=locked)
    assert [e.pk for e in promoted] == [waiting[0].pk, waiting[1].pk]
    assert status_of(waiting[2]) == "waitlisted"
    assert fresh(batch).enrolled_count == 3


def test_no_promotion_after_the_start(alice, teguh, course, provider):
    batch = batch_of(course, provider, capacity=1, trainers=[teguh])
    seated = enrolment_create(actor=alice, batch=batch, person=person(40))
    waiting = enrolment_create(actor=alice, batch=batch, person=person(41))
    today = timezone.localdate()
    Batch.objects.filter(pk=batch.pk).update(
        starts_on=today - timedelta(days=1), ends_on=today + timedelta(days=3)
    )
    seated = Enrolment.objects.select_related("batch").get(pk=seated.pk)
    enrolment_no_show(actor=teguh, enrolment=seated, reason="Tidak hadir tanpa kabar")
    assert status_of(seated) == "no_show"
    assert status_of(waiting) == "waitlisted"
    assert fresh(batch).enrolled_count == 0  # the seat stays free


def test_promotion_on_the_first_day_still_happens(alice, course, provider):
    batch = batch_of(course, provider, capacity=1)
    seated = enrolment_create(actor=alice, batch=batch, person=person(42))
    waiting = enrolment_create(actor=alice, batch=batch, person=person(43))
    Batch.objects.filter(pk=batch.pk).update(starts_on=timezone.localdate())
    enrolment_withdraw(actor=alice, enrolment=seated, reason="Sakit")
    assert status_of(waiting) == "enrolled"


def test_withdraw_only_from_an_active_enrolment(alice, course, provider):
    enrolment = enrolment_create(actor=alice, batch=batch_of(course, provider), person=person(44))
    enrolment_withdraw(actor=alice, enrolment=enrolment, reason="Sakit")
    with pytest.raises(EnrolmentConflict) as caught:
        enrolment_withdraw(actor=alice, enrolment=enrolment, reason="Lagi")
    assert caught.value.error_list[0].code == "not_active"


def test_others_may_not_withdraw(wati, tono, teguh, course, provider):
    enrolment = enrolment_create(
        actor=wati, batch=batch_of(course, provider, trainers=[teguh]), person=person(45, user=wati)
    )
    for actor in (tono, teguh):
        with pytest.raises(PermissionDenied):
            enrolment_withdraw(actor=actor, enrolment=enrolment, reason="x")
    assert status_of(enrolment) == "enrolled"


def test_officer_withdrawal_tells_the_worker(wati, alice, course, provider):
    enrolment = enrolment_create(
        actor=wati, batch=batch_of(course, provider), person=person(46, user=wati)
    )
    Notification.objects.all().delete()
    enrolment_withdraw(actor=alice, enrolment=enrolment, reason="Berangkat lebih awal")
    assert "Berangkat lebih awal" in Notification.objects.get(user=wati).body


# --- no-show ---------------------------------------------------------------------------


def test_no_show_not_before_the_start(alice, teguh, course, provider):
    batch = batch_of(course, provider, trainers=[teguh])
    enrolment = enrolment_create(actor=alice, batch=batch, person=person(47))
    with pytest.raises(EnrolmentConflict) as caught:
        enrolment_no_show(actor=teguh, enrolment=enrolment, reason="Tidak datang")
    assert caught.value.error_list[0].code == "not_started"


def test_no_show_by_whom(alice, wati, carol, course, provider, ppkd):
    from conftest import make_user
    from garda.accounts import roles

    other_trainer = make_user("budi@example.org", roles.TRAINER, ppkd)
    batch = batch_of(course, provider, capacity=5)
    enrolments = [
        enrolment_create(actor=alice, batch=batch, person=person(50 + i)) for i in range(2)
    ]
    today = timezone.localdate()
    Batch.objects.filter(pk=batch.pk).update(starts_on=today, ends_on=today + timedelta(days=4))
    first = Enrolment.objects.select_related("batch").get(pk=enrolments[0].pk)
    for actor in (wati, other_trainer):  # not this batch's trainer
        with pytest.raises(PermissionDenied):
            enrolment_no_show(actor=actor, enrolment=first, reason="Tidak datang")
    enrolment_no_show(actor=carol, enrolment=first, reason="Tidak datang")  # registry role
    assert status_of(first) == "no_show"
    assert fresh(batch).enrolled_count == 1
    with pytest.raises(EnrolmentConflict):
        enrolment_no_show(actor=carol, enrolment=first, reason="Lagi")


# --- the last seat, raced on PostgreSQL ------------------------------------------------


@pytest.mark.concurrency
@pytest.mark.skipif(
    ON_SQLITE,
    reason="row locks are PostgreSQL's; SQLite's test database (in memory) has one writer",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_race_for_the_last_seat_exactly_one_gets_it(alice, ppkd):
    course = make_course("cat-race-course")
    batch = make_batch(course, provider_for(ppkd), capacity=3)
    for serial in (60, 61):
        enrolment_create(actor=alice, batch=batch, person=person(serial))
    racers = [person(62), person(63)]
    start = threading.Barrier(len(racers))
    results: dict[int, str] = {}
    errors: list[BaseException] = []

    def race(racer: Person) -> None:
        try:
            with transaction.atomic():
                # Both transactions are open (a first statement sent) before either
                # asks for the seat.
                Batch.objects.filter(pk=batch.pk).values_list("enrolled_count").first()
                start.wait(timeout=10)
                enrolment = enrolment_create(
                    actor=alice, batch=Batch.objects.get(pk=batch.pk), person=racer
                )
            results[racer.pk] = enrolment.status
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(racer,)) for racer in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    assert not errors, errors
    assert sorted(results.values()) == ["enrolled", "waitlisted"]
    batch.refresh_from_db()
    assert batch.enrolled_count == batch.capacity == 3
    assert batch.enrolments.filter(status="enrolled").count() == 3
    assert batch.enrolments.filter(status="waitlisted").count() == 1
