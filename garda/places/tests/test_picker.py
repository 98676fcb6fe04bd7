"""The region picker: a village chosen by name (province → city → district → village,
or a search), the Kemendagri code kept underneath; with and without JavaScript, on the
worker's profile form and the officer's walk-in form, and the API still taking codes."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import verified_client
from garda.people.models import Person
from garda.people.tests.factories import person_data
from garda.places.models import Region
from garda.places.services import regions_load

HEADER = "code,name,level,first_edition,last_edition\n"
REGIONS = HEADER + (
    "31,Daerah Khusus Ibukota Jakarta,province,2016,2025\n"
    "31.71,Kota Administrasi Jakarta Pusat,regency,2016,2025\n"
    "31.71.01,Gambir,district,2016,2025\n"
    "31.71.01.1001,Gambir,village,2016,2025\n"
    "31.71.01.1002,Cideng,village,2016,2025\n"
    "31.71.01.1009,Kampung Lama,village,2016,2020\n"  # retired
    "31.74,Kota Administrasi Jakarta Selatan,regency,2016,2025\n"
    "31.74.01,Tebet,district,2016,2025\n"
    "31.74.01.1001,Tebet Barat,village,2016,2025\n"
    "32,Jawa Barat,province,2016,2025\n"
    "32.01,Kabupaten Bogor,regency,2016,2025\n"
    "32.01.01,Cibinong,district,2016,2025\n"
    "32.01.01.1001,Cibinong,village,2016,2025\n"
    "32.01.01.2005,Sukahati,village,2016,2025\n"
)
PICKER = reverse("places:region_picker")
ME = "/people/me/"


@pytest.fixture
def regions(db, tmp_path):
    path = tmp_path / "regions.csv"
    path.write_text(REGIONS, encoding="utf-8")
    regions_load(path=path)


def _picker(**data) -> dict:
    """What the picker's inputs submit (the hidden marker says the picker is there)."""
    return {"village_code_picker": "1", **data}


# --- the options partial (HTMX) -------------------------------------------------------


def _region_queries(context) -> int:
    return sum("places_region" in q["sql"] for q in context.captured_queries)


def test_the_cascade_offers_current_places_by_name(regions, wati):
    client = verified_client(wati)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            PICKER,
            {
                "field": "village_code",
                "village_code_picker": "1",
                "village_code_province": "31",
                "village_code_regency": "31.71",
                "village_code_district": "31.71.01",
            },
        )
    assert response.status_code == 200
    assert _region_queries(queries) == 4  # one per list, whatever their length
    html = response.content.decode()
    assert '<option value="31" selected>DKI Jakarta</option>' in html
    assert '<option value="31.71" selected>Kota Jakarta Pusat</option>' in html
    assert '<option value="31.71.01" selected>Kec. Gambir</option>' in html
    assert '<option value="31.71.01.1002">Kel. Cideng</option>' in html
    assert 'name="village_code"' in html
    assert "Kampung Lama" not in html  # retired codes are not offered
    assert "<html" not in html  # a fragment


def test_the_province_defaults_to_jakarta_but_any_may_be_chosen(regions, wati):
    client = verified_client(wati)
    html = client.get(PICKER, {"field": "village_code", "village_code_picker": "1"}).content
    assert b'<option value="31" selected>DKI Jakarta</option>' in html
    assert b"Kota Jakarta Selatan" in html and b"Kab. Bogor" not in html
    html = client.get(
        PICKER, {"field": "village_code", "village_code_picker": "1", "village_code_province": "32"}
    ).content
    assert b"Kab. Bogor" in html and b"Kota Jakarta Selatan" not in html


def test_a_changed_parent_drops_the_choices_below_it(regions, wati):
    html = (
        verified_client(wati)
        .get(
            PICKER,
            {
                "field": "village_code",
                "village_code_picker": "1",
                "village_code_province": "31",
                "village_code_regency": "31.74",  # changed from Jakarta Pusat
                "village_code_district": "31.71.01",
                "village_code": "31.71.01.1001",
            },
        )
        .content.decode()
    )
    assert '<option value="31.74" selected>' in html
    assert '<option value="31.74.01">Kec. Tebet</option>' in html
    assert "Cideng" not in html and 'id="id_village_code"' not in html


def test_search_lists_villages_with_their_full_path(regions, wati):
    client = verified_client(wati)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(
            PICKER,
            {"field": "village_code", "village_code_picker": "1", "village_code_q": "gambir"},
        ).content.decode()
    assert _region_queries(queries) == 2  # the matches, then all their parents at once
    assert 'type="radio" name="village_code" value="31.71.01.1001"' in html
    assert "Kel. Gambir, Kec. Gambir, Kota Jakarta Pusat, DKI Jakarta" in html
    # A district's name finds its villages too; the retired one never.
    assert "Kel. Cideng, Kec. Gambir" in html and "Kampung Lama" not in html
    html = client.get(
        PICKER, {"field": "village_code", "village_code_picker": "1", "village_code_q": "suka"}
    ).content.decode()
    assert "Desa Sukahati, Kec. Cibinong, Kab. Bogor, Jawa Barat" in html


def test_search_says_so_when_nothing_matches(regions, wati):
    client = verified_client(wati)
    html = client.get(
        PICKER, {"field": "village_code", "village_code_picker": "1", "village_code_q": "zzzz"}
    ).content.decode()
    assert "Tidak ada kelurahan atau desa yang berlaku bernama" in html
    html = client.get(
        PICKER, {"field": "village_code", "village_code_picker": "1", "village_code_q": "ab"}
    ).content.decode()
    assert "Ketik paling sedikit 3 huruf" in html


