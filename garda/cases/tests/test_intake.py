"""Intake (docs/cases.md, "Intake"): a report from each channel becomes a case with a
number, a severity, clocks, the person concerned matched to the registry, and for a
reporter without an account a tracking secret shown once."""

import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from garda.audit.models import AuditEvent
from garda.cases.access import case_by_tracking
from garda.cases.models import Case, CaseKind, MatchState, Severity, StageChange
from garda.cases.services.intake import (
    case_link_person,
    case_register_person,
    case_suggestions,
    subject_nik,
    suggestions,
)
from garda.cases.tests.factories import open_case, worker_person
from garda.people.models import Person
from garda.people.tests.factories import nik_for, register

OFFICER_CHANNELS = ["hotline", "walk_in", "family", "embassy", "agency"]


def first_response(case):
    return case.clocks.get(name="first_response")


# --- each channel -------------------------------------------------------------------


@pytest.mark.django_db
def test_an_anonymous_public_report_gets_a_number_and_a_tracking_secret():
    case, secret = open_case()
    assert re.fullmatch(r"KS-\d{4}-\d{6}", case.reference)
    assert (case.channel, case.stage, case.status, case.severity) == (
        "public",
        "new",
        "open",
        "normal",
    )
    assert case.reporter_user is None and case.created_by is None
    assert len(secret) >= 16
    assert secret not in (case.tracking_index, case.reference)
    assert case_by_tracking(case.reference, secret) == case
    assert first_response(case).done_at is None  # nobody has answered yet
    assert set(case.clocks.values_list("name", flat=True)) == {
        "first_response",
        "assignment",
        "resolution",
    }
    start = StageChange.objects.get(case=case)
    assert (start.from_stage, start.to_stage, start.actor) == ("", "new", None)


@pytest.mark.django_db
def test_numbers_follow_each_other():
    first, _ = open_case()
    second, _ = open_case()
    a, b = (int(c.reference.rsplit("-", 1)[1]) for c in (first, second))
    assert b == a + 1


@pytest.mark.django_db
def test_a_signed_in_worker_on_the_public_form_follows_it_on_their_own_pages(wati):
    person = worker_person(wati)
    case, secret = open_case(actor=wati, relationship="self", person_name="Wati Lestari")
    assert secret == "" and case.tracking_index == ""
    assert case.reporter_user == wati
    assert (case.person, case.match_state) == (person, MatchState.LINKED)
    assert case.created_by is None


@pytest.mark.django_db
def test_a_worker_reports_about_themself_on_the_portal(wati):
    person = worker_person(wati)
    case, secret = open_case(actor=wati, channel="portal", relationship="self")
    assert secret == ""
    assert (case.reporter_user, case.person, case.created_by) == (wati, person, None)
    assert first_response(case).done_at is None


@pytest.mark.django_db
def test_a_worker_reports_for_a_family_member_on_the_portal(wati, tono):
    sister = worker_person(wati)
    case, secret = open_case(
        actor=tono, channel="portal", relationship="sibling", person_nik=nik_for(serial=2)
    )
    assert secret == ""
    # The sister's NIK only suggests her record: an officer confirms (issue 19).
    assert (case.reporter_user, case.person) == (tono, None)
    assert case_suggestions(case) == [sister]


@pytest.mark.django_db
@pytest.mark.parametrize("channel", OFFICER_CHANNELS)
def test_an_officer_types_in_a_report_and_that_is_the_first_response(channel, alice):
    case, secret = open_case(actor=alice, channel=channel)
    assert case.channel == channel
    assert case.created_by == alice and case.reporter_user is None
    assert secret  # for the caller, who has no account
    assert case.owner is None  # the queue: triage and assignment follow
    assert first_response(case).done_at == case.created_at
    assert StageChange.objects.get(case=case).actor == alice


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["bob", "admin_user"])
def test_supervisors_and_admins_record_calls_too(persona, request):
    user = request.getfixturevalue(persona)
    case, _ = open_case(actor=user, channel="hotline")
    assert case.created_by == user


