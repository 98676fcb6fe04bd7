"""Protection cases (kasus pelindungan): a report from any channel with a number, an
owner, clocks and a trail (docs/cases.md).

The record `status` (open, closed, duplicate) is apart from the workflow `stage`
(cases/workflow.py). The person concerned is `person` once linked to the registry;
until then the case keeps what the reporter said about them (`subject_*`), the NIK
encrypted with a blind index, as the registry keeps it. The reporter and the person
concerned are different parties (a mother reporting for her daughter abroad).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from garda.cases import clocks, screening, workflow
from garda.fields import EncryptedTextField


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    DUPLICATE = "duplicate", _("Duplicate")


class Stage(models.TextChoices):
    NEW = workflow.NEW, _("New")
    TRIAGED = workflow.TRIAGED, _("Triaged")
    ASSIGNED = workflow.ASSIGNED, _("Assigned")
    IN_PROGRESS = workflow.IN_PROGRESS, _("In progress")
    WAITING = workflow.WAITING, _("Waiting on another party")
    RESOLVED = workflow.RESOLVED, _("Resolved")
    CLOSED = workflow.CLOSED, _("Closed")


class Severity(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")


SEVERITY_RANK = {Severity.NORMAL: 0, Severity.HIGH: 1, Severity.CRITICAL: 2}


class Channel(models.TextChoices):
    PORTAL = "portal", _("Worker's portal")
    FAMILY = "family", _("Family member")
    HOTLINE = "hotline", _("Hotline call")
    EMBASSY = "embassy", _("Embassy or consulate")
    AGENCY = "agency", _("Another agency")
    WALK_IN = "walk_in", _("Walk-in")
    PUBLIC = "public", _("Public report form")


# Channels an officer records (the public form and the portal have their own doors).
OFFICER_CHANNELS = (
    Channel.HOTLINE,
    Channel.WALK_IN,
    Channel.FAMILY,
    Channel.EMBASSY,
    Channel.AGENCY,
)


class Kind(models.TextChoices):
    GO_HOME = "go_home", _("Wants to go home")
    WAGES = "wages", _("Unpaid or withheld wages")
    CONTRACT = "contract", _("Contract violation")
    ABUSE = "abuse", _("Physical or sexual abuse")
    TRAFFICKING = "trafficking", _("Signs of trafficking")
    ILLNESS = "illness", _("Illness or injury")
    DEATH = "death", _("Death")
    DETENTION = "detention", _("Detention or legal trouble")
    UNDOCUMENTED = "undocumented", _("Undocumented or overstay")
    LOST_CONTACT = "lost_contact", _("Lost contact")
    EVACUATION = "evacuation", _("Disaster or conflict evacuation")
    FRAUD = "fraud", _("Job fraud")
    PLACEMENT_COST = "placement_cost", _("Placement-cost dispute")
    FAILED_DEPARTURE = "failed_departure", _("Failed departure")
    OTHER = "other", _("Other")


class Relationship(models.TextChoices):
    SELF = "self", _("The worker themself")
    PARENT = "parent", _("Parent")
    SPOUSE = "spouse", _("Husband or wife")
    CHILD = "child", _("Child")
    SIBLING = "sibling", _("Brother or sister")
    RELATIVE = "relative", _("Other relative")
    FRIEND = "friend", _("Friend or neighbour")
    ADVOCATE = "advocate", _("Lawyer or organisation (with power of attorney)")
    OFFICIAL = "official", _("Official of another agency")
    OTHER = "other", _("Other")


class ClosingReason(models.TextChoices):
    RESOLVED = workflow.RESOLVED_REASON, _("Resolved")
    INCOMPLETE = (
        "incomplete_30_days",
        _("Data and documents still incomplete 30 days after registration"),
    )
    NO_CLARIFICATION = (
        "no_clarification_15_days",
        _("No clarification 15 working days after it was asked for"),
    )
    UNREACHABLE = "unreachable_60_days", _("Unreachable for 60 days in a row")
    HANDED_OVER = "handed_over", _("Handed over to another agency")
    NO_RESPONSE = (
        "no_response_6_months",
        _("No response 6 months after being told it cannot be resolved"),
    )
    WITHDRAWN = "withdrawn", _("Withdrawn by the worker or reporter")


class MatchState(models.TextChoices):
    LINKED = "linked", _("Linked to the registry")
    SUGGESTED = "suggested", _("Possible matches to check")
    NOT_FOUND = "not_found", _("Not found in the registry")


class Case(models.Model):
    reference = models.CharField(_("case number"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.NEW)
    severity = models.CharField(
        _("severity"), max_length=8, choices=Severity.choices, default=Severity.NORMAL
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    description = models.TextField(_("what happened"))

    # The person concerned.
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    match_state = models.CharField(
        _("match in the registry"),
        max_length=10,
        choices=MatchState.choices,
        default=MatchState.NOT_FOUND,
    )
    subject_name = models.CharField(_("name of the person concerned"), max_length=200)
    subject_nik = EncryptedTextField(_("NIK of the person concerned"), blank=True)
    subject_nik_index = models.CharField(max_length=64, blank=True, db_index=True)
    subject_birth_date = models.DateField(_("birth date"), null=True, blank=True)
    subject_sex = models.CharField(_("sex"), max_length=1, blank=True)
    subject_region = models.CharField(_("home region code"), max_length=13, blank=True)

    # Where the person is.
    country = models.ForeignKey(
        "places.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    employer_abroad = models.CharField(_("employer or address abroad"), max_length=300, blank=True)
    phone_abroad = models.CharField(_("phone abroad"), max_length=30, blank=True)
    last_contact_on = models.DateField(_("last contact"), null=True, blank=True)

    # The reporter.
    reporter_name = models.CharField(_("reporter's name"), max_length=200)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=30, blank=True)
    relationship = models.CharField(
        _("relationship to the person"), max_length=10, choices=Relationship.choices
    )
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_cases",
    )
    # HMAC of the tracking secret (garda.crypto.blind_index): the secret is shown once
    # and never stored.
    tracking_index = models.CharField(max_length=64, blank=True)

    # Screening (the latest result; each round is a Screening row).
    screening_level = models.CharField(_("screening result"), max_length=8, default=screening.NONE)
    task_force = models.BooleanField(_("for the anti-trafficking task force"), default=False)

    # Who holds it.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_cases",
    )
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    closing_reason = models.CharField(
        _("closing reason"), max_length=30, choices=ClosingReason.choices, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("same report as"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reopened_count = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["status", "stage", "severity"], name="case_board"),
            models.Index(fields=["owner", "status"], name="case_owner"),
            models.Index(fields=["agency", "status"], name="case_agency"),
            models.Index(fields=["person", "created_at"], name="case_person"),
            models.Index(fields=["reporter_user", "created_at"], name="case_reporter"),
            # The list's newest-first order and the dashboard's period filter.
            models.Index(fields=["status", "created_at"], name="case_created"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN


class CaseKind(models.Model):
    """One kind of a case (a case may have several)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="kinds")
    kind = models.CharField(max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("kind of problem")
        verbose_name_plural = _("kinds of problem")
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], name="case_kind_unique"),
        ]
        indexes = [models.Index(fields=["kind", "case"], name="case_kind_by_kind")]

    def __str__(self) -> str:
        return self.kind


