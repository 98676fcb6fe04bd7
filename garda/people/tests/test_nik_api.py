"""GET /api/v1/nik/{nik}, POST /api/v1/nik/check and the NIK check page."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import verified_client

# Gambir, Jakarta Pusat (31.71.01); a woman born 1 January 1990 (day 01 + 40 = 41).
JAKARTA_WOMAN = "3171014101900001"


@pytest.mark.django_db
def test_valid_jakarta_nik(wati):
    body = verified_client(wati).get(f"/api/v1/nik/{JAKARTA_WOMAN}").json()
    assert body == {
        "nik": JAKARTA_WOMAN,
        "valid": True,
        "errors": [],
        "province": {"code": "31", "name": "Daerah Khusus Ibukota Jakarta"},
        "regency": {"code": "31.71", "name": "Kota Administrasi Jakarta Pusat"},
        "district": {"code": "31.71.01", "name": "Gambir"},
        "birth_date": "1990-01-01",
        "sex": "F",
        "is_jakarta": True,
    }


@pytest.mark.django_db
def test_unknown_district_in_indonesian_and_english(wati):
    client = verified_client(wati)
    body = client.get("/api/v1/nik/3171990101900001").json()
    assert body["valid"] is False
    assert body["errors"] == [
        {"code": "unknown_district", "message": "kode kecamatan 317199 tidak dikenal"}
    ]
    assert body["regency"]["code"] == "31.71" and body["district"] is None
    english = client.get("/api/v1/nik/3171990101900001", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["errors"][0]["message"] == "district code 317199 is unknown"


@pytest.mark.django_db
def test_invalid_input_is_a_200_report_not_an_error(wati):
    body = verified_client(wati).get("/api/v1/nik/31710141019000AB").json()
    assert body["valid"] is False
    assert [e["code"] for e in body["errors"]] == ["not_digits"]
    assert body["province"] is None and body["birth_date"] is None


@pytest.mark.django_db
def test_declared_data_mismatch_is_reported(wati):
    body = (
        verified_client(wati)
        .post(
            "/api/v1/nik/check",
            {"nik": JAKARTA_WOMAN, "birth_date": "1995-01-01", "sex": "M"},
            content_type="application/json",
        )
        .json()
    )
    assert [e["code"] for e in body["errors"]] == ["birth_date_mismatch", "sex_mismatch"]


def test_anonymous_is_401():
    assert Client().get(f"/api/v1/nik/{JAKARTA_WOMAN}").status_code == 401


@pytest.mark.django_db
def test_nik_check_page_for_officers(alice):
    client = verified_client(alice)
    page = client.post(
        reverse("people:nik_check"), {"nik": JAKARTA_WOMAN, "birth_date": "1990-01-01", "sex": "F"}
    )
    html = page.content.decode()
    assert "NIK valid" in html and "Gambir" in html and "Perempuan" in html
    partial = client.post(
        reverse("people:nik_check"), {"nik": "3171990101900001"}, HTTP_HX_REQUEST="true"
    )
    text = partial.content.decode()
    assert "<html" not in text
    assert "kode kecamatan 317199 tidak dikenal" in text
    empty = client.post(reverse("people:nik_check"), {"nik": ""})
    assert "Bidang ini tidak boleh kosong." in empty.content.decode()


@pytest.mark.django_db
def test_nik_check_page_escapes_input(alice):
    client = verified_client(alice)
    html = client.post(
        reverse("people:nik_check"), {"nik": '"><svg onload=alert(1)>'}
    ).content.decode()
    assert "<svg onload" not in html
