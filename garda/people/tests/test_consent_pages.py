"""Consent pages: the worker's own (/people/me/consents/) and an officer's for a person
they may see (/people/<id>/consents/), through the test client with the personas."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.people.consent_texts import CURRENT_VERSION
from garda.people.models import Consent, Person
from garda.people.services.registry import consent_give

pytestmark = pytest.mark.django_db

MINE = reverse("people:my_consents")
GIVE = reverse("people:my_consent_new")


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def withdraw_url(consent: Consent) -> str:
    return reverse("people:my_consent_withdraw", args=[consent.pk])


def give(person: Person, actor, purpose="processing", **extra) -> Consent:
    return consent_give(
        actor=actor, person=person, purpose=purpose, text_version=CURRENT_VERSION, **extra
    )


def denied(user, object_type: str, object_id) -> bool:
    return AuditEvent.objects.filter(
        actor=user,
        action=AuditEvent.Action.DENIED,
        object_type=object_type,
        object_id=str(object_id),
    ).exists()


# --- the worker's own ------------------------------------------------------------------


def test_worker_sees_what_they_agreed_to_and_only_their_own(wati, wati_person, tono_person, tono):
    give(wati_person, wati)
    give(tono_person, tono)
    client = verified_client(wati)
    page = client.get(MINE)
    assert page.status_code == 200
    html = page.content.decode()
    # Indonesian by default: the purpose, the words agreed to, the tag, the date.
    assert "Berlaku" in html and "tag tag-green" in html
    assert "Pasukan Putih DKI Jakarta" in html  # the text itself
    assert [row["consent"].person_id for row in page.context["rows"]] == [wati_person.pk]
    # The read is audited like the person page (a VIEW of the person).
    assert AuditEvent.objects.filter(
        actor=wati,
        action=AuditEvent.Action.VIEW,
        object_type="people.person",
        object_id=str(wati_person.pk),
        reason="consents",
    ).exists()


def test_worker_gives_a_consent_with_a_confirmation(wati, wati_person, disnaker):
    client = in_english(verified_client(wati))
    form = client.get(GIVE)
    assert form.status_code == 200
    assert "Disnakertransgi" in form.content.decode() or disnaker.name in form.content.decode()
    # Without ticking "I agree", nothing is written.
    refused = client.post(GIVE, {"purpose": "processing"})
    assert refused.status_code == 400
    assert "Tick the box" in refused.content.decode()
    assert not Consent.objects.filter(person=wati_person).exists()

    done = client.post(GIVE, {"purpose": "sharing", "agencies": [disnaker.pk], "agree": "on"})
    assert done.status_code == 302 and done["Location"] == MINE
    consent = Consent.objects.get(person=wati_person)
    assert consent.purpose == "sharing" and consent.source == "self"
    assert consent.text_version == CURRENT_VERSION and consent.given_via == wati
    assert list(consent.agencies.all()) == [disnaker]
    assert AuditEvent.objects.filter(
        actor=wati,
        action=AuditEvent.Action.CREATE,
        object_type="people.consent",
        object_id=str(consent.pk),
    ).exists()
    after = client.get(MINE).content.decode()
    assert "Your consent is recorded." in after
    assert disnaker.name in after


def test_sharing_without_an_agency_is_refused_in_indonesian(wati, wati_person):
    response = verified_client(wati).post(GIVE, {"purpose": "sharing", "agree": "on"})
    assert response.status_code == 400
    assert "Pilih setidaknya satu instansi" in response.content.decode()
    assert not Consent.objects.exists()


def test_worker_withdraws_after_a_confirmation_page(wati, wati_person):
    consent = give(wati_person, wati)
    client = in_english(verified_client(wati))
    confirm = client.get(withdraw_url(consent))
    assert confirm.status_code == 200
    assert "Withdraw this consent?" in confirm.content.decode()
    Consent.objects.get(pk=consent.pk, withdrawn_at__isnull=True)  # a GET changes nothing

    done = client.post(withdraw_url(consent))
    assert done.status_code == 302 and done["Location"] == MINE
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_via == wati
    updates = AuditEvent.objects.filter(
        action=AuditEvent.Action.UPDATE, object_type="people.consent", object_id=str(consent.pk)
    )
    assert list(updates.values_list("changed_fields", flat=True)) == [["withdrawn_at"]]
    page = client.get(MINE).content.decode()
    assert "Your consent is withdrawn." in page and "tag tag-grey" in page
    # Twice: nothing more is written, the user is told.
    again = client.post(withdraw_url(consent), follow=True)
    assert "already withdrawn" in again.content.decode()
    assert updates.count() == 1


def test_another_persons_consent_id_is_404_with_a_denied_row(wati, wati_person, tono, tono_person):
    theirs = give(tono_person, tono)
    client = verified_client(wati)
    assert client.get(withdraw_url(theirs)).status_code == 404
    assert client.post(withdraw_url(theirs)).status_code == 404
    assert Consent.objects.get(pk=theirs.pk).withdrawn_at is None
    assert denied(wati, "people.consent", theirs.pk)


def test_a_worker_without_a_record_is_sent_to_complete_it(wati):
    response = verified_client(wati).get(MINE)
    assert response.status_code == 302 and response["Location"] == reverse("people:me")


def test_the_worker_pages_are_for_workers(alice, wati_person):
    assert verified_client(alice).get(MINE).status_code == 403


# --- an officer, for a person ------------------------------------------------------------


def test_officer_records_a_signed_form_with_its_source(alice, siti):
    client = in_english(verified_client(alice))
    url = reverse("people:consent_new", args=[siti.pk])
    assert client.get(url).status_code == 200
    # The source is required: a consent nobody can show is not one.
    missing = client.post(url, {"purpose": "processing", "text_version": "2026-1", "agree": "on"})
    assert missing.status_code == 400
    assert "source_note" in missing.context["form"].errors
    assert not Consent.objects.filter(person=siti).exists()

    done = client.post(
        url,
        {
            "purpose": "processing",
            "text_version": "2026-1",
            "source_note": "Formulir 12/2026, Disnakertransgi",
            "agree": "on",
        },
    )
    listing = reverse("people:consents", args=[siti.pk])
    assert done.status_code == 302 and done["Location"] == listing
    consent = Consent.objects.get(person=siti)
    assert consent.source == "paper" and consent.given_via == alice
    assert consent.source_note == "Formulir 12/2026, Disnakertransgi"
    page = client.get(listing).content.decode()
    assert "Signed paper form" in page and "Formulir 12/2026" in page
    assert "Recorded by Alice" in page

    withdraw = reverse("people:consent_withdraw", args=[siti.pk, consent.pk])
    assert client.get(withdraw).status_code == 200
    assert client.post(withdraw).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_via == alice


def test_officer_who_may_not_see_the_person_gets_404_and_a_denied_row(carol, siti, tono_person):
    # A merged record is no longer visible to anyone.
    Person.objects.filter(pk=siti.pk).update(merged_into=tono_person)
    client = verified_client(carol)
    for url in (
        reverse("people:consents", args=[siti.pk]),
        reverse("people:consent_new", args=[siti.pk]),
    ):
        assert client.get(url).status_code == 404
    assert denied(carol, "people.person", siti.pk)
    assert client.post(reverse("people:consent_new", args=[siti.pk]), {}).status_code == 404
    assert not Consent.objects.exists()


def test_a_consent_id_of_another_person_under_this_person_is_404(alice, siti, tono, tono_person):
    theirs = give(tono_person, tono)
    url = reverse("people:consent_withdraw", args=[siti.pk, theirs.pk])
    client = verified_client(alice)
    assert client.post(url).status_code == 404
    assert Consent.objects.get(pk=theirs.pk).withdrawn_at is None
    assert denied(alice, "people.consent", theirs.pk)


def test_trainers_and_partners_are_refused(teguh, putri, siti):
    for user in (teguh, putri):
        response = verified_client(user).get(reverse("people:consents", args=[siti.pk]))
        assert response.status_code == 403


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_costs_the_same_queries_for_one_consent_or_many(alice, siti, disnaker, dinsos):
    client = verified_client(alice)
    url = reverse("people:consents", args=[siti.pk])
    give(siti, alice, purpose="sharing", agencies=[disnaker], source_note="Formulir 1")
    one = _queries(client, url)
    for n in range(4):
        give(siti, alice, purpose="sharing", agencies=[disnaker, dinsos], source_note=f"F {n}")
    assert _queries(client, url) == one


# --- the API twin: the same service, the same rules ---------------------------------------


def test_the_api_needs_the_source_of_a_consent_given_on_the_persons_behalf(alice, siti):
    client = verified_client(alice)
    url = f"/api/v1/people/{siti.pk}/consents"
    body = {"purpose": "processing", "text_version": "2026-1"}
    missing = client.post(url, body, content_type="application/json")
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "source_note"
    assert not Consent.objects.exists()
    given = client.post(
        url, {**body, "source_note": "Formulir 12/2026"}, content_type="application/json"
    )
    assert given.status_code == 201
    assert given.json()["source"] == "paper" and given.json()["source_note"] == "Formulir 12/2026"
    listed = client.get(url)
    assert [c["source"] for c in listed.json()] == ["paper"]
    # The list is a read of the person, audited as the page's.
    assert AuditEvent.objects.filter(
        actor=alice, action=AuditEvent.Action.VIEW, reason="consents", object_id=str(siti.pk)
    ).exists()


def test_the_api_refuses_sharing_with_nobody(wati, wati_person):
    response = verified_client(wati).post(
        f"/api/v1/people/{wati_person.pk}/consents",
        {"purpose": "sharing", "text_version": "2026-1"},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "agencies"


@pytest.mark.django_db
def test_an_agency_id_beyond_the_integer_range_is_refused_not_a_500(wati, wati_person):
    response = verified_client(wati).post(
        reverse("people:my_consent_new"),
        {"purpose": "sharing", "agencies": "99999999999999999999999", "agree": "on"},
    )
    assert response.status_code == 400
    assert "agencies" in response.context["form"].errors
    assert not Consent.objects.filter(person=wati_person).exists()
