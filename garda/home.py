"""The signed-in home page of each role: what is next for them (docs/design-ui.md, §2.1
and principle 1), composed from the apps' access functions and queries.

- a worker: the next step of their readiness (the first one they can start, with the
  agency and what to bring), "X of Y steps done", documents to fix, the next
  appointment, training, unread messages and help;
- an officer: their worklist in counts (each a link to the filtered page) and the
  top of the worklist;
- a supervisor: the same counts for the whole agency, and the workload per officer;
- a trainer: the sessions of their batches today (a link to mark attendance), then
  the next ones;
- an admin: counts, and links to every page.

Each function runs a fixed, small number of queries whatever the data (the tests
assert it). Reads of personal data are audited as the apps audit their own pages:
one VIEW row of the worker's record (reason "home"), one of the officer's worklist,
one of the workload.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from garda.accompaniment import worklist as wl
from garda.accompaniment.access import (
    appointments_for_worker,
    open_tasks,
    visible_tasks,
    worklist_read,
    workload_read,
)
from garda.accompaniment.models import Task
from garda.accompaniment.workload import workload
from garda.accounts import roles
from garda.accounts.access import unread_count
from garda.accounts.models import User
from garda.cases import clocks
from garda.cases.access import own_cases, visible_cases
from garda.cases.dashboard import clock_q
from garda.cases.display import stage_text
from garda.cases.models import Clock
from garda.cases.models import Status as CaseStatus
from garda.destinations import rules
from garda.destinations.models import Plan
from garda.destinations.readiness import current_plan, readiness_for
from garda.documents.access import DocumentViewer, visible_documents
from garda.documents.display import row_for
from garda.documents.forms import ExpiringFilterForm
from garda.documents.models import Document
from garda.documents.queries import assigned_persons, expiring, pending_for_officer
from garda.jobs.access import recruiter_agency, visible_orders
from garda.jobs.models import JobOrder
from garda.people.access import read_own_person, visible_people
from garda.people.models import Person
from garda.training.access import visible_batches, visible_enrolments
from garda.training.models import Enrolment, Session
from garda.training.services.enrolment import with_positions

# How many rows of a list the home page shows before "see all".
TOP = 5
# Document states a worker must act on.
TO_FIX = ("rejected", "expired", "expiring")


# Each help channel and the setting (an environment variable of the same name,
# garda/settings.py) the operator fills it from. None has a default: a number or an
# address the service does not really answer must never be shown as real.
HELP_SETTINGS = {
    "hotline": "GARDA_HOTLINE",
    "hours": "GARDA_HELP_HOURS",
    "call_cost": "GARDA_HELP_CALL_COST",
    "email": "GARDA_HELP_EMAIL",
    "whatsapp": "GARDA_HELP_WHATSAPP",
    "reply_time": "GARDA_HELP_REPLY_TIME",
    "office": "GARDA_HELP_OFFICE",
}


def tel(number: str) -> str:
    """A phone number as a tel: address (its digits, and a leading + if it has one)."""
    digits = "".join(ch for ch in number if ch.isdigit())
    return f"+{digits}" if digits and number.strip().startswith("+") else digits


@dataclass(frozen=True)
class HelpChannels:
    """The help channels the operator has set; an unset one is "" and not shown."""

    hotline: str = ""
    hours: str = ""
    call_cost: str = ""
    email: str = ""
    whatsapp: str = ""
    reply_time: str = ""
    office: str = ""

    @property
    def hotline_tel(self) -> str:
        return tel(self.hotline)

    @property
    def whatsapp_link(self) -> str:
        """wa.me wants the number in international form, digits only."""
        return tel(self.whatsapp).lstrip("+")

    @property
    def any(self) -> bool:
        return any(getattr(self, key) for key in HELP_SETTINGS)

    def unset(self) -> list[str]:
        """The settings still empty, for the admin who should fill them."""
        return [name for key, name in HELP_SETTINGS.items() if not getattr(self, key)]


def help_channels() -> HelpChannels:
    return HelpChannels(
        **{key: (getattr(settings, name, "") or "").strip() for key, name in HELP_SETTINGS.items()}
    )


def first_name(user: User, person: Person | None = None) -> str:
    name = (person.full_name if person is not None else "") or user.full_name or ""
    return name.split()[0] if name.split() else ""


# --- the worker -------------------------------------------------------------------------


@dataclass
class NextStep:
    """The card "Langkah berikutnya": what to do, where, what to bring, one button."""

    kind: str  # "profile", "target", "document", "blocker", "wait", "ready"
    title: str = ""
    text: str = ""
    agency: str = ""
    bring: str = ""
    requirement_code: str = ""
    state: str = ""  # the requirement state the step resolves


@dataclass
class Progress:
    done: int
    total: int


@dataclass
class WorkerHome:
    person: Person | None
    name: str
    next_step: NextStep
    plan: Plan | None = None
    progress: Progress | None = None
    to_fix: list = field(default_factory=list)  # documents.display.Row
    appointment: Task | None = None
    enrolments: list[Enrolment] = field(default_factory=list)
    next_session: Session | None = None
    unread: int = 0
    cases: list = field(default_factory=list)  # cases.display words of open own cases


def _progress(result: rules.Result) -> Progress:
    """Steps done out of all: a group of alternatives is one step, done when one of
    them is met (as rules.evaluate counts its percentage)."""
    units: dict[object, bool] = {}
    for i, requirement in enumerate(result.requirements):
        key = ("group", requirement.alternative_group) if requirement.alternative_group else i
        units[key] = units.get(key, False) or requirement.state == rules.MET
    return Progress(done=sum(units.values()), total=len(units))


def _next_step(result: rules.Result) -> NextStep:
    """The first step the worker can start: a blocker's, or a document to get, fix or
    renew; "wait" when only an officer's check is left; "ready" when nothing is."""
    by_code = {r.code: r for r in result.requirements}
    for step in result.next_steps:
        if step.code == rules.PENDING:
            continue
        if step.requirement_code:
            requirement = by_code.get(step.requirement_code)
            group = requirement.alternative_group if requirement is not None else None
            if group is not None and step.code != rules.EXPIRING:
                # "Get one of ...": the step names the options; any one of them will do.
                options = [r.name for r in result.requirements if r.alternative_group == group]
                return NextStep(
                    kind="document",
                    title=" / ".join(options),
                    text=step.text,
                    agency=step.agency,
                    bring=step.bring,
                    state=step.code,
                )
            return NextStep(
                kind="document",
                title=requirement.name if requirement is not None else "",
                text=step.text,
                agency=step.agency,
                bring=step.bring,
                requirement_code=step.requirement_code,
                state=step.code,
            )
        return NextStep(kind="blocker", text=step.text, agency=step.agency, bring=step.bring)
    if result.next_steps:
        step = result.next_steps[0]
        return NextStep(kind="wait", text=step.text, agency=step.agency)
    return NextStep(kind="ready" if result.ready else "wait")


