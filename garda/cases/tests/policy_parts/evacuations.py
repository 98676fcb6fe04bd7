"""Policy rules of evacuations and the arrivals board (see ../policy.py for the world;
`world` below adds what only these rules use). alice (officer) and bob (supervisor) are
at Disnaker:

- {evacuation}: alice's evacuation from Sudan, two people on flight GA 1 landing
  tomorrow: case staff (officers and supervisors of the agency, admins) open it, add
  people, mark a step done for the flight, set travel, list it per flight and print;
- {evacuation_empty}: alice's evacuation with nobody yet: closing it is allowed;
- the arrivals board (page, printable sheet, API): the reception team only, officers
  and supervisors; admins too get 403, like workers, trainers, partners, recruiters."""

from garda.tests.policy import ADMIN, OFFICER, SUPERVISOR, Rule

CASE_STAFF = frozenset({OFFICER, SUPERVISOR, ADMIN})
BOARD = frozenset({OFFICER, SUPERVISOR})
EVAC = {"pk": "{evacuation}"}
API_EVAC = {"evacuation_id": "{evacuation}"}


def _post(allowed, kwargs, data=None) -> Rule:
    return Rule(allowed, method="post", kwargs=kwargs, data=data or {}, ok=(302,), multipart=True)


def _api_post(allowed, kwargs, data, ok=(200,)) -> Rule:
    return Rule(allowed, method="post", kwargs=kwargs, data=data, ok=ok)


POLICY: dict = {
    # --- pages ---
    "cases:evacuations": Rule(CASE_STAFF),
    "cases:evacuation_create": _post(
        CASE_STAFF, {}, {"name": "Evakuasi Sudan", "country": "SD", "cause": "Konflik"}
    ),
    "cases:evacuation": Rule(CASE_STAFF, kwargs=EVAC),
    "cases:evacuation_people": _post(CASE_STAFF, EVAC, {"people": "Orang Baru;GA 1;medis"}),
    "cases:evacuation_bulk": _post(
        CASE_STAFF, EVAC, {"action": "complete", "step": "health_confirmed", "flight": "GA 1"}
    ),
    "cases:evacuation_close": _post(CASE_STAFF, {"pk": "{evacuation_empty}"}),
    "cases:evacuation_flights": Rule(CASE_STAFF, kwargs=EVAC),
    "cases:evacuation_flights_pdf": Rule(CASE_STAFF, kwargs=EVAC),
    "cases:arrivals": Rule(BOARD),
    "cases:arrivals_pdf": Rule(BOARD),
    # --- API ---
    "POST /api/v1/evacuations": _api_post(CASE_STAFF, {}, "{evacuation_json}", ok=(201,)),
    "GET /api/v1/evacuations": Rule(CASE_STAFF),
    "GET /api/v1/evacuations/{evacuation_id}": Rule(CASE_STAFF, kwargs=API_EVAC),
    "POST /api/v1/evacuations/{evacuation_id}/people": _api_post(
        CASE_STAFF, API_EVAC, "{evacuation_people_json}", ok=(201,)
    ),
    "POST /api/v1/evacuations/{evacuation_id}/steps/{code}/complete": _api_post(
        CASE_STAFF,
        {"evacuation_id": "{evacuation}", "code": "health_confirmed"},
        "{evacuation_flight_json}",
    ),
    "POST /api/v1/evacuations/{evacuation_id}/travel": _api_post(
        CASE_STAFF, API_EVAC, "{evacuation_travel_json}"
    ),
    "GET /api/v1/evacuations/{evacuation_id}/flights": Rule(CASE_STAFF, kwargs=API_EVAC),
    "POST /api/v1/evacuations/{evacuation_id}/close": _api_post(
        CASE_STAFF, {"evacuation_id": "{evacuation_empty}"}, {}
    ),
    "GET /api/v1/arrivals": Rule(BOARD),
}


def world(personas, base: dict, cases: dict) -> dict:
    """What only these rules use, on top of the cases world (`cases`)."""
    from datetime import timedelta

    from django.utils import timezone

    from garda.cases.services.repatriation import evacuation_create, repatriations_start_many
    from garda.places.models import Country

    alice = personas["officer"]
    sudan = Country.objects.get_or_create(
        code="SD",
        defaults={"alpha3": "SDN", "numeric": "729", "name_id": "Sudan", "name_en": "Sudan"},
    )[0]
    evacuation = evacuation_create(
        actor=alice, name="Evakuasi Sudan", country=sudan, cause="Konflik"
    )
    tomorrow = timezone.now() + timedelta(days=1)
    repatriations_start_many(
        actor=alice,
        evacuation=evacuation,
        people=[
            {
                "name": "Evakuasi Satu",
                "flight": "GA 1",
                "arrives_at": tomorrow,
                "needs": ["escort"],
            },
            {"name": "Evakuasi Dua", "flight": "GA 1", "arrives_at": tomorrow},
        ],
    )
    empty = evacuation_create(actor=alice, name="Evakuasi Kosong", country=sudan, cause="Banjir")
    return {
        "evacuation": evacuation.pk,
        "evacuation_empty": empty.pk,
        "evacuation_json": {"name": "Evakuasi Sudan", "country": "SD", "cause": "Konflik"},
        "evacuation_people_json": {"people": [{"name": "Orang Baru", "flight": "GA 1"}]},
        "evacuation_flight_json": {"flight": "GA 1"},
        "evacuation_travel_json": {"flight": "GA 1", "debarkation": "cgk"},
    }
