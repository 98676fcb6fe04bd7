"""Issue 19, the registry's API (weaknesses 3, 4, 6 and 8), each written as the attack
the outside test made: the page and the API obey one rule, kept in
services/registry.person_update and person_register."""

from datetime import date

import pytest
from django.urls import reverse

from conftest import verified_client
from garda.accounts.models import Notification
from garda.audit.models import AuditEvent
from garda.people.models import Person
from garda.people.services.registry import (
    NIK_ATTEMPTS_PER_DAY,
    PersonData,
    person_register,
    person_verify_identity,
)
from garda.people.tests.factories import nik_for, person_data

KK = "3171010101900001"
OTHER_KK = "3171010101909999"


def _patch(client, person, body):
    etag = client.get(f"/api/v1/people/{person.pk}")["ETag"]
    return client.patch(
        f"/api/v1/people/{person.pk}",
        body,
        content_type="application/json",
        headers={"If-Match": etag},
    )


def _edit_payload(person: Person, **changes) -> dict:
    return {
        **person_data(serial=1, full_name=person.full_name),
        "nik": person.nik,
        "birth_date": person.birth_date.isoformat(),
        "sex": person.sex,
        "kk_number": person.kk_number,
        "passport_number": person.passport_number,
        "version": person.version,
        **changes,
    }


@pytest.fixture
def full_siti(alice, gambir) -> Person:
    """Registered by alice (her pendamping), with every optional field filled in."""
    return person_register(
        actor=alice,
        data=PersonData(
            nik=nik_for(serial=1),
            full_name="Siti Aminah",
            sex="F",
            birth_date=date(1990, 1, 1),
            birth_place="Bogor",
            address_line="Jl. Kenari 4",
            village_code=gambir.code,
            phone="+6281234567890",
            kk_number=KK,
            passport_number="C1234567",
        ),
    )


# --- 3. identity numbers changed through the API by any officer -------------------


@pytest.mark.django_db
def test_unassigned_officer_cannot_change_identity_numbers_through_the_api(carol, full_siti):
    client = verified_client(carol)  # an officer who does not accompany Siti
    for body in (
        {"kk_number": OTHER_KK},
        {"nik": nik_for(serial=77)},
        {"passport_number": "B7654321"},
    ):
        response = _patch(client, full_siti, body)
        assert response.status_code == 403, (body, response.content)
        assert "identitas" in response.json()["detail"]  # says what is refused
    fresh = Person.objects.get(pk=full_siti.pk)
    assert (fresh.kk_number, fresh.nik, fresh.version) == (KK, full_siti.nik, 1)
    denied = AuditEvent.objects.filter(
        action="denied", actor=carol, object_type="people.person", object_id=str(full_siti.pk)
    )
    assert denied.count() == 3
    assert not AuditEvent.objects.filter(action="update").exists()


@pytest.mark.django_db
def test_unassigned_officer_gets_the_same_refusal_on_the_page(carol, full_siti):
    response = verified_client(carol).post(
        reverse("people:edit", args=[full_siti.pk]), _edit_payload(full_siti, kk_number=OTHER_KK)
    )
    assert response.status_code == 403
    assert Person.objects.get(pk=full_siti.pk).kk_number == KK
    assert AuditEvent.objects.filter(action="denied", actor=carol).exists()


@pytest.mark.django_db
def test_assigned_officer_still_changes_identity_numbers_through_the_api(alice, full_siti):
    response = _patch(verified_client(alice), full_siti, {"kk_number": OTHER_KK})
    assert response.status_code == 200, response.content
    assert Person.objects.get(pk=full_siti.pk).kk_number == OTHER_KK


# --- 4. PATCH wipes the fields it was not given -----------------------------------


@pytest.mark.django_db
def test_patch_changes_only_what_the_body_names(alice, full_siti, gambir):
    response = _patch(verified_client(alice), full_siti, {"phone": "0812-1111-2222"})
    assert response.status_code == 200, response.content
    fresh = Person.objects.get(pk=full_siti.pk)
    assert fresh.phone == "+6281211112222"
    assert fresh.birth_place == "Bogor"
    assert fresh.address_line == "Jl. Kenari 4"
    assert fresh.village_id == gambir.code
    assert (fresh.kk_number, fresh.passport_number) == (KK, "C1234567")
    event = AuditEvent.objects.filter(action="update").get()
    assert event.changed_fields == ["phone"]


@pytest.mark.django_db
def test_patch_refuses_emptying_a_required_field_and_writes_nothing(alice, full_siti):
    response = _patch(verified_client(alice), full_siti, {"full_name": None})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["full_name"]
    assert Person.objects.get(pk=full_siti.pk).full_name == "Siti Aminah"


# --- 6. a worker tests whether a NIK is registered ---------------------------------


def _says_registered(response) -> bool:
    text = response.content.decode().lower()
    return "terdaftar" in text or "registered" in text or "existing" in text


@pytest.mark.django_db
def test_worker_registering_through_the_api_learns_nothing_about_another_nik(
    wati, alice, full_siti
):
    response = verified_client(wati).post(
        "/api/v1/people", person_data(serial=1), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("nik", "nik_unavailable")
    ]
    assert not _says_registered(response)
    assert not Person.objects.filter(user=wati).exists()
    # Recorded on the record whose NIK was tried, and its officer is told.
    assert AuditEvent.objects.filter(
        action="denied", actor=wati, object_type="people.person", object_id=str(full_siti.pk)
    ).exists()
    note = Notification.objects.get(user=alice)
    assert full_siti.reference in note.title and full_siti.nik not in note.title + note.body


