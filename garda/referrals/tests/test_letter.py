"""The printable referral letter: the number to answer against, from, to, what is
asked, the answer-by date, the parts shared, the person's name and how to answer, in
Indonesian, with a QR code of the referral's page; printed by the case's handlers and
the receiving agency's partners while the referral is live; 404 with a denied row
for everyone else; every print an EXPORT audit row."""

from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from conftest import make_user, verified_client
from garda.accounts import roles
from garda.audit.models import AuditEvent
from garda.cases.tests.factories import case_in_progress
from garda.referrals.models import Referral, Status
from garda.referrals.pdf import letter_for, render_letter
from garda.referrals.tests.factories_followup import make_referral

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
DUE = datetime(2026, 12, 10, 15, 30, tzinfo=JAKARTA)


@pytest.fixture
def referral(alice, bp3mi):
    case = case_in_progress(officer=alice, person_name="Siti Aminah")
    return make_referral(
        case=case,
        agency=bp3mi,
        requested_by=alice,
        due_at=DUE,
        sections=["summary", "person"],
        request="Mohon bantuan kepulangan dari Kuala Lumpur.",
        service_type="repatriation",
    )


def url(referral) -> str:
    return f"/referrals/{referral.pk}/letter.pdf"


def text_of(content: bytes) -> str:
    reader = PdfReader(BytesIO(content))
    return " ".join(page.extract_text() for page in reader.pages)


def test_the_officer_prints_the_letter(referral, alice):
    response = verified_client(alice).get(url(referral))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert referral.reference in response["Content-Disposition"]
    text = " ".join(text_of(response.content).split())
    for expected in (
        "Surat rujukan",
        referral.reference,
        "Dinas Tenaga Kerja, Transmigrasi dan Energi",  # from
        "Alice",
        "BP3MI DKI Jakarta",  # to
        "Mohon bantuan kepulangan dari Kuala Lumpur.",
        "Siti Aminah",
        "10 Desember 2026",
        "Cara menjawab",
        "Yang terjadi",  # the sections, by name
        "Orangnya",
    ):
        assert expected in text, expected
    assert "NIK" not in text.replace("Nomor identitas (NIK)", "")
    assert AuditEvent.objects.filter(
        actor=alice,
        action=AuditEvent.Action.EXPORT,
        object_type="referrals.referral",
        object_id=str(referral.pk),
        reason="referral letter pdf",
    ).exists()


def test_the_letter_carries_a_qr_code_of_the_referral_page(referral):
    letter = letter_for(referral)
    assert letter.link.startswith("http") and letter.link.endswith(f"/{referral.pk}/")
    reader = PdfReader(BytesIO(render_letter(letter)))
    assert len(reader.pages[0].images) == 1


def test_the_letter_is_indonesian_whatever_the_language(referral, settings):
    from django.utils import translation

    with translation.override("en"):
        text = text_of(render_letter(letter_for(referral)))
    assert "Surat rujukan" in text and "Referral letter" not in text


@pytest.mark.parametrize("who", ["bob", "admin_user"])
def test_handlers_print(referral, who, request):
    user = request.getfixturevalue(who)
    assert verified_client(user).get(url(referral)).status_code == 200


def test_the_partner_prints_only_inside_their_window(referral, putri):
    """The letter carries the referred data: the receiving partner prints it only
    once the referral is accepted, as their page and the API show it (before that:
    the request alone, on the referral's page)."""
    assert verified_client(putri).get(url(referral)).status_code == 404
    assert AuditEvent.objects.filter(
        actor=putri, action=AuditEvent.Action.DENIED, reason="referral letter"
    ).exists()
    Referral.objects.filter(pk=referral.pk).update(status=Status.ACCEPTED)
    response = verified_client(putri).get(url(referral))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(
        actor=putri, action=AuditEvent.Action.EXPORT, object_id=str(referral.case_id)
    ).exists()