def test_the_options_are_for_signed_in_users_and_a_bad_field_name_is_refused(regions, wati):
    assert verified_client(wati).get(PICKER, {"field": "x<svg"}).status_code == 400
    anonymous = Client().get(PICKER, {"field": "village_code"})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url


# --- the worker's profile form, without JavaScript --------------------------------------


def test_without_javascript_a_worker_searches_then_chooses(regions, wati):
    client = verified_client(wati)
    page = client.get(ME).content.decode()
    assert 'name="village_code_q"' in page and 'name="village_code_province"' in page
    typed = person_data(serial=2, full_name="Wati Lestari")
    # Step 1: search (the "Cari" button): the form comes back with what was typed and
    # the matches, nothing saved, no error shown.
    step = client.post(ME, {**typed, **_picker(village_code_q="cideng", village_code_find="1")})
    assert step.status_code == 200
    html = step.content.decode()
    assert "Kel. Cideng, Kec. Gambir, Kota Jakarta Pusat, DKI Jakarta" in html
    assert 'value="Wati Lestari"' in html
    assert 'class="error"' not in html
    assert not Person.objects.exists()
    # Step 2: choose and save.
    saved = client.post(
        ME, {**typed, **_picker(village_code_q="cideng", village_code="31.71.01.1002")}
    )
    assert saved.status_code == 302
    person = Person.objects.get()
    assert person.village_id == "31.71.01.1002" and person.domicile_jakarta


def test_a_search_typed_but_not_chosen_is_shown_not_saved(regions, wati):
    client = verified_client(wati)
    typed = person_data(serial=2, full_name="Wati Lestari")
    response = client.post(ME, {**typed, **_picker(village_code_q="tebet")})
    assert response.status_code == 200
    assert "Kel. Tebet Barat" in response.content.decode()
    assert not Person.objects.exists()


def test_without_javascript_an_officer_chooses_step_by_step(regions, alice):
    client = verified_client(alice)
    url = reverse("people:register")
    typed = person_data(serial=1)
    step = client.post(url, {**typed, **_picker(village_code_province="32", village_code_show="1")})
    html = step.content.decode()
    assert step.status_code == 200 and "Kab. Bogor" in html and 'class="error"' not in html
    step = client.post(
        url,
        {
            **typed,
            **_picker(
                village_code_province="32",
                village_code_regency="32.01",
                village_code_district="32.01.01",
                village_code_show="1",
            ),
        },
    )
    assert '<option value="32.01.01.2005">Desa Sukahati</option>' in step.content.decode()
    assert not Person.objects.exists()
    saved = client.post(
        url,
        {
            **typed,
            **_picker(
                village_code_province="32",
                village_code_regency="32.01",
                village_code_district="32.01.01",
                village_code="32.01.01.2005",
            ),
        },
    )
    assert saved.status_code == 302
    person = Person.objects.get()
    assert person.village_id == "32.01.01.2005" and not person.domicile_jakarta


def test_stopping_at_a_district_asks_for_the_village_in_words(regions, alice):
    response = verified_client(alice).post(
        reverse("people:register"),
        {
            **person_data(serial=1),
            **_picker(
                village_code_province="31",
                village_code_regency="31.71",
                village_code_district="31.71.01",
            ),
        },
    )
    assert response.status_code == 200
    assert "Pilih kelurahan atau desa di Kec. Gambir." in response.content.decode()
    assert not Person.objects.exists()


def test_no_village_at_all_is_allowed(regions, alice):
    response = verified_client(alice).post(
        reverse("people:register"), {**person_data(serial=1), **_picker(village_code_province="31")}
    )
    assert response.status_code == 302
    assert Person.objects.get().village_id is None


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("99.99.99.9999", "Tidak ada kelurahan atau desa dengan kode 99.99.99.9999"),
        ("31.71.01.1009", "Kel. Kampung Lama (kode 31.71.01.1009) tidak ada lagi"),
        ("bukan kode", "Tidak ada kelurahan atau desa dengan kode bukan kode"),
    ],
)
def test_a_typed_invalid_or_retired_code_is_refused_in_words(regions, alice, code, message):
    response = verified_client(alice).post(
        reverse("people:register"), {**person_data(serial=1), "village_code": code}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Person.objects.exists()


def test_the_edit_form_shows_the_saved_village_chosen(regions, alice):
    client = verified_client(alice)
    client.post(
        reverse("people:register"), {**person_data(serial=1), "village_code": "31.74.01.1001"}
    )
    person = Person.objects.get()
    html = client.get(reverse("people:edit", args=[person.pk])).content.decode()
    assert '<option value="31.74" selected>Kota Jakarta Selatan</option>' in html
    assert '<option value="31.74.01.1001" selected>Kel. Tebet Barat</option>' in html


# --- the API keeps taking codes ---------------------------------------------------------


def test_the_api_still_takes_a_code_and_refuses_a_retired_one(regions, alice):
    client = verified_client(alice)
    bad = client.post(
        "/api/v1/people",
        {**person_data(serial=1), "village_code": "31.71.01.1009"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    errors = {e["field"]: e["code"] for e in bad.json()["errors"]}
    assert errors == {"village_code": "retired_village"}
    good = client.post(
        "/api/v1/people",
        {**person_data(serial=1), "village_code": "31.71.01.1001"},
        content_type="application/json",
    )
    assert good.status_code == 201, good.content
    assert good.json()["village_code"] == "31.71.01.1001"
    assert Region.objects.get(code="31.71.01.1001").name == "Gambir"


def test_a_village_is_shown_with_its_full_path(regions):
    from django.template import Context, Template

    html = Template("{% load places %}{{ code|village_path }}").render(
        Context({"code": "32.01.01.2005"})
    )
    assert html == "Desa Sukahati, Kec. Cibinong, Kab. Bogor, Jawa Barat"
