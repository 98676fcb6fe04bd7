"""This app's routes in the policy matrix (garda/tests/policy.py merges them). Each part
keeps its rules in `policy_parts/<part>.py` once it has several."""

POLICY: dict = {}


def world(personas, base: dict) -> dict:
    """Objects this app's rules refer to as "{name}" placeholders."""
    return {}
