"""The matching rows of `python -m bench --matching N`: `n` persons and 10,000 open job
orders written straight to the tables, then the ranked candidates of one order and
the ranked open orders of one person (garda/jobs/services/matching.py).

The population (the shares are the bench's choice, not measured from the field): a
fifth of the persons have a placement plan, spread over ten targets (destination,
scheme, sector) weighted like the orders; half of those are ready for it (a
readiness row that says ready, registry status `ready`), the other half are not yet
(status `in preparation`). The persons with a plan have one or two skills (ISCO-08
codes near their target's occupation), and some a language level (half), a valid
certificate (a third), work experience abroad (a fifth) and stated preferences (a
third). The others are registered only, as most of the registry is. 70% women, born
between 1975 and 2007. The 10,000 orders are all published and open; the domestic
ones are for women only; one in five asks for a language level, one in ten for a
course certificate.

Timed: `candidates(order)` (the whole ranking and the first page with its reasons)
for 20 orders, `near_misses(order)` for 10, and `matches_for(person)` (all open
orders ranked, the first page with reasons, gaps and courses) for 50 persons with a
plan. Each is p50/p95 of wall time in this process, with the machine's load average
beside it (the machine may be shared).
"""

import os
import random
import statistics
import time
from datetime import date, timedelta

from bench.cli import _percentile

ORDERS = 10_000
ORDER_RUNS = 20
NEAR_RUNS = 10
PERSON_RUNS = 50
CHUNK = 5000

# (destination, scheme, sector, occupation, weight)
TARGETS = (
    ("HK", "p2p", "domestic", "9111", 25),
    ("HK", "p2p", "care", "5322", 8),
    ("TW", "p2p", "care", "5322", 15),
    ("TW", "p2p", "manufacturing", "8160", 8),
    ("MY", "p2p", "manufacturing", "8160", 10),
    ("MY", "p2p", "domestic", "9111", 7),
    ("SG", "p2p", "domestic", "9111", 8),
    ("KR", "g2g-kr-eps", "manufacturing", "8160", 10),
    ("JP", "ssw", "care", "5322", 5),
    ("SA", "p2p", "domestic", "9111", 4),
)
NEAR_CODES = {
    "9111": ("9111", "9112", "9121"),
    "5322": ("5322", "5321", "3221"),
    "8160": ("8160", "8189", "8141"),
}
LANGUAGES = {
    "HK": ("en", "cefr", ("A2", "B1", "B2")),
    "SG": ("en", "cefr", ("A2", "B1", "B2")),
    "TW": ("zh", "self", ("basic", "fluent")),
    "MY": ("ms", "self", ("basic", "fluent")),
    "KR": ("ko", "topik", ("1", "2", "3")),
    "JP": ("ja", "jlpt", ("N5", "N4", "N3")),
    "SA": ("ar", "self", ("basic", "fluent")),
}


def _ms(values: list[float]) -> str:
    return (
        f"p50 {statistics.median(values) * 1000:.1f} ms, "
        f"p95 {_percentile(values, 95) * 1000:.1f} ms"
    )


def _load() -> str:
    try:
        one, five, _ = os.getloadavg()
    except OSError:  # pragma: no cover
        return "load n/a"
    return f"load {one:.2f}/{five:.2f}"


