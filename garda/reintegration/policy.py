"""Reintegration's local policy as data (data/policy.toml): the plan's deadline after
return, the follow-up months, how early a follow-up may be recorded and the packaged
instrument. Read once."""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from garda import refdata

DATA = Path(__file__).resolve().parent / "data"
INSTRUMENTS = DATA / "instruments"


@dataclass(frozen=True)
class Policy:
    plan_within_days: int
    follow_up_months: tuple[int, ...]
    follow_up_early_days: int
    default_instrument: Path


@lru_cache(maxsize=1)
def current() -> Policy:
    data = refdata.load(DATA / "policy.toml")
    days = int(data["plan_within_days"])
    if days < 1:
        raise ValueError("plan_within_days must be 1 or more")
    months = tuple(int(m) for m in data["follow_up_months"])
    if not months or any(m < 1 or m > 120 for m in months) or len(set(months)) != len(months):
        raise ValueError(f"follow_up_months must be distinct months 1-120, not {months}")
    early = int(data.get("follow_up_early_days", 30))
    if early < 0 or early > 365:
        raise ValueError(f"follow_up_early_days must be 0-365, not {early}")
    return Policy(
        plan_within_days=days,
        follow_up_months=tuple(sorted(months)),
        follow_up_early_days=early,
        default_instrument=INSTRUMENTS / data["default_instrument"],
    )
