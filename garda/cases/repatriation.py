"""Repatriation templates and their rules, without the database (docs/repatriation.md).

The templates are data (data/repatriation.toml): per reason, the steps in order, each
with its responsible party, a due offset in days, whether it is required, whether the
family is told when it is done. This module reads them once, checks them, and holds
the two rules every writer obeys:

- `blocking_step`: a required step cannot be done while an earlier required step is
  open (optional steps never block and are never blocked);
- `status_after`: a repatriation is `arrived` once its arrival step is done and
  `completed` once every required step is done (or not needed).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from garda import refdata

DATA = Path(__file__).resolve().parent / "data" / "repatriation.toml"

OPEN, DONE, NOT_NEEDED = "open", "done", "not_needed"
# The steps whose completion means the person (or the remains) reached Indonesia.
ARRIVAL_STEPS = frozenset({"arrival", "remains_arrival"})
# The step closed by a signed hand-over statement.
HANDOVER = "handover"
REHABILITATION = "rehabilitation"

STEP_LABELS = {
    "health_confirmed": _("Health confirmed with the embassy"),
    "fit_to_travel": _("Fit-to-travel letter"),
    "travel_document": _("Travel document (passport or SPLP)"),
    "ticket": _("Ticket booked, and who pays"),
    "escort": _("Escort arranged"),
    "arrival": _("Arrival at the point of debarkation"),
    "rehabilitation": _("Rehabilitation or shelter (Rumah Ramah)"),
    "travel_home": _("Travel to the home city"),
    "handover": _("Hand-over to the family or social services (signed statement)"),
    "family_informed": _("Family informed"),
    "certificate": _("Death certificate"),
    "remains": _("Bringing the remains home"),
    "remains_arrival": _("Remains received at the cargo terminal"),
    "insurance": _("Insurance claim (BPJS Ketenagakerjaan death benefit)"),
    "belongings": _("Wages still owed and belongings"),
    "estate": _("Estate handed to the heirs"),
}

PARTY_LABELS = {
    "embassy": _("Embassy or consulate (Perwakilan RI)"),
    "national": _("KP2MI / BP3MI at the point of arrival"),
    "company": _("The placement company (P3MI)"),
    "province": _("Jakarta provincial government (Pasukan Putih)"),
    "home_city": _("The home city or regency"),
    "social": _("Social affairs (Dinas Sosial)"),
    "payer": _("Whoever pays the ticket"),
}


@dataclass(frozen=True)
class StepTemplate:
    code: str
    party: str
    due_days: int
    required: bool
    tell_family: bool


@dataclass(frozen=True)
class Templates:
    version: str
    by_reason: dict  # reason -> tuple[StepTemplate, ...]

    def steps(self, reason: str) -> tuple[StepTemplate, ...]:
        return self.by_reason[reason]

    def plan(self, reason: str, start: datetime) -> list[dict]:
        """The steps of a new repatriation started at `start`, as field values."""
        return [
            {
                "code": t.code,
                "position": i,
                "party": t.party,
                "due_at": start + timedelta(days=t.due_days),
                "required": t.required,
                "tell_family": t.tell_family,
            }
            for i, t in enumerate(self.steps(reason), start=1)
        ]


def check(data: dict, reasons) -> Templates:
    by_reason = {}
    for reason, rows in data["templates"].items():
        seen = set()
        steps = []
        for row in rows:
            code = row["code"]
            if code not in STEP_LABELS:
                raise ValueError(f"repatriation.toml: step {code!r} has no words")
            if row["party"] not in PARTY_LABELS:
                raise ValueError(f"repatriation.toml: party {row['party']!r} has no words")
            if code in seen:
                raise ValueError(f"repatriation.toml: {reason} names {code!r} twice")
            if int(row["due_days"]) < 0:
                raise ValueError(f"repatriation.toml: {reason}.{code} due_days below 0")
            seen.add(code)
            steps.append(
                StepTemplate(
                    code=code,
                    party=row["party"],
                    due_days=int(row["due_days"]),
                    required=bool(row.get("required", True)),
                    tell_family=bool(row.get("tell_family", False)),
                )
            )
        if not seen & (ARRIVAL_STEPS | {HANDOVER}):
            raise ValueError(f"repatriation.toml: {reason} has no arrival or hand-over")
        by_reason[reason] = tuple(steps)
    missing = set(reasons) - set(by_reason)
    if missing:
        raise ValueError(f"repatriation.toml lacks templates for {sorted(missing)}")
    return Templates(version=str(data["version"]), by_reason=by_reason)


@lru_cache(maxsize=1)
def templates() -> Templates:
    from garda.cases.models import RepatriationReason  # the reasons' one list

    return check(refdata.load(DATA), RepatriationReason.values)


def blocking_step(steps, code: str):
    """The first earlier required step still open that keeps step `code` from being
    done, or None. `steps` are the repatriation's steps (objects with code, position,
    required, status), in any order."""
    ordered = sorted(steps, key=lambda s: s.position)
    target = next(s for s in ordered if s.code == code)
    if not target.required:
        return None
    for step in ordered:
        if step.position >= target.position:
            return None
        if step.required and step.status == OPEN:
            return step
    return None


def status_after(steps, current: str) -> str:
    """The repatriation's status once its steps are as given (cancelled stays)."""
    if current == "cancelled":
        return current
    if all(s.status != OPEN for s in steps if s.required):
        return "completed"
    if any(s.code in ARRIVAL_STEPS and s.status == DONE for s in steps):
        return "arrived"
    return "open"
