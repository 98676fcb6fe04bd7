"""A report from any channel becomes a case: a number, a severity from its kinds and
the screening, clocks, the person concerned matched to the registry, and for a
reporter without an account a tracking secret shown once (docs/cases.md, "Intake")."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from garda import crypto
from garda.accounts import roles
from garda.accounts.models import User
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.cases import policy, screening
from garda.cases.access import CASE_ROLES, new_tracking_secret, tracking_index
from garda.cases.models import (
    OFFICER_CHANNELS,
    SEVERITY_RANK,
    Case,
    CaseKind,
    Channel,
    Kind,
    MatchState,
    Relationship,
    Screening,
    Severity,
    StageChange,
)
from garda.cases.services.common import clock_done, clocks_start, error
from garda.models import ReferenceSequence
from garda.people.models import Person

REFERENCE_PREFIX = "KS"
NIK_CONTEXT = "cases.subject_nik"
# Reports a worker's account may send in 24 hours (the portal, and the public form
# signed in), counted from the cases in the database: every server process sees the
# same count. The public form without an account is limited per address instead
# (throttles.REPORT).
WORKER_REPORTS_PER_DAY = 5
TOO_MANY_REPORTS = "cases.case_open:too many reports"


class ReportsExceeded(ValidationError):
    """A worker's account sent WORKER_REPORTS_PER_DAY reports in the last 24 hours."""


def _reports_budget(reporter: User) -> None:
    """Refuse a worker's report past WORKER_REPORTS_PER_DAY in 24 hours (issue 19: a
    free sign-up filled the intake queue without limit), with one `denied` row."""
    from datetime import timedelta

    since = timezone.now() - timedelta(days=1)
    sent = Case.objects.filter(reporter_user=reporter, created_at__gte=since).count()
    if sent >= WORKER_REPORTS_PER_DAY:
        deny(
            reporter,
            TOO_MANY_REPORTS,
            exc=ReportsExceeded(
                {
                    "description": ValidationError(
                        _(
                            "You have sent %(n)s reports in the last 24 hours. An officer "
                            "is reading them: add what is new to one of them (My reports), "
                            "or call the help line if it is urgent."
                        )
                        % {"n": sent},
                        code="too_many_reports",
                    )
                }
            ),
        )


@dataclass
class ReportData:
    """A cleaned report (forms.ReportForm / CaseForm, or the API's schema)."""

    reporter_name: str
    relationship: str
    person_name: str
    kinds: list[str]
    description: str
    reporter_phone: str = ""
    person_nik: str = ""
    person_birth_date: date | None = None
    person_sex: str = ""
    person_region: str = ""
    country: object = None  # places.Country or None
    city: str = ""
    employer_abroad: str = ""
    phone_abroad: str = ""
    last_contact_on: date | None = None
    answers: dict = field(default_factory=dict)


def severity_for(kinds: list[str], level: str) -> str:
    """The highest of the kinds' starting severities and the screening's."""
    pol = policy.current()
    found = [pol.kind_severity.get(k, Severity.NORMAL) for k in kinds] or [Severity.NORMAL]
    if level in pol.screening:
        found.append(pol.screening[level]["severity"])
    return max(found, key=lambda s: SEVERITY_RANK[s])


def task_force_for(level: str) -> bool:
    return bool(policy.current().screening.get(level, {}).get("task_force"))


def _check(data: ReportData) -> None:
    """Refuse, with a message in the reader's language under the report's field name,
    what the forms would refuse too (the API and scripts reach the service directly)."""
    for name, limit in (("reporter_name", 200), ("person_name", 200), ("description", 5000)):
        value = (getattr(data, name) or "").strip()
        if not value:
            raise error(name, _("This field is required."), "required")
        if len(value) > limit:
            raise error(name, _("Keep it under %(n)s characters.") % {"n": limit}, "max_length")
    if data.person_nik:
        from garda.people.nik import parse_nik

        if not parse_nik(data.person_nik).valid:
            raise error(
                "person_nik",
                _("This NIK is not valid: check the 16 digits, or leave it empty."),
                "invalid_nik",
            )
    kinds = [k for k in data.kinds if k in Kind.values]
    if not kinds or len(kinds) != len(data.kinds):
        raise error("kinds", _("Choose at least one kind of problem from the list."), "invalid")
    if data.relationship not in Relationship.values:
        raise error("relationship", _("Choose the relationship from the list."), "invalid")
    try:
        screening.check(data.answers)
    except screening.ScreeningError:
        raise error("answers", _("An answer does not match the questions."), "invalid") from None


def _may_open(actor: User | None, channel: str) -> bool:
    """The public form is for anyone (signed in or not); the portal for a worker; the
    other channels are typed in by case staff (an officer on the hotline...)."""
    if channel == Channel.PUBLIC:
        return True  # anyone, with or without an account
    if actor is None or not actor.is_authenticated:
        return False
    if channel == Channel.PORTAL:
        return actor.role == roles.WORKER
    return channel in OFFICER_CHANNELS and actor.role in CASE_ROLES


