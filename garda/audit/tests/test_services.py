from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from garda.audit import context
from garda.audit.models import AuditEvent
from garda.audit.services import GENESIS_HASH, audit_record, compute_hash
from garda.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_context():
    token = context.set_current(
        context.RequestContext(ip="203.0.113.7", request_id="req-0123456789abcdef")
    )
    yield
    context.reset(token)


def test_record_writes_one_row_with_who_where_when(alice, disnaker, request_context):
    moment = datetime(2026, 11, 28, 3, 4, 5, 678901, tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        event = audit_record(
            actor=alice,
            action=AuditEvent.Action.UPDATE,
            target=disnaker,
            changed_fields=["phone", "email"],
            reason="typo",
        )

    assert AuditEvent.objects.count() == 1
    row = AuditEvent.objects.get()
    assert row.pk == event.pk
    assert row.actor_id == alice.pk
    assert row.actor_role == "officer"
    assert row.actor_agency_id == disnaker.pk
    assert row.action == "update"
    assert (row.object_type, row.object_id) == ("accounts.agency", str(disnaker.pk))
    assert row.changed_fields == ["phone", "email"]
    assert row.reason == "typo"
    assert row.ip == "203.0.113.7"
    assert row.request_id == "req-0123456789abcdef"
    assert row.created_at == moment
    assert row.prev_hash == GENESIS_HASH
    assert row.hash == compute_hash(GENESIS_HASH, row)


def test_entries_link_to_the_previous_one(alice):
    first = audit_record(actor=alice, action=AuditEvent.Action.VIEW)
    second = audit_record(actor=alice, action=AuditEvent.Action.VIEW)
    assert second.prev_hash == first.hash
    assert first.hash != second.hash


def test_anonymous_actor_is_recorded_as_none():
    event = audit_record(actor=AnonymousUser(), action=AuditEvent.Action.LOGIN_FAILED)
    event.refresh_from_db()
    assert event.actor_id is None
    assert event.actor_role == ""
    assert event.actor_agency_id is None


def test_explicit_ip_and_request_id_win_over_the_context(alice, request_context):
    event = audit_record(
        actor=alice, action=AuditEvent.Action.EXPORT, ip="198.51.100.1", request_id="cmd-run-1"
    )
    assert (event.ip, event.request_id) == ("198.51.100.1", "cmd-run-1")


def test_outside_a_request_ip_and_request_id_are_empty(alice):
    event = audit_record(actor=alice, action=AuditEvent.Action.EXPORT)
    assert (event.ip, event.request_id) == (None, "")


def test_a_rolled_back_write_leaves_no_audit_row(alice, disnaker):
    with pytest.raises(RuntimeError), transaction.atomic():
        disnaker.phone = "021-555"
        disnaker.save(update_fields=["phone"])
        audit_record(
            actor=alice, action=AuditEvent.Action.UPDATE, target=disnaker, changed_fields=["phone"]
        )
        raise RuntimeError("the service fails after auditing")

    assert not AuditEvent.objects.exists()
    # The chain carries on from the last committed entry, not the rolled-back one.
    audit_record(actor=alice, action=AuditEvent.Action.VIEW)
    assert verify_chain().ok


def test_unknown_action_is_refused(alice):
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit_record(actor=alice, action="teleport")
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "changed_fields",
    [
        "phone",  # a string, not a list of names
        ["3171234567890001"],  # a value (a NIK), not a name
        ["Siti Aminah"],
        [42],
        ["x" * 65],
        {"phone": "021-555"},
        ["f"] * 101,
    ],
)
def test_changed_fields_must_be_field_names(alice, changed_fields):
    with pytest.raises(ValueError):
        audit_record(actor=alice, action=AuditEvent.Action.UPDATE, changed_fields=changed_fields)


def test_a_set_of_changed_fields_is_stored_sorted(alice):
    fields = {"phone", "email", "address.city"}
    event = audit_record(actor=alice, action=AuditEvent.Action.UPDATE, changed_fields=fields)
    assert event.changed_fields == ["address.city", "email", "phone"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"reason": "x" * 501},
        {"object_id": "1" * 65},
        {"ip": "not-an-ip"},
        {"reason": "nul\x00byte"},
    ],
)
def test_bad_values_are_refused_before_writing(alice, kwargs):
    with pytest.raises(ValueError):
        audit_record(actor=alice, action=AuditEvent.Action.VIEW, **kwargs)


def test_target_and_object_type_together_are_refused(alice, disnaker):
    with pytest.raises(ValueError):
        audit_record(
            actor=alice,
            action=AuditEvent.Action.VIEW,
            target=disnaker,
            object_type="accounts.agency",
            object_id="1",
        )


@pytest.mark.parametrize(
    "ip", ["2001:0db8:0000:0000:0000:0000:0000:0001", "::ffff:192.0.2.1", "::192.0.2.1", "::1"]
)
def test_ipv6_addresses_survive_the_database_round_trip(alice, ip):
    # Both databases rewrite IPv6 addresses in their own notation; the hash must hold.
    audit_record(actor=alice, action=AuditEvent.Action.LOGIN, ip=ip)
    assert verify_chain().ok


def test_deleting_a_user_keeps_their_audit_rows_and_the_chain(alice, bob):
    audit_record(actor=alice, action=AuditEvent.Action.LOGIN, target=alice)
    audit_record(actor=bob, action=AuditEvent.Action.VIEW, target=alice)
    alice_id = alice.pk

    alice.delete()

    assert AuditEvent.objects.filter(actor_id=alice_id).count() == 1
    assert verify_chain().ok
