"""Duplicate detection in the registry, on top of the pure engine in matching.py.

On every registration and on a change of identity data, the person's blocking keys
are stored (PersonKey) and the persons sharing a key are scored; likely duplicates
become DuplicateCandidate rows for an officer to review, and both records are
flagged. A decision is remembered: "different people" is not asked again, "same
person" merges the newer record into the older one.
"""

import json

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    UniqueConstraint,
    Value,
)
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from garda.accounts import roles
from garda.accounts.models import User
from garda.accounts.notify import notify
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record, audit_record_many
from garda.people import matching
from garda.people.models import (
    Assignment,
    DuplicateCandidate,
    NameToken,
    Person,
    PersonKey,
    Status,
    StatusChange,
)

# Fields whose change calls for a new duplicate check.
IDENTITY_FIELDS = frozenset(
    {
        "nik",
        "full_name",
        "other_names",
        "birth_date",
        "sex",
        "birth_place",
        "phone",
        "village_id",
        "address_line",
    }
)
# Persons sharing one key beyond this are not compared on that key (a key that
# common carries no evidence; the engine's other keys still apply).
MAX_PER_KEY = 200


def record_for(person: Person) -> matching.Record:
    return matching.Record(
        id=str(person.pk),
        full_name=" ".join(filter(None, [person.full_name])),
        birth_date=person.birth_date,
        sex=person.sex,
        birth_place=person.birth_place,
        address=person.address_line,
        region=person.village_id or "",
        phone=person.phone,
        nik=person.nik,
    )


def keys_for(person: Person) -> frozenset[str]:
    return matching.blocking_keys(record_for(person), secret=settings.BLIND_INDEX_KEY)


def duplicates_refresh(person: Person) -> list[DuplicateCandidate]:
    """Store `person`'s keys and (re)score the persons sharing one. Runs inside the
    caller's transaction; returns the open candidates that involve `person`."""
    keys = keys_for(person)
    PersonKey.objects.filter(person=person).exclude(key__in=keys).delete()
    PersonKey.objects.bulk_create(
        [PersonKey(person=person, key=k) for k in keys], ignore_conflicts=True
    )
    others = _sharing_keys(person, keys)
    decided = set(
        DuplicateCandidate.objects.filter(Q(person_a=person) | Q(person_b=person))
        .exclude(status=DuplicateCandidate.Decision.OPEN)
        .values_list("person_a", "person_b")
    )
    matches = matching.check_record(record_for(person), [record_for(o) for o in others])
    found = []
    for match in matches:
        other_id = int(match.b_id if match.a_id == str(person.pk) else match.a_id)
        a, b = sorted((person.pk, other_id))
        if (a, b) in decided:
            continue
        candidate, _ = DuplicateCandidate.objects.update_or_create(
            person_a_id=a,
            person_b_id=b,
            defaults={"score": round(match.score, 4), "reasons": list(match.reasons)},
        )
        found.append(candidate)
    # Pairs that no longer match (the data changed) leave the queue.
    DuplicateCandidate.objects.filter(
        Q(person_a=person) | Q(person_b=person), status=DuplicateCandidate.Decision.OPEN
    ).exclude(pk__in=[c.pk for c in found]).delete()
    _reflag({person.pk, *(int(o.pk) for o in others)})
    return found