def nik_owner(nik: str) -> Person | None:
    """The active registry person holding `nik` (a record merged into another: the
    one that remains; merges are flattened, so one hop reaches it)."""
    if not nik:
        return None
    from garda.people.services.registry import find_by_nik

    found = find_by_nik(nik)
    if found is not None and found.merged_into_id is not None:
        found = Person.objects.active().filter(pk=found.merged_into_id).first()
    return found


def match_person(
    data: ReportData, *, reporter: User | None, by_staff: bool = False
) -> tuple[Person | None, str]:
    """The registry person the report is about: the worker themself on a portal report
    "about me"; the NIK's owner when staff typed the report in. A NIK typed on the
    public form or by a worker about someone else only suggests its owner, as name +
    birth date (+ region) through the duplicate engine do: an officer confirms at
    triage (issue 19: linked at once, a stranger who knew a worker's NIK put a case in
    that worker's account and read what the worker and the officers wrote on it)."""
    if reporter is not None and data.relationship == Relationship.SELF:
        own = Person.objects.active().filter(user=reporter).first()
        if own is not None:
            return own, MatchState.LINKED
    found = nik_owner(data.person_nik)
    if found is not None:
        return (found, MatchState.LINKED) if by_staff else (None, MatchState.SUGGESTED)
    if (
        data.person_birth_date
        and suggestions(data.person_name, data.person_birth_date, data.person_region).exists()
    ):
        return None, MatchState.SUGGESTED
    return None, MatchState.NOT_FOUND


SUGGESTION_CANDIDATES = 200
SUGGESTIONS = 5


def suggestions(name: str, birth_date: date, region: str = ""):
    """Registry persons who may be the one concerned, best first (at most 5): the
    active records born on `birth_date` (in the regency of `region` when it names one)
    that the duplicate engine scores as likely the same person by name. Never linked
    automatically: an officer confirms one (`case_link_person`)."""
    from django.db.models import Case as SqlCase
    from django.db.models import IntegerField, Value, When

    from garda.people.matching import Record, check_record

    qs = Person.objects.active().filter(birth_date=birth_date)
    if region and len(region) >= 5:
        qs = qs.filter(regency_code=region[:5])
    wanted = Record(id="report", full_name=name, birth_date=birth_date)
    candidates = [
        Record(id=str(pk), full_name=full, birth_date=birth_date)
        for pk, full in qs.order_by("pk").values_list("pk", "full_name")[:SUGGESTION_CANDIDATES]
    ]
    ids = [
        int(m.b_id if m.a_id == "report" else m.a_id)
        for m in check_record(wanted, candidates)[:SUGGESTIONS]
    ]
    order = SqlCase(
        *(When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)),
        default=Value(len(ids)),
        output_field=IntegerField(),
    )
    return Person.objects.filter(pk__in=ids).order_by(order) if ids else Person.objects.none()


def case_open(*, actor: User | None, data: ReportData, channel: str) -> tuple[Case, str]:
    """Open a case; returns it and the tracking secret ("" when the reporter has an
    account and follows the case on their own pages)."""
    if channel not in Channel.values:
        raise error("channel", _("Choose the channel from the list."), "invalid")
    if not _may_open(actor, channel):
        deny(actor, "cases.case_open")
    _check(data)
    reporter = actor if channel == Channel.PORTAL else None
    if channel == Channel.PUBLIC and actor is not None and actor.is_authenticated:
        reporter = actor if actor.role == roles.WORKER else None
    if reporter is not None:
        _reports_budget(reporter)
    result = screening.assess(data.answers)
    staff = actor if channel in OFFICER_CHANNELS else None
    person, match_state = match_person(data, reporter=reporter, by_staff=staff is not None)
    secret = "" if reporter is not None else new_tracking_secret()
    now = timezone.now()
    with transaction.atomic():
        case = Case(
            reference=ReferenceSequence.next_reference(REFERENCE_PREFIX, timezone.localdate().year),
            channel=channel,
            description=data.description.strip(),
            severity=severity_for(data.kinds, result.level),
            screening_level=result.level,
            task_force=task_force_for(result.level),
            person=person,
            match_state=match_state,
            subject_name=data.person_name.strip(),
            subject_nik=data.person_nik,
            subject_nik_index=crypto.blind_index(data.person_nik, context=NIK_CONTEXT)
            if data.person_nik
            else "",
            subject_birth_date=data.person_birth_date,
            subject_sex=data.person_sex,
            subject_region=data.person_region,
            country=data.country,
            city=data.city.strip(),
            employer_abroad=data.employer_abroad.strip(),
            phone_abroad=data.phone_abroad.strip(),
            last_contact_on=data.last_contact_on,
            reporter_name=data.reporter_name.strip(),
            reporter_phone=data.reporter_phone.strip(),
            relationship=data.relationship,
            reporter_user=reporter,
            tracking_index=tracking_index(secret) if secret else "",
            created_by=staff,
            created_at=now,
            updated_at=now,
        )
        case.full_clean(exclude=["tracking_index", "subject_nik_index"])
        case.save()
        CaseKind.objects.bulk_create(CaseKind(case=case, kind=k) for k in dict.fromkeys(data.kinds))
        StageChange.objects.create(
            case=case, to_stage=case.stage, actor=staff, reason=channel, at=now
        )
        if data.answers:
            Screening.objects.create(
                case=case,
                answers=data.answers,
                level=result.level,
                indicators=list(result.indicators),
                asked_by=staff,
                asked_at=now,
            )
        clocks_start(case, now)
        if staff is not None:
            # An officer took the call or the visit: that is the first response.
            clock_done(case, "first_response", now)
        audit_record(
            actor=actor if actor is not None and actor.is_authenticated else None,
            action=AuditEvent.Action.CREATE,
            target=case,
            changed_fields=sorted(
                name
                for name, value in (
                    ("description", data.description),
                    ("kinds", data.kinds),
                    ("subject_name", data.person_name),
                    ("subject_nik", data.person_nik),
                    ("subject_birth_date", data.person_birth_date),
                    ("country", data.country),
                    ("employer_abroad", data.employer_abroad),
                    ("phone_abroad", data.phone_abroad),
                    ("reporter_name", data.reporter_name),
                    ("reporter_phone", data.reporter_phone),
                    ("answers", data.answers),
                    ("person", person),
                )
                if value
            ),
            reason=f"channel {channel}",
        )
    return case, secret


