"""Policy rules of the staff dashboards (see ../policy.py): admins, supervisors and
officers read every dashboard; trainers (the training outcomes count every provider's
batches, a trainer may see only their own), partners, recruiters, workers and the
public none (403 and a denied row). The national registrations export
names persons: supervisors and admins. The world holds a snapshot of each dashboard
so the pages draw their tables."""

from garda.tests.policy import ADMIN, OFFICER, SUPERVISOR, Rule

READERS = frozenset({ADMIN, SUPERVISOR, OFFICER})

POLICY: dict = {
    "reports:index": Rule(READERS),
    "reports:dashboard": Rule(READERS, kwargs={"name": "registrations"}, data={"period": "all"}),
    "reports:export_csv": Rule(READERS, kwargs={"name": "cases"}, data={"table": "by_stage"}),
    "reports:export_xlsx": Rule(READERS, kwargs={"name": "training"}),
    "reports:national_registrations": Rule(frozenset({ADMIN, SUPERVISOR}), data={"period": "all"}),
    "GET /api/v1/figures": Rule(READERS),
    "GET /api/v1/figures/{name}": Rule(READERS, kwargs={"name": "registrations"}),
}


def world(personas, base: dict, objects: dict) -> dict:
    from garda.reports.snapshots import snapshot_all

    snapshot_all(periods=["all"])
    return {}
