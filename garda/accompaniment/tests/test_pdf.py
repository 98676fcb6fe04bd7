"""The readiness summary PDF: who may download it, what it holds, how it is sent,
that it is audited, and that no name or text can crash it."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import verified_client
from garda.accompaniment import pdf
from garda.accompaniment.services import task_create
from garda.accompaniment.tests.conftest import later
from garda.audit.models import AuditEvent
from garda.destinations.services.plans import plan_set
from garda.people.tests.factories import register

XSS = '"><svg onload=alert(1)>'


def pages(content: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", content))


@pytest.fixture
def core_fonts(monkeypatch, settings):
    """Force the Latin-1 core-font fallback (a machine without DejaVu)."""
    settings.GARDA_PDF_FONT_DIR = ""
    monkeypatch.setattr(pdf, "FONT_DIRS", ())


@pytest.fixture
def planned_wati(accompanied_wati, alice, disnaker):
    disnaker.phone = "021-5255733"
    disnaker.email = "pasukanputih@jakarta.go.id"
    disnaker.save()
    plan_set(
        actor=alice,
        person=accompanied_wati,
        destination_code="KR",
        scheme_code="g2g-kr-eps",
        sector="manufacturing",
    )
    task_create(
        actor=alice,
        person=accompanied_wati,
        kind="appointment",
        title="Antar ke Kantor Imigrasi",
        place="Kanim Jakarta Selatan",
        due_at=later(days=3),
        note="internal note",
    )
    return accompanied_wati


def assert_pdf_download(response, reference: str) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="ringkasan-kesiapan-{reference}.pdf"'
    )
    assert response["Cache-Control"] == "no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"%PDF")
    assert pages(response.content) >= 1
    return response.content


@pytest.mark.django_db
def test_worker_downloads_their_own_summary_audited(wati, planned_wati):
    client = verified_client(wati)
    page = client.get(reverse("accompaniment:mine"))
    assert reverse("accompaniment:my_summary_pdf") in page.content.decode()
    assert_pdf_download(client.get(reverse("accompaniment:my_summary_pdf")), planned_wati.reference)
    assert_pdf_download(
        client.get(f"/api/v1/people/{planned_wati.pk}/readiness-summary.pdf"),
        planned_wati.reference,
    )
    assert_pdf_download(client.get("/api/v1/me/readiness-summary.pdf"), planned_wati.reference)
    events = AuditEvent.objects.filter(actor=wati, action="export", reason="readiness summary pdf")
    assert events.count() == 3
    assert set(events.values_list("object_id", flat=True)) == {str(planned_wati.pk)}


@pytest.mark.django_db
def test_a_worker_cannot_get_another_persons_summary(wati, tono, tono_person, planned_wati):
    client = verified_client(tono)
    assert client.get(f"/api/v1/people/{planned_wati.pk}/readiness-summary.pdf").status_code == 404
    staff_url = reverse("accompaniment:summary_pdf", args=[planned_wati.pk])
    assert client.get(staff_url).status_code == 403
    mine = client.get(reverse("accompaniment:my_summary_pdf"))
    assert_pdf_download(mine, tono_person.reference)
    assert not AuditEvent.objects.filter(
        action="export", object_id=str(planned_wati.pk), actor=tono
    ).exists()


@pytest.mark.django_db
def test_worker_without_a_record_gets_404(wati):
    client = verified_client(wati)
    assert client.get(reverse("accompaniment:my_summary_pdf")).status_code == 404
    assert client.get("/api/v1/me/readiness-summary.pdf").status_code == 404
    page = client.get(reverse("accompaniment:mine"))
    assert page.status_code == 200 and reverse("people:me") in page.content.decode()


@pytest.mark.django_db
def test_staff_who_accompany_download_it(alice, bob, admin_user, dewi, teguh, planned_wati):
    url = reverse("accompaniment:summary_pdf", args=[planned_wati.pk])
    for user in (alice, bob, admin_user):
        assert_pdf_download(verified_client(user).get(url), planned_wati.reference)
    assert verified_client(dewi).get(url).status_code == 404
    assert verified_client(teguh).get(url).status_code == 403
    exports = AuditEvent.objects.filter(action="export", object_id=str(planned_wati.pk))
    assert sorted(exports.values_list("actor_role", flat=True)) == [
        "admin",
        "officer",
        "supervisor",
    ]


@pytest.mark.django_db
def test_content_with_core_fonts(core_fonts, planned_wati):
    summary = pdf.summary_for(planned_wati)
    assert summary.result is not None and summary.target
    content = pdf.render_summary(summary, compress=False)
    assert content.startswith(b"%PDF")
    text = content.decode("latin-1")
    assert "Wati Lestari" in text and planned_wati.reference in text
    assert "Antar ke Kantor Imigrasi" in text and "Kanim Jakarta Selatan" in text
    assert "internal note" not in text
    assert "021-5255733" in text and "pasukanputih@jakarta.go.id" in text
    assert "Alice" in text
    # What is missing, with where to go (the engine's first next step).
    first_step = summary.result.next_steps[0]
    assert pdf.transliterate(first_step.text)[:30].replace("(", "\\(").replace(")", "\\)") in text
    assert planned_wati.nik not in text


@pytest.mark.django_db
@pytest.mark.parametrize("fonts", ["core", "unicode"])
def test_any_name_renders(fonts, monkeypatch, settings, alice, caplog):
    if fonts == "core":
        settings.GARDA_PDF_FONT_DIR = ""
        monkeypatch.setattr(pdf, "FONT_DIRS", ())
    elif pdf.unicode_font_dir() is None:
        pytest.skip("no DejaVu font on this machine")
    person = register(
        serial=7, actor=alice, full_name=f"Nguyễn Thị Ánh “Ọ” 王小明 Łukasz {XSS}\u200b"
    )
    task_create(
        actor=alice,
        person=person,
        kind="appointment",
        title="Pemeriksaan kesehatan – “MCU” → RSUD",
        place="Jl. Kyai Tapa № 1",
        due_at=later(days=1),
    )
    content = pdf.render_summary(pdf.summary_for(person), compress=False)
    assert content.startswith(b"%PDF") and pages(content) >= 1
    # No "missing glyphs" warning quoting part of the name reaches the logs.
    assert "王" not in caplog.text and "missing" not in caplog.text.lower()
    if fonts == "core":
        text = content.decode("latin-1")
        assert "Nguyen Thi Ánh" in text and "Lukasz" in text and "王" not in text
        assert '"><svg onload=alert\\(1\\)>' in text  # shown as text, nothing else


def test_transliterate():
    assert pdf.transliterate("Nguyễn “Ánh” – ok…") == 'Nguyen "Ánh" - ok...'
    assert pdf.transliterate("王\x00x\ty") == "?x y"
    assert pdf.transliterate("abc", lambda ch: ch != "b") == "a?c"


@pytest.mark.django_db
def test_no_plan_still_gives_a_summary(core_fonts, wati, wati_person):
    summary = pdf.summary_for(wati_person, now=timezone.now())
    assert summary.result is None and summary.officers == []
    text = pdf.render_summary(summary, compress=False).decode("latin-1")
    assert "Wati Lestari" in text
