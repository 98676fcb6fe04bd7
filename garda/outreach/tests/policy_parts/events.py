"""Policy rules of outreach events (see ../policy.py).

The world: {outreach_event} is an open event for the public of the officer persona's
agency (the supervisor's too), with a registration whose check-in code is
{outreach_code} and whose confirmation token is {outreach_token}. Officers and
supervisors run it; admins read; the public and workers see its public page and
register; trainers, partners and recruiters never (403).
"""

from garda.tests.policy import (
    ADMIN,
    ANON,
    EVERYONE,
    OFFICER,
    SIGNED_IN,
    SUPERVISOR,
    WORKER,
    Rule,
)

READERS = frozenset({OFFICER, SUPERVISOR, ADMIN})
WRITERS = frozenset({OFFICER, SUPERVISOR})
EVENT = {"pk": "{outreach_event}"}

POLICY: dict = {
    "outreach:event_list": Rule(READERS),
    "outreach:event_new": Rule(WRITERS),
    "outreach:event_detail": Rule(READERS, kwargs=EVENT),
    "outreach:event_edit": Rule(WRITERS, kwargs=EVENT),
    "outreach:event_status": Rule(
        WRITERS, method="post", kwargs=EVENT, data={"status": "closed"}, ok=(302,)
    ),
    "outreach:attendance": Rule(READERS, kwargs=EVENT),
    "outreach:attendance_csv": Rule(READERS, kwargs=EVENT),
    "outreach:check_in": Rule(WRITERS, kwargs=EVENT),
    "outreach:walk_in": Rule(
        WRITERS, method="post", kwargs=EVENT, data={"walk-full_name": "Rudi Hartono"}
    ),
    "outreach:event_funnel": Rule(READERS, kwargs=EVENT),
    # The overview is the figures' outreach dashboard (the job's snapshot): a redirect.
    "outreach:funnel": Rule(READERS, ok=(302,)),
    "outreach:announcement_new": Rule(WRITERS),
    "outreach:public_events": Rule(EVERYONE),
    "outreach:public_event": Rule(EVERYONE, kwargs=EVENT),
    "outreach:confirmation": Rule(EVERYONE, kwargs={"token": "{outreach_token}"}),
    "outreach:announcements": Rule(EVERYONE),
    "outreach:subscription": Rule(frozenset({WORKER})),
    # The API (a contract other systems use).
    "POST /api/v1/events": Rule(WRITERS, method="post", data="{outreach_event_payload}", ok=(201,)),
    "GET /api/v1/events": Rule(READERS),
    "GET /api/v1/events/{event_id}": Rule(READERS, kwargs={"event_id": "{outreach_event}"}),
    "POST /api/v1/events/{event_id}/registrations": Rule(
        WRITERS | {WORKER},
        method="post",
        kwargs={"event_id": "{outreach_event}"},
        data={"full_name": "Rudi Hartono", "phone": "081234567890"},
        ok=(201,),
    ),
    "GET /api/v1/events/{event_id}/registrations": Rule(
        READERS, kwargs={"event_id": "{outreach_event}"}
    ),
    "POST /api/v1/events/{event_id}/check-in": Rule(
        WRITERS,
        method="post",
        kwargs={"event_id": "{outreach_event}"},
        data="{outreach_check_in}",
    ),
    "GET /api/v1/events/{event_id}/funnel": Rule(READERS, kwargs={"event_id": "{outreach_event}"}),
    "POST /api/v1/announcements": Rule(
        WRITERS,
        method="post",
        data={"kind": "fake_job", "title": "Awas lowongan palsu", "body": "Jangan bayar."},
        ok=(201,),
    ),
    "GET /api/v1/announcements": Rule(SIGNED_IN),
}

assert ANON not in READERS


def world(personas, base: dict, objects: dict) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from garda.outreach.tests.factories import make_event, register_for

    event = make_event(personas[OFFICER])
    registration = register_for(event, full_name="Siti Aminah")
    starts = timezone.now() + timedelta(days=10)
    return {
        "outreach_event": event.pk,
        "outreach_code": registration.code,
        "outreach_check_in": {"code": registration.code},
        "outreach_token": registration.token,
        "outreach_event_payload": {
            "kind": "job_fair",
            "title": "Bursa kerja luar negeri",
            "region_code": "31.71",
            "venue": "GOR Gambir",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=6)).isoformat(),
            "audience": "prospective",
            "capacity": 300,
        },
    }
