"""An officer's worklist: the persons assigned to them, ordered by what needs doing.

For each person, one query computes (as correlated subqueries):
- documents waiting for verification, due VERIFY_WITHIN_DAYS after the oldest upload;
- the officer's open tasks and appointments: how many are overdue, the next due time;
- verified documents whose validity ends within EXPIRY_WINDOW_DAYS or already ended
  (a passport within six months, a medical result past its months of validity; see
  documents.queries.expiring): how many, and the first end date (one more query for
  the whole caseload, since a validity counted from the issue date is no column);
- the cached readiness of the person's current plan (destinations.Readiness, read as
  stored: a list page never computes readiness), and the planned departure.

A person's due date is the earliest of those dates. Persons with something overdue
(an overdue task, a verification waiting longer than VERIFY_WITHIN_DAYS, an expired
document) come first, then by due date, then those with nothing due.

The ranking runs in Python over the officer's caseload (one row per assigned person,
a few hundred at most in practice), so the order is the same on SQLite and
PostgreSQL without date arithmetic in SQL; the page's details (its next tasks and
readiness next steps) are then loaded in two more queries. A health result's next
step is said generically to a reader who may not see the person's health data
(fill_page's viewer; docs/security.md, test 4).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import CharField, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import get_language

from garda.accompaniment.access import open_tasks
from garda.accompaniment.models import Task
from garda.accompaniment.queries import SubqueryCount, first_value
from garda.accounts.models import User
from garda.destinations.models import Plan, Readiness
from garda.destinations.rules import health_step_text, staff_step
from garda.documents.access import DocumentViewer
from garda.documents.models import Document, DocumentType
from garda.documents.queries import expiring, valid_until
from garda.people.models import Assignment, Person

VERIFY_WITHIN_DAYS = 3
EXPIRY_WINDOW_DAYS = 180
DUE_SOON_DAYS = 7
TASKS_SHOWN = 2

ALL = "all"
NEEDS_ACTION = "needs_action"
DUE_THIS_WEEK = "due_week"
SHOW_CHOICES = (ALL, NEEDS_ACTION, DUE_THIS_WEEK)


@dataclass
class Row:
    person: Person
    pending_docs: int
    verify_due: date | None
    open_tasks: int
    overdue_tasks: int
    next_task_due: datetime | None
    expiring_docs: int
    next_expiry: date | None
    departure: date | None
    readiness_id: int | None
    readiness_percent: int | None
    readiness_ready: bool | None
    due: date | None = None
    overdue: bool = False
    needs_action: bool = False
    # Filled for the page only.
    tasks: list = field(default_factory=list)
    readiness: Readiness | None = None
    # Whether the reader may see this person's health data (fill_page), and the
    # health result types' names by code (loaded only for those who may not).
    sees_health: bool = False
    health_names: dict[str, str] = field(default_factory=dict)
    # Document types' names by code, for the officer's wording of the next step.
    document_names: dict[str, str] = field(default_factory=dict)

    @property
    def expired(self) -> bool:
        return self.next_expiry is not None and self.next_expiry < timezone.localdate()

    @property
    def next_step(self) -> dict | None:
        """The cached readiness's first next step; a health result's (its text may
        hold a rejection reason or a level) said generically unless the reader may
        see the person's health data (rules.redact_for does the same elsewhere)."""
        if self.readiness is None:
            return None
        steps = (self.readiness.result or {}).get("next_steps") or []
        if not steps:
            return None
        step = steps[0]
        if not isinstance(step, dict):
            return step
        step = {**step, "text": self._officer_text(step)}
        if self.sees_health:
            return step
        code = step.get("requirement_code")
        if step.get("health") or (code is not None and code in self.health_names):
            name = self.health_names.get(code or "") or code or ""
            return {**step, "text": health_step_text(name)}
        return step

    def _officer_text(self, step: dict) -> str:
        """The step as the officer reads it, about the person ("Ask Siti to upload the
        KTP again"); the cache holds the worker's own words ("Upload your KTP again")
        and, unlike the page's fresh answer, no requirement names."""
        result = self.readiness.result or {}
        names = {**self.document_names}
        names.update(
            {r["code"]: r["name"] for r in result.get("requirements", ()) if r.get("name")}
        )
        messages = {b.get("code"): b.get("message", "") for b in result.get("blockers", ())}
        return staff_step(
            step,
            person=self.person.full_name or self.person.reference,
            names=names,
            messages=messages,
        )


