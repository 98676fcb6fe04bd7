"""The catalogue and enrolment routes in the policy matrix (garda/tests/policy.py
merges them).

The world: {cat_course} has no prerequisites; {cat_open_batch} is a published batch
far in the future (so that no other part's batch overlaps it) with free seats;
{cat_enrolment} is the worker persona's ({person}) enrolment in a batch that starts
today and is taught by the trainer persona (so that a no-show may be recorded).
"""

from garda.tests.policy import (
    ADMIN,
    EVERYONE,
    OFFICER,
    REGISTRY,
    REGISTRY_AND_SELF,
    SUPERVISOR,
    TRAINER,
    WORKER,
    Rule,
)

ONLY_WORKER = frozenset({WORKER})
TEACHING = frozenset({TRAINER, OFFICER, SUPERVISOR, ADMIN})
READERS = REGISTRY_AND_SELF | {TRAINER}
REASON = {"reason": "Sakit, dirawat di rumah sakit"}

POLICY: dict = {
    # --- pages ---
    "training:catalogue": Rule(EVERYONE),
    "training:course": Rule(EVERYONE, kwargs={"code": "{cat_course}"}),
    "training:batch": Rule(EVERYONE, kwargs={"pk": "{cat_open_batch}"}),
    "training:enrol": Rule(
        ONLY_WORKER, method="post", kwargs={"pk": "{cat_open_batch}"}, ok=(302,)
    ),
    "training:enrol_person": Rule(
        REGISTRY,
        method="post",
        kwargs={"pk": "{cat_open_batch}"},
        data="{cat_enrol_form}",
        ok=(302,),
    ),
    "training:my_training": Rule(ONLY_WORKER),
    "training:withdraw": Rule(
        REGISTRY_AND_SELF, method="post", kwargs={"pk": "{cat_enrolment}"}, data=REASON, ok=(302,)
    ),
    # --- API: the catalogue is public ---
    "GET /api/v1/courses": Rule(EVERYONE),
    "GET /api/v1/courses/{code}": Rule(EVERYONE, kwargs={"code": "{cat_course}"}),
    "GET /api/v1/batches": Rule(EVERYONE),
    "GET /api/v1/batches/{batch_id}": Rule(EVERYONE, kwargs={"batch_id": "{cat_open_batch}"}),
    # The worker enrols themself ({person}); registry roles anyone.
    "POST /api/v1/batches/{batch_id}/enrolments": Rule(
        REGISTRY_AND_SELF,
        method="post",
        kwargs={"batch_id": "{cat_open_batch}"},
        data="{cat_enrol_json}",
        ok=(201,),
    ),
    # The trainer of the batch reads it too (and records no-shows); only the worker
    # themself and registry roles withdraw.
    "GET /api/v1/enrolments/{enrolment_id}": Rule(
        READERS, kwargs={"enrolment_id": "{cat_enrolment}"}
    ),
    "POST /api/v1/enrolments/{enrolment_id}/withdraw": Rule(
        REGISTRY_AND_SELF,
        method="post",
        kwargs={"enrolment_id": "{cat_enrolment}"},
        data=REASON,
    ),
    "POST /api/v1/enrolments/{enrolment_id}/no-show": Rule(
        TEACHING,
        method="post",
        kwargs={"enrolment_id": "{cat_enrolment}"},
        data=REASON,
    ),
    "GET /api/v1/people/{person_id}/enrolments": Rule(
        REGISTRY_AND_SELF, kwargs={"person_id": "{person}"}
    ),
}


def world(personas, base: dict) -> dict:
    """Objects this part's rules refer to as "{name}" placeholders."""
    from datetime import timedelta

    from django.utils import timezone

    from garda.people.models import Person
    from garda.training.models import Batch
    from garda.training.services.enrolment import enrolment_create
    from garda.training.tests.catalogue_support import provider_for
    from garda.training.tests.factories import make_batch, make_course

    trainer = personas[TRAINER]
    provider = provider_for(trainer.agency)
    course = make_course("cat-policy-welding", units=1)
    open_batch = make_batch(course, provider, code="CAT-OPEN", starts_in_days=300)
    running = make_batch(
        course,
        provider,
        code="CAT-RUN",
        starts_in_days=10,
        days=1,
        sessions=1,
        trainers=[trainer],
    )
    person = Person.objects.get(pk=base["person"])
    enrolment = enrolment_create(actor=personas[WORKER], batch=running, person=person)
    # It has started: a no-show may be recorded from the first day on.
    today = timezone.localdate()
    Batch.objects.filter(pk=running.pk).update(starts_on=today, ends_on=today)
    running.sessions.update(date=today)
    return {
        "cat_course": course.code,
        "cat_open_batch": open_batch.pk,
        "cat_enrolment": enrolment.pk,
        "cat_enrol_form": {"reference": person.reference},
        "cat_enrol_json": {"person_id": person.pk},
        "cat_yesterday": str(today - timedelta(days=1)),
    }
