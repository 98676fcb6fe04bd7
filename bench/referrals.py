"""The referral follow-through rows of `python -m bench --referrals N` (issue 14): `n`
referrals written straight to the tables, then the per-agency dashboard (a month, a
year, one kind of agency; the page) and one run of the escalation job.

The data (bulk inserts, not the services; the figures are the bench's choice, not
measured from the field): twelve receiving agencies of six kinds, one case-holding
agency with ten officers and two supervisors, an admin; N/50 cases; the referrals
asked over the last two years (more of them recent), due three days after being
asked. Referrals asked more than 30 days ago are over: 60% reported (then closed or
not), 15% declined, 10% withdrawn, 15% accepted and reported late or still open;
answers on time for 80% of them. Of the recent ones, OVERDUE are unanswered past
their answer-by date and not yet escalated (the timed run raises them); every other
open one is within its deadlines.
"""

import random
import time
from datetime import timedelta

from django.core.management.base import CommandError

from bench.cases import CasesBench, _ms

RECEIVERS = 12
OFFICERS = 10
SUPERVISORS = 2
OVERDUE = 1000
RUNS = 20
_KINDS = ("social", "health", "police", "bp3mi", "embassy", "ngo")


class ReferralsBench:
    def __init__(self, row):
        self._row = row
        self.rng = random.Random(1414)  # noqa: S311 (benchmark data)

    def run(self, n: int, *, overdue: int = OVERDUE) -> None:
        self.stamp = f"{time.time_ns() % 10**9:09d}"
        started = time.perf_counter()
        made = self.populate(n, overdue=overdue)
        self._row(
            "referrals written (bulk)",
            f"{made['referrals']:,} referrals on {made['cases']:,} cases, "
            f"{RECEIVERS} receiving agencies",
            f"{time.perf_counter() - started:.1f} s",
        )
        self.dashboard()
        self.escalation(made["overdue"])

    # -- the data ----------------------------------------------------------------------
    def setup(self) -> None:
        from django.contrib.auth.models import Group

        from garda.accounts import roles
        from garda.accounts.models import Agency, User

        groups = {g.name: g for g in Group.objects.all()}
        home = Agency.objects.create(
            name=f"Bench referrals {self.stamp}",
            short_name=f"BR{self.stamp}",
            kind=Agency.Kind.MANPOWER,
        )
        self.officers, self.supervisors, self.receivers = [], [], []
        for j in range(OFFICERS + SUPERVISORS):
            role = roles.OFFICER if j < OFFICERS else roles.SUPERVISOR
            user = User.objects.create_user(
                email=f"bench-ref-{self.stamp}-{j}@example.org",
                password=None,
                agency=home,
                full_name=f"Petugas {j}",
            )
            user.groups.add(groups[role])
            (self.officers if role == roles.OFFICER else self.supervisors).append(user)
        for i in range(RECEIVERS):
            agency = Agency.objects.create(
                name=f"Bench receiver {self.stamp}-{i}",
                short_name=f"BRR{self.stamp}{i:02d}",
                kind=_KINDS[i % len(_KINDS)],
            )
            self.receivers.append(agency)
            partner = User.objects.create_user(
                email=f"bench-ref-partner-{self.stamp}-{i}@example.org",
                password=None,
                agency=agency,
            )
            partner.groups.add(groups[roles.PARTNER])
        self.home = home

    def populate(self, n: int, *, overdue: int = OVERDUE) -> dict:
        from django.db import transaction
        from django.utils import timezone

        from garda.cases.models import Case
        from garda.dbutils import fast_insert, refresh_statistics
        from garda.referrals.models import Referral

        self.now = timezone.now()
        self.setup()
        n_cases = max(1, n // 50)
        with transaction.atomic():
            fast_insert(
                Case,
                [
                    Case(
                        reference=f"KR{self.stamp}-{i:06d}",
                        status="open",
                        stage="in_progress",
                        severity="normal",
                        channel="hotline",
                        description="Bench",
                        subject_name=f"Orang {i}",
                        reporter_name=f"Pelapor {i}",
                        relationship="parent",
                        owner=self.officers[i % OFFICERS],
                        agency=self.home,
                        created_at=self.now - timedelta(days=730),
                        updated_at=self.now,
                    )
                    for i in range(n_cases)
                ],
            )
            case_ids = list(
                Case.objects.filter(reference__startswith=f"KR{self.stamp}-").values_list(
                    "id", flat=True
                )
            )
            rows, late = [], 0
            for i in range(n):
                rows.append(self._referral(i, case_ids, late < overdue))
                if rows[-1].status == "requested" and rows[-1].due_at < self.now:
                    late += 1
                if len(rows) == 5000:
                    fast_insert(Referral, rows)
                    rows = []
            fast_insert(Referral, rows)
        refresh_statistics(Case, Referral)
        return {"referrals": n, "cases": n_cases, "overdue": late}

    def _referral(self, i: int, case_ids: list, may_be_late: bool):
        from garda.referrals.models import Referral

        rng = self.rng
        age = timedelta(days=730 * rng.random() ** 1.5, minutes=rng.randrange(24 * 60))
        asked = self.now - age
        due = asked + timedelta(days=3)
        officer = self.officers[i % OFFICERS]
        values = {
            "reference": f"RB{self.stamp[-6:]}-{i:07d}",
            "case_id": case_ids[i % len(case_ids)],
            "agency": self.receivers[rng.randrange(RECEIVERS)],
            "service_type": "legal_aid",
            "request": "Bench",
            "sections": ["summary"],
            "override_reason": "Bench",
            "requested_by": officer,
            "requested_at": asked,
            "due_at": due,
        }
        answered = asked + timedelta(hours=(72 if rng.random() < 0.8 else 120) * rng.random())
        if age > timedelta(days=30):
            pick = rng.random()
            if pick < 0.6:
                reported = answered + timedelta(days=rng.randrange(1, 14))
                values.update(
                    status="closed" if rng.random() < 0.7 else "reported",
                    answered_at=answered,
                    report_due_at=answered + timedelta(days=10),
                    reported_at=reported,
                )
            elif pick < 0.75:
                values.update(status="declined", answered_at=answered, decline_reason="Bench")
            elif pick < 0.85:
                values.update(status="cancelled")
            else:
                values.update(
                    status="reported",
                    answered_at=answered,
                    report_due_at=answered + timedelta(days=10),
                    reported_at=answered + timedelta(days=12),
                )
        elif due < self.now and not may_be_late:
            values.update(
                status="accepted",
                answered_at=min(answered, self.now),
                report_due_at=self.now + timedelta(days=10),
            )
        # else: requested (overdue if its due date passed, else waiting)
        return Referral(**values)

    # -- the measurements ----------------------------------------------------------------
    def dashboard(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        from garda.referrals import dashboard as board

        today = timezone.localdate()
        for label, period, kind in (
            ("this month", f"{today.year:04d}-{today.month:02d}", ""),
            ("this year", str(today.year), ""),
            ("this year, one kind of agency", str(today.year), "health"),
        ):
            chosen = board.parse_period(period)
            timings = []
            for _ in range(RUNS):
                started = time.perf_counter()
                found = board.rows(period=chosen, kind=kind)
                timings.append(time.perf_counter() - started)
            with CaptureQueriesContext(connection) as queries:
                board.rows(period=chosen, kind=kind)
            self._row(
                f"referral dashboard ({label})",
                f"{sum(r.received for r in found):,} referrals counted in "
                f"{len(found)} agencies, {len(queries)} queries",
                _ms(timings),
            )
        client = CasesBench._client(None, self.supervisors[0])
        timings = []
        for _ in range(RUNS):
            started = time.perf_counter()
            response = client.get("/referrals/dashboard/")
            timings.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise CommandError(f"referral dashboard: {response.status_code}")
        self._row(
            "GET /referrals/dashboard/ (supervisor, in-process client)",
            f"{RUNS} requests",
            _ms(timings),
        )

    def escalation(self, overdue: int) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext, override_settings

        from garda.referrals.models import Referral
        from garda.referrals.services.escalation import escalate

        total = Referral.objects.count()
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            CaptureQueriesContext(connection) as queries,
        ):
            started = time.perf_counter()
            result = escalate()
            elapsed = time.perf_counter() - started
        if result["answer_1"] < overdue:
            raise CommandError(f"referral escalation: expected {overdue} level-1, got {result}")
        self._row(
            "referral escalation run (rows, notifications, e-mails, audit)",
            f"{result['answer_1']:,} overdue referrals among {total:,}; {len(queries)} queries",
            f"{elapsed:.2f} s",
        )
        timings = []
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            for _ in range(5):
                started = time.perf_counter()
                escalate()
                timings.append(time.perf_counter() - started)
        self._row("referral escalation run again, nothing new (5 runs)", f"{total:,}", _ms(timings))
