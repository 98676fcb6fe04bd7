"""The supervisors' dashboard of protection cases: open cases counted by kind, stage,
severity, owner and clock state, escalations of the last 7 days and overdue services
(docs/cases.md, "Dashboard").

Every number is one aggregate query over the cases the viewer may see
(`access.visible_cases`: a supervisor's agency and the intake queue; an admin's all,
or one agency's): a fixed number of queries whatever the caseload, the counting done
by the database, never row by row in Python.

The clock states are the model's (`Clock.state`) written as SQL conditions:
- met: done, on or before the due time;
- breached: done late, or not done and past due;
- at risk: not done, not past due, past the moment it turns at risk (`risk_at`);
- running: not done and not yet at risk.
The case list filters with the same conditions (`clock_q`, `escalated_q`,
`overdue_service_q`), so a count and the list behind its link agree.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from garda.accounts.models import User
from garda.cases import clocks
from garda.cases.access import visible_cases
from garda.cases.models import Clock, Kind, Severity, Stage, Status

ESCALATION_DAYS = 7
QUERIES = 6  # what `counts` costs, whatever the caseload
# Stages an open case can be in (closed is a record status as well as a stage).
OPEN_STAGES = [s for s in Stage.values if s != Stage.CLOSED]


def clock_q(state: str, now: datetime, prefix: str = "") -> Q:
    """The SQL condition of a clock in `state` at `now` (`prefix`: the path to the
    clock, e.g. "clocks__" from a case)."""
    done = f"{prefix}done_at"
    due = f"{prefix}due_at"
    not_done = Q(**{f"{done}__isnull": True})
    if state == clocks.MET:
        return Q(**{f"{done}__isnull": False, f"{done}__lte": F(due)})
    if state == clocks.BREACHED:
        return Q(**{f"{done}__isnull": False, f"{done}__gt": F(due)}) | (
            not_done & Q(**{f"{due}__lt": now})
        )
    if state == clocks.AT_RISK:
        return not_done & Q(**{f"{due}__gte": now, f"{prefix}risk_at__lte": now})
    if state == clocks.RUNNING:
        return not_done & Q(**{f"{prefix}risk_at__gt": now})
    raise ValueError(f"unknown clock state {state!r}")


def escalated_q(now: datetime, prefix: str = "escalations__") -> Q:
    """Cases escalated in the last ESCALATION_DAYS days (the case list's
    `escalated=1`)."""
    return Q(**{f"{prefix}at__gte": now - timedelta(days=ESCALATION_DAYS)})


def overdue_service_q(now: datetime, prefix: str = "services__") -> Q:
    """Cases with a planned service not done by its due time (`service=overdue`)."""
    return Q(**{f"{prefix}done_at__isnull": True, f"{prefix}due_at__lt": now})


def scope(user: User, *, agency_id: int | None = None, since: date | None = None) -> QuerySet:
    """The open cases the dashboard counts: those `user` may see, narrowed to one
    agency's (admins) and to those created since a day."""
    qs = visible_cases(user).filter(status=Status.OPEN)
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    if since is not None:
        start = timezone.make_aware(datetime.combine(since, datetime.min.time()))
        qs = qs.filter(created_at__gte=start)
    return qs.order_by()


@dataclass
class Counts:
    total: int = 0
    by_stage: dict = field(default_factory=dict)  # stage -> n
    by_severity: dict = field(default_factory=dict)  # severity -> n
    by_kind: dict = field(default_factory=dict)  # kind -> n (a case may have several)
    by_owner: list = field(default_factory=list)  # [(owner id | None, name, n)]
    by_clock: dict = field(default_factory=dict)  # clock name -> {state: n}
    escalations: dict = field(default_factory=dict)  # level -> n, last 7 days
    escalated_cases: int = 0
    overdue_services: int = 0
    overdue_service_cases: int = 0


def counts(
    user: User,
    *,
    agency_id: int | None = None,
    since: date | None = None,
    now: datetime | None = None,
) -> Counts:
    """All the dashboard's numbers: QUERIES aggregate queries."""
    now = now or timezone.now()
    cases = scope(user, agency_id=agency_id, since=since)
    result = Counts()

    # 1. stage x severity (the index case_board covers it)
    for row in cases.values("stage", "severity").annotate(n=Count("id")):
        result.total += row["n"]
        result.by_stage[row["stage"]] = result.by_stage.get(row["stage"], 0) + row["n"]
        result.by_severity[row["severity"]] = result.by_severity.get(row["severity"], 0) + row["n"]

    # 2. kinds
    result.by_kind = {
        row["kinds__kind"]: row["n"]
        for row in cases.filter(kinds__isnull=False).values("kinds__kind").annotate(n=Count("id"))
    }

    # 3. owners (the intake queue is the row without one)
    rows = (
        cases.values("owner_id", "owner__full_name", "owner__email")
        .annotate(n=Count("id"))
        .order_by("-n", "owner__full_name", "owner_id")
    )
    result.by_owner = [
        (r["owner_id"], r["owner__full_name"] or r["owner__email"] or "", r["n"]) for r in rows
    ]

    # 4. clocks: per name, one conditional count per state
    per_state = {
        state: Count("clocks", filter=clock_q(state, now, "clocks__")) for state in clocks.STATES
    }
    for row in (
        cases.filter(clocks__isnull=False).values("clocks__name").annotate(**per_state).order_by()
    ):
        result.by_clock[row["clocks__name"]] = {state: row[state] for state in clocks.STATES}

    # 5. escalations of the last 7 days, by level
    recent = cases.filter(escalated_q(now)).aggregate(
        level_1=Count("escalations", filter=Q(escalations__level=1)),
        level_2=Count("escalations", filter=Q(escalations__level__gte=2)),
        cases=Count("id", distinct=True),
    )
    result.escalations = {1: recent["level_1"], 2: recent["level_2"]}
    result.escalated_cases = recent["cases"]

    # 6. overdue services
    overdue = cases.filter(overdue_service_q(now)).aggregate(
        services=Count("services"), cases=Count("id", distinct=True)
    )
    result.overdue_services = overdue["services"]
    result.overdue_service_cases = overdue["cases"]
    return result


def ordered(result: Counts) -> dict:
    """The counts in the order the page shows them, with labels (every stage,
    severity and clock shown, zeros included; kinds and owners as found)."""
    return {
        "stages": [(s, Stage(s).label, result.by_stage.get(s, 0)) for s in OPEN_STAGES],
        "severities": [
            (s, Severity(s).label, result.by_severity.get(s, 0))
            for s in (Severity.CRITICAL, Severity.HIGH, Severity.NORMAL)
        ],
        "kinds": sorted(
            ((k, Kind(k).label, n) for k, n in result.by_kind.items() if k in Kind.values),
            key=lambda row: (-row[2], str(row[1])),
        ),
        "clocks": [
            (
                name,
                Clock.Name(name).label,
                result.by_clock.get(name, dict.fromkeys(clocks.STATES, 0)),
            )
            for name in Clock.Name.values
        ],
    }
