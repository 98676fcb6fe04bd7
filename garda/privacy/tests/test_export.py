"""Download all my data (UU 27/2022 art. 7 and 32): the worker's own export as JSON
and PDF, the desk's export for a person, who may ask for whose, the audit rows, and
a number of queries that does not grow with the records."""

import json
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.people.services.registry import person_verify_identity
from garda.privacy import export
from garda.privacy.tests.conftest import add_one_of_each

pytestmark = pytest.mark.django_db


def _json(response) -> dict:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    return json.loads(
        b"".join(response.streaming_content) if response.streaming else response.content
    )


def test_worker_downloads_every_section_with_identity_numbers_in_full(wati, wati_person, alice):
    add_one_of_each(wati_person, officer=alice, n=1)
    response = verified_client(wati).get(reverse("privacy:my_export", args=["json"]))
    data = _json(response)
    assert data["format"] == export.FORMAT
    assert set(data["sections"]) == set(export.SECTIONS)
    s = data["sections"]
    assert s["identity"]["nik"] == wati_person.nik  # in full: her own record
    assert s["profile"]["full_name"] == "Wati Susanti"
    assert [f["name"] for f in s["family_contacts"]] == ["Keluarga 1"]
    assert len(s["consents"]) == 1
    assert s["documents"][0]["files"][0]["download"].endswith(
        reverse("documents:file", args=[s["documents"][0]["id"], 1])
    )
    assert s["accompaniment"]["officers"][0]["name"] == alice.full_name
    assert s["accompaniment"]["appointments"][0]["title"] == "Ke kantor imigrasi 1"
    assert len(s["accompaniment"]["contacts"]) == 1
    assert len(s["cases"]) == 1 and s["cases"][0]["stage"] == "in_progress"
    assert any(n["title"] == "Pemberitahuan 1" for n in s["notifications"])
    assert s["job_applications"] == []
    assert s["access_log"], "who accessed my data is part of the export"
    # Officers' internal notes stay internal; what someone else reported too.
    text = json.dumps(data)
    assert "CATATAN INTERNAL" not in text
    assert "RINGKASAN INTERNAL" not in text
    assert s["cases"][0]["description"] is None


def test_each_export_is_audited_and_shown_in_who_accessed(wati, wati_person):
    client = verified_client(wati)
    client.get(reverse("privacy:my_export", args=["json"]))
    client.get(reverse("privacy:my_export", args=["pdf"]))
    rows = AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT, object_type="people.person", object_id=str(wati_person.pk)
    )
    assert sorted(rows.values_list("reason", flat=True)) == ["data export json", "data export pdf"]
    # The next export lists the earlier ones among who accessed the record.
    data = _json(client.get(reverse("privacy:my_export", args=["json"])))
    assert sum(e["action"] == "export" for e in data["sections"]["access_log"]) == 2