def expiring_documents(qs, *, today: date):
    """The verified documents of `qs` whose validity ends within EXPIRY_WINDOW_DAYS
    of `today`, or already ended."""
    return expiring(qs, within_days=EXPIRY_WINDOW_DAYS, today=today)


def _expiry_by_person(officer: User, today: date) -> dict[int, tuple[int, date | None]]:
    """person id -> (documents expiring or expired, the first end of validity)."""
    documents = expiring_documents(
        Document.objects.filter(
            person_id__in=Assignment.objects.filter(officer=officer).values("person_id")
        ),
        today=today,
    )
    found: dict[int, tuple[int, date | None]] = {}
    for document in documents.select_related("type").only(
        "id", "person_id", "expires_on", "issued_on", "type", "type__validity_months"
    ):
        count, first = found.get(document.person_id, (0, None))
        until = valid_until(document)
        if until is not None and (first is None or until < first):
            first = until
        found[document.person_id] = (count + 1, first)
    return found


def _current_target_key():
    plan = Plan.objects.filter(person=OuterRef(OuterRef("pk")), is_current=True)
    return Subquery(
        plan.annotate(
            key=Concat(
                F("destination__code"),
                Value(":"),
                F("scheme__code"),
                Value(":"),
                F("sector"),
                output_field=CharField(),
            )
        ).values("key")[:1]
    )


def caseload(officer: User, *, now: datetime):
    """The officer's assigned persons with the worklist columns, in one query."""
    documents = Document.objects.filter(person=OuterRef("pk"))
    pending = documents.filter(status=Document.Status.PENDING)
    tasks = open_tasks(Task.objects.filter(person=OuterRef("pk"), officer=officer))
    plan = Plan.objects.filter(person=OuterRef("pk"), is_current=True)
    readiness = Readiness.objects.filter(person=OuterRef("pk"), target_key=_current_target_key())
    return (
        Person.objects.active()
        .filter(assignments__officer=officer)
        .only("id", "reference", "full_name", "status")
        .annotate(
            pending_docs=SubqueryCount(pending),
            oldest_pending=first_value(pending, "uploaded_at"),
            open_tasks=SubqueryCount(tasks),
            overdue_tasks=SubqueryCount(tasks.filter(due_at__lt=now)),
            next_task_due=first_value(tasks, "due_at"),
            departure=Subquery(plan.values("planned_departure")[:1]),
            readiness_id=Subquery(readiness.values("pk")[:1]),
            readiness_percent=Subquery(readiness.values("percent")[:1]),
            readiness_ready=Subquery(readiness.values("ready")[:1]),
        )
        .order_by("id")
    )


def _local_date(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).date()
    return value


def _row(person: Person, *, now: datetime, expiry: tuple[int, date | None]) -> Row:
    today = timezone.localdate(now)
    oldest = person.oldest_pending
    verify_due = (
        _local_date(oldest + timedelta(days=VERIFY_WITHIN_DAYS)) if oldest is not None else None
    )
    row = Row(
        person=person,
        pending_docs=person.pending_docs,
        verify_due=verify_due,
        open_tasks=person.open_tasks,
        overdue_tasks=person.overdue_tasks,
        next_task_due=person.next_task_due,
        expiring_docs=expiry[0],
        next_expiry=expiry[1],
        departure=person.departure,
        readiness_id=person.readiness_id,
        readiness_percent=person.readiness_percent,
        readiness_ready=person.readiness_ready,
    )
    candidates = [verify_due, _local_date(row.next_task_due), row.next_expiry]
    if row.departure is not None and not row.readiness_ready:
        candidates.append(row.departure)
    dates = [d for d in candidates if d is not None]
    row.due = min(dates) if dates else None
    row.overdue = bool(
        row.overdue_tasks
        or (verify_due is not None and verify_due < today)
        or (row.next_expiry is not None and row.next_expiry < today)
    )
    row.needs_action = bool(row.pending_docs or row.overdue_tasks or row.expiring_docs)
    return row


