"""Placements for tests: a verified order, a person the registry has as ready, a
selected application made directly (the applications pipeline is another part's),
and a placement made through the service."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from garda.jobs.models import Application, JobOrder, OrientationSession, Placement
from garda.jobs.services import placement as svc
from garda.jobs.tests.factories import make_employer, make_order, verified_order
from garda.people.models import Person
from garda.people.tests.factories import register

_serial = [500]


def ready_person(*, user=None, serial: int | None = None, **extra) -> Person:
    """A registered person moved straight to "ready" (with a route), as an officer
    would after checking their documents."""
    if serial is None:
        _serial[0] += 1
        serial = _serial[0]
    person = register(serial=serial, user=user, **extra)
    Person.objects.filter(pk=person.pk).update(status="ready", route="p3mi")
    return Person.objects.get(pk=person.pk)


def open_order(recruiter, officer, **overrides) -> JobOrder:
    overrides.setdefault("employer", make_employer())
    return verified_order(recruiter, officer, **overrides)


def selected_application(order: JobOrder, person: Person) -> Application:
    return Application.objects.create(order=order, person=person, status="selected")


def make_placement(officer, order: JobOrder, person: Person | None = None) -> Placement:
    person = person or ready_person()
    return svc.placement_create(actor=officer, application=selected_application(order, person))


def contract(**overrides) -> svc.ContractData:
    values = {
        "signed_on": timezone.localdate() - timedelta(days=3),
        "months": 24,
        "wage_amount": Decimal("5200"),
        "wage_currency": "HKD",
        "wage_period": "month",
    }
    values.update(overrides)
    return svc.ContractData(**values)


def make_session(officer=None, **overrides) -> OrientationSession:
    values = {
        "starts_at": timezone.now() + timedelta(days=7),
        "place": "BP3MI DKI Jakarta, Jl. Pengadegan Timur",
        "capacity": 30,
        "destination": "HK",
        "created_by": officer,
    }
    values.update(overrides)
    return OrientationSession.objects.create(**values)


def ready_to_leave(officer, placement: Placement, *, departure: date | None = None) -> Placement:
    """Every step recorded: contract, BPJS, orientation, visa, flight."""
    placement = svc.placement_record_contract(actor=officer, placement=placement, data=contract())
    placement = svc.placement_update(
        actor=officer,
        placement=placement,
        section="bpjs",
        data={"bpjs_number": "12345678901", "bpjs_programmes": ["JKK", "JKM", "JHT"]},
    )
    placement = svc.placement_update(
        actor=officer,
        placement=placement,
        section="orientation",
        data={
            "orientation_attended_on": timezone.localdate() - timedelta(days=1),
            "orientation_place": "BP3MI DKI Jakarta",
            "orientation_certificate": "OPP/2026/0012",
        },
    )
    placement = svc.placement_update(
        actor=officer,
        placement=placement,
        section="visa",
        data={
            "visa_number": "ID1234567",
            "visa_issued_on": timezone.localdate() - timedelta(days=2),
            "visa_valid_until": timezone.localdate() + timedelta(days=700),
        },
    )
    return svc.placement_update(
        actor=officer,
        placement=placement,
        section="travel",
        data={
            "departure_date": departure or timezone.localdate() + timedelta(days=2),
            "flight": "CX 798",
        },
    )


__all__ = [
    "contract",
    "make_order",
    "make_placement",
    "make_session",
    "open_order",
    "ready_person",
    "ready_to_leave",
    "selected_application",
]
