"""Issue 19, the jobs surface: the attacks found reviewing the jobs app, each written
as the attack (failing before its fix), and what must keep working beside them.

- A recruiter renamed an employer on the problematic list: "is this job real?"
  finds a listing by the party's country and name, so the old name passed the check
  again (and the list then carried a name of the recruiter's choice).
- A recruiter changed an employer that another company's orders name too (an officer
  wrote that order with it): another company's published vacancy changed under it.
- A recruiter changed the employer of a published order: the vacancy board showed a
  name no officer verified, while changing the order itself sends it back.
"""

from datetime import date

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.jobs import throttles
from garda.jobs.models import Employer, ForeignPartner, JobOrder, ProblemListing
from garda.jobs.tests.factories import (
    make_agency,
    make_employer,
    make_partner,
    make_recruiter,
    verified_order,
)
from garda.jobs.tests.test_register_services import places
from garda.tests.markup import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _places():
    places()
    caches[throttles.CACHE_ALIAS].clear()
    yield
    caches[throttles.CACHE_ALIAS].clear()


def url(name, *args):
    return reverse(f"jobs:{name}", args=args)


def employer_post(employer: Employer, **changes) -> dict:
    data = {
        "name": employer.name,
        "kind": employer.kind,
        "country": employer.country,
        "city": employer.city,
    }
    data.update(changes)
    return data


def public_check(employer_name: str) -> str:
    data = {
        "agency": "",
        "employer": employer_name,
        "destination": "HK",
        "sector": "domestic",
        "occupation_code": "9111",
        "wage_amount": "5200",
        "wage_currency": "HKD",
        "wage_period": "month",
    }
    for n in range(1, 6):
        data.update({f"cost_{n}_item": "", f"cost_{n}_amount": "", f"cost_{n}_currency": "IDR"})
    return Client().post(url("job_check"), data).content.decode()


def list_it(employer=None, partner=None):
    party = employer or partner
    return ProblemListing.objects.create(
        employer=employer,
        partner=partner,
        country=party.country,
        reason="Gaji tidak dibayar",
        source="Nota KJRI Hong Kong",
        listed_on=date(2026, 1, 5),
    )


def denied(user, reason: str) -> bool:
    return AuditEvent.objects.filter(actor=user, action="denied", reason=reason).exists()


# --- the attacks -------------------------------------------------------------------------


def test_a_recruiter_cannot_rename_a_listed_employer_out_of_the_public_check(rina, alice):
    boss = make_employer("Bad Boss Household")
    verified_order(rina, alice, employer=boss)
    list_it(employer=boss)
    assert 'data-verdict="danger"' in public_check("bad boss household")

    response = verified_client(rina).post(
        url("employer_edit", boss.pk), employer_post(boss, name="Good Family Household")
    )

    assert response.status_code == 400
    assert "daftar bermasalah" in visible_text(response.content.decode())
    boss.refresh_from_db()
    assert boss.name == "Bad Boss Household"
    assert denied(rina, "jobs.employer_save:listed")
    assert 'data-verdict="danger"' in public_check("bad boss household")


def test_a_recruiter_cannot_change_a_listed_partner(rina, alice):
    partner = make_partner("Shady Agency Ltd")
    verified_order(rina, alice, partner=partner)
    list_it(partner=partner)
    data = {"name": "Clean Agency Ltd", "country": "HK", "city": "", "licence_number": "HK-1"}
    response = verified_client(rina).post(url("partner_edit", partner.pk), data)
    assert response.status_code == 400
    partner.refresh_from_db()
    assert partner.name == "Shady Agency Ltd"
    assert denied(rina, "jobs.partner_save:listed")


def test_a_recruiter_cannot_change_an_employer_another_companys_orders_name(rina, alice):
    shared = make_employer("Chan Household")
    verified_order(rina, alice, employer=shared)  # rina's company's order: rina sees it
    other = make_agency("PT Lain Jaya", "KEP.200/2024")
    # An officer wrote the other company's order with the same employer.
    theirs = verified_order(alice, alice, employer=shared, agency=other)

    response = verified_client(rina).post(
        url("employer_edit", shared.pk), employer_post(shared, city="Somewhere else")
    )

    assert response.status_code == 400
    shared.refresh_from_db()
    assert shared.city == "Hong Kong"
    assert denied(rina, "jobs.employer_save:shared")
    theirs.refresh_from_db()
    assert theirs.status == JobOrder.Status.VERIFIED


def test_a_recruiter_changing_a_published_orders_employer_sends_it_back(rina, alice):
    employer = make_employer("Chan Household")
    order = verified_order(rina, alice, employer=employer)
    assert verified_client(rina).get(url("vacancy", order.pk)).status_code == 200

    response = verified_client(rina).post(
        url("employer_edit", employer.pk), employer_post(employer, name="Royal Palace Household")
    )

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == JobOrder.Status.SUBMITTED and order.verified_by is None
    assert "setelah diverifikasi" in order.status_reason
    # Off the board until an officer verifies it again with the new name.
    assert Client().get(url("vacancy", order.pk)).status_code == 404
    assert order.events.order_by("-id").first().to_status == JobOrder.Status.SUBMITTED


# --- what keeps working -------------------------------------------------------------------