def duplicates_refresh_many(persons: list[Person], *, new: bool = False) -> int:
    """duplicates_refresh for many persons at once (imports): the same keys, engine
    and queue, in a fixed number of queries per batch however many persons it holds
    (each list of ids or keys is bound as one parameter, see _one_of), and each
    registered candidate read and prepared once however many rows of the batch share
    a key with it. `new`: the persons were just created (no stored keys or decisions
    yet). Returns the number of open candidate pairs found."""
    if not persons:
        return 0
    by_id = {p.pk: p for p in persons}
    records = {pk: record_for(p) for pk, p in by_id.items()}
    keys = {
        pk: matching.blocking_keys(r, secret=settings.BLIND_INDEX_KEY) for pk, r in records.items()
    }
    if not new:
        _delete(PersonKey.objects.filter(person_id__in=_one_of(list(by_id))))
    insert_pairs(PersonKey, "key", [(pk, k) for pk, ks in keys.items() for k in ks])
    holders = _holders(set().union(*keys.values()))
    others_of = {
        pk: set().union(*(h for k in ks if len(h := holders.get(k, ())) <= MAX_PER_KEY)) - {pk}
        for pk, ks in keys.items()
    }
    wanted = set().union(*others_of.values()) - set(by_id)
    registered = Person.objects.active().filter(pk__in=_one_of(sorted(wanted)))
    for other in registered.only(*_RECORD_FIELDS):
        records[other.pk] = record_for(other)
    decided = set()
    if not new:
        ids = _one_of(list(by_id))
        decided.update(
            DuplicateCandidate.objects.filter(Q(person_a__in=ids) | Q(person_b__in=ids))
            .exclude(status=DuplicateCandidate.Decision.OPEN)
            .values_list("person_a", "person_b")
        )
    found: dict[tuple[int, int], DuplicateCandidate] = {}
    checks = (
        (records[pk], [records[o] for o in others if o in records])
        for pk, others in others_of.items()
    )
    for match in matching.check_many(checks):
        pair = tuple(sorted((int(match.a_id), int(match.b_id))))
        if pair in decided:
            continue
        found[pair] = DuplicateCandidate(
            person_a_id=pair[0],
            person_b_id=pair[1],
            score=round(match.score, 4),
            reasons=list(match.reasons),
        )
    if not new:
        ids = _one_of(list(by_id))
        _delete(
            DuplicateCandidate.objects.filter(
                Q(person_a__in=ids) | Q(person_b__in=ids), status=DuplicateCandidate.Decision.OPEN
            )
        )
    DuplicateCandidate.objects.bulk_create(found.values(), ignore_conflicts=True, batch_size=1000)
    involved = set(by_id) | {pk for pair in found for pk in pair}
    if not new:
        involved |= set().union(*others_of.values())
    _reflag(involved)
    return len(found)


def _one_of(values: list) -> RawSQL:
    """A subquery yielding `values` (ids or keys) from ONE bound parameter, for
    `field__in=`: a batch's lookups then cost one query each, and neither backend's
    limit on bound parameters applies."""
    if connection.vendor == "postgresql":
        kind = "text" if values and isinstance(values[0], str) else "bigint"
        return RawSQL(f"SELECT unnest(%s::{kind}[])", [list(values)])  # noqa: S611 - a type name
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(list(values))])


def _delete(rows: QuerySet) -> None:
    """One DELETE for `rows`: QuerySet.delete() would first read the rows to send
    each one's delete signal (a receiver exists, see pagecache.py, though none
    watches keys or candidate pairs), in queries that grow with the batch."""
    rows._raw_delete(rows.db)


def _holders(keys: set[str]) -> dict[str, set[int]]:
    """The persons holding each of `keys`, in one query. Raw SQL: the ORM's model
    instances or tuples cost more than the query for the tens of thousands of rows a
    batch reads."""
    holders: dict[str, set[int]] = {}
    if not keys:
        return holders
    quote = connection.ops.quote_name
    subquery = _one_of(sorted(keys))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote('key')}, {quote('person_id')} "  # noqa: S608 - names only
            f"FROM {quote(PersonKey._meta.db_table)} WHERE {quote('key')} IN ({subquery.sql})",
            subquery.params,
        )
        for key, person_id in cursor.fetchall():
            holders.setdefault(key, set()).add(person_id)
    return holders


def insert_pairs(model, column: str, rows: list[tuple[int, str]]) -> None:
    """INSERT (person_id, column) rows with one executemany: for the bulk paths
    (imports) the ORM's per-object work costs more than the database's."""
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608 - names only, values bound
        f"({quote('person_id')}, {quote(column)}) VALUES (%s, %s)"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


_RECORD_FIELDS = (
    "id",
    "nik",
    "full_name",
    "birth_date",
    "sex",
    "birth_place",
    "address_line",
    "village_id",
    "phone",
)


def _sharing_keys(person: Person, keys: frozenset[str]) -> list[Person]:
    counts = dict(PersonKey.objects.filter(key__in=keys).values_list("key").annotate(n=Count("id")))
    useful = [k for k in keys if counts.get(k, 0) <= MAX_PER_KEY]
    ids = (
        PersonKey.objects.filter(key__in=useful)
        .exclude(person=person)
        .values_list("person_id", flat=True)
        .distinct()
    )
    return list(Person.objects.active().filter(pk__in=ids))


