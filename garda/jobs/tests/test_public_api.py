"""The public jobs API (api/public.py), no login: the shapes of the contract exactly,
only verified open vacancies, the licence register, "is this job real?" with its
verdicts, errors in the API's format, nothing stored but the tallies, and the budget
shared with the page."""

from datetime import timedelta
from decimal import ROUND_DOWN, Decimal

import pytest
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from garda.audit.models import AuditEvent
from garda.jobs import facts, throttles
from garda.jobs.models import AgencyBranch, JobCheckTally, JobOrder, PlacementAgency
from garda.jobs.tests.factories import make_agency, make_order, verified_order
from garda.places.models import Region

pytestmark = pytest.mark.django_db

API = "/api/v1"
VACANCY_KEYS = {
    "id",
    "reference",
    "occupation_code",
    "occupation_title",
    "destination",
    "city",
    "sector",
    "scheme",
    "positions",
    "wage_amount",
    "wage_currency",
    "wage_period",
    "closing_date",
    "fee_free",
    "agency",
}
AGENCY_KEYS = {
    "id",
    "name",
    "licence_number",
    "status",
    "status_since",
    "status_reason",
    "licence_valid_until",
    "licensed_today",
    "head_office",
    "branches",
}
PAGE_KEYS = {"items", "count", "count_capped"}


@pytest.fixture(autouse=True)
def _fresh_budget():
    caches[throttles.CACHE_ALIAS].clear()
    yield
    caches[throttles.CACHE_ALIAS].clear()


@pytest.fixture
def company(rina):
    return PlacementAgency.objects.get(staff__user=rina)


def get(path, **params):
    return Client().get(API + path, params)


def post(payload, client=None):
    return (client or Client()).post(f"{API}/job-check", payload, content_type="application/json")


MALAYSIA = {
    "destination": "MY",
    "city": "Kuala Lumpur",
    "sector": "manufacturing",
    "occupation_code": "8211",
    "occupation_title": "Perakit di pabrik",
    "wage_amount": Decimal("1800"),
    "wage_currency": "MYR",
}


# --- vacancies ----------------------------------------------------------------------------


def test_vacancies_lists_only_verified_open_orders_in_the_contract_shape(rina, alice, company):
    published = verified_order(rina, alice)
    make_order(rina)
    closed = verified_order(rina, alice)
    JobOrder.objects.filter(pk=closed.pk).update(status=JobOrder.Status.CLOSED)
    past = verified_order(rina, alice)
    JobOrder.objects.filter(pk=past.pk).update(closing_date=timezone.localdate() - timedelta(1))

    response = get("/vacancies")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == PAGE_KEYS
    assert body["count"] == 1
    (item,) = body["items"]
    assert set(item) == VACANCY_KEYS
    assert item["id"] == published.pk and item["reference"] == published.reference
    assert item["destination"] == "HK" and item["occupation_code"] == "9111"
    assert Decimal(item["wage_amount"]) == Decimal("5200")
    assert item["wage_currency"] == "HKD" and item["wage_period"] == "month"
    assert item["closing_date"] == published.closing_date.isoformat()
    assert item["agency"] == {
        "id": company.pk,
        "name": "PT Rina Sejahtera",
        "licence_number": "KEP.RINA/2025",
        "status": "active",
        "licensed_today": True,
    }


def test_vacancies_filter_and_page(rina, alice):
    for _n in range(3):
        verified_order(rina, alice)
    kl = verified_order(rina, alice, **MALAYSIA)
    assert [i["id"] for i in get("/vacancies", destination="MY").json()["items"]] == [kl.pk]
    assert get("/vacancies", destination="my").json()["count"] == 1
    assert get("/vacancies", sector="domestic").json()["count"] == 3
    assert get("/vacancies", occupation="8211").json()["count"] == 1
    assert get("/vacancies", scheme="independent").json()["count"] == 0
    page = get("/vacancies", page=2, page_size=2).json()
    assert page["count"] == 4 and len(page["items"]) == 2
    assert get("/vacancies", page_size=100000).status_code == 422


def test_vacancies_read_in_few_queries(rina, alice, django_assert_max_num_queries):
    for _n in range(5):
        verified_order(rina, alice)
    with django_assert_max_num_queries(3):
        assert get("/vacancies").json()["count"] == 5


def test_one_vacancy_and_404_for_any_other_order(rina, alice):
    order = verified_order(rina, alice)
    response = get(f"/vacancies/{order.pk}")
    assert response.status_code == 200
    body = response.json()
    assert VACANCY_KEYS <= set(body)
    assert body["hours_per_day"] == 8 and body["contract_months"] == 24
    assert body["worker_costs"] == [] and body["fee_free"] is True
    assert {c["result"] for c in body["checks"]} == {"pass"}
    assert set(body["checks"][0]) == {"code", "result", "message"}
    for state in ("draft", "submitted", "rejected", "closed", "cancelled"):
        JobOrder.objects.filter(pk=order.pk).update(status=state)
        missing = get(f"/vacancies/{order.pk}")
        assert missing.status_code == 404
        assert set(missing.json()) == {"detail", "errors"}
    assert get("/vacancies/999999").status_code == 404


# --- the licence register -------------------------------------------------------------------