@pytest.mark.django_db
@pytest.mark.parametrize("channel", [*OFFICER_CHANNELS, "portal"])
@pytest.mark.parametrize("persona", ["teguh", "putri"])
def test_trainers_and_partners_do_not_open_cases(channel, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        open_case(actor=user, channel=channel)
    assert not Case.objects.exists()
    assert AuditEvent.objects.filter(actor=user, action="denied", reason="cases.case_open").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("channel", OFFICER_CHANNELS)
def test_a_worker_cannot_use_an_officers_channel(channel, wati):
    with pytest.raises(PermissionDenied):
        open_case(actor=wati, channel=channel)
    assert not Case.objects.exists()
    assert AuditEvent.objects.filter(actor=wati, action="denied", reason="cases.case_open").exists()


@pytest.mark.django_db
def test_the_portal_is_for_signed_in_workers_only(alice):
    for actor in (None, alice):
        with pytest.raises(PermissionDenied):
            open_case(actor=actor, channel="portal")
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_an_unknown_channel_is_refused(alice):
    with pytest.raises(ValidationError) as exc:
        open_case(actor=alice, channel="twitter")
    assert "channel" in exc.value.message_dict


# --- what the report says --------------------------------------------------------------


@pytest.mark.django_db
def test_a_case_keeps_several_kinds_and_the_highest_severity():
    case, _ = open_case(kinds=["wages", "illness", "wages"])
    assert sorted(CaseKind.objects.filter(case=case).values_list("kind", flat=True)) == [
        "illness",
        "wages",
    ]
    assert case.severity == Severity.HIGH
    assert open_case(kinds=["go_home", "abuse"])[0].severity == Severity.CRITICAL


@pytest.mark.django_db
def test_where_the_person_is_and_the_reporter_are_kept_apart():
    from garda.places.models import Country

    country = Country.objects.create(
        code="MY", alpha3="MYS", numeric="458", name_id="Malaysia", name_en="Malaysia"
    )
    case, _ = open_case(
        relationship="parent",
        reporter_name="Sri Wahyuni",
        person_name="Siti Aminah",
        country=country,
        city="Johor Bahru",
        employer_abroad="Jalan Ampang 12",
        phone_abroad="+60123456789",
        last_contact_on=date(2026, 11, 1),
    )
    case.refresh_from_db()
    assert (case.reporter_name, case.subject_name, case.relationship) == (
        "Sri Wahyuni",
        "Siti Aminah",
        "parent",
    )
    assert (case.country, case.city, case.employer_abroad, case.phone_abroad) == (
        country,
        "Johor Bahru",
        "Jalan Ampang 12",
        "+60123456789",
    )
    assert case.last_contact_on == date(2026, 11, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"reporter_name": "  "}, "reporter_name"),
        ({"person_name": ""}, "person_name"),
        ({"description": ""}, "description"),
        ({"description": "x" * 5001}, "description"),
        ({"kinds": []}, "kinds"),
        ({"kinds": ["wages", "bored"]}, "kinds"),
        ({"relationship": "boss"}, "relationship"),
        ({"person_nik": "1234"}, "person_nik"),
        ({"person_nik": "3171019999990000"}, "person_nik"),
        ({"answers": {"documents": "burned"}}, "answers"),
    ],
)
def test_a_bad_report_is_refused_with_a_message_and_nothing_written(bad, field):
    with pytest.raises(ValidationError) as exc:
        open_case(**bad)
    assert field in exc.value.message_dict
    assert all(exc.value.message_dict[field])
    assert not Case.objects.exists()
    assert not AuditEvent.objects.filter(action="create", object_type="cases.case").exists()


@pytest.mark.django_db
def test_the_create_row_names_fields_never_values(alice):
    case, _ = open_case(
        actor=alice, channel="hotline", person_nik=nik_for(serial=9), phone_abroad="+60123"
    )
    event = AuditEvent.objects.get(action="create", object_type="cases.case")
    assert event.actor == alice and event.object_id == str(case.pk)
    assert {"description", "kinds", "subject_name", "subject_nik", "phone_abroad"} <= set(
        event.changed_fields
    )
    flat = str(event.changed_fields) + event.reason
    for value in (nik_for(serial=9), "Siti", "Sri Wahyuni", "+60123", "Gaji"):
        assert value not in flat
    assert event.reason == "channel hotline"


@pytest.mark.django_db
def test_the_nik_is_stored_encrypted():
    from django.db import connection

    nik = nik_for(serial=9)
    case, _ = open_case(person_nik=nik)
    with connection.cursor() as cursor:
        cursor.execute("SELECT subject_nik FROM cases_case WHERE id = %s", [case.pk])
        (raw,) = cursor.fetchone()
    assert nik not in raw
    assert subject_nik(Case.objects.get(pk=case.pk)) == nik


# --- matching the person concerned --------------------------------------------------------


@pytest.mark.django_db
def test_a_registered_nik_from_the_public_suggests_its_owner(wati):
    """Not linked at once (issue 19): the officer confirms (test_issue19_surface.py)."""
    person = worker_person(wati)
    case, _ = open_case(person_nik=nik_for(serial=2))
    assert (case.person, case.match_state) == (None, MatchState.SUGGESTED)
    assert case_suggestions(case) == [person]


@pytest.mark.django_db
def test_a_registered_nik_typed_by_staff_links_the_case(wati, alice):
    person = worker_person(wati)
    case, _ = open_case(actor=alice, channel="hotline", person_nik=nik_for(serial=2))
    assert (case.person, case.match_state) == (person, MatchState.LINKED)


@pytest.mark.django_db
def test_a_merged_records_nik_points_to_the_record_that_remains(wati, alice):
    survivor = register(serial=7, full_name="Wati Lestari")
    merged = worker_person(wati)
    Person.objects.filter(pk=merged.pk).update(merged_into=survivor)
    case, _ = open_case(person_nik=nik_for(serial=2))
    assert case_suggestions(case) == [survivor]
    case, _ = open_case(actor=alice, channel="hotline", person_nik=nik_for(serial=2))
    assert case.person == survivor
    assert case.person != merged