def _reflag(person_ids: set[int]) -> None:
    """Set needs_duplicate_review on `person_ids` from their open candidate pairs."""
    ids = _one_of(sorted(person_ids))
    open_ids = set()
    for a, b in DuplicateCandidate.objects.filter(
        Q(person_a__in=ids) | Q(person_b__in=ids),
        status=DuplicateCandidate.Decision.OPEN,
    ).values_list("person_a", "person_b"):
        open_ids.update((a, b))
    flagged, cleared = sorted(person_ids & open_ids), sorted(person_ids - open_ids)
    Person.objects.filter(pk__in=_one_of(flagged), needs_duplicate_review=False).update(
        needs_duplicate_review=True
    )
    Person.objects.filter(pk__in=_one_of(cleared), needs_duplicate_review=True).update(
        needs_duplicate_review=False
    )


class DecisionNeedsSupervisor(HttpError, PermissionDenied):
    """An officer's decision on a pair that involves a person accompanied by another
    officer: a supervisor decides it (403 on the page and in the API, with the
    message, through HttpError's handler)."""

    def __init__(self):
        super().__init__(
            403,
            _(
                "This pair involves a person accompanied by another officer: a supervisor "
                "decides it."
            ),
        )


def _blocked_for(actor: User, person_ids: list[int]) -> set[int]:
    """The persons of `person_ids` that another officer accompanies and `actor` does
    not: an officer may not decide a pair involving one."""
    if actor.role != roles.OFFICER:
        return set()
    others = set(
        Assignment.objects.filter(person_id__in=person_ids)
        .exclude(officer=actor)
        .values_list("person_id", flat=True)
    )
    if not others:
        return set()
    mine = set(
        Assignment.objects.filter(person_id__in=others, officer=actor).values_list(
            "person_id", flat=True
        )
    )
    return others - mine


def may_decide_pair(actor: User, candidate: DuplicateCandidate) -> bool:
    """Whether `actor` may decide `candidate` (either way). Supervisors and admins:
    always. An officer: only if a merge cannot widen what she sees, i.e. each of
    the two persons is accompanied by her or by nobody (a person nobody accompanies
    is one she may take herself); a pair involving someone else's accompanied person
    waits for a supervisor (issue 19)."""
    if actor.role in (roles.SUPERVISOR, roles.ADMIN):
        return True
    if actor.role != roles.OFFICER:
        return False
    return not _blocked_for(actor, [candidate.person_a_id, candidate.person_b_id])


def duplicate_pairs_marked(actor: User, pairs):
    """`pairs` (a DuplicateCandidate queryset) with `needs_supervisor` on each row:
    true where `actor` may not decide the pair (may_decide_pair), in the same query."""
    if actor.role != roles.OFFICER:
        return pairs.annotate(needs_supervisor=Value(False, output_field=BooleanField()))

    def others(side: str) -> Exists:
        return Exists(Assignment.objects.filter(person=OuterRef(side)).exclude(officer=actor))

    def mine(side: str) -> Exists:
        return Exists(Assignment.objects.filter(person=OuterRef(side), officer=actor))

    blocked = (Q(others("person_a")) & ~Q(mine("person_a"))) | (
        Q(others("person_b")) & ~Q(mine("person_b"))
    )
    return pairs.annotate(needs_supervisor=ExpressionWrapper(blocked, BooleanField()))


class _Refused(Exception):
    pass


class _AccountMoveRefused(Exception):
    pass


class AccountMoveNeedsSupervisor(HttpError, PermissionDenied):
    """An officer confirming that a worker's own account moves onto another record: a
    wrong "same person" would open that record to whoever holds the account, so a
    supervisor or admin decides it (403 with the message, page and API alike)."""

    def __init__(self):
        super().__init__(
            403,
            _(
                "The newer record has the worker's own account: moving it to the kept "
                "record opens that record to whoever holds the account, so a supervisor "
                "decides this merge."
            ),
        )


def account_move_needed(candidate: DuplicateCandidate) -> bool:
    """Whether "same person" on `candidate` would move a worker's own account (the
    person signed up themselves on the newer record) onto the kept, older record:
    the decider must say so (`move_account`)."""
    return bool(candidate.person_b.user_id and not candidate.person_a.user_id)


