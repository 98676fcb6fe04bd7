"""Outreach events (docs/outreach.md): create, edit, open, close, cancel.

Each service checks the actor's permission, writes in one transaction with one audit
row, and refuses bad input with a ValidationError naming the field in words.
"""

from dataclasses import dataclass, fields
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from garda.accounts.models import User
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.models import ReferenceSequence
from garda.outreach.access import may_create, may_run
from garda.outreach.models import Campaign, Event
from garda.outreach.services.common import error
from garda.places.models import Region

REFERENCE_PREFIX = "JKT-OUT"
TEXT_LIMIT = 5000
# The status changes an event may make (closing ends check-in; a cancelled event is over).
MOVES = {
    Event.Status.PLANNED: {Event.Status.OPEN, Event.Status.CANCELLED},
    Event.Status.OPEN: {Event.Status.CLOSED, Event.Status.CANCELLED, Event.Status.PLANNED},
    Event.Status.CLOSED: {Event.Status.OPEN},
    Event.Status.CANCELLED: set(),
}


@dataclass
class EventData:
    kind: str
    title: str
    region_code: str
    venue: str
    starts_at: datetime
    ends_at: datetime
    audience: str
    capacity: int | None = None
    campaign_id: int | None = None
    description: str = ""
    partners: str = ""
    budget_line: str = ""


def _text(value, name: str, limit: int, *, required: bool = False) -> str:
    value = ("" if value is None else str(value)).strip()
    if required and not value:
        raise error(name, _("This field is required."), "required")
    if len(value) > limit:
        raise error(name, _("Keep it under %(n)s characters.") % {"n": limit}, "max_length")
    return value


def _values(data: EventData) -> dict:
    if data.kind not in Event.Kind.values:
        raise error("kind", _("Choose the kind of event from the list."), "invalid_choice")
    if data.audience not in Event.Audience.values:
        raise error("audience", _("Choose the audience from the list."), "invalid_choice")
    region = Region.objects.filter(code=str(data.region_code or "").strip()).first()
    if region is None or region.level == Region.Level.PROVINCE:
        raise error(
            "region_code",
            _("Give the code of a city or regency, district or village (e.g. 31.71.01.1001)."),
            "invalid",
        )
    if data.starts_at is None or data.ends_at is None:
        raise error("starts_at", _("Give when the event starts and ends."), "required")
    if timezone.is_naive(data.starts_at) or timezone.is_naive(data.ends_at):
        raise error("starts_at", _("Give the time with its time zone."), "invalid")
    if data.ends_at < data.starts_at:
        raise error("ends_at", _("The event ends before it starts."), "before_start")
    if data.capacity is not None and not 1 <= int(data.capacity) <= 100_000:
        raise error("capacity", _("Give a capacity between 1 and 100,000."), "invalid")
    campaign = None
    if data.campaign_id not in (None, ""):
        campaign = Campaign.objects.filter(pk=data.campaign_id, active=True).first()
        if campaign is None:
            raise error("campaign_id", _("Choose an active campaign."), "invalid_choice")
    return {
        "kind": data.kind,
        "title": _text(data.title, "title", 200, required=True),
        "description": _text(data.description, "description", TEXT_LIMIT),
        "region": region,
        "regency_code": region.code[:5],
        "district_code": region.code[:8] if len(region.code) >= 8 else "",
        "venue": _text(data.venue, "venue", 300, required=True),
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "audience": data.audience,
        "capacity": data.capacity,
        "campaign": campaign,
        "partners": _text(data.partners, "partners", TEXT_LIMIT),
        "budget_line": _text(data.budget_line, "budget_line", 200),
    }


def event_create(*, actor: User, data: EventData) -> Event:
    """A new event of the actor's agency, planned (not yet open for registration)."""
    if not may_create(actor):
        deny(actor, "outreach.event_create")
    values = _values(data)
    with transaction.atomic():
        event = Event(
            reference=ReferenceSequence.next_reference(REFERENCE_PREFIX, timezone.localdate().year),
            agency_id=actor.agency_id,
            created_by=actor,
            **values,
        )
        event.full_clean()
        event.save()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            target=event,
            changed_fields=[n for n in values if n not in ("regency_code", "district_code")],
        )
    return event


def event_update(*, actor: User, event: Event, data: EventData) -> Event:
    if not may_run(actor, event):
        deny(actor, "outreach.event_update", target=event)
    values = _values(data)
    changed = [
        name
        for name, value in values.items()
        if getattr(event, name) != value and name not in ("regency_code", "district_code")
    ]
    with transaction.atomic():
        for name, value in values.items():
            setattr(event, name, value)
        event.full_clean()
        event.save(update_fields=list(values))
        audit_record(
            actor=actor, action=AuditEvent.Action.UPDATE, target=event, changed_fields=changed
        )
    return event


def event_set_status(*, actor: User, event: Event, status: str) -> Event:
    """Open (registration and check-in), close (check-in ends), cancel, or back to
    planned. A move the table does not allow is refused in words."""
    if not may_run(actor, event):
        deny(actor, "outreach.event_set_status", target=event)
    if status not in MOVES.get(event.status, set()):
        raise error(
            "status",
            _("An event that is %(now)s cannot be made %(new)s.")
            % {
                "now": Event.Status(event.status).label,
                "new": Event.Status(status).label if status in Event.Status.values else status,
            },
            "invalid_move",
        )
    with transaction.atomic():
        moved = Event.objects.filter(pk=event.pk, status=event.status).update(status=status)
        if not moved:
            raise error("status", _("Someone else changed this event: read it again."), "stale")
        event.status = status
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=event,
            changed_fields=["status"],
            reason=f"event {status}",
        )
    return event


EVENT_FIELDS = [f.name for f in fields(EventData)]
