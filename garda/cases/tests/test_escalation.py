"""The escalation job under the controlled clock (time_machine): at risk told once,
level 1 to the owner and their agency's supervisors, level 2 to the head of unit (or
the admins), the intake queue to the admins; never twice, never for a met clock;
working days and holidays move the due times; and the job's cost in queries at 1,000
overdue clocks."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import make_user
from garda.accounts import roles
from garda.accounts.models import Notification
from garda.audit.models import AuditEvent
from garda.cases.models import Case, Clock, Escalation, UnitHead
from garda.cases.services.escalation import BATCH, escalate
from garda.cases.tests.factories import case_in_progress, open_case

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
# A Monday morning; the critical clocks (calendar hours): first response 2 h,
# assignment 4 h, resolution 168 h; at risk in the last quarter of each window.
T0 = datetime(2026, 12, 7, 9, 0, tzinfo=JAKARTA)
NOTHING = {"at_risk": 0, "level_1": 0, "level_2": 0}


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


def run(moment: datetime) -> dict:
    with at(moment):
        return escalate()


def titles(user) -> list[str]:
    """What the job told `user` (its messages speak of a deadline, "tenggat")."""
    told = Notification.objects.filter(user=user, title__contains="tenggat").order_by("id")
    return list(told.values_list("title", flat=True))


@pytest.fixture
def sari(dinsos):
    """A supervisor of another agency (Dinsos): never told of Disnakertransgi's cases."""
    return make_user("sari@example.org", roles.SUPERVISOR, dinsos, full_name="Sari")


@pytest.fixture
def critical(alice, bob):
    """alice's critical case (abuse), triaged and assigned by bob at T0: only the
    resolution clock still runs, due at T0 + 168 h."""
    with at(T0):
        return case_in_progress(officer=alice, actor=bob, kinds=["abuse"])


def test_the_world(critical):
    clocks = {c.name: c for c in critical.clocks.all()}
    assert clocks["first_response"].done_at == T0 and clocks["assignment"].done_at == T0
    assert clocks["resolution"].due_at == T0 + timedelta(hours=168)
    assert clocks["resolution"].risk_at == T0 + timedelta(hours=126)
    assert critical.agency.short_name == "Disnakertransgi"


def test_at_risk_is_told_once_to_the_owner(
    critical, alice, bob, django_capture_on_commit_callbacks
):
    assert run(T0 + timedelta(hours=125)) == NOTHING
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert run(T0 + timedelta(hours=127)) == {"at_risk": 1, "level_1": 0, "level_2": 0}
    # In the site's language (Indonesian), whoever runs the job.
    assert titles(alice) == [f"Kasus {critical.reference}: tenggat Penyelesaian sudah dekat"]
    assert titles(bob) == []  # at risk is the owner's business
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["alice@example.org"], f"Garda: {titles(alice)[0]}")
    ]
    assert f"/cases/{critical.pk}/" in mail.outbox[0].body
    assert run(T0 + timedelta(hours=130)) == NOTHING  # told once
    assert len(titles(alice)) == 1
    assert not Escalation.objects.exists()


def test_breached_goes_to_the_owner_and_their_agency_supervisors(critical, alice, bob, sari):
    due = T0 + timedelta(hours=168)
    assert run(due) == {"at_risk": 1, "level_1": 0, "level_2": 0}  # due, not yet past it
    assert run(due + timedelta(minutes=10)) == {"at_risk": 0, "level_1": 1, "level_2": 0}
    row = Escalation.objects.get()
    assert (row.case, row.clock, row.level) == (critical, "resolution", 1)
    assert row.at == due + timedelta(minutes=10)
    assert set(row.notified.all()) == {alice, bob}
    assert titles(sari) == []  # another agency's supervisor
    assert titles(bob) == [f"Kasus {critical.reference} melewati tenggat: Penyelesaian (tingkat 1)"]
    audit = AuditEvent.objects.filter(
        object_type="cases.case", object_id=str(critical.pk), reason="escalation level 1"
    )
    assert audit.count() == 1 and audit.get().actor is None
    assert Clock.objects.get(case=critical, name="resolution").escalation_level == 1


def test_still_breached_a_day_later_goes_to_the_head_of_unit(critical, alice, bob, disnaker):
    head = make_user("kepala@example.org", roles.SUPERVISOR, None, full_name="Kepala Bidang")
    UnitHead.objects.create(agency=disnaker, user=head)
    due = T0 + timedelta(hours=168)
    run(due + timedelta(minutes=1))
    assert run(due + timedelta(hours=23)) == NOTHING  # not 24 hours yet
    assert run(due + timedelta(hours=24, minutes=1)) == {"at_risk": 0, "level_1": 0, "level_2": 1}
    level_2 = Escalation.objects.get(level=2)
    assert list(level_2.notified.all()) == [head]
    assert any(critical.reference in t for t in titles(head))
    assert AuditEvent.objects.filter(reason="escalation level 2").count() == 1
    assert run(due + timedelta(days=5)) == NOTHING  # no level 3, nothing twice
    assert Escalation.objects.count() == 2


