"""Employers and foreign partners (recruiters, officers, admins write; supervisors
read) and the problematic list (officers read; supervisors and admins list and
delist, audited). A recruiter sees only the employers their company's orders name or
they entered: another one is a 404 with a denied row."""

import pytest
from django.urls import reverse

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.jobs.models import Employer, ForeignPartner, JobOrder, ProblemListing
from garda.jobs.tests.factories import make_employer, make_partner, verified_order
from garda.jobs.tests.test_register_services import places
from garda.tests.markup import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _places():
    places()


def page_text(response) -> str:
    return visible_text(response.content.decode())


def url(name, *args):
    return reverse(f"jobs:{name}", args=args)


def denied(user) -> bool:
    return AuditEvent.objects.filter(actor=user, action="denied").exists()


EMPLOYER = {
    "name": "Wong Tai Sin Household",
    "kind": "household",
    "country": "HK",
    "city": "Kowloon",
}


# --- employers and partners ------------------------------------------------------------


@pytest.mark.parametrize("who", ["rina", "alice", "admin_user"])
def test_writers_add_and_edit_an_employer(who, request):
    user = request.getfixturevalue(who)
    client = verified_client(user)
    assert client.get(url("employer_create")).status_code == 200
    response = client.post(url("employer_create"), EMPLOYER)
    assert response.status_code == 302
    employer = Employer.objects.get(name="Wong Tai Sin Household")
    assert employer.country == "HK" and employer.created_by == user
    response = client.post(url("employer_edit", employer.pk), {**EMPLOYER, "city": "Mong Kok"})
    assert response.status_code == 302
    employer.refresh_from_db()
    assert employer.city == "Mong Kok"
    text = page_text(client.get(url("employer_list")))
    assert "Wong Tai Sin Household" in text and "Hong Kong" in text


def test_bad_employer_input_writes_nothing(alice):
    client = verified_client(alice)
    response = client.post(url("employer_create"), {**EMPLOYER, "country": "XX", "name": ""})
    assert response.status_code == 400
    text = page_text(response)
    assert "Pilih negara dari daftar." in text
    assert not Employer.objects.exists()


def test_a_recruiter_sees_only_their_employers(rina, alice):
    mine = make_employer("Chan Household")
    verified_order(rina, alice, employer=mine)
    other = make_employer("Lee Household")
    client = verified_client(rina)
    text = page_text(client.get(url("employer_list")))
    assert "Chan Household" in text and "Lee Household" not in text
    assert client.get(url("employer_edit", other.pk)).status_code == 404
    response = client.post(url("employer_edit", other.pk), {**EMPLOYER, "name": "Diubah"})
    assert response.status_code == 404
    assert denied(rina)
    other.refresh_from_db()
    assert other.name == "Lee Household"


def test_a_supervisor_reads_but_does_not_write(bob):
    make_employer()
    make_partner()
    client = verified_client(bob)
    assert "Chan Household" in page_text(client.get(url("employer_list")))
    assert "Bintang Harapan Ltd" in page_text(client.get(url("partner_list")))
    assert client.get(url("employer_create")).status_code == 403
    assert client.post(url("employer_create"), EMPLOYER).status_code == 403
    assert client.get(url("partner_create")).status_code == 403
    assert denied(bob)
    assert Employer.objects.count() == 1


@pytest.mark.parametrize("who", ["wati", "teguh", "putri"])
def test_others_get_403(who, request):
    user = request.getfixturevalue(who)
    client = verified_client(user)
    for name in ("employer_list", "partner_list", "listing_list"):
        assert client.get(url(name)).status_code == 403
    assert denied(user)


def test_partners_add_and_edit(rina):
    client = verified_client(rina)
    data = {"name": "Lucky Agency", "country": "TW", "city": "Taipei", "licence_number": "TW-9"}
    assert client.post(url("partner_create"), data).status_code == 302
    partner = ForeignPartner.objects.get(name="Lucky Agency")
    response = client.post(url("partner_edit", partner.pk), {**data, "country": ""})
    assert response.status_code == 400
    partner.refresh_from_db()
    assert partner.country == "TW"
    assert "Taiwan" in page_text(client.get(url("partner_list")))


