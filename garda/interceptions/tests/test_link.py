"""Linking an interception recorded without a NIK to a registry person afterwards
(docs/interceptions.md, "Linking to the registry later"): by the NIK of a person
already registered (a look-up, audited) or by registering the person with the
interception's data (the registry's service); the case the interception opened linked
too; refusals in Indonesian; the page and the API."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.cases.models import MatchState
from garda.interceptions.models import Interception
from garda.interceptions.services.record import LinkData, interception_link_person
from garda.interceptions.tests.factories import TRAFFICKING, record
from garda.people.models import Person
from garda.people.tests.factories import nik_for, register

pytestmark = pytest.mark.django_db

BORN = date(1998, 4, 12)  # the factory's birth date (a woman: the NIK's day + 40)
NIK = nik_for(serial=31, born=BORN)
JSON = "application/json"


@pytest.fixture
def nameless(alice):
    """Alice's interception of Siti Rahayu, no NIK known, signs of trafficking: a case
    opened without a person."""
    interception = record(alice, serial=None, answers=TRAFFICKING)
    assert interception.person is None and interception.case.person is None
    return interception


def link(actor, interception, **values):
    return interception_link_person(
        actor=actor, interception=interception, data=LinkData(**{"person_nik": NIK, **values})
    )


def test_a_new_person_is_registered_with_the_interceptions_data(alice, nameless):
    interception, registered = link(alice, nameless, person_phone="081234567890")
    assert registered is True
    person = Person.objects.get()
    assert person.nik == NIK and person.full_name == "Siti Rahayu"
    assert person.birth_date == BORN and person.sex == "F" and person.phone == "+6281234567890"
    stored = Interception.objects.get(pk=nameless.pk)
    assert stored.person == person and interception.person == person
    # The case the interception opened points to the person too.
    case = stored.case
    assert case.person == person and case.match_state == MatchState.LINKED
    row = AuditEvent.objects.get(
        object_type="interceptions.interception",
        object_id=str(nameless.pk),
        action=AuditEvent.Action.UPDATE,
    )
    assert row.actor == alice and row.changed_fields == ["person"]
    assert row.reason == "interception: person registered and linked"
    assert AuditEvent.objects.filter(action="create", object_type="people.person").count() == 1
    assert AuditEvent.objects.filter(object_id=str(case.pk), reason="link person").exists()


def test_an_existing_person_is_found_by_the_nik_and_the_lookup_audited(alice, nameless):
    existing = register(serial=31, born=BORN, full_name="Siti Rahayu Putri")
    _interception, registered = link(alice, nameless)
    assert registered is False and Person.objects.count() == 1
    assert Interception.objects.get(pk=nameless.pk).person == existing
    lookup = AuditEvent.objects.get(action="lookup", actor=alice)
    assert lookup.object_id == str(existing.pk)
    assert AuditEvent.objects.filter(
        object_id=str(nameless.pk), reason="interception: person linked", actor=alice
    ).exists()


@pytest.mark.parametrize(
    "values, field, words",
    [
        ({"person_nik": ""}, "person_nik", "Isi NIK orang ini"),
        ({"person_nik": "1234"}, "person_nik", "NIK"),
        # The registry's own check: a man's NIK for a woman.
        ({"person_nik": nik_for(serial=31, born=BORN, sex="M")}, "person_sex", "NIK"),
    ],
)
def test_bad_input_is_refused_in_indonesian_and_nothing_written(
    alice, nameless, values, field, words
):
    with pytest.raises(ValidationError) as exc:
        link(alice, nameless, **values)
    messages = exc.value.message_dict
    assert field in messages, messages
    assert words.lower() in " ".join(messages[field]).lower(), messages
    assert not Person.objects.exists()
    assert Interception.objects.get(pk=nameless.pk).person_id is None


def test_an_interception_already_linked_is_refused(alice):
    interception = record(alice)  # with a NIK: linked when recorded
    with pytest.raises(ValidationError) as exc:
        link(alice, interception)
    assert exc.value.message_dict["person_nik"] == [
        "Pencegahan ini sudah terhubung dengan orang di registri."
    ]


@pytest.mark.parametrize("who", ["carol", "admin_user", "wati"])
def test_who_may_not_write_on_the_interception_is_refused(who, request, nameless):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        link(user, nameless)
    assert AuditEvent.objects.filter(
        actor=user, action="denied", reason="interceptions.interception_link_person"
    ).exists()
    assert not Person.objects.exists()


def test_the_case_held_by_another_officer_is_left_to_them(alice, bob, disnaker, nameless):
    """The case the interception opened is linked only by someone who may handle it:
    held by another officer, it keeps waiting for its own officer's link."""
    from conftest import make_user
    from garda.accounts import roles
    from garda.cases.services.handling import case_assign, case_move

    dewi = make_user("dewi@example.org", roles.OFFICER, disnaker, full_name="Dewi")
    case = case_move(actor=bob, case=nameless.case, stage="triaged", reason="dicek")
    case_assign(actor=bob, case=case, officer=dewi, reason="Dewi")
    link(alice, Interception.objects.get(pk=nameless.pk))
    stored = Interception.objects.get(pk=nameless.pk)
    assert stored.person is not None and stored.case.person is None


