"""The job-order services (garda/jobs/services/orders.py): the state machine, the
checks that block verification, who may act on which order, optimistic locking,
the notifications, and what every move writes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from conftest import make_user
from garda.accounts import roles
from garda.accounts.models import Notification
from garda.audit.models import AuditEvent
from garda.jobs.models import JobOrder, JobOrderEvent
from garda.jobs.services import orders as svc
from garda.jobs.services.common import VersionConflict
from garda.jobs.tests.factories import (
    make_agency,
    make_employer,
    make_order,
    make_recruiter,
    order_data,
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
def other_company():
    return make_agency("PT Lain Jaya", "KEP.200/2024")


@pytest.fixture
def outsider(other_company):
    return make_recruiter(other_company, email="budi@lain.example", full_name="Budi")


def written() -> tuple[int, int]:
    return JobOrderEvent.objects.count(), AuditEvent.objects.count()


def fresh(order) -> JobOrder:
    return JobOrder.objects.get(pk=order.pk)


def in_state(order, status) -> JobOrder:
    JobOrder.objects.filter(pk=order.pk).update(status=status)
    return fresh(order)


# --- creating -------------------------------------------------------------------------


def test_create_writes_a_draft_with_its_checks_an_event_and_an_audit_row(recruiter, company):
    before = written()
    order = make_order(recruiter)
    assert written() == (before[0] + 1, before[1] + 1)
    order = fresh(order)
    assert order.status == S.DRAFT
    assert order.reference.startswith("JO")
    assert order.agency == company
    assert order.fee_free  # 9111 is a fee-free job
    assert [c["result"] for c in order.checks] == ["pass"] * 7
    event = order.events.get()
    assert (event.from_status, event.to_status, event.actor) == ("", S.DRAFT, recruiter)
    row = AuditEvent.objects.order_by("-id").first()
    assert (row.action, row.object_type, row.object_id) == (
        "create",
        "jobs.joborder",
        str(order.pk),
    )


def test_a_recruiter_always_writes_for_their_own_company(recruiter, company, other_company):
    order = make_order(recruiter, agency=other_company)
    assert order.agency == company


def test_a_recruiter_without_a_company_is_refused(db):
    loner = make_user("loner@example.org", roles.RECRUITER, full_name="Loner")
    before = JobOrder.objects.count()
    with pytest.raises(PermissionDenied):
        make_order(loner)
    assert JobOrder.objects.count() == before
    row = AuditEvent.objects.order_by("-id").first()
    assert (row.action, row.actor, row.reason) == ("denied", loner, "jobs.order_write:no_company")


@pytest.mark.parametrize("role", [roles.WORKER, roles.SUPERVISOR, roles.TRAINER, roles.PARTNER])
def test_roles_that_do_not_write_orders_are_refused(db, role):
    user = make_user(f"{role}@example.org", role, full_name=role)
    with pytest.raises(PermissionDenied):
        make_order(user)
    assert not JobOrder.objects.exists()
    assert AuditEvent.objects.filter(action="denied", actor=user, reason="jobs.order_create")


def test_bad_input_names_each_field_and_writes_nothing(recruiter):
    before = written()
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        make_order(
            recruiter,
            destination="XX",
            scheme="nope",
            sector="mining",
            occupation_code="91",
            wage_currency="dollars",
            wage_amount=Decimal("0"),
            positions=2,
            positions_female=2,
            positions_male=1,
            min_age=40,
            max_age=30,
            hours_per_day=25,
            closing_date=timezone.localdate() - timedelta(days=1),
            employer=make_employer(country="TW"),
        )
    errors = caught.value.message_dict
    assert errors["destination"] == ["Choose a destination country from the list."]
    assert errors["scheme"] == ["Choose a placement scheme from the list."]
    assert errors["sector"] == ["Choose a sector from the list."]
    assert "ISCO-08" in errors["occupation_code"][0]
    assert errors["wage_currency"] == ["Give the currency as a three-letter code such as HKD."]
    assert errors["wage_amount"] == ["The wage must be more than zero."]
    assert "add up to more than the positions" in errors["positions"][0]
    assert errors["max_age"] == ["The maximum age is below the minimum age."]
    assert errors["hours_per_day"] == ["At most 24."]
    assert errors["closing_date"] == ["The closing date has passed."]
    assert errors["employer_id"] == ["The employer is in another country than the destination."]
    assert written() == before


def test_a_private_order_needs_a_company(db, alice):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        make_order(alice, agency=None)
    assert caught.value.message_dict["agency_id"] == [
        "Choose the placement company (P3MI) that holds the order."
    ]
    # A G-to-G order needs none.
    order = make_order(
        alice,
        agency=None,
        destination="KR",
        scheme="g2g-kr-eps",
        sector="manufacturing",
        occupation_code="8160",
        occupation_title="Operator",
        wage_currency="KRW",
        wage_amount=Decimal("2200000"),
        max_age=39,
    )
    assert order.agency is None


def test_employer_in_another_country(recruiter):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        make_order(recruiter, employer=make_employer(country="TW"))
    assert caught.value.message_dict == {
        "employer_id": ["The employer is in another country than the destination."]
    }


# --- clean_costs ----------------------------------------------------------------------


def test_clean_costs_normalises_and_skips_blank_rows():
    assert svc.clean_costs(
        [
            {"item": " medical check ", "amount": "1 500 000.00", "currency": "idr"},
            {"item": "", "amount": ""},
            {"item": "visa", "amount": 120, "currency": "HKD"},
            {"item": "bag", "amount": "12.50"},
        ]
    ) == [
        {"item": "medical check", "amount": "1500000", "currency": "IDR"},
        {"item": "visa", "amount": "120", "currency": "HKD"},
        {"item": "bag", "amount": "12.5", "currency": "IDR"},
    ]
    assert svc.clean_costs(None) == []
    assert svc.clean_costs([{"item": "x", "amount": "5"}], default_currency="HKD")[0][
        "currency"
    ] == ("HKD")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (["medical"], "Cost 1 is not an item with an amount."),
        ([{"item": "ok", "amount": "1"}, {"amount": "5"}], "Cost 2 has no name."),
        ([{"item": "visa", "amount": "lots"}], "The amount of \u201cvisa\u201d is not a number"),
        ([{"item": "visa", "amount": "-5"}], "The amount of \u201cvisa\u201d is not a number"),
        ([{"item": "visa", "amount": "NaN"}], "The amount of \u201cvisa\u201d is not a number"),
        ([{"item": "visa", "amount": "1e13"}], "The amount of \u201cvisa\u201d is not a number"),
        (
            [{"item": "visa", "amount": "5", "currency": "Rupiah"}],
            "The currency of \u201cvisa\u201d must be a three-letter code such as IDR.",
        ),
        ([{"item": f"c{i}", "amount": "1"} for i in range(31)], "List at most 30 costs."),
    ],
)
def test_clean_costs_errors_name_the_bad_row(rows, message):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        svc.clean_costs(rows)
    assert list(caught.value.message_dict) == ["worker_costs"]
    assert caught.value.message_dict["worker_costs"][0].startswith(message)


# --- the state machine ----------------------------------------------------------------

ALL = [S.DRAFT, S.SUBMITTED, S.VERIFIED, S.REJECTED, S.CLOSED, S.CANCELLED]


def do(move, order, officer):
    if move == "submit":
        return svc.order_submit(actor=officer, order=order)
    if move == "verify":
        return svc.order_verify(actor=officer, order=order)
    if move == "reject":
        return svc.order_reject(actor=officer, order=order, reason="Wage unclear")
    if move == "close":
        return svc.order_close(actor=officer, order=order, reason="Filled")
    if move == "cancel":
        return svc.order_cancel(actor=officer, order=order, reason="Employer withdrew")
    raise AssertionError(move)


@pytest.mark.parametrize("move", list(svc.MOVES))
@pytest.mark.parametrize("state", ALL)
def test_every_move_from_every_state(recruiter, alice, move, state):
    order = in_state(make_order(recruiter), state)
    starts, to = svc.MOVES[move]
    before = written()
    if state in starts:
        moved = do(move, order, alice)
        assert moved.status == to
        assert fresh(order).status == to
        # Exactly one event and one audit row per move.
        assert written() == (before[0] + 1, before[1] + 1)
        event = JobOrderEvent.objects.order_by("-id").first()
        assert (event.order_id, event.from_status, event.to_status, event.actor) == (
            order.pk,
            state,
            to,
            alice,
        )
        row = AuditEvent.objects.order_by("-id").first()
        assert (row.action, row.object_id, row.reason) == (
            "update",
            str(order.pk),
            f"{state} -> {to}",
        )
        assert fresh(order).version == order.version + 1
    else:
        with pytest.raises(svc.MoveRefused) as caught:
            do(move, order, alice)
        assert caught.value.move == move
        with translation.override("en"):
            assert caught.value.message.startswith("A job order that is ")
        assert fresh(order).status == state
        assert fresh(order).version == order.version
        assert written() == before


def test_the_refusal_reads_naturally(recruiter, alice):
    order = make_order(recruiter)
    with pytest.raises(svc.MoveRefused) as caught:
        svc.order_verify(actor=alice, order=order)
    with translation.override("en"):
        assert caught.value.message == "A job order that is draft cannot be verified."


@pytest.mark.parametrize("state", [S.CLOSED, S.CANCELLED])
def test_closed_and_cancelled_orders_cannot_be_edited(recruiter, state):
    order = in_state(make_order(recruiter), state)
    before = written()
    with pytest.raises(svc.MoveRefused):
        svc.order_update(actor=recruiter, order=order, data=order_data(city="Kowloon"))
    assert fresh(order).city == "Hong Kong"
    assert written() == before


def test_submit_runs_the_checks_and_stamps_the_time(recruiter):
    order = make_order(recruiter)
    JobOrder.objects.filter(pk=order.pk).update(checks=[])
    order = svc.order_submit(actor=recruiter, order=fresh(order))
    order = fresh(order)
    assert order.submitted_at is not None and order.checked_at is not None
    assert len(order.checks) == 7


def test_a_rejected_order_is_fixed_and_submitted_again(recruiter, alice):
    order = svc.order_submit(actor=recruiter, order=make_order(recruiter))
    order = svc.order_reject(actor=alice, order=order, reason="Give the insurance")
    assert fresh(order).status_reason == "Give the insurance"
    order = svc.order_update(actor=recruiter, order=fresh(order), data=order_data(insurance="AIA"))
    assert order.status == S.REJECTED
    order = svc.order_submit(actor=recruiter, order=fresh(order))
    assert order.status == S.SUBMITTED


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_reject_and_cancel_need_a_reason(recruiter, alice, reason):
    order = svc.order_submit(actor=recruiter, order=make_order(recruiter))
    before = written()
    with pytest.raises(ValidationError) as caught:
        svc.order_reject(actor=alice, order=order, reason=reason)
    assert list(caught.value.message_dict) == ["reason"]
    with pytest.raises(ValidationError):
        svc.order_cancel(actor=recruiter, order=order, reason=reason)
    assert fresh(order).status == S.SUBMITTED
    assert written() == before


# --- verification ---------------------------------------------------------------------


def submitted(recruiter, **overrides):
    return svc.order_submit(actor=recruiter, order=make_order(recruiter, **overrides))


def test_verify_publishes_and_stamps(recruiter, alice):
    order = svc.order_verify(actor=alice, order=submitted(recruiter))
    order = fresh(order)
    assert order.status == S.VERIFIED
    assert order.verified_by == alice and order.verified_at is not None
    assert order.accepted_warnings == {}
    assert order.is_open


def test_verify_refused_with_failed_checks(recruiter, alice):
    order = submitted(recruiter, wage_amount=Decimal("4000"))
    events = JobOrderEvent.objects.count()
    audits = AuditEvent.objects.count()
    with pytest.raises(svc.ChecksFailed) as caught:
        svc.order_verify(actor=alice, order=order)
    assert [c["code"] for c in caught.value.failed] == ["wage_floor"]
    assert caught.value.unexplained == []
    order = fresh(order)
    assert order.status == S.SUBMITTED
    assert order.verified_by is None
    assert JobOrderEvent.objects.count() == events
    # The refusal is audited.
    assert AuditEvent.objects.count() == audits + 1
    row = AuditEvent.objects.order_by("-id").first()
    assert (row.actor, row.object_id, row.reason) == (
        alice,
        str(order.pk),
        "verification refused: wage_floor",
    )
    assert {c["code"]: c["result"] for c in order.checks}["wage_floor"] == "fail"


def test_a_failed_check_is_not_accepted_with_a_reason(recruiter, alice):
    order = submitted(recruiter, wage_amount=Decimal("4000"))
    with pytest.raises(svc.ChecksFailed):
        svc.order_verify(actor=alice, order=order, accepted_warnings={"wage_floor": "fine"})
    assert fresh(order).status == S.SUBMITTED


def test_warnings_need_reasons_and_are_stored(recruiter, alice):
    order = submitted(recruiter, hours_per_day=10)
    with pytest.raises(svc.ChecksFailed) as caught:
        svc.order_verify(actor=alice, order=order)
    assert caught.value.failed == []
    assert caught.value.unexplained == ["contract_terms"]
    assert fresh(order).status == S.SUBMITTED
    assert AuditEvent.objects.order_by("-id").first().reason == (
        "verification refused: contract_terms"
    )
    with pytest.raises(svc.ChecksFailed):  # a blank reason is no reason
        svc.order_verify(actor=alice, order=order, accepted_warnings={"contract_terms": "  "})
    order = svc.order_verify(
        actor=alice,
        order=order,
        accepted_warnings={
            "contract_terms": " Ten hours with overtime pay, agreed by KJRI ",
            "positions": "not a warning: not kept",
        },
    )
    assert fresh(order).accepted_warnings == {
        "contract_terms": "Ten hours with overtime pay, agreed by KJRI"
    }
    assert fresh(order).status == S.VERIFIED


@pytest.mark.parametrize("who", ["recruiter", "bob", "wati"])
def test_only_officers_and_admins_verify_or_reject(recruiter, request, who):
    user = request.getfixturevalue(who)
    order = submitted(recruiter)
    for call in (
        lambda: svc.order_verify(actor=user, order=order),
        lambda: svc.order_reject(actor=user, order=order, reason="no"),
    ):
        before = AuditEvent.objects.filter(action="denied").count()
        with pytest.raises(PermissionDenied):
            call()
        assert AuditEvent.objects.filter(action="denied").count() == before + 1
    assert fresh(order).status == S.SUBMITTED


def test_admin_verifies(recruiter, admin_user):
    order = svc.order_verify(actor=admin_user, order=submitted(recruiter))
    assert order.status == S.VERIFIED


# --- editing --------------------------------------------------------------------------


def test_an_edit_after_verification_goes_back_to_submitted_with_an_event(recruiter, alice):
    order = svc.order_verify(actor=alice, order=submitted(recruiter))
    before = written()
    with translation.override("en"):
        order = svc.order_update(
            actor=recruiter, order=fresh(order), data=order_data(wage_amount=Decimal("5300"))
        )
    order = fresh(order)
    assert order.status == S.SUBMITTED
    assert order.wage_amount == Decimal("5300")
    assert order.verified_by is None and order.verified_at is None
    assert order.accepted_warnings == {}
    assert order.status_reason == "Changed after verification: to be verified again."
    assert written() == (before[0] + 1, before[1] + 1)
    event = order.events.order_by("-id").first()
    assert (event.from_status, event.to_status, event.actor) == (S.VERIFIED, S.SUBMITTED, recruiter)
    row = AuditEvent.objects.order_by("-id").first()
    assert row.changed_fields == ["wage_amount"]
    assert row.reason == "sent back for verification"
    assert not order.is_open


def test_an_edit_of_a_draft_reruns_the_checks_without_an_event(recruiter):
    order = make_order(recruiter)
    before = written()
    order = svc.order_update(
        actor=recruiter, order=order, data=order_data(wage_amount=Decimal("4000"))
    )
    order = fresh(order)
    assert order.status == S.DRAFT
    assert {c["code"]: c["result"] for c in order.checks}["wage_floor"] == "fail"
    assert written() == (before[0], before[1] + 1)


def test_an_edit_changing_nothing_writes_nothing(recruiter):
    order = make_order(recruiter)
    before = written()
    svc.order_update(actor=recruiter, order=order, data=order_data())
    assert written() == before
    assert fresh(order).version == order.version


def test_optimistic_locking(recruiter, alice):
    order = make_order(recruiter)
    stale = order.version
    svc.order_update(actor=recruiter, order=order, data=order_data(city="Kowloon"), version=stale)
    before = written()
    with pytest.raises(VersionConflict) as caught:
        svc.order_update(
            actor=recruiter, order=order, data=order_data(city="Sha Tin"), version=stale
        )
    assert caught.value.current.city == "Kowloon"
    with pytest.raises(VersionConflict):
        svc.order_submit(actor=recruiter, order=order, version=stale)
    with pytest.raises(VersionConflict):
        svc.order_cancel(actor=recruiter, order=order, reason="gone", version=stale)
    assert fresh(order).city == "Kowloon"
    assert fresh(order).status == S.DRAFT
    assert written() == before
    current = fresh(order)
    order = svc.order_submit(actor=recruiter, order=current, version=current.version)
    assert order.status == S.SUBMITTED
    with pytest.raises(VersionConflict):
        svc.order_verify(actor=alice, order=order, version=current.version)
    assert fresh(order).status == S.SUBMITTED


# --- the recruiter's scope ------------------------------------------------------------


def test_another_companys_order_is_refused_at_service_level(recruiter, outsider):
    order = make_order(recruiter)
    calls = {
        "jobs.order_update": lambda: svc.order_update(
            actor=outsider, order=order, data=order_data(city="Kowloon")
        ),
        "jobs.order_submit": lambda: svc.order_submit(actor=outsider, order=order),
        "jobs.order_close": lambda: svc.order_close(actor=outsider, order=order),
        "jobs.order_cancel": lambda: svc.order_cancel(actor=outsider, order=order, reason="x"),
    }
    for what, call in calls.items():
        events = JobOrderEvent.objects.count()
        with pytest.raises(PermissionDenied):
            call()
        row = AuditEvent.objects.order_by("-id").first()
        assert (row.action, row.actor, row.reason, row.object_id) == (
            "denied",
            outsider,
            what,
            str(order.pk),
        )
        assert JobOrderEvent.objects.count() == events
    order = fresh(order)
    assert (order.status, order.city) == (S.DRAFT, "Hong Kong")


def test_a_recruiter_closes_and_cancels_their_own(recruiter, alice):
    order = svc.order_verify(actor=alice, order=submitted(recruiter))
    assert svc.order_close(actor=recruiter, order=order).status == S.CLOSED
    other = make_order(recruiter)
    assert svc.order_cancel(actor=recruiter, order=other, reason="Withdrawn").status == (
        S.CANCELLED
    )


# --- notifications --------------------------------------------------------------------


def test_the_companys_recruiters_are_told_on_verify_and_reject(recruiter, company, outsider, alice):
    colleague = make_recruiter(company, email="sari@maju.example", full_name="Sari")
    gone = make_recruiter(company, email="gone@maju.example", full_name="Gone")
    gone.is_active = False
    gone.save()
    order = svc.order_verify(actor=alice, order=submitted(recruiter))
    for user in (recruiter, colleague):
        note = Notification.objects.get(user=user)
        assert order.reference in note.title
        assert note.url == f"/jobs/orders/{order.pk}/"
    assert not Notification.objects.filter(user__in=[gone, outsider, alice]).exists()

    other = submitted(recruiter)
    svc.order_reject(actor=alice, order=other, reason="The insurance is not named")
    notes = Notification.objects.filter(title__contains=other.reference)
    assert sorted(n.user_id for n in notes) == sorted([recruiter.pk, colleague.pk])
    assert {n.body for n in notes} == {"The insurance is not named"}


def test_a_refused_verification_tells_nobody(recruiter, alice):
    order = submitted(recruiter, wage_amount=Decimal("4000"))
    with pytest.raises(svc.ChecksFailed):
        svc.order_verify(actor=alice, order=order)
    assert not Notification.objects.exists()


def test_submitting_emails_nobody(recruiter, alice):
    submitted(recruiter)
    assert not Notification.objects.exists()
