"""Handling a case (docs/cases.md): assignment, approvals to close, severity,
duplicates, optimistic locking, and what the worker and the reporter are told."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, transaction
from django.utils import translation
from django.utils.translation import gettext

from garda.accounts.models import Notification
from garda.audit.models import AuditEvent
from garda.cases import workflow
from garda.cases.models import Approval, Case, SeverityChange, Stage, StageChange, Status
from garda.cases.services.common import VersionConflict, own_case_url
from garda.cases.services.handling import (
    ApprovalPending,
    approval_decide,
    case_assign,
    case_mark_duplicate,
    case_move,
    case_severity_change,
)
from garda.cases.tests.factories import (
    case_at,
    case_in_progress,
    confirm_nik_owner,
    open_case,
    worker_person,
)

ON_SQLITE = connection.vendor == "sqlite"


def denied(actor, what: str) -> bool:
    return AuditEvent.objects.filter(actor=actor, action="denied", reason=what).exists()


# --- assignment ---------------------------------------------------------------------


@pytest.mark.django_db
def test_an_officer_takes_a_triaged_case_nobody_holds(alice):
    case = case_at(Stage.TRIAGED, officer=alice)
    case = case_assign(actor=alice, case=case, officer=alice)
    case.refresh_from_db()
    assert (case.owner, case.agency, case.stage) == (alice, alice.agency, Stage.ASSIGNED)
    assert case.clocks.get(name="assignment").done_at is not None
    assert Notification.objects.filter(user=alice, title__contains=case.reference).exists()


@pytest.mark.django_db
def test_a_new_case_is_triaged_before_anyone_takes_it(alice, bob):
    case, _ = open_case()
    for actor in (alice, bob):
        with pytest.raises(ValidationError) as exc:
            case_assign(actor=actor, case=case, officer=alice)
        assert [e.code for e in exc.value.error_dict["officer"]] == ["not_triaged"]
    case.refresh_from_db()
    assert case.owner is None


@pytest.mark.django_db
def test_an_officer_neither_takes_a_held_case_nor_gives_one_away(alice, carol):
    held = case_at(Stage.IN_PROGRESS, officer=carol)
    with pytest.raises(PermissionDenied):
        case_assign(actor=alice, case=held, officer=alice)
    assert denied(alice, "cases.case_assign")
    queue = case_at(Stage.TRIAGED, officer=alice)
    with pytest.raises(PermissionDenied):
        case_assign(actor=alice, case=queue, officer=carol)
    held.refresh_from_db()
    queue.refresh_from_db()
    assert (held.owner, queue.owner) == (carol, None)


@pytest.mark.django_db
def test_a_stale_self_take_does_not_steal_the_case(alice, carol):
    case = case_at(Stage.TRIAGED, officer=alice)
    stale = Case.objects.get(pk=case.pk)  # carol read it while nobody held it
    case_assign(actor=alice, case=case, officer=alice)
    with pytest.raises(PermissionDenied):
        case_assign(actor=carol, case=stale, officer=carol)
    case.refresh_from_db()
    assert case.owner == alice
    assert denied(carol, "cases.case_assign:taken")


@pytest.mark.django_db
def test_a_supervisor_assigns_only_their_agencys_officers(alice, bob, carol):
    case = case_at(Stage.TRIAGED, officer=alice)
    with pytest.raises(PermissionDenied):
        case_assign(actor=bob, case=case, officer=carol)
    case = case_assign(actor=bob, case=case, officer=alice, reason="Wilayah Jakarta")
    assert case.owner == alice
    last = StageChange.objects.filter(case=case).last()
    assert (last.to_stage, last.reason, last.actor) == ("assigned", "Wilayah Jakarta", bob)


@pytest.mark.django_db
def test_reassigning_tells_both_officers(alice, bob, disnaker):
    from conftest import make_user
    from garda.accounts import roles

    dewi = make_user("dewi@example.org", roles.OFFICER, disnaker, full_name="Dewi")
    case = case_at(Stage.IN_PROGRESS, officer=alice)
    Notification.objects.all().delete()
    case = case_assign(actor=bob, case=case, officer=dewi, reason="Alice cuti")
    assert case.owner == dewi and case.stage == Stage.IN_PROGRESS
    assert Notification.objects.filter(user=dewi).count() == 1
    told = Notification.objects.get(user=alice)
    assert case.reference in told.title and told.url == ""


@pytest.mark.django_db
def test_only_an_active_officer_is_assigned(alice, bob, admin_user):
    case = case_at(Stage.TRIAGED, officer=alice)
    with pytest.raises(ValidationError) as exc:
        case_assign(actor=admin_user, case=case, officer=bob)
    assert "officer" in exc.value.message_dict
    closed = case_at(Stage.CLOSED, officer=alice)
    with pytest.raises(ValidationError):
        case_assign(actor=bob, case=closed, officer=alice)


# --- approvals to close ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "critical", [{"kinds": ["abuse"]}, {"answers": {"debt": "yes", "movement": "no"}}]
)
def test_an_officer_closing_a_critical_or_task_force_case_asks_a_supervisor(critical, alice, bob):
    case = case_at(Stage.RESOLVED, officer=alice, **critical)
    Notification.objects.all().delete()
    with pytest.raises(ApprovalPending) as exc:
        case_move(actor=alice, case=case, stage=Stage.CLOSED, reason="Sudah pulang")
    approval = exc.value.approval
    assert (approval.decision, approval.closing_reason, approval.requested_by) == (
        "pending",
        "resolved",
        alice,
    )
    case.refresh_from_db()
    assert (case.stage, case.status) == (Stage.RESOLVED, Status.OPEN)
    assert Notification.objects.filter(user=bob, title__contains=case.reference).exists()
    # Asking again does not make a second request.
    with pytest.raises(ApprovalPending) as again:
        case_move(actor=alice, case=case, stage=Stage.CLOSED, reason="Mohon ditutup")
    assert again.value.approval.pk == approval.pk
    assert Approval.objects.filter(case=case).count() == 1


@pytest.mark.django_db
def test_a_supervisor_approves_and_the_case_closes_with_the_requested_reason(alice, bob):
    case = case_at(Stage.WAITING, officer=alice, kinds=["trafficking"])
    with pytest.raises(ApprovalPending) as exc:
        case_move(
            actor=alice,
            case=case,
            stage=Stage.CLOSED,
            reason="Kewenangan Polri",
            closing_reason="handed_over",
        )
    Notification.objects.all().delete()
    approval = approval_decide(actor=bob, approval=exc.value.approval, approve=True)
    assert (approval.decision, approval.decided_by) == ("approved", bob)
    case.refresh_from_db()
    assert (case.status, case.closing_reason) == ("closed", "handed_over")
    last = StageChange.objects.filter(case=case).last()
    assert (last.to_stage, last.actor, last.reason) == ("closed", bob, "Kewenangan Polri")
    with translation.override("id"):
        expected = gettext("Case %(reference)s: closing approved") % {"reference": case.reference}
    assert list(Notification.objects.filter(user=alice).values_list("title", flat=True)) == [
        expected
    ]
    with pytest.raises(ValidationError):
        approval_decide(actor=bob, approval=approval, approve=False, comment="eh")


@pytest.mark.django_db
def test_a_refusal_needs_a_comment_and_leaves_the_case_open(alice, bob):
    case = case_at(Stage.RESOLVED, officer=alice, kinds=["abuse"])
    with pytest.raises(ApprovalPending) as exc:
        case_move(actor=alice, case=case, stage=Stage.CLOSED, reason="Selesai")
    with pytest.raises(ValidationError) as missing:
        approval_decide(actor=bob, approval=exc.value.approval, approve=False, comment=" ")
    assert "comment" in missing.value.message_dict
    approval = approval_decide(
        actor=bob, approval=exc.value.approval, approve=False, comment="Korban belum didampingi"
    )
    assert approval.decision == "rejected"
    case.refresh_from_db()
    assert case.is_open and case.stage == Stage.RESOLVED
    # A new request may now be made.
    with pytest.raises(ApprovalPending) as second:
        case_move(actor=alice, case=case, stage=Stage.CLOSED, reason="Sudah didampingi")
    assert second.value.approval.pk != approval.pk


@pytest.mark.django_db
def test_an_officer_cannot_decide_and_another_agencys_supervisor_cannot_either(alice, carol):
    from conftest import make_user
    from garda.accounts import roles

    case = case_at(Stage.RESOLVED, officer=alice, kinds=["abuse"])
    with pytest.raises(ApprovalPending) as exc:
        case_move(actor=alice, case=case, stage=Stage.CLOSED, reason="Selesai")
    sri = make_user("sri@example.org", roles.SUPERVISOR, carol.agency, full_name="Sri")
    for actor in (alice, sri):
        with pytest.raises(PermissionDenied):
            approval_decide(actor=actor, approval=exc.value.approval, approve=True)
        assert denied(actor, "cases.approval_decide")
    case.refresh_from_db()
    assert case.is_open


@pytest.mark.django_db
def test_a_supervisor_closes_directly_and_settles_a_waiting_request(alice, bob):
    case = case_at(Stage.RESOLVED, officer=alice, kinds=["abuse"])
    with pytest.raises(ApprovalPending) as exc:
        case_move(actor=alice, case=case, stage=Stage.CLOSED, reason="Selesai")
    case = case_move(actor=bob, case=case, stage=Stage.CLOSED, reason="Ditutup supervisor")
    assert case.status == Status.CLOSED
    approval = Approval.objects.get(pk=exc.value.approval.pk)
    assert (approval.decision, approval.decided_by) == ("approved", bob)


@pytest.mark.django_db
def test_approving_a_request_the_case_has_moved_away_from_is_refused(alice, bob):
    case = case_at(Stage.RESOLVED, officer=alice, kinds=["abuse"])
    with pytest.raises(ApprovalPending) as exc:
        case_move(actor=alice, case=case, stage=Stage.CLOSED, reason="Selesai")
    case_move(actor=alice, case=case, stage=Stage.IN_PROGRESS, reason="Ternyata belum")
    with pytest.raises(ValidationError) as moved:
        approval_decide(actor=bob, approval=exc.value.approval, approve=True)
    assert "decision" in moved.value.message_dict
    assert Approval.objects.get(pk=exc.value.approval.pk).decision == "pending"
    case.refresh_from_db()
    assert case.stage == Stage.IN_PROGRESS


@pytest.mark.django_db
def test_an_ordinary_case_an_officer_closes_alone(alice):
    case = case_at(Stage.CLOSED, officer=alice)
    assert case.status == Status.CLOSED
    assert not Approval.objects.filter(case=case).exists()


# --- severity -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_supervisor_changes_the_severity_with_a_reason(alice, bob):
    case = case_in_progress(officer=alice)
    with pytest.raises(ValidationError):
        case_severity_change(actor=bob, case=case, severity="high", reason="")
    with pytest.raises(ValidationError):
        case_severity_change(actor=bob, case=case, severity="urgent", reason="x")
    case = case_severity_change(actor=bob, case=case, severity="high", reason="Sakit parah")
    change = SeverityChange.objects.get(case=case)
    assert (change.from_severity, change.to_severity, change.actor) == ("normal", "high", bob)
    with pytest.raises(PermissionDenied):
        case_severity_change(actor=alice, case=case, severity="critical", reason="x")
    assert denied(alice, "cases.case_severity_change")
    case.refresh_from_db()
    assert case.severity == "high"


# --- duplicates ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_duplicate_stops_moving_and_leaves_the_workers_list(alice, wati):
    worker_person(wati)
    first = case_at(Stage.IN_PROGRESS, officer=alice, person_nik=_wati_nik())
    second = case_at(Stage.IN_PROGRESS, officer=alice, person_nik=_wati_nik())
    from garda.cases.access import own_cases

    assert set(own_cases(wati)) == {first, second}
    with pytest.raises(ValidationError):
        case_mark_duplicate(actor=alice, case=second, of_case=second, reason="sama")
    second = case_mark_duplicate(actor=alice, case=second, of_case=first, reason="Laporan sama")
    second.refresh_from_db()
    assert (second.status, second.duplicate_of) == (Status.DUPLICATE, first)
    assert set(own_cases(wati)) == {first}
    with pytest.raises(workflow.SkippedStage):
        case_move(actor=alice, case=second, stage=Stage.RESOLVED, reason="x")
    with pytest.raises(ValidationError):
        case_mark_duplicate(actor=alice, case=second, of_case=first, reason="lagi")
    with pytest.raises(ValidationError):
        case_mark_duplicate(actor=alice, case=first, of_case=second, reason="balik")


def _wati_nik() -> str:
    from garda.people.tests.factories import nik_for

    return nik_for(serial=2)


# --- optimistic locking ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_move_on_a_stale_version_is_refused_and_changes_nothing(alice, bob):
    case = case_at(Stage.IN_PROGRESS, officer=alice)
    read = case.version
    case_move(actor=alice, case=case, stage=Stage.WAITING, reason="Tunggu KBRI", version=read)
    with pytest.raises(VersionConflict) as exc:
        case_move(actor=alice, case=case, stage=Stage.RESOLVED, reason="Selesai", version=read)
    assert exc.value.current.stage == Stage.WAITING
    with pytest.raises(VersionConflict):
        case_assign(actor=bob, case=case, officer=alice, version=read)
    case.refresh_from_db()
    assert (case.stage, case.version) == (Stage.WAITING, read + 1)


@pytest.mark.concurrency
@pytest.mark.skipif(
    ON_SQLITE,
    reason="row locks are PostgreSQL's; SQLite's test database (in memory) has one writer",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_moves_of_one_case_cannot_both_succeed(alice):
    case = case_at(Stage.IN_PROGRESS, officer=alice)
    version = case.version
    start = threading.Barrier(2)
    results: list[str] = []
    errors: list[BaseException] = []

    def move(stage: str) -> None:
        try:
            with transaction.atomic():
                Case.objects.filter(pk=case.pk).values_list("version").first()
                start.wait(timeout=10)
                case_move(
                    actor=alice,
                    case=Case.objects.get(pk=case.pk),
                    stage=stage,
                    reason="bersamaan",
                    version=version,
                )
            results.append(stage)
        except VersionConflict:
            results.append("conflict")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=move, args=(s,)) for s in (Stage.WAITING, Stage.RESOLVED)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    assert not errors, errors
    assert results.count("conflict") == 1
    case.refresh_from_db()
    winner = next(r for r in results if r != "conflict")
    assert case.stage == winner
    assert case.version == version + 1
    assert StageChange.objects.filter(case=case, from_stage=Stage.IN_PROGRESS).count() == 1


# --- what the worker and the reporter are told ----------------------------------------------


@pytest.mark.django_db
def test_the_worker_and_the_reporter_are_told_of_each_move_by_number(alice, wati, tono):
    worker_person(wati)
    case, secret = open_case(
        actor=tono, channel="portal", relationship="sibling", person_nik=_wati_nik()
    )
    assert secret == ""
    case = confirm_nik_owner(case, alice)
    assert case.person.user == wati and case.reporter_user == tono
    Notification.objects.all().delete()
    case = case_move(actor=alice, case=case, stage=Stage.TRIAGED, reason="Dicek petugas")
    for user in (wati, tono):
        note = Notification.objects.get(user=user)
        assert case.reference in note.title
        assert "Wati" not in note.title + note.body and "Siti" not in note.title + note.body
        assert note.url == own_case_url(case)
    assert not Notification.objects.filter(user=alice).exists()


def test_an_officer_cannot_bury_a_report_nobody_holds(alice, carol, bob):
    """Closing or marking as a duplicate a queue report is for whoever takes it, or a
    supervisor: an officer's early close of it is refused and changes nothing; a
    supervisor's close leaves it in every supervisor's sight (security review)."""
    from conftest import make_user
    from garda.accounts import roles
    from garda.cases.access import visible_cases

    case, _secret = open_case()
    with pytest.raises(ValidationError) as refused:
        case_move(
            actor=carol,
            case=case,
            stage="closed",
            reason="spam",
            closing_reason="withdrawn",
        )
    assert refused.value.message_dict["stage"][0].startswith("Belum ada petugas yang memegang")
    other, _ = open_case(person_name="Lain")
    with pytest.raises(ValidationError):
        case_mark_duplicate(actor=carol, case=case, of_case=other, reason="sama")
    case.refresh_from_db()
    assert case.status == Status.OPEN and case.stage == Stage.NEW
    case_move(
        actor=bob, case=case, stage="closed", reason="laporan palsu", closing_reason="withdrawn"
    )
    dinsos_head = make_user(
        "dinsos-head@example.org", roles.SUPERVISOR, carol.agency, full_name="Dina"
    )
    assert visible_cases(dinsos_head).filter(pk=case.pk).exists()
    assert not visible_cases(alice).filter(pk=case.pk).exists()
