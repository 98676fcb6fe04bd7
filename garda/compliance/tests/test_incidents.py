"""The incident register (UU 27/2022 art. 46): the persons an account read in a window,
found from the audit trail (exactly those, not others), each told once from the
Indonesian template, and the 72-hour clock shown overdue after 3 x 24 hours."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import verified_client
from garda.accounts.models import Notification
from garda.audit.models import AuditEvent
from garda.compliance.models import IncidentPerson
from garda.compliance.services import incidents as service
from garda.documents.access import read_document_for
from garda.documents.tests.conftest import upload
from garda.people.access import read_person_for
from garda.people.models import Person
from garda.people.tests.factories import register

pytestmark = pytest.mark.django_db


def _incident(admin, **overrides):
    data = {
        "title": "Akun petugas dipakai orang lain",
        "description": "Kata sandi seorang petugas bocor dan dipakai untuk membuka data.",
        "kind": "access",
        "systems": "Garda (registri, dokumen)",
        "discovered_at": timezone.now(),
        "data_concerned": "Nama, NIK, alamat dan pindaian KTP",
        "measures": "Akun diblokir, kata sandi diganti, sesi diputus.",
        "advice": "Waspadai telepon yang meminta uang atas nama Disnaker.",
        "contact": "Pusat layanan Disnakertransgi, 021-1234567",
        **overrides,
    }
    return service.incident_create(actor=admin, **data)


@pytest.fixture
def reads(alice, carol, wati):
    """alice reads siti's record and one of wati's documents inside the window, tono's
    before it; carol reads dewi inside it."""
    siti = register(serial=1, actor=alice, full_name="Siti Aminah")
    Person.objects.filter(pk=siti.pk).update(email="siti@example.org")
    wati_p = register(serial=2, user=wati, full_name="Wati Lestari")
    wati_p.assignments.create(officer=alice, assigned_by=alice)
    tono = register(serial=3, actor=alice, full_name="Tono Sugiarto", sex="M")
    dewi = register(serial=4, actor=carol, full_name="Dewi Lain")
    nobody = register(serial=5, actor=alice, full_name="Tanpa Kontak")
    document = upload(wati_p, actor=alice, code="ktp")
    start = timezone.now()
    with time_machine.travel(start - timedelta(days=3), tick=False):
        read_person_for(alice, tono.pk)
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        read_person_for(alice, siti.pk)
        read_person_for(alice, siti.pk)
        read_document_for(alice, document.pk)
        read_person_for(alice, nobody.pk)
        read_person_for(carol, dewi.pk)
    return {
        "since": start,
        "until": start + timedelta(hours=2),
        "siti": siti,
        "wati": wati_p,
        "tono": tono,
        "dewi": dewi,
        "nobody": nobody,
    }


def test_the_search_finds_exactly_the_persons_the_account_read_in_the_window(
    admin_user, alice, reads
):
    incident = _incident(admin_user)
    new = service.incident_find_persons(
        actor=admin_user,
        incident=incident,
        account=alice,
        since=reads["since"],
        until=reads["until"],
    )
    found = set(
        IncidentPerson.objects.filter(incident=incident).values_list("person_id", flat=True)
    )
    assert found == {reads["siti"].pk, reads["wati"].pk, reads["nobody"].pk}
    assert new == 3
    assert IncidentPerson.objects.get(incident=incident, person=reads["siti"]).events == 2
    # Searching again adds nobody twice.
    again = service.incident_find_persons(
        actor=admin_user,
        incident=incident,
        account=alice,
        since=reads["since"],
        until=reads["until"],
    )
    assert again == 0 and IncidentPerson.objects.filter(incident=incident).count() == 3


def test_the_search_costs_the_same_few_queries_however_many_persons(admin_user, alice, reads):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            service.touched_persons(alice, reads["since"], reads["until"])
        return len(ctx.captured_queries)

    before = queries()
    with time_machine.travel(reads["since"] + timedelta(minutes=30), tick=False):
        for serial in range(10, 30):
            person = register(serial=serial, actor=alice, full_name=f"Orang {serial}")
            read_person_for(alice, person.pk)
    assert queries() == before  # a count, one grouped read, one look-up per object kind


def test_the_search_reads_the_audit_index_on_the_account_and_time(alice, reads):
    """With other accounts' rows filling the window (50,000 here; a busy month), the
    planner reads the (actor, -created_at) index: the search's cost follows the one
    account's rows, not the trail's size (docs/compliance.md gives the 1M-row timing)."""
    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO audit_auditevent (actor_id, actor_role, action, object_type,
              object_id, changed_fields, reason, request_id, created_at, prev_hash, hash)
            SELECT 900000 + mod(i, 300), 'officer', 'view', 'people.person', mod(i, 5000)::text,
              '[]', '', '', %s + (i || ' seconds')::interval,
              md5('p' || i) || md5('q' || i), md5('h' || i) || md5('k' || i)
            FROM generate_series(1, 50000) AS i
            """,
            [reads["since"]],
        )
        cursor.execute("ANALYZE audit_auditevent")
    plan = AuditEvent.objects.filter(
        actor_id=alice.pk,
        created_at__gte=reads["since"],
        created_at__lt=reads["until"],
        action__in=service.READ_ACTIONS,
        object_type__in=service.TRACED,
    ).explain()
    assert "audit_audit_actor_i_fb4253_idx" in plan, plan  # (actor, -created_at)


