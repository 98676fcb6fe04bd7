"""The job-order rows of `python -m bench --jobs N`: `n` job orders written straight to
the table, then the public vacancy board's queries, the checks of one order and the
nightly re-check of every published order.

The orders (bulk inserts, not the services; the shares are the bench's choice, not
measured from the field): 200 licensed placement companies and 2,000 employers in
five destinations. 85% of the orders are published (verified), their closing dates
spread over the next 120 days; 2% are published but past their closing date (the
re-check closes them); the rest are drafts, waiting, rejected, closed or cancelled.
Each order is one of seven sound shapes (a domestic helper in Hong Kong, a caregiver
in Taiwan, a factory worker in Malaysia, a domestic helper in Singapore, an EPS
worker in Korea through the G-to-G scheme, ...) whose checks all pass; before the
timed re-check, five employers are put on the problematic list, so the orders naming
them (about 0.25% of the published ones) fail and leave the board.
"""

import random
import statistics
import time
from datetime import timedelta
from decimal import Decimal

from django.core.management.base import CommandError

from bench.cli import _percentile

AGENCIES = 200
EMPLOYERS = 2000
LISTED = 5  # employers listed before the re-check
PAGE_SIZE = 20  # the board's page (garda/jobs/views/public.py)
REQUESTS = 50
CHECK_RUNS = 200

# (destination, scheme, sector, occupation, currency, wage range, ages, agency?)
SHAPES = (
    ("HK", "p2p", "domestic", "9111", "HKD", (5100, 6200), (21, 45), True),
    ("HK", "p2p", "care", "5322", "HKD", (5200, 6500), (21, 45), True),
    ("TW", "p2p", "care", "5322", "TWD", (20000, 24000), (21, 45), True),
    ("MY", "p2p", "manufacturing", "8160", "MYR", (1700, 2400), (21, 40), True),
    ("MY", "p2p", "domestic", "9111", "MYR", (1500, 1900), (21, 45), True),
    ("SG", "p2p", "domestic", "9111", "SGD", (600, 850), (23, 45), True),
    ("KR", "g2g-kr-eps", "manufacturing", "8160", "KRW", (2200000, 2600000), (18, 39), False),
)
WEIGHTS = (30, 8, 20, 15, 7, 10, 10)
TITLES = {
    "9111": "Pengurus rumah tangga",
    "5322": "Pengasuh lanjut usia",
    "8160": "Operator mesin pengolahan makanan",
}


def _ms(values: list[float]) -> str:
    return (
        f"p50 {statistics.median(values) * 1000:.1f} ms, "
        f"p95 {_percentile(values, 95) * 1000:.1f} ms"
    )


def board(values: dict):
    """The vacancy board's query: the public page's own when it exists, else the same
    query (published, not closed, filtered, newest verified first)."""
    try:
        from garda.jobs.views.public import board as page_board

        return page_board(values)
    except ImportError:
        from garda.jobs import access

        qs = access.vacancies().select_related("agency")
        if values.get("destination"):
            qs = qs.filter(destination=values["destination"])
        if values.get("sector"):
            qs = qs.filter(sector=values["sector"])
        return qs.order_by("-verified_at", "-id")