def accounts_on_both(candidate: DuplicateCandidate) -> bool:
    """Whether both records have a worker account: such a pair cannot be merged (one
    of the accounts would be left pointing at nothing, or silently dropped)."""
    return bool(candidate.person_a.user_id and candidate.person_b.user_id)


class AccountMoveUnconfirmed(ValidationError):
    def __init__(self):
        super().__init__(
            _(
                "The newer record has the worker's own account (they signed up "
                "themselves). Confirm that the account moves to the kept record: they "
                "will log in as before and see that record."
            ),
            code="account_move_unconfirmed",
        )


class AccountsOnBoth(ValidationError):
    def __init__(self):
        super().__init__(
            _(
                "Both records have their own worker account, so they cannot be merged. "
                "Ask an administrator to remove one of the two accounts first."
            ),
            code="accounts_on_both",
        )


def duplicate_decide(
    *,
    actor: User,
    candidate: DuplicateCandidate,
    same: bool,
    keep_officers: bool = False,
    move_account: bool = False,
) -> Person:
    """An officer's decision on a candidate pair. "Same person" merges the newer
    record into the older one (which survives) and returns the survivor.

    A decision never widens the decider's access (issue 19): an officer decides only
    pairs whose persons are accompanied by her or by nobody (may_decide_pair); any
    other pair is refused (DecisionNeedsSupervisor, with a `denied` row) and waits
    for a supervisor. A merge ends the absorbed record's assignments (each ended
    one audited); a supervisor or admin may choose `keep_officers`, which carries
    over those of the officers they manage. The survivor returned carries
    `officers_ended`: how many officers stopped accompanying the person.

    A worker's own account never moves silently either: when the absorbed record
    has one, "same person" needs `move_account` (AccountMoveUnconfirmed otherwise),
    the move has its own audit row, and the survivor carries `account_moved`. Two
    records with an account each are not merged (AccountsOnBoth). Only a supervisor
    or admin may move an account (AccountMoveNeedsSupervisor, with a `denied` row):
    a wrong merge would open the kept record to whoever holds the account."""
    if actor.role not in (roles.OFFICER, roles.SUPERVISOR, roles.ADMIN):
        deny(actor, "people.duplicate_decide", target=candidate)
    if keep_officers and actor.role not in (roles.SUPERVISOR, roles.ADMIN):
        deny(actor, "people.duplicate_decide:keep_officers", target=candidate)
    try:
        with transaction.atomic():
            candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
            # Checked against the assignments as they are now, under the two persons'
            # row locks, which assignment_add takes too (no assignment slips in between).
            list(
                Person.objects.select_for_update()
                .filter(pk__in=[candidate.person_a_id, candidate.person_b_id])
                .order_by("pk")
                .values_list("pk")
            )
            if not may_decide_pair(actor, candidate):
                raise _Refused
            if candidate.status != DuplicateCandidate.Decision.OPEN:
                raise ValidationError(_("This pair was already decided."))
            if same and accounts_on_both(candidate):
                raise AccountsOnBoth
            account_moves = same and account_move_needed(candidate)
            if account_moves and not move_account:
                raise AccountMoveUnconfirmed
            if account_moves and actor.role not in (roles.SUPERVISOR, roles.ADMIN):
                raise _AccountMoveRefused
            candidate.status = (
                DuplicateCandidate.Decision.SAME if same else DuplicateCandidate.Decision.DIFFERENT
            )
            candidate.decided_by, candidate.decided_at = actor, timezone.now()
            candidate.save(update_fields=["status", "decided_by", "decided_at"])
            audit_record(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                target=candidate,
                changed_fields=["status"],
                reason=candidate.status,
            )
            survivor = candidate.person_a  # the older record (lower id)
            ended = 0
            if same:
                ended = _merge(
                    actor=actor,
                    survivor=survivor,
                    other=candidate.person_b,
                    keep_officers=keep_officers,
                )
            _reflag({candidate.person_a_id, candidate.person_b_id})
    except _Refused:
        deny(
            actor,
            "people.duplicate_decide:accompanied by another officer",
            target=candidate,
            exc=DecisionNeedsSupervisor(),
        )
    except _AccountMoveRefused:
        deny(
            actor,
            "people.duplicate_decide:worker account moves",
            target=candidate,
            exc=AccountMoveNeedsSupervisor(),
        )
    survivor = Person.objects.get(pk=survivor.pk)
    survivor.officers_ended = ended
    survivor.account_moved = account_moves
    return survivor