def test_each_person_is_told_once_from_the_template(admin_user, alice, reads):
    incident = _incident(admin_user)
    service.incident_find_persons(
        actor=admin_user,
        incident=incident,
        account=alice,
        since=reads["since"],
        until=reads["until"],
    )
    mail.outbox.clear()
    told = service.incident_notify(actor=admin_user, incident=incident)
    assert told == {"app": 1, "email": 1, "none": 1}
    # Wati (an account): in Garda, in Indonesian, with every part the law asks for.
    note = Notification.objects.get(user=reads["wati"].user)
    assert note.title.startswith("Pemberitahuan kegagalan pelindungan data pribadi")
    for part in (
        "Apa yang terjadi:",
        "Data Anda yang terkena:",
        "Yang dilakukan Garda:",
        "Yang dapat Anda lakukan:",
        "Hubungi:",
        incident.reference,
        "Akun diblokir",
    ):
        assert part in note.body, part
    rows = {r.person_id: r for r in IncidentPerson.objects.filter(incident=incident)}
    assert rows[reads["siti"].pk].channel == "email" and rows[reads["siti"].pk].notified_at
    assert (
        rows[reads["nobody"].pk].channel == "none" and rows[reads["nobody"].pk].notified_at is None
    )
    # Again: nobody is told twice.
    told = service.incident_notify(actor=admin_user, incident=incident)
    assert told == {"app": 0, "email": 0, "none": 0}
    assert Notification.objects.filter(user=reads["wati"].user).count() == 1