def test_level_2_goes_to_the_admins_without_a_head_of_unit(critical, admin_user, bob):
    due = T0 + timedelta(hours=168)
    run(due + timedelta(minutes=1))
    assert run(due + timedelta(hours=25))["level_2"] == 1
    assert list(Escalation.objects.get(level=2).notified.all()) == [admin_user]


def test_an_inactive_head_of_unit_means_the_admins(critical, admin_user, disnaker):
    head = make_user("kepala@example.org", roles.SUPERVISOR, None, is_active=False)
    UnitHead.objects.create(agency=disnaker, user=head)
    due = T0 + timedelta(hours=168)
    run(due + timedelta(minutes=1))
    run(due + timedelta(hours=25))
    assert list(Escalation.objects.get(level=2).notified.all()) == [admin_user]
    assert titles(head) == []


def test_a_case_nobody_holds_goes_to_the_admins(admin_user, bob, alice):
    with at(T0):
        queue, _secret = open_case(kinds=["abuse"])  # public report: no owner, no agency
    assert run(T0 + timedelta(hours=1, minutes=40))["at_risk"] == 1  # nobody to tell yet
    assert run(T0 + timedelta(hours=2, minutes=1)) == {"at_risk": 0, "level_1": 1, "level_2": 0}
    row = Escalation.objects.get()
    assert (row.case, row.clock) == (queue, "first_response")
    assert list(row.notified.all()) == [admin_user]
    assert titles(bob) == [] and titles(alice) == []
    # Four hours in, the assignment clock too; each clock once.
    assert run(T0 + timedelta(hours=4, minutes=1))["level_1"] == 1
    assert run(T0 + timedelta(hours=4, minutes=2)) == NOTHING
    assert sorted(Escalation.objects.values_list("clock", flat=True)) == [
        "assignment",
        "first_response",
    ]


def test_a_met_clock_never_escalates(critical):
    Clock.objects.filter(case=critical, name="resolution").update(done_at=T0 + timedelta(hours=100))
    assert run(T0 + timedelta(days=30)) == NOTHING
    assert not Escalation.objects.exists()


def test_a_closed_case_never_escalates(critical):
    Case.objects.filter(pk=critical.pk).update(status="closed", stage="closed")
    assert run(T0 + timedelta(days=30)) == NOTHING


def test_nothing_escalates_twice(critical, alice, bob):
    moment = T0 + timedelta(hours=170)
    first = run(moment)
    assert first["level_1"] == 1
    notes = Notification.objects.count()
    for _ in range(3):
        assert run(moment) == NOTHING
    assert Escalation.objects.count() == 1
    assert Notification.objects.count() == notes


def test_a_reopened_clock_can_escalate_again(critical, alice):
    """A clock restarted (a case reopened) starts from level 0 (services.common)."""
    from garda.cases.services.common import clock_restart

    run(T0 + timedelta(hours=170))
    with at(T0 + timedelta(hours=171)):
        clock_restart(Case.objects.get(pk=critical.pk), "resolution", timezone.now())
    assert run(T0 + timedelta(hours=171 + 169))["level_1"] == 1
    assert Escalation.objects.filter(level=1).count() == 2


# --- working days and holidays (data/holidays.toml: 24 and 25 December 2026) --------


def test_a_high_case_before_christmas_is_due_after_the_holidays(admin_user):
    """Reported on Wednesday 23 December 2026 at 10:00 (high: illness): one working day
    for the first response skips Thursday 24 (cuti bersama), Friday 25 (Christmas)
    and the weekend: due Monday 28 December at 10:00; assignment (2 working days)
    Tuesday 29 at 10:00."""
    reported = datetime(2026, 12, 23, 10, 0, tzinfo=JAKARTA)
    with at(reported):
        case, _secret = open_case(kinds=["illness"])
    assert case.severity == "high"
    clocks = {c.name: c for c in case.clocks.all()}
    assert clocks["first_response"].due_at == datetime(2026, 12, 28, 10, 0, tzinfo=JAKARTA)
    assert clocks["assignment"].due_at == datetime(2026, 12, 29, 10, 0, tzinfo=JAKARTA)
    # 20 working days: 28-31 December (4), then 16 weekdays of January 2027 (the
    # 2027 holidays are not on file yet: 1 January counts): Friday 22 January.
    assert clocks["resolution"].due_at == datetime(2027, 1, 22, 10, 0, tzinfo=JAKARTA)
    # Over the holidays nothing is overdue. "At risk" is the last quarter of the
    # window in calendar time (clocks.risk_at): Sunday 27 December 04:00 for the
    # first response, 22:00 for the assignment.
    assert run(datetime(2026, 12, 25, 12, 0, tzinfo=JAKARTA)) == NOTHING
    assert run(datetime(2026, 12, 27, 3, 0, tzinfo=JAKARTA)) == NOTHING
    assert run(datetime(2026, 12, 27, 23, 0, tzinfo=JAKARTA))["at_risk"] == 2
    result = run(datetime(2026, 12, 28, 10, 1, tzinfo=JAKARTA))
    assert result == {"at_risk": 0, "level_1": 1, "level_2": 0}
    assert Escalation.objects.get().clock == "first_response"