def case_suggestions(case: Case) -> list[Person]:
    """The registry persons an officer may confirm for a case with suggestions: the
    owner of the NIK the reporter gave first, then those name + birth date find."""
    found = []
    owner = nik_owner(case.subject_nik)
    if owner is not None:
        owner.by_nik = True  # the page offers no provisional record then
        found.append(owner)
    if case.subject_birth_date:
        found += [
            p
            for p in suggestions(case.subject_name, case.subject_birth_date, case.subject_region)
            if owner is None or p.pk != owner.pk
        ]
    return found


def subject_nik(case: Case) -> str:
    """The NIK the reporter gave (staff pages mask it; see garda.crypto.mask)."""
    return case.subject_nik


def case_link_person(*, actor: User, case: Case, person: Person, reason: str = "") -> Case:
    """Link the case to the registry person it is about (an officer confirms a
    suggestion, or finds the person)."""
    from garda.cases.access import may_handle
    from garda.cases.services.common import bump, lock

    if not may_handle(actor, case) or actor.role not in CASE_ROLES:
        deny(actor, "cases.case_link_person", target=case)
    if person.merged_into_id is not None:
        raise error("person", _("This record was merged into another one."), "merged")
    with transaction.atomic():
        case = lock(case, None)
        bump(case, person=person, match_state=MatchState.LINKED)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=case,
            changed_fields=["person"],
            # Never the caller's words on the audit row (they may name someone).
            reason="link person (provisional)" if reason == "provisional" else "link person",
        )
    return case


def case_register_person(*, actor: User, case: Case) -> Case:
    """Create a provisional registry person from what the report says (a valid NIK is
    needed: it gives the birth date and sex), unverified until an officer checks the
    documents, and link the case to it. A NIK already registered links to its owner."""
    from garda.cases.access import may_handle
    from garda.people.nik import parse_nik
    from garda.people.services.registry import DuplicateNik, PersonData, person_register

    if not may_handle(actor, case) or actor.role not in CASE_ROLES:
        deny(actor, "cases.case_register_person", target=case)
    if case.person_id is not None:
        raise error("person", _("The case is already linked to a person."), "linked")
    nik = subject_nik(case)
    parsed = parse_nik(nik) if nik else None
    if parsed is not None and parsed.valid and case.subject_birth_date:
        # The birth date the reporter gave settles the NIK's century (1920 or 2020).
        declared = parse_nik(nik, birth_date=case.subject_birth_date)
        parsed = declared if declared.valid else parsed
    if parsed is None or not parsed.valid:
        raise error(
            "person_nik",
            _(
                "A valid NIK is needed to add the person to the registry; "
                "search the registry by name instead."
            ),
            "nik_needed",
        )
    with transaction.atomic():
        try:
            person = person_register(
                actor=actor,
                data=PersonData(
                    nik=parsed.nik,
                    full_name=case.subject_name,
                    sex=parsed.sex,
                    birth_date=parsed.birth_date,
                    phone="",
                ),
            )
        except DuplicateNik as exc:
            person = exc.existing
        return case_link_person(actor=actor, case=case, person=person, reason="provisional")


def report_validation_error(exc: ValidationError) -> dict:
    return exc.message_dict if hasattr(exc, "message_dict") else {"__all__": exc.messages}
