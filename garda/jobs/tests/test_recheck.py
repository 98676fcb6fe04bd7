"""The nightly re-check of published job orders (services.orders.orders_recheck), and
the re-checks at once when a company's licence changes or an employer is listed: a
failed check takes the order off the vacancy board and tells the company's recruiters
and the officer who verified it; orders past their closing date close."""

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from garda.accounts.models import Notification
from garda.audit.models import AuditEvent
from garda.jobs import access, facts
from garda.jobs.models import JobOrder, JobOrderEvent
from garda.jobs.services import orders as svc
from garda.jobs.services.parties import listing_add
from garda.jobs.services.register import agency_status_change
from garda.jobs.tasks import job_orders_recheck
from garda.jobs.tests.factories import (
    make_agency,
    make_employer,
    make_recruiter,
    order_data,
    verified_order,
)

S = JobOrder.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    return make_agency()


@pytest.fixture
def recruiter(company):
    return make_recruiter(company)


@pytest.fixture
def other(db):
    agency = make_agency("PT Lain Jaya", "KEP.200/2024")
    return make_recruiter(agency, email="budi@lain.example", full_name="Budi")


def fresh(order) -> JobOrder:
    return JobOrder.objects.get(pk=order.pk)


def assert_unpublished(order, officer, recruiter, code: str) -> JobOrder:
    order = fresh(order)
    assert order.status == S.SUBMITTED
    assert order not in access.vacancies()
    assert order.verified_at is None and order.accepted_warnings == {}
    assert {c["code"]: c["result"] for c in order.checks}[code] == "fail"
    event = order.events.order_by("-id").first()
    assert (event.from_status, event.to_status, event.actor) == (S.VERIFIED, S.SUBMITTED, None)
    assert event.reason == order.status_reason
    assert event.checks == order.checks
    row = (
        AuditEvent.objects.filter(object_type="jobs.joborder", object_id=str(order.pk))
        .order_by("-id")
        .first()
    )
    assert row.reason == f"unpublished by the nightly check: {code}"
    for user in (recruiter, officer):
        note = Notification.objects.filter(user=user).order_by("-id").first()
        assert order.reference in note.title
        assert note.url == f"/jobs/orders/{order.pk}/"
        assert note.body == order.status_reason
    return order


def test_a_suspended_company_leaves_the_board_at_once(company, recruiter, other, alice, admin_user):
    order = verified_order(recruiter, alice)
    theirs = verified_order(other, alice)
    Notification.objects.all().delete()
    agency_status_change(
        actor=admin_user,
        agency=company,
        status="suspended",
        effective_on=None,
        reason="Tunda layanan: complaints",
        source="SK Kepala BP2MI 12/2026",
    )
    order = assert_unpublished(order, alice, recruiter, "agency_licence")
    assert "tunda layanan" in order.status_reason
    assert fresh(theirs).status == S.VERIFIED
    assert not Notification.objects.filter(user=other).exists()


def test_a_revoked_licence_unpublishes_too(company, recruiter, alice, admin_user):
    order = verified_order(recruiter, alice)
    agency_status_change(
        actor=admin_user,
        agency=company,
        status="revoked",
        effective_on=None,
        reason="Licence revoked",
    )
    assert_unpublished(order, alice, recruiter, "agency_licence")


def test_a_listed_employer_leaves_the_board_at_once(recruiter, alice, bob):
    employer = make_employer()
    order = verified_order(recruiter, alice, employer=employer)
    clean = verified_order(recruiter, alice, employer=make_employer(name="Wong Family"))
    Notification.objects.all().delete()
    listing_add(
        actor=bob,
        reason="Wages withheld",
        source="KJRI Hong Kong notice 5/2026",
        employer=employer,
    )
    order = assert_unpublished(order, alice, recruiter, "employer_listed")
    assert "KJRI Hong Kong notice 5/2026" in order.status_reason
    assert fresh(clean).status == S.VERIFIED


def with_floor(monkeypatch, amount: str, starts):
    """facts.data() with a new Hong Kong floor for domestic helpers from `starts`."""
    data = facts.data()
    row = dict(
        next(r for r in data.floors if r["destination"] == "HK"),
        amount=amount,
        effective_from=starts,
        legal_basis="Minimum Allowable Wage (Hong Kong), test",
    )
    monkeypatch.setattr(facts, "data", lambda: replace(data, floors=(*data.floors, row)))


def test_a_new_wage_floor_in_force_unpublishes(recruiter, alice, monkeypatch):
    today = timezone.localdate()
    order = verified_order(recruiter, alice, closing_date=None)  # checked as on today
    starts = today + timedelta(days=30)
    with_floor(monkeypatch, "6000", starts)
    assert svc.orders_recheck(today=starts - timedelta(days=1)) == {
        "checked": 1,
        "unpublished": 0,
        "closed": 0,
    }
    assert fresh(order).status == S.VERIFIED
    assert svc.orders_recheck(today=starts) == {"checked": 1, "unpublished": 1, "closed": 0}
    order = assert_unpublished(order, alice, recruiter, "wage_floor")
    assert "HKD 6.000" in order.status_reason  # in Indonesian, the default
    assert "Minimum Allowable Wage (Hong Kong), test" in order.status_reason


def test_a_floor_starting_before_the_closing_date_counts_now(recruiter, alice, monkeypatch):
    # The checks read the closing date: a floor due before it already applies.
    order = verified_order(recruiter, alice)
    with_floor(monkeypatch, "6000", timezone.localdate() + timedelta(days=10))
    assert svc.orders_recheck()["unpublished"] == 1
    assert fresh(order).status == S.SUBMITTED


