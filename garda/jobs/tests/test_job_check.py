"""'Is this job real?' (views/public.py `job_check`): each verdict in plain words,
the checks with a word for each result, the matching verified vacancies, nothing
typed stored (only the tallies), clear errors beside the fields, and the budget per
client address (shared with `POST /api/v1/job-check`)."""

from datetime import date
from decimal import ROUND_DOWN, Decimal

import pytest
from django.apps import apps
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from garda.jobs import facts, throttles
from garda.jobs.models import JobCheckTally, PlacementAgency, ProblemListing
from garda.jobs.tests.factories import make_agency, make_employer, verified_order

pytestmark = pytest.mark.django_db

URL = reverse("jobs:job_check")


@pytest.fixture(autouse=True)
def _fresh_budget():
    caches[throttles.CACHE_ALIAS].clear()
    yield
    caches[throttles.CACHE_ALIAS].clear()


@pytest.fixture
def company(rina):
    return PlacementAgency.objects.get(staff__user=rina)


def form(**values) -> dict:
    data = {
        "agency": "",
        "employer": "",
        "destination": "HK",
        "sector": "domestic",
        "occupation_code": "9111",
        "wage_amount": "5200",
        "wage_currency": "HKD",
        "wage_period": "month",
    }
    for n in range(1, 6):
        data.update({f"cost_{n}_item": "", f"cost_{n}_amount": "", f"cost_{n}_currency": "IDR"})
    data.update(values)
    return data


def check(**values):
    response = Client().post(URL, form(**values))
    return response, response.content.decode()


def row_counts() -> dict:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def test_the_form_is_a_plain_page_with_labels():
    response = Client().get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lowongan ini asli?" in html
    for name in ("agency", "employer", "destination", "sector", "occupation_code", "cost_5_amount"):
        assert f'for="id_{name}"' in html and f'name="{name}"' in html
    assert '<option value="HK">Hong Kong</option>' in html
    assert "Garda tidak menyimpan isian Anda." in html


def test_a_sound_offer_is_ok_and_links_the_matching_vacancy(rina, alice, company):
    order = verified_order(rina, alice)
    response, html = check(agency="PT Rina Sejahtera")
    assert response.status_code == 200
    assert 'data-verdict="ok"' in html
    assert "Tidak ada masalah yang ditemukan dari isian Anda" in html
    assert "Gaji HKD 5.200 per bulan memenuhi upah minimum" in html
    assert "Lolos" in html and 'data-result="fail"' not in html
    assert reverse("jobs:vacancy", args=[order.pk]) in html
    assert reverse("jobs:agency_public", args=[company.pk]) in html


def test_a_wage_just_under_the_floor_in_another_currency_is_a_warning():
    floor = facts.floor_for("HK", "9111", timezone.localdate())
    rates = facts.data().rates
    usd = floor.amount * Decimal(str(rates["HKD"])) / Decimal(str(rates["USD"])) * Decimal("0.98")
    usd = usd.quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    response, html = check(wage_amount=str(usd), wage_currency="USD")
    assert response.status_code == 200
    assert 'data-verdict="warning"' in html
    assert "Hati-hati: ada yang perlu dicek" in html
    assert 'data-result="warn"' in html and "Perlu dicek" in html
    assert 'id="advice"' in html


@pytest.mark.parametrize(
    "values, words",
    [
        ({"agency": "PT Bodong Jaya"}, "Tidak ada perusahaan penempatan berizin"),
        ({"wage_amount": "3000"}, "di bawah upah minimum"),
        (
            {"cost_1_item": "Biaya penempatan", "cost_1_amount": "25000000"},
            "pekerjaan bebas biaya",
        ),
    ],
)
def test_a_bad_offer_is_danger_with_the_reason_in_words(values, words):
    response, html = check(**values)
    assert response.status_code == 200
    assert 'data-verdict="danger"' in html
    assert "Bahaya: tawaran ini melanggar aturan" in html
    assert 'data-result="fail"' in html and "Gagal" in html
    assert words in html
    # The advice: don't pay, don't hand over the passport, where to ask.
    assert 'id="advice"' in html and "paspor" in html
    assert reverse("cases:report") in html


