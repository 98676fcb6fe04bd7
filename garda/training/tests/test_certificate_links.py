"""The certificate's verification link and QR code follow the public address
(garda/links.py): GARDA_BASE_URL, else in development the address the page was asked
on, port included, never a fixed 127.0.0.1:8000."""

import pytest
from django.urls import reverse

from conftest import verified_client
from garda.training import certificate_pdf as pdf_module

pytestmark = pytest.mark.django_db

HOST = "127.0.0.1:8123"


@pytest.fixture
def unset(settings):
    settings.GARDA_BASE_URL = ""
    settings.GARDA_SERVE_URL = ""
    return settings


def _expected(wati_cert, base=f"http://{HOST}") -> str:
    return f"{base}{reverse('training:verify', args=[wati_cert.verification_code])}"


def test_my_certificates_links_to_the_address_the_page_was_asked_on(wati, wati_cert, unset):
    html = verified_client(wati).get(reverse("training:my_certificates"), HTTP_HOST=HOST)
    assert _expected(wati_cert) in html.content.decode()
    assert "127.0.0.1:8000" not in html.content.decode()


def test_the_pdf_qr_code_points_at_the_address_the_pdf_was_asked_on(
    wati, wati_cert, unset, monkeypatch
):
    seen: list[str] = []
    make = pdf_module.qrcode.make
    monkeypatch.setattr(
        pdf_module.qrcode, "make", lambda data, **kw: seen.append(data) or make(data, **kw)
    )
    response = verified_client(wati).get(
        reverse("training:certificate_pdf", args=[wati_cert.pk]), HTTP_HOST=HOST
    )
    assert response.status_code == 200
    assert seen == [_expected(wati_cert)]
    assert _expected(wati_cert).encode() in response.content


def test_the_public_address_setting_wins(wati, wati_cert, unset):
    unset.GARDA_BASE_URL = "https://garda.jakarta.go.id"
    html = verified_client(wati).get(reverse("training:my_certificates"), HTTP_HOST=HOST)
    assert _expected(wati_cert, "https://garda.jakarta.go.id") in html.content.decode()
