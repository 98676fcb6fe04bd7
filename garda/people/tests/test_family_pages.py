"""Family and emergency contact pages: the worker's own (/people/me/family/) and an
officer's for a person they may see (/people/<id>/family/)."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.people.models import FamilyContact, Person
from garda.people.services.registry import family_contact_add

pytestmark = pytest.mark.django_db

MINE = reverse("people:my_family")
NEW = reverse("people:my_family_new")
SRI = {"name": "Sri Wahyuni", "relation": "parent", "phone": "0813-1111-2222"}


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def add(person: Person, actor, **values) -> FamilyContact:
    return family_contact_add(actor=actor, person=person, **{**SRI, **values})


def rows(action: str, contact_pk=None):
    qs = AuditEvent.objects.filter(action=action, object_type="people.familycontact")
    return qs.filter(object_id=str(contact_pk)) if contact_pk else qs


# --- the worker's own ------------------------------------------------------------------


def test_worker_adds_changes_and_removes_a_contact(wati, wati_person):
    client = in_english(verified_client(wati))
    assert client.get(NEW).status_code == 200
    added = client.post(NEW, {**SRI, "is_emergency_contact": "on", "gives_consent": "on"})
    assert added.status_code == 302 and added["Location"] == MINE
    contact = FamilyContact.objects.get(person=wati_person)
    assert contact.phone == "+6281311112222"  # E.164, as the API stores it
    assert contact.is_emergency_contact and contact.gives_consent
    assert rows(AuditEvent.Action.CREATE, contact.pk).count() == 1
    page = client.get(MINE).content.decode()
    assert "Contact added." in page and "Sri Wahyuni" in page and "tag tag-blue" in page

    edit = reverse("people:my_family_edit", args=[contact.pk])
    form = client.get(edit)
    assert form.context["form"].initial["name"] == "Sri Wahyuni"
    changed = client.post(edit, {**SRI, "name": "Sri Wahyuningsih", "relation": "parent"})
    assert changed.status_code == 302
    contact.refresh_from_db()
    assert contact.name == "Sri Wahyuningsih" and not contact.is_emergency_contact
    update = rows(AuditEvent.Action.UPDATE, contact.pk).get()
    assert sorted(update.changed_fields) == ["gives_consent", "is_emergency_contact", "name"]

    remove = reverse("people:my_family_remove", args=[contact.pk])
    confirm = client.get(remove)
    assert confirm.status_code == 200 and "Remove Sri Wahyuningsih?" in confirm.content.decode()
    assert FamilyContact.objects.filter(pk=contact.pk).exists()  # a GET removes nothing
    assert client.post(remove).status_code == 302
    assert not FamilyContact.objects.filter(pk=contact.pk).exists()
    assert rows(AuditEvent.Action.DELETE, contact.pk).count() == 1


def test_a_bad_phone_number_is_refused_in_indonesian_and_nothing_is_written(wati, wati_person):
    client = verified_client(wati)
    response = client.post(NEW, {**SRI, "phone": "12345"})
    assert response.status_code == 400
    assert "Nomor telepon ini tidak valid." in response.content.decode()
    assert response.context["form"]["phone"].value() == "12345"  # what was typed is kept
    assert not FamilyContact.objects.exists()
    assert not rows(AuditEvent.Action.CREATE).exists()

    contact = add(wati_person, wati)
    edit = reverse("people:my_family_edit", args=[contact.pk])
    assert client.post(edit, {**SRI, "phone": "0000"}).status_code == 400
    contact.refresh_from_db()
    assert contact.phone == "+6281311112222"
    assert not rows(AuditEvent.Action.UPDATE).exists()


def test_family_consent_only_from_spouse_parent_or_guardian(wati, wati_person):
    response = in_english(verified_client(wati)).post(
        NEW, {**SRI, "relation": "sibling", "gives_consent": "on"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["gives_consent"]
    assert not FamilyContact.objects.exists()
    # Every mistake at once, each at its field.
    both = verified_client(wati).post(
        NEW, {**SRI, "phone": "123", "relation": "sibling", "gives_consent": "on"}
    )
    assert set(both.context["form"].errors) == {"phone", "gives_consent"}


def test_worker_sees_only_their_own(wati, wati_person, tono, tono_person):
    add(wati_person, wati, name="Ibu Wati")
    theirs = add(tono_person, tono, name="Ibu Tono")
    client = verified_client(wati)
    page = client.get(MINE)
    assert [r["contact"].name for r in page.context["rows"]] == ["Ibu Wati"]
    assert "Ibu Tono" not in page.content.decode()
    for name in ("people:my_family_edit", "people:my_family_remove"):
        url = reverse(name, args=[theirs.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, SRI).status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Ibu Tono"
    assert AuditEvent.objects.filter(
        actor=wati, action=AuditEvent.Action.DENIED, object_type="people.familycontact"
    ).exists()


def test_the_read_is_audited_like_the_person_page(wati, wati_person):
    verified_client(wati).get(MINE)
    assert AuditEvent.objects.filter(
        actor=wati,
        action=AuditEvent.Action.VIEW,
        object_type="people.person",
        object_id=str(wati_person.pk),
        reason="family contacts",
    ).exists()


# --- an officer, for a person ------------------------------------------------------------


def test_officer_manages_a_persons_contacts(alice, siti):
    client = verified_client(alice)
    listing = reverse("people:family", args=[siti.pk])
    added = client.post(reverse("people:family_new", args=[siti.pk]), SRI)
    assert added.status_code == 302 and added["Location"] == listing
    contact = FamilyContact.objects.get(person=siti)
    page = client.get(listing)
    assert page.status_code == 200 and "Sri Wahyuni" in page.content.decode()
    edit = reverse("people:family_edit", args=[siti.pk, contact.pk])
    assert client.post(edit, {**SRI, "phone": "+82 10 1234 5678"}).status_code == 302
    contact.refresh_from_db()
    assert contact.phone == "+821012345678"
    remove = reverse("people:family_remove", args=[siti.pk, contact.pk])
    assert client.post(remove).status_code == 302
    assert not FamilyContact.objects.filter(person=siti).exists()


def test_officer_who_may_not_see_the_person_gets_404_and_a_denied_row(carol, siti, tono_person):
    contact = add(siti, carol)
    Person.objects.filter(pk=siti.pk).update(merged_into=tono_person)
    client = verified_client(carol)
    assert client.get(reverse("people:family", args=[siti.pk])).status_code == 404
    for url in (
        reverse("people:family_new", args=[siti.pk]),
        reverse("people:family_edit", args=[siti.pk, contact.pk]),
        reverse("people:family_remove", args=[siti.pk, contact.pk]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, SRI).status_code == 404
    assert AuditEvent.objects.filter(
        actor=carol,
        action=AuditEvent.Action.DENIED,
        object_type="people.person",
        object_id=str(siti.pk),
    ).exists()
    assert FamilyContact.objects.filter(pk=contact.pk, name="Sri Wahyuni").exists()


def test_a_contact_of_another_person_under_this_person_is_404(alice, siti, tono, tono_person):
    theirs = add(tono_person, tono)
    url = reverse("people:family_remove", args=[siti.pk, theirs.pk])
    assert verified_client(alice).post(url).status_code == 404
    assert FamilyContact.objects.filter(pk=theirs.pk).exists()


def test_trainers_and_partners_are_refused(teguh, putri, siti):
    for user in (teguh, putri):
        response = verified_client(user).get(reverse("people:family", args=[siti.pk]))
        assert response.status_code == 403


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_costs_the_same_queries_for_one_contact_or_many(alice, siti):
    client = verified_client(alice)
    url = reverse("people:family", args=[siti.pk])
    add(siti, alice)
    one = _queries(client, url)
    for n in range(4):
        add(siti, alice, name=f"Kerabat {n}", relation="sibling")
    assert _queries(client, url) == one


# --- the API twin: the same services --------------------------------------------------


def test_the_api_changes_and_removes_a_contact_with_the_same_rules(wati, wati_person, tono):
    contact = add(wati_person, wati)
    client = verified_client(wati)
    url = f"/api/v1/people/{wati_person.pk}/family/{contact.pk}"
    bad = client.put(url, {**SRI, "phone": "123"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "phone"
    ok = client.put(url, {**SRI, "is_emergency_contact": True}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["is_emergency_contact"] is True
    # Another worker: 404, nothing changes.
    assert verified_client(tono).delete(url).status_code == 404
    assert client.delete(url).status_code == 204
    assert not FamilyContact.objects.exists()
    assert rows(AuditEvent.Action.UPDATE, contact.pk).count() == 1
    assert rows(AuditEvent.Action.DELETE, contact.pk).count() == 1


def test_the_api_refuses_a_contact_id_of_another_person(wati, wati_person, tono, tono_person):
    theirs = add(tono_person, tono)
    url = f"/api/v1/people/{wati_person.pk}/family/{theirs.pk}"
    response = verified_client(wati).put(url, SRI, content_type="application/json")
    assert response.status_code == 404
    assert FamilyContact.objects.filter(pk=theirs.pk, person=tono_person).exists()