def test_a_recruiter_still_edits_their_own_unlisted_employer_and_a_draft_stays_a_draft(rina):
    employer = Employer.objects.create(
        name="Lee Household", country="HK", kind="household", created_by=rina
    )
    response = verified_client(rina).post(
        url("employer_edit", employer.pk), employer_post(employer, city="Sha Tin")
    )
    assert response.status_code == 302
    employer.refresh_from_db()
    assert employer.city == "Sha Tin"


def test_an_officer_still_changes_a_listed_or_shared_employer_without_unpublishing(rina, alice):
    boss = make_employer("Bad Boss Household")
    order = verified_order(rina, alice, employer=boss)
    listing = list_it(employer=boss)
    listing.delisted_on = date(2026, 2, 1)
    listing.save()
    response = verified_client(alice).post(
        url("employer_edit", boss.pk), employer_post(boss, city="Kowloon")
    )
    assert response.status_code == 302
    boss.refresh_from_db()
    assert boss.city == "Kowloon"
    order.refresh_from_db()
    assert order.status == JobOrder.Status.VERIFIED


def test_a_recruiter_of_another_company_added_later_is_refused_too(rina, alice):
    employer = make_employer("Chan Household")
    verified_order(rina, alice, employer=employer)
    other = make_agency("PT Lain Jaya", "KEP.200/2024")
    rudi = make_recruiter(other, email="rudi@lain.example", full_name="Rudi")
    verified_order(alice, alice, employer=employer, agency=other)
    response = verified_client(rudi).post(
        url("employer_edit", employer.pk), employer_post(employer, name="Mine now")
    )
    assert response.status_code == 400
    assert ForeignPartner.objects.count() == 0
    employer.refresh_from_db()
    assert employer.name == "Chan Household"


def test_an_officer_does_not_verify_an_employer_changed_while_she_reviewed_the_order(rina, alice):
    from garda.jobs.services.orders import order_submit
    from garda.jobs.tests.factories import make_order

    employer = make_employer("Chan Household")
    order = order_submit(actor=rina, order=make_order(rina, employer=employer))
    read_version = order.version  # the officer opens the order and reads it

    verified_client(rina).post(
        url("employer_edit", employer.pk), employer_post(employer, name="Royal Palace Household")
    )
    response = verified_client(alice).post(url("order_verify", order.pk), {"version": read_version})

    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == JobOrder.Status.SUBMITTED and order.verified_by is None


# --- a recruiter account not (or no longer) linked to a company ---------------------------


def test_a_recruiter_without_a_company_sees_no_one_elses_employers_or_partners(rina, alice):
    from conftest import make_user
    from garda.accounts import roles

    loose = make_user("loose@example.org", roles.RECRUITER, full_name="Lepas")
    unused = make_employer("Unused Household")  # no order names it
    g2g = make_employer("Government Household")
    g2g_order = verified_order(rina, alice, employer=g2g)
    JobOrder.objects.filter(pk=g2g_order.pk).update(agency=None)  # as a G-to-G order
    partner = make_partner("Idle Partner Ltd")
    client = verified_client(loose)

    text = visible_text(client.get(url("employer_list")).content.decode())
    assert "Unused Household" not in text and "Government Household" not in text
    assert "Idle Partner Ltd" not in visible_text(client.get(url("partner_list")).content.decode())
    response = client.post(url("employer_edit", unused.pk), employer_post(unused, name="Taken"))
    assert response.status_code == 404
    assert client.get(url("employer_edit", g2g.pk)).status_code == 404
    assert client.get(url("partner_edit", partner.pk)).status_code == 404
    api = client.get("/api/v1/employers").json()
    assert api["count"] == 0
    unused.refresh_from_db()
    assert unused.name == "Unused Household"


# --- a listed employer entered again under the same name ----------------------------------


def test_a_copy_of_a_listed_employer_does_not_pass_verification(rina, alice):
    from garda.jobs.services.orders import ChecksFailed, order_submit, order_verify
    from garda.jobs.tests.factories import make_order

    boss = make_employer("Bad Boss Household")
    list_it(employer=boss)
    # The recruiter enters the same employer again, as a new record.
    response = verified_client(rina).post(
        url("employer_create"),
        {"name": "Bad Boss household", "kind": "household", "country": "HK", "city": "Kowloon"},
    )
    assert response.status_code == 302
    copy = Employer.objects.exclude(pk=boss.pk).get()
    order = order_submit(actor=rina, order=make_order(rina, employer=copy))

    with pytest.raises(ChecksFailed) as refused:
        order_verify(actor=alice, order=order)

    assert "employer_listed" in {c["code"] for c in refused.value.failed}
    order.refresh_from_db()
    assert order.status == JobOrder.Status.SUBMITTED


def test_the_nightly_check_unpublishes_an_order_naming_a_copy_of_an_employer_listed_later(
    rina, alice
):
    from garda.jobs.services.orders import orders_recheck

    copy = make_employer("Bad Boss Household")
    order = verified_order(rina, alice, employer=copy)
    boss = make_employer("Bad Boss Household")  # the record the attaché's notice names
    list_it(employer=boss)
    assert orders_recheck()["unpublished"] == 1
    order.refresh_from_db()
    assert order.status == JobOrder.Status.SUBMITTED


def test_an_employer_of_another_name_still_passes(rina, alice):
    list_it(employer=make_employer("Bad Boss Household"))
    order = verified_order(rina, alice, employer=make_employer("Good Family Household"))
    assert order.status == JobOrder.Status.VERIFIED
