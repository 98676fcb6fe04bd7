"""The staff dashboards as pages and the API read them: who may see which, the
snapshot of a dashboard and period (one query, never a live table), its freshness,
and the audit rows of reading and exporting (docs/reports.md)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.reports import figures
from garda.reports.figures import DASHBOARDS, Dashboard
from garda.reports.models import Snapshot
from garda.reports.snapshots import period_bounds

# Older than this, a dashboard says its figures are stale (the job runs hourly).
STALE_AFTER = dt.timedelta(hours=2)
OBJECT_TYPE = "reports.snapshot"


@dataclass(frozen=True)
class Freshness:
    computed_at: dt.datetime | None
    minutes: int | None
    stale: bool
    missing: bool
    # The period had ended when the snapshot was computed: its figures are final
    # (the job no longer recomputes it, and nothing is out of date however old).
    final: bool = False


def freshness(snapshot: Snapshot | None, now: dt.datetime | None = None) -> Freshness:
    if snapshot is None:
        return Freshness(None, None, stale=True, missing=True)
    now = now or timezone.now()
    age = now - snapshot.computed_at
    final = _ended_before(snapshot.period, snapshot.computed_at)
    return Freshness(
        snapshot.computed_at,
        max(int(age.total_seconds() // 60), 0),
        stale=age > STALE_AFTER and not final,
        missing=False,
        final=final,
    )


def _ended_before(period: str, moment: dt.datetime) -> bool:
    try:
        _start, end = period_bounds(period)
    except ValueError:
        return False
    return end is not None and end <= moment


def valid_period(period: str) -> bool:
    try:
        period_bounds(period)
    except ValueError:
        return False
    return True


def dashboard_for(user, name: str, *, what: str) -> Dashboard:
    """The dashboard `name` if `user` may read it: an unknown name and a forbidden one
    alike answer 403 with a denied row (the list of dashboards is no secret)."""
    figures.load()
    found = DASHBOARDS.get(name)
    if found is None or getattr(user, "role", None) not in found.roles:
        deny(user, what)
    return found


def snapshot(name: str, period: str) -> Snapshot | None:
    return Snapshot.objects.filter(name=name, period=period).first()


def periods(name: str) -> list[str]:
    """The periods the job has computed for `name`, "all" first, newest next."""
    found = set(Snapshot.objects.filter(name=name).values_list("period", flat=True))
    return sorted(
        found, key=lambda p: (p != "all", [-int(x) for x in p.split("-")] if p != "all" else [])
    )


def latest(names: list[str]) -> dict[str, Snapshot]:
    """The "all" snapshot of each dashboard (the index's freshness): one query."""
    rows = Snapshot.objects.filter(name__in=names, period="all").only("name", "computed_at")
    return {s.name: s for s in rows}


def read_audit(user, *, reason: str, export: bool = False) -> None:
    """Counts only, no person named; read and exported as the other dashboards are."""
    audit_record(
        actor=user,
        action=AuditEvent.Action.EXPORT if export else AuditEvent.Action.VIEW,
        object_type=OBJECT_TYPE,
        reason=reason,
    )
