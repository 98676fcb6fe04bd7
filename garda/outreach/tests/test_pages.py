"""Outreach pages: staff list/detail/form, the check-in desk (typed, from the QR
code's URL, refusals, walk-in), the attendance list (audited, CSV), the public event
list, registration and confirmation with its QR code, announcements, a worker's
subscription, the funnel pages; query counts on the lists."""

import pytest
from django.urls import reverse

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.outreach.models import Event, Registration, Subscription
from garda.outreach.services.announcements import AnnouncementData, announcement_publish
from garda.outreach.services.registrations import registration_check_in
from garda.outreach.tests.factories import event_data, make_event, places, register_for
from garda.people.tests.factories import register

pytestmark = pytest.mark.django_db


def _client(user=None):
    from django.test import Client

    client = verified_client(user) if user is not None else Client()
    client.cookies["django_language"] = "id"
    return client


def _form(data) -> dict:
    return {
        "kind": data.kind,
        "title": data.title,
        "region_code": data.region_code,
        "venue": data.venue,
        "starts_at": data.starts_at.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": data.ends_at.strftime("%Y-%m-%dT%H:%M"),
        "audience": data.audience,
        "capacity": "30",
    }


def test_an_officer_creates_and_opens_an_event(alice):
    places()
    client = _client(alice)
    response = client.post(reverse("outreach:event_new"), _form(event_data()))
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.capacity == 30 and event.status == "planned"
    page = client.get(response["Location"]).content.decode()
    assert "Sosialisasi migrasi aman" in page and "Ubah menjadi: Buka" in page
    client.post(reverse("outreach:event_status", args=[event.pk]), {"status": "open"})
    assert Event.objects.get().status == "open"


def test_a_bad_event_form_says_why_and_writes_nothing(alice):
    places()
    form = _form(event_data())
    form["region_code"] = "31"
    response = _client(alice).post(reverse("outreach:event_new"), form)
    assert response.status_code == 422
    assert "Isi kode kota atau kabupaten" in response.content.decode()
    assert not Event.objects.exists()


def test_another_agency_cannot_edit_but_reads(alice, carol):
    event = make_event(alice)
    client = _client(carol)
    assert client.get(reverse("outreach:event_edit", args=[event.pk])).status_code == 404
    page = client.get(reverse("outreach:event_detail", args=[event.pk])).content.decode()
    assert "Meja kehadiran" not in page
    assert AuditEvent.objects.filter(actor=carol, action="denied").exists()


@pytest.mark.parametrize("persona", ["teguh", "putri", "rina", "wati"])
def test_other_roles_are_refused_the_staff_pages(persona, request):
    user = request.getfixturevalue(persona)
    assert _client(user).get(reverse("outreach:event_list")).status_code == 403
    assert AuditEvent.objects.filter(actor=user, action="denied").exists()


