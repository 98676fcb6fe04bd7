"""The public check by a certificate's printed number and its holder's birth date
(page and API): valid, revoked, expired; a wrong birth date and an unknown number
answer alike; throttled per address; the holder's name masked."""

import re
from datetime import date

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from garda.audit.models import AuditEvent
from garda.training import throttles
from garda.training.models import Certificate
from garda.training.services.certificates import certificate_revoke
from garda.training.views.certificates import masked_name

pytestmark = pytest.mark.django_db

URL = reverse("training:certificate_check")
API = "/api/v1/certificates/check"
KEYS = {"number", "holder_name", "course", "issued_on", "status"}
BORN = date(1990, 1, 1)  # the factories' birth date


@pytest.fixture(autouse=True)
def _fresh_throttle():
    caches[throttles.CACHE_ALIAS].clear()
    yield
    caches[throttles.CACHE_ALIAS].clear()


def page(number: str, born: date = BORN, lang: str = "id", client: Client | None = None):
    client = client or Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    query = {"number": number, "day": born.day, "month": born.month, "year": born.year}
    return client.get(URL, query)


def api(number: str, born: date = BORN):
    return Client().post(
        API, {"number": number, "birth_date": born.isoformat()}, content_type="application/json"
    )


def main(response) -> str:
    """The page's <main>, without the form (which echoes what was typed)."""
    html = response.content.decode()
    body = re.search(r"<main.*?</main>", html, re.S).group(0)
    return re.sub(r"<form.*?</form>", "", body, flags=re.S)


def test_the_blank_form_works_without_an_account(wati_cert):
    response = Client().get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cek sertifikat" in html
    assert 'method="get"' in html and 'inputmode="numeric"' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"


def test_a_valid_certificate_shows_the_masked_name_the_course_and_its_state(wati_cert):
    response = page(wati_cert.number)
    assert response.status_code == 200
    html = response.content.decode()
    assert "W*** L***" in html and "Wati Lestari" not in html
    assert "Pengelasan SMAW Posisi 3G" in html
    assert '<strong class="tag tag-green">Berlaku</strong>' in html
    assert wati_cert.issued_on.year and f"{wati_cert.issued_on.year}" in html
    assert "2026-" not in main(response)  # dates in words, never ISO
    # Issue 19 (weakness 9): no audit row per public answer (the log cannot be flooded).
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()


def test_the_number_is_read_as_people_type_it(wati_cert):
    typed = " " + wati_cert.number.lower().replace("/", " / ") + " "
    assert page(typed).status_code == 200


