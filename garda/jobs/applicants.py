"""What a company reads of an applicant: the data selection needs and nothing more
(docs/applications.md, "Security notes").

Name, age, sex, home region (the regency), skills, certificates, languages and the
readiness for the order's target (destination, scheme, sector). Never the NIK, the
family card, the passport, the address, the phone, documents or health results: this
module never reads them, and the pages and the API build applicants only from it.

`applicant_rows` reads a page of applications in a fixed number of queries (the
applications with their persons, the skills, the languages, the certificates, the
regions, the readiness) and writes one VIEW audit row per person shown (the worker
sees them in "who accessed my data").
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from garda.audit.models import AuditEvent
from garda.audit.services import audit_record_many
from garda.destinations.models import Readiness
from garda.destinations.requirements import target_key
from garda.jobs.models import Application
from garda.people.catalogue import language_name
from garda.people.models import LanguageSkill, Person, Skill
from garda.places.models import Region
from garda.training.models import Certificate


@dataclass
class Applicant:
    id: int
    order_id: int
    status: str
    status_label: str
    status_reason: str
    source: str
    version: int
    created_at: object
    status_changed_at: object
    name: str
    age: int | None
    sex: str
    sex_label: str
    region: str
    skills: list[str] = field(default_factory=list)
    certificates: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    readiness_percent: int | None = None
    application: Application | None = None


def age_on(born: date | None, today: date) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def with_selection_data(qs):
    """`qs` of applications with what applicant_rows reads, prefetched."""
    valid = Certificate.objects.filter(status=Certificate.Status.VALID).order_by("title", "pk")
    return qs.select_related("order", "person").prefetch_related(
        Prefetch("person__skills", queryset=Skill.objects.order_by("title", "pk")),
        Prefetch("person__languages", queryset=LanguageSkill.objects.order_by("language", "pk")),
        Prefetch("person__certificates", queryset=valid),
    )


def _regions(persons: list[Person]) -> dict[str, str]:
    codes = {p.regency_code for p in persons if p.regency_code}
    if not codes:
        return {}
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))


def _readiness(apps: list[Application]) -> dict[tuple[int, str], int]:
    keys = {target_key(a.order.destination, a.order.scheme, a.order.sector) for a in apps}
    if not apps:
        return {}
    rows = Readiness.objects.filter(
        person_id__in={a.person_id for a in apps}, target_key__in=keys, stale=False
    ).values_list("person_id", "target_key", "percent")
    return {(pid, key): percent for pid, key, percent in rows}


def applicant_rows(user, applications, *, audit: bool = True) -> list[Applicant]:
    """The applicants of `applications` (a page, fetched through with_selection_data)
    as the selection reads them; the reads audited unless `audit` is False."""
    apps = list(applications)
    today = timezone.localdate()
    persons = [a.person for a in apps]
    regions = _regions(persons)
    readiness = _readiness(apps)
    out = []
    for app in apps:
        person, order = app.person, app.order
        key = target_key(order.destination, order.scheme, order.sector)
        percent = readiness.get((person.pk, key))
        if percent is None and isinstance(app.match, dict):
            percent = app.match.get("readiness_percent")
        out.append(
            Applicant(
                id=app.pk,
                order_id=app.order_id,
                status=app.status,
                status_label=app.get_status_display(),
                status_reason=app.status_reason,
                source=app.source,
                version=app.version,
                created_at=app.created_at,
                status_changed_at=app.status_changed_at,
                name=person.full_name,
                age=age_on(person.birth_date, today),
                sex=person.sex,
                sex_label=person.get_sex_display(),
                region=regions.get(person.regency_code, ""),
                skills=[s.title for s in person.skills.all()],
                certificates=[
                    f"{c.title} ({c.level})" if c.level else c.title
                    for c in person.certificates.all()
                ],
                languages=[
                    f"{language_name(s.language)} ({s.level_display})"
                    for s in person.languages.all()
                ],
                readiness_percent=percent,
                application=app,
            )
        )
    if audit and persons:
        audit_record_many(
            actor=user,
            action=AuditEvent.Action.VIEW,
            targets=[(p, ()) for p in {p.pk: p for p in persons}.values()],
            reason="job application",
        )
    return out
