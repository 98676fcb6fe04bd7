"""Completion of a class (garda/training/services/completion.py) and closing a batch."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from conftest import make_user
from garda.accounts import roles
from garda.accounts.models import Notification
from garda.audit.models import AuditEvent
from garda.training.models import Certificate, Enrolment
from garda.training.services.classroom import assessments_record, attendance_record
from garda.training.services.completion import batch_close, completion_of, completions_of
from garda.training.tests.classroom_support import classroom, trainee

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _attend(trainer, c, plan: dict[int, list[str]]):
    """plan: enrolment index -> statuses for sessions 1, 2, ..."""
    sessions = list(c.batch.sessions.order_by("number"))
    for i, session in enumerate(sessions):
        marks = {
            c.enrolments[k].pk: statuses[i] for k, statuses in plan.items() if i < len(statuses)
        }
        if marks:
            attendance_record(actor=trainer, session=session, marks=marks)


def _assess(trainer, c, results: dict[int, list[str]]):
    """results: enrolment index -> result per course unit (in order)."""
    units = [cu.unit for cu in c.course.course_units.order_by("order")]
    for u, unit in enumerate(units):
        rows = [
            {"enrolment_id": c.enrolments[k].pk, "result": r[u]}
            for k, r in results.items()
            if u < len(r)
        ]
        if rows:
            assessments_record(actor=trainer, batch=c.batch, unit=unit, rows=rows)


def _ended_class(teguh, alice, **kw):
    """A batch of 5 sessions that ended yesterday or before; 3 trainees."""
    return classroom(teguh, alice, trainees=3, starts_in_days=-10, sessions=5, **kw)


def test_completion_of_a_class(teguh, alice):
    c = _ended_class(teguh, alice)
    _attend(
        teguh,
        c,
        {
            0: ["present", "present", "late", "present", "present"],  # 100%
            1: ["present", "absent", "absent", "excused", "present"],  # 40%
            2: ["present", "present", "present", "present", "absent"],  # 80%
        },
    )
    _assess(
        teguh, c, {0: ["competent", "competent"], 1: ["competent"], 2: ["competent", "not_yet"]}
    )
    got = completions_of(c.batch)
    first, second, third = (got[e.pk] for e in c.enrolments)
    assert first.complete and first.attendance_percent == 100 and first.reasons == []
    code2 = c.course.course_units.order_by("order")[1].unit.code
    assert second.reasons == [
        "Attendance 40% below the minimum 80%",
        f"Unit {code2} not yet competent",
    ]
    assert second.missing_units == [code2] and second.units_competent == 1
    assert third.attendance_percent == 80 and third.reasons == [f"Unit {code2} not yet competent"]
    assert completion_of(c.enrolments[0]) == first


def test_sessions_held_while_running(teguh, alice):
    # started 2 days ago, sessions on consecutive days: 3 held of 5
    c = classroom(teguh, alice, trainees=1, starts_in_days=-2, sessions=5)
    _attend(teguh, c, {0: ["present", "present", "absent"]})
    result = completion_of(c.enrolments[0])
    assert (result.attended, result.sessions, result.attendance_percent) == (2, 3, 66)


@pytest.mark.parametrize("size", [2, 15])
def test_completions_of_take_a_fixed_number_of_queries(
    teguh, alice, size, django_assert_num_queries
):
    c = classroom(teguh, alice, trainees=size, capacity=20)
    _attend(teguh, c, {k: ["present"] * 5 for k in range(size)})
    with django_assert_num_queries(6):  # with the course
        result = completions_of(c.batch)
    assert len(result) == size


def test_close_completes_issues_certificates_and_explains_the_rest(teguh, alice, wati, tono):
    c = _ended_class(teguh, alice)
    # two more trainees whose user accounts get the news
    extra = []
    for user in (wati, tono):
        from garda.training.services.enrolment import enrolment_create

        extra.append(enrolment_create(actor=alice, batch=c.batch, person=trainee(user=user)))
    c.enrolments += extra
    full = ["present"] * 5
    _attend(teguh, c, {0: full, 1: ["absent"] * 5, 2: full, 3: full, 4: full})
    both = ["competent", "competent"]
    _assess(teguh, c, {0: both, 1: both, 2: ["competent", "not_yet"], 3: both})
    result = batch_close(actor=teguh, batch=c.batch)
    done = {e.pk for e, _ in result.completed}
    assert done == {c.enrolments[0].pk, c.enrolments[3].pk}
    reasons = {e.pk: comp.reasons for e, comp in result.not_completed}
    assert reasons[c.enrolments[1].pk] == ["Attendance 0% below the minimum 80%"]
    assert len(reasons[c.enrolments[4].pk]) == 2  # tono: no unit assessed
    for e in Enrolment.objects.filter(pk__in=done):
        assert e.status == "completed" and e.completed_on == timezone.localdate()
    assert set(Enrolment.objects.filter(pk__in=reasons).values_list("status", flat=True)) == {
        "enrolled"
    }
    c.batch.refresh_from_db()
    assert c.batch.closed_at is not None
    # each completed person holds a valid certificate of the course
    certificates = Certificate.objects.filter(enrolment_id__in=done)
    assert certificates.count() == 2 and {x.status for x in certificates} == {"valid"}
    assert {x.pk for x in result.certificates} == {x.pk for x in certificates}
    # both kinds of trainee are told (in the site's language)
    assert Notification.objects.filter(user=wati).order_by("id").last().title
    tono_note = Notification.objects.filter(user=tono).order_by("id").last()
    assert c.batch.code in tono_note.body
    assert c.course.course_units.first().unit.code in tono_note.body
    assert AuditEvent.objects.filter(
        object_type="training.batch", object_id=str(c.batch.pk), changed_fields=["closed_at"]
    ).exists()


def test_close_twice_is_refused(teguh, alice):
    c = _ended_class(teguh, alice)
    batch_close(actor=teguh, batch=c.batch)
    with pytest.raises(ValidationError) as exc:
        batch_close(actor=teguh, batch=c.batch)
    assert exc.value.code == "already_closed"
    with pytest.raises(ValidationError) as exc:
        attendance_record(
            actor=teguh,
            session=c.batch.sessions.get(number=1),
            marks={c.enrolments[0].pk: "present"},
        )
    assert exc.value.code == "closed"


def test_close_before_the_end_is_refused(teguh, alice):
    c = classroom(teguh, alice, trainees=1, starts_in_days=-1, sessions=5)
    with pytest.raises(ValidationError) as exc:
        batch_close(actor=teguh, batch=c.batch)
    assert exc.value.code == "not_ended"
    c.batch.refresh_from_db()
    assert c.batch.closed_at is None


def test_close_on_the_last_day(teguh, alice):
    c = classroom(teguh, alice, trainees=1, starts_in_days=-4, sessions=5)
    assert c.batch.ends_on == timezone.localdate()
    result = batch_close(actor=teguh, batch=c.batch)
    assert result.completed == [] and len(result.not_completed) == 1


def test_only_the_batch_trainers_close(teguh, alice, bob):
    c = _ended_class(teguh, alice)
    colleague = make_user("t6@example.org", roles.TRAINER, teguh.agency)
    for actor in (colleague, alice, bob):
        with pytest.raises(PermissionDenied):
            batch_close(actor=actor, batch=c.batch)
    c.batch.refresh_from_db()
    assert c.batch.closed_at is None
