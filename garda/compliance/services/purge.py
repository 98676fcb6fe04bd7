"""The purge: remove what is past its time (data/retention.toml), skip what is held.

For each rule, `due(rule)` is the queryset of records past their time and not held,
`held(rule)` those past their time but under a legal hold (a hold on a person covers
everything belonging to them and their cases; a hold on a case covers the case and its
person). `purge(apply=False)` counts (the dry run: nothing changes); `apply=True`
removes in batches, one transaction per batch, each batch with its own audit row
("purge <rule>: <n> removed, <f> files"), then a summary row with the counts per rule.

Files: the encrypted scans on disk (garda/documents/storage.py) of removed documents
and case files are deleted after their batch commits, so a rolled-back batch loses no
file; a crash between the commit and the deletion leaves orphans that
`garda documents_sweep` finds.

What stays in the audit trail: rows naming the removed objects by type and number
(never by name or identity number: audit_record's rule), so they no longer point to
anyone; the chain is untouched (`garda audit_verify`).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.deletion import ProtectedError
from django.utils import timezone

from garda.accounts import roles
from garda.accounts.models import ApiToken, Notification, User
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.cases.models import Case, CaseDocument
from garda.cases.models import Status as CaseStatus
from garda.compliance import retention
from garda.compliance.models import LegalHold
from garda.documents import storage
from garda.documents.models import Document, DocumentFile
from garda.people.models import Person, StatusChange
from garda.people.models import Status as PersonStatus

BATCH = 200
OBJECT_TYPE = "compliance.purge"
# A person who reached any of these statuses departed (or was placed): not "never
# departed", whatever their status now.
DEPARTED = (
    PersonStatus.PLACED,
    PersonStatus.DEPARTED,
    PersonStatus.ABROAD,
    PersonStatus.RETURNED,
    PersonStatus.REINTEGRATED,
)


@dataclass
class Outcome:
    """One rule's result: past due (and not held), held, removed, files deleted, and
    records kept because something else still points to them (a case on a person)."""

    code: str
    due: int | None = 0  # None: the rule has no records in Garda (or keeps them for good)
    held: int = 0
    removed: int = 0
    files: int = 0
    kept: int = 0


@dataclass
class Report:
    applied: bool
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def removed(self) -> int:
        return sum(o.removed for o in self.outcomes)


# --- what is held ------------------------------------------------------------------


def _holds(now: datetime) -> QuerySet:
    return LegalHold.objects.in_force(now)


def held_person_ids(now: datetime) -> QuerySet:
    """Persons under a hold, directly or through a held case (a subquery)."""
    holds = _holds(now)
    return Person.objects.filter(
        Q(pk__in=holds.filter(person__isnull=False).values("person_id"))
        | Q(pk__in=holds.filter(case__isnull=False).values("case__person_id"))
    ).values("pk")


def held_case_ids(now: datetime) -> QuerySet:
    """Cases under a hold, directly or through their held person (a subquery)."""
    holds = _holds(now)
    return Case.objects.filter(
        Q(pk__in=holds.filter(case__isnull=False).values("case_id"))
        | Q(person_id__in=holds.filter(person__isnull=False).values("person_id"))
    ).values("pk")


# --- the rules: what is past its time ----------------------------------------------


def _cutoff(rule: retention.Rule, now: datetime) -> datetime:
    return now - timedelta(days=rule.keep_days)


def _people_inactive(rule, now) -> QuerySet:
    departed = StatusChange.objects.filter(person=OuterRef("pk"), to_status__in=DEPARTED)
    return (
        Person.objects.filter(
            status=PersonStatus.INACTIVE,
            merged_into__isnull=True,
            updated_at__lt=_cutoff(rule, now),
        )
        .exclude(Exists(departed))
        .exclude(status__in=DEPARTED)
    )


def _documents_file_closed(rule, now) -> QuerySet:
    return Document.objects.filter(
        person__status=PersonStatus.REINTEGRATED, person__updated_at__lt=_cutoff(rule, now)
    )


def _documents_rejected(rule, now) -> QuerySet:
    return Document.objects.filter(
        status__in=(Document.Status.REJECTED, Document.Status.REPLACED),
        changed_at__lt=_cutoff(rule, now),
    )


def _documents_expired(rule, now) -> QuerySet:
    today = timezone.localdate(now)
    return Document.objects.filter(expires_on__lt=today - timedelta(days=rule.keep_days))


def _cases_closed(rule, now) -> QuerySet:
    return Case.objects.filter(
        status__in=(CaseStatus.CLOSED, CaseStatus.DUPLICATE), closed_at__lt=_cutoff(rule, now)
    )


def _notifications(rule, now) -> QuerySet:
    return Notification.objects.filter(created_at__lt=_cutoff(rule, now))


def _sessions(rule, now) -> QuerySet:
    return Session.objects.filter(expire_date__lt=_cutoff(rule, now))


def _api_tokens(rule, now) -> QuerySet:
    return ApiToken.objects.filter(revoked_at__lt=_cutoff(rule, now))


@dataclass(frozen=True)
class Handler:
    select: Callable[[retention.Rule, datetime], QuerySet]
    # The lookup from the rule's records to a person / a case, for holds ("" = none).
    person: str = ""
    case: str = ""
    remove: Callable[[list], tuple[int, list[str], int]] | None = None


def _remove_documents(pks: list) -> tuple[int, list[str], int]:
    names = list(
        DocumentFile.objects.filter(document_id__in=pks).values_list("storage_name", flat=True)
    )
    deleted = Document.objects.filter(pk__in=pks).delete()[1].get("documents.Document", 0)
    return deleted, names, 0


def _remove_cases(pks: list) -> tuple[int, list[str], int]:
    removed, names, kept = 0, [], 0
    for case in Case.objects.filter(pk__in=pks).only("pk"):
        files = list(CaseDocument.objects.filter(case=case).values_list("storage_name", flat=True))
        try:
            with transaction.atomic():
                # Holds already lifted (a hold in force never reaches here).
                LegalHold.objects.filter(case=case).delete()
                case.delete()
        except ProtectedError:
            kept += 1  # another case names it as its duplicate: kept with that one
            continue
        removed += 1
        names += files
    return removed, names, kept


def _remove_people(pks: list) -> tuple[int, list[str], int]:
    removed, names, kept = 0, [], 0
    for person in Person.objects.filter(pk__in=pks).select_related("user"):
        if Case.objects.filter(person=person).exists():
            kept += 1  # the case rule decides when its cases (and then the person) go
            continue
        # The person and the records merged into them, the absorbed ones first.
        group, frontier = [person.pk], [person.pk]
        while frontier:
            frontier = list(
                Person.objects.filter(merged_into_id__in=frontier).values_list("pk", flat=True)
            )
            group += frontier
        files = list(
            DocumentFile.objects.filter(document__person_id__in=group).values_list(
                "storage_name", flat=True
            )
        )
        users = list(User.objects.filter(person__pk__in=group).values_list("pk", flat=True))
        try:
            with transaction.atomic():
                LegalHold.objects.filter(person_id__in=group).delete()
                for pk in reversed(group):
                    Person.objects.filter(pk=pk).delete()
                for user_pk in users:
                    _remove_worker_account(user_pk)
        except ProtectedError:
            kept += 1
            continue
        removed += 1
        names += files
    return removed, names, kept


def _remove_worker_account(user_pk: int) -> None:
    """The worker's own account goes with them; an account something still points to
    (it uploaded a document kept elsewhere) is emptied and closed instead."""
    user = User.objects.get(pk=user_pk)
    if user.role not in (roles.WORKER, None):
        return
    try:
        with transaction.atomic():
            user.delete()
    except ProtectedError:
        User.objects.filter(pk=user_pk).update(
            email=f"purged-{user_pk}@invalid.example",
            full_name="",
            phone="",
            is_active=False,
            password="!",  # noqa: S106 (unusable: no password matches "!")
        )


def _remove_plain(model) -> Callable[[list], tuple[int, list[str], int]]:
    def remove(pks: list) -> tuple[int, list[str], int]:
        return model.objects.filter(pk__in=pks).delete()[0], [], 0

    return remove


HANDLERS: dict[str, Handler] = {
    "people_inactive": Handler(_people_inactive, person="pk", remove=_remove_people),
    "documents_file_closed": Handler(
        _documents_file_closed, person="person_id", remove=_remove_documents
    ),
    "documents_rejected": Handler(
        _documents_rejected, person="person_id", remove=_remove_documents
    ),
    "documents_expired": Handler(_documents_expired, person="person_id", remove=_remove_documents),
    "cases_closed": Handler(_cases_closed, person="person_id", case="pk", remove=_remove_cases),
    "notifications": Handler(
        _notifications, person="user__person__pk", remove=_remove_plain(Notification)
    ),
    "sessions": Handler(_sessions, remove=_remove_plain(Session)),
    "api_tokens": Handler(_api_tokens, remove=_remove_plain(ApiToken)),
}


def _held_filter(handler: Handler, now: datetime) -> Q | None:
    q = None
    if handler.person:
        q = Q(**{f"{handler.person}__in": held_person_ids(now)})
    if handler.case:
        case_q = Q(**{f"{handler.case}__in": held_case_ids(now)})
        q = case_q if q is None else q | case_q
    return q


def due(rule: retention.Rule, now: datetime | None = None) -> QuerySet | None:
    """The records of `rule` past their time and not held; None when the rule has none
    in Garda or keeps them for good."""
    handler = HANDLERS.get(rule.code)
    if handler is None or not rule.purges:
        return None
    now = now or timezone.now()
    qs = handler.select(rule, now)
    held = _held_filter(handler, now)
    return qs.exclude(held) if held is not None else qs


def held(rule: retention.Rule, now: datetime | None = None) -> QuerySet | None:
    """The records of `rule` past their time but kept by a legal hold."""
    handler = HANDLERS.get(rule.code)
    if handler is None or not rule.purges:
        return None
    now = now or timezone.now()
    q = _held_filter(handler, now)
    if q is None:
        return handler.select(rule, now).none()
    return handler.select(rule, now).filter(q)


def counts(now: datetime | None = None) -> list[Outcome]:
    """Per rule: how many records are past their time, and how many of those are held
    (two counting queries per rule, whatever the size of the tables)."""
    now = now or timezone.now()
    out = []
    for rule in retention.rules():
        qs = due(rule, now)
        if qs is None:
            out.append(Outcome(rule.code, due=None))
            continue
        out.append(Outcome(rule.code, due=qs.count(), held=held(rule, now).count()))
    return out


def purge(
    *, actor: User | None, apply: bool = False, only: str | None = None, batch_size: int = BATCH
) -> Report:
    """Dry run (default): the counts, nothing changes. `apply`: remove, batch by batch.
    `actor` is the admin who ran it (None: the command or the periodic job)."""
    if actor is not None and actor.role != roles.ADMIN:
        deny(actor, "compliance.purge")
    now = timezone.now()
    report = Report(applied=apply)
    for rule in retention.rules():
        if only and rule.code != only:
            continue
        qs = due(rule, now)
        if qs is None:
            report.outcomes.append(Outcome(rule.code, due=None))
            continue
        outcome = Outcome(rule.code, due=qs.count(), held=held(rule, now).count())
        report.outcomes.append(outcome)
        if apply:
            _apply(actor, rule, now, outcome, batch_size)
    if apply:
        summary = ", ".join(
            f"{o.code}={o.removed}"
            + (f"/{o.files}f" if o.files else "")
            + (f" held {o.held}" if o.held else "")
            for o in report.outcomes
            if o.due is not None
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.DELETE,
            object_type=OBJECT_TYPE,
            reason=f"purge done: {summary}"[:500],
        )
    return report


def _apply(actor, rule, now, outcome: Outcome, batch_size: int) -> None:
    handler = HANDLERS[rule.code]
    skipped: set = set()  # kept for a link: not tried again in this run
    while True:
        with transaction.atomic():
            # Re-selected in each batch's transaction: a hold placed meanwhile counts.
            qs = due(rule, now).exclude(pk__in=skipped) if skipped else due(rule, now)
            pks = list(qs.order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not pks:
                return
            removed, names, kept = handler.remove(pks)
            # Whatever is still there was kept for a link: not tried again this run.
            skipped |= set(qs.model.objects.filter(pk__in=pks).values_list("pk", flat=True))
            audit_record(
                actor=actor,
                action=AuditEvent.Action.DELETE,
                object_type=OBJECT_TYPE,
                reason=f"purge {rule.code}: {removed} removed, {len(names)} files, {kept} kept",
            )
            transaction.on_commit(lambda names=names: _delete_files(names))
        outcome.removed += removed
        outcome.files += len(names)
        outcome.kept += kept


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            storage.delete(name)
        except ValueError:
            continue  # not a name storage made: nothing of ours to delete
