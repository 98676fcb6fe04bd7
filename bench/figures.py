"""The staff dashboards' rows of `python -m bench --figures N` (garda/reports): N
persons written straight to the table (bulk, not the services), N/10 cases with their
clocks and kinds (bench/cases.py's caseload), then the snapshot job for every default
period (all, this year, last year, this month) timed per dashboard, and each
dashboard page (supervisor, in-process client) timed as it renders from its snapshot.

The data (the bench's choice, not measured from the field): persons spread over
twelve months of registration and twelve kab/kota codes, one in ten a resident of
DKI Jakarta (the regional office processes many more than it houses), statuses
mostly registered.
"""

import random
import time
from datetime import date, timedelta

from django.core.management.base import CommandError

from bench.cases import CasesBench, _ms

RUNS = 20
CITIES = ("31.71", "31.72", "31.73", "31.74", "31.75", "32.01", "32.16", "32.75", "36.03")
CITIES += ("36.71", "36.74", "32.76")
STATUSES = (("registered", 70), ("in_preparation", 12), ("ready", 6), ("placed", 4))
STATUSES += (("departed", 3), ("abroad", 3), ("returned", 2))


class FiguresBench:
    def __init__(self, row):
        self._row = row
        self.rng = random.Random(2026)  # noqa: S311 (benchmark data)

    def run(self, n: int) -> None:
        started = time.perf_counter()
        self.persons(n)
        self._row(
            "persons written (bulk) for the figures",
            f"{n:,} persons",
            f"{time.perf_counter() - started:.1f} s",
        )
        cases = CasesBench(self._row)
        cases.stamp = f"{time.time_ns() % 10**9:09d}"
        cases.populate(max(n // 10, 1))
        self.supervisor = cases.supervisors[0]
        self.client = cases._client(self.supervisor)
        self.job()
        self.pages()

    def persons(self, n: int) -> None:
        from django.db import transaction

        from garda.dbutils import fast_insert, refresh_statistics
        from garda.people.models import Person

        run = f"F{time.time_ns() % 10**8:08d}"
        statuses, weights = zip(*STATUSES, strict=True)
        with transaction.atomic():
            for start in range(0, n, 5000):
                batch = []
                for i in range(start, min(n, start + 5000)):
                    born = date(1970, 1, 1) + timedelta(days=self.rng.randrange(12000))
                    batch.append(
                        Person(
                            reference=f"{run}{i:08d}",
                            nik=f"3171{born:%d%m%y}{i % 10000:04d}00",
                            nik_index=f"{run}{i}",
                            full_name=f"Pekerja {i}",
                            sex="F" if self.rng.random() < 0.7 else "M",
                            birth_date=born,
                            regency_code=self.rng.choice(CITIES),
                            domicile_jakarta=self.rng.random() < 0.1,
                            status=self.rng.choices(statuses, weights)[0],
                        )
                    )
                fast_insert(Person, batch)
            # Spread the registrations over the last twelve months (by id range).
            from django.utils import timezone

            ids = Person.objects.filter(reference__startswith=run).order_by("id")
            first = ids.values_list("id", flat=True).first() or 0
            now = timezone.now()
            step = max(n // 12, 1)
            for month in range(12):
                Person.objects.filter(
                    reference__startswith=run,
                    id__gte=first + month * step,
                    id__lt=first + (month + 1) * step if month < 11 else first + n + 1,
                ).update(created_at=now - timedelta(days=30 * (11 - month) + 1))
        refresh_statistics(Person)

    def job(self) -> None:
        from garda.reports.snapshots import COMPUTERS, _load_computers, snapshot_all

        _load_computers()
        started = time.perf_counter()
        written = snapshot_all()
        total = time.perf_counter() - started
        for name in COMPUTERS:
            seconds = sum(s.seconds for s in written if s.name == name)
            periods = sum(1 for s in written if s.name == name)
            self._row(f"snapshot job: {name}", f"{periods} periods", f"{seconds:.2f} s")
        self._row(
            "snapshot job, every dashboard and period (target < 5 min)",
            f"{len(written)} snapshots",
            f"{total:.1f} s",
        )

    def pages(self) -> None:
        from garda.reports.figures import DASHBOARDS

        for name in DASHBOARDS:
            url = f"/figures/{name}/"
            timings = []
            for i in range(RUNS):
                started = time.perf_counter()
                response = self.client.get(url, {"city": "31.71"} if i % 2 else {})
                timings.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise CommandError(f"{url}: {response.status_code}")
            self._row(
                f"GET {url} (supervisor, target < 300 ms)",
                f"{RUNS} requests, half filtered by city",
                _ms(timings),
            )
