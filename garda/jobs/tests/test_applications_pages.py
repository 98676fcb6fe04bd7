"""The application pages: the worker applies from the vacancy page and follows,
withdraws or answers on "Lamaran saya" (plain forms, no JavaScript); officers
nominate by registry reference and move applications from the order's list;
recruiters see only their company's, and a refused move writes nothing."""

import pytest
from django.urls import reverse

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.jobs.models import Application
from garda.jobs.tests.factories_applications import (
    applied,
    at_step,
    nominated,
    open_order,
    other_company_order,
    worker_with_person,
)

pytestmark = pytest.mark.django_db
A = Application.Status


@pytest.fixture
def order(rina, alice):
    return open_order(rina, alice)


@pytest.fixture
def sri():
    return worker_with_person(301, "sri@example.org")


def test_a_worker_applies_from_the_vacancy_page(client, order, sri):
    worker, person = sri
    page = client.get(reverse("jobs:vacancy", args=[order.pk]))
    assert b'id="apply"' not in page.content  # the public sees no button
    client = verified_client(worker)
    page = client.get(reverse("jobs:vacancy", args=[order.pk]))
    assert "Lamar pekerjaan ini" in page.content.decode()
    response = client.post(reverse("jobs:application_apply", args=[order.pk]))
    assert response.status_code == 302 and response.url == reverse("jobs:my_applications")
    app = Application.objects.get()
    assert (app.person, app.status) == (person, A.APPLIED)
    mine = client.get(reverse("jobs:my_applications")).content.decode()
    assert order.occupation_title in mine and "Melamar" in mine
    # A second press says so and writes nothing.
    response = client.post(reverse("jobs:application_apply", args=[order.pk]), follow=True)
    assert "sudah ada lamaran" in response.content.decode().lower()
    assert Application.objects.count() == 1
    page = client.get(reverse("jobs:vacancy", args=[order.pk])).content.decode()
    assert "Lamar pekerjaan ini" not in page


def test_the_worker_withdraws_with_a_reason_and_nothing_without_one(order, sri):
    worker, person = sri
    app = applied(order, worker, person)
    client = verified_client(worker)
    url = reverse("jobs:application_withdraw", args=[app.pk])
    response = client.post(url, {"reason": "", "version": app.version}, follow=True)
    assert "Tuliskan alasannya" in response.content.decode()
    app.refresh_from_db()
    assert app.status == A.APPLIED
    client.post(url, {"reason": "Menikah", "version": app.version})
    app.refresh_from_db()
    assert (app.status, app.status_reason) == (A.WITHDRAWN, "Menikah")


def test_the_worker_answers_a_nomination(order, sri, alice):
    worker, person = sri
    app = nominated(order, person, alice)
    client = verified_client(worker)
    page = client.get(reverse("jobs:my_applications")).content.decode()
    assert reverse("jobs:nomination_accept", args=[app.pk]) in page
    client.post(reverse("jobs:nomination_accept", args=[app.pk]), {"version": app.version})
    app.refresh_from_db()
    assert app.status == A.APPLIED


def test_an_officer_nominates_by_reference_and_moves_from_the_list(order, sri, alice):
    _worker, person = sri
    client = verified_client(alice)
    page = client.get(reverse("jobs:order_applications", args=[order.pk]))
    assert page.status_code == 200 and 'id="nominate"' in page.content.decode()
    url = reverse("jobs:application_nominate", args=[order.pk])
    response = client.post(url, {"reference": "XX-NOBODY"}, follow=True)
    assert "Tidak ada orang" in response.content.decode()
    client.post(url, {"reference": person.reference.lower()})
    app = Application.objects.get()
    assert app.status == A.NOMINATED
    # Accepted, it moves from the list one step at a time.
    app.status = A.APPLIED
    app.save()
    move = reverse("jobs:application_move", args=[app.pk])
    response = client.post(move, {"status": "shortlisted", "version": app.version, "back": "order"})
    assert response.url == reverse("jobs:order_applications", args=[order.pk])
    app.refresh_from_db()
    assert app.status == A.SHORTLISTED
    response = client.post(move, {"status": "selected", "version": app.version}, follow=True)
    assert "tidak boleh dilewati" in response.content.decode()
    app.refresh_from_db()
    assert app.status == A.SHORTLISTED


