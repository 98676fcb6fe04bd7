"""This app's routes in the policy matrix (garda/tests/policy.py merges them).

The world: {compliance_hold}, a hold bob (the supervisor persona) placed on {person};
{compliance_incident}, an incident the admin recorded; {compliance_hold_json}, a
hold to place on another person; the bodies with a time near now.
"""

from garda.tests.policy import ADMIN, SUPERVISOR, Rule

ONLY_ADMIN = frozenset({ADMIN})
HOLDERS = frozenset({SUPERVISOR, ADMIN})
INCIDENT = {"pk": "{compliance_incident}"}
INCIDENT_API = {"incident_id": "{compliance_incident}"}

POLICY: dict = {
    # --- pages ---
    "compliance:retention": Rule(ONLY_ADMIN),
    "compliance:holds": Rule(HOLDERS),
    "compliance:hold_lift": Rule(
        HOLDERS,
        method="post",
        kwargs={"pk": "{compliance_hold}"},
        data={"lift_reason": "Perkara sudah selesai"},
        ok=(302,),
    ),
    "compliance:incidents": Rule(ONLY_ADMIN),
    "compliance:incident": Rule(ONLY_ADMIN, kwargs=INCIDENT),
    "compliance:incident_search": Rule(
        ONLY_ADMIN, method="post", kwargs=INCIDENT, data="{compliance_search_form}", ok=(302,)
    ),
    "compliance:incident_notify": Rule(ONLY_ADMIN, method="post", kwargs=INCIDENT, ok=(302,)),
    "compliance:incident_authority": Rule(
        ONLY_ADMIN, method="post", kwargs=INCIDENT, data="{compliance_authority_form}", ok=(302,)
    ),
    # --- API ---
    "GET /api/v1/retention/rules": Rule(ONLY_ADMIN),
    "GET /api/v1/legal-holds": Rule(HOLDERS),
    "POST /api/v1/legal-holds": Rule(
        HOLDERS,
        method="post",
        data="{compliance_hold_json}",
        ok=(201,),
    ),
    "POST /api/v1/legal-holds/{hold_id}/lift": Rule(
        HOLDERS,
        method="post",
        kwargs={"hold_id": "{compliance_hold}"},
        data={"lift_reason": "Perkara sudah selesai"},
    ),
    "GET /api/v1/incidents": Rule(ONLY_ADMIN),
    "POST /api/v1/incidents": Rule(
        ONLY_ADMIN, method="post", data="{compliance_incident_json}", ok=(201,)
    ),
    "GET /api/v1/incidents/{incident_id}": Rule(ONLY_ADMIN, kwargs=INCIDENT_API),
    "POST /api/v1/incidents/{incident_id}/persons": Rule(
        ONLY_ADMIN, method="post", kwargs=INCIDENT_API, data="{compliance_search_json}"
    ),
    "POST /api/v1/incidents/{incident_id}/notify": Rule(
        ONLY_ADMIN, method="post", kwargs=INCIDENT_API
    ),
    "POST /api/v1/incidents/{incident_id}/authority": Rule(
        ONLY_ADMIN, method="post", kwargs=INCIDENT_API, data="{compliance_authority_json}"
    ),
}


def world(personas, base: dict) -> dict:
    """Objects this app's rules refer to as "{name}" placeholders."""
    from datetime import timedelta

    from django.utils import timezone

    from garda.accounts import roles
    from garda.compliance.services.holds import hold_place
    from garda.compliance.services.incidents import incident_create
    from garda.people.models import Person
    from garda.people.tests.factories import register

    admin, bob, alice = personas[roles.ADMIN], personas[roles.SUPERVISOR], personas[roles.OFFICER]
    person = Person.objects.get(pk=base["person"])
    hold = hold_place(actor=bob, person=person, reason="Penyidikan kepolisian")
    other = register(serial=9191, actor=alice, full_name="Untuk Ditahan")
    now = timezone.now()
    incident = incident_create(
        actor=admin,
        title="Akun petugas dipakai orang lain",
        description="Kata sandi bocor.",
        kind="access",
        systems="Garda",
        discovered_at=now - timedelta(hours=1),
        data_concerned="Nama dan NIK",
        measures="Akun diblokir.",
        advice="Waspada penipuan.",
        contact="021-1234567",
    )
    local = timezone.localtime(now)
    minute = "%Y-%m-%dT%H:%M"
    return {
        "compliance_hold": hold.pk,
        "compliance_incident": incident.pk,
        "compliance_hold_json": {"reference": other.reference, "reason": "Sengketa di pengadilan"},
        "compliance_search_form": {
            "account": alice.email,
            "since": (local - timedelta(days=1)).strftime(minute),
            "until": (local + timedelta(hours=1)).strftime(minute),
        },
        "compliance_search_json": {
            "account": alice.email,
            "since": (now - timedelta(days=1)).isoformat(),
            "until": (now + timedelta(hours=1)).isoformat(),
        },
        "compliance_authority_form": {
            "informed_at": local.strftime(minute),
            "note": "Surat ke lembaga PDP",
        },
        "compliance_authority_json": {
            "informed_at": now.isoformat(),
            "note": "Surat ke lembaga PDP",
        },
        "compliance_incident_json": {
            "title": "Laptop hilang",
            "description": "Laptop petugas dicuri.",
            "kind": "loss",
            "systems": "Laptop",
            "discovered_at": (now - timedelta(hours=2)).isoformat(),
            "data_concerned": "Nama",
            "measures": "Akun diblokir.",
            "advice": "Waspada.",
            "contact": "021",
        },
    }
