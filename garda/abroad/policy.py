"""The lapor diri policy as data (data/policy.toml): reminder days, the check-in
interval, when an unanswered check-in is "lost contact", the kinds a worrying answer
opens. Read once."""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from garda import refdata
from garda.cases import screening
from garda.cases.models import Kind

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Policy:
    contract_reminder_days: tuple[int, ...]
    checkin_every_days: int
    checkin_unanswered_days: int
    no_contact_days: int
    kinds: dict  # screening question code -> case kind


def check(data: dict) -> Policy:
    days = tuple(sorted((int(d) for d in data["contract_reminder_days"]), reverse=True))
    if not days or any(d <= 0 for d in days) or len(set(days)) != len(days):
        raise ValueError("contract_reminder_days must be distinct positive numbers")
    numbers = {
        name: int(data[name])
        for name in ("checkin_every_days", "checkin_unanswered_days", "no_contact_days")
    }
    if any(n <= 0 for n in numbers.values()):
        raise ValueError("the check-in intervals must be positive")
    kinds = dict(data["kinds"])
    unknown = set(kinds) - set(screening.BY_CODE)
    if unknown:
        raise ValueError(f"unknown screening questions {sorted(unknown)}")
    bad = set(kinds.values()) - set(Kind.values)
    if bad:
        raise ValueError(f"unknown case kinds {sorted(bad)}")
    return Policy(contract_reminder_days=days, kinds=kinds, **numbers)


@lru_cache(maxsize=1)
def current() -> Policy:
    return check(refdata.load(DATA / "policy.toml"))
