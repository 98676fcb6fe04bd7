from garda.tests.policy import Rule  # noqa: F401

POLICY: dict = {}


def world(personas, base: dict) -> dict:
    """Objects this module's rules refer to as "{name}" placeholders."""
    return {}
