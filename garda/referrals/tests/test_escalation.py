"""The referral follow-through job under a controlled clock (time_machine): an
unanswered referral raised at its deadline to the case's officer, the agency's
supervisors and the receiving agency's partners (level 1), then to the head of unit or
the admins (level 2) after the working days of data/followup.toml, holidays skipped;
an accepted referral not reported back the same way; each level once; answered,
reported, declined, closed and withdrawn referrals never raised; a fixed number of
queries whatever the number of overdue referrals."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_user
from garda.accounts import roles
from garda.accounts.models import Notification
from garda.audit.models import AuditEvent
from garda.cases.models import UnitHead
from garda.cases.tests.factories import case_in_progress
from garda.referrals.models import Referral, ReferralEscalation, Status
from garda.referrals.services.escalation import current_policy, escalate
from garda.referrals.tests.factories_followup import make_referral

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
# Monday 7 December 2026, noon in Jakarta: the answer is due then. Level 2 comes two
# working days later (data/followup.toml): Wednesday 9 December, noon.
DUE = datetime(2026, 12, 7, 12, 0, tzinfo=JAKARTA)
NOTHING = {"answer_1": 0, "answer_2": 0, "report_1": 0, "report_2": 0}


def run(moment: datetime) -> dict:
    with time_machine.travel(moment, tick=False):
        return escalate()


def told(user) -> list[str]:
    return list(
        Notification.objects.filter(user=user, title__contains="Rujukan")
        .order_by("id")
        .values_list("title", flat=True)
    )


@pytest.fixture
def case(alice):
    with time_machine.travel(DUE - timedelta(days=5), tick=False):
        return case_in_progress(officer=alice)


@pytest.fixture
def referral(case, alice, bp3mi):
    return make_referral(
        case=case,
        agency=bp3mi,
        requested_by=alice,
        requested_at=DUE - timedelta(days=3),
        due_at=DUE,
    )


@pytest.fixture
def sari(dinsos):
    """A supervisor of another agency: never told of Disnakertransgi's referrals."""
    return make_user("sari@example.org", roles.SUPERVISOR, dinsos, full_name="Sari")


def test_the_policy_is_two_working_days():
    assert current_policy().head_of_unit_after_working_days == 2


def test_nothing_before_the_deadline(referral, alice):
    assert run(DUE - timedelta(minutes=1)) == NOTHING
    assert not ReferralEscalation.objects.exists()
    assert told(alice) == []


def test_an_unanswered_referral_goes_to_the_officer_supervisors_and_partners(
    referral, alice, bob, putri, carol, sari, admin_user
):
    assert run(DUE + timedelta(minutes=10)) == {**NOTHING, "answer_1": 1}
    row = ReferralEscalation.objects.get()
    assert (row.clock, row.level) == ("answer", 1)
    assert set(row.notified.all()) == {alice, bob, putri}
    for user in (alice, bob, putri):
        (title,) = told(user)
        assert referral.reference in title
        assert "7 Desember 2026" in title and "belum dijawab" in title
    for user in (carol, sari, admin_user):
        assert told(user) == []
    referral.refresh_from_db()
    assert referral.escalation_level == 1 and referral.escalated_at is not None
    # The officers' link is the case; the partner's, the referral's page.
    ours = Notification.objects.filter(title__contains="Rujukan")
    assert ours.get(user=alice).url == f"/cases/{referral.case_id}/"
    assert ours.get(user=putri).url.endswith(f"/{referral.pk}/")
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.UPDATE,
        object_type="referrals.referral",
        object_id=str(referral.pk),
        reason="referral escalation: answer, level 1",
    ).exists()


def test_each_level_once(referral, alice, admin_user):
    run(DUE + timedelta(minutes=10))
    assert run(DUE + timedelta(minutes=20)) == NOTHING
    assert run(DUE + timedelta(days=1)) == NOTHING
    assert len(told(alice)) == 1
    assert run(DUE + timedelta(days=2, minutes=10)) == {**NOTHING, "answer_2": 1}
    assert run(DUE + timedelta(days=30)) == NOTHING
    assert ReferralEscalation.objects.count() == 2
    assert len(told(admin_user)) == 1


def test_level_2_goes_to_the_head_of_unit(referral, alice, bob, putri, admin_user, disnaker):
    head = make_user("kepala@example.org", roles.SUPERVISOR, disnaker, full_name="Kepala")
    UnitHead.objects.create(agency=disnaker, user=head)
    run(DUE + timedelta(minutes=10))
    # Two working days after the deadline, not before.
    assert run(DUE + timedelta(days=2) - timedelta(minutes=1)) == NOTHING
    assert run(DUE + timedelta(days=2, minutes=1)) == {**NOTHING, "answer_2": 1}
    row = ReferralEscalation.objects.get(level=2)
    assert list(row.notified.all()) == [head]
    assert "(tingkat 2)" in told(head)[-1]
    assert told(admin_user) == []
    assert Referral.objects.get(pk=referral.pk).escalation_level == 2


