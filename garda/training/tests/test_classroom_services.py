"""Batches, attendance and assessments through the services
(garda/training/services/classroom.py)."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from conftest import make_user
from garda.accounts import roles
from garda.accounts.models import Agency, Notification
from garda.audit.models import AuditEvent
from garda.training.models import Assessment, Attendance, Batch, Enrolment
from garda.training.services.classroom import (
    assessment_record,
    assessments_record,
    attendance_record,
    batch_cancel,
    batch_create,
    batch_update,
)
from garda.training.services.enrolment import enrolment_create
from garda.training.tests.classroom_support import classroom, provider_of, trainee
from garda.training.tests.factories import make_course, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _create(actor, provider, course, **extra):
    today = timezone.localdate()
    monday = today + timedelta(days=14 - today.weekday())
    args = {
        "code": "SMAW-2027-01",
        "starts_on": monday,
        "ends_on": monday + timedelta(days=13),
        "place": "Bengkel Las PPKD JT",
        "capacity": 16,
        "session_start": time(8, 0),
        "session_end": time(15, 0),
    }
    args.update(extra)
    return batch_create(actor=actor, course=course, provider=provider, **args)


# --- batch_create ---------------------------------------------------------------------


def test_trainer_creates_a_batch_for_their_provider_with_sessions(teguh):
    provider = provider_of(teguh.agency)
    course = make_course("uji-a")
    batch = _create(teguh, provider, course)
    sessions = list(batch.sessions.order_by("number"))
    assert [s.number for s in sessions] == list(range(1, 11))  # two weeks of weekdays
    assert all(s.date.weekday() < 5 for s in sessions)
    assert sessions[0].starts_at == time(8, 0) and sessions[0].ends_at == time(15, 0)
    assert list(batch.trainers.all()) == [teguh]
    assert batch.created_by == teguh
    assert AuditEvent.objects.filter(
        action="create", object_type="training.batch", object_id=str(batch.pk)
    ).exists()


def test_saturday_batch(admin_user, ppkd):
    batch = _create(admin_user, provider_of(ppkd), make_course("uji-a"), session_days=(5,))
    assert batch.sessions.count() == 2
    assert not batch.trainers.exists()  # an admin does not become a trainer


def test_trainer_cannot_create_for_another_provider(teguh):
    other = provider_of()  # another training agency
    with pytest.raises(PermissionDenied):
        _create(teguh, other, make_course("uji-a"))
    assert not Batch.objects.exists()
    assert AuditEvent.objects.filter(action="denied", reason="training.batch_create").exists()


def test_officer_cannot_create(alice, ppkd):
    with pytest.raises(PermissionDenied):
        _create(alice, provider_of(ppkd), make_course("uji-a"))


def test_assigned_trainers_must_be_active_trainers_of_the_provider(admin_user, teguh, alice):
    provider = provider_of(teguh.agency)
    other_agency = Agency.objects.create(name="LPK Lain", short_name="LPK-L", kind="training")
    stranger = make_user("t2@example.org", roles.TRAINER, other_agency, full_name="Tari")
    retired = make_user("t3@example.org", roles.TRAINER, teguh.agency, is_active=False)
    for wrong in (alice, stranger, retired):
        with pytest.raises(ValidationError) as exc:
            _create(admin_user, provider, make_course(f"uji-{wrong.pk}"), trainers=[wrong])
        assert exc.value.error_dict["trainers"][0].code == "not_a_trainer"
        assert "is not an active trainer of PPKD Jakarta Timur" in exc.value.messages[0]
    batch = _create(admin_user, provider, make_course("uji-ok"), trainers=[teguh])
    assert list(batch.trainers.all()) == [teguh]


@pytest.mark.parametrize(
    ("extra", "field", "code"),
    [
        ({"ends_on_delta": -1}, "ends_on", "dates"),
        ({"session_days": ()}, "session_days", "days"),
        ({"session_end": time(7, 0)}, "session_end", "session_times"),
        ({"ends_on_delta": 0, "session_days": (6,)}, "session_days", "no_sessions"),
        ({"ends_on_delta": 400}, "ends_on", "too_long"),
        ({"capacity": 0}, "capacity", None),
        ({"place": ""}, "place", None),
    ],
)
def test_batch_create_bad_input(teguh, extra, field, code):
    provider = provider_of(teguh.agency)
    today = timezone.localdate()
    monday = today + timedelta(days=14 - today.weekday())
    delta = extra.pop("ends_on_delta", 13)
    with pytest.raises(ValidationError) as exc:
        _create(
            teguh, provider, make_course("uji-a"), ends_on=monday + timedelta(days=delta), **extra
        )
    assert field in exc.value.error_dict
    if code:
        assert exc.value.error_dict[field][0].code == code
    assert not Batch.objects.exists()


def test_duplicate_code_is_refused(teguh):
    provider, course = provider_of(teguh.agency), make_course("uji-a")
    _create(teguh, provider, course)
    with pytest.raises(ValidationError) as exc:
        _create(teguh, provider, course)
    assert "code" in exc.value.error_dict


# --- batch_update ---------------------------------------------------------------------


def test_capacity_cannot_go_below_the_seats_taken(teguh, alice):
    c = classroom(teguh, alice, trainees=3, starts_in_days=7)
    with pytest.raises(ValidationError) as exc:
        batch_update(actor=teguh, batch=c.batch, capacity=2)
    assert exc.value.error_dict["capacity"][0].code == "below_enrolled"
    assert "3 seats are already taken" in exc.value.messages[0]
    c.batch.refresh_from_db()
    assert c.batch.capacity == 10


def test_growing_capacity_promotes_the_waiting_list(teguh, alice):
    c = classroom(teguh, alice, trainees=2, starts_in_days=7, capacity=2)
    waiting = [enrolment_create(actor=alice, batch=c.batch, person=trainee()) for _ in range(2)]
    assert {e.status for e in waiting} == {"waitlisted"}
    batch = batch_update(actor=teguh, batch=c.batch, capacity=3, place="Ruang 2")
    assert batch.capacity == 3 and batch.enrolled_count == 3 and batch.place == "Ruang 2"
    statuses = [Enrolment.objects.get(pk=e.pk).status for e in waiting]
    assert statuses == ["enrolled", "waitlisted"]  # first come, first served
    event = AuditEvent.objects.filter(object_type="training.batch", action="update").last()
    assert set(event.changed_fields) == {"capacity", "place"}


def test_update_reschedules_until_attendance_is_recorded(teguh, alice):
    c = classroom(teguh, alice, trainees=1, starts_in_days=7, sessions=3)
    batch = batch_update(actor=teguh, batch=c.batch, session_days=(0, 1, 2, 3, 4, 5, 6))
    assert batch.sessions.count() == (batch.ends_on - batch.starts_on).days + 1
    running = classroom(teguh, alice, code="uji-masak", trainees=1, starts_in_days=-2)
    attendance_record(
        actor=teguh,
        session=running.batch.sessions.get(number=1),
        marks={running.enrolments[0].pk: "present"},
    )
    with pytest.raises(ValidationError) as exc:
        batch_update(actor=teguh, batch=running.batch, session_start=time(9, 0))
    assert exc.value.error_dict["starts_on"][0].code == "attendance_recorded"


def test_only_its_trainers_and_admins_manage_a_batch(teguh, alice, admin_user):
    c = classroom(teguh, alice, trainees=0, starts_in_days=7)
    colleague = make_user("t4@example.org", roles.TRAINER, teguh.agency)
    for actor in (colleague, alice):
        with pytest.raises(PermissionDenied):
            batch_update(actor=actor, batch=c.batch, capacity=20)
    assert batch_update(actor=admin_user, batch=c.batch, capacity=20).capacity == 20


# --- batch_cancel ---------------------------------------------------------------------


def test_cancel_withdraws_everyone_and_tells_them(teguh, alice, wati):
    c = classroom(teguh, alice, trainees=2, starts_in_days=7, capacity=2)
    waiting = enrolment_create(actor=alice, batch=c.batch, person=trainee(user=wati))
    batch = batch_cancel(actor=teguh, batch=c.batch, reason="Bengkel direnovasi")
    assert batch.cancelled_at is not None and batch.enrolled_count == 0
    rows = Enrolment.objects.filter(batch=batch)
    assert {e.status for e in rows} == {"withdrawn"}
    assert {e.reason for e in rows} == {"Batch cancelled: Bengkel direnovasi"}
    note = Notification.objects.filter(user=wati).order_by("id").last()
    assert c.batch.code in note.body and "Bengkel direnovasi" in note.body
    assert c.batch.code not in note.title  # a subject in words
    assert AuditEvent.objects.filter(
        object_type="training.enrolment", object_id=str(waiting.pk), reason="batch cancelled"
    ).exists()
    with pytest.raises(ValidationError):
        batch_cancel(actor=teguh, batch=batch, reason="lagi")


def test_cancel_needs_a_reason(teguh, alice):
    c = classroom(teguh, alice, trainees=1, starts_in_days=7)
    with pytest.raises(ValidationError) as exc:
        batch_cancel(actor=teguh, batch=c.batch, reason="  ")
    assert exc.value.error_dict["reason"][0].code == "required"
    assert Enrolment.objects.get(pk=c.enrolments[0].pk).status == "enrolled"


# --- attendance -----------------------------------------------------------------------


def test_attendance_is_recorded_and_corrected(teguh, alice):
    c = classroom(teguh, alice, trainees=3)
    session = c.batch.sessions.get(number=1)
    a, b, d = c.enrolments
    assert (
        attendance_record(
            actor=teguh, session=session, marks={a.pk: "present", b.pk: "late", d.pk: "absent"}
        )
        == 3
    )
    assert attendance_record(actor=teguh, session=session, marks={str(d.pk): "excused"}) == 1
    got = dict(Attendance.objects.filter(session=session).values_list("enrolment_id", "status"))
    assert got == {a.pk: "present", b.pk: "late", d.pk: "excused"}
    assert AuditEvent.objects.filter(
        object_type="training.session",
        object_id=str(session.pk),
        reason="attendance of 3 enrolments",
    ).exists()


@pytest.mark.parametrize("size", [2, 12])
def test_attendance_takes_a_fixed_number_of_queries(
    teguh, alice, size, django_assert_max_num_queries
):
    c = classroom(teguh, alice, trainees=size, capacity=20)
    session = c.batch.sessions.get(number=1)
    marks = {e.pk: "present" for e in c.enrolments}
    with django_assert_max_num_queries(12):
        attendance_record(actor=teguh, session=session, marks=marks)


def test_attendance_bad_input_saves_nothing(teguh, alice):
    c = classroom(teguh, alice, trainees=2)
    other = classroom(teguh, alice, code="uji-masak", trainees=1)
    session = c.batch.sessions.get(number=1)
    a, b = c.enrolments
    with pytest.raises(ValidationError) as exc:
        attendance_record(actor=teguh, session=session, marks={a.pk: "present", b.pk: "sleeping"})
    assert exc.value.error_dict["marks"][0].code == "invalid_status"
    assert "choose present, late, excused or absent" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        attendance_record(
            actor=teguh, session=session, marks={a.pk: "present", other.enrolments[0].pk: "late"}
        )
    assert exc.value.error_dict["marks"][0].code == "not_in_class"
    with pytest.raises(ValidationError):
        attendance_record(actor=teguh, session=session, marks={})
    assert not Attendance.objects.exists()


def test_no_attendance_for_a_future_session(teguh, alice):
    c = classroom(teguh, alice, trainees=1, starts_in_days=-1, sessions=4)
    future = c.batch.sessions.get(number=3)
    with pytest.raises(ValidationError) as exc:
        attendance_record(actor=teguh, session=future, marks={c.enrolments[0].pk: "present"})
    assert exc.value.error_dict["session"][0].code == "future_session"
    assert "attendance is recorded on the day or after" in exc.value.messages[0]


def test_attendance_only_by_the_batch_trainers(teguh, alice, bob, admin_user):
    c = classroom(teguh, alice, trainees=1)
    session = c.batch.sessions.get(number=1)
    colleague = make_user("t5@example.org", roles.TRAINER, teguh.agency)
    for actor in (colleague, alice, bob):
        with pytest.raises(PermissionDenied):
            attendance_record(actor=actor, session=session, marks={c.enrolments[0].pk: "present"})
    assert (
        attendance_record(actor=admin_user, session=session, marks={c.enrolments[0].pk: "present"})
        == 1
    )


def test_withdrawn_trainees_get_no_attendance(teguh, alice):
    from garda.training.services.enrolment import enrolment_withdraw

    c = classroom(teguh, alice, trainees=1)
    enrolment_withdraw(actor=alice, enrolment=c.enrolments[0], reason="Pindah kerja")
    with pytest.raises(ValidationError):
        attendance_record(
            actor=teguh,
            session=c.batch.sessions.get(number=1),
            marks={c.enrolments[0].pk: "present"},
        )


# --- assessments ----------------------------------------------------------------------


def test_assessments_for_a_whole_unit(teguh, alice):
    c = classroom(teguh, alice, trainees=2)
    unit = c.course.course_units.first().unit
    a, b = c.enrolments
    today = timezone.localdate()
    saved = assessments_record(
        actor=teguh,
        batch=c.batch,
        unit=unit,
        rows=[
            {"enrolment_id": a.pk, "result": "competent", "score": "87.5", "assessed_on": today},
            {"enrolment_id": b.pk, "result": "not_yet", "score": 40, "note": "Ulang praktik"},
        ],
    )
    assert saved == 2
    first = Assessment.objects.get(enrolment=a, unit=unit)
    assert first.result == "competent" and str(first.score) == "87.50" and first.assessor == teguh
    # a re-assessment replaces the result (the latest counts)
    again = assessment_record(
        actor=teguh, enrolment=b, unit=unit, result="competent", score=75, assessed_on=today
    )
    assert again.result == "competent" and Assessment.objects.filter(enrolment=b).count() == 1


@pytest.mark.parametrize(
    ("row", "field", "code"),
    [
        ({"result": "great"}, "result", "invalid_result"),
        ({"result": "competent", "score": 101}, "score", "score_range"),
        ({"result": "competent", "score": -1}, "score", "score_range"),
        ({"result": "competent", "score": "abc"}, "score", "score_range"),
        ({"result": "competent", "assessed_on": "2999-01-01"}, "assessed_on", "future_date"),
        ({"result": "competent", "assessed_on": "yesterday"}, "assessed_on", "invalid_date"),
    ],
)
def test_assessment_bad_input(teguh, alice, row, field, code):
    c = classroom(teguh, alice, trainees=1)
    unit = c.course.course_units.first().unit
    with pytest.raises(ValidationError) as exc:
        assessments_record(
            actor=teguh,
            batch=c.batch,
            unit=unit,
            rows=[{"enrolment_id": c.enrolments[0].pk, **row}],
        )
    assert exc.value.error_dict[field][0].code == code
    assert not Assessment.objects.exists()


def test_unit_must_belong_to_the_course(teguh, alice):
    c = classroom(teguh, alice, trainees=1)
    stranger = make_unit("X.99.999")
    with pytest.raises(ValidationError) as exc:
        assessment_record(
            actor=teguh,
            enrolment=c.enrolments[0],
            unit=stranger,
            result="competent",
            assessed_on=timezone.localdate(),
        )
    assert exc.value.error_dict["unit"][0].code == "unit_not_in_course"


def test_assessments_only_by_the_batch_trainers(teguh, alice):
    c = classroom(teguh, alice, trainees=1)
    unit = c.course.course_units.first().unit
    with pytest.raises(PermissionDenied):
        assessment_record(
            actor=alice,
            enrolment=c.enrolments[0],
            unit=unit,
            result="competent",
            assessed_on=timezone.localdate(),
        )
