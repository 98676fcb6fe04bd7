"""The purge (docs/compliance.md, "Purge"): a record past its time goes with its files,
a held one stays, the dry run changes nothing, and the audit trail stays verifiable and
names nobody who was purged."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from garda.accounts.models import User
from garda.audit.models import AuditEvent
from garda.audit.verify import verify_chain
from garda.cases.models import Case
from garda.compliance.models import LegalHold
from garda.compliance.services import purge as purging
from garda.compliance.services.holds import hold_lift, hold_place
from garda.compliance.tests.helpers import inactive_person, years_ago
from garda.documents import storage
from garda.documents.models import Document, DocumentFile
from garda.documents.services import document_reject
from garda.documents.tests.conftest import upload
from garda.people.models import Person
from garda.people.tests.factories import register

pytestmark = pytest.mark.django_db


def _files(person_pk) -> list[str]:
    return list(
        DocumentFile.objects.filter(document__person_id=person_pk).values_list(
            "storage_name", flat=True
        )
    )


def _audit_text() -> str:
    """Everything the audit rows say, as one string."""
    rows = AuditEvent.objects.values_list("object_type", "object_id", "changed_fields", "reason")
    return json.dumps(list(rows), ensure_ascii=False)


def _outcome(report, code):
    return next(o for o in report.outcomes if o.code == code)


@pytest.fixture
def world(alice, bob):
    siti = inactive_person(serial=1, officer=alice, name="Siti Aminah")
    rina = inactive_person(serial=2, officer=alice, name="Rina Dijaga")
    recent = inactive_person(serial=3, officer=alice, name="Budi Baru", years=1)
    hold_place(actor=bob, person=rina, reason="Sengketa di pengadilan negeri")
    return {"siti": siti, "rina": rina, "recent": recent}


def test_the_dry_run_counts_and_changes_nothing(world):
    persons, documents, events = (
        Person.objects.count(),
        Document.objects.count(),
        AuditEvent.objects.count(),
    )
    report = purging.purge(actor=None)
    people = _outcome(report, "people_inactive")
    assert (people.due, people.held, people.removed) == (1, 1, 0)
    assert Person.objects.count() == persons
    assert Document.objects.count() == documents
    assert AuditEvent.objects.count() == events  # not even a row: nothing happened
    assert all(storage.exists(name) for name in _files(world["siti"].pk))


def test_the_command_dry_run_says_what_would_go_and_what_is_held(world):
    out = StringIO()
    call_command("purge", stdout=out)
    text = out.getvalue()
    assert "DRY RUN" in text
    assert "people_inactive: 1 past their time, 1 held" in text
    assert "audit: kept" in text
    assert Person.objects.filter(pk=world["siti"].pk).exists()


def test_apply_removes_the_past_due_person_and_files_keeps_the_held_and_the_recent(
    world, django_capture_on_commit_callbacks
):
    siti, rina, recent = world["siti"], world["rina"], world["recent"]
    siti_files, rina_files = _files(siti.pk), _files(rina.pk)
    assert siti_files and rina_files

    with django_capture_on_commit_callbacks(execute=True):
        report = purging.purge(actor=None, apply=True)

    assert _outcome(report, "people_inactive").removed == 1
    assert not Person.objects.filter(pk=siti.pk).exists()
    assert not Document.objects.filter(person_id=siti.pk).exists()
    assert not any(storage.exists(name) for name in siti_files)
    # Held: the person and everything of theirs stay.
    assert Person.objects.filter(pk=rina.pk).exists()
    assert all(storage.exists(name) for name in rina_files)
    # Not past its time.
    assert Person.objects.filter(pk=recent.pk).exists()


def test_after_a_purge_the_chain_verifies_and_no_row_names_the_purged_person(world):
    siti = world["siti"]
    nik = siti.nik
    assert AuditEvent.objects.filter(object_type="people.person", object_id=str(siti.pk)).exists()

    purging.purge(actor=None, apply=True)

    assert verify_chain().ok
    out = StringIO()
    call_command("audit_verify", stdout=out)
    text = _audit_text()
    for needle in ("Siti", "Aminah", nik, nik[-4:] + '"', siti.reference):
        assert needle not in text, needle
    # The purge's own rows: one per batch and one for the run, with counts per rule.
    reasons = list(
        AuditEvent.objects.filter(object_type=purging.OBJECT_TYPE).values_list("reason", flat=True)
    )
    assert "purge people_inactive: 1 removed, 1 files, 0 kept" in reasons
    summary = [r for r in reasons if r.startswith("purge done:")]
    assert len(summary) == 1 and "people_inactive=1/1f held 1" in summary[0]


def test_a_lifted_hold_lets_the_next_purge_remove_the_person(world, bob):
    rina = world["rina"]
    purging.purge(actor=None, apply=True)
    hold = LegalHold.objects.get(person=rina)
    hold_lift(actor=bob, hold=hold, reason="Perkara sudah diputus")
    assert AuditEvent.objects.filter(
        object_type="compliance.legalhold", object_id=str(hold.pk), reason="hold lifted"
    ).exists()

    report = purging.purge(actor=None, apply=True)

    assert _outcome(report, "people_inactive").removed == 1
    assert not Person.objects.filter(pk=rina.pk).exists()
    assert verify_chain().ok


def test_a_hold_that_ended_no_longer_holds(world, bob):
    import time_machine
    from django.utils import timezone

    hold = LegalHold.objects.get(person=world["rina"])
    LegalHold.objects.filter(pk=hold.pk).update(ends_on=timezone.localdate())
    assert _outcome(purging.purge(actor=None), "people_inactive").held == 1
    with time_machine.travel(timezone.now() + timezone.timedelta(days=2), tick=False):
        assert _outcome(purging.purge(actor=None), "people_inactive").held == 0


def test_the_worker_account_goes_with_the_person(alice, wati):
    with years_ago(6):
        person = register(serial=5, user=wati, full_name="Wati Lestari")
        from garda.people.services.registry import person_change_status

        person_change_status(actor=alice, person=person, to_status="inactive")
    purging.purge(actor=None, apply=True)
    assert not Person.objects.filter(pk=person.pk).exists()
    assert not User.objects.filter(email="wati@example.org").exists()


def test_a_person_who_departed_is_not_purged_as_never_departed(alice):
    from garda.people.services.registry import person_change_status

    with years_ago(6):
        person = register(serial=6, actor=alice, full_name="Pernah Berangkat")
        for status in ("in_preparation", "ready"):
            person = person_change_status(actor=alice, person=person, to_status=status)
        person = person_change_status(
            actor=alice, person=person, to_status="placed", route="independent"
        )
        person = person_change_status(actor=alice, person=person, to_status="inactive")
    assert not purging.due(purging.retention.rule("people_inactive")).filter(pk=person.pk).exists()


def test_rejected_scans_go_after_a_year_with_their_files(
    alice, bob, django_capture_on_commit_callbacks
):
    person = register(serial=7, actor=alice, full_name="Dewi Ditolak")
    with years_ago(2):
        rejected = upload(person, actor=alice, code="ktp")
        document_reject(actor=bob, document=rejected, reason="Foto buram, tidak terbaca")
    kept = upload(person, actor=alice, code="kk")
    names = _files(person.pk)

    with django_capture_on_commit_callbacks(execute=True):
        report = purging.purge(actor=None, apply=True, only="documents_rejected")

    assert _outcome(report, "documents_rejected").removed == 1
    assert not Document.objects.filter(pk=rejected.pk).exists()
    assert Document.objects.filter(pk=kept.pk).exists()
    gone = [n for n in names if not storage.exists(n)]
    assert len(gone) == 1 and not DocumentFile.objects.filter(storage_name=gone[0]).exists()
    assert Person.objects.filter(pk=person.pk).exists()


def test_a_person_with_a_case_is_kept_until_the_case_goes(alice, bob):
    from django.utils import timezone

    from garda.cases.tests.factories import case_in_progress

    person = inactive_person(serial=8, officer=alice, name="Kasus Terbuka", documents=())
    case = case_in_progress(officer=alice, person_name="Kasus Terbuka")
    Case.objects.filter(pk=case.pk).update(person=person)

    report = purging.purge(actor=None, apply=True)

    assert _outcome(report, "people_inactive").kept == 1
    assert Person.objects.filter(pk=person.pk).exists()
    # Held through the case: the person is held too.
    Case.objects.filter(pk=case.pk).update(
        status="closed", closed_at=timezone.now() - timezone.timedelta(days=3700)
    )
    hold_place(actor=bob, case=Case.objects.get(pk=case.pk), reason="Penyidikan kepolisian")
    counts = {o.code: o for o in purging.counts()}
    assert counts["cases_closed"].held == 1 and counts["people_inactive"].held == 1


def test_a_closed_case_past_its_time_goes_with_its_files(alice, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from garda.cases.services.record import document_add
    from garda.cases.tests.factories import case_in_progress
    from garda.documents.tests.samples import png_bytes

    case = case_in_progress(officer=alice, person_name="Kasus Lama")
    document_add(actor=alice, case=case, title="Surat", data=png_bytes(), content_type="image/png")
    names = list(case.documents.values_list("storage_name", flat=True))
    assert names and all(storage.exists(n) for n in names)
    Case.objects.filter(pk=case.pk).update(
        status="closed", closed_at=timezone.now() - timezone.timedelta(days=3700)
    )

    with django_capture_on_commit_callbacks(execute=True):
        purging.purge(actor=None, apply=True, only="cases_closed")

    assert not Case.objects.filter(pk=case.pk).exists()
    assert not any(storage.exists(n) for n in names)
    assert verify_chain().ok


def test_counting_costs_a_fixed_number_of_queries(world, alice):
    for serial in range(20, 30):
        inactive_person(serial=serial, officer=alice, name=f"Orang {serial}", documents=())
    with CaptureQueriesContext(connection) as ctx:
        counts = purging.counts()
    assert {o.code: o.due for o in counts}["people_inactive"] == 11
    rules = sum(1 for o in counts if o.due is not None)
    assert len(ctx.captured_queries) <= 2 * rules  # whatever the number of records


def test_batches_commit_one_at_a_time_with_a_row_each(alice):
    for serial in range(40, 45):
        inactive_person(serial=serial, officer=alice, name=f"Orang {serial}", documents=())
    purging.purge(actor=None, apply=True, only="people_inactive", batch_size=2)
    reasons = list(
        AuditEvent.objects.filter(
            object_type=purging.OBJECT_TYPE, reason__startswith="purge people_inactive"
        ).values_list("reason", flat=True)
    )
    assert len(reasons) == 3  # 2 + 2 + 1
    assert verify_chain().ok


def test_only_an_admin_may_run_the_purge_from_the_app(alice):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        purging.purge(actor=alice, apply=True)
    assert AuditEvent.objects.filter(action="denied", reason="compliance.purge").exists()


def test_the_nightly_job_is_off_unless_switched_on(world, settings):
    from garda.compliance.tasks import nightly_purge

    assert settings.GARDA_PURGE_NIGHTLY is False
    assert nightly_purge.call_local() is None
    assert Person.objects.filter(pk=world["siti"].pk).exists()
    settings.GARDA_PURGE_NIGHTLY = True
    assert nightly_purge.call_local()["people_inactive"] == 1
    assert not Person.objects.filter(pk=world["siti"].pk).exists()