class Clock(models.Model):
    """One target of a case: first response, assignment, resolution. `due_at` from
    data/policy.toml by severity; `done_at` when the target was reached; `risk_at`
    when a running clock turns at risk (kept so the dashboard counts in SQL)."""

    class Name(models.TextChoices):
        FIRST_RESPONSE = "first_response", _("First response")
        ASSIGNMENT = "assignment", _("Assignment to an officer")
        RESOLUTION = "resolution", _("Resolution")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clocks")
    name = models.CharField(max_length=16, choices=Name.choices)
    started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    risk_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    at_risk_told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("case clock")
        verbose_name_plural = _("case clocks")
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "name"], name="case_clock_unique"),
        ]
        indexes = [
            models.Index(fields=["done_at", "due_at"], name="case_clock_due"),
            models.Index(fields=["done_at", "risk_at"], name="case_clock_risk"),
            # The dashboard's counts per clock and state, read from the index alone.
            models.Index(
                fields=["name", "done_at", "due_at", "risk_at", "case"], name="case_clock_state"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}@{self.case_id}"

    def state(self, now=None, at_risk_fraction: float | None = None) -> str:
        now = now or timezone.now()
        if self.done_at is not None:
            return clocks.MET if self.done_at <= self.due_at else clocks.BREACHED
        if now > self.due_at:
            return clocks.BREACHED
        return clocks.AT_RISK if now >= self.risk_at else clocks.RUNNING


class StageChange(models.Model):
    """One move of the workflow, with its reason: the case's trail."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=12, choices=Stage.choices)
    reason = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="case_stage_change")]

    def __str__(self) -> str:
        return f"{self.from_stage}->{self.to_stage}"


class Screening(models.Model):
    """One round of the forced-labour screening (at intake and at each contact)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="screenings")
    answers = models.JSONField(default=dict)
    level = models.CharField(max_length=8)
    indicators = models.JSONField(default=list)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        ordering = ["asked_at", "id"]

    def __str__(self) -> str:
        return f"{self.level}@{self.case_id}"


