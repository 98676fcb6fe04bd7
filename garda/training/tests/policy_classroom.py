"""This part's routes in the policy matrix (garda/tests/policy.py merges them)."""

POLICY: dict = {}


def world(personas, base: dict) -> dict:
    return {}
