from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.test import Client

from conftest import verified_client


@pytest.mark.django_db
def test_healthz_ok():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_503_when_the_database_is_down():
    from django.db import connection

    with mock.patch.object(connection, "cursor", side_effect=OperationalError("down")):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.django_db
def test_security_headers_on_pages(alice):
    response = verified_client(alice).get("/accounts/agencies/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store"
    assert response["X-Request-ID"]


@pytest.mark.django_db
def test_pages_serve_their_own_assets_no_cdn():
    html = Client().get("/").content.decode()
    assert "/static/garda/htmx.min.js" in html
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html
    assert Client().get("/static/garda/htmx.min.js").status_code == 200


@pytest.mark.django_db
def test_language_switch(wati):
    client = Client()
    assert "Masuk" in client.get("/accounts/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert "Log in" in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_pages_are_indonesian_even_for_an_english_browser_until_english_is_chosen():
    client = Client()
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "<h1>Masuk</h1>" in page.content.decode()
    api = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert api.json()["detail"] == "Authentication required."
