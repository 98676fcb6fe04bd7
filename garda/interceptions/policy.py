"""The register's local policy as data (data/policy.toml): the lead threshold and the
screening levels that open a case. Read once."""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from garda import refdata
from garda.cases import screening

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Policy:
    lead_threshold: int
    case_levels: frozenset[str]


@lru_cache(maxsize=1)
def current() -> Policy:
    data = refdata.load(DATA / "policy.toml")
    threshold = int(data["lead_threshold"])
    if threshold < 2:
        raise ValueError("lead_threshold must be 2 or more")
    levels = frozenset(data["case_levels"])
    if not levels or not levels <= set(screening.LEVELS) - {screening.NONE}:
        raise ValueError(f"unknown case_levels {sorted(levels)}")
    return Policy(lead_threshold=threshold, case_levels=levels)
