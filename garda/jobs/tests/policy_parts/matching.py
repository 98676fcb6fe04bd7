"""Policy rules of matching (docs/matching.md): an order's candidates for officers,
supervisors and admins (a recruiter sees a candidate only through an application,
a worker never); a person's matches and preferences for the registry's roles and
the worker for themself ({person} is the worker persona's own record)."""

from garda.tests.policy import ADMIN, OFFICER, SUPERVISOR, WORKER, Rule

MATCHERS = frozenset({OFFICER, SUPERVISOR, ADMIN})
REGISTRY_AND_SELF = frozenset({WORKER, OFFICER, SUPERVISOR, ADMIN})
VERIFIED = {"order_id": "{jobs_verified}"}
PERSON = {"person_id": "{person}"}

POLICY: dict = {
    "jobs:order_candidates": Rule(MATCHERS, kwargs={"pk": "{jobs_verified}"}),
    "jobs:my_matches": Rule(frozenset({WORKER})),
    "GET /api/v1/job-orders/{order_id}/candidates": Rule(MATCHERS, kwargs=VERIFIED),
    "GET /api/v1/people/{person_id}/matches": Rule(REGISTRY_AND_SELF, kwargs=PERSON),
    "PUT /api/v1/people/{person_id}/job-preference": Rule(
        REGISTRY_AND_SELF, method="put", kwargs=PERSON, data={"sectors": ["domestic"]}
    ),
}
