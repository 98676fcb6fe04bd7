"""Training's routes in the policy matrix (garda/tests/policy.py merges them), one block
per part of the app: catalogue and enrolment, the classroom, certificates, insight."""

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

# === catalogue ===
# The catalogue and enrolment routes in the policy matrix (garda/tests/policy.py
# merges them).
#
# The world: {cat_course} has no prerequisites; {cat_open_batch} is a published batch
# far in the future (so that no other part's batch overlaps it) with free seats;
# {cat_enrolment} is the worker persona's ({person}) enrolment in a batch that starts
# today and is taught by the trainer persona (so that a no-show may be recorded).
ONLY_WORKER = frozenset({WORKER})
TEACHING = frozenset({TRAINER, OFFICER, SUPERVISOR, ADMIN})
READERS = REGISTRY_AND_SELF | {TRAINER}
REASON = {"reason": "Sakit, dirawat di rumah sakit"}

CATALOGUE: dict = {
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


def _catalogue_world(personas, base: dict) -> dict:
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


# === classroom ===
# This part's routes in the policy matrix (garda/tests/policy.py merges them).
#
# The world: {cls_batch} is a batch the trainer persona teaches at their provider; it
# ran from twelve to eight days ago (so attendance can be recorded, no-shows marked
# and the batch closed) and nobody has closed it. {cls_enrolment} is the worker
# persona's own enrolment in it ({person}), so the worker reads its completion;
# another trainee sits in the class too.
TEACHERS = frozenset({TRAINER, ADMIN})
CLASSROOM_READERS = frozenset({TRAINER, OFFICER, SUPERVISOR, ADMIN})

CLASSROOM: dict = {
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
    "training:roster": Rule(CLASSROOM_READERS, kwargs={"pk": "{cls_batch}"}),
    "training:attendance": Rule(CLASSROOM_READERS, kwargs={"pk": "{cls_batch}", "number": "1"}),
    "training:assessments": Rule(
        CLASSROOM_READERS, kwargs={"pk": "{cls_batch}", "unit_pk": "{cls_unit}"}
    ),
    "training:batch_close": Rule(TEACHERS, method="post", kwargs={"pk": "{cls_batch}"}),
    "training:no_show": Rule(
        CLASSROOM_READERS,
        method="post",
        kwargs={"pk": "{cls_enrolment}"},
        data={"reason": "Tidak pernah datang"},
        ok=(302,),
    ),
    # --- API ---
    "GET /api/v1/teach/batches": Rule(TEACHERS),
    "GET /api/v1/batches/{batch_id}/roster": Rule(
        CLASSROOM_READERS, kwargs={"batch_id": "{cls_batch}"}
    ),
    "GET /api/v1/batches/{batch_id}/sessions": Rule(
        CLASSROOM_READERS, kwargs={"batch_id": "{cls_batch}"}
    ),
    "GET /api/v1/batches/{batch_id}/sessions/{number}/attendance": Rule(
        CLASSROOM_READERS, kwargs={"batch_id": "{cls_batch}", "number": "1"}
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
        CLASSROOM_READERS | {WORKER}, kwargs={"enrolment_id": "{cls_enrolment}"}
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


def _classroom_world(personas, base: dict) -> dict:
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


# === certificates ===
# This part's routes in the policy matrix (garda/tests/policy.py merges them).
#
# The world: {cert} is the certificate of the worker persona's own record ({person}),
# issued on completing a batch the trainer persona teaches (so the trainer sees it);
# {cert_code} is its verification code. {cert_person} was registered by the officer
# persona, who therefore accompanies them and may upload their certificate's file
# ({cert_external_form}: a JLPT N4 result with a PNG).
# Issue 19: a supervisor revokes only the certificates of their own agency's centre;
# the world's supervisor belongs to another agency than {cert}'s centre.
REVOKERS = frozenset({ADMIN})
# The holder, the registry, and the trainer of the batch it was issued for.
SEE_CERTIFICATE = frozenset({WORKER, OFFICER, TRAINER, SUPERVISOR, ADMIN})

CERTIFICATES: dict = {
    # --- pages ---
    "training:verify": Rule(EVERYONE, kwargs={"code": "{cert_code}"}),
    "training:certificate_check": Rule(EVERYONE),
    "training:my_certificates": Rule(frozenset({WORKER})),
    "training:certificate": Rule(SEE_CERTIFICATE, kwargs={"pk": "{cert}"}),
    "training:certificate_pdf": Rule(SEE_CERTIFICATE, kwargs={"pk": "{cert}"}),
    "training:certificate_revoke": Rule(
        REVOKERS,
        method="post",
        kwargs={"pk": "{cert}"},
        data={"reason": "Hasil uji ternyata dipalsukan"},
        ok=(302,),
    ),
    "training:person_certificates": Rule(REGISTRY, kwargs={"pk": "{cert_person}"}),
    "training:record_external": Rule(
        REGISTRY,
        method="post",
        kwargs={"pk": "{cert_person}"},
        data="{cert_external_form}",
        multipart=True,
        ok=(302,),
    ),
    # --- API ---
    "GET /api/v1/certificates/verify/{verification_code}": Rule(
        EVERYONE, kwargs={"verification_code": "{cert_code}"}
    ),
    "POST /api/v1/certificates/check": Rule(EVERYONE, method="post", data="{cert_check_json}"),
    "GET /api/v1/certificates/{certificate_id}": Rule(
        SEE_CERTIFICATE, kwargs={"certificate_id": "{cert}"}
    ),
    "GET /api/v1/certificates/{certificate_id}/pdf": Rule(
        SEE_CERTIFICATE, kwargs={"certificate_id": "{cert}"}
    ),
    "POST /api/v1/certificates/{certificate_id}/revoke": Rule(
        REVOKERS,
        method="post",
        kwargs={"certificate_id": "{cert}"},
        data={"reason": "Hasil uji ternyata dipalsukan"},
    ),
    "GET /api/v1/people/{person_id}/certificates": Rule(
        REGISTRY_AND_SELF, kwargs={"person_id": "{person}"}
    ),
    "POST /api/v1/people/{person_id}/certificates": Rule(
        REGISTRY,
        method="post",
        kwargs={"person_id": "{cert_person}"},
        data="{cert_external_form}",
        multipart=True,
        ok=(201,),
    ),
}


def _certificates_world(personas, base: dict) -> dict:
    from django.utils import timezone

    from garda.documents.tests.samples import png_bytes
    from garda.people.models import Person
    from garda.people.tests.factories import register
    from garda.training.services.certificates import certificate_issue
    from garda.training.tests.certificates_support import (
        batch_of,
        completed,
        provider,
        welding_course,
    )

    trainer = personas[TRAINER]
    course = welding_course("cert-policy-smaw")
    batch = batch_of(course, provider(trainer.agency), code="CERT-POLICY-1", trainers=[trainer])
    enrolment = completed(batch, Person.objects.get(pk=base["person"]))
    certificate = certificate_issue(actor=None, enrolment=enrolment)
    other = register(serial=7531, actor=personas[OFFICER], full_name="Citra Sertifikat")
    return {
        "cert": certificate.pk,
        "cert_code": certificate.verification_code,
        "cert_person": other.pk,
        "cert_check_json": {
            "number": certificate.number,
            "birth_date": enrolment.person.birth_date.isoformat(),
        },
        "cert_external_form": {
            "document_type": "jlpt",
            "number": "N4-2025-0042",
            "issuer_name": "Japan Foundation",
            "issued_on": timezone.localdate().isoformat(),
            "level": "N4",
            "files": png_bytes(),
        },
    }


# === insight ===
# This part's routes in the policy matrix (garda/tests/policy.py merges them):
# recommendations and outcomes.
#
# {person} is the worker persona's record, which the destinations world gives a plan
# (Korea EPS manufacturing): its recommendations are for that plan. Outcomes are for
# supervisors and admins only (access.may_read_outcomes): others get 403.
OUTCOME_READERS = frozenset({SUPERVISOR, ADMIN})

INSIGHT: dict = {
    "training:my_recommendations": Rule(frozenset({WORKER})),
    "training:person_recommendations": Rule(REGISTRY, kwargs={"pk": "{person}"}),
    "training:outcomes": Rule(OUTCOME_READERS),
    "training:outcomes_export": Rule(OUTCOME_READERS),
    "GET /api/v1/people/{person_id}/training-recommendations": Rule(
        REGISTRY_AND_SELF, kwargs={"person_id": "{person}"}
    ),
    "GET /api/v1/training/outcomes": Rule(OUTCOME_READERS),
}


def _insight_world(personas, base: dict) -> dict:
    return {}


POLICY: dict = {**CATALOGUE, **CLASSROOM, **CERTIFICATES, **INSIGHT}


def world(personas, base: dict) -> dict:
    """The parts' worlds in order; each sees what the ones before it made."""
    extra: dict = {}
    for part in (_catalogue_world, _classroom_world, _certificates_world, _insight_world):
        extra.update(part(personas, {**base, **extra}))
    return extra
