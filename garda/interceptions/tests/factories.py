"""Interceptions for tests, made through the real services."""

from datetime import date, timedelta

from django.utils import timezone

from garda.interceptions.services.record import InterceptionData, interception_record
from garda.people.tests.factories import nik_for

# Screening answers: a debt (involuntary) and the passport held by the agent
# (coercion) make "high", signs of trafficking; a tourist visa alone is "medium".
TRAFFICKING = {"debt": "yes", "documents": "held", "irregular": "yes"}
ONE_SIGN = {"irregular": "yes"}


def data(*, serial: int | None = 11, **overrides) -> InterceptionData:
    values = {
        "intercepted_at": timezone.now() - timedelta(hours=6),
        "place_kind": "airport",
        "place_name": "Bandara Soekarno-Hatta, Terminal 3",
        "intercepted_by_text": "Imigrasi Soekarno-Hatta",
        "handed_over_at": timezone.now() - timedelta(hours=1),
        "person_full_name": "Siti Rahayu",
        "person_nik": nik_for(serial=serial, born=date(1998, 4, 12)) if serial else "",
        "person_sex": "F",
        "person_birth_date": date(1998, 4, 12),
        "intended_job": "Asisten rumah tangga",
        "documents": {"passport": "broker", "contract": "none"},
        "shelter": "Rumah aman BP3MI Banten, Benda",
        "answers": dict(ONE_SIGN),
        "brokers": [{"name": "PT. Maju Jaya", "kind": "company"}],
    }
    values.update(overrides)
    return InterceptionData(**values)


def record(actor, **overrides):
    return interception_record(actor=actor, data=data(**overrides))


def api_payload(nik: str) -> dict:
    """A body for `POST /api/v1/interceptions` (medium: no case)."""
    return {
        "intercepted_at": "2026-01-10T08:00:00+07:00",
        "place_kind": "airport",
        "place_name": "Bandara Soekarno-Hatta",
        "intercepted_by_text": "Imigrasi",
        "person_nik": nik,
        "person_full_name": "Rina Cegah",
        "person_sex": "F",
        "person_birth_date": "1995-03-03",
        "answers": {"irregular": "yes"},
        "brokers": [{"name": "Pak Darto", "kind": "broker"}],
    }
