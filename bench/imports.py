"""The import rows of `python -m bench --import-into N [--import-rows M]` (issue 18): a
registry of `n` persons, then `m` more rows imported into it through `garda
import_people`'s code path, timed, with the duplicate protection counted.

The population is the synthetic one of the registry bench (bench/synth.py, seed 7, 5%
planted duplicates): its names follow a heavy-headed Indonesian name list, about
21,500 distinct full names per 100,000 persons, with Siti, Muhammad, Nur, Ahmad and
Sri leading a name in a third of them. The records are dealt at random between the
registry (`n`) and the file (`m`), so a planted copy lands in the file while its
original is already registered about as often as both land on the same side. The
registry is filled with the same import code, so its persons carry the blocking keys
and name tokens a real import leaves; only the second import is timed.

Records the import would refuse (no NIK, sex or birth date) are not written, and a
record whose NIK an earlier one already has is left out: such a row would update the
registered person instead of adding one.

The duplicate protection, as two counts: the candidate pairs the timed import flagged,
and the planted pairs with a person in the file (both records registered) that are
among them. A faster import must flag the same.
"""

import csv
import os
import random
import time
from pathlib import Path

from bench.cli import _import_row, import_file

SEED = 7
DUPLICATE_RATE = 0.05
DEAL_SEED = 18


class ImportsBench:
    def __init__(self, row) -> None:
        self.row = row

    def run(self, n: int, m: int = 100_000, *, fill: bool = True) -> dict:
        """Fill a registry of `n` (unless `fill` is false: the database already holds
        them), then time the import of `m` rows. Returns the figures."""
        from django.conf import settings

        from garda.people.models import DuplicateCandidate, Person

        self._regions()
        directory = Path(settings.VAR_DIR)
        started = time.perf_counter()
        pairs, record_of_nik = self._files(n, m, directory)
        self.row(
            "synthetic population written (two CSV files)",
            f"{n:,} + {m:,} records",
            f"{time.perf_counter() - started:.1f} s",
        )
        if fill:
            job, elapsed = self._import(directory / "bench-registry.csv")
            self.row(
                "registry filled (the same import)",
                f"{job.created_rows:,} persons",
                f"{elapsed:.1f} s",
            )
        registered = Person.objects.count()
        last = Person.objects.order_by("-id").values_list("id", flat=True).first() or 0
        before = set(DuplicateCandidate.objects.values_list("person_a", "person_b"))
        job, elapsed = self._import(directory / "bench-import.csv")
        after = set(DuplicateCandidate.objects.values_list("person_a", "person_b"))
        flagged = after - before
        record_of_person = {
            pk: record_of_nik[nik]
            for pk, nik in Person.objects.values_list("id", "nik")
            if nik in record_of_nik
        }
        new_records = {record for pk, record in record_of_person.items() if pk > last}
        present = set(record_of_person.values())
        truth = {p for p in pairs if p <= present and p & new_records}
        found = {frozenset((record_of_person[a], record_of_person[b])) for a, b in flagged}
        planted = len(truth & found)
        self.row(
            "import into a registry (garda import_people, one pass)",
            f"{job.total_rows:,} rows into {registered:,}: {job.created_rows:,} imported, "
            f"{job.error_rows:,} refused",
            f"{elapsed:.1f} s = {job.total_rows / elapsed:,.0f} rows/s "
            f"(CPU of this process {self.cpu:.1f} s; load average {os.getloadavg()[0]:.1f})",
        )
        self.row(
            "… duplicate candidates flagged by it",
            f"{len(flagged):,} pairs",
            f"planted pairs with a person in the file: {planted:,} of {len(truth):,} flagged",
        )
        return {
            "seconds": elapsed,
            "rows": job.total_rows,
            "created": job.created_rows,
            "flagged": len(flagged),
            "planted": planted,
            "planted_total": len(truth),
        }

    def _regions(self) -> None:
        """The village codes the form checks a row's kode_wilayah against."""
        from garda.places.models import Region
        from garda.places.services import regions_load

        if not Region.objects.filter(level=Region.Level.VILLAGE).exists():
            regions_load()

    def _files(self, n: int, m: int, directory: Path) -> tuple[set[frozenset[str]], dict[str, str]]:
        """Deal a synthetic population at random into the registry's file (`n` rows)
        and the timed file (`m` rows); returns the planted pairs and the record id of
        every NIK written."""
        from bench.synth import iter_generate
        from garda.people.services import imports

        pairs: set[frozenset[str]] = set()
        record_of_nik: dict[str, str] = {}
        rng = random.Random(DEAL_SEED)  # noqa: S311 - benchmark data
        with (
            open(directory / "bench-registry.csv", "w", encoding="utf-8", newline="") as a,
            open(directory / "bench-import.csv", "w", encoding="utf-8", newline="") as b,
        ):
            files = [csv.writer(a), csv.writer(b)]
            for writer in files:
                writer.writerow(imports.COLUMNS)
            left = [n, m]
            records = iter_generate(
                (n + m) * 13 // 10 + 100, seed=SEED, duplicate_rate=DUPLICATE_RATE, pairs=pairs
            )
            for record in records:
                if not (record.nik and record.sex and record.birth_date):
                    continue
                if record.nik in record_of_nik:
                    continue
                side = 0 if rng.random() * (left[0] + left[1]) < left[0] else 1
                record_of_nik[record.nik] = record.id
                files[side].writerow(_import_row(record))
                left[side] -= 1
                if not left[0] and not left[1]:
                    break
        return pairs, record_of_nik

    def _import(self, path: Path):
        started, cpu = time.perf_counter(), time.process_time()
        job = import_file(path)
        self.cpu = time.process_time() - cpu
        return job, time.perf_counter() - started