class Note(models.Model):
    """A note on the case. Internal notes are for officers only; shared notes are
    messages the worker and the reporter read (and what they send in)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("note"))
    shared = models.BooleanField(_("shared with the worker and the reporter"), default=False)
    from_reporter = models.BooleanField(default=False)  # sent in by the worker or reporter
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "shared", "created_at"], name="case_note")]

    def __str__(self) -> str:
        return f"note#{self.pk}"


class Service(models.Model):
    """A service planned on the case, with its own due date (Primero's timeframes)."""

    class Type(models.TextChoices):
        LEGAL_AID = "legal_aid", _("Legal aid")
        SHELTER = "shelter", _("Shelter")
        MEDICAL = "medical", _("Medical care")
        PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
        MEDIATION = "mediation", _("Mediation with the employer or company")
        REPATRIATION = "repatriation", _("Repatriation request")
        CLAIM = "claim", _("Insurance or social-security claim")
        OTHER = "other", _("Other")

    class Timeframe(models.TextChoices):
        ONE_HOUR = "1_hour", _("Within 1 hour")
        THREE_HOURS = "3_hours", _("Within 3 hours")
        ONE_DAY = "1_day", _("Within 1 day")
        THREE_DAYS = "3_days", _("Within 3 days")
        DATE = "date", _("By a date")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="services")
    type = models.CharField(_("service"), max_length=14, choices=Type.choices)
    timeframe = models.CharField(_("when"), max_length=8, choices=Timeframe.choices)
    provider = models.CharField(_("who provides it"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    due_at = models.DateTimeField(_("due"))
    done_at = models.DateTimeField(_("done on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("planned service")
        verbose_name_plural = _("planned services")
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["done_at", "due_at"], name="case_service_due")]

    def __str__(self) -> str:
        return f"{self.type}@{self.case_id}"


class CaseTask(models.Model):
    """Something to do on the case by a date."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("what"), max_length=200)
    due_at = models.DateTimeField(_("by when"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("case task")
        verbose_name_plural = _("case tasks")
        ordering = ["due_at", "id"]

    def __str__(self) -> str:
        return f"task#{self.pk}"


class Approval(models.Model):
    """A supervisor's decision on closing a critical case or one with trafficking
    indicators (Primero's closure approval)."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting for a supervisor")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approvals")
    closing_reason = models.CharField(
        _("closing reason"), max_length=30, choices=ClosingReason.choices
    )
    reason = models.CharField(_("why"), max_length=500)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(
        _("decision"), max_length=8, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("closing approval")
        verbose_name_plural = _("closing approvals")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(decision="pending"), name="case_one_pending_approval"
            )
        ]

    def __str__(self) -> str:
        return f"approval#{self.pk}"


class Escalation(models.Model):
    """An overdue clock raised to someone's attention (level 1: the owner and their
    supervisors; level 2: the head of unit)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="escalations")
    clock = models.CharField(max_length=16, choices=Clock.Name.choices)
    level = models.PositiveSmallIntegerField()
    at = models.DateTimeField(default=timezone.now)
    notified = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["at"], name="case_escalation_at")]

    def __str__(self) -> str:
        return f"{self.clock}:{self.level}@{self.case_id}"


class SeverityChange(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="severity_changes")
    from_severity = models.CharField(max_length=8, choices=Severity.choices)
    to_severity = models.CharField(max_length=8, choices=Severity.choices)
    reason = models.CharField(max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("severity change")
        verbose_name_plural = _("severity changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_severity}->{self.to_severity}"


class UnitHead(models.Model):
    """The head of unit an agency's second escalation goes to (set by an admin);
    without one, the administrators are told."""

    agency = models.OneToOneField("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("head of unit")
        verbose_name_plural = _("heads of unit")

    def __str__(self) -> str:
        return f"head of {self.agency_id}"


class CaseDocument(models.Model):
    """A file on the case, sealed like the documents app's files."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("what it is"), max_length=200)
    storage_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    shared = models.BooleanField(default=False)  # sent in by, or shown to, the worker
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("case file")
        verbose_name_plural = _("case files")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title


class Transfer(models.Model):
    """A case handed to another agency (another unit, or the province the worker lives
    in): ownership and the agency move when the receiving side accepts
    (docs/cases.md, "Transfers").

    `kind` says who started it: an offer (the owner's side hands it over) or a request
    (someone asks the owner's side to transfer it). A request first waits on the
    owner's side (`offered_at` empty), who turns it into an offer or refuses it; an
    offer waits on the receiving agency. At most one transfer of a case is pending."""

    class Kind(models.TextChoices):
        OFFER = "offer", _("Offered by the case's owner")
        REQUEST = "request", _("Asked for by another officer")

    class State(models.TextChoices):
        REQUESTED = "requested", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted: the case moved")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Withdrawn")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    from_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("from agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    from_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("previous officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("receiving agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("receiving officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("why"), max_length=500)
    status = models.CharField(
        _("status"), max_length=10, choices=State.choices, default=State.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    # The owner's side agreeing (a request turned into an offer; an offer at once).
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    offered_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("why it was declined"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("case transfer")
        verbose_name_plural = _("case transfers")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="requested"), name="case_one_pending_transfer"
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="case_transfer_declined_has_reason",
            ),
        ]
        indexes = [
            # The receiving agency's inbox, and the owner's side's.
            models.Index(fields=["to_agency", "status", "requested_at"], name="case_transfer_in"),
            models.Index(
                fields=["from_agency", "status", "requested_at"], name="case_transfer_out"
            ),
            # The old owner's trail.
            models.Index(fields=["from_owner", "status"], name="case_transfer_trail"),
            models.Index(fields=["case", "status"], name="case_transfer_case"),
        ]

    def __str__(self) -> str:
        return f"transfer#{self.pk}@{self.case_id}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.State.REQUESTED

    @property
    def waits_on_owner(self) -> bool:
        """A request the owner's side has not answered yet."""
        return self.is_pending and self.offered_at is None

    @property
    def waits_on_receiver(self) -> bool:
        return self.is_pending and self.offered_at is not None


# Repatriation (docs/repatriation.md): bringing a worker home, from a case or as part of
# an evacuation, step by step from a template per reason (data/repatriation.toml).


class RepatriationReason(models.TextChoices):
    CONTRACT_TROUBLE = "contract_trouble", _("End of contract in trouble")
    DEPORTATION = "deportation", _("Deportation")
    ILLNESS = "illness", _("Illness or injury")
    DEATH = "death", _("Death")
    EVACUATION = "evacuation", _("Disaster or conflict evacuation")
    CASE_DECISION = "case_decision", _("A decision of the case")


class Payer(models.TextChoices):
    COMPANY = "company", _("The placement company")
    EMPLOYER = "employer", _("The employer")
    GOVERNMENT = "government", _("The government")
    INSURANCE = "insurance", _("Insurance")
    FAMILY = "family", _("The worker or the family")


class Need(models.TextChoices):
    """What the reception team prepares for at the point of arrival."""

    WHEELCHAIR = "wheelchair", _("Wheelchair")
    STRETCHER = "stretcher", _("Stretcher or ambulance")
    ESCORT = "escort", _("Escort")
    SHELTER = "shelter", _("Shelter (Rumah Ramah)")
    MEDICAL = "medical", _("Medical care on arrival")
    COUNSELLING = "counselling", _("Counselling")
    REMAINS = "remains", _("Remains (cargo terminal)")


class Debarkation(models.TextChoices):
    """Points of arrival. The main airport lies in Banten, not Jakarta: arriving there
    is a hand-over across the provincial border (BP3MI Banten)."""

    CGK = "cgk", _("Soekarno–Hatta airport (Tangerang, Banten)")
    HLP = "hlp", _("Halim Perdanakusuma airport (Jakarta)")
    PRIOK = "priok", _("Tanjung Priok seaport (Jakarta)")
    OTHER = "other", _("Another point of arrival")


class Evacuation(models.Model):
    """A mass evacuation: one operation, many people (each a Repatriation)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Under way")
        CLOSED = "closed", _("Closed")

    reference = models.CharField(_("operation number"), max_length=20, unique=True)
    name = models.CharField(_("name of the operation"), max_length=200)
    country = models.ForeignKey(
        "places.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    cause = models.CharField(_("what happened"), max_length=500)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("evacuation")
        verbose_name_plural = _("evacuations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.reference


class Repatriation(models.Model):
    """One person brought home. `status` follows the steps: open while they are
    arranged, arrived once the arrival step is done, completed when every required
    step is done (the hand-over), cancelled with a reason."""

    class Status(models.TextChoices):
        OPEN = "open", _("Being arranged")
        ARRIVED = "arrived", _("Arrived in Indonesia")
        COMPLETED = "completed", _("Home: handed over")
        CANCELLED = "cancelled", _("Cancelled")

    reference = models.CharField(_("repatriation number"), max_length=20, unique=True)
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repatriations",
    )
    evacuation = models.ForeignKey(
        Evacuation,
        verbose_name=_("evacuation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repatriations",
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repatriations",
    )
    # The name on the boards and lists (the person's, or the case's subject's).
    name = models.CharField(_("name"), max_length=200)
    reason = models.CharField(_("reason"), max_length=20, choices=RepatriationReason.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    template_version = models.CharField(max_length=20, blank=True)
    country = models.ForeignKey(
        "places.Country",
        verbose_name=_("from country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Travel and who pays (the placement company for its workers: PP 59/2021 art. 21).
    payer = models.CharField(_("who pays"), max_length=10, choices=Payer.choices, blank=True)
    payer_name = models.CharField(_("payer's name"), max_length=200, blank=True)
    flight = models.CharField(_("flight or ship"), max_length=20, blank=True)
    debarkation = models.CharField(
        _("point of arrival"), max_length=6, choices=Debarkation.choices, blank=True
    )
    arrives_at = models.DateTimeField(_("expected arrival"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived"), null=True, blank=True)
    needs = models.JSONField(_("needs on arrival"), default=list, blank=True)
    met_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("met by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    home_region = models.ForeignKey(
        "places.Region",
        verbose_name=_("home city or regency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The worker cannot sign for themself (a refusal of rehabilitation is then the
    # family's: Permen P2MI 32/2025 art. 39).
    lacks_capacity = models.BooleanField(_("cannot sign for themself"), default=False)
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("why it was cancelled"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("repatriation")
        verbose_name_plural = _("repatriations")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The arrivals board: who lands when.
            models.Index(fields=["arrives_at", "status"], name="repatriation_arrivals"),
            models.Index(fields=["case", "created_at"], name="repatriation_case"),
            models.Index(fields=["evacuation", "flight"], name="repatriation_flight"),
            models.Index(fields=["person", "status"], name="repatriation_person"),
            models.Index(fields=["status", "created_at"], name="repatriation_status"),
        ]
        constraints = [
            # One live repatriation per person at a time.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=["open", "arrived"]),
                name="repatriation_one_live_per_person",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_live(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.ARRIVED)


class RepatriationStep(models.Model):
    """One step of a repatriation, from its template: who owns it, by when, done or not.
    A required step cannot be done while an earlier required step is open."""

    class Status(models.TextChoices):
        OPEN = "open", _("To do")
        DONE = "done", _("Done")
        NOT_NEEDED = "not_needed", _("Not needed")

    repatriation = models.ForeignKey(Repatriation, on_delete=models.CASCADE, related_name="steps")
    code = models.CharField(max_length=20)
    position = models.PositiveSmallIntegerField()
    required = models.BooleanField(default=True)
    # The party responsible under the law (embassy, national agency, home city,
    # placement company, social affairs); `owner` is the officer following it up.
    party = models.CharField(_("responsible party"), max_length=20)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    done_at = models.DateTimeField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    # Tell the family following the case when this step is done (death: each step).
    tell_family = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("repatriation step")
        verbose_name_plural = _("repatriation steps")
        ordering = ["repatriation", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["repatriation", "code"], name="repatriation_step_unique"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="repatriation_step_due")]

    def __str__(self) -> str:
        return f"{self.code}@{self.repatriation_id}"


class RepatriationStatement(models.Model):
    """A signed statement (berita acara): the hand-over to the family, witnessed by the
    village or city government; the hand-over to social services when there is no
    family (Permen P2MI 32/2025 art. 13); or a refusal of rehabilitation, signed by the
    worker or, when they lack capacity, the family (art. 39)."""

    class Kind(models.TextChoices):
        HANDOVER_FAMILY = "handover_family", _("Hand-over to the family")
        HANDOVER_SOCIAL = "handover_social", _("Hand-over to social services")
        REFUSAL = "refusal", _("Refusal of rehabilitation")

    class SignedBy(models.TextChoices):
        """Who signs a refusal: the worker, or the family when the worker lacks the
        capacity to (Repatriation.lacks_capacity). Empty on a hand-over."""

        WORKER = "worker", _("The worker")
        FAMILY = "family", _("A family member on the worker's behalf")

    repatriation = models.ForeignKey(
        Repatriation, on_delete=models.PROTECT, related_name="statements"
    )
    number = models.CharField(_("statement number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    signed_on = models.DateField(_("signed on"))
    place = models.CharField(_("place"), max_length=200)
    # Who receives (family member or proxy; the social services' officer) or, for a
    # refusal, who signs it.
    signatory_name = models.CharField(_("signed by"), max_length=200)
    signatory_relation = models.CharField(_("relationship or office"), max_length=100)
    signed_by = models.CharField(
        _("refusal signed by"), max_length=8, choices=SignedBy.choices, blank=True
    )
    witness_name = models.CharField(_("witness"), max_length=200, blank=True)
    witness_office = models.CharField(
        _("witness's office (village or city government)"), max_length=200, blank=True
    )
    remarks = models.TextField(_("remarks"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("signed statement")
        verbose_name_plural = _("signed statements")
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["repatriation", "kind"], name="repatriation_statement_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.number
