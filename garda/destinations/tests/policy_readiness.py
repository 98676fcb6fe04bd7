"""Readiness and plan routes in the policy matrix (docs/security.md, test 3).

{person} is the worker persona's record; world() gives it a plan for the seeded Korea
EPS manufacturing target and computes its readiness once, so that the matrix's GETs
find the cached answer and write nothing (test_no_get_mutates). The officer persona is
not assigned to {person}: like the registry, readiness is shared by all officers.
"""

from garda.tests.policy import REGISTRY, REGISTRY_AND_SELF, WORKER, Rule

KR_EPS = {"destination": "KR", "scheme": "g2g-kr-eps", "sector": "manufacturing"}

POLICY: dict = {
    # The worker's own checklist and plan.
    "destinations:my_readiness": Rule(frozenset({WORKER})),
    "destinations:my_plan": Rule(frozenset({WORKER}), method="post", data=KR_EPS, ok=(302,)),
    # An officer's view of a person's readiness, and the plan on their behalf.
    "destinations:person_readiness": Rule(REGISTRY, kwargs={"pk": "{person}"}),
    "destinations:person_plan": Rule(
        REGISTRY, method="post", kwargs={"pk": "{person}"}, data=KR_EPS, ok=(302,)
    ),
    # The API: the worker for themself, the registry roles for anyone; others 404.
    "GET /api/v1/people/{person_id}/readiness": Rule(
        REGISTRY_AND_SELF, kwargs={"person_id": "{person}"}
    ),
    "GET /api/v1/people/{person_id}/plan": Rule(
        REGISTRY_AND_SELF, kwargs={"person_id": "{person}"}
    ),
    "PUT /api/v1/people/{person_id}/plan": Rule(
        REGISTRY_AND_SELF, method="put", kwargs={"person_id": "{person}"}, data=KR_EPS
    ),
}


def world(personas, base: dict) -> dict:
    """Objects this module's rules refer to as "{name}" placeholders."""
    from garda.destinations.readiness import readiness_for
    from garda.destinations.services.plans import plan_set
    from garda.people.models import Person

    person = Person.objects.get(pk=base["person"])
    plan_set(
        actor=personas[WORKER],
        person=person,
        destination_code=KR_EPS["destination"],
        scheme_code=KR_EPS["scheme"],
        sector=KR_EPS["sector"],
    )
    readiness_for(Person.objects.get(pk=person.pk))
    return {}
