"""Companies, parties and job orders for tests, made through the services."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from conftest import make_user
from garda.accounts import roles
from garda.jobs.models import Employer, ForeignPartner, PlacementAgency, Recruiter
from garda.jobs.services.orders import OrderData, order_create, order_submit, order_verify


def make_agency(
    name="PT Maju Sejahtera",
    number="KEP.100/2024",
    *,
    status="active",
    valid_until: date | None = None,
    **extra,
) -> PlacementAgency:
    agency = PlacementAgency.objects.create(
        name=name,
        licence_number=number,
        licence_issued_on=date(2024, 1, 10),
        licence_valid_until=valid_until or timezone.localdate() + timedelta(days=800),
        status=status,
        status_since=date(2024, 1, 10),
        **extra,
    )
    return agency


def make_recruiter(agency: PlacementAgency, email="rina@maju.example", **extra):
    user = make_user(email, roles.RECRUITER, full_name=extra.pop("full_name", "Rina"), **extra)
    Recruiter.objects.create(user=user, agency=agency)
    return user


def make_employer(name="Chan Household", country="HK", kind="household", **extra) -> Employer:
    return Employer.objects.create(name=name, country=country, kind=kind, city="Hong Kong", **extra)


def make_partner(name="Bintang Harapan Ltd", country="HK", **extra) -> ForeignPartner:
    return ForeignPartner.objects.create(
        name=name, country=country, licence_number="HK-1234", **extra
    )


def order_data(**overrides) -> OrderData:
    """A sound order: a domestic helper in Hong Kong, above the floor, nothing charged."""
    values = {
        "destination": "HK",
        "scheme": "p2p",
        "sector": "domestic",
        "occupation_code": "9111",
        "occupation_title": "Pengurus rumah tangga",
        "number": "DL-2026-001",
        "city": "Hong Kong",
        "positions": 10,
        "positions_female": 10,
        "wage_amount": Decimal("5200"),
        "wage_currency": "HKD",
        "wage_period": "month",
        "hours_per_day": 8,
        "days_per_week": 6,
        "rest_days_per_month": 4,
        "leave_days_per_year": 12,
        "food": "provided",
        "lodging": "provided",
        "insurance": "BPJS Ketenagakerjaan dan asuransi majikan",
        "contract_months": 24,
        "ticket_paid_by": "employer",
        "worker_costs": [],
        "closing_date": timezone.localdate() + timedelta(days=60),
        "min_age": 21,
        "max_age": 45,
    }
    values.update(overrides)
    return OrderData(**values)


def make_order(actor, **overrides):
    return order_create(actor=actor, data=order_data(**overrides))


def verified_order(writer, officer, **overrides):
    order = make_order(writer, **overrides)
    order = order_submit(actor=writer, order=order)
    return order_verify(actor=officer, order=order)
