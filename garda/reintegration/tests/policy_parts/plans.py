"""Policy rules of reintegration plans (see ../policy.py).

The world: {person} (the worker persona's own record) has a plan made by the officer
persona ({reint_plan}, its planned goal {reint_goal}, its follow-ups at 3, 6 and 12
months); {returnee} is a person who came home without a plan (for making one).
Staff of the registry read; officers and supervisors write; the worker reads their own
plan; trainers, partners and recruiters never (403).
"""

from garda.tests.policy import ADMIN, OFFICER, SUPERVISOR, WORKER, Rule

READERS = frozenset({OFFICER, SUPERVISOR, ADMIN})
WRITERS = frozenset({OFFICER, SUPERVISOR})
WITH_SELF = READERS | {WORKER}

GOAL = {"kind": "counselling", "description": "Konseling keluarga"}

POLICY: dict = {
    "reintegration:due": Rule(READERS),
    "reintegration:mine": Rule(frozenset({WORKER})),
    "reintegration:person": Rule(READERS, kwargs={"pk": "{person}"}),
    "reintegration:assessment": Rule(WRITERS, kwargs={"pk": "{returnee}"}),
    "reintegration:plan_new": Rule(WRITERS, kwargs={"pk": "{returnee}"}),
    "reintegration:goal_new": Rule(
        WRITERS, method="post", kwargs={"pk": "{reint_plan}"}, data=GOAL, ok=(302,)
    ),
    "reintegration:goal_done": Rule(
        WRITERS, method="post", kwargs={"pk": "{reint_goal}"}, data={}, ok=(302,)
    ),
    "reintegration:followup": Rule(WRITERS, kwargs={"pk": "{reint_plan}", "month": 3}),
    "reintegration:complete": Rule(
        WRITERS, method="post", kwargs={"pk": "{reint_plan}"}, data={}, ok=(302,)
    ),
    "reintegration:withdraw": Rule(
        WRITERS, method="post", kwargs={"pk": "{reint_plan}"}, data={}, ok=(302,)
    ),
    "POST /api/v1/people/{person_id}/reintegration-plans": Rule(
        WRITERS,
        method="post",
        kwargs={"person_id": "{returnee}"},
        data="{reint_plan_payload}",
        ok=(201,),
    ),
    "GET /api/v1/people/{person_id}/reintegration-plans": Rule(
        WITH_SELF, kwargs={"person_id": "{person}"}
    ),
    "GET /api/v1/reintegration-plans/{plan_id}": Rule(
        WITH_SELF, kwargs={"plan_id": "{reint_plan}"}
    ),
    "POST /api/v1/people/{person_id}/reintegration-assessments": Rule(
        WRITERS,
        method="post",
        kwargs={"person_id": "{returnee}"},
        data="{reint_assessment_payload}",
        ok=(201,),
    ),
    "POST /api/v1/reintegration-plans/{plan_id}/goals": Rule(
        WRITERS, method="post", kwargs={"plan_id": "{reint_plan}"}, data=GOAL, ok=(201,)
    ),
    "POST /api/v1/reintegration-goals/{goal_id}/done": Rule(
        WRITERS, method="post", kwargs={"goal_id": "{reint_goal}"}, data={}
    ),
    "POST /api/v1/reintegration-plans/{plan_id}/follow-ups/{month}": Rule(
        WRITERS,
        method="post",
        kwargs={"plan_id": "{reint_plan}", "month": "3"},
        data={"answers": {"econ_work": "regular", "soc_housing": "good"}, "remigration": "no"},
    ),
    "GET /api/v1/reintegration-instruments/active": Rule(WITH_SELF),
}


def world(personas, base: dict, objects: dict) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from garda.people.models import Person
    from garda.people.tests.factories import register
    from garda.reintegration.tests.factories import make_plan, programme

    officer = personas["officer"]
    person = Person.objects.get(pk=base["person"])
    # Home 75 days ago: the 3-month follow-up may be recorded (from 30 days before due).
    plan = make_plan(officer, person, returned_on=timezone.localdate() - timedelta(days=75))
    returnee = register(serial=8160, full_name="Sari Pulang")
    returned_on = (timezone.localdate() - timedelta(days=5)).isoformat()
    return {
        "reint_plan": plan.pk,
        "reint_goal": plan.goals.get(kind="counselling").pk,
        "returnee": returnee.pk,
        "reint_plan_payload": {
            "returned_on": returned_on,
            "programme_id": programme().pk,
            "goals": [{"kind": "capital", "description": "Modal usaha warung"}],
        },
        "reint_assessment_payload": {"returned_on": returned_on, "vulnerability": "medium"},
    }
