"""The protection-case rows of `python -m bench --cases N` (issue 12): a caseload of `n`
cases written straight to the tables, then intake through the service, the
supervisors' dashboard and one run of the escalation job.

The caseload (bulk inserts, not the services; the figures are the bench's choice,
not measured from the field): three agencies with ten officers and two supervisors
each, and an admin. 30% of the cases are open, created over the last 120 days (more
of them recent); the rest closed, created over the two years before. Kinds: one to
three per case, weighted towards wages, going home and contract; severity from the
kinds as the policy says (critical about 10%). Open stages: new 6%, triaged 4%,
assigned 10%, in progress 50%, waiting on another party 20%, resolved 10%; new and
triaged cases are in the intake queue (no officer), the others held by an officer of
one of the agencies. Clocks: the three of every case, due as data/policy.toml says
(working days and holidays included); first response done within its target for 90%
of the cases past the intake queue's "new", assignment done for assigned cases, resolution done for
closed ones (10% late). Every clock past due on an open case has already been
escalated (Escalation rows, levels 1 and 2 as the job would have left them) except
ESCALATE of them, which the timed run escalates; every clock at risk was already
told. A fifth of the open cases have a planned service (a third of those overdue).
"""

import random
import statistics
import time
from datetime import datetime, timedelta

from django.core.management.base import CommandError

from bench.cli import _percentile

AGENCIES = 3
OFFICERS = 10  # per agency
SUPERVISORS = 2  # per agency
OPEN_SHARE = 0.30
ESCALATE = 1000  # overdue clocks the timed escalation run finds
REPORTS = 200  # reports timed through intake.case_open
DASHBOARD_RUNS = 20
_KINDS = (
    ("wages", 30),
    ("go_home", 20),
    ("contract", 15),
    ("placement_cost", 6),
    ("fraud", 6),
    ("illness", 6),
    ("undocumented", 5),
    ("lost_contact", 4),
    ("abuse", 3),
    ("detention", 2),
    ("trafficking", 1),
    ("death", 1),
    ("failed_departure", 3),
    ("evacuation", 1),
    ("other", 2),
)
_OPEN_STAGES = (
    ("new", 6),
    ("triaged", 4),
    ("assigned", 10),
    ("in_progress", 50),
    ("waiting", 20),
    ("resolved", 10),
)
_CHANNELS = ("hotline", "public", "portal", "family", "embassy", "agency", "walk_in")


def _ms(values: list[float]) -> str:
    return (
        f"p50 {statistics.median(values) * 1000:.1f} ms, "
        f"p95 {_percentile(values, 95) * 1000:.1f} ms"
    )


