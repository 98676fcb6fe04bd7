"""Recording an interception (docs/interceptions.md, "Recording"): the person found
or registered in the registry, a case where the screening shows signs of trafficking
(none otherwise), the follow-up checklist, who may record, and bad input refused in
Indonesian with nothing written."""

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from garda.accounts.models import Notification
from garda.audit.models import AuditEvent
from garda.cases.models import Case, Channel
from garda.interceptions.models import BrokerMention, FollowUp, Interception
from garda.interceptions.services import brokers as broker_services
from garda.interceptions.services.record import followup_done
from garda.interceptions.tests.factories import ONE_SIGN, TRAFFICKING, record
from garda.people.models import Assignment, Person
from garda.people.tests.factories import nik_for, register

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int, int, int]:
    return (
        Person.objects.count(),
        Interception.objects.count(),
        Case.objects.count(),
        BrokerMention.objects.count(),
        FollowUp.objects.count(),
    )


def test_a_new_person_is_registered_and_no_case_without_signs_of_trafficking(alice, bob):
    interception = record(alice, answers=ONE_SIGN)
    assert re.fullmatch(r"CGH-\d{4}-\d{6}", interception.reference)
    person = interception.person
    assert person is not None and person.full_name == "Siti Rahayu"
    assert person.birth_date == date(1998, 4, 12)
    # The registry's own rule: the registering officer accompanies the person.
    assert Assignment.objects.filter(person=person, officer=alice).exists()
    assert interception.screening_level == "medium" and interception.case is None
    assert Case.objects.count() == 0
    assert sorted(interception.steps.values_list("step", flat=True)) == [
        "accompaniment",
        "counselling",
        "registration",
        "return_home",
    ]
    assert interception.agency_id == alice.agency_id
    assert AuditEvent.objects.filter(
        action="create", object_type="interceptions.interception", object_id=str(interception.pk)
    ).exists()
    assert AuditEvent.objects.filter(action="create", object_type="people.person").count() == 1
    # bob (supervisor of alice's agency) is told, by number only.
    note = Notification.objects.get(user=bob)
    assert interception.reference in note.title and "Siti" not in note.title + note.body


def test_an_existing_person_is_found_by_nik_and_the_lookup_audited(alice):
    existing = register(serial=11, born=date(1998, 4, 12), full_name="Siti Rahayu")
    before = Person.objects.count()
    interception = record(alice)
    assert interception.person == existing
    assert Person.objects.count() == before
    lookup = AuditEvent.objects.get(action="lookup", actor=alice)
    assert lookup.object_id == str(existing.pk)


def test_signs_of_trafficking_open_a_case_for_the_task_force(alice, bob):
    interception = record(alice, answers=TRAFFICKING)
    case = interception.case
    assert case is not None
    assert case.channel == Channel.AGENCY
    assert set(case.kinds.values_list("kind", flat=True)) == {"failed_departure", "trafficking"}
    assert case.task_force is True and case.screening_level == "high"
    assert case.person == interception.person
    assert case.created_by == alice
    assert interception.reference in case.description
    assert Notification.objects.filter(user=bob, title__contains=case.reference).exists()


def test_violence_is_urgent_and_opens_a_case(alice):
    interception = record(alice, answers={"threats": "yes"})
    assert interception.screening_level == "urgent" and interception.case is not None


def test_without_a_nik_nobody_is_registered_and_the_name_is_kept(alice):
    interception = record(alice, serial=None, answers=TRAFFICKING)
    assert interception.person is None and Person.objects.count() == 0
    assert interception.subject_name == "Siti Rahayu"
    # The case is still opened, its person to be found at triage.
    assert interception.case is not None and interception.case.person is None


@pytest.mark.parametrize("role", ["worker", "trainer", "partner", "admin"])
def test_other_roles_may_not_record(role, personas):
    user = personas[role]
    with pytest.raises(PermissionDenied):
        record(user)
    assert counts() == (0, 0, 0, 0, 0)
    assert AuditEvent.objects.filter(actor=user, action="denied").exists()


def test_a_supervisor_records_and_chooses_the_accompanying_officer(bob, alice):
    interception = record(bob, accompanying_officer_id=alice.pk)
    assert Assignment.objects.filter(person=interception.person, officer=alice).exists()


