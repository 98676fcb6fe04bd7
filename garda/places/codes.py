"""Kemendagri region codes read straight from the packaged CSV, without the database.

The NIK parser needs to know whether a province, regency/city or district code exists,
including codes retired by a later edition of the list (a NIK keeps the district code
it was issued under). Reading the CSV keeps that check pure and fast, and usable
before `garda load_regions` has filled the `Region` table. See data/PROVENANCE.md for
the columns and editions.
"""

import csv
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

CSV_PATH = Path(__file__).resolve().parent / "data" / "wilayah_codes.csv"

# The newest edition in the packaged file (Kepmendagri 300.2.2-2430/2025). A code whose
# last edition is older has been retired. Bump this together with the CSV.
LATEST_EDITION = 2025

LEVELS = ("province", "regency", "district", "village")
NIK_LEVELS = ("province", "regency", "district")
HEADER = ["code", "name", "level", "first_edition", "last_edition"]

_CODE_PATTERNS = {
    "province": re.compile(r"[0-9]{2}"),
    "regency": re.compile(r"[0-9]{2}\.[0-9]{2}"),
    "district": re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}"),
    "village": re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}"),
}


class RegionFileError(ValueError):
    """A region CSV that does not have the expected shape; names the line."""


@dataclass(frozen=True, slots=True)
class RegionCode:
    code: str  # dotted, as Kemendagri writes it: 31.71.01
    name: str
    level: str  # province, regency, district or village
    is_current: bool  # still in the latest edition
    first_edition: int
    last_edition: int

    @property
    def digits(self) -> str:
        """The code without dots, as it appears in a NIK: 317101."""
        return self.code.replace(".", "")

    @property
    def parent_code(self) -> str | None:
        """The dotted code one level up; None for a province."""
        return self.code.rpartition(".")[0] or None


def read_regions(
    path: str | Path = CSV_PATH, *, levels: Iterable[str] = LEVELS
) -> Iterator[RegionCode]:
    """Yield the rows of a region CSV, checked, keeping only the given levels.

    Raises RegionFileError on a missing or wrong header, a row with the wrong number
    of columns, an unknown level, a code that does not match its level, a blank name
    or an edition that is not a year.
    """
    wanted = frozenset(levels)
    unknown = wanted - set(LEVELS)
    if unknown:
        raise ValueError(f"unknown levels: {sorted(unknown)}")
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header != HEADER:
            raise RegionFileError(f"{path}: line 1: expected header {','.join(HEADER)}")
        for row in reader:
            if len(row) != 5:
                raise RegionFileError(
                    f"{path}: line {reader.line_num}: expected 5 columns, got {len(row)}"
                )
            code, name, level, first, last = row
            if level not in wanted:
                if level not in _CODE_PATTERNS:
                    raise RegionFileError(
                        f"{path}: line {reader.line_num}: unknown level {level!r}"
                    )
                continue
            yield _region(path, reader.line_num, code, name, level, first, last)


def _region(
    path: str | Path, line: int, code: str, name: str, level: str, first: str, last: str
) -> RegionCode:
    pattern = _CODE_PATTERNS.get(level)
    if pattern is None:
        raise RegionFileError(f"{path}: line {line}: unknown level {level!r}")
    if not pattern.fullmatch(code):
        raise RegionFileError(f"{path}: line {line}: code {code!r} is not a {level} code")
    name = name.strip()
    if not name:
        raise RegionFileError(f"{path}: line {line}: code {code} has no name")
    try:
        first_edition, last_edition = int(first), int(last)
    except ValueError:
        raise RegionFileError(f"{path}: line {line}: editions must be years") from None
    if not 2000 <= first_edition <= last_edition <= 2100:
        raise RegionFileError(f"{path}: line {line}: editions {first}-{last} out of order")
    return RegionCode(
        code=code,
        name=name,
        level=level,
        is_current=last_edition == LATEST_EDITION,
        first_edition=first_edition,
        last_edition=last_edition,
    )


def region_names(levels: Iterable[str] = NIK_LEVELS) -> Mapping[str, RegionCode]:
    """The packaged codes of the given levels, keyed by undotted digits ("31", "3171").

    Read once per process and cached; the mapping is read-only. Retired codes are
    included (see RegionCode.is_current). Villages are left out by default: the NIK
    only carries province, regency and district, and skipping them keeps this fast.
    """
    wanted = set(levels)
    if not wanted <= set(LEVELS):
        raise ValueError(f"unknown levels: {sorted(wanted - set(LEVELS))}")
    return _region_names(tuple(level for level in LEVELS if level in wanted))


@lru_cache(maxsize=8)
def _region_names(levels: tuple[str, ...]) -> Mapping[str, RegionCode]:
    return MappingProxyType({region.digits: region for region in read_regions(levels=levels)})


def region_for_digits(digits: str) -> RegionCode | None:
    """The province, regency or district with these undotted digits, or None."""
    return region_names().get(digits)
