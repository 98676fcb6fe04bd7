"""The figures rows of `python -m bench --figures N`: a registry of `n` persons with a
tenth trained (the training bench's population) and a caseload (the cases bench's,
`--figures-cases`, default 100,000), then the snapshot job (`garda/reports/snapshots.py`
`snapshot_all`: every figure set for "all", this year, last year and this month) and
every dashboard as a supervisor sees it (the page and the API), one event's live
funnel, and the public statistics of last year (the page and `GET
/api/v1/stats/public`; a year is published once it has ended).

The persons are spread over the six regencies of DKI Jakarta and "outside Jakarta"
(a tenth, `domicile_jakarta` false), over the 24 months before today (`created_at`),
70% women; the training bench places a quarter of those who completed a course
(registry status placed, departed or abroad). Outreach: one event per 1,000 persons
(1,000 at a million) over the same 24 months, closed, in ten campaigns, with one
registration per 20 persons (50,000 at a million), each linked to a distinct person,
four in five checked in. Each page is timed 20 times (p50/p95 of
wall time in this process, the Django test client through the whole middleware stack,
the snapshot already computed: the page reads it and nothing else).
"""

import random
import time
from datetime import timedelta

from bench.matching import _load, _ms

REGENCIES = ("31.71", "31.72", "31.73", "31.74", "31.75", "31.01")
RUNS = 20