def test_the_events_list_is_bounded_in_queries(alice, bob, django_assert_max_num_queries):
    for n in range(8):
        event = make_event(alice, title=f"Acara {n}")
        register_for(event, full_name=f"Peserta {n}")
    client = _client(bob)
    client.get(reverse("outreach:event_list"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("outreach:event_list"))
    assert response.content.decode().count("Acara ") >= 8


def test_check_in_from_the_qr_codes_url(alice):
    event = make_event(alice)
    registration = register_for(event, full_name="Siti Aminah")
    client = _client(alice)
    url = reverse("outreach:check_in", args=[event.pk]) + f"?code={registration.code}"
    page = client.get(url).content.decode()
    assert f'value="{registration.code}"' in page
    done = client.post(reverse("outreach:check_in", args=[event.pk]), {"code": registration.code})
    assert done.status_code == 200
    assert "Kehadiran Siti Aminah sudah dicatat." in done.content.decode()
    again = client.post(reverse("outreach:check_in", args=[event.pk]), {"code": registration.code})
    assert again.status_code == 409
    assert "Kehadirannya sudah dicatat pada" in again.content.decode()


def test_check_in_page_of_a_closed_event_says_so(alice):
    event = make_event(alice, status=Event.Status.CLOSED)
    page = _client(alice).get(reverse("outreach:check_in", args=[event.pk])).content.decode()
    assert "Pencatatan kehadiran ditutup" in page and 'name="code"' not in page


def test_a_walk_in_at_the_door(alice):
    event = make_event(alice)
    response = _client(alice).post(
        reverse("outreach:walk_in", args=[event.pk]),
        {"walk-full_name": "Rudi Hartono", "walk-phone": "0812-9876-5432"},
    )
    assert response.status_code == 200
    assert Registration.objects.get().channel == "door"
    bad = _client(alice).post(reverse("outreach:walk_in", args=[event.pk]), {"walk-full_name": ""})
    assert bad.status_code == 422 and Registration.objects.count() == 1


def test_the_attendance_list_is_audited_with_a_csv(alice, admin_user):
    event = make_event(alice)
    registration = register_for(event, full_name="Siti Aminah", phone="081234567890")
    registration_check_in(actor=alice, event=event, code=registration.code)
    register_for(event, full_name="Belum Datang")
    client = _client(admin_user)
    page = client.get(reverse("outreach:attendance", args=[event.pk]) + "?which=attended")
    text = page.content.decode()
    assert "Siti Aminah" in text and "Belum Datang" not in text
    csv = client.get(reverse("outreach:attendance_csv", args=[event.pk])).content.decode()
    assert "Siti Aminah" in csv and "Belum Datang" in csv
    reasons = set(
        AuditEvent.objects.filter(actor=admin_user, action="view").values_list("reason", flat=True)
    )
    assert {"attendance list", "attendance list csv"} <= reasons


def test_the_public_registers_and_gets_a_qr_code(alice):
    event = make_event(alice, title="Bursa kerja Gambir")
    client = _client()
    listing = client.get(reverse("outreach:public_events")).content.decode()
    assert "Bursa kerja Gambir" in listing
    response = client.post(
        reverse("outreach:public_event", args=[event.pk]),
        {"full_name": "Nur Aisyah", "phone": "081377778888"},
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert registration.code in page and "<svg" in page and "</svg>" in page
    assert registration.person_id is None


def test_the_public_never_sees_a_staff_event(alice):
    event = make_event(alice, audience=Event.Audience.VILLAGE_STAFF)
    client = _client()
    assert client.get(reverse("outreach:public_event", args=[event.pk])).status_code == 404
    assert (
        client.post(
            reverse("outreach:public_event", args=[event.pk]), {"full_name": "X"}
        ).status_code
        == 404
    )


def test_a_full_event_says_so(alice):
    event = make_event(alice, capacity=1)
    register_for(event)
    response = _client().post(
        reverse("outreach:public_event", args=[event.pk]), {"full_name": "Terlambat"}
    )
    assert response.status_code == 409 and "Acara ini sudah penuh." in response.content.decode()


def test_a_worker_registers_with_their_record(alice, wati):
    person = register(serial=51, user=wati)
    event = make_event(alice)
    client = _client(wati)
    page = client.get(reverse("outreach:public_event", args=[event.pk])).content.decode()
    assert person.full_name in page and 'name="full_name"' not in page
    assert client.post(reverse("outreach:public_event", args=[event.pk]), {}).status_code == 302
    assert Registration.objects.get().person_id == person.pk


def test_staff_see_the_public_page_without_the_form(alice, bob):
    event = make_event(alice)
    response = _client(bob).post(reverse("outreach:public_event", args=[event.pk]), {})
    assert response.status_code == 403
    page = _client(bob).get(reverse("outreach:public_event", args=[event.pk])).content.decode()
    assert 'name="full_name"' not in page


def test_announcements_and_a_workers_subscription(alice, wati):
    places()
    client = _client(wati)
    response = client.post(
        reverse("outreach:subscription"),
        {"active": "on", "districts": ["31.75"], "interests": ["caregiving"], "by_email": "on"},
    )
    assert response.status_code == 302
    assert Subscription.objects.get(user=wati).districts == ",31.75,"
    announcement_publish(
        actor=alice,
        data=AnnouncementData(
            kind="fake_job", title="Lowongan palsu di media sosial", body="Jangan bayar."
        ),
    )
    page = _client().get(reverse("outreach:announcements")).content.decode()
    assert "Lowongan palsu di media sosial" in page and "Peringatan tentang lowongan palsu" in page
    bad = client.post(reverse("outreach:subscription"), {"by_sms": "on"})
    assert bad.status_code == 422


def test_an_officer_publishes_from_the_page(alice):
    response = _client(alice).post(
        reverse("outreach:announcement_new"),
        {"kind": "g2g_call", "title": "Program G to G dibuka", "body": "Daftar sekarang."},
    )
    assert response.status_code == 302


def test_the_funnel_pages(alice, bob):
    event = make_event(alice)
    registration = register_for(event)
    registration_check_in(actor=alice, event=event, code=registration.code)
    client = _client(bob)
    page = client.get(reverse("outreach:event_funnel", args=[event.pk])).content.decode()
    assert "1 mendaftar, 1 hadir" in page

    # The overview spans every event: it is the figures' snapshot, not a live count.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from garda.reports.snapshots import snapshot_all

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("outreach:funnel") + "?by=district")
    assert response.status_code == 302
    assert response.url == reverse("reports:dashboard", args=["outreach"]) + "#t-by_city"
    assert not any("outreach_" in q["sql"] for q in queries.captured_queries)
    snapshot_all(periods=["all"], names=["outreach"])
    with CaptureQueriesContext(connection) as queries:
        overview = client.get(response.url).content.decode()
    assert not any("outreach_registration" in q["sql"] for q in queries.captured_queries)
    text = " ".join(overview.split())
    assert "Kota Adm. Jakarta Pusat" in text and "Dihitung pada" in text
    dashboard = reverse("reports:dashboard", args=["outreach"])
    kept = client.get(reverse("outreach:funnel"), {"period": "2026", "by": "campaign"})
    assert kept.url == dashboard + "?period=2026#t-by_campaign"
    odd = client.get(reverse("outreach:funnel"), {"period": "last week"})
    assert odd.url == dashboard + "#t-by_campaign"
