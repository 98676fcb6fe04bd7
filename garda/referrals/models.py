"""Referrals: a case's owner asks another agency for a service while the case stays
with them (docs/referrals.md). The receiving agency's partner users answer (accept or
decline with a reason), act, and report the service delivered; their access to the
case starts on acceptance, covers only the referred sections, and ends when the
referral closes.

Every referral of a person's data rests on a privacy.SharingRecord (the person's
SHARING consent naming the agency, or an officer's override with its reason):
privacy/sharing.py is the rule.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    REQUESTED = "requested", _("Waiting for the agency's answer")
    ACCEPTED = "accepted", _("Accepted, service under way")
    DECLINED = "declined", _("Declined by the agency")
    REPORTED = "reported", _("Service delivered, reported back")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Withdrawn by the case owner")


# A partner of the receiving agency sees the case while the referral is in one of
# these states (accepted: acting; reported: until the owner closes it).
OPEN_FOR_PARTNER = (Status.ACCEPTED, Status.REPORTED)
# States that still wait on someone (the follow-through clock runs).
LIVE = (Status.REQUESTED, Status.ACCEPTED, Status.REPORTED)


class Section(models.TextChoices):
    """The parts of a case a referral may share (a chosen set, never the whole file).
    PRIVACY_PARTS maps each to the parts a privacy.SharingRecord names."""

    SUMMARY = "summary", _("What happened (kinds, stage, severity, description)")
    PERSON = "person", _("The person (name, birth date, sex, home region)")
    IDENTITY = "identity", _("Identity numbers (NIK)")
    WHEREABOUTS = "whereabouts", _("Where the person is (country, city, employer, phone)")
    REPORTER = "reporter", _("Who reported it and how to reach them")
    SCREENING = "screening", _("Screening answers and result")
    SERVICES = "services", _("Planned services")
    DOCUMENTS = "documents", _("Files on the case")


PRIVACY_PARTS = {
    Section.SUMMARY: "case",
    Section.PERSON: "profile",
    Section.IDENTITY: "identity",
    Section.WHEREABOUTS: "contact",
    Section.REPORTER: "contact",
    Section.SCREENING: "case",
    Section.SERVICES: "case",
    Section.DOCUMENTS: "documents",
}


class Referral(models.Model):
    # The number on the printed letter the receiver answers against: "RJK-2026-000123".
    reference = models.CharField(_("referral number"), max_length=20, unique=True)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals")
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("receiving agency"),
        on_delete=models.PROTECT,
        related_name="referrals_received",
    )
    # What is asked: the kind of service (the case's planned-service types) and words.
    service_type = models.CharField(_("service asked for"), max_length=14)
    request = models.TextField(_("what is asked"))
    due_at = models.DateTimeField(_("answer by"))
    sections = models.JSONField(_("parts of the case shared"), default=list)
    # The planned service on the case this referral delivers (created with it, marked
    # done by the agency's report).
    planned_service = models.OneToOneField(
        "cases.Service",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referral",
    )
    # The ground of the sharing (privacy): the consent, or an override with a reason.
    sharing = models.ForeignKey(
        "privacy.SharingRecord",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    consent = models.ForeignKey(
        "people.Consent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    override_reason = models.TextField(_("reason for sharing without consent"), blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)

    # The agency's answer.
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decline_reason = models.TextField(_("why the agency declined"), blank=True)
    # Accepted: the service is reported back by this date (the second clock).
    report_due_at = models.DateTimeField(_("report back by"), null=True, blank=True)

    # The service delivered, as the agency reports it.
    delivered_what = models.TextField(_("service delivered"), blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    delivered_by_name = models.CharField(_("delivered by"), max_length=200, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    close_reason = models.CharField(_("why it was closed"), max_length=500, blank=True)

    # Follow-through (the referral's clock): how far an overdue answer or report was
    # raised, and when.
    escalation_level = models.PositiveSmallIntegerField(default=0)
    escalated_at = models.DateTimeField(null=True, blank=True)

    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["agency", "status", "due_at"], name="referral_inbox"),
            models.Index(fields=["case", "requested_at"], name="referral_case"),
            models.Index(fields=["status", "due_at"], name="referral_due"),
            models.Index(fields=["status", "report_due_at"], name="referral_report_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="referral_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(consent__isnull=True) | ~Q(override_reason=""),
                name="referral_consent_or_override",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_live(self) -> bool:
        return self.status in LIVE

    @property
    def open_for_partner(self) -> bool:
        return self.status in OPEN_FOR_PARTNER


class Channel(models.TextChoices):
    """How an agency's answer reached Garda when the case's officer records it on the
    agency's behalf (the answer quoted the referral number)."""

    PHONE = "phone", _("By phone")
    LETTER = "letter", _("By letter")
    EMAIL = "email", _("By e-mail")
    MEETING = "meeting", _("In person")


class ReferralEvent(models.Model):
    """The referral's trail: each step, who took it, and, for an answer recorded on
    the agency's behalf, who at the agency gave it and how (phone, letter...)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Referral sent")
        ACCEPTED = "accepted", _("Accepted by the agency")
        DECLINED = "declined", _("Declined by the agency")
        REPORTED = "reported", _("Service reported by the agency")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Withdrawn")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    # Set when the case's officer records the agency's answer given outside Garda.
    channel = models.CharField(_("how the agency answered"), max_length=8, blank=True)
    given_by_name = models.CharField(_("who answered at the agency"), max_length=200, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("referral step")
        verbose_name_plural = _("referral steps")
        indexes = [models.Index(fields=["referral", "at"], name="referral_event")]

    def __str__(self) -> str:
        return f"{self.kind}@{self.referral_id}"

    @property
    def on_behalf(self) -> bool:
        return bool(self.channel)


class ReferralEscalation(models.Model):
    """A referral's overdue answer or report raised to someone's attention (level 1:
    the case's owner, the case agency's supervisors and the receiving agency's
    partners; level 2: the head of unit). One row per clock and level, never twice
    (services/escalation.py, docs/referrals.md "Follow-through")."""

    class Clock(models.TextChoices):
        ANSWER = "answer", _("Answer (accept or decline)")
        REPORT = "report", _("Report on the service delivered")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="escalations")
    clock = models.CharField(max_length=6, choices=Clock.choices)
    level = models.PositiveSmallIntegerField()
    at = models.DateTimeField(default=timezone.now)
    notified = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        verbose_name = _("referral escalation")
        verbose_name_plural = _("referral escalations")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "clock", "level"], name="referral_escalation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.clock}:{self.level}@{self.referral_id}"
