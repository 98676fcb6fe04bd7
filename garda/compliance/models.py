"""Retention, legal holds and the incident register (UU 27/2022; docs/compliance.md).

The retention rules themselves are data (data/retention.toml, read by retention.py);
these tables hold what people decide: holds that stop the purge, and incidents with
the persons they touched and when each was told.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# UU 27/2022 art. 46(1): the data subjects are told within 3 x 24 hours.
NOTIFY_WITHIN = timedelta(hours=72)


class LegalHoldQuerySet(models.QuerySet):
    def in_force(self, now=None):
        """Holds not lifted whose end date (if any) has not passed."""
        today = timezone.localdate(now) if now is not None else timezone.localdate()
        return self.filter(lifted_at__isnull=True).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today)
        )


class LegalHold(models.Model):
    """A person or a case that the purge must not touch, and why (a dispute, a court
    case, a police investigation). A held person keeps everything belonging to them;
    a held case keeps the case and its person."""

    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="legal_holds",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="legal_holds",
    )
    reason = models.CharField(_("reason for the hold"), max_length=500)
    ends_on = models.DateField(_("hold ends on"), null=True, blank=True)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.CharField(_("reason for lifting"), max_length=500, blank=True)

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_at", "-id"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        indexes = [
            models.Index(fields=["person", "lifted_at"], name="hold_person"),
            models.Index(fields=["case", "lifted_at"], name="hold_case"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, case__isnull=True)
                | Q(person__isnull=True, case__isnull=False),
                name="hold_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"hold#{self.pk}"

    @property
    def in_force(self) -> bool:
        return self.lifted_at is None and (
            self.ends_on is None or self.ends_on >= timezone.localdate()
        )


class Incident(models.Model):
    """A personal-data breach (UU 27/2022 art. 46)."""

    class Kind(models.TextChoices):
        UNAUTHORISED_ACCESS = "access", _("Access by someone not entitled")
        DISCLOSURE = "disclosure", _("Data sent or shown to the wrong party")
        LOSS = "loss", _("Device or paper file lost or stolen")
        ATTACK = "attack", _("Attack on the system")
        OTHER = "other", _("Other")

    reference = models.CharField(_("incident number"), max_length=20, unique=True)
    title = models.CharField(_("what happened, in one line"), max_length=200)
    description = models.TextField(_("what happened"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    systems = models.CharField(_("systems concerned"), max_length=300)
    discovered_at = models.DateTimeField(_("discovered at"))
    # What the notification to the persons says (the template is filled from these).
    data_concerned = models.CharField(_("which data were concerned"), max_length=500)
    measures = models.TextField(_("what Garda did"))
    advice = models.TextField(_("what the persons can do"))
    contact = models.CharField(_("whom to contact"), max_length=300)
    # How the persons were found (the audit trail query).
    search_actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    search_from = models.DateTimeField(null=True, blank=True)
    search_to = models.DateTimeField(null=True, blank=True)
    # The authority (and the agency's own leadership) informed.
    authority_informed_at = models.DateTimeField(_("authority informed at"), null=True, blank=True)
    authority_note = models.CharField(_("who was informed, how"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-discovered_at", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return self.reference

    @property
    def notify_due_at(self):
        return self.discovered_at + NOTIFY_WITHIN


class IncidentPerson(models.Model):
    """A person touched by an incident, and when they were told."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="persons")
    # A purged person leaves the list (their notification went with them).
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    events = models.PositiveIntegerField(default=0)  # audit rows that found them
    first_seen_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # How: "app" (in-app notification, and e-mail when the account has one),
    # "email" (no account: the registry's address), "" (no channel: tell them otherwise).
    channel = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "person"], name="incident_person_once")
        ]
        indexes = [models.Index(fields=["incident", "notified_at"], name="incident_notified")]

    def __str__(self) -> str:
        return f"{self.incident_id}:{self.person_id}"
