"""Policy rules of reintegration outcomes (see ../policy.py): aggregate figures for
officers, supervisors and admins; workers, trainers, partners and recruiters 403 with
a denied row. The world holds a small population so the pages draw every table."""

from garda.tests.policy import ADMIN, OFFICER, SUPERVISOR, Rule

READERS = frozenset({OFFICER, SUPERVISOR, ADMIN})

POLICY: dict = {
    "reintegration:outcomes": Rule(READERS, data={"from": "2026-01-01", "to": "2026-12-31"}),
    "reintegration:outcomes_csv": Rule(READERS, data={"table": "by_programme"}),
    "GET /api/v1/reintegration/outcomes": Rule(READERS, data={"from": "2026-01-01"}),
}


def world(personas, base: dict, objects: dict) -> dict:
    from garda.reintegration.tests.factories_outcomes import population

    population(personas[OFFICER])
    return {}
