"""Placement services (garda/jobs/services/placement.py): making a placement from a
selected application, the contract and its differences from the order (UU 18/2017
art. 19), BPJS, orientation seats, departure, arrival, cancellation, and the
person's status moving along with them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from garda.audit.models import AuditEvent
from garda.jobs.models import Application, Placement
from garda.jobs.services import placement as svc
from garda.jobs.services.common import VersionConflict
from garda.jobs.tests.factories_placement import (
    contract,
    make_placement,
    make_session,
    open_order,
    ready_person,
    ready_to_leave,
    selected_application,
)
from garda.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(rina, alice):
    return open_order(rina, alice)


@pytest.fixture
def placement(alice, order):
    return make_placement(alice, order)


def person_status(placement) -> str:
    return Person.objects.get(pk=placement.person_id).status


def app_status(placement) -> str:
    return Application.objects.get(pk=placement.application_id).status


def audits() -> int:
    return AuditEvent.objects.count()


# --- create -------------------------------------------------------------------------


def test_a_selected_application_becomes_a_placement_and_the_person_is_placed(alice, order):
    person = ready_person()
    app = selected_application(order, person)
    placement = svc.placement_create(actor=alice, application=app)
    assert placement.status == "preparing"
    assert (placement.employer_id, placement.agency_id) == (order.employer_id, order.agency_id)
    assert len(placement.card_code) >= 30
    assert person_status(placement) == "placed"
    assert AuditEvent.objects.filter(
        action="create", object_type="jobs.placement", object_id=str(placement.pk)
    ).exists()


def test_only_a_selected_application_becomes_a_placement(alice, order):
    app = Application.objects.create(order=order, person=ready_person(), status="interviewed")
    before = Placement.objects.count()
    with pytest.raises(svc.PlacementRefused):
        svc.placement_create(actor=alice, application=app)
    assert Placement.objects.count() == before


def test_a_person_not_ready_in_the_registry_is_refused_with_a_message(alice, order):
    person = ready_person()
    Person.objects.filter(pk=person.pk).update(status="in_preparation")
    app = selected_application(order, person)
    with translation.override("id"), pytest.raises(ValidationError) as caught:
        svc.placement_create(actor=alice, application=app)
    assert "person" in caught.value.message_dict
    assert "siap" in caught.value.message_dict["person"][0]
    assert not Placement.objects.filter(application=app).exists()
    assert Person.objects.get(pk=person.pk).status == "in_preparation"


def test_a_second_placement_of_the_same_application_is_refused(alice, placement):
    with pytest.raises(svc.PlacementRefused):
        svc.placement_create(actor=alice, application=placement.application)


def test_a_recruiter_or_a_supervisor_cannot_create_a_placement(rina, bob, order):
    app = selected_application(order, ready_person())
    for actor in (rina, bob):
        with pytest.raises(PermissionDenied):
            svc.placement_create(actor=actor, application=app)
    assert AuditEvent.objects.filter(action="denied").count() >= 2


# --- the contract and its differences --------------------------------------------------------


def test_a_contract_as_the_order_says_has_no_difference_and_signs_the_application(alice, placement):
    placement = svc.placement_record_contract(actor=alice, placement=placement, data=contract())
    assert placement.differences == []
    assert placement.contract_months == 24
    assert placement.wage_amount == Decimal("5200.00")
    assert app_status(placement) == "contract_signed"


def test_a_lower_wage_is_flagged_citing_the_law_in_indonesian(alice, placement):
    with translation.override("id"):
        placement = svc.placement_record_contract(
            actor=alice, placement=placement, data=contract(wage_amount="4800")
        )
    (diff,) = placement.differences
    assert diff["field"] == "wage" and diff["lower"] is True
    assert "UU 18/2017" in diff["message"] and "pasal 19" in diff["message"]
    assert "lebih rendah" in diff["message"]
    assert "4.800" in diff["signed"] and "5.200" in diff["order"]


def test_another_currency_and_a_shorter_contract_are_flagged(alice, placement):
    placement = svc.placement_record_contract(
        actor=alice,
        placement=placement,
        data=contract(wage_currency="usd", wage_amount="700", months=12),
    )
    fields = [d["field"] for d in placement.differences]
    assert fields == ["wage", "contract_months"]
    assert placement.wage_currency == "USD"


def test_a_bad_contract_writes_nothing(alice, placement):
    before = audits()
    with pytest.raises(ValidationError) as caught:
        svc.placement_record_contract(
            actor=alice,
            placement=placement,
            data=contract(
                signed_on=timezone.localdate() + timedelta(days=1),
                months=0,
                wage_amount="-5",
                wage_currency="HK",
            ),
        )
    assert set(caught.value.message_dict) == {"signed_on", "months", "wage_amount", "wage_currency"}
    assert audits() == before
    assert app_status(placement) == "selected"
    assert Placement.objects.get(pk=placement.pk).contract_signed_on is None


def test_the_recruiter_of_the_company_records_the_contract_another_does_not(rina, placement, order):
    from garda.jobs.tests.factories import make_agency, make_recruiter

    svc.placement_record_contract(actor=rina, placement=placement, data=contract())
    outsider = make_recruiter(make_agency("PT Lain", "KEP.9/2025"), email="x@lain.example")
    with pytest.raises(PermissionDenied):
        svc.placement_record_contract(actor=outsider, placement=placement, data=contract())
    with pytest.raises(PermissionDenied):  # BPJS is the office's
        svc.placement_update(
            actor=rina,
            placement=placement,
            section="bpjs",
            data={"bpjs_number": "12345678901", "bpjs_programmes": ["JKK", "JKM"]},
        )


def test_a_stale_version_is_refused(alice, placement):
    with pytest.raises(VersionConflict):
        svc.placement_record_contract(
            actor=alice, placement=placement, data=contract(), version=placement.version + 5
        )


# --- BPJS, orientation, visa, travel -----------------------------------------------------------


@pytest.mark.parametrize("number", ["1234567890", "123456789012", "12345abcde1", ""])
def test_a_bpjs_number_is_eleven_digits(alice, placement, number):
    data = {"bpjs_number": number or "  ", "bpjs_programmes": ["JKK", "JKM"]}
    if not number:  # a blank number keeps what is on record: nothing to check
        svc.placement_update(actor=alice, placement=placement, section="bpjs", data=data)
        return
    with pytest.raises(ValidationError) as caught:
        svc.placement_update(actor=alice, placement=placement, section="bpjs", data=data)
    assert "bpjs_number" in caught.value.message_dict


def test_bpjs_is_kept_encrypted_and_needs_jkk_and_jkm(alice, placement):
    with pytest.raises(ValidationError) as caught:
        svc.placement_update(
            actor=alice,
            placement=placement,
            section="bpjs",
            data={"bpjs_number": "1234 5678 901", "bpjs_programmes": ["JHT"]},
        )
    assert "bpjs_programmes" in caught.value.message_dict
    placement = svc.placement_update(
        actor=alice,
        placement=placement,
        section="bpjs",
        data={"bpjs_number": "1234.5678-901", "bpjs_programmes": ["jkm", "JKK", "JP"]},
    )
    assert placement.bpjs_number == "12345678901"
    assert placement.bpjs_programmes == ["JKK", "JKM", "JP"]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT bpjs_number FROM jobs_placement WHERE id = %s", [placement.pk])
        stored = cursor.fetchone()[0]
    assert "12345678901" not in str(stored)


def test_an_orientation_session_holds_only_its_capacity(alice, rina, order):
    session = make_session(alice, capacity=1)
    first = make_placement(alice, order)
    second = make_placement(alice, order)
    svc.placement_update(
        actor=alice, placement=first, section="orientation", data={"orientation": session}
    )
    with pytest.raises(svc.PlacementRefused) as caught:
        svc.placement_update(
            actor=alice, placement=second, section="orientation", data={"orientation": session}
        )
    assert caught.value.code == "session_full"
    assert Placement.objects.get(pk=second.pk).orientation_id is None
    # the first, marked as attended, keeps its seat
    first = svc.placement_update(
        actor=alice,
        placement=Placement.objects.get(pk=first.pk),
        section="orientation",
        data={
            "orientation": session,
            "orientation_attended_on": timezone.localdate(),
            "orientation_certificate": "OPP-1",
        },
    )
    assert first.orientation_place == session.place


def test_attendance_needs_a_certificate_number(alice, placement):
    with pytest.raises(ValidationError) as caught:
        svc.placement_update(
            actor=alice,
            placement=placement,
            section="orientation",
            data={"orientation_attended_on": timezone.localdate(), "orientation_place": "X"},
        )
    assert "orientation_certificate" in caught.value.message_dict


def test_visa_dates_and_flight_are_checked(alice, placement):
    with pytest.raises(ValidationError):
        svc.placement_update(
            actor=alice,
            placement=placement,
            section="visa",
            data={
                "visa_number": "V123",
                "visa_issued_on": timezone.localdate(),
                "visa_valid_until": timezone.localdate() - timedelta(days=1),
            },
        )
    with pytest.raises(ValidationError):
        svc.placement_update(
            actor=alice, placement=placement, section="travel", data={"flight": "by boat"}
        )
    placement = svc.placement_update(
        actor=alice, placement=placement, section="travel", data={"flight": "ga  890"}
    )
    assert placement.flight == "GA 890"


# --- departure, arrival, cancel: the person moves along -------------------------------------------


def test_departure_needs_every_step(alice, placement):
    with translation.override("en"), pytest.raises(svc.PlacementRefused) as caught:
        svc.placement_depart(actor=alice, placement=placement)
    assert caught.value.code == "steps_missing"
    assert "contract" in str(caught.value.message) and "visa" in str(caught.value.message)
    assert person_status(placement) == "placed"


def test_depart_and_arrive_move_the_application_and_the_person(alice, placement):
    placement = ready_to_leave(alice, placement)
    placement = svc.placement_depart(actor=alice, placement=placement)
    assert placement.status == "departed" and placement.departed_at is not None
    assert app_status(placement) == "departed"
    assert person_status(placement) == "departed"
    placement = svc.placement_arrive(actor=alice, placement=placement)
    assert placement.status == "arrived"
    assert person_status(placement) == "abroad"
    assert placement.ends_on == svc.add_months(timezone.localdate(), 24)
    with pytest.raises(svc.PlacementRefused):
        svc.placement_depart(actor=alice, placement=placement)


def test_arrival_only_after_departure(alice, placement):
    with pytest.raises(svc.PlacementRefused):
        svc.placement_arrive(actor=alice, placement=placement)
    assert person_status(placement) == "placed"


def test_cancel_ends_the_application_and_makes_the_person_ready_again(alice, placement):
    with pytest.raises(ValidationError):
        svc.placement_cancel(actor=alice, placement=placement, reason=" ")
    placement = svc.placement_cancel(
        actor=alice, placement=placement, reason="Pekerja mengundurkan diri", by_worker=True
    )
    assert placement.status == "cancelled"
    assert app_status(placement) == "withdrawn"
    assert person_status(placement) == "ready"
    assert not svc.card_valid(placement)


def test_add_months_keeps_the_month_end():
    from datetime import date

    assert svc.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert svc.add_months(date(2026, 11, 15), 14) == date(2028, 1, 15)


def test_card_validity(alice, placement):
    assert svc.card_valid(placement)
    placement.ends_on = timezone.localdate() - timedelta(days=1)
    assert not svc.card_valid(placement)
    placement.ends_on = None
    placement.status = "ended"
    assert not svc.card_valid(placement)


# --- the last seat of a session, raced (PostgreSQL's row locks) -------------------------


@pytest.mark.concurrency
@pytest.mark.skipif(
    __import__("django.db", fromlist=["connection"]).connection.vendor != "postgresql",
    reason="row locks are PostgreSQL's; SQLite's test database (in memory) has one writer",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_race_for_the_last_seat_exactly_one_gets_it(alice, rina):
    import threading

    from django.db import connections, transaction

    order = open_order(rina, alice)
    session = make_session(alice, capacity=1)
    racers = [make_placement(alice, order), make_placement(alice, order)]
    start = threading.Barrier(len(racers))
    results: dict[int, str] = {}
    errors: list[BaseException] = []

    def race(placement) -> None:
        try:
            with transaction.atomic():
                Placement.objects.filter(pk=placement.pk).values_list("version").first()
                start.wait(timeout=10)
                svc.placement_update(
                    actor=alice,
                    placement=placement,
                    section="orientation",
                    data={"orientation": session},
                )
            results[placement.pk] = "seated"
        except svc.PlacementRefused as exc:
            results[placement.pk] = exc.code
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(p,)) for p in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    assert not errors, errors
    assert sorted(results.values()) == ["seated", "session_full"]
    assert Placement.objects.filter(orientation=session).count() == 1
