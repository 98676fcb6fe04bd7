"""The family's right to know (docs/family.md).

- `FamilyAccess`: a named family contact of the person concerned given their own
  tracking secret for one case. Like the reporter's, the secret is shown once and
  never stored: only its keyed hash (`secret_index`, `garda.crypto.blind_index`)
  is kept. An access ends by revocation (by an officer, or at once when the worker
  restricts following), never by deletion: the trail of who could follow stays.
- `FamilyPreference`: the worker's choice whether their family may follow their
  cases; no row means the default, "may follow" (UU 18/2017 gives the family a
  right to information on the worker's condition and problems).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FamilyAccess(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="family_accesses")
    contact = models.ForeignKey(
        "people.FamilyContact",
        verbose_name=_("family contact"),
        on_delete=models.CASCADE,
        related_name="case_accesses",
    )
    # HMAC of the family member's tracking secret (context "family.tracking").
    secret_index = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(_("ended on"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.CharField(_("why it ended"), max_length=500, blank=True)
    last_used_at = models.DateTimeField(_("last followed"), null=True, blank=True)

    class Meta:
        verbose_name = _("family access")
        verbose_name_plural = _("family accesses")
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["case", "revoked_at"], name="family_access_case"),
            models.Index(fields=["contact", "revoked_at"], name="family_access_contact"),
        ]
        constraints = [
            # One live access per contact and case: a new secret replaces the old.
            models.UniqueConstraint(
                fields=["case", "contact"],
                condition=models.Q(revoked_at__isnull=True),
                name="family_access_one_live",
            ),
        ]

    def __str__(self) -> str:
        return f"family-access#{self.pk}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None


class FamilyPreference(models.Model):
    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="family_preference"
    )
    restricted = models.BooleanField(_("family may not follow my cases"), default=False)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("family preference")
        verbose_name_plural = _("family preferences")

    def __str__(self) -> str:
        return f"family-preference#{self.person_id}"
