"""Health data in the readiness summary PDF and the worklist (docs/security.md, test 4): a
medical result's rejection reason reaches only those who may see the person's health
data (the worker, their assigned officers, health staff, admins), not a supervisor
of a manpower office who downloads the PDF or looks at an officer's worklist."""

import re
import zlib

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import verified_client
from garda.accompaniment import pdf
from garda.accompaniment import worklist as wl
from garda.destinations.readiness import readiness_for
from garda.destinations.services.plans import plan_set
from garda.destinations.tests.factories_readiness import KR_EPS, document, requirement_set
from garda.people.models import Person

SECRET = "HEPATITIS"


@pytest.fixture
def core_fonts(monkeypatch, settings):
    """The Latin-1 core fonts: the PDF's text is then plain in its content streams."""
    settings.GARDA_PDF_FONT_DIR = ""
    monkeypatch.setattr(pdf, "FONT_DIRS", ())


@pytest.fixture
def rejected(accompanied_wati, alice):
    """Wati (accompanied by alice) plans KR; her medical result is rejected for a
    health reason; her readiness is cached (the worklist reads the cache only)."""
    Person.objects.filter(pk=accompanied_wati.pk).update(education_level="sma")
    person = Person.objects.get(pk=accompanied_wati.pk)
    requirement_set(KR_EPS)
    plan_set(
        actor=alice,
        person=person,
        destination_code="KR",
        scheme_code="g2g-kr-eps",
        sector="manufacturing",
    )
    document(
        person,
        "medical",
        "rejected",
        issued_on=timezone.localdate(),
        rejection_reason=f"{SECRET}-B positive",
    )
    result = readiness_for(person)
    assert result.next_steps[0].requirement_code == "medical"
    assert SECRET in result.next_steps[0].text  # the cache holds the full answer
    return person


def pdf_text(content: bytes) -> bytes:
    streams = re.findall(rb"stream\r?\n(.*?)endstream", content, re.S)
    return content + b"".join(zlib.decompress(s) for s in streams if s[:1] == b"x")


# --- the PDF ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["bob", "dewi", None])
def test_the_summary_leaves_the_reason_out_for_others(core_fonts, who, request, rejected):
    viewer = request.getfixturevalue(who) if who else None
    summary = pdf.summary_for(rejected, viewer=viewer)
    medical = next(r for r in summary.result.requirements if r.code == "medical")
    assert medical.state == "rejected" and medical.detail == ""
    assert SECRET not in str(summary.result.to_dict())
    content = pdf.render_summary(summary, compress=False)
    assert SECRET.encode() not in content
    assert b"rejected: upload it again" in content or b"ditolak" in content


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["wati", "alice", "admin_user"])
def test_the_summary_keeps_the_reason_for_those_who_may_see_it(core_fonts, who, request, rejected):
    summary = pdf.summary_for(rejected, viewer=request.getfixturevalue(who))
    assert SECRET in str(summary.result.to_dict())
    assert SECRET.encode() in pdf.render_summary(summary, compress=False)


@pytest.mark.django_db
def test_a_supervisor_s_download_holds_no_health_reason(core_fonts, bob, rejected):
    response = verified_client(bob).get(reverse("accompaniment:summary_pdf", args=[rejected.pk]))
    assert response.status_code == 200
    assert SECRET.encode() not in pdf_text(response.content)


# --- the worklist -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_worklist_step_is_generic_for_readers_without_health_access(alice, bob, rejected):
    rows = wl.worklist_rows(alice)
    for viewer in (bob, None):
        wl.fill_page(rows, alice, viewer=viewer)
        (row,) = rows
        assert row.next_step["code"] == "rejected"
        assert SECRET not in row.next_step["text"] and row.next_step["text"]
    wl.fill_page(rows, alice, viewer=alice)  # the assigned officer themself
    assert SECRET in rows[0].next_step["text"]


@pytest.mark.django_db
def test_a_supervisor_looking_at_a_worklist_sees_no_health_reason(alice, bob, rejected):
    client = verified_client(bob)
    page = client.get(reverse("accompaniment:worklist"), {"officer": alice.pk})
    assert page.status_code == 200 and "Wati Lestari" in page.content.decode()
    assert SECRET not in page.content.decode()
    body = client.get("/api/v1/worklist", {"officer_id": alice.pk})
    assert body.status_code == 200 and body.json()["items"][0]["next_step"]["text"]
    assert SECRET not in body.content.decode()


@pytest.mark.django_db
def test_the_worker_s_own_download_and_the_officer_s_worklist_keep_the_reason(
    core_fonts, wati, alice, rejected
):
    """Those who may see the health data get it through the views too: the worker's
    own PDF (page and API) and the accompanying officer's own worklist."""
    client = verified_client(wati)
    for url in (reverse("accompaniment:my_summary_pdf"), "/api/v1/me/readiness-summary.pdf"):
        response = client.get(url)
        assert response.status_code == 200
        assert SECRET.encode() in pdf_text(response.content)
    officer = verified_client(alice)
    assert SECRET in officer.get(reverse("accompaniment:worklist")).content.decode()
    assert SECRET in officer.get("/api/v1/worklist").content.decode()


@pytest.mark.django_db
def test_the_officer_s_worklist_speaks_about_the_person_not_to_them(alice, rejected):
    """The cache holds the worker's words ("Unggah ulang ... Anda"); the officer's
    worklist says what the officer does about the person, with the document's name
    (looked up by code, one query for the page) and the reason kept."""
    html = verified_client(alice).get(reverse("accompaniment:worklist")).content.decode()
    step = re.search(r"Berikutnya: (.*?)</span>", html, re.S).group(1)
    assert step.startswith("Minta Wati Lestari mengunggah ulang Hasil pemeriksaan kesehatan")
    assert SECRET in step and "Anda" not in step


@pytest.mark.django_db
def test_the_reason_stays_whatever_language_the_officer_reads_in(alice, rejected):
    """The cache keeps a step's detail apart from its sentence, so the officer's
    wording carries it even when the cache was computed in the other language."""
    client = verified_client(alice)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("accompaniment:worklist")).content.decode()
    assert "Ask Wati Lestari to upload the" in html and SECRET in html
