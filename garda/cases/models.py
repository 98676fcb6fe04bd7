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