def test_the_lists_do_not_grow_in_queries(admin_user, django_assert_max_num_queries):
    for i in range(30):
        employer = make_employer(f"Employer {i:02}", "MY" if i % 2 else "HK")
        make_partner(f"Partner {i:02}", "SG" if i % 2 else "HK")
        if i % 5 == 0:
            ProblemListing.objects.create(
                employer=employer,
                country=employer.country,
                reason="x",
                source="y",
                listed_on="2026-01-01",
            )
    client = verified_client(admin_user)
    for name in ("employer_list", "partner_list", "listing_list"):
        with django_assert_max_num_queries(12):
            assert client.get(url(name)).status_code == 200
    text = page_text(client.get(url("employer_list"), {"country": "MY"}))
    assert "Employer 01" in text and "Employer 02" not in text


# --- the problematic list --------------------------------------------------------------


def test_list_an_employer_takes_its_orders_off_the_board(bob, rina, alice):
    employer = make_employer()
    order = verified_order(rina, alice, employer=employer)
    client = verified_client(bob)
    assert client.get(url("listing_create")).status_code == 200
    response = client.post(
        url("listing_create"),
        {
            "employer": employer.pk,
            "reason": "Gaji tidak dibayar",
            "source": "Nota KJRI Hong Kong 3/2026",
            "listed_on": "2026-02-01",
        },
    )
    assert response.status_code == 302
    listing = ProblemListing.objects.get(employer=employer)
    assert AuditEvent.objects.filter(actor=bob, action="create", reason="listed").exists()
    order.refresh_from_db()
    assert order.status != JobOrder.Status.VERIFIED
    text = page_text(client.get(url("listing_list")))
    assert "Chan Household" in text and "Nota KJRI Hong Kong 3/2026" in text
    # Delisted with a reason and a date: the entry stays, among the past ones.
    response = client.post(
        url("listing_delist", listing.pk), {"reason": "Sudah dibayar", "delisted_on": "2026-03-01"}
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    assert str(listing.delisted_on) == "2026-03-01" and listing.delisting_reason == "Sudah dibayar"
    assert AuditEvent.objects.filter(actor=bob, action="update", reason="delisted").exists()
    assert "Chan Household" not in page_text(client.get(url("listing_list")))
    assert "Sudah dibayar" in page_text(client.get(url("listing_list"), {"show": "past"}))


def test_bad_listing_input_writes_nothing(admin_user):
    employer = make_employer()
    partner = make_partner()
    client = verified_client(admin_user)
    response = client.post(
        url("listing_create"),
        {
            "employer": employer.pk,
            "partner": partner.pk,
            "reason": "x",
            "source": "y",
            "listed_on": "2026-02-01",
        },
    )
    assert response.status_code == 400
    assert "Pilih pemberi kerja atau mitra, salah satu saja." in page_text(response)
    response = client.post(
        url("listing_create"), {"employer": employer.pk, "listed_on": "2026-02-01"}
    )
    assert response.status_code == 400
    assert not ProblemListing.objects.exists()
    listing = ProblemListing.objects.create(
        employer=employer, country="HK", reason="x", source="y", listed_on="2026-02-01"
    )
    response = client.post(
        url("listing_delist", listing.pk), {"reason": "Keliru", "delisted_on": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "Tanggalnya sebelum tanggal pencantuman." in page_text(response)
    listing.refresh_from_db()
    assert listing.delisted_on is None


def test_officers_read_the_list_but_do_not_keep_it(alice):
    employer = make_employer()
    listing = ProblemListing.objects.create(
        employer=employer, country="HK", reason="Kekerasan", source="Nota", listed_on="2026-02-01"
    )
    client = verified_client(alice)
    text = page_text(client.get(url("listing_list")))
    assert "Kekerasan" in text
    assert client.get(url("listing_create")).status_code == 403
    response = client.post(
        url("listing_delist", listing.pk), {"reason": "x", "delisted_on": "2026-03-01"}
    )
    assert response.status_code == 403
    assert denied(alice)
    listing.refresh_from_db()
    assert listing.delisted_on is None


def test_a_recruiter_does_not_read_the_list(rina):
    client = verified_client(rina)
    assert client.get(url("listing_list")).status_code == 403
    assert denied(rina)
