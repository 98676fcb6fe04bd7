"""Public verification (page and API): valid, revoked, unknown, guessing is not
feasible, only what is needed is shown."""

import re
import string

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from garda.audit.models import AuditEvent
from garda.training import throttles
from garda.training.models import Certificate
from garda.training.services.certificates import certificate_issue, certificate_revoke
from garda.training.tests.certificates_support import completed

# Every test here uses the database, also those that ask for personas by name
# (request.getfixturevalue): unmarked, pytest-django would run them after the
# transactional tests, whose flush removes the role groups.
pytestmark = pytest.mark.django_db

URL_SAFE = set(string.ascii_letters + string.digits + "-_")
KEYS = {"number", "holder_name", "course", "issued_on", "status"}


@pytest.fixture(autouse=True)
def _fresh_throttle():
    caches[throttles.CACHE_ALIAS].clear()
    yield
    caches[throttles.CACHE_ALIAS].clear()


def api(code: str):
    return Client().get(f"/api/v1/certificates/verify/{code}")


def page(code: str, lang: str = "en"):
    client = Client()
    client.cookies["django_language"] = lang
    return client.get(reverse("training:verify", args=[code]))


def _changed(code: str) -> str:
    """The code with one character changed."""
    last = code[-1]
    return code[:-1] + ("A" if last != "A" else "B")


# --- the API ----------------------------------------------------------------------------


def test_a_valid_certificate_answers_exactly_the_five_keys(wati_cert):
    response = api(wati_cert.verification_code)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == KEYS
    assert body == {
        "number": wati_cert.number,
        "holder_name": "Wati Lestari",
        "course": "Pengelasan SMAW Posisi 3G",
        "issued_on": wati_cert.issued_on.isoformat(),
        "status": "valid",
    }


def test_a_revoked_certificate_says_revoked(wati_cert, admin_user):
    certificate_revoke(actor=admin_user, certificate=wati_cert, reason="Data palsu")
    body = api(wati_cert.verification_code).json()
    assert set(body) == KEYS and body["status"] == "revoked"
    assert "Data palsu" not in str(body)


def test_an_expired_certificate_says_expired(wati_cert):
    Certificate.objects.filter(pk=wati_cert.pk).update(
        issued_on="2020-01-01", expires_on="2021-01-01"
    )
    assert api(wati_cert.verification_code).json()["status"] == "expired"


def test_unknown_codes_are_404(wati_cert):
    assert api("x" * 32).status_code == 404
    assert api(_changed(wati_cert.verification_code)).status_code == 404
    assert api("A" * 70).status_code == 404
    body = api("x" * 32).json()
    assert set(body) == {"detail", "errors"}


def test_the_readable_number_is_not_a_code(wati_cert):
    number = wati_cert.number
    assert api(number.replace("/", "%2F")).status_code == 404
    assert page(number.replace("/", "-")).status_code == 404
    assert api(str(wati_cert.pk)).status_code == 404


def test_the_code_has_at_least_128_random_bits(wati_cert, tono_person, smaw):
    code = wati_cert.verification_code
    # 32 characters of the 64-symbol URL-safe alphabet: 6 bits each, 192 bits.
    assert len(code) >= 22 and set(code) <= URL_SAFE
    assert len(code) * 6 >= 128
    other = certificate_issue(actor=None, enrolment=completed(smaw, tono_person))
    assert other.verification_code != code
    # Not derived from the readable number (which is sequential and guessable).
    assert other.number != wati_cert.number
    assert wati_cert.number not in code and str(wati_cert.pk) != code


def test_an_external_certificate_is_not_publicly_verifiable(wati_cert):
    Certificate.objects.filter(pk=wati_cert.pk).update(source="external", enrolment=None)
    assert api(wati_cert.verification_code).status_code == 404
    assert page(wati_cert.verification_code).status_code == 404


def test_a_check_writes_no_audit_row(wati_cert):
    # Issue 19 (weakness 9): one row per public answer let anyone flood the log; only
    # an address going over its budget is recorded (test_issue19_public_check.py).
    before = AuditEvent.objects.count()
    assert api(wati_cert.verification_code).status_code == 200
    assert page(wati_cert.verification_code).status_code == 200
    assert AuditEvent.objects.count() == before


def test_no_login_is_needed_and_a_session_changes_nothing(wati_cert, wati):
    from conftest import verified_client

    response = verified_client(wati).get(
        f"/api/v1/certificates/verify/{wati_cert.verification_code}"
    )
    assert set(response.json()) == KEYS


def test_guessing_is_throttled(wati_cert, settings):
    settings.GARDA_CERTIFICATE_VERIFY_RATE = "3/m"
    answers = [api("y" * 32).status_code for _ in range(3)]
    assert answers == [404, 404, 404]
    assert api(wati_cert.verification_code).status_code == 429


# --- the page ----------------------------------------------------------------------------


def test_the_page_is_throttled_too(wati_cert, settings):
    settings.GARDA_CERTIFICATE_VERIFY_RATE = "3/m"
    answers = [page("y" * 32).status_code for _ in range(3)]
    assert answers == [404, 404, 404]
    throttled = page(wati_cert.verification_code, lang="en")
    assert throttled.status_code == 429
    assert "Too many checks" in throttled.content.decode()
    assert "Wati Lestari" not in throttled.content.decode()


def test_the_page_shows_only_name_course_date_and_status(wati_cert):
    response = page(wati_cert.verification_code)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Wati Lestari" in html and "Pengelasan SMAW Posisi 3G" in html
    assert 'data-status="valid"' in html and ">Valid<" in html
    # Nothing more: not the number, units, person reference, provider or LSP.
    assert wati_cert.number not in html
    assert wati_cert.person.reference not in html
    assert "CERT-SMAW.001" not in html and "LSP Las" not in html
    assert response["X-Robots-Tag"].startswith("noindex")
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_page_is_indonesian_by_default(wati_cert, admin_user):
    html = page(wati_cert.verification_code, lang="id").content.decode()
    assert 'lang="id"' in html
    certificate_revoke(actor=admin_user, certificate=wati_cert, reason="Data palsu")
    revoked = page(wati_cert.verification_code).content.decode()
    assert 'data-status="revoked"' in revoked and ">Revoked<" in revoked
    assert "Data palsu" not in revoked


def test_an_unknown_code_page_says_not_found(wati_cert):
    response = page(_changed(wati_cert.verification_code))
    assert response.status_code == 404
    html = response.content.decode()
    assert 'id="not-found"' in html and "Certificate not found" in html
    assert "Wati" not in html
    assert response["X-Robots-Tag"].startswith("noindex")


def test_the_qr_url_is_absolute_and_opens_the_page(wati_cert, settings):
    from garda.training.services.certificates import verify_url

    settings.GARDA_BASE_URL = "https://garda.jakarta.go.id"
    url = verify_url(wati_cert)
    assert url.startswith(settings.GARDA_BASE_URL + "/training/verify/")
    assert re.search(re.escape(wati_cert.verification_code) + "/$", url)
    path = url[len(settings.GARDA_BASE_URL) :]
    assert Client().get(path).status_code == 200
