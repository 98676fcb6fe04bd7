"""The accompaniment services: happy and unhappy paths, permissions, audit rows,
notifications. Through the services themselves (the pages and API call the same)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from garda.accompaniment.access import appointments_for_worker
from garda.accompaniment.models import Contact, Task
from garda.accompaniment.services import (
    TaskVersionConflict,
    assignment_add,
    assignment_remove,
    assignments_reassign,
    contact_log,
    task_cancel,
    task_complete,
    task_create,
    task_reschedule,
)
from garda.accompaniment.tests.conftest import later
from garda.accounts.models import Notification
from garda.audit.models import AuditEvent
from garda.people.models import Assignment
from garda.people.tests.factories import register


def codes(exc: ValidationError, field: str) -> list[str]:
    return [e.code for e in exc.error_dict[field]]


def denied(actor, reason: str) -> bool:
    return AuditEvent.objects.filter(actor=actor, action="denied", reason=reason).exists()


# --- assignments ----------------------------------------------------------------------


@pytest.mark.django_db
def test_supervisor_assigns_an_officer_of_their_agency(bob, alice, wati_person, wati):
    assignment = assignment_add(actor=bob, person=wati_person, officer=alice)
    assert assignment.assigned_by == bob
    event = AuditEvent.objects.get(object_type="people.assignment", action="create")
    assert event.actor == bob and event.object_id == str(assignment.pk)
    assert event.changed_fields == ["person", "officer"]
    assert Notification.objects.filter(user=alice, url=f"/accompaniment/people/{wati_person.pk}/")
    worker_note = Notification.objects.get(user=wati)
    assert worker_note.url == "/accompaniment/me/" and "Alice" in worker_note.body
    # Notifications are written in the site's language, whoever asked.
    assert Notification.objects.get(user=alice).title.startswith(
        translation.gettext("You have a new person to accompany")[:5]
    )


@pytest.mark.django_db
def test_supervisor_cannot_assign_an_officer_of_another_agency(bob, carol, wati_person):
    with pytest.raises(PermissionDenied):
        assignment_add(actor=bob, person=wati_person, officer=carol)
    assert denied(bob, "accompaniment.assignment_add")
    assert not Assignment.objects.filter(person=wati_person).exists()


@pytest.mark.django_db
def test_admin_assigns_any_officer(admin_user, carol, wati_person):
    assignment_add(actor=admin_user, person=wati_person, officer=carol)
    assert list(wati_person.assigned_officers.all()) == [carol]


@pytest.mark.django_db
def test_only_active_officers_are_assigned(bob, admin_user, tono, wati_person, disnaker):
    for not_an_officer in (tono, bob):
        with pytest.raises(ValidationError) as exc:
            assignment_add(actor=admin_user, person=wati_person, officer=not_an_officer)
        assert codes(exc.value, "officer") == ["not_an_officer"]
    from conftest import make_user
    from garda.accounts import roles

    gone = make_user("gone@example.org", roles.OFFICER, disnaker, is_active=False)
    with pytest.raises(ValidationError) as exc:
        assignment_add(actor=bob, person=wati_person, officer=gone)
    assert codes(exc.value, "officer") == ["not_an_officer"]


@pytest.mark.django_db
def test_assigning_twice_is_refused(bob, alice, siti):
    with pytest.raises(ValidationError) as exc:
        assignment_add(actor=bob, person=siti, officer=alice)
    assert codes(exc.value, "officer") == ["already_assigned"]


@pytest.mark.django_db
def test_an_officer_takes_an_unaccompanied_person_only(alice, dewi, carol, wati_person, siti):
    assignment_add(actor=carol, person=wati_person, officer=carol)
    assert Assignment.objects.filter(person=wati_person, officer=carol).exists()
    # Siti is accompanied by alice: dewi must ask her supervisor.
    with pytest.raises(ValidationError) as exc:
        assignment_add(actor=dewi, person=siti, officer=dewi)
    assert exc.value.code == "already_accompanied"
    # An officer never assigns someone else.
    tono_record = register(serial=9)
    with pytest.raises(PermissionDenied):
        assignment_add(actor=alice, person=tono_record, officer=dewi)


@pytest.mark.django_db
def test_workers_and_trainers_do_not_assign(wati, teguh, alice, wati_person):
    for actor in (wati, teguh):
        with pytest.raises(PermissionDenied):
            assignment_add(actor=actor, person=wati_person, officer=alice)


@pytest.mark.django_db
def test_removal_moves_open_tasks_to_the_remaining_officer(bob, alice, dewi, siti):
    assignment_add(actor=bob, person=siti, officer=dewi)
    task = task_create(actor=alice, person=siti, title="Ambil SKCK", due_at=later(days=2))
    assignment = Assignment.objects.get(person=siti, officer=alice)
    assignment_pk = assignment.pk
    assignment_remove(actor=bob, assignment=assignment)
    task.refresh_from_db()
    assert task.officer == dewi and task.version == 2
    assert not Assignment.objects.filter(person=siti, officer=alice).exists()
    assert AuditEvent.objects.filter(
        object_type="people.assignment", object_id=str(assignment_pk), action="delete"
    ).exists()
    assert AuditEvent.objects.filter(
        object_type="accompaniment.task", object_id=str(task.pk), action="update"
    ).exists()


@pytest.mark.django_db
def test_removing_the_last_officer_with_open_tasks_is_refused(bob, alice, siti):
    task_create(actor=alice, person=siti, title="Ambil SKCK", due_at=later(days=2))
    assignment = Assignment.objects.get(person=siti, officer=alice)
    with pytest.raises(ValidationError) as exc:
        assignment_remove(actor=bob, assignment=assignment)
    assert exc.value.code == "open_tasks"
    assert Assignment.objects.filter(pk=assignment.pk).exists()


@pytest.mark.django_db
def test_removal_is_for_supervisors_of_the_officer(alice, carol, siti, dinsos):
    from conftest import make_user
    from garda.accounts import roles

    other_supervisor = make_user("sri@example.org", roles.SUPERVISOR, dinsos)
    assignment = Assignment.objects.get(person=siti, officer=alice)
    for actor in (alice, other_supervisor):
        with pytest.raises(PermissionDenied):
            assignment_remove(actor=actor, assignment=assignment)


@pytest.mark.django_db
def test_reassign_all_moves_persons_and_open_tasks_with_audit(bob, alice, dewi, siti):
    other = register(serial=5, actor=alice)
    both = register(serial=6, actor=alice)
    assignment_add(actor=bob, person=both, officer=dewi)
    open_task = task_create(actor=alice, person=siti, title="Medical", due_at=later(days=1))
    done_task = task_create(actor=alice, person=other, title="KTP", due_at=later(days=1))
    task_complete(actor=alice, task=done_task)
    before = AuditEvent.objects.count()

    moved = assignments_reassign(actor=bob, from_officer=alice, to_officer=dewi)

    assert moved == 3
    assert set(Assignment.objects.filter(officer=dewi).values_list("person_id", flat=True)) == {
        siti.pk,
        other.pk,
        both.pk,
    }
    assert not Assignment.objects.filter(officer=alice).exists()
    open_task.refresh_from_db()
    done_task.refresh_from_db()
    assert open_task.officer == dewi and done_task.officer == alice
    events = AuditEvent.objects.order_by("id")[before:]
    kinds = sorted((e.object_type, e.action) for e in events)
    assert kinds == [
        ("accompaniment.task", "update"),
        ("people.assignment", "delete"),  # dewi already accompanied `both`
        ("people.assignment", "update"),
        ("people.assignment", "update"),
    ]
    assert Notification.objects.filter(user=dewi, url="/accompaniment/").exists()


@pytest.mark.django_db
def test_reassign_selected_persons(bob, alice, dewi, siti):
    other = register(serial=5, actor=alice)
    assert (
        assignments_reassign(actor=bob, from_officer=alice, to_officer=dewi, person_ids=[other.pk])
        == 1
    )
    assert Assignment.objects.filter(person=siti, officer=alice).exists()
    assert Assignment.objects.filter(person=other, officer=dewi).exists()
    with pytest.raises(ValidationError) as exc:
        assignments_reassign(
            actor=bob, from_officer=alice, to_officer=dewi, person_ids=[other.pk, siti.pk]
        )
    assert codes(exc.value, "person_ids") == ["not_assigned"]
    assert Assignment.objects.filter(person=siti, officer=alice).exists()


@pytest.mark.django_db
def test_reassign_refuses_non_officers_other_agencies_and_the_same_officer(
    bob, alice, carol, tono, siti
):
    with pytest.raises(ValidationError) as exc:
        assignments_reassign(actor=bob, from_officer=alice, to_officer=tono)
    assert codes(exc.value, "to_officer") == ["not_an_officer"]
    with pytest.raises(ValidationError) as exc:
        assignments_reassign(actor=bob, from_officer=alice, to_officer=alice)
    assert codes(exc.value, "to_officer") == ["same_officer"]
    with pytest.raises(PermissionDenied):
        assignments_reassign(actor=bob, from_officer=alice, to_officer=carol)
    with pytest.raises(PermissionDenied):
        assignments_reassign(actor=alice, from_officer=alice, to_officer=carol)
    assert Assignment.objects.filter(person=siti, officer=alice).exists()


# --- tasks ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_officer_plans_a_task_for_themself(alice, siti):
    task = task_create(
        actor=alice, person=siti, title=" Antar ke imigrasi ", due_at=later(days=3), note="bawa KK"
    )
    assert task.officer == alice and task.title == "Antar ke imigrasi"
    event = AuditEvent.objects.get(object_type="accompaniment.task", action="create")
    assert event.changed_fields == ["kind", "title", "due_at", "officer", "note"]


@pytest.mark.django_db
def test_a_past_due_date_is_refused_with_a_clear_message(alice, siti):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        task_create(actor=alice, person=siti, title="Medical", due_at=later(minutes=-1))
    assert codes(exc.value, "due_at") == ["past"]
    assert "already past" in exc.value.error_dict["due_at"][0].messages[0]
    assert not Task.objects.exists()


@pytest.mark.django_db
def test_an_appointment_needs_a_place(alice, siti):
    with pytest.raises(ValidationError) as exc:
        task_create(
            actor=alice, person=siti, kind="appointment", title="Imigrasi", due_at=later(days=1)
        )
    assert codes(exc.value, "place") == ["required"]


@pytest.mark.django_db
def test_appointment_tells_the_worker_without_the_internal_note(alice, accompanied_wati, wati):
    Notification.objects.all().delete()
    task = task_create(
        actor=alice,
        person=accompanied_wati,
        kind="appointment",
        title="Antar ke Kantor Imigrasi",
        place="Kantor Imigrasi Jakarta Selatan",
        due_at=later(days=5),
        note="RAHASIA: cek calo",
    )
    note = Notification.objects.get(user=wati)
    assert "Antar ke Kantor Imigrasi" in note.title
    assert "Kantor Imigrasi Jakarta Selatan" in note.body and "RAHASIA" not in note.body
    assert list(appointments_for_worker(accompanied_wati)) == [task]


@pytest.mark.django_db
def test_who_plans_tasks(alice, dewi, bob, carol, admin_user, siti):
    # An officer who does not accompany the person: not theirs to plan.
    with pytest.raises(PermissionDenied):
        task_create(actor=dewi, person=siti, title="x", due_at=later(days=1))
    # A supervisor plans for the officers of their agency who accompany the person.
    task = task_create(actor=bob, person=siti, officer=alice, title="x", due_at=later(days=1))
    assert task.officer == alice
    assert Notification.objects.filter(user=alice, title__contains="x").exists()
    with pytest.raises(ValidationError) as exc:
        task_create(actor=bob, person=siti, title="x", due_at=later(days=1))
    assert codes(exc.value, "officer") == ["required"]
    with pytest.raises(ValidationError) as exc:
        task_create(actor=bob, person=siti, officer=dewi, title="x", due_at=later(days=1))
    assert codes(exc.value, "officer") == ["not_assigned"]
    # Not for an officer of another agency, even as an admin's colleague.
    assignment_add(actor=admin_user, person=siti, officer=carol)
    with pytest.raises(PermissionDenied):
        task_create(actor=bob, person=siti, officer=carol, title="x", due_at=later(days=1))
    task_create(actor=admin_user, person=siti, officer=carol, title="y", due_at=later(days=1))


@pytest.mark.django_db
def test_complete_once(alice, siti):
    task = task_create(actor=alice, person=siti, title="KTP", due_at=later(days=1))
    done = task_complete(actor=alice, task=task)
    assert done.done_by == alice and done.done_at is not None and done.version == 2
    with pytest.raises(ValidationError) as exc:
        task_complete(actor=alice, task=task)
    assert exc.value.code == "closed"
    with pytest.raises(ValidationError):
        task_cancel(actor=alice, task=task)


@pytest.mark.django_db
def test_only_the_persons_officers_change_a_task(alice, dewi, carol, bob, siti, dinsos):
    task = task_create(actor=alice, person=siti, title="KTP", due_at=later(days=1))
    for outsider in (dewi, carol):
        with pytest.raises(PermissionDenied):
            task_complete(actor=outsider, task=task)
    from conftest import make_user
    from garda.accounts import roles

    with pytest.raises(PermissionDenied):
        task_cancel(actor=make_user("sri@example.org", roles.SUPERVISOR, dinsos), task=task)
    assert task_cancel(actor=bob, task=task).cancelled_at is not None


@pytest.mark.django_db
def test_cancelling_an_appointment_tells_the_worker(alice, accompanied_wati, wati):
    task = task_create(
        actor=alice,
        person=accompanied_wati,
        kind="appointment",
        title="Medical check-up",
        place="RSUD Tarakan",
        due_at=later(days=2),
    )
    task_cancel(actor=alice, task=task)
    assert Notification.objects.filter(user=wati, title__contains="Medical check-up").count() == 2
    assert list(appointments_for_worker(accompanied_wati)) == []


@pytest.mark.django_db
def test_reschedule(alice, siti):
    task = task_create(
        actor=alice,
        person=siti,
        kind="appointment",
        title="Imigrasi",
        place="Kanim Jaksel",
        due_at=later(days=1),
    )
    Task.objects.filter(pk=task.pk).update(reminder_sent_at=timezone.now())
    moved = task_reschedule(
        actor=alice, task=task, due_at=later(days=4), place="Kanim Jakpus", version=1
    )
    assert moved.place == "Kanim Jakpus" and moved.reminder_sent_at is None
    assert moved.version == 2
    with pytest.raises(TaskVersionConflict) as exc:
        task_reschedule(actor=alice, task=task, due_at=later(days=5), version=1)
    assert exc.value.current.version == 2
    with pytest.raises(ValidationError) as exc:
        task_reschedule(actor=alice, task=task, due_at=later(hours=-2))
    assert codes(exc.value, "due_at") == ["past"]
    with pytest.raises(ValidationError) as exc:
        task_reschedule(actor=alice, task=task, due_at=later(days=2), place=" ")
    assert codes(exc.value, "place") == ["required"]


# --- contacts -------------------------------------------------------------------------


@pytest.mark.django_db
def test_contact_log(alice, dewi, siti):
    contact = contact_log(
        actor=alice,
        person=siti,
        channel="phone",
        summary="Menanyakan jadwal medical",
        happened_at=timezone.now() - timedelta(hours=1),
    )
    assert contact.officer == alice
    assert AuditEvent.objects.filter(
        object_type="accompaniment.contact", object_id=str(contact.pk), action="create"
    ).exists()
    with pytest.raises(ValidationError) as exc:
        contact_log(
            actor=alice, person=siti, channel="phone", summary="x", happened_at=later(days=1)
        )
    assert codes(exc.value, "happened_at") == ["future"]
    with pytest.raises(ValidationError) as exc:
        contact_log(actor=alice, person=siti, channel="phone", summary="  ")
    assert "summary" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        contact_log(actor=alice, person=siti, channel="pigeon", summary="x")
    assert "channel" in exc.value.error_dict
    with pytest.raises(PermissionDenied):
        contact_log(actor=dewi, person=siti, channel="phone", summary="x")
    assert Contact.objects.count() == 1
