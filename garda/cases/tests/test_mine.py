"""The worker's own cases (cases/views/mine.py): reporting from the portal about
themself or a family member, the list and one case in the worker's words (never
what is internal), adding information and documents, and who may use these pages."""

import re
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from PIL import Image

from conftest import verified_client
from garda.accounts.models import Notification
from garda.audit.models import AuditEvent
from garda.cases import screening
from garda.cases.models import Case, CaseDocument, Channel, Escalation, MatchState, Note, Severity
from garda.cases.services.handling import case_assign, case_move
from garda.cases.services.record import note_add
from garda.cases.tests.factories import case_in_progress, open_case
from garda.people.tests.factories import person_data, register
from garda.places.models import Country, Region

pytestmark = pytest.mark.django_db

INTERNAL = "Catatan internal: majikan dikenal kasar, cek ke satgas"
SHARED = "Kami sudah menghubungi KBRI Kuala Lumpur."


@pytest.fixture
def malaysia(db):
    return Country.objects.create(
        code="MY", alpha3="MYS", numeric="458", name_id="Malaysia", name_en="Malaysia"
    )


@pytest.fixture
def wati_person(wati):
    Region.objects.get_or_create(
        code="31",
        defaults={
            "name": "DKI Jakarta",
            "level": "province",
            "first_edition": 2016,
            "last_edition": 2025,
        },
    )
    return register(serial=1, user=wati, full_name="Wati Susanti")


@pytest.fixture
def wati_case(alice, wati_person):
    """A family report about Wati (matched by her NIK), held by alice, in progress."""
    return case_in_progress(
        officer=alice,
        person_name="Wati Susanti",
        person_nik=person_data(serial=1)["nik"],
        reporter_phone="+6281299990000",
        kinds=["wages", "go_home"],
    )


def portal_post(**overrides) -> dict:
    data = {
        "relationship": "self",
        "country": "MY",
        "city": "Kuala Lumpur",
        "employer_abroad": "Jl. Ampang 12",
        "phone_abroad": "+60 12 345 6789",
        "kinds": ["wages"],
        "description": "Gaji saya belum dibayar tiga bulan.",
        "reporter_name": "Wati Susanti",
        "reporter_phone": "+6281234567890",
    }
    data.update(overrides)
    return data


def id_text(message) -> str:
    with translation.override("id"):
        return str(message)


def png_bytes() -> bytes:
    out = BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return out.getvalue()


def upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


# --- reporting from the portal ------------------------------------------------------------


def test_the_report_form_is_prefilled_and_phone_sized(wati, wati_person, malaysia):
    html = verified_client(wati).get(reverse("cases:mine_report")).content.decode()
    assert 'value="Wati Susanti"' in html  # the reporter's name from her record
    assert 'value="+6281234567890"' in html  # and her phone
    assert re.search(r'<input type="radio" name="relationship" value="self"[^>]*checked', html)
    assert "<details" in html and "Jika Anda bersedia menjawab" in html
    assert "<table" not in html and "novalidate" in html
    assert 'name="website"' not in html  # no honeypot behind the log-in
    # The read of her record to prefill the form is audited.
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, object_type="people.person", reason="case report"
    ).exists()


def test_a_worker_reports_for_themself(wati, wati_person, malaysia):
    client = verified_client(wati)
    answers = {"q_violence": "yes", "q_documents": "held"}
    response = client.post(reverse("cases:mine_report"), portal_post(**answers))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:mine_detail", args=[case.pk])
    assert case.channel == Channel.PORTAL
    assert case.person == wati_person and case.match_state == MatchState.LINKED
    assert case.reporter_user == wati and case.relationship == "self"
    assert case.subject_name == "Wati Susanti"
    assert case.tracking_index == ""  # no secret: she follows it in the portal
    assert case.country_id == "MY" and case.city == "Kuala Lumpur"
    # The screening she chose to answer counts (violence: urgent, critical).
    assert case.screening_level == screening.URGENT and case.severity == Severity.CRITICAL
    page = client.get(response["Location"]).content.decode()
    assert f"Nomor kasus: {case.reference}" in page
    assert "rahasia" not in page.lower() and "secret" not in page.lower()
    assert "Diterima, menunggu diperiksa" in page and "Belum ada petugas" in page