def _rank(row: Row) -> tuple:
    return (
        0 if row.overdue else 1,
        row.due or date.max,
        row.next_task_due or datetime.max.replace(tzinfo=timezone.get_current_timezone()),
        -row.pending_docs,
        row.person.pk,
    )


def worklist_rows(officer: User, *, show: str = ALL, now: datetime | None = None) -> list[Row]:
    """The officer's persons as ranked rows, filtered by `show` (all, needs_action:
    something to verify, overdue or expiring; due_week: due within seven days)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    expiry = _expiry_by_person(officer, today)
    rows = [
        _row(person, now=now, expiry=expiry.get(person.pk, (0, None)))
        for person in caseload(officer, now=now)
    ]
    if show == NEEDS_ACTION:
        rows = [row for row in rows if row.needs_action or row.overdue]
    elif show == DUE_THIS_WEEK:
        horizon = today + timedelta(days=DUE_SOON_DAYS)
        rows = [row for row in rows if row.due is not None and row.due <= horizon]
    rows.sort(key=_rank)
    return rows


def fill_page(rows: list[Row], officer: User, *, viewer: User | None = None) -> None:
    """Load the page's next tasks and readiness rows (two queries for the page).

    `viewer` is who reads the page (the officer themself, or a supervisor or admin
    looking at the officer's list): a health result's next step keeps its details
    only for a viewer who may see the person's health data
    (documents.access.DocumentViewer); without a viewer it never does (one more
    query, for the health result types' names)."""
    if not rows:
        return
    ids = [row.person.pk for row in rows]
    tasks = defaultdict(list)
    for task in open_tasks(Task.objects.filter(officer=officer, person_id__in=ids)).order_by(
        "due_at", "id"
    ):
        if len(tasks[task.person_id]) < TASKS_SHOWN:
            tasks[task.person_id].append(task)
    wanted = [row.readiness_id for row in rows if row.readiness_id is not None]
    readiness = Readiness.objects.in_bulk(wanted) if wanted else {}
    reader = DocumentViewer(viewer) if viewer is not None else None
    for row in rows:
        row.tasks = tasks.get(row.person.pk, [])
        row.readiness = readiness.get(row.readiness_id)
        row.sees_health = reader is not None and reader.sees_health(row.person)
    english = (get_language() or "").startswith("en")
    wanted_types = {
        step.get("requirement_code")
        for row in rows
        if row.readiness is not None
        for step in ((row.readiness.result or {}).get("next_steps") or [])[:1]
        if isinstance(step, dict) and step.get("requirement_code")
    }
    hide_health = any(row.readiness is not None and not row.sees_health for row in rows)
    if wanted_types or hide_health:  # one query: the names the officer's wording needs
        query = (
            Q(code__in=wanted_types) | Q(is_health=True)
            if hide_health
            else Q(code__in=wanted_types)
        )
        document_names, names = {}, {}
        for code, name, name_en, is_health in DocumentType.objects.filter(query).values_list(
            "code", "name", "name_en", "is_health"
        ):
            label = (name_en if english else name) or code
            if code in wanted_types:
                document_names[code] = label
            if is_health:
                names[code] = label
        for row in rows:
            row.document_names = document_names
    if hide_health:
        for row in rows:
            row.health_names = names
