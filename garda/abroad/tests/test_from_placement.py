"""A worker placed through Garda who arrives gets their stay abroad from the placement
(garda/jobs/signals.py): the country, city, employer and contract, the emergency
contact from their family, so reminders and check-ins hold them from the first day.
Without a city or an emergency contact nothing is opened and the arrival still is."""

import pytest

from garda.abroad.models import Stay
from garda.abroad.tests.conftest import country
from garda.jobs.services import placement as svc
from garda.jobs.tests.factories_placement import make_placement, open_order, ready_to_leave
from garda.people.models import FamilyContact

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def hong_kong(db):
    return country("HK", "HKG", "344", "Hong Kong", "Hong Kong")


def _arrived(admin, order, *, with_contact=True):
    placement = ready_to_leave(admin, make_placement(admin, order))
    if with_contact:
        FamilyContact.objects.create(
            person=placement.person,
            name="Ibu Sumi",
            relation="parent",
            phone="+6281234500011",
            is_emergency_contact=True,
        )
    placement = svc.placement_depart(actor=admin, placement=placement)
    return svc.placement_arrive(actor=admin, placement=placement)


def test_the_stay_opens_from_the_placement(admin_user, rina, alice):
    order = open_order(rina, alice, city="Hong Kong")
    placement = _arrived(admin_user, order)
    stay = Stay.objects.get(person=placement.person)
    assert stay.departure == "placed" and stay.country_id == order.destination
    assert stay.city == "Hong Kong" and stay.employer_name == placement.employer.name
    assert stay.contract_end == placement.ends_on
    assert stay.emergency_name == "Ibu Sumi" and stay.ended_at is None


def test_no_emergency_contact_no_stay_and_the_arrival_stands(admin_user, rina, alice):
    order = open_order(rina, alice, city="Hong Kong")
    placement = _arrived(admin_user, order, with_contact=False)
    assert placement.status == "arrived"
    assert not Stay.objects.filter(person=placement.person).exists()
