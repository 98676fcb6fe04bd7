"""The worker's "Dokumen saya" as cards (docs/design-ui.md §2.3): one card per
document with its state as a tag in words (red where the worker must act), the
number, the validity, the officer's note and the actions; the upload hint names the
file types and the size limits; a constant number of queries however many documents."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from conftest import verified_client
from garda.documents.services import document_reject, document_verify
from garda.documents.tests.conftest import upload

pytestmark = pytest.mark.django_db

MINE = "/documents/me/"


def _card(html: str, document) -> str:
    match = re.search(rf'<li class="card" id="document-{document.pk}".*?</li>', html, re.S)
    assert match, f"no card for document {document.pk}"
    return match.group()


def test_each_document_is_a_card_with_its_state_in_words(wati, wati_person, alice):
    today = timezone.localdate()
    ktp = upload(wati_person, wati, "ktp", number="3171014101900001")
    document_reject(actor=alice, document=ktp, reason="Foto buram, ulangi di tempat terang")
    passport = document_verify(
        actor=alice,
        document=upload(
            wati_person, wati, "passport", number="C7654321", expires_on=today + timedelta(days=20)
        ),
    )
    kk = upload(wati_person, wati, "kk", number="3171010101010001")
    page = verified_client(wati).get(MINE)
    html = page.content.decode()
    assert "<table" not in html  # cards, never a wide table on a phone
    assert "1 dokumen perlu tindakan Anda." in html

    rejected = _card(html, ktp)
    assert '<strong class="tag tag-red">Ditolak</strong>' in rejected
    assert "Catatan petugas" in rejected and "Foto buram, ulangi di tempat terang" in rejected
    assert "3171014101900001" in rejected
    # Upload again: the form below with the type chosen, named for a screen reader.
    assert '<a href="?type=ktp#upload">Unggah ulang<span class="sr-only">' in rejected
    assert reverse("documents:file", args=[ktp.pk, 1]) in rejected
    assert ">Lihat file<" in rejected

    expiring = _card(html, passport)
    assert '<strong class="tag tag-yellow">Segera kedaluwarsa</strong>' in expiring
    assert "Berlaku sampai" in expiring
    with translation.override("id"):
        assert date_format(today + timedelta(days=20), "j F Y") in expiring  # "6 Maret 2026"
    assert (today + timedelta(days=20)).isoformat() not in html
    assert "?type=passport#upload" in expiring

    waiting = _card(html, kk)
    assert '<strong class="tag tag-yellow">Menunggu verifikasi</strong>' in waiting
    assert "#upload" not in waiting  # nothing to fix


def test_the_upload_hint_names_file_types_and_size_limits(wati, wati_person, settings):
    settings.GARDA_DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
    settings.GARDA_DOCUMENT_MAX_TOTAL_BYTES = 15 * 1024 * 1024
    html = verified_client(wati).get(MINE).content.decode()
    assert "JPG, PNG, atau PDF, paling besar 5 MB per file dan 15 MB untuk semua halaman" in html
    assert 'accept="application/pdf,image/jpeg,image/png' in html


def test_a_replaced_upload_is_folded_away_and_has_no_action(wati, wati_person, alice):
    first = upload(wati_person, wati, "ktp")
    document_reject(actor=alice, document=first, reason="Terpotong")
    upload(wati_person, wati, "ktp")
    html = verified_client(wati).get(MINE).content.decode()
    folded = html[html.index('<details class="details">') :]
    folded = folded[: folded.index("</details>")]
    old = _card(folded, first)
    assert '<strong class="tag tag-grey">Diganti</strong>' in old
    assert "#upload" not in old


def test_health_details_stay_hidden_on_a_card_only_from_others(wati, wati_person, alice):
    medical = upload(wati_person, wati, "medical", number="MED-4455")
    document_reject(actor=alice, document=medical, reason="Hb rendah")
    card = _card(verified_client(wati).get(MINE).content.decode(), medical)
    # The person herself sees her own health details.
    assert "MED-4455" in card and "Hb rendah" in card


def test_the_cards_take_a_constant_number_of_queries(
    wati, wati_person, alice, django_assert_max_num_queries
):
    client = verified_client(wati)
    upload(wati_person, wati, "ktp")
    with CaptureQueriesContext(connection) as few:
        client.get(MINE)
    for code in ("kk", "passport", "medical", "jlpt", "diploma", "skck"):
        document_verify(actor=alice, document=upload(wati_person, wati, code))
    upload(wati_person, wati, "ktp")  # one replaced
    with django_assert_max_num_queries(20), CaptureQueriesContext(connection) as many:
        response = client.get(MINE)
    assert len(many) == len(few)
    assert response.content.decode().count('<li class="card"') == 8  # 7 + 1 replaced


def test_another_worker_sees_none_of_these_cards(wati, wati_person, tono, tono_person):
    mine = upload(wati_person, wati, "ktp")
    html = verified_client(tono).get(MINE).content.decode()
    assert f'id="document-{mine.pk}"' not in html
    assert "Belum ada dokumen." in html
