"""This app's routes in the policy matrix (garda/tests/policy.py merges them)."""

from garda.tests.policy import Rule  # noqa: F401

POLICY: dict = {}


def world(personas, base: dict) -> dict:
    """Objects this app's rules refer to as "{name}" placeholders."""
    return {}