def test_the_email_goes_after_commit(admin_user, alice, reads, django_capture_on_commit_callbacks):
    incident = _incident(admin_user)
    service.incident_find_persons(
        actor=admin_user,
        incident=incident,
        account=alice,
        since=reads["since"],
        until=reads["until"],
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        service.incident_notify(actor=admin_user, incident=incident)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["siti@example.org", "wati@example.org"]


def test_the_clock_is_overdue_after_72_hours_until_everyone_is_told(admin_user, alice, reads):
    incident = _incident(admin_user)
    service.incident_find_persons(
        actor=admin_user,
        incident=incident,
        account=alice,
        since=reads["since"],
        until=reads["until"],
    )
    url = reverse("compliance:incident", args=[incident.pk])
    # Signed in at each moment: a staff session would have timed out in between.
    with time_machine.travel(incident.discovered_at + timedelta(hours=71), tick=False):
        page = verified_client(admin_user).get(url).content.decode()
        assert "Batas waktu" in page and "Terlambat" not in page
    with time_machine.travel(incident.discovered_at + timedelta(hours=73), tick=False):
        client = verified_client(admin_user)
        page = client.get(url).content.decode()
        assert "Terlambat sejak" in page
        assert 'class="urgent"' in page
        service.incident_notify(actor=admin_user, incident=incident)
        service.incident_authority_informed(
            actor=admin_user,
            incident=incident,
            informed_at=timezone.now(),
            note="Surat ke Kementerian Komdigi",
        )
        page = client.get(url).content.decode()
        assert "Terlambat sejak" not in page and "Selesai" in page


def test_the_pages_record_an_incident_and_refuse_bad_input_in_indonesian(admin_user, alice, reads):
    client = verified_client(admin_user)
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("compliance:incidents"),
        {
            "title": "Laptop hilang",
            "description": "Laptop petugas dicuri.",
            "kind": "loss",
            "systems": "Laptop",
            "discovered_at": future,
            "data_concerned": "Nama",
            "measures": "Akun diblokir",
            "advice": "Waspada",
            "contact": "021",
        },
    )
    assert response.status_code == 400
    assert "Penemuan tidak boleh di masa depan." in response.content.decode()
    incident = _incident(admin_user)
    since = timezone.localtime(reads["since"])
    response = client.post(
        reverse("compliance:incident_search", args=[incident.pk]),
        {
            "account": "alice@example.org",
            "since": since.strftime("%Y-%m-%dT%H:%M"),
            "until": (since + timedelta(days=40)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 400
    assert "Cari paling lama 31 hari sekaligus." in response.content.decode()
    response = client.post(
        reverse("compliance:incident_search", args=[incident.pk]),
        {"account": "siapa@example.org", "since": "2026-01-01T00:00", "until": "2026-01-02T00:00"},
    )
    assert "Tidak ada akun dengan e-mail ini." in response.content.decode()
    assert not IncidentPerson.objects.filter(incident=incident).exists()


def test_the_page_search_and_notify_work_end_to_end(admin_user, alice, reads):
    client = verified_client(admin_user)
    incident = _incident(admin_user)
    since = timezone.localtime(reads["since"]) - timedelta(minutes=1)
    response = client.post(
        reverse("compliance:incident_search", args=[incident.pk]),
        {
            "account": "alice@example.org",
            "since": since.strftime("%Y-%m-%dT%H:%M"),
            "until": (since + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    assert IncidentPerson.objects.filter(incident=incident).count() == 3
    response = client.post(reverse("compliance:incident_notify", args=[incident.pk]))
    assert response.status_code == 302
    page = client.get(reverse("compliance:incident", args=[incident.pk])).content.decode()
    assert reads["siti"].reference in page and reads["dewi"].reference not in page
    assert AuditEvent.objects.filter(
        object_type="compliance.incident", object_id=str(incident.pk), reason__startswith="notified"
    ).exists()


@pytest.mark.parametrize("persona", ["alice", "bob", "wati"])
def test_other_roles_are_refused_the_register_with_a_denied_row(persona, request, admin_user):
    user = request.getfixturevalue(persona)
    incident = _incident(admin_user)
    client = verified_client(user)
    for url in (
        reverse("compliance:incidents"),
        reverse("compliance:incident", args=[incident.pk]),
    ):
        assert client.get(url).status_code == 403
    assert client.post(reverse("compliance:incident_notify", args=[incident.pk])).status_code == 403
    assert client.get("/api/v1/incidents").status_code == 403
    assert client.post(f"/api/v1/incidents/{incident.pk}/notify").status_code == 403
    assert AuditEvent.objects.filter(actor=user, action="denied").count() >= 5
    assert not Notification.objects.exists()


def test_the_api_records_searches_and_notifies(admin_user, alice, reads):
    client = verified_client(admin_user)
    response = client.post(
        "/api/v1/incidents",
        {
            "title": "Ekspor bocor",
            "description": "Berkas ekspor terkirim ke alamat salah.",
            "kind": "disclosure",
            "systems": "Garda",
            "discovered_at": timezone.now().isoformat(),
            "data_concerned": "Nama",
            "measures": "Penerima diminta menghapus.",
            "advice": "Waspada.",
            "contact": "021",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    incident_id = response.json()["id"]
    response = client.post(
        f"/api/v1/incidents/{incident_id}/persons",
        {
            "account": "alice@example.org",
            "since": reads["since"].isoformat(),
            "until": reads["until"].isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    assert {p["person_id"] for p in response.json()} == {
        reads["siti"].pk,
        reads["wati"].pk,
        reads["nobody"].pk,
    }
    assert client.post(f"/api/v1/incidents/{incident_id}/notify").json() == {
        "app": 1,
        "email": 1,
        "none": 1,
    }
    body = client.get(f"/api/v1/incidents/{incident_id}").json()
    assert body["told"] == 2 and body["persons"] == 3 and body["overdue"] is False
    response = client.post(
        f"/api/v1/incidents/{incident_id}/persons",
        {
            "account": "alice@example.org",
            "since": reads["until"].isoformat(),
            "until": reads["since"].isoformat(),
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert response.status_code == 422
    assert "Akhir rentang waktu harus sesudah awalnya." in response.content.decode()
