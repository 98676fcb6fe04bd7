"""This app's routes in the policy matrix (garda/tests/policy.py merges them). Each part
keeps its rules in `policy_parts/<part>.py`."""

from garda.reintegration.tests.policy_parts import outcomes, plans

POLICY: dict = {}
for _part in (plans, outcomes):
    _clash = POLICY.keys() & _part.POLICY.keys()
    assert not _clash, _clash
    POLICY.update(_part.POLICY)


def world(personas, base: dict) -> dict:
    """Objects this app's rules refer to as "{name}" placeholders."""
    objects: dict = {}
    for part in (plans, outcomes):
        objects.update(part.world(personas, base, dict(objects)))
    return objects
