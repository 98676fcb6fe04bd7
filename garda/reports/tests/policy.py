"""This app's routes in the policy matrix (garda/tests/policy.py merges them). Each part
keeps its rules in `policy_parts/<part>.py`."""

from garda.reports.tests.policy_parts import dashboards, public

POLICY: dict = {}
for _part in (dashboards, public):
    _clash = POLICY.keys() & _part.POLICY.keys()
    assert not _clash, _clash
    POLICY.update(_part.POLICY)


def world(personas, base: dict) -> dict:
    """Objects this app's rules refer to as "{name}" placeholders."""
    objects: dict = {}
    for part in (dashboards, public):
        objects.update(part.world(personas, base, dict(objects)))
    return objects