def test_passing_orders_stay_and_their_checks_are_refreshed(recruiter, alice):
    order = verified_order(recruiter, alice)
    JobOrder.objects.filter(pk=order.pk).update(checks=[], checked_at=None)
    events = JobOrderEvent.objects.count()
    audits = AuditEvent.objects.count()
    assert svc.orders_recheck() == {"checked": 1, "unpublished": 0, "closed": 0}
    order = fresh(order)
    assert order.status == S.VERIFIED and order.checked_at is not None
    assert [c["result"] for c in order.checks] == ["pass"] * 7
    assert (JobOrderEvent.objects.count(), AuditEvent.objects.count()) == (events, audits)
    assert not Notification.objects.filter(title__contains="vacancy board").exists()


def test_a_warning_alone_does_not_unpublish(recruiter, alice):
    order = svc.order_verify(
        actor=alice,
        order=svc.order_submit(
            actor=recruiter,
            order=svc.order_create(
                actor=recruiter,
                data=order_data(hours_per_day=10),
            ),
        ),
        accepted_warnings={"contract_terms": "overtime paid"},
    )
    assert svc.orders_recheck()["unpublished"] == 0
    assert fresh(order).accepted_warnings == {"contract_terms": "overtime paid"}


def test_orders_past_their_closing_date_close(recruiter, alice):
    today = timezone.localdate()
    past = verified_order(recruiter, alice)
    last_day = verified_order(recruiter, alice)
    JobOrder.objects.filter(pk=past.pk).update(closing_date=today - timedelta(days=1))
    JobOrder.objects.filter(pk=last_day.pk).update(closing_date=today)
    version = fresh(past).version
    assert svc.orders_recheck(today=today) == {"checked": 1, "unpublished": 0, "closed": 1}
    past = fresh(past)
    assert past.status == S.CLOSED
    assert past.version == version + 1
    with translation.override("id"):  # the default language, for every reader
        assert past.status_reason == gettext("The closing date has passed.")
    event = past.events.order_by("-id").first()
    assert (event.from_status, event.to_status, event.actor) == (S.VERIFIED, S.CLOSED, None)
    assert event.reason == past.status_reason
    row = (
        AuditEvent.objects.filter(object_type="jobs.joborder", object_id=str(past.pk))
        .order_by("-id")
        .first()
    )
    assert (row.action, row.actor, row.reason, row.changed_fields) == (
        "update",
        None,
        "verified -> closed",
        ["status"],
    )
    assert fresh(last_day).status == S.VERIFIED  # open through its closing day
    # Run again: nothing more to close.
    assert svc.orders_recheck(today=today)["closed"] == 0


def test_orders_not_published_are_left_alone(recruiter, alice, company, admin_user):
    draft = svc.order_create(
        actor=recruiter,
        data=order_data(closing_date=timezone.localdate() + timedelta(days=1)),
    )
    JobOrder.objects.filter(pk=draft.pk).update(closing_date=timezone.localdate() - timedelta(5))
    assert svc.orders_recheck() == {"checked": 0, "unpublished": 0, "closed": 0}
    assert fresh(draft).status == S.DRAFT


def test_the_huey_task_and_the_command_run(recruiter, alice):
    order = verified_order(recruiter, alice)
    assert job_orders_recheck.call_local() == {"checked": 1, "unpublished": 0, "closed": 0}
    out = StringIO()
    call_command("jobs_recheck", stdout=out)
    assert out.getvalue().strip() == "checked 1, unpublished 0, closed 0"
    out = StringIO()
    later = order.closing_date + timedelta(days=1)
    call_command("jobs_recheck", "--today", later.isoformat(), stdout=out)
    assert out.getvalue().strip() == "checked 0, unpublished 0, closed 1"
    assert fresh(order).status == S.CLOSED
    for bad in ("tomorrow", "2026-13-01"):
        with pytest.raises(CommandError):
            call_command("jobs_recheck", "--today", bad)


def clone(order, n: int, start: int, **values):
    """`n` copies of `order` (bulk, not the services)."""
    rows = []
    for i in range(start, start + n):
        copy = JobOrder.objects.get(pk=order.pk)
        copy.pk = None
        copy.reference = f"JO-T-{i:05d}"
        for name, value in values.items():
            setattr(copy, name, value)
        rows.append(copy)
    JobOrder.objects.bulk_create(rows)


def test_the_query_count_does_not_grow_with_the_orders(
    recruiter, other, alice, django_assert_max_num_queries
):
    today = timezone.localdate()
    mine = verified_order(recruiter, alice, employer=make_employer())
    theirs = verified_order(
        other, alice, wage_amount=Decimal("5500"), employer=make_employer(name="Wong Family")
    )
    for order in (mine, theirs):
        clone(order, 2, order.pk * 1000)
        clone(order, 2, order.pk * 1000 + 500, closing_date=today - timedelta(days=1))
    with CaptureQueriesContext(connection) as small:
        counts = svc.orders_recheck()
    assert counts == {"checked": 6, "unpublished": 0, "closed": 4}
    for order in (mine, theirs):
        clone(order, 25, order.pk * 1000 + 100)
        clone(order, 25, order.pk * 1000 + 600, closing_date=today - timedelta(days=1))
    with django_assert_max_num_queries(len(small)):
        counts = svc.orders_recheck()
    assert counts == {"checked": 56, "unpublished": 0, "closed": 50}
    assert JobOrderEvent.objects.filter(to_status=S.CLOSED).count() == 54
    assert (
        AuditEvent.objects.filter(object_type="jobs.joborder", reason="verified -> closed").count()
        == 54
    )