def _merge_assignments(*, actor: User, survivor: Person, other: Person, keep_officers: bool) -> int:
    """The absorbed record's assignments: never carried over silently. Each ends
    (a DELETE row naming the merge), unless `keep_officers` (a supervisor's or an
    admin's explicit choice) and the actor manages the officer: then it moves to the
    survivor (an UPDATE row). The open tasks of an officer who no longer accompanies
    the person move to the survivor's longest-assigned officer, as when a supervisor
    removes an assignment. Returns how many officers stopped accompanying them."""
    # The accompaniment app sits above the registry (docs/architecture.md): its task
    # table is reached through the app registry, not an import.
    from django.apps import apps

    Task = apps.get_model("accompaniment", "Task")

    def may_manage_officer(user: User, officer: User) -> bool:
        # As garda.accompaniment.access.may_manage_officer.
        if user.role == roles.ADMIN:
            return True
        return (
            user.role == roles.SUPERVISOR
            and user.agency_id is not None
            and officer.agency_id == user.agency_id
        )

    rows = list(Assignment.objects.filter(person=other).select_related("officer"))
    if not rows:
        return 0
    on_survivor = set(
        Assignment.objects.filter(person=survivor).values_list("officer_id", flat=True)
    )
    keep = [
        row
        for row in rows
        if keep_officers
        and row.officer_id not in on_survivor
        and may_manage_officer(actor, row.officer)
    ]
    drop = [row for row in rows if row not in keep]
    audit_record_many(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        targets=[(row, ["person", "officer"]) for row in drop],
        reason=f"merge: {other.pk} into {survivor.pk}",
    )
    audit_record_many(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        targets=[(row, ["person"]) for row in keep],
        reason=f"merge: kept, {other.pk} into {survivor.pk}",
    )
    Assignment.objects.filter(pk__in=[row.pk for row in keep]).update(person=survivor)
    Assignment.objects.filter(pk__in=[row.pk for row in drop]).delete()
    gone = {row.officer_id for row in drop} - on_survivor
    tasks = list(
        Task.objects.filter(
            person=other,
            officer_id__in=gone,
            done_at__isnull=True,
            cancelled_at__isnull=True,
        )
    )
    heir = (
        Assignment.objects.filter(person=survivor)
        .order_by("assigned_at", "id")
        .values_list("officer_id", flat=True)
        .first()
    )
    if tasks and heir is not None:
        audit_record_many(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            targets=[(task, ["officer"]) for task in tasks],
            reason=f"merge: {other.pk} into {survivor.pk}",
        )
        Task.objects.filter(pk__in=[t.pk for t in tasks]).update(
            officer_id=heir, version=F("version") + 1
        )
    return len(gone)


def _clashing(model, field_name: str, survivor: Person) -> Q:
    """The rows of `model` that could not move onto `survivor` without breaking one of
    the model's unique constraints on the person (both records applied to the same job
    order, both hold a current plan, both have readiness for the same target): they
    stay with the merged record, which keeps them reachable, and the survivor's own
    row stands."""
    clash = Q(pk__in=[])
    uniques = [
        (tuple(c.fields), c.condition)
        for c in model._meta.constraints
        if isinstance(c, UniqueConstraint) and c.fields
    ] + [(tuple(fields), None) for fields in model._meta.unique_together]
    for fields, condition in uniques:
        if field_name not in fields:
            continue
        rest = [f for f in fields if f != field_name]
        taken = model.objects.filter(condition or Q(), **{field_name: survivor})
        if not rest:
            if taken.exists():  # every row of the other record clashes
                clash |= condition if condition is not None else Q(pk__isnull=False)
            continue
        for values in taken.values_list(*rest).distinct():
            clash |= Q(condition or Q(), **dict(zip(rest, values, strict=True)))
    return clash