def test_level_2_without_a_head_of_unit_goes_to_the_admins(referral, admin_user, bob):
    run(DUE + timedelta(minutes=10))
    run(DUE + timedelta(days=3))
    row = ReferralEscalation.objects.get(level=2)
    assert list(row.notified.all()) == [admin_user]
    assert len(told(bob)) == 1  # level 1 only


def test_holidays_and_weekends_are_not_working_days(case, alice, bp3mi, admin_user):
    # Due Wednesday 23 December; 24 and 25 are holidays, 26-27 a weekend: the two
    # working days are Monday 28 and Tuesday 29.
    due = datetime(2026, 12, 23, 10, 0, tzinfo=JAKARTA)
    make_referral(case=case, agency=bp3mi, requested_by=alice, due_at=due)
    assert run(due + timedelta(hours=1))["answer_1"] == 1
    assert run(datetime(2026, 12, 28, 23, 0, tzinfo=JAKARTA)) == NOTHING
    assert run(datetime(2026, 12, 29, 9, 59, tzinfo=JAKARTA)) == NOTHING
    assert run(datetime(2026, 12, 29, 10, 1, tzinfo=JAKARTA))["answer_2"] == 1


def test_an_accepted_referral_not_reported_back_escalates(case, alice, bob, putri, bp3mi):
    report_due = DUE + timedelta(days=7)
    referral = make_referral(
        case=case,
        agency=bp3mi,
        requested_by=alice,
        status=Status.ACCEPTED,
        due_at=DUE,
        answered_at=DUE - timedelta(days=1),
        report_due_at=report_due,
    )
    # Answered in time: the answer clock never runs.
    assert run(DUE + timedelta(days=1)) == NOTHING
    assert run(report_due + timedelta(minutes=5)) == {**NOTHING, "report_1": 1}
    row = ReferralEscalation.objects.get()
    assert (row.clock, row.level) == ("report", 1)
    assert set(row.notified.all()) == {alice, bob, putri}
    assert "dilaporkan" in told(putri)[0]
    assert run(report_due + timedelta(days=7)) == {**NOTHING, "report_2": 1}
    assert run(report_due + timedelta(days=8)) == NOTHING
    assert Referral.objects.get(pk=referral.pk).escalation_level == 2


def test_an_answer_escalated_then_accepted_starts_the_report_clock_afresh(
    referral, putri, admin_user
):
    run(DUE + timedelta(minutes=10))
    # The agency accepts a day late: the unanswered referral stops escalating...
    Referral.objects.filter(pk=referral.pk).update(
        status=Status.ACCEPTED,
        answered_at=DUE + timedelta(days=1),
        report_due_at=DUE + timedelta(days=10),
    )
    assert run(DUE + timedelta(days=5)) == NOTHING
    assert told(admin_user) == []
    # ...and the report clock is raised on its own, from level 1.
    assert run(DUE + timedelta(days=10, minutes=1)) == {**NOTHING, "report_1": 1}
    assert len(told(putri)) == 2


@pytest.mark.parametrize(
    "status", [Status.DECLINED, Status.REPORTED, Status.CLOSED, Status.CANCELLED]
)
def test_answered_or_ended_referrals_never_escalate(case, alice, bp3mi, status):
    make_referral(
        case=case,
        agency=bp3mi,
        requested_by=alice,
        status=status,
        due_at=DUE,
        answered_at=DUE - timedelta(hours=1),
        report_due_at=DUE + timedelta(days=1),
    )
    assert run(DUE + timedelta(days=30)) == NOTHING
    assert not ReferralEscalation.objects.exists()


def test_a_referral_answered_after_level_1_stops(referral, admin_user):
    run(DUE + timedelta(minutes=10))
    Referral.objects.filter(pk=referral.pk).update(
        status=Status.DECLINED, decline_reason="Bukan wewenang kami.", answered_at=DUE
    )
    assert run(DUE + timedelta(days=10)) == NOTHING
    assert told(admin_user) == []


def test_the_cost_does_not_grow_with_the_referrals(case, alice, bp3mi, dinsos):
    def queries(n: int, due: datetime) -> int:
        for i in range(n):
            make_referral(
                case=case, agency=bp3mi if i % 2 else dinsos, requested_by=alice, due_at=due
            )
        with CaptureQueriesContext(connection) as ctx:
            assert run(due + timedelta(minutes=1))["answer_1"] == n
        return len(ctx.captured_queries)

    few = queries(3, DUE)
    many = queries(40, DUE + timedelta(days=1))
    assert many <= few
    assert ReferralEscalation.objects.count() == 43
