"""A person's data rights (UU 27/2022 on Personal Data Protection): the corrections
they ask for and the officers' decisions, and every sharing of their data with another
agency with the consent (or the override) it rests on. The export of all their data
has no table: each export is one EXPORT audit row (export.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from garda.fields import EncryptedTextField


class CorrectionRequest(models.Model):
    """A worker asks that a named field of their record be corrected (UU 27/2022
    art. 6: the right to complete, update and correct), or describes in words
    something else that is wrong; an officer who accompanies them (or a supervisor)
    accepts it, the change then applied through the registry's own service, or
    rejects it with a reason."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an officer")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    # The field a request names; OTHER: something else, described in words.
    OTHER = "other"

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="correction_requests"
    )
    field = models.CharField(_("what to correct"), max_length=20)
    # The value asked for (identity numbers among them): encrypted like the registry's.
    requested_value = EncryptedTextField(_("correct value"), blank=True)
    description = models.TextField(_("what is wrong"), blank=True)
    reason = models.TextField(_("why"))
    # Evidence: one of the person's own documents (uploaded through "My documents",
    # which checks the file's type and strips photo metadata).
    evidence = models.ForeignKey(
        "documents.Document",
        verbose_name=_("evidence"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    # The value the field had when the correction was applied (encrypted).
    previous_value = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        indexes = [
            models.Index(fields=["status", "created_at"], name="correction_queue"),
            models.Index(fields=["person", "-created_at"], name="correction_person"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_reason=""),
                name="correction_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="correction_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"correction {self.pk} {self.field} {self.status}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class CorrectionEvent(models.Model):
    """The history of a correction request: asked, accepted (and applied), rejected."""

    class Kind(models.TextChoices):
        ASKED = "asked", _("Asked")
        ACCEPTED = "accepted", _("Accepted")
        APPLIED = "applied", _("Change applied to the record")
        REJECTED = "rejected", _("Rejected")

    request = models.ForeignKey(CorrectionRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # Field names only, never values.
    fields = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id}:{self.kind}"


class SharingRecord(models.Model):
    """One sharing of (part of) a person's record with another agency: what, to whom,
    for what, and on which ground (an active SHARING consent naming the agency, or an
    officer's override with its reason). Live until ended: withdrawing the consent
    ends every live sharing under it (sharing.py), and the receiving agency's users
    lose access (docs/privacy.md, "Sharing")."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="sharing_records"
    )
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    # The parts of the record shared ("profile", "documents", "case"...): names only.
    parts = models.JSONField(_("what is shared"), default=list)
    consent = models.ForeignKey(
        "people.Consent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sharing_records",
    )
    override_reason = models.TextField(_("reason for sharing without consent"), blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_reason = models.CharField(_("why it ended"), max_length=200, blank=True)

    class Meta:
        ordering = ["-shared_at", "-id"]
        verbose_name = _("data sharing")
        verbose_name_plural = _("data sharing")
        indexes = [
            models.Index(fields=["consent", "ended_at"], name="sharing_consent_live"),
            models.Index(fields=["person", "agency", "ended_at"], name="sharing_person_agency"),
        ]
        constraints = [
            # Every sharing rests on a consent or on a stated reason.
            models.CheckConstraint(
                condition=Q(consent__isnull=False) | ~Q(override_reason=""),
                name="sharing_has_ground",
            ),
        ]

    def __str__(self) -> str:
        return f"sharing {self.pk} {self.person_id}->{self.agency_id}"

    @property
    def is_live(self) -> bool:
        return self.ended_at is None

    @property
    def is_override(self) -> bool:
        return self.consent_id is None
