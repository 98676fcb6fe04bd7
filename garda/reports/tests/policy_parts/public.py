"""Policy rules of the reports app, part public (see ../policy.py): the public
statistics page and API are open to every role and to anonymous visitors. The world
stores the public snapshot of 2026 (from an empty registry: every cell suppressed)."""

from garda.tests.policy import EVERYONE, Rule

POLICY: dict = {
    "reports:public": Rule(EVERYONE, data={"period": "2026"}),
    "GET /api/v1/stats/public": Rule(EVERYONE, data={"period": "2026"}),
}


def world(personas, base: dict, objects: dict) -> dict:
    from garda.reports.snapshots import snapshot_all

    snapshot_all(periods=["2026"], names=["public"])
    return {}
