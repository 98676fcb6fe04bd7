"""The placement pages: making a placement from a selected application, recording a
section (bad input shows messages and writes nothing), the masked numbers and their
audited reveal, the worker's own view, departure, the departures board (no N+1) and
the export for the national system (masked, no NIK, one EXPORT row)."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.crypto import MASKED
from garda.jobs.models import Application, Placement
from garda.jobs.tests.factories_placement import (
    make_placement,
    make_session,
    open_order,
    ready_person,
    ready_to_leave,
    selected_application,
)
from garda.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(rina, alice):
    return open_order(rina, alice)


@pytest.fixture
def placement(alice, order, wati):
    return make_placement(alice, order, ready_person(user=wati, full_name="Wati Lestari"))


def detail(client, placement):
    return client.get(reverse("jobs:placement_detail", args=[placement.pk]))


def test_an_officer_makes_a_placement_from_a_selected_application(alice, order):
    app = selected_application(order, ready_person())
    response = verified_client(alice).post(reverse("jobs:placement_create", args=[app.pk]))
    placement = Placement.objects.get(application=app)
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:placement_detail", args=[placement.pk])
    assert Person.objects.get(pk=app.person_id).status == "placed"


def test_a_second_click_goes_to_the_existing_placement(alice, placement):
    response = verified_client(alice).post(
        reverse("jobs:placement_create", args=[placement.application_id])
    )
    assert response["Location"] == reverse("jobs:placement_detail", args=[placement.pk])
    assert Placement.objects.filter(application=placement.application).count() == 1


def test_a_recruiter_reads_their_company_placement_and_records_the_contract(rina, placement):
    client = verified_client(rina)
    page = detail(client, placement)
    assert page.status_code == 200
    html = page.content.decode()
    assert f'action="{reverse("jobs:placement_section", args=[placement.pk, "contract"])}"' in html
    assert reverse("jobs:placement_section", args=[placement.pk, "bpjs"]) not in html
    response = client.post(
        reverse("jobs:placement_section", args=[placement.pk, "contract"]),
        {
            "contract-version": placement.version,
            "contract-signed_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "contract-months": "24",
            "contract-wage_amount": "4500",
            "contract-wage_currency": "HKD",
            "contract-wage_period": "month",
        },
    )
    assert response.status_code == 302
    placement = Placement.objects.get(pk=placement.pk)
    assert placement.differences and placement.differences[0]["lower"]
    html = detail(client, placement).content.decode()
    assert 'id="differences"' in html and "UU 18/2017" in html
    # BPJS is the office's: 404 with a denied row
    response = client.post(
        reverse("jobs:placement_section", args=[placement.pk, "bpjs"]),
        {"bpjs-bpjs_number": "12345678901", "bpjs-bpjs_programmes": ["JKK", "JKM"]},
    )
    assert response.status_code == 404


def test_bad_input_shows_a_message_in_indonesian_and_writes_nothing(alice, placement):
    client = verified_client(alice)
    before = AuditEvent.objects.exclude(action="view").count()
    response = client.post(
        reverse("jobs:placement_section", args=[placement.pk, "bpjs"]),
        {"bpjs-bpjs_number": "12345", "bpjs-bpjs_programmes": ["JKK", "JKM"]},
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert response.status_code == 400
    assert "11 digit pada kartu" in response.content.decode()
    assert AuditEvent.objects.exclude(action="view").count() == before
    assert not Placement.objects.get(pk=placement.pk).bpjs_number


def test_numbers_are_masked_and_revealed_only_by_a_recorded_post(alice, bob, placement, wati):
    ready_to_leave(alice, placement)
    for user in (alice, wati):
        html = detail(verified_client(user), placement).content.decode()
        assert "12345678901" not in html and "ID1234567" not in html
        assert MASKED in html
    # alice is not assigned to the person: the registry's rule refuses her the reveal
    response = verified_client(alice).post(reverse("jobs:placement_reveal", args=[placement.pk]))
    assert response.status_code in (403, 404)
    response = verified_client(bob).post(reverse("jobs:placement_reveal", args=[placement.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "12345678901" in html and "ID1234567" in html
    # The row is on the person, so the worker reads it in "who accessed my record".
    row = AuditEvent.objects.get(
        action="reveal", object_type="people.person", object_id=str(placement.person_id)
    )
    assert row.reason == f"placement {placement.pk}"
    # the worker never gets the reveal
    response = verified_client(wati).post(reverse("jobs:placement_reveal", args=[placement.pk]))
    assert response.status_code in (302, 403, 404)


def test_the_worker_reads_their_own_placement_audited_and_not_another(wati, tono, placement):
    response = detail(verified_client(wati), placement)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<form" not in html.split('id="card"')[1].split('id="actions"')[0] or (
        reverse("jobs:placement_section", args=[placement.pk, "contract"]) not in html
    )
    assert AuditEvent.objects.filter(
        action="view",
        object_type="people.person",
        object_id=str(placement.person_id),
        reason="placement",
    ).exists()
    assert detail(verified_client(tono), placement).status_code == 404


def test_depart_and_arrive_from_the_page(alice, placement):
    client = verified_client(alice)
    response = client.post(reverse("jobs:placement_depart", args=[placement.pk]))
    assert response.status_code == 302
    assert Placement.objects.get(pk=placement.pk).status == "preparing"  # steps missing
    placement = ready_to_leave(alice, placement)
    client.post(
        reverse("jobs:placement_depart", args=[placement.pk]), {"version": placement.version}
    )
    placement = Placement.objects.get(pk=placement.pk)
    assert placement.status == "departed"
    assert Application.objects.get(pk=placement.application_id).status == "departed"
    client.post(
        reverse("jobs:placement_arrive", args=[placement.pk]),
        {"arrive-version": placement.version, "arrive-arrived_on": timezone.localdate()},
    )
    assert Placement.objects.get(pk=placement.pk).status == "arrived"
    assert Person.objects.get(pk=placement.person_id).status == "abroad"


def test_cancel_needs_a_reason(alice, placement):
    client = verified_client(alice)
    response = client.post(reverse("jobs:placement_cancel", args=[placement.pk]), {})
    assert response.status_code == 400
    assert Placement.objects.get(pk=placement.pk).status == "preparing"
    client.post(
        reverse("jobs:placement_cancel", args=[placement.pk]),
        {"cancel-reason": "Majikan membatalkan"},
    )
    assert Placement.objects.get(pk=placement.pk).status == "cancelled"


def test_orientation_seat_from_the_page_respects_capacity(alice, order, placement):
    session = make_session(alice, capacity=1)
    other = make_placement(alice, order)
    client = verified_client(alice)
    url = reverse("jobs:placement_section", args=[placement.pk, "orientation"])
    assert client.post(url, {"orientation-orientation": session.pk}).status_code == 302
    url = reverse("jobs:placement_section", args=[other.pk, "orientation"])
    client.post(url, {"orientation-orientation": session.pk})
    assert Placement.objects.get(pk=other.pk).orientation_id is None


# --- the departures board -----------------------------------------------------------------------


def test_the_board_lists_this_week_with_missing_steps_without_n_plus_1(
    alice, bob, order, placement, django_assert_max_num_queries
):
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    ready_to_leave(alice, placement, departure=monday + timedelta(days=6))
    for _n in range(5):
        p = make_placement(alice, order)
        Placement.objects.filter(pk=p.pk).update(departure_date=monday + timedelta(days=3))
    later = make_placement(alice, order)
    Placement.objects.filter(pk=later.pk).update(departure_date=monday + timedelta(days=10))
    client = verified_client(bob)
    client.get(reverse("jobs:departures"))  # warm the session
    with django_assert_max_num_queries(14):
        response = client.get(reverse("jobs:departures"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-label="Worker"') + html.count('data-label="Pekerja"') == 6
    assert "BPJS" in html
    response = client.get(reverse("jobs:departures") + "?period=next")
    assert response.content.decode().count(reverse("jobs:placement_detail", args=[later.pk])) == 1
    with django_assert_max_num_queries(14):
        client.get(reverse("jobs:departures") + "?period=both&missing=1")


def test_recruiters_and_workers_do_not_see_the_board(rina, wati):
    assert verified_client(rina).get(reverse("jobs:departures")).status_code == 403
    assert verified_client(wati).get(reverse("jobs:departures")).status_code == 403


# --- the export ----------------------------------------------------------------------------------


def test_the_export_masks_bpjs_has_no_nik_and_writes_one_export_row(alice, bob, placement):
    ready_to_leave(alice, placement)
    before = AuditEvent.objects.filter(action="export").count()
    response = verified_client(bob).get(reverse("jobs:placement_export"))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    (row,) = rows
    person = Person.objects.get(pk=placement.person_id)
    assert person.nik not in body and "nik" not in rows[0]
    assert "12345678901" not in body and "ID1234567" not in body
    assert row["nomor_kpj_bpjs"] == MASKED and row["nomor_visa"] == MASKED
    assert row["program_bpjs"] == "JKK;JKM;JHT"
    assert row["nama_pmi"] == "Wati Lestari"
    assert person.address_line not in body
    exports = AuditEvent.objects.filter(action="export").order_by("-id")
    assert exports.count() == before + 1
    assert exports[0].object_type == "jobs.placement" and "1 rows" in exports[0].reason


def test_formulas_in_cells_are_neutralised(alice, bob, placement):
    Person.objects.filter(pk=placement.person_id).update(full_name="=HYPERLINK(1)")
    response = verified_client(bob).get(reverse("jobs:placement_export"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body


def test_only_those_missing_a_step_pages_over_the_whole_period(alice, bob, order, placement):
    from garda.jobs.views import placement as views

    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    ready_to_leave(alice, placement, departure=monday + timedelta(days=6))
    for _n in range(3):
        p = make_placement(alice, order)
        Placement.objects.filter(pk=p.pk).update(departure_date=monday)
    client = verified_client(bob)
    old = views.PAGE_SIZE
    views.PAGE_SIZE = 2
    try:
        first = client.get(reverse("jobs:departures") + "?missing=1").content.decode()
        second = client.get(reverse("jobs:departures") + "?missing=1&page=2").content.decode()
    finally:
        views.PAGE_SIZE = old
    detail_url = reverse("jobs:placement_detail", args=[placement.pk])
    assert detail_url not in first and detail_url not in second  # nothing missing
    links = first.count("/jobs/placements/") + second.count("/jobs/placements/")
    assert links == 3


def test_the_list_pages_read_a_fixed_number_of_queries(
    alice, bob, order, django_assert_max_num_queries
):
    for _n in range(6):
        make_placement(alice, order)
    client = verified_client(bob)
    client.get(reverse("jobs:placement_list"))
    with django_assert_max_num_queries(16):
        assert client.get(reverse("jobs:placement_list")).status_code == 200
    with django_assert_max_num_queries(16):
        response = client.get("/api/v1/placements")
    assert response.json()["count"] == 6