class CasesBench:
    def __init__(self, row):
        self._row = row
        self.rng = random.Random(1212)  # noqa: S311 (benchmark data)

    def run(self, n: int, *, reports: int = REPORTS, escalate: int = ESCALATE) -> None:
        self.stamp = f"{time.time_ns() % 10**9:09d}"
        started = time.perf_counter()
        made = self.populate(n, escalate=escalate)
        self._row(
            "caseload written (bulk)",
            f"{made['cases']:,} cases ({made['open']:,} open), {made['clocks']:,} clocks, "
            f"{made['escalations']:,} past escalations, {made['services']:,} services",
            f"{time.perf_counter() - started:.1f} s",
        )
        self.dashboard()
        self.escalation(made["overdue"])
        self.intake(reports)

    # -- the caseload ------------------------------------------------------------------
    def setup(self) -> None:
        from django.contrib.auth.models import Group

        from garda.accounts import roles
        from garda.accounts.models import Agency, User

        groups = {g.name: g for g in Group.objects.all()}
        self.agencies, self.officers, self.supervisors = [], [], []
        for i in range(AGENCIES):
            agency = Agency.objects.create(
                name=f"Bench cases {self.stamp}-{i}",
                short_name=f"BC{self.stamp}{i}",
                kind=Agency.Kind.MANPOWER,
            )
            self.agencies.append(agency)
            for j in range(OFFICERS + SUPERVISORS):
                role = roles.OFFICER if j < OFFICERS else roles.SUPERVISOR
                user = User.objects.create_user(
                    email=f"bench-case-{self.stamp}-{i}-{j}@example.org",
                    password=None,
                    agency=agency,
                    full_name=f"Petugas {i}-{j}",
                )
                user.groups.add(groups[role])
                (self.officers if role == roles.OFFICER else self.supervisors).append(user)
        self.admin = User.objects.create_user(
            email=f"bench-case-admin-{self.stamp}@example.org", password=None, is_staff=True
        )
        self.admin.groups.add(groups[roles.ADMIN])

    def populate(self, n: int, *, escalate: int = ESCALATE) -> dict:
        from django.db import transaction
        from django.utils import timezone

        from garda.cases.models import Case, CaseKind, Clock, Escalation, Service
        from garda.dbutils import refresh_statistics

        self.now = timezone.now()
        self.setup()
        with transaction.atomic():
            cases = self._cases(n)
            clocks = self._clocks(cases)
            overdue = self._escalated(cases, clocks, escalate)
            services = self._services(cases)
        refresh_statistics(Case, CaseKind, Clock, Escalation, Service)
        return {
            "cases": len(cases),
            "open": sum(1 for c in cases.values() if c["open"]),
            "clocks": len(clocks),
            "escalations": Escalation.objects.filter(
                case__reference__startswith=f"KB{self.stamp}"
            ).count(),
            "services": services,
            "overdue": overdue,
        }

    def _cases(self, n: int) -> dict:
        """Case rows and their kinds; returns id -> what the clocks need."""
        from garda.cases import policy
        from garda.cases.models import SEVERITY_RANK, Case, CaseKind
        from garda.dbutils import fast_insert

        pol = policy.current()
        names, weights = zip(*_KINDS, strict=True)
        stages, stage_weights = zip(*_OPEN_STAGES, strict=True)
        plan, rows = {}, []
        for i in range(n):
            is_open = self.rng.random() < OPEN_SHARE
            if is_open:
                age = timedelta(days=120 * self.rng.random() ** 2)
                stage = self.rng.choices(stages, stage_weights)[0]
            else:
                age = timedelta(days=30 + 700 * self.rng.random())
                stage = "closed"
            created = self.now - age - timedelta(minutes=self.rng.randrange(24 * 60))
            kinds = list(
                dict.fromkeys(self.rng.choices(names, weights, k=1 + (i % 7 == 0) + (i % 31 == 0)))
            )
            severity = max((pol.kind_severity[k] for k in kinds), key=lambda s: SEVERITY_RANK[s])
            queue = stage in ("new", "triaged")
            owner = None if queue else self.officers[self.rng.randrange(len(self.officers))]
            reference = f"KB{self.stamp}-{i:07d}"
            plan[reference] = {
                "open": is_open,
                "stage": stage,
                "severity": severity,
                "created": created,
                "kinds": kinds,
            }
            rows.append(
                Case(
                    reference=reference,
                    status="open" if is_open else "closed",
                    stage=stage,
                    severity=severity,
                    channel=_CHANNELS[i % len(_CHANNELS)],
                    description="Bench",
                    subject_name=f"Orang {i}",
                    reporter_name=f"Pelapor {i}",
                    relationship="parent" if i % 3 else "self",
                    owner=owner,
                    agency_id=owner.agency_id if owner else None,
                    created_at=created,
                    updated_at=created,
                    closed_at=None if is_open else created + timedelta(days=20),
                    closing_reason="" if is_open else "resolved",
                )
            )
            if len(rows) == 5000:
                fast_insert(Case, rows)
                rows = []
        fast_insert(Case, rows)
        ids = dict(
            Case.objects.filter(reference__startswith=f"KB{self.stamp}-").values_list(
                "reference", "id"
            )
        )
        cases = {ids[ref]: dict(info, id=ids[ref]) for ref, info in plan.items()}
        kind_rows = [
            CaseKind(case_id=pk, kind=k) for pk, info in cases.items() for k in info["kinds"]
        ]
        for start in range(0, len(kind_rows), 10_000):
            fast_insert(CaseKind, kind_rows[start : start + 10_000])
        return cases

    def _due(self, severity: str, name: str, start: datetime) -> datetime:
        """policy.due, its working-day walk cached by local day (a start on a working
        day keeps its time of day; on another day it counts from midnight)."""
        from django.utils import timezone

        from garda.cases import clocks, policy

        pol = policy.current()
        target = pol.targets[(severity, name)]
        if target.unit == clocks.HOURS:
            return start + timedelta(hours=target.amount)
        local = timezone.localtime(start)
        key = (severity, name, local.date())
        cache = self.__dict__.setdefault("_due_cache", {})
        if key not in cache:
            midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
            cache[key] = pol.due(severity, name, midnight)
        due = cache[key]
        if clocks.is_working_day(local.date(), pol.holidays):
            due = due + (local - local.replace(hour=0, minute=0, second=0, microsecond=0))
        return due

    def _clocks(self, cases: dict) -> list:
        from garda.cases import policy
        from garda.cases.clocks import risk_at
        from garda.cases.models import Clock
        from garda.dbutils import fast_insert

        fraction = policy.current().at_risk_fraction
        assigned = {"assigned", "in_progress", "waiting", "resolved", "closed"}
        rows, made = [], []
        for pk, info in cases.items():
            start = info["created"]
            for name in policy.CLOCK_NAMES:
                due = self._due(info["severity"], name, start)
                done = None
                window = due - start
                late = self.rng.random() < 0.1
                if name == "first_response" and info["stage"] != "new":
                    done = start + window * (1.3 if late else 0.5 * self.rng.random())
                elif name == "assignment" and info["stage"] in assigned:
                    done = start + window * (1.2 if late else 0.8 * self.rng.random())
                elif name == "resolution" and not info["open"]:
                    done = start + window * (1.1 if late else 0.9 * self.rng.random())
                if done is not None and done > self.now:
                    done = self.now - timedelta(minutes=1)
                told = None
                risk = risk_at(start, due, fraction)
                if done is None and risk <= self.now:
                    told = risk  # the job told the owner then
                rows.append(
                    Clock(
                        case_id=pk,
                        name=name,
                        started_at=start,
                        due_at=due,
                        risk_at=risk,
                        done_at=done,
                        at_risk_told_at=told,
                    )
                )
            if len(rows) >= 15_000:
                fast_insert(Clock, rows)
                made += rows
                rows = []
        fast_insert(Clock, rows)
        return made + rows

    def _escalated(self, cases: dict, clocks: list, keep: int) -> int:
        """Escalate, as earlier runs of the job would have, every clock past due on an
        open case but `keep` of them (those the timed run finds); returns how many
        are left for it."""
        from django.db.models import Q

        from garda.cases.models import Clock, Escalation
        from garda.dbutils import fast_insert

        pol_hours = 24
        overdue = Clock.objects.filter(
            case__reference__startswith=f"KB{self.stamp}-",
            case__status="open",
            done_at__isnull=True,
            due_at__lt=self.now,
        ).values_list("id", "case_id", "name", "due_at")
        overdue = list(overdue)
        self.rng.shuffle(overdue)
        fresh, past = overdue[:keep], overdue[keep:]
        rows, level_1, level_2 = [], [], []
        for _pk, case_id, name, due in past:
            rows.append(Escalation(case_id=case_id, clock=name, level=1, at=due))
            if due < self.now - timedelta(hours=pol_hours):
                rows.append(
                    Escalation(
                        case_id=case_id, clock=name, level=2, at=due + timedelta(hours=pol_hours)
                    )
                )
                level_2.append(_pk)
            else:
                level_1.append(_pk)
        for start in range(0, len(rows), 10_000):
            fast_insert(Escalation, rows[start : start + 10_000])
        for level, ids in ((1, level_1), (2, level_2)):
            for start in range(0, len(ids), 5000):
                Clock.objects.filter(pk__in=ids[start : start + 5000]).update(
                    escalation_level=level
                )
        # The fresh ones were never told at risk either (the job was not running).
        for start in range(0, len(fresh), 5000):
            Clock.objects.filter(Q(pk__in=[c[0] for c in fresh[start : start + 5000]])).update(
                at_risk_told_at=None
            )
        return len(fresh)

    def _services(self, cases: dict) -> int:
        from garda.cases.models import Service
        from garda.dbutils import fast_insert

        rows = []
        for pk, info in cases.items():
            if not info["open"] or self.rng.random() >= 0.2:
                continue
            due = info["created"] + timedelta(days=self.rng.choice((1, 3)))
            overdue = self.rng.random() < 1 / 3 and due < self.now
            rows.append(
                Service(
                    case_id=pk,
                    type=self.rng.choice(("legal_aid", "shelter", "medical", "mediation")),
                    timeframe="3_days",
                    due_at=due,
                    done_at=None if overdue else min(due, self.now),
                    created_at=info["created"],
                )
            )
        fast_insert(Service, rows)
        return len(rows)

    # -- the measurements --------------------------------------------------------------
    def dashboard(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        from garda.cases import dashboard as board

        month = timezone.localdate() - timedelta(days=30)
        for label, user, kwargs in (
            ("admin, all agencies", self.admin, {}),
            ("admin, cases of the last 30 days", self.admin, {"since": month}),
            ("supervisor, own agency + intake queue", self.supervisors[0], {}),
        ):
            timings = []
            for _ in range(DASHBOARD_RUNS):
                started = time.perf_counter()
                result = board.counts(user, **kwargs)
                timings.append(time.perf_counter() - started)
            with CaptureQueriesContext(connection) as queries:
                board.counts(user, **kwargs)
            self._row(
                f"case dashboard, all counts ({label})",
                f"{result.total:,} open cases counted, {len(queries)} queries",
                _ms(timings),
            )
        client = self._client(self.supervisors[0])
        timings = []
        for _ in range(DASHBOARD_RUNS):
            started = time.perf_counter()
            response = client.get("/cases/dashboard/")
            timings.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise CommandError(f"dashboard: {response.status_code}")
        self._row(
            "GET /cases/dashboard/ (supervisor, in-process client)",
            f"{DASHBOARD_RUNS} requests",
            _ms(timings),
        )

    def escalation(self, overdue: int) -> None:
        from django.core import mail
        from django.db import connection
        from django.test.utils import CaptureQueriesContext, override_settings

        from garda.cases.models import Case
        from garda.cases.services.escalation import escalate

        total = Case.objects.count()
        # E-mails to memory (they are sent, over one connection, after each batch).
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            CaptureQueriesContext(connection) as queries,
        ):
            started = time.perf_counter()
            result = escalate()
            elapsed = time.perf_counter() - started
            sent = len(getattr(mail, "outbox", []))
        # A clock or two may fall due between the set-up and the run.
        if not overdue <= result["level_1"] <= overdue + 20:
            raise CommandError(f"escalation: expected {overdue} level-1, got {result}")
        self._row(
            "escalation run (escalate(): Escalation rows, notifications, e-mails, audit)",
            f"{result['level_1']:,} overdue clocks among {total:,} cases "
            f"(+{result['at_risk']} at risk); {len(queries)} queries, {sent:,} e-mails",
            f"{elapsed:.2f} s",
        )
        timings, raised = [], 0
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            for _ in range(5):
                started = time.perf_counter()
                raised += escalate()["level_1"]
                timings.append(time.perf_counter() - started)
        self._row(
            "escalation run again, nothing new (5 runs)",
            f"{total:,} cases",
            f"{_ms(timings)} ({raised} raised)",
        )

    def intake(self, n: int) -> None:
        from garda.cases.models import Case
        from garda.cases.services.intake import ReportData, case_open

        before = Case.objects.count()
        timings = []
        for i in range(n):
            data = ReportData(
                reporter_name=f"Pelapor Bench {i}",
                relationship="parent" if i % 2 else "sibling",
                person_name=f"Pekerja Bench {i}",
                kinds=[_KINDS[i % len(_KINDS)][0]],
                description="Gaji belum dibayar tiga bulan dan paspor ditahan majikan.",
                reporter_phone="+6281234500000",
                city="Kuala Lumpur",
                answers={},
            )
            officer = self.officers[i % len(self.officers)]
            channel = "hotline" if i % 2 else "public"
            started = time.perf_counter()
            case_open(actor=officer if channel == "hotline" else None, data=data, channel=channel)
            timings.append(time.perf_counter() - started)
        self._row(
            "report through intake.case_open (number, severity, clocks, audit)",
            f"{n} reports (public form and hotline) into {before:,} cases",
            _ms(timings),
        )

    def _client(self, user):
        from django.test import Client
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        client = Client()
        client.force_login(user)
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client
