"""Build outreach data through the real services (docs/style.md, rule 9)."""

from datetime import timedelta

from django.utils import timezone

from garda.outreach.models import Event
from garda.outreach.services.events import EventData, event_create, event_set_status
from garda.outreach.services.registrations import RegistrationData, registration_create
from garda.places.models import Region

PLACES = (
    ("31", "DKI Jakarta", "province", None),
    ("31.71", "Kota Adm. Jakarta Pusat", "regency", "31"),
    ("31.71.01", "Gambir", "district", "31.71"),
    ("31.71.01.1001", "Gambir", "village", "31.71.01"),
    ("31.75", "Kota Adm. Jakarta Timur", "regency", "31"),
    ("31.75.01", "Matraman", "district", "31.75"),
)


def places() -> None:
    for code, name, level, parent in PLACES:
        Region.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "level": level,
                "parent_id": parent,
                "first_edition": 2016,
                "last_edition": 2025,
            },
        )


def event_data(**extra) -> EventData:
    starts = extra.pop("starts_at", timezone.now() + timedelta(days=3))
    values = {
        "kind": Event.Kind.SOCIALISATION,
        "title": "Sosialisasi migrasi aman",
        "region_code": "31.71.01.1001",
        "venue": "Balai warga RW 03",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=3),
        "audience": Event.Audience.PUBLIC,
        **extra,
    }
    return EventData(**values)


def make_event(actor, *, status: str = Event.Status.OPEN, **extra) -> Event:
    places()
    event = event_create(actor=actor, data=event_data(**extra))
    if status != Event.Status.PLANNED:
        event_set_status(actor=actor, event=event, status=Event.Status.OPEN)
    if status in (Event.Status.CLOSED, Event.Status.CANCELLED):
        event_set_status(actor=actor, event=event, status=status)
    event.refresh_from_db()
    return event


def register_for(event, *, actor=None, full_name: str = "Budi Santoso", nik: str = "", **kw):
    return registration_create(
        actor=actor,
        event=event,
        data=RegistrationData(full_name=full_name, phone=kw.pop("phone", ""), nik=nik),
        **kw,
    )
