"""This part's routes in the policy matrix (garda/tests/policy.py merges them).

The world: {cls_batch} is a batch the trainer persona teaches at their provider; it
ran from twelve to eight days ago (so attendance can be recorded, no-shows marked
and the batch closed) and nobody has closed it. {cls_enrolment} is the worker
persona's own enrolment in it ({person}), so the worker reads its completion;
another trainee sits in the class too.
"""

from garda.tests.policy import ADMIN, OFFICER, SUPERVISOR, TRAINER, WORKER, Rule

TEACHERS = frozenset({TRAINER, ADMIN})
READERS = frozenset({TRAINER, OFFICER, SUPERVISOR, ADMIN})

POLICY: dict = {
    # --- pages ---
    "training:teach": Rule(TEACHERS),
    "training:batch_new": Rule(TEACHERS),
    "training:batch_edit": Rule(TEACHERS, kwargs={"pk": "{cls_batch}"}),
    "training:batch_cancel": Rule(
        TEACHERS,
        method="post",
        kwargs={"pk": "{cls_batch}"},
        data={"reason": "Bengkel direnovasi"},
        ok=(302,),
    ),
    "training:roster": Rule(READERS, kwargs={"pk": "{cls_batch}"}),
    "training:attendance": Rule(READERS, kwargs={"pk": "{cls_batch}", "number": "1"}),
    "training:assessments": Rule(READERS, kwargs={"pk": "{cls_batch}", "unit_pk": "{cls_unit}"}),
    "training:batch_close": Rule(TEACHERS, method="post", kwargs={"pk": "{cls_batch}"}),
    "training:no_show": Rule(
        READERS,
        method="post",
        kwargs={"pk": "{cls_enrolment}"},
        data={"reason": "Tidak pernah datang"},
        ok=(302,),
    ),
    # --- API ---
    "GET /api/v1/teach/batches": Rule(TEACHERS),
    "GET /api/v1/batches/{batch_id}/roster": Rule(READERS, kwargs={"batch_id": "{cls_batch}"}),
    "GET /api/v1/batches/{batch_id}/sessions": Rule(READERS, kwargs={"batch_id": "{cls_batch}"}),
    "GET /api/v1/batches/{batch_id}/sessions/{number}/attendance": Rule(
        READERS, kwargs={"batch_id": "{cls_batch}", "number": "1"}
    ),
    "PUT /api/v1/batches/{batch_id}/sessions/{number}/attendance": Rule(
        TEACHERS,
        method="put",
        kwargs={"batch_id": "{cls_batch}", "number": "1"},
        data="{cls_marks}",
    ),
    "PUT /api/v1/batches/{batch_id}/units/{unit_code}/assessments": Rule(
        TEACHERS,
        method="put",
        kwargs={"batch_id": "{cls_batch}", "unit_code": "{cls_unit_code}"},
        data="{cls_assessments}",
    ),
    "GET /api/v1/enrolments/{enrolment_id}/completion": Rule(
        READERS | {WORKER}, kwargs={"enrolment_id": "{cls_enrolment}"}
    ),
    "POST /api/v1/batches/{batch_id}/close": Rule(
        TEACHERS, method="post", kwargs={"batch_id": "{cls_batch}"}
    ),
    "POST /api/v1/batches/{batch_id}/cancel": Rule(
        TEACHERS,
        method="post",
        kwargs={"batch_id": "{cls_batch}"},
        data={"reason": "Bengkel direnovasi"},
    ),
}


def world(personas, base: dict) -> dict:
    from garda.people.models import Person
    from garda.training.services.enrolment import enrolment_create
    from garda.training.tests.classroom_support import classroom

    c = classroom(
        personas[TRAINER],
        personas[OFFICER],
        code="uji-kelas-matriks",
        trainees=1,
        starts_in_days=-12,
        sessions=5,
    )
    own = enrolment_create(
        actor=personas[OFFICER], batch=c.batch, person=Person.objects.get(pk=base["person"])
    )
    unit = c.course.course_units.order_by("order").first().unit
    return {
        "cls_batch": c.batch.pk,
        "cls_enrolment": own.pk,
        "cls_unit": unit.pk,
        "cls_unit_code": unit.code,
        "cls_marks": {"marks": [{"enrolment_id": own.pk, "status": "present"}]},
        "cls_assessments": {"rows": [{"enrolment_id": own.pk, "result": "competent", "score": 90}]},
    }
