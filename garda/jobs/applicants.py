"""What a company reads of an applicant: the data selection needs and nothing more
(docs/applications.md, "Security notes").

Name, age, sex, home region (the regency), skills, certificates, languages and the
readiness for the order's target (destination, scheme, sector). Never the NIK, the
family card, the passport, the address, the phone, documents or health results: this
module never reads them, and the pages and the API build applicants only from it.

`applicant_rows` reads a page of applications in a fixed number of queries (the
applications with their persons, the skills, the languages, the certificates, the
regions, the readiness; for a recruiter, who wrote each status reason) and writes
one VIEW audit row per person shown (the worker sees them in "who accessed my data").

A recruiter reads the free text of a step only when their own company wrote it
(`reason_for`): a worker's reason to withdraw, an officer's note of a nomination's
answer or of a closing are replaced by a neutral phrase.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from garda.accounts import roles
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record_many
from garda.destinations.models import Readiness
from garda.destinations.requirements import target_key
from garda.jobs.access import recruiter_agency_id
from garda.jobs.models import Application, ApplicationEvent, Recruiter
from garda.people.catalogue import language_name
from garda.people.models import LanguageSkill, Person, Skill
from garda.places.models import Region
from garda.training.models import Certificate

A = Application.Status


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
    # Valid and not expired (the same test as matching's hard filter).
    valid = (
        Certificate.objects.filter(status=Certificate.Status.VALID)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate()))
        .order_by("title", "pk")
    )
    return qs.select_related("order", "person").prefetch_related(
        Prefetch("person__skills", queryset=Skill.objects.order_by("title", "pk")),
        Prefetch("person__languages", queryset=LanguageSkill.objects.order_by("language", "pk")),
        Prefetch("person__certificates", queryset=valid),
    )


# --- the reasons a company reads ----------------------------------------------------------
#
# A step's free text is written for the worker and the office: a worker's reason to
# withdraw or decline ("saya hamil"), an officer's note of how the worker answered a
# nomination, an officer's reason to close an application. A recruiter reads the text
# their own company wrote (their rejection's reason, a note on a step); of any other
# step only a neutral phrase saying who ended it.


def company_writers(user) -> set[int] | None:
    """The users whose reasons `user` reads in full: None for a reader who reads them
    all (the office, the worker), else the recruiters of the reader's company."""
    if getattr(user, "role", None) != roles.RECRUITER:
        return None
    agency = recruiter_agency_id(user)
    if agency is None:
        return set()
    return set(Recruiter.objects.filter(agency_id=agency).values_list("user_id", flat=True))


def _neutral(to_status: str) -> str:
    return {
        A.WITHDRAWN: _("Withdrawn by the worker."),
        A.DECLINED: _("Declined by the worker."),
        A.APPLIED: _("The worker accepted the nomination."),
        A.REJECTED: _("Not selected (recorded by an officer)."),
        A.LAPSED: _(
            "The application lapsed: the order ended, or the worker is no longer available."
        ),
    }.get(to_status, "")


def reason_for(writers: set[int] | None, to_status: str, reason: str, actor_id) -> str:
    """`reason` of a step to `to_status` written by `actor_id`, as a reader whose
    `company_writers` are `writers` may read it."""
    if writers is None or not reason:
        return reason
    if actor_id is not None and actor_id in writers:
        return reason
    return _neutral(to_status)


def _status_reasons(writers, apps: list[Application]) -> dict[int, str]:
    """The status reason of each of `apps` as the reader may read it (one query, for a
    recruiter only: who wrote the step that set it)."""
    if writers is None:
        return {a.pk: a.status_reason for a in apps}
    with_text = [a.pk for a in apps if a.status_reason]
    last: dict[int, int | None] = {}
    if with_text:
        rows = (
            ApplicationEvent.objects.filter(application_id__in=with_text)
            .order_by("application_id", "created_at", "id")
            .values_list("application_id", "actor_id")
        )
        for app_id, actor_id in rows:
            last[app_id] = actor_id  # the latest step's writer wins
    return {a.pk: reason_for(writers, a.status, a.status_reason, last.get(a.pk)) for a in apps}


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
    reasons = _status_reasons(company_writers(user), apps)
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
                status_reason=reasons[app.pk],
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
