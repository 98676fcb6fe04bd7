"""Lapor diri: a worker's stay abroad, reported by themself (the portal) or taken by
an officer, and the periodic "are you well?" check-ins (docs/abroad.md)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from garda.fields import EncryptedTextField
from garda.people.models import FamilyContact


class Stay(models.Model):
    """One stay abroad of a person: where, for whom, until when, who to call at home.
    A person has at most one current stay (ended_at empty)."""

    class Departure(models.TextChoices):
        PLACED = "placed", _("Through a placement company or the government")
        INDEPENDENT = "independent", _("On my own (mandiri)")

    class EndReason(models.TextChoices):
        RETURNED = "returned", _("Back home in Indonesia")
        MOVED = "moved", _("Moved to another country or employer")
        # Set by a death repatriation (garda/cases), never chosen on a form.
        DIED = "died", _("Died abroad")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="stays")
    departure = models.CharField(_("how you left"), max_length=12, choices=Departure.choices)
    country = models.ForeignKey(
        "places.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    city = models.CharField(_("city"), max_length=100)
    employer_name = models.CharField(_("employer"), max_length=200, blank=True)
    address = models.TextField(_("address abroad"), blank=True)
    phone = models.CharField(_("phone abroad"), max_length=20, blank=True)  # E.164
    contract_start = models.DateField(_("contract start"), null=True, blank=True)
    contract_end = models.DateField(_("contract end"), null=True, blank=True)
    # Encrypted like the registry's identity numbers; pages and the API show it masked.
    passport_number = EncryptedTextField(_("passport number"), blank=True)
    emergency_name = models.CharField(_("emergency contact in Indonesia"), max_length=200)
    emergency_relation = models.CharField(
        _("relation"), max_length=10, choices=FamilyContact.Relation.choices, blank=True
    )
    emergency_phone = models.CharField(_("emergency contact's phone"), max_length=20, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(
        _("why it ended"), max_length=10, choices=EndReason.choices, blank=True
    )
    last_contact_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("stay abroad")
        verbose_name_plural = _("stays abroad")
        indexes = [
            # The per-country list: current stays of a country, by name.
            models.Index(
                fields=["country", "person"],
                condition=Q(ended_at__isnull=True),
                name="stay_current_country",
            ),
            # "No contact for N days" within a country.
            models.Index(
                fields=["country", "last_contact_at"],
                condition=Q(ended_at__isnull=True),
                name="stay_country_contact",
            ),
            # The contract-end reminders.
            models.Index(
                fields=["contract_end"],
                condition=Q(ended_at__isnull=True),
                name="stay_contract_end",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(ended_at__isnull=True), name="stay_one_current"
            ),
            models.CheckConstraint(
                condition=Q(contract_start__isnull=True)
                | Q(contract_end__isnull=True)
                | Q(contract_end__gte=models.F("contract_start")),
                name="stay_contract_order",
            ),
        ]

    def __str__(self) -> str:
        return f"stay {self.pk} {self.country_id}"

    @property
    def is_current(self) -> bool:
        return self.ended_at is None


class CheckIn(models.Model):
    """One "are you well?" round: asked by the periodic job (or started by the worker
    on their own), answered on the portal. A worrying answer opens a case."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="check_ins")
    asked_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    # {"well": "yes"|"no", "help": "yes"|"no", and the screening's question codes}
    answers = models.JSONField(default=dict, blank=True)
    level = models.CharField(max_length=8, blank=True)  # the screening's level
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the accompanying officers were told the check-in went unanswered.
    lost_contact_told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-asked_at", "-id"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        indexes = [
            models.Index(fields=["stay", "-asked_at"], name="checkin_stay"),
            models.Index(
                fields=["asked_at"],
                condition=Q(answered_at__isnull=True, lost_contact_told_at__isnull=True),
                name="checkin_unanswered",
            ),
        ]

    def __str__(self) -> str:
        return f"check-in {self.pk} of stay {self.stay_id}"


class Reminder(models.Model):
    """A contract-end reminder sent (one per stay and mark: "60", "14"), so that the
    periodic job never sends one twice."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="reminders")
    mark = models.CharField(max_length=10)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stay", "mark"], name="abroad_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.stay_id}:{self.mark}"
