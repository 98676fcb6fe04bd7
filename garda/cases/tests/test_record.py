"""What is written on a case besides its workflow (docs/cases.md, "Notes and
messages"): internal notes stay with the officers; shared notes reach the worker and
the reporter; the worker's messages reach the officer; tasks, services and files."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from garda.accounts.models import Notification
from garda.audit.models import AuditEvent
from garda.cases.access import shared_notes
from garda.cases.models import Note, Service
from garda.cases.services.record import (
    document_add,
    message_add,
    note_add,
    service_done,
    service_plan,
    task_add,
    task_done,
)
from garda.cases.tests.factories import (
    case_in_progress,
    confirm_nik_owner,
    open_case,
    worker_person,
)
from garda.people.tests.factories import nik_for


@pytest.fixture
def family_case(alice, wati, tono):
    """Tono reported on the portal for his sister Wati, whose record is linked; alice
    holds the case."""
    worker_person(wati)
    case, _ = open_case(
        actor=tono, channel="portal", relationship="sibling", person_nik=nik_for(serial=2)
    )
    from garda.cases.services.handling import case_assign, case_move

    case = confirm_nik_owner(case, alice)

    case = case_move(actor=alice, case=case, stage="triaged", reason="dicek")
    case = case_assign(actor=alice, case=case, officer=alice)
    Notification.objects.all().delete()
    return case


@pytest.mark.django_db
def test_an_internal_note_is_for_officers_only(family_case, alice, wati, tono):
    note = note_add(actor=alice, case=family_case, text="Majikan di-blacklist KBRI")
    assert not note.shared
    assert not Notification.objects.filter(user__in=[wati, tono]).exists()
    assert list(shared_notes(family_case)) == []
    event = AuditEvent.objects.get(action="create", object_type="cases.note")
    assert "blacklist" not in str(event.changed_fields) + event.reason


@pytest.mark.django_db
def test_a_shared_note_reaches_the_worker_and_the_reporter_by_number(
    family_case, alice, wati, tono
):
    note_add(actor=alice, case=family_case, text="Internal", shared=False)
    note = note_add(actor=alice, case=family_case, text="Kami sudah menghubungi KBRI.", shared=True)
    assert list(shared_notes(family_case)) == [note]
    for user in (wati, tono):
        told = Notification.objects.get(user=user)
        assert family_case.reference in told.title
        assert "KBRI" not in told.title + told.body  # the text stays on the case page
        assert "Wati" not in told.title + told.body


@pytest.mark.django_db
def test_a_shared_note_is_the_first_response_to_a_new_case(alice):
    case, _ = open_case()
    note_add(actor=alice, case=case, text="Internal", shared=False)
    assert case.clocks.get(name="first_response").done_at is None
    note_add(actor=alice, case=case, text="Laporan Anda kami terima.", shared=True)
    assert case.clocks.get(name="first_response").done_at is not None


@pytest.mark.django_db
def test_a_note_needs_text_and_an_officer_handling_the_case(family_case, alice, carol, wati):
    for text in ("", "   ", "x" * 5001):
        with pytest.raises(ValidationError) as exc:
            note_add(actor=alice, case=family_case, text=text)
        assert "text" in exc.value.message_dict
    for user in (carol, wati):
        with pytest.raises(PermissionDenied):
            note_add(actor=user, case=family_case, text="Halo", shared=True)
        assert AuditEvent.objects.filter(
            actor=user, action="denied", reason="cases.note_add"
        ).exists()
    assert not Note.objects.exists()


@pytest.mark.django_db
def test_the_worker_and_the_reporter_send_information_the_officer_is_told(
    family_case, alice, wati, tono
):
    for user in (wati, tono):
        note = message_add(actor=user, case=family_case, text="Paspor masih ditahan majikan.")
        assert note.shared and note.from_reporter and note.author == user
    assert (
        Notification.objects.filter(user=alice, title__contains=family_case.reference).count() == 2
    )
    assert len(shared_notes(family_case)) == 2


@pytest.mark.django_db
def test_nobody_else_sends_a_message_on_the_case(family_case, alice, putri, request):
    stranger = request.getfixturevalue("admin_user")
    for user in (alice, putri, stranger):
        with pytest.raises(PermissionDenied):
            message_add(actor=user, case=family_case, text="Halo")
    assert not Note.objects.exists()


@pytest.mark.django_db
def test_tasks_with_a_due_date(alice):
    case = case_in_progress(officer=alice)
    due = timezone.now() + timedelta(days=2)
    task = task_add(actor=alice, case=case, title="Telepon KBRI Kuala Lumpur", due_at=due)
    assert (task.assignee, task.due_at, task.done_at) == (alice, due, None)
    task = task_done(actor=alice, task=task)
    first_done = task.done_at
    assert first_done is not None
    assert task_done(actor=alice, task=task).done_at == first_done
    with pytest.raises(ValidationError):
        task_add(actor=alice, case=case, title=" ", due_at=due)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("timeframe", "delta"),
    [
        ("1_hour", timedelta(hours=1)),
        ("3_hours", timedelta(hours=3)),
        ("1_day", timedelta(days=1)),
        ("3_days", timedelta(days=3)),
    ],
)
def test_a_planned_service_is_due_within_its_timeframe(timeframe, delta, alice):
    case = case_in_progress(officer=alice)
    before = timezone.now()
    service = service_plan(actor=alice, case=case, type="shelter", timeframe=timeframe)
    assert before + delta <= service.due_at <= timezone.now() + delta
    service = service_done(actor=alice, service=service)
    assert service.done_at is not None


@pytest.mark.django_db
def test_a_service_by_a_date(alice):
    case = case_in_progress(officer=alice)
    today = timezone.localdate()
    service = service_plan(
        actor=alice,
        case=case,
        type="repatriation",
        timeframe="date",
        due_on=today + timedelta(days=10),
    )
    local = timezone.localtime(service.due_at)
    assert (local.date(), local.hour, local.minute) == (today + timedelta(days=10), 23, 59)
    for bad in (
        {"timeframe": "date"},
        {"timeframe": "date", "due_on": today - timedelta(days=1)},
        {"timeframe": "next_week"},
        {"timeframe": "1_day", "type": "spa"},
    ):
        with pytest.raises(ValidationError):
            service_plan(actor=alice, case=case, **{"type": "legal_aid", **bad})
    assert Service.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_files_from_the_worker_are_shared_and_staff_files_internal(family_case, alice, wati, carol):
    mine = document_add(
        actor=wati,
        case=family_case,
        title="Foto paspor",
        data=b"%PDF-1.4 a",
        content_type="application/pdf",
    )
    staff = document_add(
        actor=alice,
        case=family_case,
        title="Surat KBRI",
        data=b"%PDF-1.4 b",
        content_type="application/pdf",
    )
    assert mine.shared and not staff.shared
    assert Notification.objects.filter(user=alice, title__contains=family_case.reference).exists()
    with pytest.raises(PermissionDenied):
        document_add(
            actor=carol,
            case=family_case,
            title="X",
            data=b"%PDF-1.4 c",
            content_type="application/pdf",
        )


@pytest.mark.django_db
def test_a_task_goes_only_to_an_officer_of_the_agency_holding_the_case(alice, carol):
    """Another agency's officer is not given a case's task (they could not open it);
    nothing is written (found on review: only the API checked who, not the service)."""
    from datetime import timedelta

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from garda.cases.models import CaseTask
    from garda.cases.services.record import task_add
    from garda.cases.tests.factories import case_in_progress

    case = case_in_progress(officer=alice)
    due = timezone.now() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        task_add(actor=alice, case=case, title="Telepon KBRI", due_at=due, assignee=carol)
    assert "assignee_id" in refused.value.message_dict
    assert not CaseTask.objects.filter(case=case).exists()
    assert task_add(actor=alice, case=case, title="Telepon KBRI", due_at=due).assignee == alice


@pytest.mark.django_db
def test_the_file_sweep_keeps_a_cases_files(family_case, alice, settings):
    """The documents app's orphan sweep shares the file store with cases: a case's
    file, however old, is not an orphan (it deleted every case file past an hour)."""
    import os

    from django.core.management import call_command

    from garda.documents import storage

    doc = document_add(
        actor=alice,
        case=family_case,
        title="Surat KBRI",
        data=b"%PDF-1.4 b",
        content_type="application/pdf",
    )
    orphan = storage.save(b"left behind")
    root = settings.GARDA_FILES_DIR / "documents"
    for name in (doc.storage_name, orphan):
        old = os.path.getmtime(root / name[:2] / name) - 7200
        os.utime(root / name[:2] / name, (old, old))
    call_command("documents_sweep")
    assert storage.exists(doc.storage_name) and not storage.exists(orphan)
