"""Lapor diri: the worker reports and updates their stay (portal and API), an officer
takes one for a person; bad input is refused in Indonesian with nothing written; the
passport number is never shown unmasked; another person's stay is a 404 with a
denied row."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from conftest import verified_client
from garda.abroad.models import Stay
from garda.abroad.services.stays import stay_report, stay_update
from garda.abroad.tests.conftest import payload, stay_data
from garda.accounts.models import Notification
from garda.audit.models import AuditEvent
from garda.crypto import MASKED
from garda.people.services.registry import family_contact_add

pytestmark = pytest.mark.django_db


def _post_json(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_worker_reports_and_updates_their_stay_on_the_portal(wati, wati_person, alice):
    client = verified_client(wati)
    page = client.get(reverse("abroad:mine"))
    assert page.status_code == 200
    assert "Laporkan diri saya" in page.content.decode()

    sent = client.post(reverse("abroad:mine"), payload(contract_start="", contract_end=""))
    assert sent.status_code == 302
    stay = Stay.objects.get(person=wati_person)
    assert (stay.country_id, stay.city, stay.phone, stay.reported_by) == (
        "MY",
        "Kuala Lumpur",
        "+60123456789",
        wati,
    )
    assert stay.passport_number == "C1234567"
    assert stay.last_contact_at is not None
    assert AuditEvent.objects.filter(
        actor=wati, action="create", object_type="abroad.stay", object_id=str(stay.pk)
    ).exists()
    # The officer who accompanies her is told.
    assert Notification.objects.filter(
        user=alice, url__contains=f"/people/{wati_person.pk}/"
    ).exists()

    shown = client.get(reverse("abroad:mine")).content.decode()
    assert "C1234567" not in shown and MASKED in shown

    # Update: the passport left empty keeps the stored one.
    changed = client.post(
        reverse("abroad:mine"), payload(city="Penang", passport_number="", contract_end="")
    )
    assert changed.status_code == 302
    stay.refresh_from_db()
    assert (stay.city, stay.passport_number) == ("Penang", "C1234567")
    assert Stay.objects.filter(person=wati_person).count() == 1
    assert AuditEvent.objects.filter(
        action="update", object_type="abroad.stay", object_id=str(stay.pk), reason="stay updated"
    ).exists()


def test_worker_reports_through_the_api_and_reads_it_masked(wati, wati_person):
    client = verified_client(wati)
    response = _post_json(client, "/api/v1/me/stays", payload())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["country"] == "MY" and body["passport_number"] == MASKED
    listed = client.get("/api/v1/me/stays")
    assert listed.status_code == 200
    assert "C1234567" not in listed.content.decode()
    assert [s["city"] for s in listed.json()] == ["Kuala Lumpur"]
    # A second report while the first is current is refused, in Indonesian.
    again = _post_json(client, "/api/v1/me/stays", payload())
    assert again.status_code == 422
    assert "sudah dilaporkan" in again.content.decode()
    assert Stay.objects.filter(person=wati_person).count() == 1


def test_officer_takes_a_report_for_a_person(alice, wati, wati_person):
    family = family_contact_add(
        actor=alice, person=wati_person, name="Sri Wahyuni", relation="parent", phone="081234567001"
    )
    client = verified_client(alice)
    page = client.get(reverse("abroad:person_stay", args=[wati_person.pk]))
    assert page.status_code == 200
    assert "Sri Wahyuni" in page.content.decode()  # the family contact is offered
    data = payload(emergency_name="", emergency_relation="", emergency_phone="")
    data["family_contact"] = family.pk
    sent = client.post(reverse("abroad:person_stay", args=[wati_person.pk]), data)
    assert sent.status_code == 302
    stay = Stay.objects.get(person=wati_person)
    assert (stay.reported_by, stay.emergency_name, stay.emergency_relation) == (
        alice,
        "Sri Wahyuni",
        "parent",
    )
    assert stay.emergency_phone == "+6281234567001"
    assert AuditEvent.objects.filter(
        actor=alice, object_type="abroad.stay", reason="stay taken by officer"
    ).exists()
    # The worker is told an officer recorded it.
    assert Notification.objects.filter(user=wati, url=reverse("abroad:mine")).exists()
    # The officer's page shows the passport masked.
    shown = client.get(reverse("abroad:person_stay", args=[wati_person.pk])).content.decode()
    assert "C1234567" not in shown and MASKED in shown
    assert AuditEvent.objects.filter(
        actor=alice, action="view", object_type="people.person", reason="stays abroad"
    ).exists()


def test_officer_takes_a_report_through_the_api(alice, tono_person):
    client = verified_client(alice)
    response = _post_json(client, f"/api/v1/people/{tono_person.pk}/stays", payload())
    assert response.status_code == 201, response.content
    assert response.json()["passport_number"] == MASKED
    assert Stay.objects.get(person=tono_person).reported_by == alice


def test_a_worker_cannot_report_or_see_another_persons_stay(wati, wati_person, tono, tono_person):
    client = verified_client(tono)
    response = _post_json(client, f"/api/v1/people/{wati_person.pk}/stays", payload())
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        actor=tono, action="denied", object_type="people.person", object_id=str(wati_person.pk)
    ).exists()
    page = client.get(reverse("abroad:person_stay", args=[wati_person.pk]))
    assert page.status_code == 403
    assert not Stay.objects.exists()
    # The service refuses it too (an import, a script), with a denied row.
    with pytest.raises(PermissionDenied):
        stay_report(actor=tono, person=wati_person, data=stay_data())
    assert AuditEvent.objects.filter(actor=tono, reason="abroad.stay_report").exists()
    # Tono's own list holds only his.
    stay_report(actor=wati, person=wati_person, data=stay_data())
    assert verified_client(tono).get("/api/v1/me/stays").json() == []


def test_other_roles_cannot_take_a_stay(putri, teguh, wati_person):
    for user in (putri, teguh):
        response = _post_json(
            verified_client(user), f"/api/v1/people/{wati_person.pk}/stays", payload()
        )
        assert response.status_code == 404
    assert not Stay.objects.exists()


@pytest.mark.parametrize(
    ("override", "field", "message"),
    [
        (
            {"contract_start": "2027-01-01", "contract_end": "2026-01-01"},
            "contract_end",
            "Kontrak tidak bisa berakhir sebelum dimulai.",
        ),
        ({"country": "ZZ"}, "country", "Pilih negara dari daftar."),
        ({"country": "ID"}, "country", "Tinggal di luar negeri tidak bisa di Indonesia."),
        ({"phone": "12"}, "phone", "Nomor telepon ini tidak valid."),
        ({"emergency_phone": "abc"}, "emergency_phone", "Nomor telepon ini tidak valid."),
        ({"passport_number": "C1"}, "passport_number", "Nomor paspor terdiri dari"),
        ({"emergency_name": ""}, "emergency_name", "Sebutkan orang di Indonesia"),
        ({"city": " "}, "city", "Tulis kota tempat Anda tinggal."),
    ],
)
def test_bad_input_is_refused_in_indonesian_with_nothing_written(
    wati, wati_person, indonesia, override, field, message
):
    before = AuditEvent.objects.filter(action="create").count()
    client = verified_client(wati)
    response = _post_json(client, "/api/v1/me/stays", payload(**override))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any(e["field"] == field and message in e["message"] for e in errors), errors
    page = client.post(reverse("abroad:mine"), payload(**override))
    assert page.status_code == 400
    # The page's list of countries leaves Indonesia out: "choose from the list".
    assert (message if override != {"country": "ID"} else "Pilih negara dari daftar.") in (
        page.content.decode()
    )
    assert not Stay.objects.exists()
    assert AuditEvent.objects.filter(action="create").count() == before
    assert not Notification.objects.exists()


def test_an_update_with_bad_input_changes_nothing(wati, wati_person):
    stay = stay_report(actor=wati, person=wati_person, data=stay_data())
    with pytest.raises(ValidationError) as caught:
        stay_update(actor=wati, stay=stay, data=stay_data(city="Ipoh", phone="x"))
    assert "phone" in caught.value.message_dict
    stay.refresh_from_db()
    assert stay.city == "Kuala Lumpur"


def test_a_family_contact_of_another_person_is_refused(wati, wati_person, tono_person, alice):
    other = family_contact_add(actor=alice, person=tono_person, name="Ibu Tono", relation="parent")
    with pytest.raises(ValidationError) as caught:
        stay_report(
            actor=wati,
            person=wati_person,
            data=stay_data(emergency_name="", family_contact_id=other.pk),
        )
    assert "family_contact" in caught.value.message_dict
    assert not Stay.objects.exists()


def test_the_worker_ends_the_stay_and_may_report_a_new_one(wati, wati_person):
    stay_report(actor=wati, person=wati_person, data=stay_data())
    client = verified_client(wati)
    assert client.post(reverse("abroad:my_end"), {"end_reason": "moved"}).status_code == 302
    ended = Stay.objects.get(person=wati_person)
    assert ended.ended_at is not None and ended.end_reason == "moved"
    response = _post_json(client, "/api/v1/me/stays", payload(country="SA", city="Riyadh"))
    assert response.status_code == 201
    assert Stay.objects.filter(person=wati_person).count() == 2
