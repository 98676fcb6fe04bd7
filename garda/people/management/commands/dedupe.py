"""`garda dedupe FILE.csv --id-column COL --map field=column,... --output pairs.csv`.

Finds likely duplicate persons in an external CSV before it is imported, with the
same engine as the registry (garda/people/matching.py), and writes the candidate
pairs as `id_a,id_b,score,reasons` (reasons joined by ";"). Without FILE the command
runs over the registry itself (handle_registry).

Weights (see "Learned weights" in docs/duplicates.md): on a file, the engine first
estimates its weights by EM on the file's own candidate pairs (`--no-learn` to score
with the registry's current weights instead, `--weights FILE.json` to use given ones);
`--save-weights FILE.json` writes the weights the run used. A file's weights never
replace the registry's: only the registry run does that.
"""

import csv
import time
from collections.abc import Iterator
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from garda.people.matching import (
    DEFAULT_THRESHOLD,
    FLAG_REASONS,
    MAX_SHIFT,
    Record,
    Weights,
    current_weights,
    find_duplicates,
    save_weights,
)
from garda.people.services.imports import SEXES, parse_date

FIELDS = (
    "full_name",
    "birth_date",
    "sex",
    "birth_place",
    "address",
    "region",
    "phone",
    "nik",
    "other_id",
)
OUTPUT_HEADER = ["id_a", "id_b", "score", "reasons"]


def parse_mapping(text: str) -> dict[str, tuple[str, ...]]:
    """ "full_name=nama_lengkap,birth_date=tanggal_lahir" -> {field: (column,)}.

    A field may join several columns with "+", in that order, separated by a space:
    "full_name=given_name+surname" (files that split a name or an address in parts).
    """
    mapping: dict[str, tuple[str, ...]] = {}
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        field, sep, column = item.partition("=")
        field = field.strip()
        columns = tuple(part.strip() for part in column.split("+"))
        if not sep or not field or not all(columns):
            raise CommandError(f"--map: expected field=column, got {item!r}")
        if field not in FIELDS:
            raise CommandError(f"--map: unknown field {field!r}; known fields: {', '.join(FIELDS)}")
        if field in mapping:
            raise CommandError(f"--map: field {field!r} is mapped twice")
        mapping[field] = columns
    return mapping


def parse_sex(text: str) -> str | None:
    return SEXES.get(text.strip().upper())


