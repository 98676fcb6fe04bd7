"""The referral policy as data (data/policy.toml, local policy): per service type,
the answer period the referral form proposes and the report-back period that sets
`report_due_at` (accepted_at + report_days). Read once."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from garda import refdata
from garda.cases.models import Service

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Period:
    answer_days: int
    report_days: int


@dataclass(frozen=True)
class Policy:
    periods: dict[str, Period]  # service type -> Period

    def answer_by(self, service_type: str, start: datetime) -> datetime:
        return start + timedelta(days=self.periods[service_type].answer_days)

    def report_by(self, service_type: str, accepted_at: datetime) -> datetime:
        return accepted_at + timedelta(days=self.periods[service_type].report_days)


def _check(data: dict) -> Policy:
    periods = {}
    for row in data["services"]:
        if row["type"] not in Service.Type.values:
            raise ValueError(f"unknown service type {row['type']!r}")
        if row["answer_days"] <= 0 or row["report_days"] <= 0:
            raise ValueError(f"bad referral period {row!r}")
        periods[row["type"]] = Period(int(row["answer_days"]), int(row["report_days"]))
    missing = set(Service.Type.values) - set(periods)
    if missing:
        raise ValueError(f"referrals policy.toml lacks {sorted(missing)}")
    return Policy(periods=periods)


@lru_cache(maxsize=1)
def current() -> Policy:
    return _check(refdata.load(DATA / "policy.toml"))