def worker_home(user: User, *, today: date | None = None) -> WorkerHome:
    """The worker's home: about ten queries, whatever they hold."""
    today = today or timezone.localdate()
    person = read_own_person(user, reason="home")
    unread = unread_count(user)
    # A report about a problem abroad comes before everything else on the page.
    cases = [
        (case, stage_text(case))
        for case in own_cases(user)
        .filter(status=CaseStatus.OPEN)
        .select_related("owner__agency", "agency")
        .order_by("-created_at", "-id")[:TOP]
    ]
    if person is None:
        return WorkerHome(
            person=None,
            name=first_name(user),
            next_step=NextStep("profile"),
            unread=unread,
            cases=cases,
        )
    home = WorkerHome(person=person, name=first_name(user, person), next_step=NextStep("target"))
    home.unread = unread
    home.cases = cases
    home.plan = current_plan(person)
    if home.plan is not None:
        result = readiness_for(person, home.plan, today=today)
        if result is not None:  # the worker sees their own health results
            home.progress = _progress(result)
            home.next_step = _next_step(result)
    viewer = DocumentViewer(user)
    documents = (
        visible_documents(user)
        .filter(person=person)
        .exclude(status=Document.Status.REPLACED)
        .select_related("type")
        .annotate(page_count=Count("files"))
        .order_by("type__order", "type__code", "-uploaded_at", "-id")
    )
    for document in documents:
        document.person = person
        row = row_for(viewer, document, today)
        if row.state in TO_FIX:
            home.to_fix.append(row)
    home.appointment = appointments_for_worker(person).first()
    home.enrolments = list(
        with_positions(
            visible_enrolments(user)
            .filter(person=person, status__in=Enrolment.ACTIVE, batch__ends_on__gte=today)
            .select_related("batch__course", "batch__provider__agency")
        ).order_by("batch__starts_on", "id")[:TOP]
    )
    enrolled = [e.batch_id for e in home.enrolments if e.status == Enrolment.Status.ENROLLED]
    if enrolled:
        home.next_session = (
            Session.objects.filter(batch_id__in=enrolled, date__gte=today)
            .select_related("batch__course")
            .order_by("date", "starts_at", "id")
            .first()
        )
    return home


