"""This part's routes in the policy matrix (garda/tests/policy.py merges them).

The world: {cert} is the certificate of the worker persona's own record ({person}),
issued on completing a batch the trainer persona teaches (so the trainer sees it);
{cert_code} is its verification code. {cert_person} was registered by the officer
persona, who therefore accompanies them and may upload their certificate's file
({cert_external_form}: a JLPT N4 result with a PNG).
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

REVOKERS = frozenset({SUPERVISOR, ADMIN})
# The holder, the registry, and the trainer of the batch it was issued for.
SEE_CERTIFICATE = frozenset({WORKER, OFFICER, TRAINER, SUPERVISOR, ADMIN})

POLICY: dict = {
    # --- pages ---
    "training:verify": Rule(EVERYONE, kwargs={"code": "{cert_code}"}),
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


def world(personas, base: dict) -> dict:
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
        "cert_external_form": {
            "document_type": "jlpt",
            "number": "N4-2025-0042",
            "issuer_name": "Japan Foundation",
            "issued_on": timezone.localdate().isoformat(),
            "level": "N4",
            "files": png_bytes(),
        },
    }
