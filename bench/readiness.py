"""The readiness rows of `python -m bench` (issue 4): a synthetic population with plans and
documents, then one person's readiness and the bulk recompute."""

import random
import statistics
import time
from datetime import date, timedelta

from django.core.management.base import CommandError

from bench.cli import _percentile

# Targets of the synthetic population (seeded requirement sets), with their share:
# roughly the placements of 2023 by destination (docs/domain.md), plus a few percent
# asking about Saudi domestic work, which the moratorium blocks.
_READINESS_TARGETS = (
    (("KR", "g2g-kr-eps", "manufacturing"), 0.25),
    (("TW", "p2p", "care"), 0.25),
    (("HK", "p2p", "domestic"), 0.25),
    (("JP", "jp-ssw", "care"), 0.20),
    (("SA", "p2p", "domestic"), 0.05),
)


class ReadinessBench:
    """A population of `n` persons written straight to the tables (bulk inserts: the
    services would take far longer than what is measured), each with a current plan
    and, per requirement of their target's set, a document in a realistic mix of
    states; then the readiness of one person (computed, cached, through the API) and
    the bulk recompute of everyone."""

    def __init__(self, row):
        self._row = row
        self.rng = random.Random(2026)  # noqa: S311 (benchmark data)

    def run(self, n: int) -> None:
        from django.db import transaction
        from django.utils import timezone

        from garda.dbutils import refresh_statistics
        from garda.destinations.models import Plan, Readiness
        from garda.documents.models import Document
        from garda.people.models import Person, WorkExperience

        self.today = timezone.localdate()
        started = time.perf_counter()
        targets = self._targets()
        # One transaction: in autocommit mode SQLite would commit every row.
        with transaction.atomic():
            ids = self._persons(n)
            plans = self._plans(ids, targets)
            documents = self._documents(plans, targets)
            self._experience(ids)
        refresh_statistics(Person, Plan, Document, WorkExperience, Readiness)
        self._row(
            "readiness population written (bulk)",
            f"{len(ids):,} persons, {len(plans):,} plans, {documents:,} documents, "
            f"{len(targets)} targets",
            f"{time.perf_counter() - started:.1f} s",
        )
        self._bulk(ids)
        self._one(ids)
        self._api(ids)

    # -- the population ----------------------------------------------------------------
    def _targets(self) -> list[tuple[tuple[str, str, str], float, list[dict]]]:
        from garda.destinations.readiness import resolve_target
        from garda.destinations.requirements import requirement_set_for

        found = []
        for target, share in _READINESS_TARGETS:
            destination, scheme, sector = resolve_target(*target)
            rset = requirement_set_for(*target, on=self.today)
            requirements = []
            for req in rset.requirements.all() if rset else ():
                dtype = req.document_type
                levels = dtype.level_list
                requirements.append(
                    {
                        "type_id": dtype.pk,
                        "has_expiry": dtype.has_expiry,
                        "validity": req.validity_months or dtype.validity_months,
                        "remaining": req.min_remaining_months or dtype.min_remaining_months,
                        "good": req.min_level or (levels[-1] if levels else ""),
                        "low": levels[0] if levels and req.min_level != levels[0] else "1",
                    }
                )
            found.append(((destination.pk, scheme.pk, sector), share, requirements))
        return found

    def _persons(self, n: int) -> list[int]:
        from garda.dbutils import fast_insert
        from garda.people.models import Person

        run = f"RB{time.time_ns() % 1_000_000:06d}-"
        educations = ["sd", "smp", "smp", "sma", "sma", "smk", "d3", "s1"]
        for start in range(0, n, 5000):
            batch = []
            for i in range(start, min(n, start + 5000)):
                born = date(1975, 1, 1) + timedelta(days=self.rng.randrange(32 * 365))
                unresolved = self.rng.random() < 0.01
                batch.append(
                    Person(
                        reference=f"{run}{i:07d}",
                        nik=f"3171{born:%d%m%y}{i % 10000:04d}00",
                        nik_index=f"{run}{i}",
                        full_name=f"Pekerja {i}",
                        sex="F" if self.rng.random() < 0.7 else "M",
                        birth_date=born,
                        education_level=self.rng.choice(educations),
                        needs_duplicate_review=self.rng.random() < 0.01,
                        nik_mismatch_reason="Akta berbeda (bench)" if unresolved else "",
                    )
                )
            fast_insert(Person, batch)
        return list(
            Person.objects.filter(reference__startswith=run)
            .order_by("id")
            .values_list("id", flat=True)
        )

    def _plans(self, ids: list[int], targets) -> dict[int, int]:
        """One current plan per person; returns person id -> index into targets."""
        from django.utils import timezone

        from garda.dbutils import fast_insert
        from garda.destinations.models import Plan

        weights = [share for _t, share, _r in targets]
        chosen = {pk: self.rng.choices(range(len(targets)), weights)[0] for pk in ids}
        now = timezone.now()
        for start in range(0, len(ids), 10_000):
            batch = []
            for pk in ids[start : start + 10_000]:
                (destination_id, scheme_id, sector), _s, _r = targets[chosen[pk]]
                departure = (
                    self.today + timedelta(days=self.rng.randrange(30, 365))
                    if self.rng.random() < 0.7
                    else None
                )
                batch.append(
                    Plan(
                        person_id=pk,
                        destination_id=destination_id,
                        scheme_id=scheme_id,
                        sector=sector,
                        planned_departure=departure,
                        created_at=now,
                    )
                )
            fast_insert(Plan, batch)
        return chosen

    def _documents(self, plans: dict[int, int], targets) -> int:
        """One person in ten holds every document, verified; for the others, per
        requirement: 20% none, 40% verified and valid, 15% pending, 5% rejected,
        8% expired, 12% too low a level or expiring; one in ten documents also has
        an older upload it replaced. Raw executemany: the rows need no encryption
        (no numbers) and model instances would cost more than the inserts."""
        from django.db import connection
        from django.utils import timezone

        from garda.documents.models import Document

        ops = connection.ops
        now = timezone.now()
        at = ops.adapt_datetimefield_value(now)
        earlier = ops.adapt_datetimefield_value(now - timedelta(days=400))
        day = ops.adapt_datefield_value
        columns = [
            "person_id",
            "type_id",
            "number",
            "issued_on",
            "expires_on",
            "level",
            "note",
            "status",
            "rejection_reason",
            "uploaded_at",
            "changed_at",
            "version",
        ]
        quote = connection.ops.quote_name
        sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - quoted names only
            quote(Document._meta.db_table),
            ", ".join(quote(c) for c in columns),
            ", ".join(["%s"] * len(columns)),
        )
        rng, today = self.rng, self.today
        total = 0
        rows: list[tuple] = []

        def flush():
            with connection.cursor() as cursor:
                cursor.executemany(sql, rows)
            rows.clear()

        for pk, index in plans.items():
            # One in ten has everything (verified, valid long enough where possible).
            complete = rng.random() < 0.10
            for req in targets[index][2]:
                r = 0.5 if complete else rng.random()
                if r < 0.20:
                    continue
                issued = today - timedelta(days=rng.randrange(1, 40))
                expires = today + timedelta(days=rng.randrange(3 * 365, 8 * 365))
                status, level, reason = "verified", req["good"], ""
                if r < 0.60:
                    pass
                elif r < 0.75:
                    status = "pending"
                elif r < 0.80:
                    status, reason = "rejected", "Foto buram, unggah ulang"
                elif r < 0.88:
                    issued = today - timedelta(days=rng.randrange(400, 3000))
                    expires = today - timedelta(days=rng.randrange(1, 300))
                else:
                    level = req["low"]
                    expires = today + timedelta(days=rng.randrange(30, 300))
                rows.append(
                    (
                        pk,
                        req["type_id"],
                        "",
                        day(issued),
                        day(expires) if req["has_expiry"] else None,
                        level,
                        "",
                        status,
                        reason,
                        at,
                        at,
                        1,
                    )
                )
                total += 1
                if rng.random() < 0.10:
                    rows.append(
                        (pk, req["type_id"], "", None, None, "", "", "replaced", "", earlier, at, 2)
                    )
                    total += 1
            if len(rows) >= 20_000:
                flush()
        if rows:
            flush()
        return total

    def _experience(self, ids: list[int]) -> None:
        """One in ten persons has worked abroad before (Korea or Malaysia)."""
        from garda.dbutils import fast_insert
        from garda.people.models import WorkExperience

        batch = []
        for pk in ids:
            if self.rng.random() < 0.10:
                start = date(2012, 1, 1) + timedelta(days=self.rng.randrange(10 * 365))
                batch.append(
                    WorkExperience(
                        person_id=pk,
                        employer="Pabrik",
                        country_id=self.rng.choice(["KR", "MY"]),
                        started_on=start,
                        ended_on=start + timedelta(days=self.rng.randrange(300, 7 * 365)),
                    )
                )
        fast_insert(WorkExperience, batch)

    # -- the measurements --------------------------------------------------------------
    def _bulk(self, ids: list[int]) -> None:
        from garda.destinations.models import Readiness
        from garda.destinations.readiness import recompute_many

        for label in ("first run, inserts", "again, updates in place"):
            started = time.perf_counter()
            written = recompute_many(ids)
            elapsed = time.perf_counter() - started
            self._row(
                f"readiness, bulk recompute ({label})",
                f"{written:,} persons in chunks of 2,000",
                f"{elapsed:.1f} s = {written / elapsed:,.0f} persons/s",
            )
        ready = Readiness.objects.filter(person_id__in=ids[:1000], ready=True).count()
        self._row("  (sanity: ready among the first 1,000)", "", f"{ready}")

    def _one(self, ids: list[int]) -> None:
        from garda.destinations.models import Readiness
        from garda.destinations.readiness import readiness_for
        from garda.people.models import Person

        sample = self.rng.sample(ids, min(300, len(ids)))
        computed, cached = [], []
        for pk in sample:
            Readiness.objects.filter(person_id=pk).update(stale=True)
            person = Person.objects.get(pk=pk)
            started = time.perf_counter()
            readiness_for(person)
            computed.append(time.perf_counter() - started)
            started = time.perf_counter()
            readiness_for(person)
            cached.append(time.perf_counter() - started)
        for label, timings in (("computed and cached", computed), ("from the cache", cached)):
            self._row(
                f"readiness of one person ({label})",
                f"{len(timings)} persons of {len(ids):,}",
                f"p50 {statistics.median(timings) * 1000:.2f} ms, "
                f"p95 {_percentile(timings, 95) * 1000:.2f} ms",
            )

    def _api(self, ids: list[int]) -> None:
        from django.contrib.auth.models import Group
        from django.test import Client
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from garda.accounts.models import User
        from garda.destinations.models import Readiness

        officer = User.objects.create_user(
            email=f"bench-ready-{time.time_ns()}@example.org", password=None
        )
        officer.groups.add(Group.objects.get(name="officer"))
        client = Client()
        client.force_login(officer)
        device = TOTPDevice.objects.create(user=officer, name="bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        sample = self.rng.sample(ids, min(200, len(ids)))
        computed, cached = [], []
        for pk in sample:
            Readiness.objects.filter(person_id=pk).update(stale=True)
            for timings in (computed, cached):
                started = time.perf_counter()
                response = client.get(f"/api/v1/people/{pk}/readiness")
                timings.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise CommandError(f"readiness {pk}: {response.content[:300]!r}")
        for label, timings in (("computed", computed), ("cached", cached)):
            self._row(
                f"GET /api/v1/people/{{id}}/readiness ({label}, in-process client, audited)",
                f"{len(timings)} requests",
                f"p50 {statistics.median(timings) * 1000:.2f} ms, "
                f"p95 {_percentile(timings, 95) * 1000:.2f} ms",
            )
