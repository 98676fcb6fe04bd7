"""Writing the audit log: `audit_record` is the only way rows get into AuditEvent.

Each row is chained to the one before it: hash = HMAC-SHA256(AUDIT_CHAIN_KEY,
prev_hash + canonical(row)). Changing, removing or inserting a row anywhere but at
the end breaks the chain at that point, and without the key nobody can repair it.
`garda audit_verify` walks the chain (see verify.py).
"""

import hmac
import ipaddress
import json
import re
from collections.abc import Iterable, Mapping
from datetime import UTC
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections, models, router, transaction
from django.utils import timezone

from garda.audit import context
from garda.audit.models import AuditEvent
from garda.dbutils import fast_insert

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from garda.accounts.models import User

GENESIS_HASH = "0" * 64

# Any constant works, as long as nothing else in the database uses it; this one spells
# "gardaudt" in ASCII.
CHAIN_LOCK_ID = 0x6761726461756474

# A field name, or a dotted path into a JSON field ("address.city"): lower-case
# identifiers only, which keeps values (names, numbers, free text) out of the list.
_FIELD_NAME = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$")
_MAX_FIELD_NAME = 64
_MAX_CHANGED_FIELDS = 100


def canonical(event: AuditEvent) -> bytes:
    """The row's content as deterministic JSON bytes: what the HMAC covers.

    Values are normalised the way they read back from either database (created_at in
    UTC, the IP in Python's notation), so a row hashes the same before and after a
    round trip, and after a copy between SQLite and PostgreSQL.
    """
    content = {
        "created_at": event.created_at.astimezone(UTC).isoformat(),
        "actor_id": event.actor_id,
        "actor_role": event.actor_role,
        "actor_agency_id": event.actor_agency_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "changed_fields": list(event.changed_fields),
        "reason": event.reason,
        "ip": str(ipaddress.ip_address(event.ip)) if event.ip else None,
        "request_id": event.request_id,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def compute_hash(prev_hash: str, event: AuditEvent) -> str:
    """HMAC-SHA256 of the previous entry's hash followed by this entry's content."""
    return hmac.new(
        settings.AUDIT_CHAIN_KEY, prev_hash.encode("ascii") + canonical(event), "sha256"
    ).hexdigest()


def audit_record(
    *,
    actor: "User | AnonymousUser | None",
    action: str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    changed_fields: Iterable[str] = (),
    reason: str = "",
    ip: str | None = None,
    request_id: str | None = None,
) -> AuditEvent:
    """Append one event to the audit log and return it.

    `actor` is a User, or None (anonymous or the system; an AnonymousUser counts as
    None). `target` is the model instance acted on; alternatively pass `object_type`
    ("app_label.model") and `object_id`. `changed_fields` lists field names, never
    values; `reason` must not contain personal data either. `ip` and `request_id`
    default to the current request's (context.py).

    Runs in `transaction.atomic()`, so inside a service it joins the service's
    transaction: if the change rolls back, so does its audit row.

    Appends are serialised so that two writers never chain onto the same entry:
    - PostgreSQL: a transaction-level advisory lock, taken before the last hash is
      read and held until the caller's transaction ends. Under READ COMMITTED (the
      default) the read after the lock sees the previous writer's committed row.
      Call this late in a long transaction: audit writers queue behind it.
    - SQLite: settings use transaction_mode="IMMEDIATE", so every transaction holds
      the database's single write lock from BEGIN; no other writer can append between
      our read and our insert.
    The unique constraint on prev_hash backs both up: a fork fails to commit.

    Raises ValueError for an unknown action, bad changed_fields or over-long values.
    """
    actor = _resolve_actor(actor)
    action = _valid_action(action)
    fields = _valid_changed_fields(changed_fields)
    if target is not None:
        if object_type or object_id:
            raise ValueError("Pass either target or object_type/object_id, not both")
        if target.pk is None:
            raise ValueError("The audit target must be saved first")
        object_type = f"{target._meta.app_label}.{target._meta.model_name}"
        object_id = str(target.pk)
    ctx = context.current()
    ip = ctx.ip if ip is None else ip
    request_id = ctx.request_id if request_id is None else request_id

    event = AuditEvent(
        actor=actor,
        actor_role=(actor.role or "") if actor is not None else "",
        actor_agency_id=actor.agency_id if actor is not None else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        changed_fields=fields,
        reason=reason,
        ip=_valid_ip(ip),
        request_id=request_id or "",
    )
    _check_lengths(event)

    using = router.db_for_write(AuditEvent)
    with transaction.atomic(using=using):
        _lock_chain(using)
        event.prev_hash = (
            AuditEvent.objects.using(using).order_by("-id").values_list("hash", flat=True).first()
            or GENESIS_HASH
        )
        # Taken under the lock, so times never go backwards along the chain.
        event.created_at = timezone.now()
        event.hash = compute_hash(event.prev_hash, event)
        event.save(using=using, force_insert=True)
    return event


def audited_create(*, actor, obj: models.Model, changed_fields: Iterable[str]):
    """Validate and save the new `obj`, then record its CREATE row (`changed_fields`:
    names, never values); inside a service, call it in the service's transaction."""
    obj.full_clean()
    obj.save()
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATE, target=obj, changed_fields=changed_fields
    )
    return obj


