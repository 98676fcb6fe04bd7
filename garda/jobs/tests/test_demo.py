"""The jobs demo of `garda demo`: licensed, suspended and revoked companies from the
sample register file, the demo recruiter at a licensed one, employers in five
countries, a partner, a listed employer, and job orders of every kind (published
ones in HK, TW, KR by G-to-G, MY and SG; rejected with a reason; a draft; one
waiting for an officer). Run twice, nothing is duplicated."""

import pytest

from conftest import make_user
from garda.accounts import roles
from garda.jobs import access
from garda.jobs.demo import DEMO_COMPANY, populate
from garda.jobs.models import (
    Employer,
    ForeignPartner,
    JobOrder,
    PlacementAgency,
    ProblemListing,
    Recruiter,
)
from garda.jobs.tests.test_register_services import places

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(admin_user, alice, bob):
    places()
    sari = make_user("sari@demo.garda.id", roles.RECRUITER, full_name="Sari Wulandari")
    return {"admin": admin_user, "alice": alice, "bob": bob, "sari": sari}


def test_the_demo_has_each_kind(users):
    made = populate(users)
    assert made["orders"] == 8
    statuses = set(PlacementAgency.objects.values_list("status", flat=True))
    assert statuses == {"active", "suspended", "revoked"}
    link = Recruiter.objects.get(user=users["sari"])
    assert link.agency.licence_number == DEMO_COMPANY and link.agency.status == "active"
    assert set(Employer.objects.values_list("country", flat=True)) >= {"HK", "TW", "MY", "SG"}
    assert ForeignPartner.objects.exists()
    assert ProblemListing.objects.filter(delisted_on__isnull=True, employer__isnull=False).exists()

    board = access.vacancies()
    published = {(o.destination, o.sector) for o in board}
    assert published >= {
        ("HK", "domestic"),
        ("TW", "care"),
        ("KR", "manufacturing"),
        ("MY", "agriculture"),
        ("SG", "domestic"),
    }
    hk = board.get(destination="HK")
    assert hk.wage_currency == "HKD" and hk.wage_amount >= 5100
    tw = board.get(destination="TW")
    assert (tw.wage_currency, tw.wage_amount) == ("TWD", 20000)
    kr = board.get(destination="KR")
    assert kr.scheme == "g2g-kr-eps" and kr.agency_id is None
    rejected = JobOrder.objects.get(status="rejected")
    assert rejected.status_reason
    assert JobOrder.objects.filter(status="draft").count() == 1
    assert JobOrder.objects.filter(status="submitted").count() == 1
    # The recruiter sees her company's orders, not the G-to-G one.
    assert access.visible_orders(users["sari"]).count() == 7

    counts = (PlacementAgency.objects.count(), Employer.objects.count(), JobOrder.objects.count())
    again = populate(users)
    assert again["orders"] == 0 and again["agencies"] == 0
    assert counts == (
        PlacementAgency.objects.count(),
        Employer.objects.count(),
        JobOrder.objects.count(),
    )
