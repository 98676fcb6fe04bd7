"""The job-order API as other systems use it (the issue's contract): create, submit,
verify or refuse with the failed checks, the checks' shape, PATCH changing only what
it names, the recruiter's scope, and the problematic list taking an order off the
board."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.jobs import access
from garda.jobs.models import JobOrder, JobOrderEvent, Recruiter
from garda.jobs.tests.factories import (
    make_agency,
    make_employer,
    make_order,
    make_recruiter,
    verified_order,
)

pytestmark = pytest.mark.django_db

BODY = {
    "destination": "HK",
    "scheme": "p2p",
    "sector": "domestic",
    "occupation_code": "9111",
    "positions": 5,
    "positions_female": 5,
    "wage_amount": "5200",
    "wage_currency": "HKD",
    "wage_period": "month",
    "hours_per_day": 8,
    "days_per_week": 6,
    "rest_days_per_month": 4,
    "leave_days_per_year": 12,
    "contract_months": 24,
    "insurance": "BPJS Ketenagakerjaan",
    "ticket_paid_by": "employer",
    "worker_costs": [],
    # Before the end of the recruiters' company licence (a year from today).
    "closing_date": (timezone.localdate() + timedelta(days=90)).isoformat(),
}


def post(client, path, body=None):
    return client.post(path, body or {}, content_type="application/json")


@pytest.fixture
def company(rina):
    return Recruiter.objects.get(user=rina).agency


def test_a_recruiter_writes_submits_and_an_officer_verifies(rina, alice, company):
    writer = verified_client(rina)
    response = post(writer, "/api/v1/job-orders", {**BODY, "agency_id": 999999})
    assert response.status_code == 201, response.content
    body = response.json()
    order = JobOrder.objects.get(pk=body["id"])
    assert order.agency == company  # a recruiter's order is always their company's
    assert body["status"] == "draft" and body["fee_free"] is True
    assert body["reference"].startswith("JO-")

    response = writer.get(f"/api/v1/job-orders/{order.pk}/checks")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert {c["code"] for c in checks} == {
        "destination_closed",
        "agency_licence",
        "employer_listed",
        "worker_fee",
        "wage_floor",
        "contract_terms",
        "positions",
    }
    assert all(set(c) == {"code", "result", "message"} for c in checks)
    assert all(c["result"] == "pass" for c in checks)

    assert post(writer, f"/api/v1/job-orders/{order.pk}/submit").json()["status"] == "submitted"
    # A recruiter does not verify their own order.
    assert post(writer, f"/api/v1/job-orders/{order.pk}/verify").status_code == 403
    response = post(verified_client(alice), f"/api/v1/job-orders/{order.pk}/verify")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "verified"
    assert access.vacancies().filter(pk=order.pk).exists()


def test_verify_refuses_with_the_failed_checks(rina, alice):
    writer = verified_client(rina)
    cheap = {
        **BODY,
        "wage_amount": "4000",
        "worker_costs": [{"item": "Biaya pelatihan", "amount": "7500000", "currency": "IDR"}],
    }
    order_id = post(writer, "/api/v1/job-orders", cheap).json()["id"]
    post(writer, f"/api/v1/job-orders/{order_id}/submit")
    response = post(verified_client(alice), f"/api/v1/job-orders/{order_id}/verify")
    assert response.status_code == 409
    body = response.json()
    failed = {c["code"] for c in body["checks"] if c["result"] == "fail"}
    assert failed == {"wage_floor", "worker_fee"}
    wage = next(c for c in body["checks"] if c["code"] == "wage_floor")
    assert "HKD 5.100" in wage["message"]  # the floor, in Indonesian number format
    assert JobOrder.objects.get(pk=order_id).status == "submitted"
    assert AuditEvent.objects.filter(
        object_id=str(order_id), reason__startswith="verification refused"
    ).exists()


def test_a_warning_needs_a_reason_before_publishing(rina, alice):
    writer = verified_client(rina)
    heavy = {**BODY, "hours_per_day": 10}
    order_id = post(writer, "/api/v1/job-orders", heavy).json()["id"]
    post(writer, f"/api/v1/job-orders/{order_id}/submit")
    officer = verified_client(alice)
    response = post(officer, f"/api/v1/job-orders/{order_id}/verify")
    assert response.status_code == 409
    assert response.json()["warnings_need_reason"] == ["contract_terms"]
    response = post(
        officer,
        f"/api/v1/job-orders/{order_id}/verify",
        {"accepted_warnings": {"contract_terms": "Lembur dibayar sesuai hukum Hong Kong"}},
    )
    assert response.status_code == 200
    assert response.json()["accepted_warnings"] == {
        "contract_terms": "Lembur dibayar sesuai hukum Hong Kong"
    }


def test_stages_cannot_be_skipped(rina, alice):
    order_id = post(verified_client(rina), "/api/v1/job-orders", BODY).json()["id"]
    response = post(verified_client(alice), f"/api/v1/job-orders/{order_id}/verify")
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "not_allowed"
    assert (
        "Nothing was changed" in response.json()["detail"]
        or "Tidak ada" in (response.json()["detail"])
    )
    assert JobOrder.objects.get(pk=order_id).status == "draft"
    assert JobOrderEvent.objects.filter(order_id=order_id).count() == 1  # created only


def test_patch_changes_only_what_it_names(rina):
    writer = verified_client(rina)
    created = post(writer, "/api/v1/job-orders", {**BODY, "city": "Kowloon"}).json()
    response = writer.patch(
        f"/api/v1/job-orders/{created['id']}",
        {"positions": 8, "version": created["version"]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["positions"] == 8
    assert body["city"] == "Kowloon" and body["insurance"] == "BPJS Ketenagakerjaan"
    # The version read before is stale now.
    stale = writer.patch(
        f"/api/v1/job-orders/{created['id']}",
        {"positions": 9, "version": created["version"]},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert stale.json()["errors"][0]["code"] == "version_conflict"
    assert JobOrder.objects.get(pk=created["id"]).positions == 8


def test_changing_a_published_order_sends_it_back(rina, alice):
    order = verified_order(rina, alice)
    response = verified_client(rina).patch(
        f"/api/v1/job-orders/{order.pk}", {"wage_amount": "5300"}, content_type="application/json"
    )
    assert response.json()["status"] == "submitted"
    assert not access.vacancies().filter(pk=order.pk).exists()


def test_another_companys_order_is_not_found(rina, alice):
    other = make_agency("PT Lain", "KEP.9/2025")
    colleague = make_recruiter(other, "lain@example.org")
    order = make_order(colleague)
    client = verified_client(rina)
    for method, path in (
        ("get", f"/api/v1/job-orders/{order.pk}"),
        ("get", f"/api/v1/job-orders/{order.pk}/checks"),
        ("post", f"/api/v1/job-orders/{order.pk}/submit"),
        ("patch", f"/api/v1/job-orders/{order.pk}"),
    ):
        before = AuditEvent.objects.filter(action="denied").count()
        response = getattr(client, method)(path, {}, content_type="application/json")
        assert response.status_code == 404, (method, path)
        assert AuditEvent.objects.filter(action="denied").count() == before + 1
    listed = client.get("/api/v1/job-orders").json()
    assert order.pk not in [row["id"] for row in listed["items"]]
    assert JobOrder.objects.get(pk=order.pk).status == "draft"


def test_bad_input_is_refused_clearly_and_writes_nothing(rina):
    client = verified_client(rina)
    before = JobOrder.objects.count()
    response = post(
        client, "/api/v1/job-orders", {**BODY, "destination": "XX", "wage_amount": "-5"}
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"destination", "wage_amount"} <= fields
    response = post(
        client,
        "/api/v1/job-orders",
        {**BODY, "worker_costs": [{"item": "Medical", "amount": "-100", "currency": "IDR"}]},
    )
    assert response.status_code == 422
    assert JobOrder.objects.count() == before


def test_roles_that_never_write_orders(bob, wati, teguh):
    for user in (bob, wati, teguh):
        before = AuditEvent.objects.filter(action="denied").count()
        response = post(verified_client(user), "/api/v1/job-orders", BODY)
        assert response.status_code == 403
        assert AuditEvent.objects.filter(action="denied").count() == before + 1
    assert post(verified_client(bob), "/api/v1/job-orders", BODY).status_code == 403


def test_listing_an_employer_takes_its_orders_off_the_board(rina, alice, bob):
    employer = make_employer("Bad Boss Household")
    order = verified_order(rina, alice, employer=employer)
    response = post(
        verified_client(bob),
        "/api/v1/problem-listings",
        {"employer_id": employer.pk, "reason": "Gaji ditahan", "source": "Nota KJRI HK"},
    )
    assert response.status_code == 201, response.content
    order.refresh_from_db()
    assert order.status == "submitted"
    assert not access.vacancies().filter(pk=order.pk).exists()
    listed = verified_client(alice).get(f"/api/v1/employers/{employer.pk}").json()
    assert listed["listed"] is True
    # Recruiters learn of it through their order, not the list.
    assert post(verified_client(rina), "/api/v1/problem-listings", {}).status_code == 403


def test_order_list_reads_in_a_fixed_number_of_queries(rina, alice, django_assert_max_num_queries):
    for _ in range(5):
        make_order(rina)
    client = verified_client(alice)
    client.get("/api/v1/job-orders")  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/job-orders")
    assert response.json()["count"] == 5
