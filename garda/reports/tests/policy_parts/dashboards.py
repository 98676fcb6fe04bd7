"""Policy rules of the staff dashboards (see ../policy.py): admins, supervisors and
officers read every dashboard, trainers the training one; partners, recruiters,
workers and the public none (403 and a denied row). The national registrations export
names persons: supervisors and admins. The world holds a snapshot of each dashboard
so the pages draw their tables."""

from garda.tests.policy import ADMIN, OFFICER, SUPERVISOR, TRAINER, Rule

READERS = frozenset({ADMIN, SUPERVISOR, OFFICER})
ANY_READER = READERS | {TRAINER}

POLICY: dict = {
    "reports:index": Rule(ANY_READER),
    "reports:dashboard": Rule(READERS, kwargs={"name": "registrations"}, data={"period": "all"}),
    "reports:export_csv": Rule(READERS, kwargs={"name": "cases"}, data={"table": "by_stage"}),
    "reports:export_xlsx": Rule(ANY_READER, kwargs={"name": "training"}),
    "reports:national_registrations": Rule(frozenset({ADMIN, SUPERVISOR}), data={"period": "all"}),
    "GET /api/v1/figures": Rule(ANY_READER),
    "GET /api/v1/figures/{name}": Rule(READERS, kwargs={"name": "registrations"}),
}


def world(personas, base: dict, objects: dict) -> dict:
    from garda.reports.snapshots import snapshot_all

    snapshot_all(periods=["all"])
    return {}