def _merge(*, actor: User, survivor: Person, other: Person, keep_officers: bool = False) -> int:
    """Move everything linked to `other` onto `survivor`; `other` stays, marked as
    merged and inactive, so old references and audit entries still resolve. Returns
    how many officers stopped accompanying the person (_merge_assignments)."""
    if other.merged_into_id is not None or survivor.merged_into_id is not None:
        raise ValidationError(_("One of these records was already merged."))
    ended = _merge_assignments(
        actor=actor, survivor=survivor, other=other, keep_officers=keep_officers
    )
    PersonKey.objects.filter(person=other).delete()
    NameToken.objects.filter(person=other).delete()  # a merged record is not searched
    DuplicateCandidate.objects.filter(
        Q(person_a=other) | Q(person_b=other), status=DuplicateCandidate.Decision.OPEN
    ).delete()
    moved = []
    for rel in Person._meta.related_objects:
        if not rel.one_to_many or rel.related_model in (
            PersonKey,
            NameToken,
            DuplicateCandidate,
            Assignment,
        ):
            continue
        if rel.related_model is Person:  # merged_from
            n = Person.objects.filter(merged_into=other).update(merged_into=survivor)
        else:
            n = (
                rel.related_model.objects.filter(**{rel.field.name: other})
                .exclude(_clashing(rel.related_model, rel.field.name, survivor))
                .update(**{rel.field.name: survivor})
            )
        if n:
            moved.append(rel.related_model._meta.label_lower)
    if other.user_id and not survivor.user_id:
        # The worker's own account: duplicate_decide has made the decider confirm it.
        user_id = other.user_id
        Person.objects.filter(pk=other.pk).update(user=None)
        Person.objects.filter(pk=survivor.pk).update(user_id=user_id)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            object_type="accounts.user",
            object_id=str(user_id),
            changed_fields=["person"],
            reason=f"merge: worker account moved from {other.pk} to {survivor.pk}",
        )
        # The worker learns it from Garda, not from a record that suddenly changed.
        notify(
            user=User.objects.get(pk=user_id),
            title=_("Your account now opens your older record in Garda"),
            body=_(
                "An officer found that you were registered twice and merged the two "
                "records. You log in as before; your profile now shows the older record, "
                "with what was on both. If this is not you, contact Pasukan Putih."
            ),
            url=reverse("people:me"),
        )
    StatusChange.objects.create(
        person=other,
        from_status=other.status,
        to_status=Status.INACTIVE,
        actor=actor,
        reason=f"merged into {survivor.reference}",
    )
    Person.objects.filter(pk=other.pk).update(
        merged_into=survivor,
        status=Status.INACTIVE,
        needs_duplicate_review=False,
        version=F("version") + 1,
    )
    Person.objects.filter(pk=survivor.pk).update(version=F("version") + 1)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=other,
        changed_fields=["merged_into", "status"],
        reason=f"merged into {survivor.pk}",
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=survivor,
        changed_fields=sorted(set(moved)),
        reason=f"absorbed {other.pk}",
    )
    return ended


def duplicates_batch(*, threshold: float = matching.DEFAULT_THRESHOLD):
    """Run the engine over the whole registry; store the new candidate pairs (decided
    pairs are left alone) and flag their persons. Yields every match found, so a
    caller can also write them out. Used by `garda dedupe` and the nightly task.

    The run learns the engine's weights on the registry's own pairs, with the
    officers' decisions as labels, and stores them for the per-record check
    (learned_weights.py). Pairs flagged for a shared identifier (a NIK on what look
    like two people) come with a score below the threshold: they are stored for an
    officer to look at, never merged on their own."""
    from garda.people.learned_weights import learning_options

    people = Person.objects.active().only(*_RECORD_FIELDS).iterator(chunk_size=2000)
    batch: list[DuplicateCandidate] = []
    records = (record_for(p) for p in people)
    for match in matching.find_duplicates(records, threshold=threshold, **learning_options()):
        yield match
        a, b = sorted((int(match.a_id), int(match.b_id)))
        batch.append(
            DuplicateCandidate(
                person_a_id=a,
                person_b_id=b,
                score=round(match.score, 4),
                reasons=list(match.reasons),
            )
        )
        if len(batch) >= 2000:
            _store(batch)
            batch = []
    _store(batch)


def _store(batch: list[DuplicateCandidate]) -> None:
    if not batch:
        return
    with transaction.atomic():
        DuplicateCandidate.objects.bulk_create(batch, ignore_conflicts=True)
        _reflag({c.person_a_id for c in batch} | {c.person_b_id for c in batch})
