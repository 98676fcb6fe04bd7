"""The demo outreach of `garda demo`: a closed socialisation with check-ins (the
funnel shows them), an open job fair with Wati's registration, two announcements;
run twice, nothing is duplicated."""

import pytest

from garda.outreach.demo import populate
from garda.outreach.funnel import event_funnel
from garda.outreach.models import Announcement, Event, Registration
from garda.outreach.tests.factories import places
from garda.people.tests.factories import register

pytestmark = pytest.mark.django_db


def test_the_demo_outreach(alice, bob, wati):
    from garda.places.models import Region

    places()
    for code, name, level, parent in (
        ("31.75.01.1001", "Pisangan Baru", "village", "31.75.01"),
        ("31.74", "Kota Adm. Jakarta Selatan", "regency", "31"),
        ("31.74.01", "Tebet", "district", "31.74"),
        ("31.74.01.1001", "Tebet Timur", "village", "31.74.01"),
    ):
        Region.objects.create(
            code=code, name=name, level=level, parent_id=parent, first_edition=1, last_edition=1
        )
    for serial in (71, 72, 73):
        register(serial=serial, actor=alice)
    register(serial=74, user=wati)
    counts = populate({"alice": alice, "bob": bob, "wati": wati})
    assert counts == {"events": 4, "registrations": 6, "announcements": 2}
    past = Event.objects.get(status="closed")
    f = event_funnel(past)
    assert f["attended"] == 4 and f["attended_with_record"] == 3 and f["registered"] == 3
    assert Registration.objects.filter(person__user=wati).exists()
    assert Announcement.objects.count() == 2
    assert populate({"alice": alice, "bob": bob, "wati": wati})["events"] == 0
    assert Event.objects.count() == 4