# --- the page -------------------------------------------------------------------------------


def test_the_page_offers_the_link_and_links(alice, nameless):
    client = verified_client(alice)
    url = f"/interceptions/{nameless.pk}/"
    html = client.get(url).content.decode()
    assert 'id="link-person"' in html and "Hubungkan dengan orang di registri" in html
    refused = client.post(f"/interceptions/{nameless.pk}/person/", {"person_nik": ""})
    assert refused.status_code == 400
    assert "Isi NIK orang ini, seperti tertera pada KTP atau kartu keluarganya." in (
        refused.content.decode()
    )
    done = client.post(f"/interceptions/{nameless.pk}/person/", {"person_nik": NIK})
    assert done.status_code == 302 and done["Location"] == url
    page = client.get(url).content.decode()
    person = Person.objects.get()
    assert f"Siti Rahayu sudah didaftarkan ({person.reference})" in page
    assert 'id="link-person"' not in page and person.reference in page


def test_the_page_is_refused_to_an_officer_of_another_agency_and_readers(
    carol, admin_user, nameless
):
    answer = verified_client(carol).post(
        f"/interceptions/{nameless.pk}/person/", {"person_nik": NIK}
    )
    assert answer.status_code == 404
    assert AuditEvent.objects.filter(actor=carol, action="denied").exists()
    # An admin reads the register but does not write on it: no form, 403 on the POST.
    html = verified_client(admin_user).get(f"/interceptions/{nameless.pk}/").content.decode()
    assert 'id="link-person"' not in html
    posted = verified_client(admin_user).post(
        f"/interceptions/{nameless.pk}/person/", {"person_nik": NIK}
    )
    assert posted.status_code == 403
    assert not Person.objects.exists()


# --- the API --------------------------------------------------------------------------------


def test_the_api_links_and_refuses_in_indonesian(alice, carol, nameless):
    url = f"/api/v1/interceptions/{nameless.pk}/person"
    client = verified_client(alice)
    bad = client.post(url, {"person_nik": "1234"}, content_type=JSON)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "person_nik"
    assert "NIK" in bad.json()["errors"][0]["message"]
    assert verified_client(carol).post(url, {"person_nik": NIK}, content_type=JSON).status_code == (
        404
    )
    done = client.post(url, {"person_nik": NIK}, content_type=JSON)
    assert done.status_code == 200, done.content
    body = done.json()
    person = Person.objects.get()
    assert body["person_id"] == person.pk and body["person_reference"] == person.reference
    again = client.post(url, {"person_nik": NIK}, content_type=JSON)
    assert again.status_code == 422
    assert again.json()["errors"][0]["message"] == (
        "Pencegahan ini sudah terhubung dengan orang di registri."
    )