@pytest.mark.django_db
def test_worker_patching_their_nik_learns_nothing_about_another_nik(wati, wati_person, full_siti):
    response = _patch(verified_client(wati), wati_person, {"nik": full_siti.nik})
    assert response.status_code == 422, response.content
    assert [e["code"] for e in response.json()["errors"]] == ["nik_unavailable"]
    assert not _says_registered(response)
    assert Person.objects.get(pk=wati_person.pk).nik == wati_person.nik
    assert AuditEvent.objects.filter(action="denied", actor=wati).count() == 1


@pytest.mark.django_db
def test_worker_registering_on_the_page_learns_nothing_about_another_nik(wati, full_siti):
    response = verified_client(wati).post(reverse("people:me"), person_data(serial=1))
    assert response.status_code == 200
    form = response.context["form"]
    assert [e.code for e in form.errors.as_data()["nik"]] == ["nik_unavailable"]
    assert not _says_registered(response)
    assert not Person.objects.filter(user=wati).exists()


@pytest.mark.django_db
def test_worker_editing_their_nik_on_the_page_learns_nothing_about_another_nik(
    wati, wati_person, full_siti
):
    response = verified_client(wati).post(
        reverse("people:edit", args=[wati_person.pk]),
        _edit_payload(wati_person, nik=full_siti.nik, full_name="Wati Lestari"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert [e.code for e in form.errors.as_data()["nik"]] == ["nik_unavailable"]
    assert not _says_registered(response)
    assert reverse("people:detail", args=[full_siti.pk]) not in response.content.decode()
    assert Person.objects.get(pk=wati_person.pk).nik == wati_person.nik


@pytest.mark.django_db
def test_worker_cannot_try_niks_without_limit(wati, wati_person, full_siti):
    client = verified_client(wati)
    for _ in range(NIK_ATTEMPTS_PER_DAY):
        assert _patch(client, wati_person, {"nik": full_siti.nik}).status_code == 422
    # Over the budget every change of NIK is refused alike, free or taken: no answer.
    for nik in (full_siti.nik, nik_for(serial=88)):
        response = _patch(client, wati_person, {"nik": nik})
        assert response.status_code == 429, response.content
        assert not _says_registered(response)
    assert Person.objects.get(pk=wati_person.pk).nik == wati_person.nik


@pytest.mark.django_db
def test_officer_still_gets_the_409_pointing_to_the_record(alice, full_siti):
    response = verified_client(alice).post(
        "/api/v1/people", person_data(serial=1), content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["existing"]["id"] == full_siti.pk


# --- 8. a worker changes KK and passport numbers after verification -----------------


@pytest.fixture
def verified_wati(wati, alice) -> Person:
    person = person_register(
        actor=wati,
        user=wati,
        data=PersonData(
            nik=nik_for(serial=2),
            full_name="Wati Lestari",
            sex="F",
            birth_date=date(1990, 1, 1),
            kk_number=KK,
            passport_number="C1234567",
        ),
    )
    return person_verify_identity(actor=alice, person=person)


@pytest.mark.django_db
def test_worker_cannot_change_kk_or_passport_through_the_api_after_verification(
    wati, verified_wati
):
    client = verified_client(wati)
    for field, value in (("kk_number", OTHER_KK), ("passport_number", "B7654321")):
        response = _patch(client, verified_wati, {field: value})
        assert response.status_code == 422, response.content
        assert [e["field"] for e in response.json()["errors"]] == [field]
    fresh = Person.objects.get(pk=verified_wati.pk)
    assert (fresh.kk_number, fresh.passport_number, fresh.version) == (KK, "C1234567", 2)
    # Contact details stay hers to change.
    assert _patch(client, verified_wati, {"phone": "0812-1111-2222"}).status_code == 200


@pytest.mark.django_db
def test_worker_cannot_change_kk_or_passport_on_the_page_after_verification(wati, verified_wati):
    client = verified_client(wati)
    page = client.get(reverse("people:edit", args=[verified_wati.pk]))
    form = page.context["form"]
    assert form.fields["kk_number"].disabled and form.fields["passport_number"].disabled
    response = client.post(
        reverse("people:edit", args=[verified_wati.pk]),
        _edit_payload(
            verified_wati, kk_number=OTHER_KK, passport_number="B7654321", address_line="Jl. 9"
        ),
    )
    assert response.status_code == 302
    fresh = Person.objects.get(pk=verified_wati.pk)
    assert (fresh.kk_number, fresh.passport_number) == (KK, "C1234567")
    assert fresh.address_line == "Jl. 9"


@pytest.mark.django_db
def test_a_nik_of_a_record_nobody_accompanies_alerts_the_supervisors(wati, alice, bob, full_siti):
    """The try on a record no officer accompanies reaches the supervisors (it crashed:
    the supervisors were looked up by a property, not the role's group)."""
    full_siti.assignments.all().delete()
    response = verified_client(wati).post(
        "/api/v1/people", person_data(serial=1), content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert not _says_registered(response)
    assert Notification.objects.filter(user=bob).count() == 1
    assert not Notification.objects.filter(user=alice).exists()
