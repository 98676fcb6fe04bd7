"""The referral pages: the "Rujukan" block and "Rujuk ke instansi lain" form from the
staff case page, a paper answer recorded on the agency's behalf, the partner's
inbox and answer, and the lists' query counts (pages and API)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import verified_client
from garda.referrals.models import Referral, ReferralEvent, Status
from garda.referrals.tests.conftest import refer

pytestmark = pytest.mark.django_db


def test_the_case_page_lists_referrals_and_links_the_form(referral, case, alice):
    page = verified_client(alice).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="referrals"' in page and referral.reference in page
    assert reverse("referrals:create", args=[case.pk]) in page
    assert "Rujuk ke instansi lain" in page


def test_the_form_shows_the_consent_and_refers(case, bp3mi, alice, consent, putri):
    client = verified_client(alice)
    url = reverse("referrals:create", args=[case.pk])
    page = client.get(url).content.decode()
    assert "Rujuk ke instansi lain" in page and "Nomor identitas (NIK)" in page
    answer = client.post(
        url,
        {
            "agency": bp3mi.pk,
            "service_type": "legal_aid",
            "request": "Pendampingan hukum",
            "sections": ["summary", "reporter"],
        },
    )
    referral = Referral.objects.get()
    assert answer.status_code == 302 and answer.url == reverse(
        "referrals:detail", args=[referral.pk]
    )
    assert referral.consent == consent and referral.sections == ["summary", "reporter"]
    assert referral.due_at > timezone.now() + timedelta(days=4)  # the policy's 5 days


def test_a_bad_form_says_why_in_indonesian_and_writes_nothing(case, bp3mi, alice):
    answer = verified_client(alice).post(
        reverse("referrals:create", args=[case.pk]),
        {"agency": bp3mi.pk, "service_type": "shelter", "request": "x", "sections": ["summary"]},
    )
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "tulis mengapa tidak bisa menunggu" in text
    assert not Referral.objects.exists()


def test_the_handler_records_a_paper_answer(referral, alice, putri):
    client = verified_client(alice)
    url = reverse("referrals:accept", args=[referral.pk])
    refused = client.post(url, {"version": referral.version})
    assert refused.status_code == 400
    referral.refresh_from_db()
    assert referral.status == Status.REQUESTED
    answer = client.post(
        url, {"version": referral.version, "channel": "letter", "given_by_name": "Kepala BP3MI"}
    )
    assert answer.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    event = referral.events.get(kind=ReferralEvent.Kind.ACCEPTED)
    assert (event.actor, event.channel, event.given_by_name) == (alice, "letter", "Kepala BP3MI")
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Kepala BP3MI" in page and "Lewat surat" in page


def test_the_partner_answers_from_the_inbox(referral, putri):
    client = verified_client(putri)
    inbox = client.get(reverse("referrals:list")).content.decode()
    assert referral.reference in inbox and "Menunggu jawaban instansi" in inbox
    stale = client.post(reverse("referrals:accept", args=[referral.pk]), {"version": 99})
    assert stale.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.REQUESTED
    client.post(reverse("referrals:accept", args=[referral.pk]), {"version": referral.version})
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    bad = client.post(reverse("referrals:report", args=[referral.pk]), {"what": ""})
    assert bad.status_code == 400
    done = client.post(
        reverse("referrals:report", args=[referral.pk]),
        {
            "version": referral.version,
            "what": "Pemulangan",
            "delivered_on": str(timezone.localdate()),
            "delivered_by_name": "Budi",
            "outcome": "Tiba di Jakarta",
        },
    )
    assert done.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.REPORTED and referral.planned_service.done_at


def test_the_lists_take_a_fixed_number_of_queries(
    case, bp3mi, alice, bob, putri, consent, django_assert_max_num_queries
):
    for _ in range(6):
        refer(case, bp3mi, alice)
    for user in (putri, alice, bob):
        client = verified_client(user)
        with django_assert_max_num_queries(20):
            page = client.get(reverse("referrals:list"))
        assert page.status_code == 200 and page.content.decode().count("RJK-") >= 6
        with django_assert_max_num_queries(12):
            answer = client.get("/api/v1/referrals")
        assert answer.json()["count"] == 6
    officer = verified_client(alice)
    with django_assert_max_num_queries(14):
        answer = officer.get(f"/api/v1/cases/{case.pk}/referrals")
    assert answer.json()["count"] == 6
