"""The append-only, hash-chained audit log (docs/security.md, "Audit")."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("create")
        UPDATE = "update", _("update")
        DELETE = "delete", _("delete")
        VIEW = "view", _("view")
        REVEAL = "reveal", _("reveal identity number")
        EXPORT = "export", _("export")
        SHARE = "share", _("share")
        LOGIN = "login", _("log in")
        LOGIN_FAILED = "login_failed", _("failed log-in")
        LOCKOUT = "lockout", _("lockout")
        LOGOUT = "logout", _("log out")
        SESSION_EXPIRED = "session_expired", _("session expired")
        SECOND_FACTOR = "second_factor", _("second factor")
        DENIED = "denied", _("denied access")
        # A person looked up by an identity number (a NIK searched, a number checked
        # against a record): the query's blind index, never the number (issue 19).
        LOOKUP = "lookup", _("look-up by identity number")
        ALERT = "alert", _("security alert")

    # Who: kept as plain values too, so the row stays meaningful if the user changes.
    # DO_NOTHING (no database constraint): deleting a user must never touch audit rows.
    # SET_NULL would issue an UPDATE, which the append-only triggers refuse, and would
    # break the chain, since actor_id is part of the hashed content.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    actor_role = models.CharField(max_length=20, blank=True)
    actor_agency_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    # What: ids and field names only, never NIKs, names or health data as values.
    object_type = models.CharField(max_length=60, blank=True)  # "app_label.model"
    object_id = models.CharField(max_length=64, blank=True)
    changed_fields = models.JSONField(default=list, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    # Where and when.
    ip = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    # The chain: HMAC(key, prev_hash || canonical(this row)).
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        default_permissions = ("view",)
        permissions = [("view_all_auditevents", "Can view every audit event")]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor", "-created_at"]),
            models.Index(fields=["actor_agency_id", "-created_at"]),
            models.Index(fields=["-created_at"]),
        ]
        constraints = [
            # Each entry has exactly one successor: two writers that read the same last
            # hash (a fork) cannot both commit, whatever the isolation level or locking.
            models.UniqueConstraint(fields=["prev_hash"], name="audit_prev_hash_unique"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"