@pytest.mark.parametrize("status", ["suspended", "revoked"])
def test_a_suspended_or_revoked_company_is_danger(status):
    make_agency("PT Nakal Jaya", "KEP.9/2023", status=status)
    _r, html = check(agency="KEP.9/2023")
    assert 'data-verdict="danger"' in html
    assert "tunda layanan" in html or "dicabut" in html


def test_a_listed_employer_is_danger():
    listed = make_employer("Bad Boss Household", "HK")
    ProblemListing.objects.create(
        employer=listed,
        country="HK",
        reason="Gaji tidak dibayar",
        source="Nota KJRI Hong Kong",
        listed_on=date(2026, 1, 5),
    )
    _r, html = check(employer="bad boss household")
    assert 'data-verdict="danger"' in html
    assert "daftar majikan dan mitra bermasalah" in html and "Gaji tidak dibayar" in html


def test_nothing_typed_is_stored_only_the_tallies(rina, alice):
    verified_order(rina, alice)
    before = row_counts()
    check(agency="PT Rahasia Sekali", employer="Majikan Rahasia", wage_amount="3000")
    check(agency="PT Rahasia Sekali")
    after = row_counts()
    changed = {label for label in after if after[label] != before[label]}
    assert changed == {"jobs.JobCheckTally"}
    today = timezone.localdate()
    tallies = {(t.code, t.result): t.count for t in JobCheckTally.objects.filter(day=today)}
    assert tallies[("agency_licence", "fail")] == 2
    assert tallies[("wage_floor", "fail")] == 1
    assert tallies[("wage_floor", "pass")] == 1
    assert tallies[("employer_listed", "pass")] == 1
    assert tallies[("destination_closed", "pass")] == 2


@pytest.mark.parametrize(
    "values, field, words",
    [
        ({"wage_amount": "-5"}, "wage_amount", "0"),
        ({"wage_amount": "lima ribu"}, "wage_amount", "bilangan"),
        ({"cost_1_item": "Visa"}, "cost_1_amount", "“Visa”"),
        ({"cost_2_amount": "-100"}, "cost_2_amount", "0"),
        ({"destination": "XX"}, "destination", "XX"),
    ],
)
def test_bad_input_is_shown_beside_the_field_and_nothing_is_counted(values, field, words):
    response, html = check(**values)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in html or "has-error" in html
    assert words in html
    assert "<title>Galat:" in html or "<title>Error:" in html or "<title>Kesalahan:" in html
    assert JobCheckTally.objects.count() == 0


def test_an_empty_form_asks_for_something_to_check():
    blank = {"destination": "", "sector": "", "occupation_code": "", "wage_amount": ""}
    response, html = check(**blank)
    assert response.status_code == 400
    assert "Isi paling tidak nama atau nomor izin perusahaan" in html
    assert JobCheckTally.objects.count() == 0


@override_settings(GARDA_JOB_CHECK_RATE="2/h")
def test_the_page_is_throttled_per_address_and_typos_do_not_count():
    client = Client()
    assert client.post(URL, form(wage_amount="-1")).status_code == 400  # not counted
    assert client.post(URL, form()).status_code == 200
    assert client.post(URL, form()).status_code == 200
    response = client.post(URL, form(agency="PT Maju"))
    html = response.content.decode()
    assert response.status_code == 429
    assert 'id="throttled"' in html and "Tunggu satu jam" in html
    # What was typed stays in the form.
    assert 'value="PT Maju"' in html
    # Another address has its own budget.
    assert Client(REMOTE_ADDR="10.0.0.9").post(URL, form()).status_code == 200
    # The API shares the page's budget.
    api = Client().post("/api/v1/job-check", {"destination": "HK"}, content_type="application/json")
    assert api.status_code == 429
