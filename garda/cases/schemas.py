"""The cases API's schemas (garda/cases/api/): what comes in and what goes out.

Intake bodies are loose on purpose (every field a string, none required by the
schema): `forms.CaseForm` / `forms.ReportForm` check them, so a missing or bad field
gets the same message, in the reader's language, as on the page.
"""

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema

from garda import crypto
from garda.cases import workflow
from garda.cases.models import (
    Case,
    ClosingReason,
    Kind,
    Service,
    Severity,
    Stage,
)

# --- in -------------------------------------------------------------------------------


class ReportIn(Schema):
    """A report's fields (checked by forms.ReportForm; required: reporter_name,
    relationship, person_name, kinds, description)."""

    reporter_name: str | None = Field(None, description="required", max_length=1000)
    reporter_phone: str | None = Field(None, max_length=1000)
    relationship: str | None = Field(None, description="required: self, parent, spouse, ...")
    person_name: str | None = Field(None, description="required", max_length=1000)
    person_nik: str | None = Field(None, max_length=1000)
    person_birth_date: str | None = Field(None, description="YYYY-MM-DD")
    country: str | None = Field(None, description="ISO 3166 alpha-2 code, e.g. MY")
    city: str | None = Field(None, max_length=1000)
    employer_abroad: str | None = Field(None, max_length=1000)
    phone_abroad: str | None = Field(None, max_length=1000)
    last_contact_on: str | None = Field(None, description="YYYY-MM-DD")
    kinds: list[str] | None = Field(None, description="required: kind codes")
    description: str | None = Field(None, description="required", max_length=20000)
    answers: dict[str, str] | None = Field(
        None, description="screening answers: question code -> option code"
    )


class CaseIn(ReportIn):
    channel: str | None = Field(
        None, description="required: hotline, walk_in, family, embassy, agency"
    )


class OwnReportIn(ReportIn):
    """The worker's report from the portal: the reporter is the worker (name from the
    account when left out), about themself unless `relationship` says otherwise."""

    relationship: str | None = "self"


class MoveIn(Schema):
    stage: Stage
    reason: str = Field("", max_length=2000)
    closing_reason: ClosingReason | None = None
    version: int | None = Field(None, description="The version read; a stale one is a 409")


class AssignIn(Schema):
    officer_id: int
    reason: str = Field("", max_length=2000)
    version: int | None = Field(None, description="The version read; a stale one is a 409")


class SeverityIn(Schema):
    severity: Severity
    reason: str = Field("", max_length=2000)


class CaseReasonIn(Schema):
    reason: str = Field("", max_length=2000)


class PersonLinkIn(Schema):
    person_id: int | None = Field(None, description="The registry person the case is about")
    provisional: bool = Field(
        False, description="Create a provisional registry person from the report's NIK"
    )


class NoteIn(Schema):
    text: str = Field("", max_length=20000)
    shared: bool = Field(False, description="Shared with the worker and the reporter")


class MessageIn(Schema):
    text: str = Field("", max_length=20000)


class ScreeningIn(Schema):
    answers: dict[str, str]


class CaseTaskIn(Schema):
    title: str = Field("", max_length=1000)
    due_at: datetime
    assignee_id: int | None = Field(None, description="Default: the caller")


class ServiceIn(Schema):
    type: Service.Type
    timeframe: Service.Timeframe
    due_on: date | None = Field(None, description='Needed when timeframe is "date"')
    provider: str = Field("", max_length=200)
    note: str = Field("", max_length=5000)


class ApprovalDecisionIn(Schema):
    approve: bool
    comment: str = Field("", max_length=2000)


class CaseFilter(Schema):
    stage: Stage | None = None
    severity: Severity | None = None
    kind: Kind | None = None
    status: str | None = Field(None, pattern="^(open|closed|duplicate)$")
    clock: str | None = Field(
        None,
        pattern="^(breached|at_risk)$",
        description="Open cases with a clock breached, or at risk now",
    )
    mine: bool = Field(False, description="Only the cases the caller holds")


# --- out ------------------------------------------------------------------------------


class UserRef(Schema):
    id: int
    name: str


class CaseAgencyRef(Schema):
    id: int
    name: str


class EscalationOut(Schema):
    clock: str
    level: int
    at: datetime


class ClockOut(Schema):
    name: str
    due_at: datetime
    done_at: datetime | None
    state: str = Field(description="met, running, at_risk or breached")


def user_ref(user) -> dict | None:
    return None if user is None else {"id": user.pk, "name": user.full_name or user.email}


def agency_ref(agency) -> dict | None:
    return None if agency is None else {"id": agency.pk, "name": agency.short_name}


def clocks_of(case, now: datetime | None = None) -> list[dict]:
    """The case's clocks with their state now (prefetched `clocks` if any)."""
    now = now or timezone.now()
    return [
        {"name": c.name, "due_at": c.due_at, "done_at": c.done_at, "state": c.state(now)}
        for c in case.clocks.all()
    ]


def kinds_of(case) -> list[str]:
    return [k.kind for k in case.kinds.all()]


class CaseListOut(Schema):
    id: int
    reference: str
    status: str
    stage: str
    severity: str
    channel: str
    kinds: list[str]
    subject_name: str
    country: str | None
    owner: UserRef | None
    agency: CaseAgencyRef | None
    task_force: bool
    created_at: datetime
    version: int
    clocks: list[ClockOut]

    @staticmethod
    def resolve_kinds(obj) -> list[str]:
        return kinds_of(obj)

    @staticmethod
    def resolve_country(obj) -> str | None:
        return obj.country_id

    @staticmethod
    def resolve_owner(obj):
        return user_ref(obj.owner)

    @staticmethod
    def resolve_agency(obj):
        return agency_ref(obj.agency)

    @staticmethod
    def resolve_clocks(obj):
        return clocks_of(obj)


