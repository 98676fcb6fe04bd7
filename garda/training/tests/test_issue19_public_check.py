"""Issue 19, weakness 9: the public certificate check's budget.

The outside test found the throttle counted per server process (each gunicorn worker
had its own budget) and each valid answer wrote an audit row (anyone could flood the
log). The budget now lives in the shared `throttle` cache, keyed by the address the
trusted proxy reports, and answers write no audit row: only the first refusal of an
address in a window does.
"""

from datetime import date

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from garda.audit.models import AuditEvent
from garda.training import throttles

pytestmark = pytest.mark.django_db

BORN = date(1990, 1, 1)  # the factories' birth date
CHECK_API = "/api/v1/certificates/check"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    for alias in ("default", throttles.CACHE_ALIAS):
        caches[alias].clear()
    yield
    for alias in ("default", throttles.CACHE_ALIAS):
        caches[alias].clear()


def check_page(number: str, client: Client | None = None):
    query = {"number": number, "day": BORN.day, "month": BORN.month, "year": BORN.year}
    return (client or Client()).get(reverse("training:certificate_check"), query)


def check_api(number: str, **headers):
    return Client(**headers).post(
        CHECK_API,
        {"number": number, "birth_date": BORN.isoformat()},
        content_type="application/json",
    )


def verify_api(code: str):
    return Client().get(f"/api/v1/certificates/verify/{code}")


def another_worker_process():
    """What a second gunicorn worker sees: its own memory (the `default` cache is
    per process), the shared `throttle` cache in common."""
    caches["default"].clear()


def test_the_budget_holds_across_server_processes(wati_cert, settings):
    settings.GARDA_CERTIFICATE_CHECK_RATE = "3/h"
    assert [check_api(wati_cert.number).status_code for _ in range(3)] == [200] * 3
    another_worker_process()
    assert check_api(wati_cert.number).status_code == 429
    assert check_page(wati_cert.number).status_code == 429


def test_the_qr_verification_budget_holds_across_server_processes(wati_cert, settings):
    settings.GARDA_CERTIFICATE_VERIFY_RATE = "2/m"
    assert [verify_api(wati_cert.verification_code).status_code for _ in range(2)] == [200] * 2
    another_worker_process()
    response = verify_api(wati_cert.verification_code)
    assert response.status_code == 429
    assert "Wati" not in response.content.decode()
    assert int(response["Retry-After"]) >= 1


def test_behind_a_trusted_proxy_the_budget_follows_the_reported_address(wati_cert, settings):
    """The proxy appends the real address; what the client wrote before it is ignored,
    and two real clients behind the same proxy do not share one budget."""
    settings.PROXY_COUNT = 1
    settings.GARDA_CERTIFICATE_CHECK_RATE = "2/h"
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    forged = [
        check_api(wati_cert.number, HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 203.0.113.7", **proxy)
        for n in range(3)
    ]
    assert [r.status_code for r in forged] == [200, 200, 429]
    other = check_api(wati_cert.number, HTTP_X_FORWARDED_FOR="198.51.100.9", **proxy)
    assert other.status_code == 200


def test_valid_checks_do_not_flood_the_audit_log(wati_cert, settings):
    settings.GARDA_CERTIFICATE_CHECK_RATE = "5/h"
    settings.GARDA_CERTIFICATE_VERIFY_RATE = "5/m"
    before = AuditEvent.objects.count()
    for _ in range(5):
        assert check_api(wati_cert.number).status_code == 200
        assert verify_api(wati_cert.verification_code).status_code == 200
    assert AuditEvent.objects.count() == before


def test_going_over_the_budget_is_recorded_once(wati_cert, settings):
    settings.GARDA_CERTIFICATE_CHECK_RATE = "2/h"
    answers = [check_page(f"GRD/X/2026/{n:05d}").status_code for n in range(6)]
    assert answers == [404, 404, 429, 429, 429, 429]
    denied = AuditEvent.objects.filter(action=AuditEvent.Action.DENIED)
    assert denied.count() == 1
    row = denied.get()
    assert row.actor_id is None and row.ip == "127.0.0.1"
    assert row.reason == "public certificate check over the budget"
