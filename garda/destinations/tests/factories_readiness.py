"""Small builders for readiness tests: a compact requirement set for a real target,
and documents written straight to the table (no files: readiness reads only the
details and the status)."""

from datetime import date, timedelta

from django.utils import timezone

from garda.destinations.models import (
    Destination,
    DestinationScheme,
    Requirement,
    RequirementSet,
    Scheme,
)
from garda.documents.models import Document, DocumentType
from garda.people.models import Person

KR_EPS = ("KR", "g2g-kr-eps", "manufacturing")
KR_QUERY = {"destination": "KR", "scheme": "g2g-kr-eps", "sector": "manufacturing"}


def destination(code: str = "KR") -> Destination:
    found = Destination.objects.filter(code=code).first()
    return found or Destination.objects.create(code=code, name=code, name_en=code)


def scheme(code: str = "g2g-kr-eps") -> Scheme:
    found = Scheme.objects.filter(code=code).first()
    return found or Scheme.objects.create(code=code, name=code, name_en=code, kind="g2g")


def doc_type(code: str) -> DocumentType:
    """Seeded by the documents app's migration; created bare if it is missing."""
    found = DocumentType.objects.filter(code=code).first()
    return found or DocumentType.objects.create(
        code=code, name=code, name_en=code, category="identity", issuer="Dukcapil"
    )


def requirement_set(
    target: tuple[str, str, str] = KR_EPS,
    *,
    requirements: list[dict] | None = None,
    **fields,
) -> RequirementSet:
    """A current set for `target` that wins over the seeded ones (the most specific
    match, and the latest start): ktp; passport (18 months left after departure);
    medical (3 months after issue); EPS-TOPIK at least 80 — unless `requirements`
    (dicts of Requirement fields with "type" as the code) says otherwise."""
    dest, sch = destination(target[0]), scheme(target[1])
    DestinationScheme.objects.get_or_create(destination=dest, scheme=sch)
    values = {
        "min_age": 18,
        "max_age": 39,
        "min_education": "smp",
        "conditions": [],
        **fields,
    }
    code = f"test-{target[0].lower()}-{target[1]}-{target[2]}"
    version = RequirementSet.objects.filter(code=code).count() + 1
    RequirementSet.objects.filter(code=code).update(is_current=False)
    rset = RequirementSet.objects.create(
        code=code,
        version=version,
        name=code,
        name_en=code,
        destination=dest,
        scheme=sch,
        sector=target[2],
        effective_from=timezone.localdate() - timedelta(days=1),
        **values,
    )
    if requirements is None:
        requirements = [
            {"type": "ktp"},
            {"type": "passport", "min_remaining_months": 18, "validity_months": None},
            {"type": "medical", "validity_months": 3, "min_remaining_months": 0},
            {"type": "eps-topik", "min_level": "80"},
        ]
    for order, req in enumerate(requirements, start=1):
        req = dict(req)
        Requirement.objects.create(
            requirement_set=rset, order=order, document_type=doc_type(req.pop("type")), **req
        )
    return rset


def document(
    person: Person,
    code: str,
    status: str = "verified",
    *,
    issued_on: date | None = None,
    expires_on: date | None = None,
    level: str = "",
    rejection_reason: str = "",
    uploaded_at=None,
) -> Document:
    now = uploaded_at or timezone.now()
    return Document.objects.create(
        person=person,
        type=doc_type(code),
        status=status,
        issued_on=issued_on,
        expires_on=expires_on,
        level=level,
        rejection_reason=rejection_reason,
        uploaded_at=now,
        changed_at=now,
    )


def complete_documents(person: Person, today: date | None = None) -> list[Document]:
    """Everything the default set asks for, verified and valid long enough."""
    today = today or timezone.localdate()
    return [
        document(person, "ktp"),
        document(
            person,
            "passport",
            issued_on=today - timedelta(days=30),
            expires_on=today + timedelta(days=365 * 5),
        ),
        document(person, "medical", issued_on=today - timedelta(days=5)),
        document(person, "eps-topik", issued_on=today - timedelta(days=60), level="120"),
    ]


def educated(person: Person, level: str = "sma") -> Person:
    Person.objects.filter(pk=person.pk).update(education_level=level)
    return Person.objects.get(pk=person.pk)