class CaseOut(CaseListOut):
    person_id: int | None
    match_state: str
    description: str
    subject_nik_masked: str = Field(description="The NIK given in the report, masked")
    subject_birth_date: date | None
    country_name: str
    city: str
    employer_abroad: str
    phone_abroad: str
    last_contact_on: date | None
    reporter_name: str
    reporter_phone: str
    relationship: str
    screening_level: str
    closing_reason: str
    closed_at: datetime | None
    reopened_count: int
    pending_approval_id: int | None = None
    escalations: list[EscalationOut] = Field(
        default_factory=list, description="Overdue clocks raised to someone's attention"
    )
    allowed_stages: list[str] = Field(
        default_factory=list, description="Where the caller may move the case now"
    )

    @staticmethod
    def resolve_subject_nik_masked(obj) -> str:
        return crypto.mask(obj.subject_nik)

    @staticmethod
    def resolve_country_name(obj) -> str:
        return obj.country.name_id if obj.country_id else ""

    @staticmethod
    def resolve_pending_approval_id(obj) -> int | None:
        return getattr(obj, "pending_approval_id", None)

    @staticmethod
    def resolve_escalations(obj) -> list:
        return list(obj.escalations.order_by("at", "id"))

    @staticmethod
    def resolve_allowed_stages(obj) -> list[str]:
        return getattr(obj, "allowed_stages", [])


class CaseCreatedOut(CaseOut):
    tracking_secret: str | None = Field(
        None,
        description="Shown once, when the reporter has no account: number + secret "
        "open the public tracking page",
    )


class MovePendingOut(Schema):
    detail: str
    approval_id: int


class NoteOut(Schema):
    id: int
    text: str
    shared: bool
    from_reporter: bool
    author: UserRef | None
    created_at: datetime

    @staticmethod
    def resolve_author(obj):
        return user_ref(obj.author)


class ScreeningOut(Schema):
    id: int
    level: str
    indicators: list[str]
    asked_at: datetime
    severity: str = Field(description="The case's severity after this round")
    task_force: bool


class CaseTaskOut(Schema):
    id: int
    case_id: int
    title: str
    due_at: datetime
    assignee: UserRef | None
    done_at: datetime | None
    overdue: bool

    @staticmethod
    def resolve_assignee(obj):
        return user_ref(obj.assignee)

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.done_at is None and obj.due_at < timezone.now()


class ServiceOut(Schema):
    id: int
    case_id: int
    type: str
    timeframe: str
    provider: str
    note: str
    due_at: datetime
    done_at: datetime | None
    overdue: bool

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.done_at is None and obj.due_at < timezone.now()


class ApprovalOut(Schema):
    id: int
    case_id: int
    closing_reason: str
    reason: str
    decision: str
    comment: str
    requested_by: UserRef | None
    decided_by: UserRef | None
    decided_at: datetime | None
    case_stage: str

    @staticmethod
    def resolve_requested_by(obj):
        return user_ref(obj.requested_by)

    @staticmethod
    def resolve_decided_by(obj):
        return user_ref(obj.decided_by)

    @staticmethod
    def resolve_case_stage(obj) -> str:
        return obj.case.stage


class CaseTimelineEntryOut(Schema):
    at: datetime
    kind: str
    text: str
    actor: str


# --- the worker's own -----------------------------------------------------------------


def next_step(case: Case) -> str:
    """What happens next, in the worker's words (the same sentence as their pages)."""
    from garda.cases.display import worker_next_step

    return worker_next_step(case)


def holder(case: Case) -> dict | None:
    if case.owner_id is None:
        return None
    from garda.cases.display import first_name

    # The officer's first name, as the worker's pages show it (never the full name).
    return {
        "name": first_name(case.owner) or _("Officer"),
        "agency": case.agency.short_name if case.agency_id else "",
    }


class HolderOut(Schema):
    name: str
    agency: str


class OwnCaseListOut(Schema):
    id: int
    reference: str
    status: str
    stage: str
    stage_label: str
    kinds: list[str]
    kind_labels: list[str]
    holder: HolderOut | None = Field(description="Who holds the case (none yet: null)")
    created_at: datetime
    next_step: str

    @staticmethod
    def resolve_stage_label(obj) -> str:
        return str(Stage(obj.stage).label) if isinstance(obj, Case) else obj["stage_label"]

    @staticmethod
    def resolve_kinds(obj) -> list[str]:
        return kinds_of(obj) if isinstance(obj, Case) else obj["kinds"]

    @staticmethod
    def resolve_kind_labels(obj) -> list[str]:
        if not isinstance(obj, Case):
            return obj["kind_labels"]
        return [str(Kind(k).label) for k in kinds_of(obj)]

    @staticmethod
    def resolve_holder(obj):
        return holder(obj) if isinstance(obj, Case) else obj["holder"]

    @staticmethod
    def resolve_next_step(obj) -> str:
        return next_step(obj) if isinstance(obj, Case) else obj["next_step"]


class OwnMessageOut(Schema):
    id: int
    text: str
    from_reporter: bool
    mine: bool
    author: str
    created_at: datetime


class OwnCaseOut(OwnCaseListOut):
    subject_name: str
    country: str | None
    country_name: str
    city: str
    description: str | None = Field(description="Only to the reporter themself")
    reporter_name: str | None = Field(description="Only to the reporter themself")
    reporter_phone: str | None = Field(description="Only to the reporter themself")
    relationship: str
    closing_reason: str
    messages: list[OwnMessageOut]


def allowed_stages(case, may_handle: bool) -> list[str]:
    if not may_handle or case.status != "open":
        return []
    moves = workflow.allowed(case.stage)
    return [s for s in workflow.STAGES if s in moves]
