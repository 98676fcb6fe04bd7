"""The document pages through the test client, with the shared personas: the
worker's own page and upload, staff's person page, the file view, verify and reject
(HTMX), the queue and the expiring list; docs/security.md, tests 1, 2, 4, 14 and 17."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.documents.models import Document, DocumentFile
from garda.documents.services import document_verify
from garda.documents.tests.conftest import upload
from garda.documents.tests.samples import jpeg_bytes, pdf_bytes, png_bytes
from garda.people.tests.factories import register
from garda.tests.markup import assert_stacked_tables, iso_dates

pytestmark = pytest.mark.django_db


@pytest.fixture
def en():
    """Pages speak English for this client (the language cookie)."""

    def client_for(user):
        client = verified_client(user)
        client.cookies["django_language"] = "en"
        return client

    return client_for


def _file(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def _raw_multipart(fields: dict, filename: str, data: bytes) -> tuple[bytes, str]:
    """A multipart body written by hand, so the file name reaches the server as is."""
    boundary = "garda-test-boundary"
    parts = []
    for key, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{filename}"\r\n'
        f"Content-Type: image/png\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# --- the worker's own page ---------------------------------------------------------------


def test_the_worker_uploads_and_sees_state_and_reasons(wati, wati_person, alice, en):
    client = en(wati)
    page = client.get(reverse("documents:mine"))
    assert page.status_code == 200
    assert "Upload a document" in page.content.decode()
    response = client.post(
        reverse("documents:upload", args=[wati_person.pk]),
        {
            "type": "kk",
            "number": "KK 1",
            "files": [_file("p1.png", png_bytes()), _file("p2.jpg", jpeg_bytes())],
        },
    )
    assert response.status_code == 302 and response.url == reverse("documents:mine")
    document = Document.objects.get()
    assert [f.content_type for f in document.files.order_by("page")] == ["image/png", "image/jpeg"]
    from garda.documents.services import document_reject

    document_reject(actor=alice, document=document, reason="Halaman 2 terpotong")
    html = client.get(reverse("documents:mine")).content.decode()
    assert "Rejected" in html and "Halaman 2 terpotong" in html
    assert "?type=kk#upload" in html
    again = client.get(reverse("documents:mine"), {"type": "kk"})
    assert again.context["form"].initial["type"] == "kk"


def test_a_worker_without_a_record_is_sent_to_complete_it(wati, en):
    html = en(wati).get(reverse("documents:mine")).content.decode()
    assert reverse("people:me") in html


def test_upload_errors_are_shown_on_the_form(wati, wati_person, en):
    client = en(wati)
    url = reverse("documents:upload", args=[wati_person.pk])
    response = client.post(
        url,
        {"type": "passport", "number": "X1", "files": [_file("passport.pdf", b"MZ" + b"\0" * 99)]},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "“passport.pdf”" in html and "a program (executable)" in html
    assert "Enter the expiry date" in html
    svg = client.post(
        url, {"type": "ktp", "number": "1", "files": [_file("ktp.png", b"<svg onload=alert(1)>")]}
    )
    assert svg.status_code == 400 and "SVG" in svg.content.decode()
    assert not Document.objects.exists()


def test_oversized_uploads_get_413_before_the_body_is_read(wati, wati_person, settings, en):
    settings.GARDA_DOCUMENT_MAX_BYTES = 2000
    client = en(wati)
    url = reverse("documents:upload", args=[wati_person.pk])
    # A declared length far beyond what the test body holds: reading it would fail
    # (the test client's payload refuses reads past its end), so 413 proves no read.
    response = client.post(
        url,
        b"--x\r\n",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(10**9),
    )
    assert response.status_code == 413
    assert "MB" in response.content.decode()
    big = client.post(
        url, {"type": "ktp", "number": "1", "files": [_file("a.png", b"\x89PNG" + b"\0" * 200_000)]}
    )
    assert big.status_code == 413
    # One file over the per-file limit, the whole body under the upload limit.
    one = client.post(
        url, {"type": "ktp", "number": "1", "files": [_file("scan.png", b"\x89PNG" + b"\0" * 3000)]}
    )
    assert one.status_code == 413 and "“scan.png”" in one.content.decode()
    assert not Document.objects.exists()


def test_a_path_traversal_name_is_stored_under_a_random_name(wati, wati_person, settings):
    body, content_type = _raw_multipart(
        {"type": "ktp", "number": "KTP 9"}, "../../../../etc/cron.d/evil.png", png_bytes()
    )
    client = verified_client(wati)
    response = client.generic(
        "POST", reverse("documents:upload", args=[wati_person.pk]), body, content_type=content_type
    )
    assert response.status_code == 302
    stored = DocumentFile.objects.get()
    assert stored.original_name == "evil.png"
    assert len(stored.storage_name) == 32 and set(stored.storage_name) <= set("0123456789abcdef")
    on_disk = [p for p in settings.GARDA_FILES_DIR.rglob("*") if p.is_file()]
    assert [p.name for p in on_disk] == [stored.storage_name]
    assert on_disk[0].parent.parent == settings.GARDA_FILES_DIR / "documents"


# --- files -----------------------------------------------------------------------------


def test_exif_is_gone_from_what_is_downloaded(wati, wati_person):
    client = verified_client(wati)
    client.post(
        reverse("documents:upload", args=[wati_person.pk]),
        {"type": "ktp", "number": "KTP 1", "files": [_file("selfie.jpg", jpeg_bytes(gps=True))]},
    )
    document = Document.objects.get()
    response = client.get(reverse("documents:file", args=[document.pk, 1]))
    assert response.status_code == 200
    image = Image.open(BytesIO(response.content))
    assert not image.getexif() and "exif" not in image.info
    assert b"PhoneMaker" not in response.content


def test_a_file_is_an_audited_attachment_never_cached(wati, wati_person, alice):
    document = upload(wati_person, wati, "ktp", files=[_file("scan.pdf", pdf_bytes())])
    client = verified_client(alice)
    url = reverse("documents:file", args=[document.pk, 1])
    before = AuditEvent.objects.count()
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="ktp-{document.pk}-1.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    client.get(url)
    views = AuditEvent.objects.filter(
        action="view", object_type="documents.document", object_id=str(document.pk), actor=alice
    )
    assert views.count() == 2 == AuditEvent.objects.count() - before
    assert set(views.values_list("reason", flat=True)) == {"file page 1"}
    assert client.get(reverse("documents:file", args=[document.pk, 2])).status_code == 404


def test_private_files_are_404_for_everyone_else(
    wati, wati_person, tono, tono_person, teguh, putri, client
):
    document = upload(wati_person, wati, "ktp")
    urls = [
        reverse("documents:file", args=[document.pk, 1]),
        reverse("documents:detail", args=[document.pk]),
    ]
    for user in (tono, teguh, putri):
        other = verified_client(user)
        for url in urls:
            assert other.get(url).status_code == 404, (user, url)
    assert AuditEvent.objects.filter(action="denied", actor__in=[tono, teguh, putri]).count() == 6
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response.url
    # Tono's own list never holds Wati's documents.
    upload(tono_person, tono, "ktp")
    html = verified_client(tono).get(reverse("documents:mine")).content.decode()
    assert f"/documents/{document.pk}/" not in html


# --- health data (docs/security.md, test 4) ----------------------------------------------------


def test_health_details_reach_only_those_who_need_them(
    wati, wati_person, alice, bob, carol, hana, admin_user
):
    document = upload(wati_person, wati, "medical", number="MED-778899", note="Catatan Hb rendah")
    pages = [
        reverse("documents:person", args=[wati_person.pk]),
        reverse("documents:detail", args=[document.pk]),
    ]
    for user in (bob, carol):  # a supervisor, and an officer not accompanying her
        client = verified_client(user)
        for url in pages:
            html = client.get(url).content.decode()
            assert "MED-778899" not in html and "Catatan Hb rendah" not in html, (user, url)
            assert reverse("documents:file", args=[document.pk, 1]) not in html
        assert client.get(reverse("documents:file", args=[document.pk, 1])).status_code == 404
        assert client.post(reverse("documents:verify", args=[document.pk])).status_code == 404
    for user in (alice, hana, admin_user):
        html = verified_client(user).get(pages[1]).content.decode()
        assert "MED-778899" in html and "Catatan Hb rendah" in html
    html = verified_client(wati).get(reverse("documents:mine")).content.decode()
    assert "MED-778899" in html


def test_numbers_are_masked_for_an_officer_who_does_not_accompany(wati, wati_person, carol, alice):
    document = upload(wati_person, wati, "passport", number="C1234567")
    assert (
        "C1234567"
        not in verified_client(carol)
        .get(reverse("documents:detail", args=[document.pk]))
        .content.decode()
    )
    assert (
        "C1234567"
        in verified_client(alice)
        .get(reverse("documents:detail", args=[document.pk]))
        .content.decode()
    )


# --- review -------------------------------------------------------------------------------


def _row_cells(html: str) -> list[tuple[str | None, str]]:
    """(data-label, text) of the cells of one <tr> answered to HTMX."""
    from garda.tests.markup import tables

    (table,) = tables(f"<table class='stack'><tbody>{html}</tbody></table>")
    (row,) = table.rows
    return row


def test_verify_with_htmx_swaps_the_row(wati, wati_person, carol, en):
    # Not an identity document: those stay with the person's officers (issue 19).
    document = upload(wati_person, wati, "diploma")
    client = en(carol)  # any officer may verify other documents from the queue
    response = client.post(
        reverse("documents:verify", args=[document.pk]),
        {"show_person": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="document-{document.pk}">')
    assert "Verified" in html and "<html" not in html
    assert wati_person.reference in html
    # The row as the queue shows it, a card below 640 px: every cell labelled, the
    # new state a green tag, the notice next to it.
    cells = dict(_row_cells(html))
    assert cells["State"] == "Verified Document verified."
    assert '<strong class="tag tag-green">Verified</strong>' in html
    assert cells["Person"] == f"{wati_person.full_name} {wati_person.reference}"
    again = client.post(reverse("documents:verify", args=[document.pk]), HTTP_HX_REQUEST="true")
    assert again.status_code == 404  # decided: no longer in carol's queue


def test_a_second_verify_fails_clearly(wati, wati_person, alice, bob, en):
    document = upload(wati_person, wati, "kk")
    from garda.documents.services import document_reject

    document_reject(actor=bob, document=document, reason="Buram")
    response = en(alice).post(
        reverse("documents:verify", args=[document.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "already “Rejected”" in response.content.decode()
    plain = en(alice).post(reverse("documents:verify", args=[document.pk]))
    assert plain.status_code == 302


def test_reject_needs_a_reason(wati, wati_person, alice, en):
    document = upload(wati_person, wati, "kk")
    client = en(alice)
    url = reverse("documents:reject", args=[document.pk])
    row = client.post(url, {"reason": ""}, HTTP_HX_REQUEST="true")
    assert row.status_code == 200 and "This field is required" in row.content.decode()
    assert (
        "Error: This field is required"
        in dict(_row_cells(row.content.decode()))["Files and actions"]
    )  # "Error:" is read out before the message (design-ui §3, form fields)
    page = client.post(url, {"reason": "  "})
    assert page.status_code == 400
    document.refresh_from_db()
    assert document.status == Document.Status.PENDING
    done = client.post(url, {"reason": "Foto buram"})
    assert done.status_code == 302
    document.refresh_from_db()
    assert document.status == "rejected" and document.rejection_reason == "Foto buram"


def test_staff_upload_on_behalf_and_officers_outside_cannot(wati_person, alice, carol):
    url = reverse("documents:upload", args=[wati_person.pk])

    def data():
        return {"type": "bpjs-tk", "number": "12345678901", "files": [_file("b.png", png_bytes())]}

    assert verified_client(carol).post(url, data()).status_code == 404
    assert AuditEvent.objects.filter(actor=carol, action="denied").exists()
    response = verified_client(alice).post(url, data())
    assert response.status_code == 302
    assert response.url == reverse("documents:person", args=[wati_person.pk])
    assert Document.objects.get().uploaded_by == alice


# --- lists and their query counts -----------------------------------------------------------


def _pending(n: int, officer, start: int, kind: str = "diploma"):
    for i in range(n):
        person = register(serial=100 + start + i, actor=officer, full_name=f"Queue {start + i}")
        upload(person, officer, kind)


def test_the_queue_pages_with_a_constant_number_of_queries(
    alice, carol, django_assert_max_num_queries
):
    _pending(3, alice, 0)
    client = verified_client(carol)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("documents:queue"))
    _pending(27, alice, 3)
    with django_assert_max_num_queries(20), CaptureQueriesContext(connection) as many:
        response = client.get(reverse("documents:queue"))
    assert len(many) == len(few)
    assert len(response.context["rows"]) == 25
    assert response.context["page"].paginator.num_pages == 2
    (table,) = assert_stacked_tables(response.content.decode())
    assert table.caption == "30 dokumen menunggu."
    assert table.header_texts == ["Dokumen", "Orang", "Tanggal", "Status", "File dan tindakan"]
    first = dict(table.rows[0])
    assert first["Dokumen"].startswith("Ijazah terakhir")  # shared work: anyone verifies
    assert first["Status"] == "Menunggu verifikasi"
    assert "Verifikasi" in first["File dan tindakan"]
    rows = response.context["rows"]
    assert rows[0].doc.uploaded_at <= rows[-1].doc.uploaded_at  # oldest first
    mine = verified_client(alice).get(reverse("documents:queue"), {"mine": "on"})
    assert mine.context["page"].paginator.count == 30
    assert (
        verified_client(carol)
        .get(reverse("documents:queue"), {"mine": "on"})
        .context["page"]
        .paginator.count
        == 0
    )
    assert AuditEvent.objects.filter(actor=carol, reason="queue").count() == 3


def test_the_person_page_has_a_constant_number_of_queries(
    siti, alice, django_assert_max_num_queries
):
    client = verified_client(alice)
    upload(siti, alice, "ktp")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("documents:person", args=[siti.pk]))
    for code in ("kk", "passport", "medical", "jlpt", "diploma", "skck"):
        upload(siti, alice, code)
    upload(siti, alice, "ktp")  # one replaced
    with django_assert_max_num_queries(20), CaptureQueriesContext(connection) as many:
        response = client.get(reverse("documents:person", args=[siti.pk]))
    assert len(many) == len(few)
    assert len(response.context["rows"]) == 7 and len(response.context["history"]) == 1


def test_expiring_documents_of_my_persons(siti, wati_person, alice, carol, bob, en):
    today = timezone.localdate()
    passport = document_verify(
        actor=alice,
        document=upload(siti, alice, "passport", expires_on=today + timedelta(days=100)),
    )
    html = en(alice).get(reverse("documents:expiring")).content.decode()
    assert siti.reference in html and f"/documents/{passport.pk}/" in html
    (table,) = assert_stacked_tables(html)
    row = dict(table.rows[0])
    until = today + timedelta(days=100)
    assert row["State"].startswith("Verified") or row["State"].startswith("Expiring soon")
    assert f"Valid until {until:%-d} {until:%b} {until.year}" in row["Dates"]
    assert iso_dates(html) == []
    assert siti.reference not in en(carol).get(reverse("documents:expiring")).content.decode()
    assert siti.reference in en(bob).get(reverse("documents:expiring")).content.decode()
    short = en(alice).get(reverse("documents:expiring"), {"within": "30"})
    assert f"/documents/{passport.pk}/" not in short.content.decode()


def test_upload_needs_the_csrf_token(wati, wati_person):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(wati)
    response = client.post(
        reverse("documents:upload", args=[wati_person.pk]),
        {"type": "ktp", "number": "1", "files": [_file("k.png", png_bytes())]},
    )
    assert response.status_code == 403
    assert not Document.objects.exists()


def test_text_from_users_is_escaped(wati, wati_person, alice):
    xss = '"><svg onload=alert(1)>'
    document = upload(wati_person, wati, "kk", note=xss)
    from garda.documents.services import document_reject

    document_reject(actor=alice, document=document, reason=xss)
    for user in (wati, alice):
        html = verified_client(user).get(reverse("documents:detail", args=[document.pk]))
        assert xss not in html.content.decode()
        assert "&quot;&gt;&lt;svg onload=alert(1)&gt;" in html.content.decode()


def test_earlier_uploads_on_the_document_page(wati, wati_person, alice):
    """One document's page lists its earlier uploads: cards for the worker, a stacked
    table for the officer (both readable on a phone), with the replaced state."""
    from garda.tests.markup import tables

    first = upload(wati_person, wati, "kk")
    newer = upload(wati_person, wati, "kk")
    url = reverse("documents:detail", args=[newer.pk])
    mine = verified_client(wati).get(url).content.decode()
    earlier = mine.split("<h2>Unggahan sebelumnya untuk dokumen ini</h2>")[1]
    assert '<ul class="card-list">' in earlier and f'id="document-{first.pk}"' in earlier
    assert '<strong class="tag tag-grey">Diganti</strong>' in earlier
    assert tables(mine) == []
    staff = verified_client(alice).get(url).content.decode()
    (table,) = assert_stacked_tables(staff)
    (row,) = [dict(r) for r in table.rows]
    assert row["Status"] == "Diganti Diganti dengan unggahan yang lebih baru"