class FiguresBench:
    def __init__(self, row):
        self._row = row
        self.rng = random.Random(1717)  # noqa: S311 (benchmark data)

    def run(self, n: int, cases: int = 100_000) -> None:
        started = time.perf_counter()
        made = self.populate(n, cases)
        self._row(
            "figures population written (bulk)",
            f"{made['persons']:,} persons ({made['enrolments']:,} enrolments, "
            f"{made['placed']:,} placed), {made['cases']:,} cases, {made['events']:,} "
            f"outreach events ({made['registrations']:,} registrations, "
            f"{made['checked_in']:,} checked in)",
            f"{time.perf_counter() - started:.1f} s",
        )
        self.snapshot(made)
        self.pages(made)

    # -- the population ----------------------------------------------------------------
    def populate(self, n: int, cases: int) -> dict:
        from django.db import transaction
        from django.db.models import Case, Value, When
        from django.db.models.functions import Mod
        from django.db.models.lookups import Exact
        from django.utils import timezone

        from bench.cases import CasesBench
        from bench.readiness import ReadinessBench
        from bench.training import TrainingBench
        from garda.dbutils import refresh_statistics
        from garda.people.models import Person
        from garda.training.models import Batch, Certificate, Enrolment

        training = TrainingBench(self._row)
        training.today = timezone.localdate()
        training.stamp = f"{time.time_ns() % 10**9:09d}"
        training.setup()
        with transaction.atomic():
            people = ReadinessBench(self._row)
            people.today = training.today
            ids = people._persons(n)
            trained = training.rng.sample(ids, len(ids) // 10)
            batches = training._batches(len(trained))
            statuses = training._enrolments(trained, batches)
            training._certificates(batches)
            placed = training._placed(statuses)
            # Where they live and when they registered: by id, in a few UPDATEs.
            lo, hi = ids[0], ids[-1] + 1
            mine = Person.objects.filter(pk__gte=lo, pk__lt=hi)
            mine.update(
                regency_code=Case(
                    *[
                        When(Exact(Mod("id", 10), i), then=Value(code))
                        for i, code in enumerate(REGENCIES)
                    ],
                    default=Value("31.75"),
                ),
                domicile_jakarta=Case(
                    When(Exact(Mod("id", 10), 9), then=Value(False)), default=Value(True)
                ),
            )
            Person.objects.filter(pk__gte=lo, pk__lt=hi, domicile_jakarta=False).update(
                regency_code="32.75"
            )
            now = timezone.now()
            step = max(1, (hi - lo) // 24)
            for month in range(24):
                Person.objects.filter(
                    pk__gte=lo + month * step, pk__lt=lo + (month + 1) * step
                ).update(created_at=now - timedelta(days=30 * (23 - month) + 1))
            outreach = self._outreach(ids, training)
        from garda.outreach.models import Event, Registration

        refresh_statistics(Person, Batch, Enrolment, Certificate, Event, Registration)
        caseload = CasesBench(self._row)
        caseload.stamp = f"{time.time_ns() % 10**9:09d}"
        made = caseload.populate(cases) if cases else {"cases": 0}
        self.supervisor = caseload.supervisors[0] if cases else training.officer
        self.cases_bench = caseload
        return {
            "persons": len(ids),
            "enrolments": len(trained),
            "placed": placed,
            "cases": made["cases"],
            **outreach,
        }

    def _outreach(self, ids: list[int], training) -> dict:
        """Closed events over the 24 months, registrations of distinct persons (bulk)."""
        from django.utils import timezone

        from garda.outreach.models import Campaign, Event, Registration
        from garda.places.models import Region

        n_events = max(2, len(ids) // 1000)
        n_regs = min(len(ids), max(n_events, len(ids) // 20))
        region = Region.objects.get(code="31.75")
        stamp = training.stamp
        campaigns = Campaign.objects.bulk_create(
            Campaign(name=f"Bench {stamp} kampanye {i}") for i in range(10)
        )
        now = timezone.now()
        events = Event.objects.bulk_create(
            (
                Event(
                    reference=f"B{stamp}-{i:06d}",  # 17 characters (max 20)
                    kind=Event.Kind.SOCIALISATION,
                    title=f"Sosialisasi {i}",
                    campaign=campaigns[i % len(campaigns)],
                    region=region,
                    regency_code="31.75",
                    venue="Balai warga",
                    starts_at=(start := now - timedelta(days=self.rng.randint(1, 720))),
                    ends_at=start + timedelta(hours=3),
                    audience=Event.Audience.PUBLIC,
                    status=Event.Status.CLOSED,
                    agency=training.officer.agency,
                    created_by=training.officer,
                )
                for i in range(n_events)
            ),
            batch_size=2000,
        )
        persons = self.rng.sample(ids, n_regs)
        checked_in = 0
        rows = []
        for j, person_id in enumerate(persons):
            event = events[j % n_events]
            attended = j % 5 != 0
            checked_in += attended
            rows.append(
                Registration(
                    event=event,
                    person_id=person_id,
                    full_name="Peserta",
                    channel=Registration.Channel.ONLINE,
                    code=f"{stamp[-4:]}{j:08d}",
                    token=f"{stamp}-{j}",
                    registered_at=event.starts_at - timedelta(days=2),
                    checked_in_at=event.starts_at + timedelta(minutes=30) if attended else None,
                    checked_in_by=training.officer if attended else None,
                )
            )
        Registration.objects.bulk_create(rows, batch_size=5000)
        self.event = events[0]
        return {"events": n_events, "registrations": n_regs, "checked_in": checked_in}

    # -- the measurements --------------------------------------------------------------
    def snapshot(self, made: dict) -> None:
        from garda.reports.models import Snapshot
        from garda.reports.snapshots import snapshot_all

        started = time.perf_counter()
        rows = snapshot_all()
        total = time.perf_counter() - started
        self._row(
            "snapshot job, every figure set (target: under 5 minutes)",
            f"{len(rows)} snapshots over {made['persons']:,} persons and {made['cases']:,} "
            f"cases; {_load()}",
            f"{total:.1f} s",
        )
        per_name: dict[str, float] = {}
        for row in Snapshot.objects.all():
            per_name[row.name] = per_name.get(row.name, 0) + row.seconds
        for name, seconds in sorted(per_name.items(), key=lambda kv: -kv[1]):
            self._row(f"… of which `{name}` (all its periods)", "", f"{seconds:.1f} s")

    def pages(self, made: dict) -> None:
        from django.test import Client
        from django.utils import timezone

        from garda.reports.models import Snapshot

        client = self.cases_bench._client(self.supervisor)
        year = str(timezone.localdate().year)
        last_year = str(timezone.localdate().year - 1)
        names = sorted(set(Snapshot.objects.exclude(name="public").values_list("name", flat=True)))
        for name in names:
            for label, url in (
                ("page", f"/figures/{name}/?period={year}"),
                ("page, one city", f"/figures/{name}/?period={year}&city=31.75"),
                ("API", f"/api/v1/figures/{name}?period={year}"),
            ):
                self._row(
                    f"dashboard `{name}`, {label} (target: under 300 ms)",
                    f"supervisor; {RUNS} requests; {_load()}",
                    _ms(_timed(client, url)),
                )
        # One event's funnel stays live (bounded by its check-ins).
        self._row(
            "outreach: one event's live funnel page (target: under 300 ms)",
            f"supervisor; {RUNS} requests; the event has "
            f"{made['registrations'] // made['events']:,} registrations; {_load()}",
            _ms(_timed(client, f"/outreach/events/{self.event.pk}/funnel/")),
        )
        public = Client()
        for label, url in (
            ("public statistics page", f"/figures/public/?period={last_year}"),
            ("public statistics API", f"/api/v1/stats/public?period={last_year}"),
        ):
            self._row(
                f"{label} (target: under 300 ms)",
                f"anonymous; {RUNS} requests",
                _ms(_timed(public, url)),
            )


def _timed(client, url: str) -> list[float]:
    """RUNS answers of `url`, each timed (a refusal stops the bench)."""
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code}")
    return timings