@pytest.mark.django_db
def test_a_name_and_birth_date_only_suggest(wati):
    person = worker_person(wati)  # born 1 January 1990
    register(serial=8, full_name="Budi Santoso")
    case, _ = open_case(person_name="Wati Lestari", person_birth_date=date(1990, 1, 1))
    assert case.person is None  # never linked by name
    assert case.match_state == MatchState.SUGGESTED
    assert list(suggestions("Wati Lestari", date(1990, 1, 1))) == [person]
    assert list(suggestions("wati lestary", date(1990, 1, 1))) == [person]  # a typo
    assert not suggestions("Wati Lestari", date(1991, 1, 1)).exists()
    assert not suggestions("Rina Marlina", date(1990, 1, 1)).exists()


@pytest.mark.django_db
def test_a_merged_record_is_never_suggested(wati):
    survivor = register(serial=7, full_name="Budi Santoso")
    merged = worker_person(wati)
    Person.objects.filter(pk=merged.pk).update(merged_into=survivor)
    case, _ = open_case(person_name="Wati Lestari", person_birth_date=date(1990, 1, 1))
    assert case.match_state == MatchState.NOT_FOUND
    assert not suggestions("Wati Lestari", date(1990, 1, 1)).exists()


@pytest.mark.django_db
def test_nobody_found():
    case, _ = open_case(person_nik=nik_for(serial=9))
    assert (case.person, case.match_state) == (None, MatchState.NOT_FOUND)


@pytest.mark.django_db
def test_an_officer_confirms_a_suggestion(alice, wati, tono):
    person = worker_person(wati)
    case, _ = open_case(person_name="Wati Lestari", person_birth_date=date(1990, 1, 1))
    with pytest.raises(PermissionDenied):
        case_link_person(actor=tono, case=case, person=person)
    case = case_link_person(actor=alice, case=case, person=person, reason="Dicek KTP")
    case.refresh_from_db()
    assert (case.person, case.match_state) == (person, MatchState.LINKED)
    event = AuditEvent.objects.filter(object_type="cases.case", action="update").latest("id")
    assert (event.changed_fields, event.reason) == (["person"], "link person")


@pytest.mark.django_db
def test_a_merged_record_is_not_linked(alice, wati):
    survivor = register(serial=7, full_name="Wati Lestari")
    merged = worker_person(wati)
    Person.objects.filter(pk=merged.pk).update(merged_into=survivor)
    merged.refresh_from_db()
    case, _ = open_case()
    with pytest.raises(ValidationError) as exc:
        case_link_person(actor=alice, case=case, person=merged)
    assert "person" in exc.value.message_dict
    case.refresh_from_db()
    assert case.person is None


# --- the provisional person --------------------------------------------------------------


@pytest.mark.django_db
def test_a_provisional_person_from_the_reported_nik(alice):
    nik = nik_for(serial=9, born=date(1995, 6, 12), sex="F")
    case, _ = open_case(person_nik=nik, person_name="Siti Aminah")
    assert case.match_state == MatchState.NOT_FOUND
    case = case_register_person(actor=alice, case=case)
    person = case.person
    assert (person.full_name, person.sex, person.birth_date) == (
        "Siti Aminah",
        "F",
        date(1995, 6, 12),
    )
    assert person.nik == nik
    assert not person.identity_verified  # until an officer checks the documents
    assert case.match_state == MatchState.LINKED
    assert AuditEvent.objects.filter(action="create", object_type="people.person").exists()
    event = AuditEvent.objects.filter(object_type="cases.case", action="update").latest("id")
    assert event.reason == "link person (provisional)"
    with pytest.raises(ValidationError):  # once
        case_register_person(actor=alice, case=case)


@pytest.mark.django_db
def test_the_reported_birth_date_settles_the_nik_century(alice):
    nik = nik_for(serial=9, born=date(1960, 3, 5), sex="M")
    case, _ = open_case(person_nik=nik, person_name="Slamet", person_birth_date=date(1960, 3, 5))
    case = case_register_person(actor=alice, case=case)
    assert (case.person.birth_date, case.person.sex) == (date(1960, 3, 5), "M")


@pytest.mark.django_db
def test_a_nik_registered_since_the_report_links_its_owner(alice, wati):
    case, _ = open_case(person_nik=nik_for(serial=2))
    person = worker_person(wati)
    case = case_register_person(actor=alice, case=case)
    assert case.person == person
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_no_provisional_person_without_a_nik_or_by_a_worker(alice, wati):
    case, _ = open_case()
    with pytest.raises(ValidationError) as exc:
        case_register_person(actor=alice, case=case)
    assert "person_nik" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        case_register_person(actor=wati, case=open_case(person_nik=nik_for(serial=9))[0])
    assert not Person.objects.exists()