# --- officers, supervisors, admins ------------------------------------------------------


# The words after each number (the number is shown before them).
TALLY_WORDS = {
    "queue": lambda n: ngettext(
        "document waiting for verification", "documents waiting for verification", n
    ),
    "overdue": lambda n: ngettext("overdue task", "overdue tasks", n),
    "due_week": lambda n: ngettext("task due this week", "tasks due this week", n),
    "expiring": lambda n: ngettext(
        "document expiring or expired", "documents expiring or expired", n
    ),
    "assigned": lambda n: ngettext("person you accompany", "persons you accompany", n),
    "overdue_team": lambda n: ngettext(
        "overdue task of your officers", "overdue tasks of your officers", n
    ),
    "officers": lambda n: ngettext("officer in your agency", "officers in your agency", n),
    "persons": lambda n: ngettext("person in the registry", "persons in the registry", n),
    "case_mine": lambda n: ngettext("open case you hold", "open cases you hold", n),
    "case_queue": lambda n: ngettext(
        "report waiting for an officer", "reports waiting for an officer", n
    ),
    "case_late": lambda n: ngettext("case past a deadline", "cases past a deadline", n),
    "case_open": lambda n: ngettext("open protection case", "open protection cases", n),
    "jobs_submitted": lambda n: ngettext(
        "job order waiting for verification", "job orders waiting for verification", n
    ),
    "jobs_draft": lambda n: ngettext("draft job order", "draft job orders", n),
    "jobs_rejected": lambda n: ngettext(
        "rejected job order to fix", "rejected job orders to fix", n
    ),
    "jobs_verified": lambda n: ngettext(
        "job order on the vacancy board", "job orders on the vacancy board", n
    ),
}


@dataclass
class Tally:
    """One number of a worklist, and the page that lists what it counts."""

    key: str
    count: int
    url_name: str
    query: str = ""

    @property
    def url(self) -> str:
        url = reverse(self.url_name)
        return f"{url}?{self.query}" if self.query else url

    @property
    def words(self) -> str:
        return TALLY_WORDS[self.key](self.count)


def _expiring_count(user: User, today: date) -> int:
    """Verified documents whose validity ends within the expiring page's default
    window (an officer: of the persons assigned to them), as that page counts them."""
    base = visible_documents(user)
    if user.role == roles.OFFICER:
        base = base.filter(person_id__in=assigned_persons(user))
    return expiring(base, within_days=ExpiringFilterForm().days(), today=today).count()


def _task_counts(tasks, now: datetime) -> dict[str, int]:
    week = now + timedelta(days=wl.DUE_SOON_DAYS)
    return open_tasks(tasks).aggregate(
        overdue=Count("pk", filter=Q(due_at__lt=now)),
        due_week=Count("pk", filter=Q(due_at__gte=now, due_at__lt=week)),
    )


@dataclass
class StaffHome:
    counts: list[Tally]
    rows: list = field(default_factory=list)  # worklist.Row, the top of the worklist
    officers: list = field(default_factory=list)  # workload rows
    assigned: int = 0
    company: str = ""  # a recruiter's placement company


def _case_counts(user: User, now: datetime, *, mine: bool) -> dict[str, int]:
    """Open cases the user sees (or holds, with `mine`), the intake queue, and those
    past a deadline, as the case list counts them: one query."""
    late = Exists(Clock.objects.filter(case=OuterRef("pk")).filter(clock_q(clocks.BREACHED, now)))
    held = Q(owner=user) if mine else Q()
    return (
        visible_cases(user)
        .filter(status=CaseStatus.OPEN)
        .aggregate(
            held=Count("pk", filter=held),
            queue=Count("pk", filter=Q(owner__isnull=True)),
            late=Count("pk", filter=held & Q(late)),
        )
    )


def _order_counts(user: User) -> dict[str, int]:
    """The job orders the user sees, by status (one query)."""
    counts = dict.fromkeys(JobOrder.Status.values, 0)
    rows = visible_orders(user).values("status").annotate(n=Count("pk")).order_by()
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def _submitted_tally(user: User) -> Tally:
    return Tally(
        "jobs_submitted",
        _order_counts(user)[JobOrder.Status.SUBMITTED],
        "jobs:order_list",
        "status=submitted",
    )