def test_nobody_prints_once_the_sharing_ended(referral, alice, putri, wati_person, bp3mi):
    """A withdrawn consent (or an ended referral) ends the sharing: the letter, which
    carries the data, is not printed any more, by the partner nor by the officer."""
    from django.utils import timezone

    from garda.privacy.models import SharingRecord

    sharing = SharingRecord.objects.create(
        person=wati_person,
        agency=bp3mi,
        purpose="rujukan",
        parts=["case"],
        override_reason="darurat",
        shared_by=alice,
    )
    Referral.objects.filter(pk=referral.pk).update(status=Status.ACCEPTED, sharing=sharing)
    assert verified_client(putri).get(url(referral)).status_code == 200
    SharingRecord.objects.filter(pk=sharing.pk).update(ended_at=timezone.now())
    assert verified_client(putri).get(url(referral)).status_code == 404
    assert verified_client(alice).get(url(referral)).status_code == 404


def test_the_partner_no_longer_prints_a_closed_referral(referral, putri):
    Referral.objects.filter(pk=referral.pk).update(status=Status.CLOSED)
    assert verified_client(putri).get(url(referral)).status_code == 404
    assert AuditEvent.objects.filter(
        actor=putri, action=AuditEvent.Action.DENIED, reason="referral letter"
    ).exists()


def test_others_get_404_and_a_denied_row(referral, carol, wati, teguh, dinsos):
    other_partner = make_user("dinsos.mitra@example.org", roles.PARTNER, dinsos)
    other_supervisor = make_user("sari@example.org", roles.SUPERVISOR, dinsos)
    for user in (carol, wati, teguh, other_partner, other_supervisor):
        assert verified_client(user).get(url(referral)).status_code == 404, user
        assert AuditEvent.objects.filter(actor=user, action=AuditEvent.Action.DENIED).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_a_missing_referral_is_404(alice):
    assert verified_client(alice).get("/referrals/999999/letter.pdf").status_code == 404


def test_the_public_is_sent_to_the_log_in(referral, client):
    response = client.get(url(referral))
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


NIK = "3171014101900001"


def _indonesian(text: str) -> str:
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("id"):
        return gettext(text)


@pytest.fixture
def screened_case(alice):
    from garda.cases.services.record import screening_record

    case = case_in_progress(officer=alice, person_name="Siti Aminah", person_nik=NIK)
    screening_record(actor=alice, case=case, answers={"documents": "held"})
    return case


def letter_text(case, sections, bp3mi, alice) -> str:
    referral = make_referral(case=case, agency=bp3mi, requested_by=alice, sections=sections)
    response = verified_client(alice).get(url(referral))
    assert response.status_code == 200
    return " ".join(text_of(response.content).split())


def test_the_letter_carries_the_referred_data_and_only_it(screened_case, alice, bp3mi):
    text = letter_text(screened_case, ["summary", "whereabouts"], bp3mi, alice)
    for expected in (
        "Gaji anak saya belum dibayar tiga bulan.",  # the case's description
        "Kuala Lumpur",  # the city
        f"{_indonesian('Kind of problem')}:",  # label/value rows, in Indonesian
        f"{_indonesian('City')}: Kuala Lumpur",
        "Status: Terbuka",  # the record status as an adjective, not the verb "Buka"
        "Keberadaan orang itu",  # the section's name
    ):
        assert expected in text, expected
    assert NIK not in text
    for screening_word in (
        _indonesian("The employer or agent holds them"),
        _indonesian("Retention of identity documents"),
        _indonesian("Latest result"),
    ):
        assert screening_word not in text, screening_word
    # Only the referred sections: the reporter's phone is not on the letter.
    assert "+6281234567001" not in text


def test_the_letter_shows_the_nik_in_full_when_identity_is_referred(screened_case, alice, bp3mi):
    text = letter_text(screened_case, ["person", "identity"], bp3mi, alice)
    assert f"NIK: {NIK}" in text
    assert "Siti Aminah" in text


def test_the_letter_shows_the_screening_in_words_when_referred(screened_case, alice, bp3mi):
    text = letter_text(screened_case, ["screening"], bp3mi, alice)
    assert _indonesian("The employer or agent holds them") in text
    assert _indonesian("Retention of identity documents") in text
    assert "held" not in text.split()
    assert NIK not in text
