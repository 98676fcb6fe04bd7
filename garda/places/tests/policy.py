"""Places' routes in the policy matrix (garda/tests/policy.py merges them): the
region picker's options, for every signed-in user (the forms that use it are behind
the log-in)."""

from garda.tests.policy import SIGNED_IN, Rule

POLICY: dict = {
    "places:region_picker": Rule(SIGNED_IN, data={"field": "village_code"}),
}


def world(personas, base: dict) -> dict:
    return {}
