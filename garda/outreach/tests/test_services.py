"""Outreach services: events, registration (capacity, twice, the NIK), check-in and
its refusals, walk-ins, the link to a person registered later, announcements to the
subscribed workers (in bulk), the SMS senders."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from garda.accounts.models import Notification
from garda.audit.models import AuditEvent
from garda.outreach.models import Delivery, Event, Registration
from garda.outreach.senders import FileSender, Message, get_sender
from garda.outreach.services.announcements import (
    AnnouncementData,
    SubscriptionData,
    announcement_publish,
    subscription_save,
)
from garda.outreach.services.events import event_create, event_set_status, event_update
from garda.outreach.services.registrations import (
    CheckInRefused,
    RegistrationData,
    RegistrationRefused,
    registration_check_in,
    registration_create,
    registration_walk_in,
)
from garda.outreach.tests.factories import event_data, make_event, places, register_for
from garda.people.tests.factories import nik_for, register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian():
    with translation.override("id"):
        yield


# --- events ---------------------------------------------------------------------


def test_an_event_is_made_for_the_officers_agency_with_a_reference(alice):
    places()
    event = event_create(actor=alice, data=event_data())
    assert event.agency_id == alice.agency_id and event.status == Event.Status.PLANNED
    assert event.reference.startswith("JKT-OUT-")
    assert (event.regency_code, event.district_code) == ("31.71", "31.71.01")
    assert AuditEvent.objects.filter(
        object_type="outreach.event", object_id=str(event.pk), action="create"
    ).exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"region_code": "31"}, "region_code", "kode kota"),
        ({"region_code": "99.99"}, "region_code", "kode kota"),
        ({"kind": "party"}, "kind", "jenis acara"),
        ({"title": " "}, "title", "tidak boleh kosong"),
    ],
)
def test_bad_event_input_is_refused_in_words_and_nothing_written(alice, change, field, message):
    places()
    with pytest.raises(ValidationError) as caught:
        event_create(actor=alice, data=event_data(**change))
    assert field in caught.value.error_dict
    assert message in " ".join(caught.value.messages).lower()
    assert not Event.objects.exists()


def test_an_event_ending_before_it_starts_is_refused(alice):
    places()
    start = timezone.now() + timedelta(days=2)
    with pytest.raises(ValidationError) as caught:
        event_create(
            actor=alice, data=event_data(starts_at=start, ends_at=start - timedelta(hours=1))
        )
    assert "ends_at" in caught.value.error_dict


def test_only_the_events_agency_runs_it(alice, bob, carol, admin_user, teguh):
    event = make_event(alice)
    event_update(actor=bob, event=event, data=event_data(title="Sosialisasi (diubah)"))
    for outsider in (carol, admin_user, teguh):
        with pytest.raises(PermissionDenied):
            event_set_status(actor=outsider, event=event, status=Event.Status.CLOSED)
    with pytest.raises(PermissionDenied):
        event_create(actor=teguh, data=event_data())


def test_a_cancelled_event_cannot_be_reopened(alice):
    event = make_event(alice, status=Event.Status.CANCELLED)
    with pytest.raises(ValidationError) as caught:
        event_set_status(actor=alice, event=event, status=Event.Status.OPEN)
    assert "Dibatalkan" in caught.value.messages[0]


# --- registration -------------------------------------------------------------------


def test_capacity_is_enforced(alice):
    event = make_event(alice, capacity=2)
    register_for(event, full_name="Satu")
    register_for(event, full_name="Dua")
    with pytest.raises(RegistrationRefused) as caught:
        register_for(event, full_name="Tiga")
    assert caught.value.code == "full" and "penuh" in caught.value.message
    assert Registration.objects.filter(event=event).count() == 2


def test_a_person_registers_once_per_event_by_a_nik_staff_type(alice):
    event = make_event(alice)
    nik = nik_for(serial=77)
    register_for(event, actor=alice, nik=nik, channel="door")
    with pytest.raises(RegistrationRefused) as caught:
        register_for(event, actor=alice, full_name="Orang yang sama", nik=nik, channel="door")
    assert caught.value.code == "already_registered"
    assert caught.value.message == "Orang ini sudah terdaftar di acara ini."


def test_a_visitor_typing_anothers_nik_links_nothing_and_blocks_no_one(alice, wati):
    """The attack: an anonymous visitor types Wati's NIK. The registration is not
    linked to her record, she is not refused as "already registered", a check-in of
    the visitor's code without her identity card adds nothing to her funnel, and the
    visitor learns nothing by trying the NIK again (no "already registered")."""
    from garda.outreach.funnel import event_funnel

    person = register(serial=79, user=wati)
    event = make_event(alice)
    fake = register_for(event, full_name="Bukan Wati", nik=person.nik)
    assert fake.person_id is None and fake.nik_index == ""
    again = register_for(event, full_name="Coba lagi", nik=person.nik)  # no oracle
    assert again.person_id is None
    own = registration_create(actor=wati, event=event, data=RegistrationData())
    assert own.person_id == person.pk
    registration_check_in(actor=alice, event=event, code=fake.code)
    fake.refresh_from_db()
    assert fake.person_id is None
    funnel = event_funnel(event)
    assert funnel["attended"] == 1 and funnel["attended_with_record"] == 0
    # An officer who types her NIK for the visitor's code is told she has a registration.
    with pytest.raises(CheckInRefused) as caught:
        registration_check_in(actor=alice, event=event, code=again.code, nik=person.nik)
    assert caught.value.code == "already_registered" and caught.value.status == 409
    assert caught.value.message == "Orang ini sudah terdaftar di acara ini, dengan kode lain."
    assert Registration.objects.get(pk=again.pk).checked_in_at is None


def test_the_officer_confirms_the_nik_at_check_in_and_links_the_record(alice):
    person = register(serial=80, actor=alice)
    event = make_event(alice)
    registration = register_for(event, full_name="Ani", nik=person.nik)
    assert registration.person_id is None
    done = registration_check_in(
        actor=alice, event=event, code=registration.code, nik=f" {person.nik} "
    )
    assert done.person_id == person.pk
    stored = Registration.objects.get(pk=registration.pk)
    assert stored.person_id == person.pk and stored.nik_index == person.nik_index
    assert stored.checked_in_by == alice
    row = AuditEvent.objects.get(reason="check-in", object_id=str(registration.pk))
    assert set(row.changed_fields) == {"checked_in_at", "nik", "person"}


def test_a_bad_nik_at_check_in_is_refused_and_nothing_is_recorded(alice):
    event = make_event(alice)
    registration = register_for(event, full_name="Ani")
    with pytest.raises(CheckInRefused) as caught:
        registration_check_in(actor=alice, event=event, code=registration.code, nik="12345")
    assert caught.value.code == "invalid_nik" and caught.value.status == 422
    assert "16 digit" in caught.value.message
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None


def test_the_nik_is_stored_encrypted_with_the_registrys_blind_index(alice):
    event = make_event(alice)
    nik = nik_for(serial=78)
    registration = register_for(event, nik=nik)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT nik FROM outreach_registration WHERE id = %s", [registration.pk])
        stored = cursor.fetchone()[0]
    assert nik not in stored and stored.startswith("v1.")
    assert Registration.objects.get(pk=registration.pk).nik == nik


def test_a_bad_nik_or_phone_is_refused(alice):
    event = make_event(alice)
    with pytest.raises(ValidationError) as caught:
        register_for(event, nik="12345")
    assert "16 digit" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        register_for(event, phone="telepon saya")
    assert not Registration.objects.exists()


def test_the_public_registers_only_for_open_public_events(alice):
    staff_only = make_event(alice, audience=Event.Audience.VILLAGE_STAFF)
    with pytest.raises(RegistrationRefused) as caught:
        register_for(staff_only)
    assert caught.value.code == "not_public"
    planned = make_event(alice, status=Event.Status.PLANNED)
    with pytest.raises(RegistrationRefused) as caught:
        register_for(planned)
    assert caught.value.code == "event_not_open"


def test_a_workers_registration_is_linked_to_their_record(alice, wati):
    person = register(serial=21, user=wati)
    event = make_event(alice)
    registration = registration_create(actor=wati, event=event, data=RegistrationData())
    assert registration.person_id == person.pk
    assert registration.full_name == person.full_name
    with pytest.raises(RegistrationRefused):
        registration_create(actor=wati, event=event, data=RegistrationData())


def test_a_partner_may_not_register_anyone(alice, putri):
    event = make_event(alice)
    with pytest.raises(PermissionDenied):
        register_for(event, actor=putri)
    assert AuditEvent.objects.filter(actor=putri, action="denied").exists()


def test_a_person_registered_later_is_linked_by_the_nik_the_officer_confirmed(alice):
    event = make_event(alice)
    confirmed = register_for(event, nik=nik_for(serial=31))
    registration_check_in(actor=alice, event=event, code=confirmed.code, nik=nik_for(serial=31))
    claimed = register_for(event, nik=nik_for(serial=32))  # typed online, never confirmed
    assert confirmed.person_id is None
    person = register(serial=31, actor=alice)
    confirmed.refresh_from_db()
    assert confirmed.person_id == person.pk
    register(serial=32, actor=alice)
    claimed.refresh_from_db()
    assert claimed.person_id is None


# --- check-in -------------------------------------------------------------------------


def test_check_in_by_code_is_recorded_and_audited(alice):
    event = make_event(alice)
    registration = register_for(event)
    done = registration_check_in(actor=alice, event=event, code=registration.code.lower())
    assert done.checked_in_at is not None and done.checked_in_by == alice
    assert AuditEvent.objects.filter(reason="check-in", object_id=str(registration.pk)).exists()


def test_a_second_check_in_is_refused_saying_when(alice, bob):
    event = make_event(alice)
    registration = register_for(event)
    registration_check_in(actor=alice, event=event, code=registration.code)
    with pytest.raises(CheckInRefused) as caught:
        registration_check_in(actor=bob, event=event, code=registration.code)
    assert caught.value.status == 409 and caught.value.code == "already_checked_in"
    when = timezone.localtime(Registration.objects.get(pk=registration.pk).checked_in_at)
    assert caught.value.message.startswith("Kehadirannya sudah dicatat pada")
    assert when.strftime("%H:%M") in caught.value.message
    assert Registration.objects.get(pk=registration.pk).checked_in_by == alice


def test_a_code_of_another_event_is_refused_without_saying_whose(alice):
    event = make_event(alice, title="Acara A")
    other = make_event(alice, title="Acara B rahasia")
    registration = register_for(other)
    with pytest.raises(CheckInRefused) as caught:
        registration_check_in(actor=alice, event=event, code=registration.code)
    assert caught.value.code == "wrong_event" and caught.value.status == 422
    assert "Acara B" not in caught.value.message and "acara lain" in caught.value.message
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None


def test_an_unknown_code_is_refused(alice):
    event = make_event(alice)
    with pytest.raises(CheckInRefused) as caught:
        registration_check_in(actor=alice, event=event, code="ZZZZ9999")
    assert caught.value.code == "unknown_code"


@pytest.mark.parametrize("status", [Event.Status.CLOSED, Event.Status.CANCELLED])
def test_check_in_at_a_closed_or_cancelled_event_is_refused(alice, status):
    event = make_event(alice)
    registration = register_for(event)
    event_set_status(actor=alice, event=event, status=status)
    event.refresh_from_db()
    with pytest.raises(CheckInRefused) as caught:
        registration_check_in(actor=alice, event=event, code=registration.code)
    assert caught.value.code == "event_not_open" and caught.value.status == 409
    assert Event.Status(status).label.lower() in caught.value.message.lower()
    with pytest.raises(CheckInRefused):
        registration_walk_in(actor=alice, event=event, data=RegistrationData(full_name="Rudi"))


def test_another_agency_may_not_check_in(alice, carol):
    event = make_event(alice)
    registration = register_for(event)
    with pytest.raises(PermissionDenied):
        registration_check_in(actor=carol, event=event, code=registration.code)


def test_a_walk_in_is_registered_and_checked_in_at_once(alice):
    event = make_event(alice, audience=Event.Audience.VILLAGE_STAFF)
    done = registration_walk_in(
        actor=alice, event=event, data=RegistrationData(full_name="Lurah Cideng")
    )
    assert done.channel == "door" and done.checked_in_at is not None


# --- announcements ------------------------------------------------------------------


def _subscribe(user, districts=(), interests=(), **extra):
    return subscription_save(
        actor=user,
        data=SubscriptionData(districts=list(districts), interests=list(interests), **extra),
    )


def test_an_announcement_reaches_the_matching_subscribers_only(
    alice, wati, tono, monkeypatch, django_capture_on_commit_callbacks
):
    from conftest import make_user

    places()
    _subscribe(wati, ["31.75"], ["caregiving"], by_sms=True, phone="0813-1111-2222")
    _subscribe(tono, ["31.71"])  # another city
    _subscribe(make_user("ani@example.org", "worker"))  # everything, everywhere
    _subscribe(make_user("eko@example.org", "worker"), interests=["welding"])  # other interest
    sent = []

    class Spy:
        def send(self, messages):
            sent.extend(messages)
            return len(messages)

    monkeypatch.setattr("garda.outreach.services.announcements.get_sender", lambda: Spy())
    with django_capture_on_commit_callbacks(execute=True):
        a = announcement_publish(
            actor=alice,
            data=AnnouncementData(
                kind="broker_warning",
                title="Waspada calo",
                body="Jangan bayar siapa pun.",
                region_code="31.75",
                interest="caregiving",
            ),
        )
    assert a.recipients == 2
    told = set(
        Notification.objects.filter(title="Waspada calo").values_list("user__email", flat=True)
    )
    assert told == {"wati@example.org", "ani@example.org"}
    assert sorted(m.to[0] for m in mail.outbox) == ["ani@example.org", "wati@example.org"]
    assert [m.phone for m in sent] == ["+6281311112222"]
    assert "Waspada calo" in sent[0].text
    assert Delivery.objects.filter(announcement=a).count() == 5  # 2 in-app, 2 e-mail, 1 SMS


def test_publishing_costs_the_same_queries_for_many_recipients(alice):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conftest import make_user

    places()

    def publish(title: str) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            a = announcement_publish(
                actor=alice,
                data=AnnouncementData(
                    kind="g2g_call", title=title, body="Dibuka.", region_code="31.75"
                ),
            )
        return a.recipients, len(queries)

    publish("pemanasan")  # warm caches (content types) once
    for n in range(2):
        _subscribe(make_user(f"w{n}@example.org", "worker"), ["31.75"])
    few, few_queries = publish("G to G pertama")
    for n in range(2, 40):
        _subscribe(make_user(f"w{n}@example.org", "worker"), ["31.75"])
    many, many_queries = publish("G to G kedua")
    assert (few, many) == (2, 40)
    assert many_queries == few_queries <= 14


def test_a_bad_announcement_or_subscription_is_refused(alice, wati, teguh):
    places()
    with pytest.raises(ValidationError):
        announcement_publish(actor=alice, data=AnnouncementData(kind="gossip", title="x", body="y"))
    with pytest.raises(ValidationError):
        _subscribe(wati, ["99.99"])
    with pytest.raises(ValidationError) as caught:
        _subscribe(wati, by_sms=True)
    assert "phone" in caught.value.error_dict
    with pytest.raises(PermissionDenied):
        announcement_publish(actor=teguh, data=AnnouncementData(kind="other", title="x", body="y"))


def test_the_file_sender_writes_one_line_per_message(tmp_path, settings):
    sender = FileSender(tmp_path)
    assert sender.send([Message("+628111", "Halo\nbaris dua"), Message("+628222", "Dua")]) == 2
    lines = (tmp_path / "outbox.log").read_text().splitlines()
    assert len(lines) == 2 and lines[0].endswith("\t+628111\tHalo baris dua")
    settings.OUTREACH_SMS_BACKEND = "file"
    assert isinstance(get_sender(), FileSender)
    settings.OUTREACH_SMS_BACKEND = "console"
    assert get_sender().send([Message("+628111", "x")]) == 1