def test_agencies_by_name_and_number_with_branches(company):
    province = Region.objects.create(
        code="31",
        name="Daerah Khusus Ibukota Jakarta",
        level="province",
        first_edition=1,
        last_edition=1,
    )
    east = Region.objects.create(
        code="31.75",
        name="Kota Administrasi Jakarta Timur",
        level="regency",
        parent=province,
        first_edition=1,
        last_edition=1,
    )
    AgencyBranch.objects.create(agency=company, region=east)
    make_agency("PT Maju Sejahtera", "KEP.100/2024")
    body = get("/placement-agencies", q="rina").json()
    assert set(body) == PAGE_KEYS and body["count"] == 1
    (item,) = body["items"]
    assert set(item) == AGENCY_KEYS
    assert item["name"] == "PT Rina Sejahtera" and item["licence_number"] == "KEP.RINA/2025"
    assert item["status"] == "active" and item["licensed_today"] is True
    assert item["licence_valid_until"] == company.licence_valid_until.isoformat()
    assert item["branches"] == ["Kota Jakarta Timur, DKI Jakarta"]
    by_number = get("/placement-agencies", q="kep.100/2024").json()
    assert [i["name"] for i in by_number["items"]] == ["PT Maju Sejahtera"]
    assert get("/placement-agencies", q="PT Bodong").json() == {
        "items": [],
        "count": 0,
        "count_capped": False,
    }
    detail = get(f"/placement-agencies/{company.pk}")
    assert detail.status_code == 200 and detail.json() == item
    assert get("/placement-agencies/999999").status_code == 404


def test_agencies_read_in_few_queries(django_assert_max_num_queries):
    for n in range(6):
        make_agency(f"PT Agen {n}", f"KEP.{n}/2024")
    with django_assert_max_num_queries(3):
        assert get("/placement-agencies", q="agen").json()["count"] == 6


def test_a_suspended_company_is_not_licensed_today():
    make_agency("PT Nakal", "KEP.9/2023", status="suspended", status_reason="Menahan paspor")
    (item,) = get("/placement-agencies", q="nakal").json()["items"]
    assert item["status"] == "suspended" and item["licensed_today"] is False
    assert item["status_reason"] == "Menahan paspor"


# --- "is this job real?" ---------------------------------------------------------------------

SOUND = {
    "agency": "PT Rina Sejahtera",
    "destination": "HK",
    "sector": "domestic",
    "occupation_code": "9111",
    "wage_amount": "5200",
    "wage_currency": "HKD",
    "wage_period": "month",
}


def test_job_check_ok_with_the_matching_order(rina, alice, company):
    order = verified_order(rina, alice)
    response = post(SOUND)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"verdict", "checks", "matching_orders"}
    assert body["verdict"] == "ok"
    assert body["matching_orders"] == [order.pk]
    assert all(set(c) == {"code", "result", "message"} for c in body["checks"])
    codes = {c["code"] for c in body["checks"]}
    assert {"agency_licence", "wage_floor", "destination_closed"} <= codes


def test_job_check_warning_and_danger():
    floor = facts.floor_for("HK", "9111", timezone.localdate())
    rates = facts.data().rates
    usd = floor.amount * Decimal(str(rates["HKD"])) / Decimal(str(rates["USD"])) * Decimal("0.98")
    usd = usd.quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    warning = post({**SOUND, "agency": "", "wage_amount": str(usd), "wage_currency": "USD"}).json()
    assert warning["verdict"] == "warning"
    danger = post(
        {
            **SOUND,
            "agency": "PT Bodong",
            "worker_costs": [{"item": "Biaya penempatan", "amount": "25000000", "currency": "IDR"}],
        }
    ).json()
    assert danger["verdict"] == "danger"
    failed = {c["code"] for c in danger["checks"] if c["result"] == "fail"}
    assert failed == {"agency_licence", "worker_fee"}
    assert danger["matching_orders"] == []


def test_job_check_stores_nothing_but_tallies(rina, alice):
    verified_order(rina, alice)
    orders, agencies, events = (
        JobOrder.objects.count(),
        PlacementAgency.objects.count(),
        AuditEvent.objects.count(),
    )
    post({**SOUND, "agency": "PT Rahasia", "employer": "Majikan Rahasia"})
    assert (JobOrder.objects.count(), PlacementAgency.objects.count()) == (orders, agencies)
    assert AuditEvent.objects.count() == events
    assert JobCheckTally.objects.filter(code="agency_licence", result="fail").get().count == 1


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"destination": "XX"}, "destination"),
        ({"destination": "HK", "wage_amount": "-1"}, "wage_amount"),
        (
            {"destination": "HK", "worker_costs": [{"item": "Visa", "amount": "-5"}]},
            "worker_costs.0.amount",
        ),
        (
            {
                "destination": "HK",
                "worker_costs": [{"item": "Visa", "amount": "5", "currency": "XYZ"}],
            },
            "worker_costs.0.currency",
        ),
        ({"destination": "HK", "wage_amount": "banyak"}, "wage_amount"),
        ({}, ""),
    ],
)
def test_job_check_bad_input_is_a_422_in_the_error_format(payload, field):
    response = post(payload)
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert field in [e["field"] for e in body["errors"]]
    assert all(e["message"] for e in body["errors"])
    assert JobCheckTally.objects.count() == 0


def test_job_check_more_than_five_costs_is_refused():
    costs = [{"item": f"Biaya {n}", "amount": "1"} for n in range(6)]
    response = post({"destination": "HK", "worker_costs": costs})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "worker_costs"


@override_settings(GARDA_JOB_CHECK_RATE="2/h")
def test_job_check_is_throttled_with_the_page():
    assert post({"destination": "ZZ"}).status_code == 422  # not counted
    assert post(SOUND).status_code == 200
    assert Client().post(reverse("jobs:job_check"), {"destination": "HK"}).status_code == 200
    response = post(SOUND)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert set(response.json()) == {"detail", "errors"}
