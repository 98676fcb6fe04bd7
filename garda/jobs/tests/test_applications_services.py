"""The application pipeline as its services run it (docs/applications.md): each step
in order and audited, the worker told; skipped steps, ended applications, missing
reasons and stale versions refused with nothing written; one application per person
and order; the last position; nominations; lapsing with the order."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from garda.accounts.models import Notification
from garda.audit.models import AuditEvent
from garda.jobs.access.applications import visible_applications
from garda.jobs.models import Application, ApplicationEvent, JobOrder
from garda.jobs.services import applications as svc
from garda.jobs.services.common import VersionConflict
from garda.jobs.services.orders import order_cancel, order_close, orders_recheck
from garda.jobs.tests.factories_applications import (
    applied,
    at_step,
    nominated,
    open_order,
    worker_with_person,
)
from garda.people.models import Person

pytestmark = pytest.mark.django_db
A = Application.Status


@pytest.fixture
def order(rina, alice):
    return open_order(rina, alice, positions=2, positions_female=2)


@pytest.fixture
def sri():
    return worker_with_person(101, "sri@example.org")


def _events(app) -> list[tuple[str, str]]:
    return list(
        ApplicationEvent.objects.filter(application=app)
        .order_by("id")
        .values_list("from_status", "to_status")
    )


def test_the_pipeline_runs_step_by_step_each_step_audited_and_told(order, sri, rina, alice):
    worker, person = sri
    app = applied(order, worker, person)
    assert app.status == A.APPLIED and app.source == Application.Source.WORKER
    for step in (A.SHORTLISTED, A.INTERVIEWED, A.SELECTED, A.CONTRACT_SIGNED, A.DEPARTED):
        app = svc.application_move(actor=rina, application=app, to_status=step)
        assert app.status == step
    assert app.version == 6
    assert _events(app) == [
        ("", "applied"),
        ("applied", "shortlisted"),
        ("shortlisted", "interviewed"),
        ("interviewed", "selected"),
        ("selected", "contract_signed"),
        ("contract_signed", "departed"),
    ]
    rows = AuditEvent.objects.filter(object_type="jobs.application", object_id=str(app.pk))
    assert rows.filter(action="create").count() == 1
    assert rows.filter(action="update").count() == 5
    # The worker is told of each move the recruiter made, not of their own application.
    notes = Notification.objects.filter(user=worker)
    assert notes.count() == 5
    assert all(n.url == "/jobs/my-applications/" for n in notes)


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (A.APPLIED, A.SELECTED),
        (A.APPLIED, A.INTERVIEWED),
        (A.SHORTLISTED, A.CONTRACT_SIGNED),
        (A.APPLIED, A.DEPARTED),
        (A.APPLIED, A.APPLIED),
        (A.APPLIED, A.DECLINED),
    ],
)
def test_a_skipped_step_is_refused_and_nothing_is_written(order, sri, rina, start, to):
    worker, person = sri
    app = at_step(order, worker, person, start, rina)
    before = (ApplicationEvent.objects.count(), AuditEvent.objects.count())
    with pytest.raises(svc.MoveRefused) as refused:
        svc.application_move(actor=rina, application=app, to_status=to, reason="x")
    assert refused.value.code == "wrong_state"
    assert "tidak boleh dilewati" in refused.value.message
    app.refresh_from_db()
    assert app.status == start
    assert (ApplicationEvent.objects.count(), AuditEvent.objects.count()) == before


def test_an_ended_application_moves_no_more(order, sri, rina):
    worker, person = sri
    app = applied(order, worker, person)
    app = svc.application_move(actor=rina, application=app, to_status=A.REJECTED, reason="Umur")
    for to in (A.SHORTLISTED, A.WITHDRAWN, A.APPLIED, A.REJECTED):
        with pytest.raises(svc.MoveRefused):
            svc.application_move(actor=rina, application=app, to_status=to, reason="x")


@pytest.mark.parametrize("to", [A.REJECTED, A.WITHDRAWN])
def test_rejecting_and_withdrawing_need_a_reason(order, sri, rina, to):
    worker, person = sri
    app = applied(order, worker, person)
    with pytest.raises(ValidationError) as exc:
        svc.application_move(actor=rina, application=app, to_status=to, reason="  ")
    assert "reason" in exc.value.message_dict
    app.refresh_from_db()
    assert app.status == A.APPLIED and app.version == 1


def test_a_stale_version_is_refused(order, sri, rina, alice):
    worker, person = sri
    app = applied(order, worker, person)
    svc.application_move(actor=rina, application=app, to_status=A.SHORTLISTED, version=1)
    with pytest.raises(VersionConflict):
        svc.application_move(
            actor=alice, application=app, to_status=A.REJECTED, reason="x", version=1
        )
    app.refresh_from_db()
    assert app.status == A.SHORTLISTED


def test_no_more_people_are_selected_than_the_order_has_positions(order, rina):
    apps = []
    for serial in (111, 112, 113):
        worker, person = worker_with_person(serial)
        apps.append(at_step(order, worker, person, A.INTERVIEWED, rina))
    for app in apps[:2]:
        svc.application_move(actor=rina, application=app, to_status=A.SELECTED)
    with pytest.raises(svc.NoPositionLeft) as refused:
        svc.application_move(actor=rina, application=apps[2], to_status=A.SELECTED)
    assert refused.value.code == "no_position_left"
    assert Application.objects.filter(order=order, status=A.SELECTED).count() == 2
    # A selected worker who withdraws frees the position.
    svc.application_withdraw(actor=apps[0].person.user, application=apps[0], reason="Sakit")
    svc.application_move(actor=rina, application=apps[2], to_status=A.SELECTED)


def test_one_application_per_person_and_order(order, sri):
    worker, person = sri
    first = applied(order, worker, person)
    with pytest.raises(svc.ApplyRefused) as refused:
        applied(order, worker, person)
    assert refused.value.code == "already_applied"
    assert refused.value.application == first
    assert Application.objects.filter(order=order, person=person).count() == 1


def test_a_closed_order_takes_no_application(order, sri, rina, alice):
    worker, person = sri
    order_close(actor=rina, order=order, reason="Terisi")
    with pytest.raises(svc.ApplyRefused) as refused:
        applied(JobOrder.objects.get(pk=order.pk), worker, person)
    assert refused.value.code == "order_closed"
    past = open_order(rina, alice, closing_date=timezone.localdate() + timedelta(days=3))
    JobOrder.objects.filter(pk=past.pk).update(
        closing_date=timezone.localdate() - timedelta(days=1)
    )
    with pytest.raises(svc.ApplyRefused) as refused:
        applied(JobOrder.objects.get(pk=past.pk), worker, person)
    assert refused.value.code == "order_closed"
    assert not Application.objects.exists()


def test_a_placed_person_may_not_apply(order, sri):
    worker, person = sri
    Person.objects.filter(pk=person.pk).update(status="placed")
    person.refresh_from_db()
    with pytest.raises(svc.ApplyRefused) as refused:
        applied(order, worker, person)
    assert refused.value.code == "person_not_eligible"


def test_a_worker_applies_only_for_themself(order, sri, alice):
    _worker, person = sri
    other, _ = worker_with_person(102)
    for actor in (other, alice):
        with pytest.raises(PermissionDenied):
            svc.application_create(actor=actor, order=order, person=person)
    assert AuditEvent.objects.filter(action="denied", reason="jobs.application_create").count() == 2
    assert not Application.objects.exists()


def test_a_nomination_is_invisible_to_the_company_until_the_worker_accepts(order, sri, alice, rina):
    worker, person = sri
    app = nominated(order, person, alice)
    assert app.status == A.NOMINATED and app.nominated_by == alice
    assert Notification.objects.filter(user=worker).count() == 1
    assert not visible_applications(rina).exists()
    assert visible_applications(alice).get() == app
    # Only the worker answers.
    with pytest.raises(PermissionDenied):
        svc.nomination_accept(actor=rina, application=app)
    app = svc.nomination_accept(actor=worker, application=app)
    assert app.status == A.APPLIED
    assert visible_applications(rina).get() == app
    # Once seen, still seen when it lapses, is rejected...
    svc.application_move(actor=rina, application=app, to_status=A.REJECTED, reason="Umur")
    assert visible_applications(rina).count() == 1


def test_a_declined_nomination_is_never_the_company_s(order, sri, alice, rina):
    worker, person = sri
    app = nominated(order, person, alice)
    with pytest.raises(ValidationError):
        svc.nomination_decline(actor=worker, application=app, reason="")
    app = svc.nomination_decline(actor=worker, application=app, reason="Mau ke Taiwan")
    assert app.status == A.DECLINED
    assert not visible_applications(rina).exists()
    # A nomination lapsing before an answer stays unseen too.
    other, other_person = worker_with_person(103)
    nominated(order, other_person, alice)
    order_close(actor=rina, order=JobOrder.objects.get(pk=order.pk))
    assert not visible_applications(rina).exists()


def test_closing_an_order_lapses_the_applications_before_selection(order, rina, alice):
    made = {}
    for serial, step in ((121, A.APPLIED), (122, A.INTERVIEWED), (123, A.SELECTED)):
        worker, person = worker_with_person(serial)
        made[step] = at_step(order, worker, person, step, rina)
    _w, person = worker_with_person(124)
    made[A.NOMINATED] = nominated(order, person, alice)
    order_close(actor=rina, order=JobOrder.objects.get(pk=order.pk), reason="Terisi")
    status = dict(Application.objects.values_list("pk", "status"))
    assert status[made[A.APPLIED].pk] == A.LAPSED
    assert status[made[A.INTERVIEWED].pk] == A.LAPSED
    assert status[made[A.NOMINATED].pk] == A.LAPSED
    assert status[made[A.SELECTED].pk] == A.SELECTED  # goes on to the contract
    lapsed = ApplicationEvent.objects.filter(to_status=A.LAPSED)
    assert lapsed.count() == 3 and all(e.actor == rina for e in lapsed)
    assert (
        AuditEvent.objects.filter(
            object_type="jobs.application", reason__endswith=" -> lapsed"
        ).count()
        == 3
    )
    assert Notification.objects.filter(user=made[A.APPLIED].person.user).count() == 1


def test_cancelling_an_order_lapses_the_selected_too_but_not_a_signed_contract(order, rina):
    made = {}
    for serial, step in ((131, A.SELECTED), (132, A.CONTRACT_SIGNED)):
        worker, person = worker_with_person(serial)
        made[step] = at_step(order, worker, person, step, rina)
    order_cancel(actor=rina, order=JobOrder.objects.get(pk=order.pk), reason="Majikan batal")
    made[A.SELECTED].refresh_from_db()
    made[A.CONTRACT_SIGNED].refresh_from_db()
    assert made[A.SELECTED].status == A.LAPSED
    assert made[A.SELECTED].status_reason == "Job order dibatalkan."
    assert made[A.CONTRACT_SIGNED].status == A.CONTRACT_SIGNED


def test_the_nightly_expiry_lapses_the_applications_of_the_orders_it_closes(order, sri, rina):
    worker, person = sri
    app = applied(order, worker, person)
    JobOrder.objects.filter(pk=order.pk).update(
        closing_date=timezone.localdate() - timedelta(days=1)
    )
    counts = orders_recheck()
    assert counts["closed"] == 1
    app.refresh_from_db()
    assert app.status == A.LAPSED
    event = ApplicationEvent.objects.get(application=app, to_status=A.LAPSED)
    assert event.actor is None


def test_the_worker_is_told_in_indonesian(order, sri, rina):
    worker, person = sri
    app = applied(order, worker, person)
    svc.application_move(actor=rina, application=app, to_status=A.SHORTLISTED)
    note = Notification.objects.get(user=worker)
    assert note.title.startswith("Lamaran Anda untuk Pengurus rumah tangga")