def test_pdf_is_a_readable_pdf_in_indonesian(wati, wati_person, alice):
    add_one_of_each(wati_person, officer=alice, n=1)
    client = verified_client(wati)
    client.cookies["django_language"] = "id"
    response = client.get(reverse("privacy:my_export", args=["pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Wati Susanti" in text
    assert wati_person.nik in text
    assert "Data pribadi saya" in text or "data pribadi" in text.lower()
    assert "Siapa yang mengakses data saya" in text


def test_another_persons_export_is_refused_with_a_denied_row(wati, wati_person, tono, tono_person):
    """The worker's URL has no id: tono downloads tono's data, never wati's; the
    desk URL with wati's id is a 403 for him (a role refusal, audited)."""
    client = verified_client(tono)
    data = _json(client.get(reverse("privacy:my_export", args=["json"])))
    assert data["sections"]["identity"]["nik"] == tono_person.nik
    assert wati_person.full_name not in json.dumps(data)
    response = client.get(reverse("privacy:person_export", args=[wati_person.pk, "json"]))
    assert response.status_code in (403, 404)
    assert AuditEvent.objects.filter(actor=tono, action=AuditEvent.Action.DENIED).exists()
    api = client.get(f"/api/v1/privacy/people/{wati_person.pk}/export")
    assert api.status_code in (403, 404)


def test_api_worker_gets_only_their_own(wati, wati_person, tono, tono_person):
    response = verified_client(wati).get("/api/v1/privacy/me/export")
    assert response.status_code == 200
    assert response.json()["sections"]["identity"]["nik"] == wati_person.nik
    pdf = verified_client(wati).get("/api/v1/privacy/me/export.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_officer_who_accompanies_exports_at_the_desk(alice, wati_person):
    client = verified_client(alice)
    page = client.get(reverse("privacy:person_data", args=[wati_person.pk]))
    assert page.status_code == 200
    data = _json(client.get(reverse("privacy:person_export", args=[wati_person.pk, "json"])))
    assert data["sections"]["identity"]["nik"] == wati_person.nik
    api = client.get(f"/api/v1/privacy/people/{wati_person.pk}/export")
    assert api.status_code == 200
    row = AuditEvent.objects.filter(actor=alice, action=AuditEvent.Action.EXPORT).first()
    assert row.object_id == str(wati_person.pk)


def test_officer_who_does_not_accompany_cannot_export(carol, wati_person):
    client = verified_client(carol)
    for url in (
        reverse("privacy:person_data", args=[wati_person.pk]),
        reverse("privacy:person_export", args=[wati_person.pk, "json"]),
        reverse("privacy:person_export", args=[wati_person.pk, "pdf"]),
        f"/api/v1/privacy/people/{wati_person.pk}/export",
        f"/api/v1/privacy/people/{wati_person.pk}/export.pdf",
    ):
        assert client.get(url).status_code == 404, url
    denied = AuditEvent.objects.filter(
        actor=carol, action=AuditEvent.Action.DENIED, object_id=str(wati_person.pk)
    )
    assert denied.count() == 5
    assert not AuditEvent.objects.filter(actor=carol, action=AuditEvent.Action.EXPORT).exists()


def test_supervisor_exports_anyone_trainer_and_partner_do_not(bob, teguh, putri, wati_person):
    assert (
        verified_client(bob)
        .get(reverse("privacy:person_export", args=[wati_person.pk, "json"]))
        .status_code
        == 200
    )
    for user in (teguh, putri):
        response = verified_client(user).get(
            reverse("privacy:person_export", args=[wati_person.pk, "json"])
        )
        assert response.status_code == 403
        assert AuditEvent.objects.filter(actor=user, action=AuditEvent.Action.DENIED).exists()


def test_worker_without_a_record_gets_the_page_and_no_download(tono):
    client = verified_client(tono)
    page = client.get(reverse("privacy:mine"))
    assert page.status_code == 200
    assert client.get(reverse("privacy:my_export", args=["json"])).status_code == 404
    assert client.get("/api/v1/privacy/me/export").status_code == 404


def test_my_data_page_links_downloads_and_works_without_javascript(wati, wati_person):
    response = verified_client(wati).get(reverse("privacy:mine"))
    html = response.content.decode()
    assert reverse("privacy:my_export", args=["pdf"]) in html
    assert reverse("privacy:my_export", args=["json"]) in html
    assert reverse("privacy:my_correction_new") in html
    assert "<script" not in html.split("<main", 1)[-1].split("</main>", 1)[0]
    profile = verified_client(wati).get(reverse("people:me")).content.decode()
    assert reverse("privacy:mine") in profile


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_records(wati, wati_person, alice):
    person_verify_identity(actor=alice, person=wati_person)
    add_one_of_each(wati_person, officer=alice, n=1)
    client = verified_client(wati)
    url = reverse("privacy:my_export", args=["json"])
    client.get(url)  # warm the readiness cache and the session
    one = _queries(client, url)
    for n in range(2, 5):
        add_one_of_each(wati_person, officer=alice, n=n)
    client.get(url)
    many = _queries(client, url)
    assert many == one, (one, many)
