"""The training rows of `python -m bench` (issue 5): a population of `n` persons with a
realistic share trained, then enrolment throughput through the service and the
outcome report (training/outcomes.py) grouped by course, provider and batch.

The population (bulk inserts, as the readiness bench writes its own; the persons are
written by the same helper, ReadinessBench._persons): one in ten persons enrolled
once, in batches of 20 over the two years before today, at ten providers, across the
seeded courses. Of those enrolments: 75% completed, 8% still enrolled (batches not
closed yet), 10% no-show, 7% withdrawn; 70% of the completed hold a valid
certificate (2% of certificates revoked); a quarter of the completed were later
placed abroad (registry status placed, departed or abroad)."""

import random
import statistics
import time
from datetime import timedelta

from django.core.management.base import CommandError

from bench.cli import _percentile

BATCH_SIZE = 20  # enrolments per batch in the population
PROVIDERS = 10
# Enrolment outcomes and their share, among the population's enrolments.
_OUTCOMES = (("completed", 0.75), ("enrolled", 0.08), ("no_show", 0.10), ("withdrawn", 0.07))
_WENT_ABROAD = ("placed", "departed", "abroad")


class TrainingBench:
    def __init__(self, row):
        self._row = row
        self.rng = random.Random(2027)  # noqa: S311 (benchmark data)

    def run(self, n: int, *, enrolments: int | None = None) -> None:
        """Build the population of `n` persons, then time `enrolments` enrolments
        (default: n/50, between 20 and 5,000) and the outcome report."""
        from django.utils import timezone

        self.today = timezone.localdate()
        self.stamp = f"{time.time_ns() % 10**9:09d}"
        started = time.perf_counter()
        population = self.populate(n)
        self._row(
            "training population written (bulk)",
            f"{population['persons']:,} persons, {population['enrolments']:,} enrolments in "
            f"{population['batches']:,} batches, {population['certificates']:,} certificates, "
            f"{population['placed']:,} placed",
            f"{time.perf_counter() - started:.1f} s",
        )
        free = population["free"]
        wanted = enrolments if enrolments is not None else min(5000, max(20, n // 50))
        self.throughput(free, min(wanted, len(free)))
        self.report()

    # -- the population ----------------------------------------------------------------
    def setup(self) -> None:
        """Providers (with their agencies), an officer who enrols, the courses."""
        from django.contrib.auth.models import Group

        from garda.accounts.models import Agency, User
        from garda.places.models import Region
        from garda.training.models import Course, Provider

        region = Region.objects.filter(code="31.75").first() or Region.objects.create(
            code="31.75",
            name="Jakarta Timur",
            level="regency",
            first_edition=2016,
            last_edition=2025,
        )
        self.providers = []
        for i in range(PROVIDERS):
            agency = Agency.objects.create(
                name=f"LPK Bench {self.stamp}-{i}",
                short_name=f"LB{self.stamp}{i}",
                kind=Agency.Kind.TRAINING,
                region=region,
            )
            self.providers.append(
                Provider.objects.create(
                    agency=agency, kind="ppkd" if i < 5 else "lpk", region=region, accreditation="A"
                )
            )
        desk = Agency.objects.create(
            name=f"Bench desk {self.stamp}", short_name=f"BD{self.stamp}", kind="manpower"
        )
        self.officer = User.objects.create_user(
            email=f"bench-training-{self.stamp}@example.org", password=None, agency=desk
        )
        self.officer.groups.add(Group.objects.get(name="officer"))
        self.courses = list(
            Course.objects.filter(is_active=True, prerequisite_courses__isnull=True).order_by("pk")
        )
        if not self.courses:
            raise CommandError("No courses: the training seed migration did not run")

    def populate(self, n: int) -> dict:
        from django.db import transaction

        from bench.readiness import ReadinessBench
        from garda.dbutils import refresh_statistics
        from garda.people.models import Person
        from garda.training.models import Batch, Certificate, Enrolment

        self.setup()
        with transaction.atomic():
            people = ReadinessBench(self._row)
            people.today = self.today
            ids = people._persons(n)
            trained = self.rng.sample(ids, len(ids) // 10)
            batches = self._batches(len(trained))
            statuses = self._enrolments(trained, batches)
            certificates = self._certificates(batches)
            placed = self._placed(statuses)
        refresh_statistics(Person, Batch, Enrolment, Certificate)
        taken = set(trained)
        return {
            "persons": len(ids),
            "batches": len(batches),
            "enrolments": len(trained),
            "certificates": certificates,
            "placed": placed,
            "free": [pk for pk in ids if pk not in taken],
        }

    def _batches(self, enrolments: int) -> list:
        """Past batches (closed) and a few running ones, BATCH_SIZE seats each."""
        from django.utils import timezone

        from garda.dbutils import fast_insert
        from garda.training.models import Batch

        count = max(1, -(-enrolments // BATCH_SIZE))
        now = timezone.now()
        rows = []
        for i in range(count):
            starts = self.today - timedelta(days=self.rng.randrange(10, 730))
            ends = starts + timedelta(days=self.rng.choice((20, 27, 41, 55)))
            rows.append(
                Batch(
                    code=f"BT{self.stamp}-{i:06d}",
                    course=self.rng.choice(self.courses),
                    provider=self.rng.choice(self.providers),
                    starts_on=starts,
                    ends_on=ends,
                    place="Bench",
                    capacity=BATCH_SIZE,
                    enrolled_count=0,
                    closed_at=now if ends < self.today else None,
                    created_at=now,
                    updated_at=now,
                )
            )
        for start in range(0, len(rows), 5000):
            fast_insert(Batch, rows[start : start + 5000])
        return list(
            Batch.objects.filter(code__startswith=f"BT{self.stamp}-")
            .order_by("id")
            .values_list("id", "course_id", "provider_id", "ends_on", "closed_at", named=True)
        )

    def _enrolments(self, persons: list[int], batches: list) -> dict[int, str]:
        """One enrolment per trained person; returns person id -> status."""
        from django.db.models import Count, F, Q
        from django.utils import timezone

        from garda.dbutils import fast_insert
        from garda.training.models import Batch, Enrolment

        now = timezone.now()
        names, weights = zip(*_OUTCOMES, strict=True)
        statuses: dict[int, str] = {}
        rows = []
        for i, pk in enumerate(persons):
            batch = batches[i // BATCH_SIZE]
            status = self.rng.choices(names, weights)[0]
            if batch.closed_at is None and status == "completed":
                status = "enrolled"  # a running batch has no completions yet
            elif batch.closed_at is not None and status == "enrolled":
                status = "completed"
            statuses[pk] = status
            rows.append(
                Enrolment(
                    batch_id=batch.id,
                    person_id=pk,
                    status=status,
                    queued_at=now,
                    reason="Bench" if status in ("no_show", "withdrawn") else "",
                    created_at=now,
                    status_changed_at=now,
                    completed_on=batch.ends_on if status == "completed" else None,
                )
            )
            if len(rows) == 10_000:
                fast_insert(Enrolment, rows)
                rows = []
        fast_insert(Enrolment, rows)
        # The seat count the services keep: enrolled, completed and no-show held one.
        Batch.objects.filter(code__startswith=f"BT{self.stamp}-").update(
            enrolled_count=F("capacity")
        )
        seats = (
            Enrolment.objects.filter(batch__code__startswith=f"BT{self.stamp}-")
            .values("batch_id")
            .annotate(n=Count("id", filter=~Q(status="withdrawn")))
            .order_by()
        )
        by_count: dict[int, list[int]] = {}
        for row in seats:
            by_count.setdefault(row["n"], []).append(row["batch_id"])
        for count, ids in by_count.items():
            for start in range(0, len(ids), 5000):
                Batch.objects.filter(pk__in=ids[start : start + 5000]).update(enrolled_count=count)
        return statuses

    def _certificates(self, batches: list) -> int:
        """70% of the completed enrolments certified; 2% of those revoked."""
        from django.utils import timezone

        from garda.dbutils import fast_insert
        from garda.training.models import Certificate, Course, Enrolment, Provider

        titles = dict(Course.objects.values_list("id", "title"))
        issuers = {p.pk: p.name for p in Provider.objects.select_related("agency")}
        completed = (
            Enrolment.objects.filter(batch__code__startswith=f"BT{self.stamp}-", status="completed")
            .values_list(
                "id", "person_id", "batch__course_id", "batch__provider_id", "completed_on"
            )
            .order_by("id")
        )
        now = timezone.now()
        rows, total = [], 0
        for enrolment_id, person_id, course_id, provider_id, completed_on in completed.iterator(
            chunk_size=10_000
        ):
            if self.rng.random() >= 0.70:
                continue
            revoked = self.rng.random() < 0.02
            total += 1
            rows.append(
                Certificate(
                    number=f"GRD/BENCH{self.stamp}/{total:07d}",
                    person_id=person_id,
                    source="course",
                    enrolment_id=enrolment_id,
                    course_id=course_id,
                    provider_id=provider_id,
                    title=titles[course_id],
                    issuer_name=issuers[provider_id],
                    issued_on=completed_on,
                    status="revoked" if revoked else "valid",
                    revoked_reason="Bench" if revoked else "",
                    revoked_at=now if revoked else None,
                    created_at=now,
                )
            )
            if len(rows) == 10_000:
                fast_insert(Certificate, rows)
                rows = []
        fast_insert(Certificate, rows)
        return total

    def _placed(self, statuses: dict[int, str]) -> int:
        """A quarter of the completed went abroad afterwards (registry status)."""
        from garda.people.models import Person

        placed: dict[str, list[int]] = {s: [] for s in _WENT_ABROAD}
        for pk, status in statuses.items():
            if status == "completed" and self.rng.random() < 0.25:
                placed[self.rng.choice(_WENT_ABROAD)].append(pk)
        for status, ids in placed.items():
            for start in range(0, len(ids), 5000):
                Person.objects.filter(pk__in=ids[start : start + 5000]).update(status=status)
        return sum(len(ids) for ids in placed.values())

    # -- the measurements --------------------------------------------------------------
    def throughput(self, free: list[int], count: int) -> None:
        """`count` enrolments through enrolment_create, one transaction each, into new
        batches of 20 seats with 25 candidates each (a fifth waitlisted)."""
        from django.core.exceptions import ValidationError

        from garda.people.models import Person
        from garda.training.models import Batch, Course

        if count <= 0:
            return
        course = Course.objects.filter(code="welding-smaw").first() or self.courses[0]
        persons = self._eligible(free, course, count)
        starts = self.today + timedelta(days=30)
        batches = []
        for i in range(-(-len(persons) // 25)):
            batches.append(
                Batch.objects.create(
                    code=f"BE{self.stamp}-{i:05d}",
                    course=course,
                    provider=self.providers[i % len(self.providers)],
                    starts_on=starts,
                    ends_on=starts + timedelta(days=27),
                    place="Bench",
                    capacity=20,
                )
            )
        from garda.training.services.enrolment import enrolment_create

        timings, statuses, refused = [], {"enrolled": 0, "waitlisted": 0}, 0
        started_all = time.perf_counter()
        for i, person in enumerate(Person.objects.filter(pk__in=persons).order_by("pk")):
            batch = batches[i // 25]
            started = time.perf_counter()
            try:
                enrolment = enrolment_create(actor=self.officer, batch=batch, person=person)
            except ValidationError:
                refused += 1
                continue
            timings.append(time.perf_counter() - started)
            statuses[enrolment.status] += 1
        elapsed = time.perf_counter() - started_all
        if not timings:
            raise CommandError(f"no enrolment succeeded ({refused} refused)")
        self._row(
            "enrolment (enrolment_create, own transaction, eligibility + seat lock + audit)",
            f"{len(timings):,} enrolments in {len(batches):,} batches "
            f"({statuses['enrolled']:,} seated, {statuses['waitlisted']:,} waitlisted, "
            f"{refused} refused)",
            f"{len(timings) / elapsed:,.0f} enrolments/s; "
            f"p50 {statistics.median(timings) * 1000:.2f} ms, "
            f"p95 {_percentile(timings, 95) * 1000:.2f} ms",
        )

    def _eligible(self, free: list[int], course, count: int) -> list[int]:
        """`count` persons of `free` whose education meets the course's minimum."""
        from garda.destinations.rules import EDUCATION_RANK
        from garda.people.models import Person

        need = EDUCATION_RANK.get(course.min_education, 0) if course.min_education else 0
        levels = [code for code, rank in EDUCATION_RANK.items() if rank >= need]
        sample = self.rng.sample(free, min(len(free), count * 2))
        out: list[int] = []
        for start in range(0, len(sample), 5000):
            out += Person.objects.filter(
                pk__in=sample[start : start + 5000], education_level__in=levels
            ).values_list("pk", flat=True)
        return sorted(out)[:count]

    def report(self) -> None:
        from garda.training.models import Enrolment
        from garda.training.outcomes import outcomes

        total = Enrolment.objects.count()
        last_year = self.today - timedelta(days=365)
        cases = [
            ("course", {}),
            ("provider", {}),
            ("batch", {}),
            ("batch", {"date_from": last_year}),
        ]
        for by, filters in cases:
            timings, rows = [], []
            for _ in range(15):
                started = time.perf_counter()
                rows = outcomes(by=by, **filters)
                timings.append(time.perf_counter() - started)
            label = f"outcomes(by={by!r}{', last 12 months' if filters else ''})"
            self._row(
                label,
                f"{len(rows):,} rows over {total:,} enrolments",
                f"p50 {statistics.median(timings) * 1000:.1f} ms, "
                f"p95 {_percentile(timings, 95) * 1000:.1f} ms",
            )