def test_working_days_are_counted_on_the_jakarta_calendar():
    """06:30 on Monday 7 December in Jakarta is 23:30 on Sunday in UTC: the working
    day is Monday (one working day: Tuesday 06:30), not "a Sunday start"."""
    early = datetime(2026, 12, 7, 6, 30, tzinfo=JAKARTA)
    with at(early):
        case, _ = open_case(kinds=["illness"])
    due = {c.name: c.due_at for c in case.clocks.all()}
    assert due["first_response"] == datetime(2026, 12, 8, 6, 30, tzinfo=JAKARTA)


def test_a_report_on_a_holiday_counts_from_the_next_working_day():
    on_holiday = datetime(2026, 12, 24, 15, 30, tzinfo=JAKARTA)
    with at(on_holiday):
        high, _ = open_case(kinds=["illness"])
        critical, _ = open_case(kinds=["abuse"])
    due = {c.name: c.due_at for c in high.clocks.all()}
    assert due["first_response"] == datetime(2026, 12, 29, 0, 0, tzinfo=JAKARTA)
    # A critical case counts calendar hours: holidays do not stop it.
    due = {c.name: c.due_at for c in critical.clocks.all()}
    assert due["first_response"] == datetime(2026, 12, 24, 17, 30, tzinfo=JAKARTA)


# --- cost ------------------------------------------------------------------------


def overdue_clocks(n: int, *, officers, agencies, now) -> None:
    """`n` overdue resolution clocks on open cases written in bulk (a fifth of them in
    the intake queue), plus as many met clocks the job must leave alone."""
    from garda.cases.models import Clock

    cases = Case.objects.bulk_create(
        Case(
            reference=f"KS-T-{i:06d}",
            channel="hotline",
            stage="in_progress" if i % 5 else "new",
            severity="normal",
            description="x",
            subject_name="Bench",
            reporter_name="Bench",
            relationship="self",
            owner=officers[i % len(officers)] if i % 5 else None,
            agency=agencies[i % len(agencies)] if i % 5 else None,
            created_at=now - timedelta(days=100),
            updated_at=now - timedelta(days=100),
        )
        for i in range(n)
    )
    start = now - timedelta(days=100)
    Clock.objects.bulk_create(
        Clock(
            case=case,
            name=name,
            started_at=start,
            due_at=now - timedelta(hours=1 + i % 20),
            risk_at=start,
            done_at=start if name != "resolution" else None,
        )
        for i, case in enumerate(cases)
        for name in ("first_response", "resolution")
    )


@pytest.mark.parametrize("n", [10, 1000])
def test_the_job_is_a_bounded_number_of_queries(n, alice, carol, bob, sari, admin_user):
    now = timezone.now()
    overdue_clocks(n, officers=[alice, carol], agencies=[alice.agency, carol.agency], now=now)
    with CaptureQueriesContext(connection) as queries:
        result = escalate(now)
    assert result == {"at_risk": 0, "level_1": n, "level_2": 0}
    batches = -(-n // BATCH)
    # Once: the heads of unit, the admins, the supervisors, an empty read per stage.
    # Per batch of BATCH clocks: the clocks with their cases; the Escalation rows, who
    # was notified and the notifications (SQLite splits a bulk insert into a few, by
    # its limit on parameters: up to 12 inserts for 500 clocks and 3 people each);
    # the clocks' update; the audit rows (savepoints, last hash, one executemany).
    assert len(queries) <= 8 + 20 * batches, "\n".join(q["sql"][:150] for q in queries)
    assert Escalation.objects.count() == n
    # The queue's cases went to the admin; Disnaker's to alice and bob; Dinsos' to
    # carol and sari: each escalation notified the right people.
    through = Escalation.notified.through.objects
    assert through.filter(user=admin_user).count() == n // 5 + (1 if n % 5 else 0)
    assert through.filter(user=bob).count() == through.filter(user=alice).count()
    assert through.filter(user=sari).count() == through.filter(user=carol).count()
    assert AuditEvent.objects.filter(reason="escalation level 1").count() == n
    assert escalate(now) == NOTHING
