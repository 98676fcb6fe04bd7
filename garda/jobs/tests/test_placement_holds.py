"""An application whose placement is under way ends only with its placement (issue 15
review): rejected, withdrawn, lapsed with its order or the order cancelled, it would
leave a placed person, a valid card and a freed position behind. Also: the departure's
time, the depart page when the application moved meanwhile, an officer's word for a
worker who has an account, the export's dates, and the contract's field names."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import verified_client
from garda.jobs.models import Application, Placement
from garda.jobs.services import placement as svc
from garda.jobs.services.applications import (
    MoveRefused,
    application_move,
    application_nominate,
    application_withdraw,
    nomination_accept,
)
from garda.jobs.services.orders import order_cancel
from garda.jobs.tests.factories_applications import worker_with_person
from garda.jobs.tests.factories_placement import (
    contract,
    make_placement,
    open_order,
    ready_person,
)
from garda.people.models import Person

pytestmark = pytest.mark.django_db
A = Application.Status


@pytest.fixture
def order(rina, alice):
    return open_order(rina, alice)


@pytest.fixture
def placement(alice, order):
    placement = make_placement(alice, order)
    return svc.placement_record_contract(actor=alice, placement=placement, data=contract())


def _unchanged(placement):
    placement.refresh_from_db()
    app = Application.objects.get(pk=placement.application_id)
    person = Person.objects.get(pk=placement.person_id)
    return placement.status, app.status, person.status


def test_rejecting_or_withdrawing_is_refused_while_the_placement_is_under_way(
    alice, rina, placement
):
    before = _unchanged(placement)
    app = Application.objects.get(pk=placement.application_id)
    with pytest.raises(MoveRefused) as refused:
        application_move(actor=rina, application=app, to_status=A.REJECTED, reason="Lain")
    assert refused.value.code == "placement_exists"
    assert "batalkan penempatannya" in str(refused.value.message)
    with pytest.raises(MoveRefused):
        application_withdraw(actor=alice, application=app, reason="Pekerja mundur")
    assert _unchanged(placement) == before == ("preparing", A.CONTRACT_SIGNED, "placed")
    # The API says the same, as a 409 naming the code.
    response = verified_client(rina).post(
        f"/api/v1/applications/{app.pk}/move",
        {"status": "rejected", "reason": "Lain"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "placement_exists"
    # Cancelling the placement ends the application with it.
    svc.placement_cancel(actor=alice, placement=placement, reason="Majikan membatalkan")
    assert _unchanged(placement) == ("cancelled", A.REJECTED, "ready")


def test_an_order_with_a_placement_under_way_is_not_cancelled(alice, order, placement):
    with pytest.raises(ValidationError) as refused:
        order_cancel(actor=alice, order=order, reason="Majikan batal")
    assert "penempatan" in " ".join(refused.value.messages)
    order.refresh_from_db()
    assert order.status == "verified"
    assert _unchanged(placement) == ("preparing", A.CONTRACT_SIGNED, "placed")


def test_the_depart_page_says_why_when_the_application_moved_meanwhile(alice, placement):
    svc.placement_update(
        actor=alice,
        placement=placement,
        section="bpjs",
        data={"bpjs_number": "12345678901", "bpjs_programmes": ["JKK", "JKM"]},
    )
    # Someone moved the application behind the placement's back (as before the fix).
    Application.objects.filter(pk=placement.application_id).update(status=A.REJECTED)
    Placement.objects.filter(pk=placement.pk).update(
        orientation_attended_on=timezone.localdate(),
        orientation_certificate="OPP-1",
        visa_number="V123456",
    )
    response = verified_client(alice).post(
        reverse("jobs:placement_depart", args=[placement.pk]), follow=True
    )
    assert response.status_code == 200
    placement.refresh_from_db()
    assert placement.status == "preparing"


def test_a_departure_time_without_a_zone_is_jakarta_s_and_not_before_the_contract(alice, placement):
    with pytest.raises(ValidationError) as refused:
        svc.placement_depart(actor=alice, placement=placement, departed_at=datetime(1900, 1, 1))  # noqa: DTZ001
    assert "departed_at" in refused.value.error_dict
    placement.refresh_from_db()
    assert placement.status == "preparing"


def test_an_officer_cannot_answer_for_a_worker_who_has_an_account(alice, order):
    worker, person = worker_with_person(401, "punya@example.org")
    person.status = "ready"
    person.save()
    app = application_nominate(actor=alice, order=order, person=person)
    with pytest.raises(PermissionDenied):
        nomination_accept(actor=alice, application=app, reason="Kata dia ya")
    app.refresh_from_db()
    assert app.status == A.NOMINATED
    # Without an account, the officer records the answer, saying how.
    other = ready_person()
    app = application_nominate(actor=alice, order=order, person=other)
    assert nomination_accept(actor=alice, application=app, reason="Lewat telepon").status == (
        A.APPLIED
    )


def test_a_mistyped_export_date_is_refused_not_widened(bob, placement):
    client = verified_client(bob)
    response = client.get(reverse("jobs:placement_export") + "?since=2025-13-01")
    assert response.status_code == 400
    assert "TTTT-BB-HH" in response.content.decode()


def test_the_contract_s_api_errors_name_the_fields_the_api_takes(alice, order):
    placement = make_placement(alice, order)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = verified_client(alice).patch(
        f"/api/v1/placements/{placement.pk}",
        {"contract_signed_on": tomorrow, "contract_months": 24},
        content_type="application/json",
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert "contract_signed_on" in fields and "signed_on" not in fields


def test_positions_kept_for_women_and_for_men_are_held_for_them(alice, rina):
    """Three positions: one kept for a woman, one for a man, one for either. Two women
    selected take the woman's and the open one; a third woman is refused with words,
    and the man's position is still there for a man."""
    from garda.jobs.services.applications import NoPositionLeft

    order = open_order(rina, alice, positions=3, positions_female=1, positions_male=1)

    def interviewed(sex):
        person = ready_person(sex=sex)
        return Application.objects.create(order=order, person=person, status=A.INTERVIEWED)

    for _ in range(2):
        application_move(actor=rina, application=interviewed("F"), to_status=A.SELECTED)
    third = interviewed("F")
    with pytest.raises(NoPositionLeft) as refused:
        application_move(actor=rina, application=third, to_status=A.SELECTED)
    assert "perempuan atau laki-laki" in str(refused.value.message)
    man = application_move(actor=rina, application=interviewed("M"), to_status=A.SELECTED)
    assert man.status == A.SELECTED
    assert Application.objects.filter(order=order, status=A.SELECTED).count() == 3


