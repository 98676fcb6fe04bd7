"""One error format for every 4xx; unknown routes and bad JSON are never 500
(docs/security.md, test 12)."""

import re

import pytest
from django.test import Client

from conftest import verified_client


@pytest.mark.django_db
def test_unknown_api_route_is_404_in_the_error_format(wati):
    client = verified_client(wati)
    for path in ["/api/v1/nope", "/api/v1/agencies/abc/x", "/api/v2/anything"]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "Tidak ditemukan.", "errors": []}


@pytest.mark.django_db
def test_malformed_json_is_400(wati):
    client = verified_client(wati)
    response = client.post("/api/v1/nik/check", "{not json", content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail", "errors"}


@pytest.mark.django_db
def test_validation_errors_list_each_field(wati):
    client = verified_client(wati)
    response = client.post(
        "/api/v1/nik/check",
        {"nik": "3171014101900001", "birth_date": "1990-02-31", "sex": "X"},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Ada data yang belum benar: periksa kembali isiannya."
    fields = {e["field"] for e in body["errors"]}
    assert {"birth_date", "sex"} <= fields
    assert all(e["code"] and e["message"] for e in body["errors"])


@pytest.mark.django_db
def test_missing_field_and_bad_query_parameter(wati):
    client = verified_client(wati)
    missing = client.post("/api/v1/nik/check", {}, content_type="application/json")
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "nik"
    bad_query = client.get("/api/v1/regions?level=planet")
    assert bad_query.status_code == 422
    assert bad_query.json()["errors"][0]["field"] == "level"


@pytest.mark.django_db
def test_errors_follow_the_request_language(wati):
    client = verified_client(wati)
    response = client.get("/api/v1/nope", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["detail"] == "Not found."


def test_anonymous_api_call_is_401_in_the_error_format():
    response = Client().get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "Silakan masuk terlebih dahulu.", "errors": []}


@pytest.mark.django_db
def test_page_post_without_csrf_is_403(wati):
    client = Client(enforce_csrf_checks=True)
    client.force_login(wati)
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    assert client.get("/api/v1/me").status_code == 200  # still logged in


@pytest.mark.django_db
def test_unknown_page_is_a_404_page():
    response = Client().get("/no/such/page/")
    assert response.status_code == 404
    assert "Tidak ditemukan." in response.content.decode()


@pytest.mark.django_db
def test_openapi_schema_lists_the_operations():
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/nik/{nik}" in schema["paths"]
    assert "/api/v1/nik/check" in schema["paths"]
    docs = Client().get("/api/v1/docs")
    assert docs.status_code == 200
    # Every script and stylesheet comes from the app itself, never a CDN. (Matching the
    # word "cdn" anywhere in the page failed once: the page's random CSRF token held it.)
    page = docs.content.decode()
    assets = re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', page)
    assert assets, "the docs page loads its scripts"
    assert all(a.startswith("/static/") for a in assets), assets


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/regions?page=100000000000000000",
        "/api/v1/countries?page=0",
        "/api/v1/agencies?page=99999999999999999999",
        "/api/v1/regions?page_size=100000",
        "/api/v1/audit/events?actor=99999999999999999999",
        "/api/v1/agencies?kind=spaceship",
    ],
)
def test_out_of_range_query_values_are_422(admin_user, path):
    response = verified_client(admin_user).get(path)
    assert response.status_code == 422, response.content
    assert response.json()["errors"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/regions?q=%00",
        "/api/v1/regions/%00",
        "/api/v1/countries?q=a%00b",
        "/accounts/agencies/?kind=%00",
        "/audit/?object_type=%00",
    ],
)
def test_nul_bytes_are_400_not_500(admin_user, path):
    response = verified_client(admin_user).get(path)
    assert response.status_code == 400


@pytest.mark.django_db
def test_wrong_method_is_405_in_the_error_format(wati):
    response = verified_client(wati).delete("/api/v1/me")
    assert response.status_code == 405
    assert response.json() == {"detail": "Metode tidak diizinkan.", "errors": []}
    assert response["Allow"] == "GET"


def test_nik_in_a_logged_path_is_redacted(caplog):
    import logging

    from garda.logging import RedactIdentityNumbers

    handlers = logging.getLogger().handlers
    assert any(isinstance(f, RedactIdentityNumbers) for h in handlers for f in h.filters)
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Unauthorized: %s",
        ("/api/v1/nik/3171014101900001",),
        None,
    )
    RedactIdentityNumbers().filter(record)
    assert record.getMessage() == "Unauthorized: /api/v1/nik/[NIK]"
