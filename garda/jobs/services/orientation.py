"""Pre-departure orientation (OPP) sessions: officers and admins plan them (date,
place, capacity, the destination they are for, optionally the training batch that runs
them); placements take a seat through services/placement.py (capacity enforced under
a lock on the session's row). A session with placements on it is not deleted: its
attendance is part of those placements' record (docs/placement.md)."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from garda.accounts.models import User
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.destinations.models import Destination
from garda.jobs.models import OrientationSession, Placement
from garda.jobs.services.placement import PlacementRefused, _ensure_office

FIELDS = ("starts_at", "place", "capacity", "destination", "batch", "notes")
MAX_CAPACITY = 1000


@dataclass
class SessionData:
    starts_at: datetime | None
    place: str
    capacity: int | None
    destination: str = ""
    batch: object | None = None  # a training Batch, or None
    notes: str = ""


def _values(data: SessionData, session: OrientationSession | None) -> dict:
    errors = {}
    if data.starts_at is None:
        errors["starts_at"] = _("Give the session's date and time.")
    place = (data.place or "").strip()[:300]
    if not place:
        errors["place"] = _("Give the place of the session.")
    capacity = data.capacity
    if capacity is None or not 1 <= int(capacity) <= MAX_CAPACITY:
        errors["capacity"] = _("The capacity is a number of places from 1 to %(n)s.") % {
            "n": MAX_CAPACITY
        }
    elif session is not None:
        taken = (
            Placement.objects.filter(orientation=session)
            .exclude(status=Placement.Status.CANCELLED)
            .count()
        )
        if int(capacity) < taken:
            errors["capacity"] = _(
                "%(n)s workers are already on this session: the capacity cannot be lower."
            ) % {"n": taken}
    destination = (data.destination or "").strip().upper()
    if destination and not Destination.objects.filter(code=destination).exists():
        errors["destination"] = _("Choose a destination country from the list.")
    if errors:
        raise ValidationError({k: ValidationError(v, code="invalid") for k, v in errors.items()})
    return {
        "starts_at": data.starts_at,
        "place": place,
        "capacity": int(capacity),
        "destination": destination,
        "batch": data.batch,
        "notes": (data.notes or "").strip()[:500],
    }


def session_create(*, actor: User, data: SessionData) -> OrientationSession:
    _ensure_office(actor, "orientation_create")
    values = _values(data, None)
    with transaction.atomic():
        session = OrientationSession.objects.create(**values, created_by=actor)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            target=session,
            changed_fields=list(FIELDS),
        )
    return session


def session_update(
    *, actor: User, session: OrientationSession, data: SessionData
) -> OrientationSession:
    _ensure_office(actor, "orientation_update")
    with transaction.atomic():
        session = OrientationSession.objects.select_for_update().get(pk=session.pk)
        values = _values(data, session)
        changed = [k for k, v in values.items() if getattr(session, k) != v]
        for key, value in values.items():
            setattr(session, key, value)
        session.save()
        audit_record(
            actor=actor, action=AuditEvent.Action.UPDATE, target=session, changed_fields=changed
        )
    return session


def session_delete(*, actor: User, session: OrientationSession) -> None:
    _ensure_office(actor, "orientation_delete")
    with transaction.atomic():
        session = OrientationSession.objects.select_for_update().get(pk=session.pk)
        if Placement.objects.filter(orientation=session).exists():
            raise PlacementRefused(
                _("Workers are on this session: it cannot be deleted. Change its notes instead."),
                "in_use",
            )
        audit_record(actor=actor, action=AuditEvent.Action.DELETE, target=session)
        session.delete()


def upcoming(today=None):
    """Sessions from today on, the soonest first."""
    today = today or timezone.localdate()
    return OrientationSession.objects.filter(starts_at__date__gte=today).order_by("starts_at", "pk")
