"""The public pages of the jobs app (views/public.py): the vacancy board and one
vacancy (only verified, open orders; anything else is a 404), and "is this company
licensed?" with its advice. In Indonesian, the default language."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from garda.audit.models import AuditEvent
from garda.jobs.models import AgencyBranch, JobOrder, PlacementAgency
from garda.jobs.services.orders import order_submit
from garda.jobs.tests.factories import (
    make_agency,
    make_employer,
    make_order,
    verified_order,
)
from garda.places.models import Region

pytestmark = pytest.mark.django_db

BOARD = reverse("jobs:vacancies")
LOOKUP = reverse("jobs:agency_lookup")


def page(url, **params):
    response = Client().get(url, params)
    return response, response.content.decode()


@pytest.fixture
def company(rina):
    return PlacementAgency.objects.get(staff__user=rina)


# --- the vacancy board ---------------------------------------------------------------


def test_the_board_lists_only_verified_open_orders_in_words(rina, alice):
    published = verified_order(rina, alice, occupation_title="Pengurus rumah tangga")
    make_order(rina, occupation_title="Draft job")
    order_submit(actor=rina, order=make_order(rina, occupation_title="Waiting job"))
    closed = verified_order(rina, alice, occupation_title="Closed job")
    JobOrder.objects.filter(pk=closed.pk).update(status=JobOrder.Status.CLOSED)
    past = verified_order(rina, alice, occupation_title="Past job")
    JobOrder.objects.filter(pk=past.pk).update(closing_date=timezone.localdate() - timedelta(1))

    response, html = page(BOARD)

    assert response.status_code == 200
    assert "Pengurus rumah tangga" in html
    for hidden in ("Draft job", "Waiting job", "Closed job", "Past job"):
        assert hidden not in html
    assert reverse("jobs:vacancy", args=[published.pk]) in html
    # The wage in words, the country by name, the company and its licence in words.
    assert "HKD 5.200 per bulan" in html
    assert "Hong Kong" in html
    assert "PT Rina Sejahtera" in html
    assert "Berizin (aktif)" in html or "aktif" in html
    assert published.closing_date.strftime("%Y") in html


def test_the_board_filters_by_destination_sector_occupation_and_scheme(rina, alice):
    verified_order(rina, alice, occupation_title="Helper HK")
    verified_order(
        rina,
        alice,
        destination="MY",
        city="Kuala Lumpur",
        sector="manufacturing",
        occupation_code="8211",
        occupation_title="Lowongan Pabrik KL",
        wage_amount=Decimal("1800"),
        wage_currency="MYR",
    )

    _r, html = page(BOARD, destination="MY")
    assert "Lowongan Pabrik KL" in html and "Helper HK" not in html
    _r, html = page(BOARD, sector="domestic")
    assert "Helper HK" in html and "Lowongan Pabrik KL" not in html
    _r, html = page(BOARD, sector="manufacturing")
    assert "Helper HK" not in html and "Lowongan Pabrik KL" in html
    _r, html = page(BOARD, occupation="9111")
    assert "Helper HK" in html and "Lowongan Pabrik KL" not in html
    _r, html = page(BOARD, scheme="p2p")
    assert "Helper HK" in html and "Lowongan Pabrik KL" in html
    _r, html = page(BOARD, scheme="independent")
    assert "Helper HK" not in html and "Lowongan Pabrik KL" not in html
    assert 'id="no-vacancies"' in html
    # An unknown value is ignored, not an error.
    response, html = page(BOARD, destination="ZZ")
    assert response.status_code == 200 and "Helper HK" in html


def test_the_board_pages_and_reads_in_few_queries(rina, alice, django_assert_max_num_queries):
    other = make_agency("PT Lain", "KEP.LAIN/1")
    for n in range(3):
        verified_order(rina, alice, occupation_title=f"Job {n}")
    Client().get(BOARD)  # warm the data files
    with django_assert_max_num_queries(8) as ctx:
        Client().get(BOARD)
    few = len(ctx.captured_queries)
    from conftest import make_user
    from garda.accounts import roles
    from garda.jobs.models import Recruiter

    lain = make_user("lain@example.org", roles.RECRUITER, full_name="Lain")
    Recruiter.objects.create(user=lain, agency=other)
    for n in range(25):
        verified_order(lain if n % 2 else rina, alice, occupation_title=f"More {n}")
    with django_assert_max_num_queries(few):
        response = Client().get(BOARD)
    assert response.content.decode().count('class="card vacancy"') == 20
    response = Client().get(BOARD, {"page": 2})
    assert response.content.decode().count('class="card vacancy"') == 8


# --- one vacancy -----------------------------------------------------------------------


def test_a_vacancy_shows_its_terms_checks_and_company(rina, alice, company):
    order = verified_order(rina, alice, employer=make_employer())
    assert order.fee_free
    response, html = page(reverse("jobs:vacancy", args=[order.pk]))
    assert response.status_code == 200
    assert "HKD 5.200 per bulan" in html
    assert "8 jam sehari, 6 hari seminggu" in html
    assert "4 hari sebulan" in html
    assert "24 bulan" in html
    assert "BPJS Ketenagakerjaan" in html
    assert "Pemberi kerja" in html  # tickets paid by the employer
    # Fee-free: said plainly.
    assert "pekerja tidak membayar apa pun" in html.lower()
    # The checks passed, each with a word.
    assert 'data-result="pass"' in html and "Lolos" in html
    assert reverse("jobs:agency_public", args=[company.pk]) in html
    # A household employer is not named.
    assert "Chan Household" not in html


def test_a_vacancy_lists_the_costs_the_worker_pays(rina, alice):
    order = verified_order(
        rina,
        alice,
        destination="MY",
        city="Kuala Lumpur",
        sector="manufacturing",
        occupation_code="8211",
        occupation_title="Lowongan Pabrik KL",
        wage_amount=Decimal("1800"),
        wage_currency="MYR",
        worker_costs=[{"item": "Pemeriksaan kesehatan", "amount": "1500000", "currency": "IDR"}],
    )
    _r, html = page(reverse("jobs:vacancy", args=[order.pk]))
    assert "Pemeriksaan kesehatan: IDR 1.500.000" in html


@pytest.mark.parametrize("state", ["draft", "submitted", "rejected", "closed", "past"])
def test_an_unpublished_order_is_404_publicly(rina, alice, state):
    order = make_order(rina)
    if state == "past":
        order = verified_order(rina, alice)
        JobOrder.objects.filter(pk=order.pk).update(
            closing_date=timezone.localdate() - timedelta(days=1)
        )
    elif state != "draft":
        JobOrder.objects.filter(pk=order.pk).update(status=state)
    before = AuditEvent.objects.count()
    response = Client().get(reverse("jobs:vacancy", args=[order.pk]))
    assert response.status_code == 404
    assert AuditEvent.objects.count() == before  # the public is not logged
    assert Client().get(reverse("jobs:vacancy", args=[999999])).status_code == 404


# --- "is this company licensed?" -------------------------------------------------------------


def test_lookup_by_name_and_by_licence_number(company):
    make_agency("PT Maju Sejahtera", "KEP.100/2024")
    for q in ("maju sejahtera", "PT. MAJU SEJAHTERA", "KEP.100/2024", "kep.100"):
        response, html = page(LOOKUP, q=q)
        assert response.status_code == 200
        assert "PT Maju Sejahtera" in html, q
        assert "PT Rina Sejahtera" not in html, q
        assert "Berlaku sampai" in html or "berlaku sampai" in html
        assert 'id="advice"' not in html
    _r, html = page(LOOKUP, q="sejahtera")
    assert "PT Maju Sejahtera" in html and "PT Rina Sejahtera" in html


def test_lookup_without_a_query_shows_only_the_form(company):
    _r, html = page(LOOKUP)
    assert 'name="q"' in html and "PT Rina Sejahtera" not in html and 'id="advice"' not in html


def test_unknown_company_gets_plain_advice():
    _r, html = page(LOOKUP, q="PT Bodong Jaya")
    assert 'id="not-found"' in html and 'id="advice"' in html
    assert "paspor" in html.lower()
    assert reverse("jobs:job_check") in html and reverse("cases:report") in html


@pytest.mark.parametrize("status", ["suspended", "revoked"])
def test_suspended_or_revoked_company_gets_the_advice(status):
    agency = make_agency(
        "PT Nakal",
        "KEP.9/2023",
        status=status,
        status_reason="Menahan paspor pekerja",
    )
    PlacementAgency.objects.filter(pk=agency.pk).update(status_since=date(2026, 3, 2))
    _r, html = page(LOOKUP, q="nakal")
    assert "PT Nakal" in html and 'id="advice"' in html
    assert "Sejak 2 Maret 2026. Alasan: Menahan paspor pekerja" in html
    assert "Izin berlaku sampai:" in html
    assert "tag-red" in html
    response, html = page(reverse("jobs:agency_public", args=[agency.pk]))
    assert response.status_code == 200
    assert 'id="advice"' in html
    assert "Menahan paspor pekerja" in html and "2 Maret 2026" in html
    word = "ditangguhkan" if status == "suspended" else "dicabut"
    assert word in html.lower()


def test_expired_licence_is_not_licensed_today():
    agency = make_agency("PT Lama", "KEP.1/2015", valid_until=date(2020, 1, 1))
    _r, html = page(LOOKUP, q="lama")
    assert 'id="advice"' in html
    _r, html = page(reverse("jobs:agency_public", args=[agency.pk]))
    assert "1 Januari 2020" in html and 'id="advice"' in html


def test_the_company_page_names_its_regions(company):
    def region(code, name, level, parent=None):
        return Region.objects.create(
            code=code, name=name, level=level, parent=parent, first_edition=1, last_edition=1
        )

    province = region("31", "Daerah Khusus Ibukota Jakarta", "province")
    head = region("31.71", "Kota Administrasi Jakarta Pusat", "regency", province)
    branch_region = region("31.75", "Kota Administrasi Jakarta Timur", "regency", province)
    PlacementAgency.objects.filter(pk=company.pk).update(head_office_region=head)
    AgencyBranch.objects.create(agency=company, region=branch_region, address="Jl. Cabang 1")
    response, html = page(reverse("jobs:agency_public", args=[company.pk]))
    assert response.status_code == 200
    assert "KEP.RINA/2025" in html
    assert "Kota Jakarta Pusat, DKI Jakarta" in html
    assert "Kota Jakarta Timur, DKI Jakarta" in html and "Jl. Cabang 1" in html
    assert head.code not in html and branch_region.code not in html
    assert 'id="advice"' not in html
    assert Client().get(reverse("jobs:agency_public", args=[999999])).status_code == 404
