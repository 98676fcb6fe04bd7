"""Checking the audit chain: `verify_chain` walks the entries in id order and reports
the first one that does not link to its predecessor or does not match its own hash."""

import hmac
from dataclasses import dataclass

from django.db.models import QuerySet

from garda.audit.models import AuditEvent
from garda.audit.services import GENESIS_HASH, compute_hash


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_broken_id: int | None = None
    reason: str = ""
    # The newest entry's hash when ok: record it somewhere else (a ticket, a printout)
    # to detect later removal of entries from the end, which no chain can show.
    last_hash: str = ""


def verify_chain(queryset: QuerySet | None = None, *, batch_size: int = 5000) -> VerifyResult:
    """Verify the chain over `queryset` (default: every entry), in id order.

    A queryset other than the whole table must be a contiguous tail, such as
    `AuditEvent.objects.filter(id__gt=checkpoint_id)`: its first entry is linked to the
    entry just before it in the table (trusted as it stands), or to the genesis value.

    Detects, at the first affected entry:
    - a changed row (content or stored hash): its recomputed hash differs;
    - a removed row: the next entry's prev_hash is not the previous entry's hash;
    - an inserted or forged row: its hash cannot be computed without the key.
    Memory stays bounded: rows are streamed `batch_size` at a time.
    """
    if queryset is None:
        queryset = AuditEvent.objects.all()
    expected_prev: str | None = None
    previous_id: int | None = None
    checked = 0
    for event in queryset.order_by("id").iterator(chunk_size=batch_size):
        if expected_prev is None:
            previous_id, expected_prev = _entry_before(queryset.db, event.pk)
        if event.prev_hash != expected_prev:
            after = f"entry #{previous_id}" if previous_id is not None else "the chain's start"
            return VerifyResult(
                ok=False,
                checked=checked,
                first_broken_id=event.pk,
                reason=(
                    f"prev_hash does not match {after}: an entry before this one "
                    "was removed, or this one was altered"
                ),
            )
        try:
            recomputed = compute_hash(event.prev_hash, event)
        except (TypeError, ValueError, AttributeError):
            return VerifyResult(
                ok=False, checked=checked, first_broken_id=event.pk, reason="unreadable content"
            )
        if not hmac.compare_digest(event.hash.encode(), recomputed.encode()):
            return VerifyResult(
                ok=False,
                checked=checked,
                first_broken_id=event.pk,
                reason="hash mismatch: the entry was changed or forged",
            )
        checked += 1
        expected_prev = event.hash
        previous_id = event.pk
    return VerifyResult(ok=True, checked=checked, last_hash=expected_prev or "")


def _entry_before(using: str, pk: int) -> tuple[int | None, str]:
    previous = (
        AuditEvent.objects.using(using)
        .filter(pk__lt=pk)
        .order_by("-pk")
        .values_list("pk", "hash")
        .first()
    )
    return previous or (None, GENESIS_HASH)
