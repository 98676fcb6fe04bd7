"""This part's routes in the policy matrix (garda/tests/policy.py merges them):
recommendations and outcomes.

{person} is the worker persona's record, which the destinations world gives a plan
(Korea EPS manufacturing): its recommendations are for that plan. Outcomes are for
supervisors and admins only (access.may_read_outcomes): others get 403.
"""

from garda.tests.policy import ADMIN, REGISTRY, REGISTRY_AND_SELF, SUPERVISOR, WORKER, Rule

OUTCOME_READERS = frozenset({SUPERVISOR, ADMIN})

POLICY: dict = {
    "training:my_recommendations": Rule(frozenset({WORKER})),
    "training:person_recommendations": Rule(REGISTRY, kwargs={"pk": "{person}"}),
    "training:outcomes": Rule(OUTCOME_READERS),
    "training:outcomes_export": Rule(OUTCOME_READERS),
    "GET /api/v1/people/{person_id}/training-recommendations": Rule(
        REGISTRY_AND_SELF, kwargs={"person_id": "{person}"}
    ),
    "GET /api/v1/training/outcomes": Rule(OUTCOME_READERS),
}


def world(personas, base: dict) -> dict:
    return {}
