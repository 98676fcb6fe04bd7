"""Review of issue 15 (matching, applications, placement): positions an edit may not
take from the people already selected; the reasons a company reads (a worker's own
words stay with the office); expired certificates; selecting on an order that is not
open; an open protection case stops nominations and placements (not the worker's own
application); the near misses only on request; each reason's points out of its
maximum."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import verified_client, without_csrf_tokens
from garda.audit.models import AuditEvent
from garda.cases.models import Case
from garda.jobs.models import Application, ApplicationEvent, JobOrder, Placement
from garda.jobs.services import applications as asvc
from garda.jobs.services import orders as osvc
from garda.jobs.services import placement as psvc
from garda.jobs.tests.factories import order_data
from garda.jobs.tests.factories_applications import (
    applied,
    at_step,
    nominated,
    open_order,
    worker_with_person,
)
from garda.jobs.tests.factories_matching import add_certificate, make_course
from garda.jobs.tests.factories_placement import ready_person, selected_application
from garda.people.models import Person
from garda.people.tests.factories import register

pytestmark = pytest.mark.django_db
A = Application.Status


def fresh(order) -> JobOrder:
    return JobOrder.objects.get(pk=order.pk)


def open_case(person) -> Case:
    return Case.objects.create(
        reference=f"K-{person.pk}",
        channel="hotline",
        description="Gaji tidak dibayar, paspor ditahan",
        person=person,
        subject_name="Pekerja",
    )


# --- 1. an edit may not take positions from the people selected ------------------------------


@pytest.fixture
def two_selected(rina, alice):
    order = open_order(rina, alice, positions=2, positions_female=2)
    for serial in (501, 502):
        at_step(order, *worker_with_person(serial), A.SELECTED, rina)
    return fresh(order)


def test_an_edit_below_the_people_selected_is_refused_and_changes_nothing(rina, two_selected):
    order = two_selected
    with pytest.raises(ValidationError) as caught:
        osvc.order_update(actor=rina, order=order, data=order_data(positions=1, positions_female=1))
    assert caught.value.message_dict["positions"] == [
        "Sudah 2 orang terpilih untuk job order ini: jumlah posisi minimal 2."
    ]
    after = fresh(order)
    assert (after.positions, after.status, after.version) == (2, "verified", order.version)
    # Keeping the positions a woman holds for men is refused too (2 women selected).
    with pytest.raises(ValidationError) as caught:
        osvc.order_update(
            actor=rina,
            order=order,
            data=order_data(positions=2, positions_female=0, positions_male=1),
        )
    assert caught.value.message_dict["positions_male"] == [
        "Sudah 2 perempuan terpilih: paling banyak 0 posisi dapat disediakan untuk laki-laki."
    ]
    assert fresh(order).positions_male == 0
    # As many positions as people selected, or more, is fine.
    order = osvc.order_update(
        actor=rina, order=fresh(order), data=order_data(positions=3, positions_female=2)
    )
    assert fresh(order).positions == 3


def test_positions_kept_for_women_may_not_push_out_a_selected_man(rina, alice):
    order = open_order(rina, alice, positions=2, positions_female=0)
    at_step(order, *worker_with_person(503, sex="M"), A.SELECTED, rina)
    with pytest.raises(ValidationError) as caught:
        osvc.order_update(
            actor=rina, order=fresh(order), data=order_data(positions=2, positions_female=2)
        )
    assert caught.value.message_dict["positions_female"] == [
        "Sudah 1 laki-laki terpilih: paling banyak 1 posisi dapat disediakan untuk perempuan."
    ]
    assert fresh(order).positions_female == 0


def test_the_api_answers_422_on_positions(rina, two_selected):
    order = two_selected
    response = verified_client(rina).patch(
        f"/api/v1/job-orders/{order.pk}",
        {"positions": 1, "positions_female": 1},
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors["positions"] == (
        "Sudah 2 orang terpilih untuk job order ini: jumlah posisi minimal 2."
    )
    after = fresh(order)
    assert (after.positions, after.status, after.version) == (2, "verified", order.version)


def test_the_page_says_how_many_are_selected_and_saves_nothing(rina, two_selected):
    from garda.jobs.tests.test_order_pages import form_data

    order = two_selected
    response = verified_client(rina).post(
        reverse("jobs:order_edit", args=[order.pk]),
        form_data(positions="1", positions_female="1", version=str(order.version)),
    )
    assert response.status_code == 400
    assert "Sudah 2 orang terpilih untuk job order ini: jumlah posisi minimal 2." in (
        response.content.decode()
    )
    after = fresh(order)
    assert (after.positions, after.status, after.version) == (2, "verified", order.version)


# --- 2. the reasons a company reads -------------------------------------------------------------


WORDS = "Saya hamil, sakit TBC"


@pytest.fixture
def withdrawn(rina, alice):
    order = open_order(rina, alice)
    worker, person = worker_with_person(510)
    app = at_step(order, worker, person, A.SHORTLISTED, rina)
    return asvc.application_withdraw(actor=worker, application=app, reason=WORDS)


def test_the_recruiter_reads_no_withdrawal_reason_in_the_api(rina, alice, withdrawn):
    app = withdrawn
    body = verified_client(rina).get(f"/api/v1/applications/{app.pk}")
    assert body.status_code == 200
    assert "TBC" not in body.content.decode()
    data = body.json()
    assert data["status_reason"] == "Ditarik oleh pekerja."
    assert data["events"][-1]["reason"] == "Ditarik oleh pekerja."
    listed = verified_client(rina).get(f"/api/v1/job-orders/{app.order_id}/applications")
    assert listed.status_code == 200
    assert "TBC" not in listed.content.decode()
    assert listed.json()["items"][0]["status_reason"] == "Ditarik oleh pekerja."
    # The office reads the worker's words.
    office = verified_client(alice).get(f"/api/v1/applications/{app.pk}").json()
    assert office["status_reason"] == WORDS
    assert office["events"][-1]["reason"] == WORDS


def test_the_recruiter_reads_no_withdrawal_reason_on_the_page(rina, alice, withdrawn):
    url = reverse("jobs:application_detail", args=[withdrawn.pk])
    page = verified_client(rina).get(url)
    assert page.status_code == 200
    html = without_csrf_tokens(page.content.decode())
    assert "TBC" not in html and "hamil" not in html
    assert "Ditarik oleh pekerja." in html
    assert WORDS in verified_client(alice).get(url).content.decode()


def test_an_officers_note_of_the_answer_stays_with_the_office(rina, alice):
    order = open_order(rina, alice)
    person = register(serial=511)  # no account: the officer records the answer
    app = nominated(order, person, alice)
    note = "Ditelepon 3 Mei; suami belum setuju, utang ke sponsor"
    asvc.nomination_accept(actor=alice, application=app, reason=note)
    url = reverse("jobs:application_detail", args=[app.pk])
    html = without_csrf_tokens(verified_client(rina).get(url).content.decode())
    assert "utang" not in html and "suami" not in html
    assert "Pekerja menerima nominasi." in html
    body = verified_client(rina).get(f"/api/v1/applications/{app.pk}").json()
    assert [e["reason"] for e in body["events"]] == ["", "Pekerja menerima nominasi."]
    assert body["status_reason"] == "Pekerja menerima nominasi."
    assert note in verified_client(alice).get(url).content.decode()


def test_the_companys_own_rejection_reason_stays_and_an_officers_does_not(rina, alice):
    order = open_order(rina, alice)
    own = applied(order, *worker_with_person(512))
    asvc.application_move(
        actor=rina, application=own, to_status=A.REJECTED, reason="Bahasa Kanton belum cukup"
    )
    theirs = applied(order, *worker_with_person(513))
    asvc.application_move(
        actor=alice, application=theirs, to_status=A.REJECTED, reason="Dokumen diduga palsu"
    )
    client = verified_client(rina)
    mine = client.get(f"/api/v1/applications/{own.pk}").json()
    assert mine["status_reason"] == "Bahasa Kanton belum cukup"
    assert mine["events"][-1]["reason"] == "Bahasa Kanton belum cukup"
    other = client.get(f"/api/v1/applications/{theirs.pk}")
    assert "palsu" not in other.content.decode()
    assert other.json()["status_reason"] == "Tidak terpilih (dicatat oleh petugas)."
    html = client.get(reverse("jobs:application_detail", args=[own.pk])).content.decode()
    assert "Bahasa Kanton belum cukup" in html


def test_the_recruiter_reads_no_cancellation_words_on_the_placement(rina, alice):
    from garda.jobs.tests.factories_placement import make_placement
    from garda.jobs.tests.factories_placement import open_order as placement_order

    order = placement_order(rina, alice)
    placement = make_placement(alice, order)
    psvc.placement_cancel(
        actor=alice, placement=placement, reason="Ia hamil, keluarga melarang", by_worker=True
    )
    url = reverse("jobs:placement_detail", args=[placement.pk])
    page = verified_client(rina).get(url)
    assert page.status_code == 200
    html = without_csrf_tokens(page.content.decode())
    assert "hamil" not in html and "Ditarik oleh pekerja." in html
    assert "Ia hamil, keluarga melarang" in verified_client(alice).get(url).content.decode()


# --- 3. expired certificates ------------------------------------------------------------------


def test_an_expired_certificate_is_not_shown_to_the_company(rina, alice):
    order = open_order(rina, alice)
    worker, person = worker_with_person(520)
    today = timezone.localdate()
    add_certificate(person, make_course("p3k", title="Pertolongan pertama"))
    add_certificate(
        person, make_course("lansia", title="Perawatan lansia"), expires_on=today - timedelta(1)
    )
    add_certificate(person, make_course("masak", title="Memasak"), expires_on=today)
    app = applied(order, worker, person)
    body = verified_client(rina).get(f"/api/v1/applications/{app.pk}").json()
    assert body["certificates"] == ["Memasak", "Pertolongan pertama"]
    html = verified_client(rina).get(reverse("jobs:application_detail", args=[app.pk]))
    assert "Perawatan lansia" not in html.content.decode()


# --- 4. nobody is selected for an order that is not open --------------------------------------


@pytest.fixture
def sent_back(rina, alice):
    order = open_order(rina, alice)
    app = at_step(order, *worker_with_person(530), A.INTERVIEWED, rina)
    osvc.order_update(actor=rina, order=fresh(order), data=order_data(city="Kowloon"))
    assert fresh(order).status == "submitted"
    return Application.objects.get(pk=app.pk)


CLOSED_WORDS = "Job order ini tidak terbuka (diubah dan menunggu verifikasi ulang"


def test_selecting_on_an_order_sent_back_is_refused(rina, sent_back):
    app = sent_back
    events = ApplicationEvent.objects.count()
    with pytest.raises(asvc.MoveRefused) as caught:
        asvc.application_move(actor=rina, application=app, to_status=A.SELECTED)
    assert caught.value.code == "order_closed"
    assert caught.value.message.startswith(CLOSED_WORDS)
    assert Application.objects.get(pk=app.pk).status == A.INTERVIEWED
    assert ApplicationEvent.objects.count() == events


def test_the_api_and_the_page_refuse_selecting_on_an_order_sent_back(rina, sent_back):
    app = sent_back
    client = verified_client(rina)
    response = client.post(
        f"/api/v1/applications/{app.pk}/move",
        {"status": "selected"},
        content_type="application/json",
    )
    assert response.status_code == 409
    body = response.json()
    assert body["errors"][0]["code"] == "order_closed"
    assert body["detail"].startswith(CLOSED_WORDS)
    page = client.post(
        reverse("jobs:application_move", args=[app.pk]),
        {"status": "selected", "version": str(app.version)},
        follow=True,
    )
    assert CLOSED_WORDS in page.content.decode()
    assert Application.objects.get(pk=app.pk).status == A.INTERVIEWED


# --- 5. an open protection case -----------------------------------------------------------------


def test_a_worker_with_an_open_case_may_still_apply(rina, alice):
    # Seeking work is the worker's own right; the office decides at placement (below).
    order = open_order(rina, alice)
    worker, person = worker_with_person(540)
    open_case(person)
    response = verified_client(worker).post(
        f"/api/v1/job-orders/{order.pk}/applications",
        {"person_id": person.pk},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert Application.objects.get(person=person).status == A.APPLIED


def test_an_officer_cannot_nominate_while_a_case_is_open_but_the_yes_is_the_workers(rina, alice):
    order = open_order(rina, alice)
    person = register(serial=541, full_name="Ani Suryani")
    open_case(person)
    response = verified_client(alice).post(
        f"/api/v1/job-orders/{order.pk}/nominations",
        {"person_id": person.pk},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "protection_block"
    assert response.json()["detail"].startswith("Ani Suryani memiliki kasus perlindungan terbuka")
    assert not Application.objects.filter(person=person).exists()
    page = verified_client(alice).post(
        reverse("jobs:application_nominate", args=[order.pk]),
        {"reference": person.reference},
        follow=True,
    )
    assert "Ani Suryani memiliki kasus perlindungan terbuka" in page.content.decode()
    assert not Application.objects.filter(person=person).exists()
    # Nominated before the case was opened: her yes is hers to give (recorded by the
    # officer on her word); the placement is what waits for the case.
    Case.objects.filter(person=person).update(status="closed")
    app = nominated(order, person, alice)
    Case.objects.filter(person=person).update(status="open")
    response = verified_client(alice).post(
        f"/api/v1/applications/{app.pk}/accept",
        {"reason": "Ditelepon, ia mau"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert Application.objects.get(pk=app.pk).status == A.APPLIED


def test_no_placement_is_made_while_a_case_is_open(rina, alice):
    order = open_order(rina, alice)
    person = ready_person(full_name="Ani Suryani")
    app = selected_application(order, person)
    open_case(person)
    with pytest.raises(psvc.PlacementRefused) as caught:
        psvc.placement_create(actor=alice, application=app)
    assert caught.value.code == "protection_block"
    assert str(caught.value.message).startswith("Ani Suryani memiliki kasus perlindungan")
    response = verified_client(alice).post(f"/api/v1/applications/{app.pk}/placement")
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "protection_block"
    assert not Placement.objects.filter(application=app).exists()
    assert Person.objects.get(pk=person.pk).status == "ready"


def test_a_company_learns_nothing_of_the_case(rina):
    person = register(serial=542)
    words = asvc.protection_block_message(rina, person)
    assert words == (
        "Orang ini tidak dapat dilanjutkan untuk pekerjaan ini sekarang. Tanyakan kepada Disnaker."
    )
    assert "kasus" not in words.lower() and "perlindungan" not in words.lower()


# --- 6 and 7. the candidates page ------------------------------------------------------------


def test_the_near_misses_are_read_only_on_request(alice):
    from garda.jobs.tests.factories import make_agency, make_recruiter, verified_order
    from garda.jobs.tests.factories_matching import country, make_person

    country("HK")
    order = verified_order(make_recruiter(make_agency(), email="w@maju.example"), alice)
    course = make_course("p3k", title="Pertolongan pertama")
    order.required_courses.add(course)
    good = make_person(full_name="Siti Aminah")
    add_certificate(good, course)
    make_person(full_name="Dewi Lestari")
    client = verified_client(alice)
    url = reverse("jobs:order_candidates", args=[order.pk])
    before = AuditEvent.objects.count()
    html = client.get(url).content.decode()
    assert "Siti Aminah" in html and "Dewi Lestari" not in html
    assert 'href="?near=1#near-misses"' in html
    assert "Tampilkan yang hampir memenuhi" in html
    assert "30 dari 30 poin" in html  # the skills reason out of its maximum
    reasons = {e.reason for e in AuditEvent.objects.order_by("id")[before:]}
    assert "near_misses:1" not in reasons
    html = client.get(url, {"near": "1"}).content.decode()
    assert "Dewi Lestari" in html and "Tampilkan yang hampir memenuhi" not in html
    assert html.index('id="near-misses"') < html.index("Dewi Lestari")
    reasons = {e.reason for e in AuditEvent.objects.order_by("id")[before:]}
    assert "near_misses:1" in reasons