def test_a_departed_worker_s_card_ends_with_the_contract_counted_from_the_flight(alice, placement):
    placement.status = "departed"
    placement.departure_date = timezone.localdate() - timedelta(days=800)
    placement.contract_months = 24
    placement.ends_on = None
    assert not svc.card_valid(placement)
    placement.departure_date = timezone.localdate() - timedelta(days=30)
    assert svc.card_valid(placement)


def test_a_placed_person_s_other_applications_lapse_and_free_their_positions(alice, rina):
    """Placed through one order, the person leaves the others: a selected application
    elsewhere frees its position, a nomination and an application lapse, each with the
    reason naming the order they were placed through."""
    from garda.jobs.tests.factories_placement import selected_application

    person = ready_person()
    here = open_order(rina, alice, positions=1, positions_female=1, positions_male=0)
    there = open_order(rina, alice, positions=1, positions_female=1, positions_male=0)
    third = open_order(rina, alice)
    elsewhere = selected_application(there, person)
    nominated = application_nominate(actor=alice, order=third, person=person)
    placement = svc.placement_create(actor=alice, application=selected_application(here, person))
    for app in (elsewhere, nominated):
        app.refresh_from_db()
        assert app.status == A.LAPSED
        assert here.reference in app.status_reason
    assert Application.objects.get(pk=placement.application_id).status == A.SELECTED
    # The position elsewhere is free for someone else.
    other = Application.objects.create(order=there, person=ready_person(), status=A.INTERVIEWED)
    assert application_move(actor=rina, application=other, to_status=A.SELECTED).status == (
        A.SELECTED
    )