def audit_record_many(
    *,
    actor: "User | None",
    action: str,
    targets: Iterable[tuple[models.Model, Iterable[str]]],
    reason: str = "",
) -> int:
    """One audit row per (target, changed_fields), appended as one bulk insert: the
    same rows, chain and rules as audit_record, for bulk writes (imports) where a
    round trip per row would dominate. Returns the number of rows written."""
    actor = _resolve_actor(actor)
    action = _valid_action(action)
    ctx = context.current()
    events = []
    for target, changed_fields in targets:
        if target.pk is None:
            raise ValueError("The audit target must be saved first")
        event = AuditEvent(
            actor=actor,
            actor_role=(actor.role or "") if actor is not None else "",
            actor_agency_id=actor.agency_id if actor is not None else None,
            action=action,
            object_type=f"{target._meta.app_label}.{target._meta.model_name}",
            object_id=str(target.pk),
            changed_fields=_valid_changed_fields(changed_fields),
            reason=reason,
            ip=_valid_ip(ctx.ip),
            request_id=ctx.request_id or "",
        )
        _check_lengths(event)
        events.append(event)
    if not events:
        return 0
    using = router.db_for_write(AuditEvent)
    # No savepoint: inside one, each row's insert on SQLite costs more the more rows
    # the savepoint already holds (the append-only trigger makes every INSERT keep a
    # statement journal): 5,000 rows took a minute instead of half a second (issue
    # 18). A failure here fails the caller's whole transaction, as it should anyway.
    with transaction.atomic(using=using, savepoint=False):
        _lock_chain(using)
        prev = (
            AuditEvent.objects.using(using).order_by("-id").values_list("hash", flat=True).first()
            or GENESIS_HASH
        )
        now = timezone.now()
        for event in events:
            event.prev_hash, event.created_at = prev, now
            event.hash = prev = compute_hash(prev, event)
        fast_insert(AuditEvent, events)
    return len(events)


def _lock_chain(using: str) -> None:
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_ID])
    # SQLite: the IMMEDIATE transaction already holds the write lock (see above).


def _resolve_actor(actor):
    if actor is None or not getattr(actor, "is_authenticated", True):
        return None
    if not isinstance(actor, get_user_model()):
        raise TypeError(f"The audit actor must be a user, not {type(actor).__name__}")
    if actor.pk is None:
        raise ValueError("The audit actor must be saved first")
    return actor


def _valid_action(action: str) -> str:
    if action not in AuditEvent.Action.values:
        raise ValueError(f"Unknown audit action: {action!r}")
    return AuditEvent.Action(action).value


def _valid_changed_fields(changed_fields: Iterable[str]) -> list[str]:
    if isinstance(changed_fields, str | bytes | Mapping):
        raise ValueError("changed_fields must be a list of field names")
    if isinstance(changed_fields, set | frozenset):
        changed_fields = sorted(changed_fields)
    fields = list(changed_fields)
    if len(fields) > _MAX_CHANGED_FIELDS:
        raise ValueError(f"At most {_MAX_CHANGED_FIELDS} changed fields")
    for name in fields:
        if not isinstance(name, str) or len(name) > _MAX_FIELD_NAME or not _FIELD_NAME.match(name):
            # Do not echo the value: it may be the very personal data we keep out.
            raise ValueError("changed_fields must hold field names only (lower-case identifiers)")
    return fields


def _valid_ip(ip: str | None) -> str | None:
    if not ip:
        return None
    try:
        return str(ipaddress.ip_address(ip))
    except ValueError:
        raise ValueError("Not an IP address") from None


def _check_lengths(event: AuditEvent) -> None:
    # SQLite does not enforce max_length and PostgreSQL would fail mid-transaction;
    # refuse early with a clear message instead.
    for name in ("object_type", "object_id", "reason", "request_id"):
        value = getattr(event, name)
        if not isinstance(value, str):
            raise ValueError(f"{name} must be a string")
        if len(value) > AuditEvent._meta.get_field(name).max_length:
            raise ValueError(f"{name} is too long")
        if "\x00" in value:
            raise ValueError(f"{name} must not contain NUL characters")
