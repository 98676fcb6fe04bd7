"""This app's routes in the policy matrix (garda/tests/policy.py merges them). Each part
keeps its rules in `policy_parts/<part>.py`."""

from garda.outreach.tests.policy_parts import events

POLICY: dict = {}
for _part in (events,):
    _clash = POLICY.keys() & _part.POLICY.keys()
    assert not _clash, _clash
    POLICY.update(_part.POLICY)


def world(personas, base: dict, objects: dict | None = None) -> dict:
    """Objects this app's rules refer to as "{name}" placeholders."""
    found: dict = {}
    for part in (events,):
        found.update(part.world(personas, base, dict(found)))
    return found
