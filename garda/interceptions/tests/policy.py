"""This app's routes in the policy matrix (garda/tests/policy.py merges them).

The world: {interception} is an interception recorded by the officer persona (the
supervisor persona's agency too), with a case (signs of trafficking) and a broker;
{interception_step} its counselling step; {interception_nameless} one recorded by the
officer persona without a NIK, linked to the registry by {interception_link} (a
NIK nobody holds: the person is registered; each request is rolled back);
{case_own} (the cases' world) is a case the officer persona holds, on which a broker
is named.
"""

from garda.tests.policy import ADMIN, OFFICER, SUPERVISOR, Rule

READERS = frozenset({OFFICER, SUPERVISOR, ADMIN})
RECORDERS = frozenset({OFFICER, SUPERVISOR})
LEADS = frozenset({SUPERVISOR, ADMIN})
CASE_STAFF = frozenset({OFFICER, SUPERVISOR, ADMIN})


POLICY: dict = {
    "interceptions:list": Rule(READERS),
    "interceptions:new": Rule(RECORDERS),
    "interceptions:detail": Rule(READERS, kwargs={"pk": "{interception}"}),
    "interceptions:step_done": Rule(
        RECORDERS,
        method="post",
        kwargs={"pk": "{interception_step}"},
        data={"note": "Konseling"},
        ok=(302,),
    ),
    "interceptions:link_person": Rule(
        RECORDERS,
        method="post",
        kwargs={"pk": "{interception_nameless}"},
        data="{interception_link}",
        ok=(302,),
    ),
    "interceptions:brokers": Rule(LEADS),
    "interceptions:case_brokers": Rule(CASE_STAFF, kwargs={"pk": "{case_own}"}),
    "POST /api/v1/interceptions": Rule(
        RECORDERS, method="post", data="{interception_payload}", ok=(201,)
    ),
    "GET /api/v1/interceptions": Rule(READERS),
    "GET /api/v1/interceptions/{interception_id}": Rule(
        READERS, kwargs={"interception_id": "{interception}"}
    ),
    "POST /api/v1/interceptions/{interception_id}/steps/{step}": Rule(
        RECORDERS,
        method="post",
        kwargs={"interception_id": "{interception}", "step": "counselling"},
        data={"note": "Konseling"},
    ),
    "POST /api/v1/interceptions/{interception_id}/person": Rule(
        RECORDERS,
        method="post",
        kwargs={"interception_id": "{interception_nameless}"},
        data="{interception_link}",
    ),
    "GET /api/v1/broker-leads": Rule(LEADS),
    "POST /api/v1/cases/{case_id}/brokers": Rule(
        CASE_STAFF,
        method="post",
        kwargs={"case_id": "{case_own}"},
        data={"name": "Bu Sri", "kind": "broker"},
        ok=(201,),
    ),
}


def world(personas, base: dict) -> dict:
    from datetime import date

    from garda.interceptions.tests.factories import TRAFFICKING, api_payload, record
    from garda.people.tests.factories import nik_for

    interception = record(
        personas["officer"],
        serial=None,
        person_full_name="Sari Cegah",
        answers=TRAFFICKING,
        brokers=[{"name": "PT. Maju Jaya", "kind": "company"}],
    )
    nameless = record(personas["officer"], serial=None, person_full_name="Tanpa NIK")
    return {
        "interception_nameless": nameless.pk,
        "interception_link": {"person_nik": nik_for(serial=78, born=date(1998, 4, 12))},
        "interception": interception.pk,
        "interception_step": interception.steps.get(step="counselling").pk,
        "interception_payload": api_payload(nik_for(serial=77, born=date(1995, 3, 3))),
    }