def recruiter_home(user: User, *, now: datetime | None = None) -> StaffHome:
    """A placement company's job orders by where they stand."""
    orders = _order_counts(user)
    counts = [
        Tally(key, orders[status], "jobs:order_list", f"status={status}")
        for key, status in (
            ("jobs_rejected", JobOrder.Status.REJECTED),
            ("jobs_draft", JobOrder.Status.DRAFT),
            ("jobs_submitted", JobOrder.Status.SUBMITTED),
            ("jobs_verified", JobOrder.Status.VERIFIED),
        )
    ]
    company = recruiter_agency(user)
    return StaffHome(counts=counts, company=company.name if company else "")


def officer_home(user: User, *, now: datetime | None = None) -> StaffHome:
    """The officer's worklist in numbers, and its first rows."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    rows = wl.worklist_rows(user, now=now)
    tasks = _task_counts(visible_tasks(user).filter(officer=user), now)
    top = rows[:TOP]
    wl.fill_page(top, user, viewer=user)
    worklist_read(user, user)
    cases = _case_counts(user, now, mine=True)
    counts = [
        Tally("case_late", cases["late"], "cases:list", f"view=mine&clock={clocks.BREACHED}"),
        Tally("case_mine", cases["held"], "cases:list", "view=mine"),
        Tally("case_queue", cases["queue"], "cases:list", "view=queue"),
        Tally("queue", pending_for_officer(user).count(), "documents:queue"),
        _submitted_tally(user),
        Tally("overdue", tasks["overdue"], "accompaniment:worklist", f"show={wl.NEEDS_ACTION}"),
        Tally("due_week", tasks["due_week"], "accompaniment:worklist", f"show={wl.DUE_THIS_WEEK}"),
        Tally("expiring", _expiring_count(user, today), "documents:expiring"),
        Tally("assigned", len(rows), "accompaniment:worklist"),
    ]
    return StaffHome(counts=counts, rows=top, assigned=len(rows))


def supervisor_home(user: User, *, now: datetime | None = None) -> StaffHome:
    """The agency's numbers and the workload of its officers, busiest first."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    officers = list(workload(user, now=now))
    workload_read(user)
    officers.sort(key=lambda o: (-o.overdue_tasks, -o.pending_docs, o.full_name, o.pk))
    cases = _case_counts(user, now, mine=False)
    counts = [
        Tally("case_late", cases["late"], "cases:list", f"view=agency&clock={clocks.BREACHED}"),
        Tally("case_queue", cases["queue"], "cases:list", "view=queue"),
        Tally("queue", pending_for_officer(user).count(), "documents:queue"),
        _submitted_tally(user),
        Tally("overdue_team", sum(o.overdue_tasks for o in officers), "accompaniment:workload"),
        Tally("expiring", _expiring_count(user, today), "documents:expiring"),
        Tally("officers", len(officers), "accompaniment:workload"),
    ]
    return StaffHome(counts=counts, officers=officers[:TOP])


def admin_home(user: User, *, now: datetime | None = None) -> StaffHome:
    now = now or timezone.now()
    today = timezone.localdate(now)
    cases = _case_counts(user, now, mine=False)
    counts = [
        Tally("case_late", cases["late"], "cases:list", f"view=agency&clock={clocks.BREACHED}"),
        Tally("case_open", cases["held"], "cases:dashboard"),
        Tally("queue", pending_for_officer(user).count(), "documents:queue"),
        _submitted_tally(user),
        Tally("expiring", _expiring_count(user, today), "documents:expiring"),
        Tally("persons", visible_people(user).count(), "people:list"),
    ]
    return StaffHome(counts=counts)


# --- trainers -------------------------------------------------------------------------


@dataclass
class TrainerHome:
    today: list[Session]
    upcoming: list[Session]


def trainer_home(user: User, *, today: date | None = None) -> TrainerHome:
    """The sessions of the trainer's batches today (to mark attendance), then the next
    ones: two queries."""
    today = today or timezone.localdate()
    sessions = (
        Session.objects.filter(
            batch__in=visible_batches(user).filter(cancelled_at__isnull=True),
        )
        .select_related("batch__course")
        .order_by("date", "starts_at", "batch__code", "number")
    )
    return TrainerHome(
        today=list(sessions.filter(date=today)),
        upcoming=list(sessions.filter(date__gt=today)[:TOP]),
    )