class JobsBench:
    def __init__(self, row):
        self._row = row
        self.rng = random.Random(1313)  # noqa: S311 (benchmark data)

    def run(self, n: int, *, requests: int = REQUESTS, check_runs: int = CHECK_RUNS) -> dict:
        self.stamp = f"{time.time_ns() % 10**9:09d}"
        started = time.perf_counter()
        made = self.populate(n)
        self._row(
            "job orders written (bulk)",
            f"{made['orders']:,} orders ({made['published']:,} published, "
            f"{made['expired']:,} of them past their closing date), "
            f"{AGENCIES} companies, {EMPLOYERS:,} employers",
            f"{time.perf_counter() - started:.1f} s",
        )
        self.board(requests)
        self.checks(check_runs)
        result = self.recheck(made)
        return {**made, **result}

    # -- the orders ----------------------------------------------------------------
    def setup(self) -> None:
        from datetime import date

        from django.contrib.auth.models import Group

        from garda.accounts import roles
        from garda.accounts.models import User
        from garda.jobs.models import Employer, PlacementAgency, Recruiter

        self.agencies = PlacementAgency.objects.bulk_create(
            PlacementAgency(
                name=f"PT Bench {self.stamp} {i}",
                name_key=f"bench {self.stamp} {i}",
                licence_number=f"KEP.B{self.stamp}/{i}",
                licence_issued_on=date(2024, 1, 1),
                licence_valid_until=date(2029, 1, 1),
            )
            for i in range(AGENCIES)
        )
        countries = sorted({s[0] for s in SHAPES})
        self.employers = {c: [] for c in countries}
        rows = Employer.objects.bulk_create(
            Employer(
                name=f"Employer {self.stamp} {i}",
                name_key=f"employer {self.stamp} {i}",
                country=countries[i % len(countries)],
            )
            for i in range(EMPLOYERS)
        )
        for employer in rows:
            self.employers[employer.country].append(employer)
        group = Group.objects.get(name=roles.OFFICER)
        self.officer = User.objects.create_user(
            email=f"bench-jobs-{self.stamp}@example.org", password=None, full_name="Petugas"
        )
        self.officer.groups.add(group)
        self.supervisor = User.objects.create_user(
            email=f"bench-jobs-sup-{self.stamp}@example.org", password=None, full_name="Kepala"
        )
        self.supervisor.groups.add(Group.objects.get(name=roles.SUPERVISOR))
        # One recruiter in every tenth company (they are told when an order leaves).
        recruiters = []
        for i, agency in enumerate(self.agencies[::10]):
            user = User.objects.create_user(
                email=f"bench-rec-{self.stamp}-{i}@example.org", password=None, full_name="Rekrut"
            )
            user.groups.add(Group.objects.get(name=roles.RECRUITER))
            recruiters.append(Recruiter(user=user, agency=agency))
        Recruiter.objects.bulk_create(recruiters)

    def _template(self, shape) -> tuple[dict, list]:
        """The fields of an order of `shape`, and its checks (which must all pass)."""
        from garda.jobs import checks, facts
        from garda.jobs.models import JobOrder

        dest, scheme, sector, occ, currency, (low, _high), (min_age, max_age), agency = shape
        values = {
            "destination": dest,
            "scheme": scheme,
            "sector": sector,
            "occupation_code": occ,
            "occupation_title": TITLES[occ],
            "fee_free": facts.occupation(occ).fee_free,
            "wage_currency": currency,
            "wage_period": "month",
            "hours_per_day": 8,
            "days_per_week": 6 if sector != "manufacturing" else 5,
            "rest_days_per_month": 4,
            "leave_days_per_year": 12,
            "food": "provided",
            "lodging": "provided",
            "insurance": "BPJS Ketenagakerjaan dan asuransi majikan",
            "contract_months": 24,
            "ticket_paid_by": "employer" if agency else "government",
            "min_age": min_age,
            "max_age": max_age,
            "city": {"HK": "Hong Kong", "TW": "Taipei", "MY": "Kuala Lumpur"}.get(dest, ""),
            "description": "Bench",
        }
        sample = JobOrder(
            **values,
            agency=self.agencies[0] if agency else None,
            wage_amount=Decimal(low),
            positions=10,
            positions_female=5,
            closing_date=self.today + timedelta(days=120),
        )
        found = checks.run(facts.Loader(self.today).order(sample))
        bad = [c.message for c in found if c.result != checks.PASS]
        if bad:
            raise CommandError(f"bench order shape {shape[:4]} does not pass: {bad}")
        return values, [c.as_dict() for c in found]

    def populate(self, n: int) -> dict:
        from django.db import transaction
        from django.utils import timezone

        from garda.dbutils import fast_insert, refresh_statistics
        from garda.jobs.models import JobOrder

        self.now = timezone.now()
        self.today = timezone.localdate()
        self.setup()
        templates = [self._template(shape) for shape in SHAPES]
        S = JobOrder.Status
        others = (S.DRAFT, S.SUBMITTED, S.REJECTED, S.CLOSED, S.CANCELLED)
        published = expired = 0
        rows = []
        with transaction.atomic():
            for i in range(n):
                k = self.rng.choices(range(len(SHAPES)), WEIGHTS)[0]
                shape, (values, found) = SHAPES[k], templates[k]
                roll = self.rng.random()
                if roll < 0.85:
                    status, closing = S.VERIFIED, self.today + timedelta(self.rng.randrange(120))
                    published += 1
                elif roll < 0.87:
                    status, closing = S.VERIFIED, self.today - timedelta(self.rng.randrange(1, 30))
                    published += 1
                    expired += 1
                else:
                    status = others[i % len(others)]
                    closing = self.today + timedelta(self.rng.randrange(-60, 120))
                created = self.now - timedelta(days=30 + 200 * self.rng.random())
                low, high = shape[5]
                positions = self.rng.randrange(1, 40)
                rows.append(
                    JobOrder(
                        **values,
                        reference=f"JB{self.stamp}-{i:07d}",
                        number=f"DL-{i}",
                        status=status,
                        agency=self.agencies[i % AGENCIES] if shape[7] else None,
                        employer=self.rng.choice(self.employers[shape[0]]),
                        positions=positions,
                        positions_female=positions // 2,
                        wage_amount=Decimal(self.rng.randrange(low, high + 1)),
                        closing_date=closing,
                        checks=found,
                        checked_at=created,
                        submitted_at=created if status != S.DRAFT else None,
                        verified_at=(
                            created + timedelta(days=self.rng.randrange(1, 20))
                            if status in (S.VERIFIED, S.CLOSED)
                            else None
                        ),
                        verified_by=self.officer if status in (S.VERIFIED, S.CLOSED) else None,
                        created_at=created,
                        updated_at=created,
                    )
                )
                if len(rows) == 5000:
                    fast_insert(JobOrder, rows)
                    rows = []
            fast_insert(JobOrder, rows)
        refresh_statistics(JobOrder)
        return {"orders": n, "published": published, "expired": expired}

    # -- the measurements --------------------------------------------------------------
    def board(self, requests: int) -> None:
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from garda.pagination import capped_count

        for label, values in (
            ("all", {}),
            ("HK + domestic", {"destination": "HK", "sector": "domestic"}),
            ("MY + manufacturing", {"destination": "MY", "sector": "manufacturing"}),
        ):
            page_times, capped_times, count_times = [], [], []
            for i in range(requests):
                offset = PAGE_SIZE * (i % 3)  # pages 1 to 3
                started = time.perf_counter()
                items = list(board(values)[offset : offset + PAGE_SIZE])
                page_times.append(time.perf_counter() - started)
                started = time.perf_counter()
                capped, more = capped_count(board(values))
                capped_times.append(time.perf_counter() - started)
                started = time.perf_counter()
                count = board(values).count()
                count_times.append(time.perf_counter() - started)
            if len(items) != PAGE_SIZE:
                raise CommandError(f"board {values}: {len(items)} rows on a page")
            with CaptureQueriesContext(connection) as queries:
                list(board(values)[:PAGE_SIZE])
            self._row(
                f"vacancy board ({label}): a page of {PAGE_SIZE}, rows with their company "
                "(pages 1-3)",
                f"{count:,} vacancies; {len(queries)} query",
                _ms(page_times),
            )
            self._row(
                f"vacancy board ({label}): the capped count (the pager's, up to "
                f"{capped:,}{'+' if more else ''})",
                f"{count:,} vacancies",
                _ms(capped_times),
            )
            self._row(
                f"vacancy board ({label}): the exact count",
                f"{count:,} vacancies",
                _ms(count_times),
            )
        client = Client()
        response = client.get("/jobs/")
        if response.status_code == 200:
            for label, params in (
                ("first page", {}),
                ("HK + domestic", {"destination": "HK", "sector": "domestic"}),
            ):
                timings = []
                for i in range(requests):
                    started = time.perf_counter()
                    response = client.get("/jobs/", {**params, "page": 1 + i % 3})
                    timings.append(time.perf_counter() - started)
                    if response.status_code != 200:
                        raise CommandError(f"GET /jobs/ {params}: {response.status_code}")
                self._row(
                    f"GET /jobs/ (the board page, {label}; in-process client)",
                    f"{requests} requests",
                    _ms(timings),
                )

    def checks(self, runs: int) -> None:
        from garda.jobs import checks, facts
        from garda.jobs.models import JobOrder

        ids = list(
            JobOrder.objects.filter(reference__startswith=f"JB{self.stamp}-").values_list(
                "pk", flat=True
            )[: runs * 20]
        )
        sample = self.rng.sample(ids, min(runs, len(ids)))
        cold, warm = [], []
        for pk in sample:
            order = JobOrder.objects.select_related("agency").get(pk=pk)
            started = time.perf_counter()
            checks.run(facts.Loader().order(order))
            cold.append(time.perf_counter() - started)
        loader = facts.Loader()
        for pk in sample:
            order = JobOrder.objects.select_related("agency").get(pk=pk)
            started = time.perf_counter()
            checks.run(loader.order(order))
            warm.append(time.perf_counter() - started)
        self._row(
            "checks of one order (facts.Loader().order + checks.run, a new Loader each)",
            f"{len(cold)} orders",
            _ms(cold),
        )
        self._row(
            "checks of one order with a shared Loader (as the re-check does)",
            f"{len(warm)} orders",
            f"p50 {statistics.median(warm) * 1e6:.0f} µs, p95 {_percentile(warm, 95) * 1e6:.0f} µs",
        )

    def recheck(self, made: dict) -> dict:
        from django.core import mail
        from django.db import connection
        from django.test.utils import CaptureQueriesContext, override_settings

        from garda.jobs.models import JobOrder, ProblemListing
        from garda.jobs.services.orders import orders_recheck

        # Listed straight in the table, not through listing_add: its at-once re-check
        # would unpublish their orders before the timed run.

        listed = self.rng.sample([e for es in self.employers.values() for e in es], LISTED)
        ProblemListing.objects.bulk_create(
            ProblemListing(
                employer=e,
                country=e.country,
                reason="Bench",
                source="Bench notice",
                listed_on=self.today,
                listed_by=self.supervisor,
            )
            for e in listed
        )
        failing = JobOrder.objects.filter(
            status=JobOrder.Status.VERIFIED,
            employer__in=listed,
            closing_date__gte=self.today,
        ).count()
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            CaptureQueriesContext(connection) as queries,
        ):
            started = time.perf_counter()
            result = orders_recheck(today=self.today)
            elapsed = time.perf_counter() - started
            sent = len(getattr(mail, "outbox", []))
        if result["unpublished"] != failing or result["closed"] != made["expired"]:
            raise CommandError(
                f"re-check: expected {failing} unpublished and {made['expired']} closed, "
                f"got {result}"
            )
        checked = result["checked"] + result["closed"]
        self._row(
            "nightly re-check of every published order (orders_recheck)",
            f"{result['checked']:,} checked, {result['unpublished']:,} unpublished, "
            f"{result['closed']:,} closed; {len(queries):,} queries, {sent} e-mails",
            f"{elapsed:.1f} s = {checked / elapsed:,.0f} orders/s",
        )
        started = time.perf_counter()
        again = orders_recheck(today=self.today)
        elapsed = time.perf_counter() - started
        self._row(
            "nightly re-check again, nothing new",
            f"{again['checked']:,} checked, {again['unpublished']} unpublished",
            f"{elapsed:.1f} s = {again['checked'] / elapsed:,.0f} orders/s",
        )
        return {"recheck": result, "again": again}
