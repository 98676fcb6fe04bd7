"""Words for the compliance pages: each retention rule's record kind and event, and the
72-hour clock of an incident."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from garda.compliance.models import Incident, IncidentPerson

RECORDS = {
    "people_inactive": _("Persons who never departed and are inactive (with everything of theirs)"),
    "documents_file_closed": _("Document scans after the person's file closed"),
    "documents_rejected": _("Rejected or replaced document scans"),
    "documents_expired": _("Expired document scans"),
    "cases_closed": _("Closed protection cases (with their files)"),
    "job_applications": _("Job applications"),
    "notifications": _("Notifications"),
    "sessions": _("Expired sign-in sessions"),
    "api_tokens": _("Revoked API tokens"),
    "audit": _("Audit trail"),
}
EVENTS = {
    "last_change": _("after the record's last change"),
    "decision": _("after the decision"),
    "expiry": _("after expiry"),
    "closing": _("after closing"),
    "creation": _("after it was sent"),
    "revocation": _("after revocation"),
    "never": _("kept for good"),
}


def period(days: int) -> str:
    """ "5 years", "90 days", "at once"."""
    if days == 0:
        return str(_("at once"))
    if days % 365 == 0:
        return str(_("%(n)s years") % {"n": days // 365})
    return str(_("%(n)s days") % {"n": days})


@dataclass(frozen=True)
class Clock:
    due_at: datetime
    overdue: bool  # past due with persons (or the authority) still not informed
    done: bool  # everyone reachable told, and the authority informed
    pending: int  # persons not told yet (a channel exists)
    unreachable: int  # persons with no channel: officers reach them otherwise


def clock(incident: Incident, *, pending: int, unreachable: int, now=None) -> Clock:
    now = now or timezone.now()
    done = pending == 0 and incident.authority_informed_at is not None
    return Clock(
        due_at=incident.notify_due_at,
        overdue=not done and now > incident.notify_due_at,
        done=done,
        pending=pending,
        unreachable=unreachable,
    )


def tallies(incident_ids):
    """Per incident: persons, told, not told (with a channel), unreachable: one query."""
    rows = (
        IncidentPerson.objects.filter(incident_id__in=incident_ids)
        .values("incident_id")
        .annotate(
            total=Count("id"),
            told=Count("id", filter=Q(notified_at__isnull=False)),
            unreachable=Count("id", filter=Q(channel="none")),
        )
    )
    return {r["incident_id"]: r for r in rows}


def incident_clock(incident, tally):
    tally = tally or {"total": 0, "told": 0, "unreachable": 0}
    pending = tally["total"] - tally["told"] - tally["unreachable"]
    return clock(incident, pending=pending, unreachable=tally["unreachable"])
