"""The chain and `garda audit_verify`: an attacker who gets past the triggers (by
dropping them, as a database owner could) is still caught at the first altered row."""

import io

import pytest
from django.core.management import call_command

from garda.audit.models import AuditEvent
from garda.audit.services import GENESIS_HASH, audit_record
from garda.audit.tests.factories import drop_triggers, make_chain, run_sql
from garda.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def audit_verify() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def chain(alice):
    return make_chain(alice, 5)


def test_an_empty_log_verifies():
    assert audit_verify() == (0, "OK: 0 entries verified\n", "")


def test_an_untouched_chain_verifies(chain):
    assert audit_verify() == (0, "OK: 5 entries verified\n", "")


def test_the_chain_is_read_in_small_batches(chain):
    result = verify_chain(batch_size=2)
    assert (result.ok, result.checked, result.last_hash) == (True, 5, chain[-1].hash)


def test_an_edited_row_breaks_the_chain_at_that_row(chain):
    drop_triggers()
    run_sql(
        "UPDATE audit_auditevent SET reason = 'nothing to see' WHERE id = %s", params=[chain[2].pk]
    )

    result = verify_chain()
    assert (result.ok, result.first_broken_id, result.checked) == (False, chain[2].pk, 2)
    assert "hash mismatch" in result.reason
    code, out, err = audit_verify()
    assert code == 1
    assert out == ""
    assert err.startswith(f"BROKEN at entry #{chain[2].pk}: hash mismatch")


def test_an_edited_row_with_a_recomputed_plain_hash_is_caught(chain):
    # Without the HMAC key, an attacker cannot produce a matching hash.
    drop_triggers()
    run_sql(
        "UPDATE audit_auditevent SET actor_id = NULL, hash = %s WHERE id = %s",
        params=["f" * 64, chain[1].pk],
    )
    assert verify_chain().first_broken_id == chain[1].pk


def test_a_removed_middle_row_breaks_the_chain_at_the_next_row(chain):
    drop_triggers()
    run_sql("DELETE FROM audit_auditevent WHERE id = %s", params=[chain[2].pk])

    result = verify_chain()
    assert (result.ok, result.first_broken_id) == (False, chain[3].pk)
    assert f"entry #{chain[1].pk}" in result.reason
    code, _, err = audit_verify()
    assert code == 1
    assert err.startswith(f"BROKEN at entry #{chain[3].pk}: prev_hash does not match")


def test_a_removed_first_row_breaks_the_chain_at_the_next_row(chain):
    drop_triggers()
    run_sql("DELETE FROM audit_auditevent WHERE id = %s", params=[chain[0].pk])
    assert verify_chain().first_broken_id == chain[1].pk


def test_a_forged_row_is_caught(chain, alice):
    # Forged at the end, linked correctly: only the HMAC gives it away.
    forged = AuditEvent(
        actor=alice,
        actor_role="officer",
        action="view",
        created_at=chain[-1].created_at,
        prev_hash=chain[-1].hash,
        hash="a" * 64,
    )
    forged.save(force_insert=True)
    assert verify_chain().first_broken_id == forged.pk


def test_swapped_contents_are_caught(chain):
    drop_triggers()
    run_sql(
        "UPDATE audit_auditevent SET object_id = CASE id WHEN %s THEN '3' ELSE '1' END "
        "WHERE id IN (%s, %s)",
        params=[chain[1].pk, chain[1].pk, chain[3].pk],
    )
    assert verify_chain().first_broken_id == chain[1].pk


def test_a_tail_can_be_verified_from_a_checkpoint(chain):
    tail = AuditEvent.objects.filter(id__gt=chain[1].pk)
    result = verify_chain(tail)
    assert (result.ok, result.checked) == (True, 3)


def test_the_chain_continues_after_a_verified_tail(alice, chain):
    nxt = audit_record(actor=alice, action=AuditEvent.Action.LOGOUT)
    assert nxt.prev_hash == chain[-1].hash
    assert chain[0].prev_hash == GENESIS_HASH
    assert verify_chain().checked == 6


def test_a_tail_is_linked_to_the_entry_before_it(chain):
    drop_triggers()
    run_sql("DELETE FROM audit_auditevent WHERE id = %s", params=[chain[1].pk])
    result = verify_chain(AuditEvent.objects.filter(id__gt=chain[1].pk))
    assert (result.ok, result.first_broken_id) == (False, chain[2].pk)
    assert f"entry #{chain[0].pk}" in result.reason