def test_a_supervisor_may_not_assign_an_officer_of_another_agency(bob, carol):
    with pytest.raises(ValidationError) as exc:
        record(bob, accompanying_officer_id=carol.pk)
    assert "accompanying_officer_id" in exc.value.message_dict
    assert counts() == (0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    "overrides, field, words",
    [
        ({"person_nik": "1234"}, "person_nik", "NIK"),
        ({"person_full_name": " "}, "person_full_name", "tidak boleh kosong"),
        ({"place_kind": "mall"}, "place_kind", "Pilih"),
        ({"intercepted_by_text": ""}, "intercepted_by_id", "Sebutkan"),
        ({"intercepted_at": timezone.now() + timedelta(days=2)}, "intercepted_at", "masa depan"),
        (
            {"handed_over_at": timezone.now() - timedelta(days=3)},
            "handed_over_at",
            "sebelum",
        ),
        ({"answers": {"debt": "maybe"}}, "answers", "jawaban"),  # replaces TRAFFICKING
        ({"documents": {"passport": "mother"}}, "documents", "dokumen"),
        ({"brokers": [{"name": "PT.", "kind": "company"}]}, "brokers", "bukan nama"),
        ({"destination_code": "XX"}, "destination_code", "negara"),
        (
            # The registry's own check: the birth date does not match the NIK.
            {"person_birth_date": date(1999, 4, 12)},
            "person_birth_date",
            "NIK",
        ),
        (
            # Without a NIK the date is checked here: year 9999 is a slip.
            {"person_nik": "", "person_birth_date": date(9999, 1, 1)},
            "person_birth_date",
            "masa lalu",
        ),
    ],
)
def test_bad_input_is_refused_in_indonesian_and_nothing_is_written(alice, overrides, field, words):
    with pytest.raises(ValidationError) as exc:
        record(alice, **{"answers": TRAFFICKING, **overrides})
    messages = exc.value.message_dict
    assert field in messages, messages
    assert words.lower() in " ".join(messages[field]).lower(), messages
    assert counts() == (0, 0, 0, 0, 0)


def test_a_failure_after_the_person_and_the_case_leaves_nothing_half_written(alice, monkeypatch):
    """The person is registered and the case opened, then the brokers fail: the
    transaction leaves no person, no case, no interception, no audit row of them."""

    def boom(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("garda.interceptions.services.record.mentions_create", boom)
    with pytest.raises(RuntimeError):
        record(alice, answers=TRAFFICKING)
    assert counts() == (0, 0, 0, 0, 0)
    assert not AuditEvent.objects.filter(action="create").exists()
    assert not Notification.objects.exists()
    # The next interception gets the first number: the counter rolled back too.
    monkeypatch.setattr(
        "garda.interceptions.services.record.mentions_create", broker_services.mentions_create
    )
    assert record(alice).reference.endswith("-000001")


def test_a_nik_registered_by_the_registry_is_not_registered_twice(alice):
    first = record(alice)
    second = record(alice, place_name="Pelabuhan Tanjung Priok", place_kind="seaport")
    assert first.person == second.person
    assert Person.objects.count() == 1


def test_followup_steps_are_ticked_with_a_date(alice, carol):
    interception = record(alice)
    step = interception.steps.get(step="counselling")
    step.interception = interception
    followup_done(actor=alice, step=step, note="Konseling di shelter")
    step.refresh_from_db()
    assert step.done_on == timezone.localdate() and step.done_by == alice
    with pytest.raises(ValidationError) as exc:
        followup_done(actor=alice, step=step, done_on=timezone.localdate() + timedelta(days=1))
    assert "masa depan" in exc.value.message_dict["done_on"][0]
    with pytest.raises(PermissionDenied):
        followup_done(actor=carol, step=step)
    assert AuditEvent.objects.filter(actor=carol, action="denied").exists()


def test_a_nik_for_another_place_of_birth_is_the_registry_s_nik(alice):
    """The NIK is parsed by the registry: a woman's NIK carries day + 40."""
    interception = record(alice, person_nik=nik_for(serial=12, born=date(1998, 4, 12)))
    assert interception.person.sex == "F"