class Command(BaseCommand):
    help = (
        "Find likely duplicate persons in a CSV file (before import) and write the "
        "candidate pairs with score and reasons."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="CSV file, UTF-8 (a BOM is fine)")
        parser.add_argument("--id-column", help="column with each row's unique id")
        parser.add_argument(
            "--map",
            default="",
            help=f"field=column pairs, comma-separated; fields: {', '.join(FIELDS)}",
        )
        parser.add_argument("--output", help="where to write id_a,id_b,score,reasons")
        parser.add_argument(
            "--threshold",
            type=float,
            default=DEFAULT_THRESHOLD,
            help=f"lowest score to report, 0 to 1 (default {DEFAULT_THRESHOLD})",
        )
        parser.add_argument(
            "--no-learn",
            dest="learn",
            action="store_false",
            help="score with the current weights, without estimating them on the file",
        )
        parser.add_argument("--weights", help="JSON weights to start from (--save-weights)")
        parser.add_argument(
            "--max-shift",
            type=float,
            default=None,
            help="how many bits a learned weight may move from the hand-set one "
            f"(default {MAX_SHIFT:g}; more for data unlike the Indonesian registry)",
        )
        parser.add_argument("--save-weights", help="write the weights used to this JSON file")

    def handle(self, *args, **options):
        if not 0 <= options["threshold"] <= 1:
            raise CommandError("--threshold must be between 0 and 1")
        if not options["file"]:
            return self.handle_registry(options)
        return self.handle_csv(options)

    def handle_registry(self, options):
        """The batch run over the registry: new candidate pairs go to the review
        queue (decided pairs stay decided); --output also writes them as CSV."""
        from garda.audit.models import AuditEvent
        from garda.audit.services import audit_record
        from garda.people.services.duplicates import duplicates_batch

        started = time.perf_counter()
        output = options["output"]
        count = 0
        handle = open(output, "w", encoding="utf-8", newline="") if output else None  # noqa: SIM115
        try:
            writer = csv.writer(handle) if handle else None
            if writer:
                writer.writerow(["id_a", "id_b", "score", "reasons"])
            for match in duplicates_batch(threshold=options["threshold"]):
                count += 1
                if writer:
                    writer.writerow(
                        [match.a_id, match.b_id, f"{match.score:.4f}", ";".join(match.reasons)]
                    )
        finally:
            if handle:
                handle.close()
        audit_record(
            actor=None,
            action=AuditEvent.Action.EXPORT if output else AuditEvent.Action.VIEW,
            object_type="people.person",
            reason=f"batch dedupe: {count} pairs",
        )
        self.stdout.write(
            f"Registry: {count} candidate pairs in "
            f"{time.perf_counter() - started:.1f} s" + (f", written to {output}" if output else "")
        )

    def handle_csv(self, options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"file not found: {path}")
        id_column = options["id_column"]
        if not id_column:
            raise CommandError("--id-column is required with a CSV file")
        if not options["output"]:
            raise CommandError("--output is required with a CSV file")
        mapping = parse_mapping(options["map"])
        weights = current_weights()
        if options["weights"]:
            try:
                text = Path(options["weights"]).read_text(encoding="utf-8")
                weights = Weights.from_json(text)
            except (OSError, ValueError, KeyError, TypeError) as error:
                raise CommandError(
                    f"--weights: cannot read {options['weights']}: {error}"
                ) from None
        used: list[Weights] = [weights]

        started = time.perf_counter()
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            if id_column not in header:
                raise CommandError(f"id column {id_column!r} is not in the header of {path}")
            missing = [c for columns in mapping.values() for c in columns if c not in header]
            if missing:
                raise CommandError(
                    f"mapped column(s) not in the header of {path}: {', '.join(missing)}"
                )
            counter = _Counter()
            matches = list(
                find_duplicates(
                    _records(reader, id_column, mapping, counter),
                    threshold=options["threshold"],
                    weights=weights,
                    learn=options["learn"],
                    on_learned=used.append,
                    max_shift=options["max_shift"],
                )
            )
        matches.sort(key=lambda m: (-m.score, m.a_id, m.b_id))
        with open(options["output"], "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(OUTPUT_HEADER)
            for match in matches:
                writer.writerow(
                    [match.a_id, match.b_id, f"{match.score:.4f}", ";".join(match.reasons)]
                )
        elapsed = time.perf_counter() - started
        if options["save_weights"]:
            save_weights(used[-1], Path(options["save_weights"]))
        flagged = sum(1 for m in matches if m.score < options["threshold"])
        note = (
            f", {counter.bad_dates} unreadable birth date(s) ignored" if counter.bad_dates else ""
        )
        if flagged:
            note += f", {flagged} flagged ({', '.join(sorted(FLAG_REASONS))}) below it"
        self.stdout.write(
            f"{counter.rows} records, {len(matches) - flagged} candidate pairs at threshold "
            f"{options['threshold']:g} in {elapsed:.1f} s ({_source(used[-1])}){note}; "
            f"written to {options['output']}"
        )


def _source(weights: Weights) -> str:
    if not weights.learned:
        return "hand-set weights"
    return f"weights learned by EM on {weights.pairs:,} pairs"


class _Counter:
    def __init__(self) -> None:
        self.rows = 0
        self.bad_dates = 0


def _records(
    reader: csv.DictReader, id_column: str, mapping: dict[str, tuple[str, ...]], counter: _Counter
) -> Iterator[Record]:
    seen: set[str] = set()
    for row in reader:
        counter.rows += 1
        line = reader.line_num
        record_id = (row.get(id_column) or "").strip()
        if not record_id:
            raise CommandError(f"line {line}: empty id in column {id_column!r}")
        if record_id in seen:
            raise CommandError(f"line {line}: id {record_id!r} appears more than once")
        seen.add(record_id)
        values = {
            field: " ".join(filter(None, ((row.get(c) or "").strip() for c in columns)))
            for field, columns in mapping.items()
        }
        birth_date = None
        if values.get("birth_date"):
            birth_date = parse_date(values["birth_date"])
            if birth_date is None:
                counter.bad_dates += 1
        yield Record(
            id=record_id,
            full_name=values.get("full_name", ""),
            birth_date=birth_date,
            sex=parse_sex(values.get("sex", "")),
            birth_place=values.get("birth_place", ""),
            address=values.get("address", ""),
            region=values.get("region", ""),
            phone=values.get("phone", ""),
            nik=values.get("nik", ""),
            other_id=values.get("other_id", ""),
        )
