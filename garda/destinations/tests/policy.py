"""This app's routes in the policy matrix (garda/tests/policy.py merges them): the
rules pages in policy_rules.py, readiness and plans in policy_readiness.py."""

from garda.destinations.tests import policy_readiness, policy_rules

POLICY: dict = {**policy_rules.POLICY, **policy_readiness.POLICY}


def world(personas, base: dict) -> dict:
    extra = policy_rules.world(personas, base)
    extra.update(policy_readiness.world(personas, {**base, **extra}))
    return extra
