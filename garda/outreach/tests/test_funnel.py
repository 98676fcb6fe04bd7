"""The funnel on a known population (docs/outreach.md, "The funnel"): attribution by
the person's record after the check-in, per event, per campaign and per district,
and `funnel_rows` in a fixed number of queries whatever the number of events."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from garda.jobs.models import Placement
from garda.jobs.tests.factories_placement import make_placement, open_order, ready_person
from garda.outreach.funnel import event_funnel, funnel_groups, funnel_rows
from garda.outreach.models import Campaign, Registration
from garda.outreach.services.registrations import registration_check_in
from garda.outreach.tests.factories import make_event, register_for
from garda.people.models import Person
from garda.people.tests.factories import nik_for, register
from garda.training.models import Enrolment
from garda.training.tests.factories import make_batch, make_course, make_provider

pytestmark = pytest.mark.django_db


def _attend(event, registration, at):
    """Checked in by the officer, who types the NIK from the identity card (the NIK
    typed online links nothing by itself)."""
    registration_check_in(
        actor=event.created_by, event=event, code=registration.code, nik=registration.nik
    )
    Registration.objects.filter(pk=registration.pk).update(checked_in_at=at)


def _completed(person, on):
    n = Enrolment.objects.count() + 1
    batch = make_batch(make_course(f"course-{n}"), make_provider())
    Enrolment.objects.create(batch=batch, person=person, status="completed", completed_on=on)


@pytest.fixture
def population(alice, rina):
    """Event A (Gambir, campaign C), attended 60 days ago by:
    - Ani: in the registry since 100 days ago; trained 5 days after, placed 20 days
      after, departed 30 days after (she also attends event B of the campaign later);
    - Budi: gave his NIK, registered in the registry after the event (today);
    - Citra: in the registry before, trained *before* the event (not counted);
    - Dodi: a walk-in without a NIK (attended, no record);
    and Eka registered but never came. Event B (Matraman, campaign C) 3 days ago: Ani."""
    now = timezone.now()
    at = now - timedelta(days=60)
    campaign = Campaign.objects.create(name="Migrasi Aman")
    a = make_event(alice, title="A", campaign_id=campaign.pk, starts_at=at - timedelta(hours=1))
    b = make_event(
        alice,
        title="B",
        campaign_id=campaign.pk,
        region_code="31.75.01",
        starts_at=now - timedelta(days=3, hours=1),
    )
    ani = ready_person(serial=601, full_name="Ani")
    citra = register(serial=603, full_name="Citra")
    Person.objects.filter(pk__in=[ani.pk, citra.pk]).update(created_at=now - timedelta(days=100))
    reg = {
        "ani": register_for(a, full_name="Ani", nik=ani.nik),
        "budi": register_for(a, full_name="Budi", nik=nik_for(serial=602)),
        "citra": register_for(a, full_name="Citra", nik=citra.nik),
        "dodi": register_for(a, full_name="Dodi"),
        "eka": register_for(a, full_name="Eka"),
    }
    for name in ("ani", "budi", "citra", "dodi"):
        _attend(a, reg[name], at)
    _attend(b, register_for(b, full_name="Ani", nik=ani.nik), now - timedelta(days=3))
    budi = register(serial=602, full_name="Budi")  # after the event: linked by the NIK
    _completed(ani, timezone.localdate(at + timedelta(days=5)))
    _completed(citra, timezone.localdate(at - timedelta(days=20)))
    placement = make_placement(alice, open_order(rina, alice), ani)
    Placement.objects.filter(pk=placement.pk).update(
        created_at=at + timedelta(days=20), departed_at=at + timedelta(days=30), status="departed"
    )
    return {"a": a, "b": b, "campaign": campaign, "budi": budi}


def test_the_event_funnel_counts_by_the_record_after_attending(population):
    assert Registration.objects.get(full_name="Budi").person_id == population["budi"].pk
    f = event_funnel(population["a"])
    assert f["attended"] == 4  # Eka never came
    assert f["attended_with_record"] == 3  # Dodi has none
    assert f["already_registered"] == 2  # Ani and Citra
    assert f["registered"] == 1  # Budi, about sixty days after
    assert 59.9 <= f["registered_median_days"] <= 60.1
    assert (f["trained"], f["trained_median_days"]) == (1, 5.0)  # not Citra's earlier course
    assert (f["placed"], f["placed_median_days"]) == (1, 20.0)
    assert (f["departed"], f["departed_median_days"]) == (1, 30.0)


def test_event_b_came_after_ani_was_placed(population):
    f = event_funnel(population["b"])
    assert f["attended"] == f["already_registered"] == 1
    assert f["placed"] == f["trained"] == 0  # all of it happened before event B


def test_per_campaign_a_person_counts_once_from_the_first_check_in(population):
    today = timezone.localdate()
    (group,) = funnel_groups(today - timedelta(days=90), today, by="campaign")
    assert group["label"] == "Migrasi Aman" and group["events"] == 2
    assert group["attended"] == 4 and group["attended_with_record"] == 3
    assert group["placed"] == 1 and group["placed_median_days"] == 20.0


def test_per_district_the_events_city(population):
    today = timezone.localdate()
    groups = {g["key"]: g for g in funnel_groups(today - timedelta(days=90), today, by="district")}
    assert set(groups) == {"31.71", "31.75"}
    assert groups["31.71"]["label"] == "Kota Adm. Jakarta Pusat"
    assert groups["31.71"]["attended"] == 4 and groups["31.75"]["attended"] == 1


def test_funnel_rows_are_plain_dicts_in_a_fixed_number_of_queries(population, alice):
    today = timezone.localdate()
    start, end = today - timedelta(days=90), today + timedelta(days=30)
    with CaptureQueriesContext(connection) as few:
        rows = funnel_rows(start, end)
    assert [r["title"] for r in rows] == ["A", "B"]
    a = rows[0]
    assert a["reference"] == population["a"].reference and a["campaign"] == "Migrasi Aman"
    assert (a["district_code"], a["district"]) == ("31.71", "Kota Adm. Jakarta Pusat")
    assert (a["registrations"], a["attended"], a["registered"], a["departed"]) == (5, 4, 1, 1)
    for n in range(5):
        event = make_event(alice, title=f"Lagi {n}")
        _attend(event, register_for(event, full_name=f"Orang {n}"), timezone.now())
    with CaptureQueriesContext(connection) as many:
        assert len(funnel_rows(start, end)) == 7
    assert len(many) == len(few) <= 7
    assert funnel_rows(today + timedelta(days=100), today + timedelta(days=101)) == []
