"""The retention rules as data (data/retention.toml), read once per process.

Each rule names a kind of record, how long it is kept and from which event, and its
legal basis. What each rule selects and removes is in services/purge.py; the words a
person reads are in display.py.
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from garda import refdata

DATA = Path(__file__).resolve().parent / "data"
EVENTS = ("last_change", "decision", "expiry", "closing", "creation", "revocation", "never")


@dataclass(frozen=True)
class Rule:
    code: str
    keep_days: int
    after: str
    basis: str  # Indonesian
    basis_en: str

    def basis_for(self, language: str) -> str:
        return self.basis_en if language.startswith("en") else self.basis

    @property
    def purges(self) -> bool:
        """False for records kept for good (the audit trail)."""
        return self.after != "never"


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    data = refdata.load(DATA / "retention.toml")
    out = []
    for row in data["rules"]:
        rule = Rule(
            code=row["code"],
            keep_days=int(row["keep_days"]),
            after=row["after"],
            basis=row["basis"],
            basis_en=row["basis_en"],
        )
        if rule.after not in EVENTS or rule.keep_days < 0:
            raise ValueError(f"retention.toml: bad rule {rule.code}")
        out.append(rule)
    return tuple(out)


def rule(code: str) -> Rule:
    for candidate in rules():
        if candidate.code == code:
            return candidate
    raise KeyError(code)
