"""The matching pages: the officer's "Calon yang cocok" with the points of every reason
and the near misses with what closes their gaps; the worker's "Pekerjaan yang cocok
untuk saya" with gaps, courses and their wishes (no script, plain forms)."""

import pytest
from django.urls import reverse

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.jobs.models import WorkerPreference
from garda.jobs.tests.factories import make_agency, make_recruiter, verified_order
from garda.jobs.tests.factories_matching import (
    NIK_PREFIX,
    country,
    make_course,
    make_person,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(alice):
    country("HK")
    agency = make_agency()
    return verified_order(make_recruiter(agency, email="writer@maju.example"), alice)


def test_the_officer_sees_candidates_with_points_and_near_misses_with_courses(order, alice):
    course = make_course("p3k", title="Pertolongan pertama")
    order.required_courses.add(course)
    from garda.jobs.tests.factories_matching import add_certificate

    good = make_person(full_name="Siti Aminah")
    add_certificate(good, course)
    near = make_person(full_name="Dewi Lestari")
    client = verified_client(alice)
    detail = client.get(reverse("jobs:order_detail", args=[order.pk])).content.decode()
    url = reverse("jobs:order_candidates", args=[order.pk])
    assert url in detail
    before = AuditEvent.objects.count()
    page = client.get(url, {"near": "1"})  # the near misses on request
    assert page.status_code == 200
    html = page.content.decode()
    assert "Siti Aminah" in html and "Dewi Lestari" in html
    assert "30 dari 30 poin" in html  # the skills reason with its points of its maximum
    assert reverse("training:course", args=["p3k"]) in html  # the course closing the gap
    assert html.index("Siti Aminah") < html.index('id="near-misses"') < html.index("Dewi Lestari")
    assert NIK_PREFIX not in html and good.passport_number not in html
    views = [e for e in AuditEvent.objects.order_by("id")[before:] if e.action == "view"]
    assert {e.reason for e in views} == {"candidates:1", "near_misses:1", "job matching"}
    # each person shown is a view row on that person (both lists)
    shown = {e.object_id for e in views if e.reason == "job matching"}
    assert shown == {str(good.pk), str(near.pk)}
    assert near.pk


def test_a_recruiter_gets_no_link_and_no_page(order, rina):
    client = verified_client(rina)
    detail = client.get(reverse("jobs:order_detail", args=[order.pk]))
    url = reverse("jobs:order_candidates", args=[order.pk])
    assert url not in detail.content.decode()
    assert client.get(url).status_code == 403


def test_the_worker_sees_ranked_jobs_and_saves_their_wishes(order, wati):
    own = make_person(user=wati)
    client = verified_client(wati)
    url = reverse("jobs:my_matches")
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert order.reference in html
    assert NIK_PREFIX not in html
    response = client.post(url, {"sectors": ["domestic", "care"]})
    assert response.status_code == 302
    pref = WorkerPreference.objects.get(person=own)
    assert pref.sectors == ["care", "domestic"]
    bad = client.post(url, {"sectors": ["nope"]})
    assert bad.status_code == 400
    pref.refresh_from_db()
    assert pref.sectors == ["care", "domestic"]


def test_a_worker_without_a_record_is_asked_to_complete_their_profile(order, tono):
    page = verified_client(tono).get(reverse("jobs:my_matches"))
    assert page.status_code == 200
    assert reverse("people:me") in page.content.decode()