def test_rejecting_from_the_page_needs_a_reason(order, sri, rina):
    worker, person = sri
    app = applied(order, worker, person)
    client = verified_client(rina)
    detail = client.get(reverse("jobs:application_detail", args=[app.pk])).content.decode()
    assert 'id="reject"' in detail
    assert person.nik not in detail and person.phone not in detail
    move = reverse("jobs:application_move", args=[app.pk])
    client.post(move, {"status": "rejected", "reason": " ", "version": app.version})
    app.refresh_from_db()
    assert app.status == A.APPLIED
    client.post(move, {"status": "rejected", "reason": "Umur di atas batas", "version": 1})
    app.refresh_from_db()
    assert (app.status, app.status_reason) == (A.REJECTED, "Umur di atas batas")


def test_a_recruiter_sees_only_their_company_s_applications(order, sri, rina, alice):
    other_order, _lain = other_company_order(alice)
    worker, person = sri
    theirs = applied(other_order, worker, person)
    _w2, p2 = worker_with_person(302)
    nominated(order, p2, alice)  # not accepted: not listed
    client = verified_client(rina)
    page = client.get(reverse("jobs:order_applications", args=[order.pk])).content.decode()
    assert p2.full_name not in page
    before = AuditEvent.objects.filter(action="denied").count()
    assert client.get(reverse("jobs:application_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("jobs:order_applications", args=[other_order.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="denied").count() == before + 2


def test_the_order_list_reads_in_a_fixed_number_of_queries(
    order, rina, django_assert_max_num_queries
):
    for serial in range(311, 319):
        at_step(order, *worker_with_person(serial), A.SHORTLISTED, rina)
    client = verified_client(rina)
    url = reverse("jobs:order_applications", args=[order.pk])
    with django_assert_max_num_queries(30):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('id="application-') == 8


def test_a_selected_application_leads_to_its_placement(order, alice, rina):
    """The officer makes the placement from the selected application's page; then the
    page links to it instead. A recruiter sees the application but not the button."""
    from garda.jobs.models import Placement
    from garda.jobs.tests.factories_placement import ready_person, selected_application

    app = selected_application(order, ready_person())
    url = reverse("jobs:application_detail", args=[app.pk])
    assert "Buat penempatan" not in verified_client(rina).get(url).content.decode()
    client = verified_client(alice)
    page = client.get(url).content.decode()
    assert "Buat penempatan" in page and "Buka penempatan" not in page
    response = client.post(reverse("jobs:placement_create", args=[app.pk]))
    placement = Placement.objects.get(application=app)
    assert response.url == reverse("jobs:placement_detail", args=[placement.pk])
    page = client.get(url).content.decode()
    assert "Buka penempatan" in page and "Buat penempatan" not in page


def test_an_officer_records_the_answer_a_worker_gave_by_phone(order, alice):
    """Most workers have no account: the officer records their yes, saying how; without
    saying how nothing changes; the company sees the applicant from then on."""
    from garda.jobs.tests.factories_placement import ready_person

    person = ready_person()
    app = nominated(order, person, alice)
    client = verified_client(alice)
    url = reverse("jobs:application_detail", args=[app.pk])
    assert 'id="answer"' in client.get(url).content.decode()
    accept = reverse("jobs:nomination_accept", args=[app.pk])
    client.post(accept, {"version": app.version, "reason": " "}, follow=True)
    app.refresh_from_db()
    assert app.status == A.NOMINATED
    response = client.post(accept, {"version": app.version, "reason": "Setuju lewat telepon"})
    assert response.url == url
    app.refresh_from_db()
    assert app.status == A.APPLIED
    event = app.events.get(to_status=A.APPLIED)
    assert event.actor == alice and event.reason == "Setuju lewat telepon"
    assert 'id="answer"' not in client.get(url).content.decode()


def test_an_application_keeps_the_match_as_it_stood(order, sri, alice, rina):
    """The score and its reasons are kept with the application when it is made, and
    shown on its page; the company reads the points, not what was missing."""
    worker, person = sri
    app = applied(order, worker, person)
    assert set(app.match) == {"score", "reasons", "missing"}
    assert sum(r["weight"] for r in app.match["reasons"]) == pytest.approx(app.match["score"])
    url = reverse("jobs:application_detail", args=[app.pk])
    officer_page = verified_client(alice).get(url).content.decode()
    assert 'id="match"' in officer_page
    recruiter_page = verified_client(rina).get(url).content.decode()
    assert 'id="match"' in recruiter_page and "Yang kurang saat itu" not in recruiter_page