def test_a_revoked_certificate_says_revoked_without_the_reason(wati_cert, admin_user):
    certificate_revoke(actor=admin_user, certificate=wati_cert, reason="Data palsu")
    response = page(wati_cert.number, lang="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<strong class="tag tag-red">Revoked</strong>' in html and "Data palsu" not in html
    assert api(wati_cert.number).json()["status"] == "revoked"


def test_an_expired_certificate_says_expired(wati_cert):
    Certificate.objects.filter(pk=wati_cert.pk).update(
        issued_on="2020-01-01", expires_on="2021-01-01"
    )
    assert "Kedaluwarsa" in page(wati_cert.number).content.decode()
    assert api(wati_cert.number).json()["status"] == "expired"


def test_a_wrong_birth_date_and_an_unknown_number_answer_alike(wati_cert):
    wrong_date = page(wati_cert.number, born=date(1990, 1, 2))
    unknown = page("GRD/PPKD-JT/2026/99999")
    assert wrong_date.status_code == unknown.status_code == 404
    assert "Sertifikat tidak ditemukan" in main(unknown)
    assert "W***" not in wrong_date.content.decode()
    # Byte for byte the same answer, once what the visitor typed is left out.
    assert main(wrong_date) == main(unknown)
    # The API too: the same status and the same body.
    a, b = api(wati_cert.number, born=date(1991, 1, 1)), api("GRD/PPKD-JT/2026/99999")
    assert a.status_code == b.status_code == 404
    assert a.json() == b.json() and set(a.json()) == {"detail", "errors"}
    assert not AuditEvent.objects.filter(reason="public check").exists()


def test_only_certificates_garda_issued(wati_cert):
    Certificate.objects.filter(pk=wati_cert.pk).update(source="external", enrolment=None)
    assert page(wati_cert.number).status_code == 404
    assert api(wati_cert.number).status_code == 404


def test_a_date_that_does_not_exist_is_a_form_error_in_indonesian(wati_cert):
    response = Client().get(URL, {"number": wati_cert.number, "day": 31, "month": 2, "year": 1990})
    assert response.status_code == 400
    assert "Masukkan tanggal yang benar" in response.content.decode()
    blank = Client().get(URL, {"number": "", "day": "", "month": "", "year": ""})
    assert blank.status_code == 400 and "Masukkan nomor sertifikat." in blank.content.decode()


def test_the_api_answers_exactly_the_five_keys_with_the_name_masked(wati_cert):
    response = api(wati_cert.number)
    assert response.status_code == 200
    assert response.json() == {
        "number": wati_cert.number,
        "holder_name": "W*** L***",
        "course": "Pengelasan SMAW Posisi 3G",
        "issued_on": wati_cert.issued_on.isoformat(),
        "status": "valid",
    }
    assert set(response.json()) == KEYS


def test_the_page_is_throttled_after_n_checks(wati_cert, settings):
    settings.GARDA_CERTIFICATE_CHECK_RATE = "3/h"
    answers = [page(f"GRD/X/2026/{n:05d}").status_code for n in range(3)]
    assert answers == [404, 404, 404]
    throttled = page(wati_cert.number)
    assert throttled.status_code == 429
    assert "Terlalu banyak pengecekan" in throttled.content.decode()
    assert "W***" not in throttled.content.decode()
    # The blank form does not count, and stays reachable.
    assert Client().get(URL).status_code == 200


def test_a_forged_forwarded_address_does_not_reset_the_budget(wati_cert, settings):
    """Without a trusted proxy (GARDA_PROXY_COUNT=0) the client's own X-Forwarded-For
    is not believed: each guess with a new claimed address still counts against the
    one real address, on the page and the API alike."""
    settings.GARDA_CERTIFICATE_CHECK_RATE = "3/h"
    answers = [
        page(f"GRD/X/2026/{n:05d}", client=Client(HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")).status_code
        for n in range(4)
    ]
    assert answers == [404, 404, 404, 429]
    forged = Client(HTTP_X_FORWARDED_FOR="10.9.9.9").post(
        API,
        {"number": wati_cert.number, "birth_date": BORN.isoformat()},
        content_type="application/json",
    )
    assert forged.status_code == 429


def test_the_api_is_throttled_and_shares_the_pages_budget(wati_cert, settings):
    settings.GARDA_CERTIFICATE_CHECK_RATE = "3/h"
    assert page("GRD/X/2026/00001").status_code == 404
    assert [api("GRD/X/2026/00002").status_code for _ in range(2)] == [404, 404]
    assert api(wati_cert.number).status_code == 429


def test_the_qr_verification_keeps_its_own_budget(wati_cert, settings):
    settings.GARDA_CERTIFICATE_CHECK_RATE = "1/h"
    page("GRD/X/2026/00001")
    assert page(wati_cert.number).status_code == 429
    verify = Client().get(reverse("training:verify", args=[wati_cert.verification_code]))
    assert verify.status_code == 200


def test_a_check_costs_a_bounded_number_of_queries(wati_cert):
    with CaptureQueriesContext(connection) as miss:
        page("GRD/X/2026/00001")
    with CaptureQueriesContext(connection) as hit:
        page(wati_cert.number)
    lookups = [q for q in miss.captured_queries if "training_certificate" in q["sql"]]
    assert len(lookups) == 1  # the number and the holder in one query
    assert len(hit.captured_queries) <= 10


@pytest.mark.parametrize(
    ("name", "masked"),
    [("Wati Lestari", "W*** L***"), ("Suharto", "S***"), ("  Ni  Made Ayu ", "N*** M*** A***")],
)
def test_masked_name(name, masked):
    assert masked_name(name) == masked
