"""Policy rules of the reports app, part public (see ../policy.py): the public
statistics page and API are open to every role and to anonymous visitors. The world
stores the public snapshot of 2025, a year that has ended (from an empty registry:
every cell suppressed); a year is published only once it has ended."""

from garda.tests.policy import EVERYONE, Rule

POLICY: dict = {
    "reports:public": Rule(EVERYONE, data={"period": "2025"}),
    "GET /api/v1/stats/public": Rule(EVERYONE, data={"period": "2025"}),
}


def world(personas, base: dict, objects: dict) -> dict:
    from garda.reports.snapshots import snapshot_all

    snapshot_all(periods=["2025"], names=["public"])
    return {}