def test_what_is_typed_about_a_family_member_is_left_out_when_it_is_about_me(
    wati, wati_person, malaysia
):
    response = verified_client(wati).post(
        reverse("cases:mine_report"),
        portal_post(person_name="Orang Lain", person_nik="123", person_birth_date="kemarin"),
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.subject_name == "Wati Susanti" and case.subject_nik == ""
    assert case.person == wati_person


def test_a_worker_reports_for_a_family_member(wati, wati_person, malaysia):
    response = verified_client(wati).post(
        reverse("cases:mine_report"),
        portal_post(
            relationship="sibling",
            person_name="Dewi Lestari",
            person_birth_date="1998-04-13",
            last_contact_on="2026-01-05",
            reporter_name="Wati Susanti",
        ),
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.reporter_user == wati and case.relationship == "sibling"
    assert case.subject_name == "Dewi Lestari"
    assert case.person is None  # not her own record
    assert case.channel == Channel.PORTAL and case.tracking_index == ""
    # She follows it on her own pages although it is not about her.
    listing = verified_client(wati).get(reverse("cases:mine")).content.decode()
    assert case.reference in listing


def test_a_family_report_needs_the_name_in_indonesian(wati, wati_person, malaysia):
    response = verified_client(wati).post(
        reverse("cases:mine_report"), portal_post(relationship="parent", person_name="  ")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tulis nama anggota keluarga Anda." in html
    assert "<title>Kesalahan:" in html
    assert not Case.objects.exists()


def test_a_bad_report_is_refused_in_indonesian_and_nothing_is_written(wati, wati_person, malaysia):
    response = verified_client(wati).post(
        reverse("cases:mine_report"),
        portal_post(kinds=[], description="", city="Johor Bahru", person_name=""),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert "Pilih setidaknya satu jenis masalah." in html
    assert "Tulis apa yang terjadi." in html
    assert 'value="Johor Bahru"' in html  # what was typed is kept
    assert not Case.objects.exists()
    assert (
        not AuditEvent.objects.filter(object_type="cases.case")
        .exclude(action=AuditEvent.Action.VIEW)
        .exists()
    )


def test_an_unknown_kind_is_refused(wati, wati_person, malaysia):
    response = verified_client(wati).post(
        reverse("cases:mine_report"), portal_post(kinds=["wages", "aliens"])
    )
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_a_worker_without_a_record_can_still_report(tono, malaysia):
    client = verified_client(tono)
    html = client.get(reverse("cases:mine_report")).content.decode()
    assert 'value="Tono"' in html  # the account's name
    response = client.post(reverse("cases:mine_report"), portal_post(reporter_name="Tono"))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.person is None and case.subject_name == "Tono" and case.reporter_user == tono


# --- the list ----------------------------------------------------------------------------------


def test_the_list_shows_own_cases_in_words_and_nothing_of_others(wati, tono, alice, wati_case):
    other, _secret = open_case(
        actor=tono, channel=Channel.PORTAL, relationship="self", person_name="Tono"
    )
    client = verified_client(wati)
    html = client.get(reverse("cases:mine")).content.decode()
    assert wati_case.reference in html and other.reference not in html
    card = re.search(r'<li class="card" id="case-\d+">.*?</li>', html, re.S).group(0)
    assert "Sedang ditangani oleh Alice, Disnakertransgi" in card
    with translation.override("id"):
        from garda.cases.models import Kind

        assert str(Kind.WAGES.label) in card and str(Kind.GO_HOME.label) in card
    assert "in_progress" not in card and "wages" not in card  # words, not codes
    assert 'href="{}"'.format(reverse("cases:mine_report")) in html
    assert "<table" not in html
    assert AuditEvent.objects.filter(
        actor=wati, action=AuditEvent.Action.VIEW, object_type="cases.case", reason="own list"
    ).exists()


def test_the_empty_list_helps(wati, settings):
    settings.GARDA_HOTLINE = "+62 21 555 0100"
    html = verified_client(wati).get(reverse("cases:mine")).content.decode()
    main = html.split('id="main"', 1)[1].split("<footer", 1)[0]
    assert "Anda belum melaporkan masalah" in main
    assert 'href="tel:+62215550100"' in main  # the hotline, as the footer has it
    assert reverse("cases:mine_report") in main


def test_the_next_step_follows_the_officers_message(wati, alice, wati_case):
    client = verified_client(wati)
    html = client.get(reverse("cases:mine")).content.decode()
    assert "Petugas akan menghubungi Anda" in html
    note_add(actor=alice, case=wati_case, text=SHARED, shared=True)
    html = client.get(reverse("cases:mine")).content.decode()
    assert "Baca pesan petugas" in html
    note_add(actor=alice, case=wati_case, text=INTERNAL)  # internal: changes nothing
    assert "Baca pesan petugas" in client.get(reverse("cases:mine")).content.decode()


def test_the_list_queries_do_not_grow_with_cases(
    wati, wati_person, alice, django_assert_max_num_queries
):
    client = verified_client(wati)
    case, _ = open_case(actor=wati, channel=Channel.PORTAL, relationship="self", kinds=["wages"])
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("cases:mine"))
    for i in range(4):
        c = case_in_progress(
            officer=alice, person_name="Wati", person_nik=person_data(serial=1)["nik"]
        )
        note_add(actor=alice, case=c, text=f"Pesan {i}", shared=True)
    with django_assert_max_num_queries(14), CaptureQueriesContext(connection) as many:
        html = client.get(reverse("cases:mine")).content.decode()
    assert html.count('<li class="card"') == 5
    assert len(many) == len(few)


# --- one case ----------------------------------------------------------------------------------


def test_the_case_page_never_shows_what_is_internal(wati, alice, wati_case):
    from garda.cases.services.record import screening_record

    screening_record(actor=alice, case=wati_case, answers={"violence": "yes", "documents": "held"})
    note_add(actor=alice, case=wati_case, text=INTERNAL)
    note_add(actor=alice, case=wati_case, text=SHARED, shared=True)
    Escalation.objects.create(case=wati_case, clock="first_response", level=1)
    wati_case.refresh_from_db()
    assert wati_case.severity == Severity.CRITICAL and wati_case.task_force

    response = verified_client(wati).get(reverse("cases:mine_detail", args=[wati_case.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert SHARED in html and "Petugas Alice, Disnakertransgi" in html
    assert INTERNAL not in html
    assert person_data(serial=1)["nik"] not in html  # the NIK of the person concerned
    assert "+6281299990000" not in html  # the reporter's phone: she did not report it
    with translation.override("id"):
        for word in (
            Severity.CRITICAL.label,
            Severity.HIGH.label,
            *screening.LEVEL_LABELS.values(),
            *(q.text for q in screening.QUESTIONS),
            Case._meta.get_field("task_force").verbose_name,
        ):
            assert str(word) not in html, word
    assert "eskalasi" not in html.lower() and "escalat" not in html.lower()
    assert "Sedang ditangani oleh Alice, Disnakertransgi" in html
    assert "Orang tua" in html  # reported by: a parent (the relationship, not the name)
    assert "Sri Wahyuni" not in html
    assert "Gaji anak saya" not in html  # the reporter's own words stay with the reporter
    assert "<table" not in html
    assert AuditEvent.objects.filter(
        actor=wati, action=AuditEvent.Action.VIEW, object_id=str(wati_case.pk), reason="own"
    ).exists()


def test_another_workers_case_is_not_found(tono, wati_case):
    client = verified_client(tono)
    for response in (
        client.get(reverse("cases:mine_detail", args=[wati_case.pk])),
        client.post(reverse("cases:mine_message", args=[wati_case.pk]), {"text": "Halo"}),
        client.post(
            reverse("cases:mine_document_add", args=[wati_case.pk]),
            {"title": "Foto", "file": upload("a.png", png_bytes())},
        ),
    ):
        assert response.status_code == 404
    assert (
        AuditEvent.objects.filter(
            actor=tono,
            action=AuditEvent.Action.DENIED,
            object_type="cases.case",
            object_id=str(wati_case.pk),
        ).count()
        == 3
    )
    assert not Note.objects.filter(from_reporter=True).exists()
    assert not CaseDocument.objects.filter(shared=True).exists()


def test_a_missing_or_silly_case_id_is_not_found(wati):
    client = verified_client(wati)
    assert client.get(reverse("cases:mine_detail", args=[999999])).status_code == 404
    assert client.get("/cases/mine/99999999999999999999/").status_code == 404


def test_adding_information_tells_the_officer(wati, alice, wati_case):
    client = verified_client(wati)
    before = Notification.objects.filter(user=alice).count()
    response = client.post(
        reverse("cases:mine_message", args=[wati_case.pk]),
        {"text": "Majikan mengambil paspor saya kemarin."},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#messages")
    note = Note.objects.get(case=wati_case, from_reporter=True)
    assert note.shared and note.author == wati
    notices = Notification.objects.filter(user=alice)
    assert notices.count() == before + 1
    assert wati_case.reference in notices.first().title
    html = client.get(response["Location"]).content.decode()
    assert "Majikan mengambil paspor saya kemarin." in html
    assert re.search(r'<li class="card" id="note-\d+">\s*<p class="meta">Anda ·', html)


def test_empty_information_is_refused_in_indonesian(wati, wati_case):
    response = verified_client(wati).post(
        reverse("cases:mine_message", args=[wati_case.pk]), {"text": "   "}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Kesalahan:" in html and 'class="error-summary"' in html
    with translation.override("id"):
        from django.forms import Field

        assert str(Field.default_error_messages["required"]) in html
    assert not Note.objects.filter(from_reporter=True).exists()


def test_adding_a_document_tells_the_officer(wati, alice, wati_case):
    client = verified_client(wati)
    before = Notification.objects.filter(user=alice).count()
    response = client.post(
        reverse("cases:mine_document_add", args=[wati_case.pk]),
        {"title": "Foto slip gaji", "file": upload("slip.png", png_bytes())},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#documents")
    doc = CaseDocument.objects.get(case=wati_case, shared=True)
    assert doc.title == "Foto slip gaji" and doc.content_type == "image/png"
    assert doc.uploaded_by == wati
    assert Notification.objects.filter(user=alice).count() == before + 1
    html = client.get(response["Location"]).content.decode()
    assert "Foto slip gaji" in html
    # Staff files on the case are internal: not listed.
    assert "Surat" not in html


def test_a_staff_file_is_not_listed_for_the_worker(wati, alice, wati_case):
    from garda.cases.services.record import document_add

    document_add(
        actor=alice,
        case=wati_case,
        title="Laporan investigasi internal",
        data=b"%PDF-1.4\n%%EOF",
        content_type="application/pdf",
    )
    html = verified_client(wati).get(reverse("cases:mine_detail", args=[wati_case.pk]))
    assert "Laporan investigasi internal" not in html.content.decode()


def test_a_file_that_is_not_a_document_is_refused(wati, wati_case):
    response = verified_client(wati).post(
        reverse("cases:mine_document_add", args=[wati_case.pk]),
        {"title": "Kontrak", "file": upload("kontrak.pdf", b"<html><script>x</script></html>")},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Kesalahan:" in html
    assert "halaman web" in html  # what the file really is, in Indonesian
    assert not CaseDocument.objects.exists()


def test_a_document_needs_a_title_and_a_file(wati, wati_case):
    response = verified_client(wati).post(
        reverse("cases:mine_document_add", args=[wati_case.pk]), {"title": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Sebutkan berkas apa ini." in html and "Pilih berkas." in html
    assert not CaseDocument.objects.exists()


def test_an_oversized_upload_is_refused_before_it_is_read(wati, wati_case, settings):
    settings.GARDA_DOCUMENT_MAX_BYTES = 1024
    settings.GARDA_DOCUMENT_MAX_TOTAL_BYTES = 1024
    response = verified_client(wati).post(
        reverse("cases:mine_document_add", args=[wati_case.pk]),
        {"title": "Besar", "file": upload("besar.png", b"\x89PNG\r\n\x1a\n" + b"0" * 200_000)},
    )
    assert response.status_code == 413
    assert not CaseDocument.objects.exists()


def test_a_closed_case_takes_no_more_information(wati, alice, wati_case):
    case_move(
        actor=alice, case=wati_case, stage="closed", reason="ditarik", closing_reason="withdrawn"
    )
    client = verified_client(wati)
    html = client.get(reverse("cases:mine_detail", args=[wati_case.pk])).content.decode()
    assert "Ditutup" in html
    assert reverse("cases:mine_message", args=[wati_case.pk]) not in html
    assert reverse("cases:mine_document_add", args=[wati_case.pk]) not in html
    response = client.post(reverse("cases:mine_message", args=[wati_case.pk]), {"text": "Lagi"})
    assert response.status_code == 400
    assert "Kasus ini sudah ditutup" in response.content.decode()
    response = client.post(
        reverse("cases:mine_document_add", args=[wati_case.pk]),
        {"title": "Foto", "file": upload("a.png", png_bytes())},
    )
    assert response.status_code == 400
    assert not Note.objects.filter(from_reporter=True).exists()
    assert not CaseDocument.objects.filter(shared=True).exists()


def test_a_family_reporter_sees_the_case_without_the_workers_internal_facts(wati, alice, malaysia):
    """Wati reported for her sister; the officer's shared messages reach her, the
    internal note does not; the case speaks of "Dewi", not "you"."""
    client = verified_client(wati)
    client.post(
        reverse("cases:mine_report"),
        portal_post(relationship="sibling", person_name="Dewi Lestari"),
    )
    case = Case.objects.get()

    case = case_move(actor=alice, case=case, stage="triaged", reason="dicek")
    case = case_assign(actor=alice, case=case, officer=alice, reason="ambil")
    note_add(actor=alice, case=case, text=INTERNAL)
    note_add(actor=alice, case=case, text=SHARED, shared=True)
    assert Notification.objects.filter(user=wati, title__contains=case.reference).exists()
    html = client.get(reverse("cases:mine_detail", args=[case.pk])).content.decode()
    assert SHARED in html and INTERNAL not in html
    assert "Dewi Lestari" in html
    assert "Gaji saya belum dibayar tiga bulan." in html  # what she wrote herself
    assert "Ditangani oleh Alice, Disnakertransgi" in html


# --- who may use these pages ---------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "bob", "admin_user", "teguh", "putri"])
def test_other_roles_are_refused(who, request, wati_case):
    user = request.getfixturevalue(who)
    client = verified_client(user)
    pk = wati_case.pk
    for method, url, data in (
        ("get", reverse("cases:mine"), None),
        ("get", reverse("cases:mine_report"), None),
        ("post", reverse("cases:mine_report"), portal_post()),
        ("get", reverse("cases:mine_detail", args=[pk]), None),
        ("post", reverse("cases:mine_message", args=[pk]), {"text": "x"}),
        ("post", reverse("cases:mine_document_add", args=[pk]), {"title": "x"}),
    ):
        response = getattr(client, method)(url, data or {})
        assert response.status_code == 403, (who, url)
    assert AuditEvent.objects.filter(actor=user, action=AuditEvent.Action.DENIED).count() == 6
    assert Case.objects.count() == 1 and not Note.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, wati_case):
    response = client.get(reverse("cases:mine_detail", args=[wati_case.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