class MatchingBench:
    def __init__(self, row):
        self._row = row
        self.rng = random.Random(1515)  # noqa: S311 (benchmark data)

    def run(self, n: int) -> dict:
        from garda.dbutils import refresh_statistics
        from garda.destinations.models import Readiness
        from garda.jobs.models import JobOrder
        from garda.people.models import Person

        self.stamp = f"{time.time_ns() % 10**9:09d}"
        started = time.perf_counter()
        self._countries()
        courses = self._courses()
        planned = self._persons(n)
        self._facts(planned, courses)
        written = time.perf_counter() - started
        started = time.perf_counter()
        orders = self._orders(courses)
        refresh_statistics(Person, Readiness, JobOrder)
        self._row(
            "matching population written (bulk)",
            f"{n:,} persons ({len(planned):,} with a plan over {len(TARGETS)} targets, "
            f"half of them ready), {len(orders):,} open orders",
            f"{written:.1f} s + {time.perf_counter() - started:.1f} s",
        )
        self.candidates(orders)
        self.near(orders)
        self.matches([pk for pk, _t in planned])
        return {"persons": n, "planned": len(planned), "orders": len(orders)}

    # -- the data ----------------------------------------------------------------------
    def _countries(self) -> None:
        from garda.places.models import Country

        for code, name in (
            ("HK", "Hong Kong"),
            ("TW", "Taiwan"),
            ("MY", "Malaysia"),
            ("SG", "Singapura"),
            ("KR", "Korea Selatan"),
            ("JP", "Jepang"),
            ("SA", "Arab Saudi"),
        ):
            Country.objects.get_or_create(
                code=code,
                defaults={"alpha3": code + "B", "numeric": "999", "name_id": name, "name_en": name},
            )

    def _courses(self) -> list[int]:
        from garda.training.models import Course

        made = []
        for i, (sector, jobs) in enumerate(
            (
                ("caregiving", ["care"]),
                ("hospitality", ["domestic"]),
                ("manufacturing", ["manufacturing"]),
                ("language", []),
                ("caregiving", []),
                ("hospitality", ["domestic", "care"]),
            )
        ):
            made.append(
                Course.objects.create(
                    code=f"bench-m-{self.stamp}-{i}",
                    title=f"Kursus bench {i}",
                    sector=sector,
                    hours=100,
                    job_sectors=jobs,
                ).pk
            )
        return made

    def _persons(self, n: int) -> list[tuple[int, int]]:
        """n persons; returns (id, target index) of those with a plan."""
        from garda.dbutils import fast_insert
        from garda.destinations.models import Readiness
        from garda.people.models import Person

        run = f"MB{self.stamp[-6:]}-"
        weights = [t[4] for t in TARGETS]
        plan_of: dict[str, tuple[int, bool]] = {}
        for start in range(0, n, CHUNK):
            batch = []
            for i in range(start, min(n, start + CHUNK)):
                born = date(1975, 1, 1) + timedelta(days=self.rng.randrange(32 * 365))
                status = "registered"
                if self.rng.random() < 0.20:
                    target = self.rng.choices(range(len(TARGETS)), weights)[0]
                    ready = self.rng.random() < 0.5
                    plan_of[f"{run}{i:07d}"] = (target, ready)
                    status = "ready" if ready else "in_preparation"
                batch.append(
                    Person(
                        reference=f"{run}{i:07d}",
                        nik=f"3171{born:%d%m%y}{i % 10000:04d}00",
                        nik_index=f"{run}{i}",
                        full_name=f"Pekerja {i}",
                        sex="F" if self.rng.random() < 0.7 else "M",
                        birth_date=born,
                        status=status,
                    )
                )
            fast_insert(Person, batch)
        planned = []
        rows = []
        for pk, reference in (
            Person.objects.filter(reference__startswith=run)
            .order_by("id")
            .values_list("id", "reference")
            .iterator(chunk_size=CHUNK)
        ):
            plan = plan_of.get(reference)
            if plan is None:
                continue
            target, ready = plan
            planned.append((pk, target))
            d, s, sec, _o, _w = TARGETS[target]
            rows.append(
                Readiness(
                    person_id=pk,
                    target_key=f"{d}:{s}:{sec}",
                    ready=ready,
                    percent=100 if ready else self.rng.randrange(30, 95),
                    result={"requirements": [], "next_steps": []},
                )
            )
            if len(rows) >= CHUNK:
                fast_insert(Readiness, rows)
                rows = []
        fast_insert(Readiness, rows)
        return planned

    def _facts(self, planned: list[tuple[int, int]], courses: list[int]) -> None:
        from garda.dbutils import fast_insert
        from garda.jobs.models import WorkerPreference
        from garda.people.models import LanguageSkill, Skill, WorkExperience
        from garda.training.models import Certificate

        today = date.today()  # noqa: DTZ011 (benchmark data)
        skills, languages, certificates, experience, preferences = [], [], [], [], []

        def flush(force=False):
            for model, rows in (
                (Skill, skills),
                (LanguageSkill, languages),
                (Certificate, certificates),
                (WorkExperience, experience),
                (WorkerPreference, preferences),
            ):
                if rows and (force or len(rows) >= CHUNK):
                    fast_insert(model, rows)
                    rows.clear()

        for n, (pk, target) in enumerate(planned):
            d, _s, sector, occupation, _w = TARGETS[target]
            for code in self.rng.sample(NEAR_CODES[occupation], self.rng.choice((1, 2))):
                skills.append(Skill(person_id=pk, occupation_code=code, title=code))
            if self.rng.random() < 0.5:
                language, scale, levels = LANGUAGES[d]
                languages.append(
                    LanguageSkill(
                        person_id=pk, language=language, scale=scale, level=self.rng.choice(levels)
                    )
                )
            if self.rng.random() < 0.33:
                certificates.append(
                    Certificate(
                        number=f"BM-{self.stamp}-{n}",
                        person_id=pk,
                        source="external",
                        course_id=self.rng.choice(courses),
                        title="Sertifikat",
                        issuer_name="LSP",
                        issued_on=today - timedelta(days=200),
                    )
                )
            if self.rng.random() < 0.2:
                start = date(2012, 1, 1) + timedelta(days=self.rng.randrange(10 * 365))
                experience.append(
                    WorkExperience(
                        person_id=pk,
                        employer="Majikan",
                        country_id=d,
                        occupation_code=occupation,
                        started_on=start,
                        ended_on=start + timedelta(days=self.rng.randrange(300, 1500)),
                    )
                )
            if self.rng.random() < 0.33:
                preferences.append(
                    WorkerPreference(person_id=pk, destinations=[d], sectors=[sector])
                )
            flush()
        flush(force=True)

    def _orders(self, courses: list[int]) -> list[int]:
        from garda.dbutils import fast_insert
        from garda.jobs.models import JobOrder

        today = date.today()  # noqa: DTZ011 (benchmark data)
        weights = [t[4] for t in TARGETS]
        run = f"MO{self.stamp[-6:]}"
        rows = []
        for i in range(ORDERS):
            d, s, sector, occupation, _w = TARGETS[
                self.rng.choices(range(len(TARGETS)), weights)[0]
            ]
            women = sector == "domestic"
            language = ("", "", "")
            if self.rng.random() < 0.2:
                lang, scale, levels = LANGUAGES[d]
                language = (lang, scale, levels[0])
            rows.append(
                JobOrder(
                    reference=f"{run}{i:06d}",
                    status="verified",
                    destination=d,
                    scheme=s,
                    sector=sector,
                    occupation_code=occupation,
                    occupation_title="Pekerjaan",
                    positions=10,
                    positions_female=10 if women else 0,
                    min_age=21,
                    max_age=self.rng.choice((35, 40, 45)),
                    required_language=language[0],
                    required_language_scale=language[1],
                    required_language_level=language[2],
                    experience_months=self.rng.choice((None, 12, 24)),
                    closing_date=today + timedelta(days=self.rng.randrange(10, 120)),
                    verified_at=None,
                )
            )
        fast_insert(JobOrder, rows)
        ids = list(
            JobOrder.objects.filter(reference__startswith=run)
            .order_by("id")
            .values_list("id", flat=True)
        )
        through = JobOrder.required_courses.through
        through.objects.bulk_create(
            through(joborder_id=pk, course_id=self.rng.choice(courses))
            for pk in ids
            if self.rng.random() < 0.1
        )
        return ids

    # -- the measurements ----------------------------------------------------------------
    def candidates(self, orders: list[int]) -> None:
        from garda.jobs.models import JobOrder
        from garda.jobs.services.matching import candidates

        sample = self.rng.sample(orders, ORDER_RUNS)
        times, counts = [], []
        candidates(JobOrder.objects.get(pk=sample[0]))  # warm the caches once
        for pk in sample:
            order = JobOrder.objects.get(pk=pk)
            started = time.perf_counter()
            ranked = candidates(order)
            times.append(time.perf_counter() - started)
            counts.append(ranked.count)
        self._row(
            "candidates of one order (ranked, first page with reasons)",
            f"{ORDER_RUNS} orders, {min(counts):,}-{max(counts):,} candidates each",
            f"{_ms(times)} ({_load()})",
        )

    def near(self, orders: list[int]) -> None:
        from garda.jobs.models import JobOrder
        from garda.jobs.services.matching import near_misses

        times = []
        for pk in self.rng.sample(orders, NEAR_RUNS):
            order = JobOrder.objects.get(pk=pk)
            started = time.perf_counter()
            near_misses(order)
            times.append(time.perf_counter() - started)
        self._row(
            "near misses of one order (best 50)", f"{NEAR_RUNS} orders", f"{_ms(times)} ({_load()})"
        )

    def matches(self, planned: list[int]) -> None:
        from garda.jobs.services.matching import matches_for
        from garda.people.models import Person

        sample = self.rng.sample(planned, PERSON_RUNS)
        times, counts = [], []
        matches_for(Person.objects.get(pk=sample[0]))
        for pk in sample:
            person = Person.objects.get(pk=pk)
            started = time.perf_counter()
            ranked = matches_for(person)
            times.append(time.perf_counter() - started)
            counts.append(ranked.count)
        self._row(
            "open orders ranked for one person (first page with reasons, gaps, courses)",
            f"{PERSON_RUNS} persons, {min(counts):,}-{max(counts):,} orders each",
            f"{_ms(times)} ({_load()})",
        )
