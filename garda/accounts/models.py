"""Users (log in with e-mail), agencies and API tokens."""

import hashlib
import secrets
from functools import cached_property

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractBaseUser, Group, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from garda.accounts import roles


class Agency(models.Model):
    """An agency Pasukan Putih comes from or refers to, in Jakarta or abroad."""

    class Kind(models.TextChoices):
        MANPOWER = "manpower", _("Manpower office (Disnakertransgi)")
        SOCIAL = "social", _("Social affairs (Dinsos)")
        HEALTH = "health", _("Health (Dinkes)")
        CIVIL_REGISTRY = "civil_registry", _("Civil registry (Dukcapil)")
        GOVERNOR = "governor", _("Governor's bureau")
        BP3MI = "bp3mi", _("BP3MI / KP2MI")
        IMMIGRATION = "immigration", _("Immigration")
        TRAINING = "training", _("Training centre (PPKD/LPK)")
        POLICE = "police", _("Police")
        EMBASSY = "embassy", _("Embassy or consulate (KBRI/KJRI)")
        SOCIAL_SECURITY = "social_security", _("Social security (BPJS)")
        NGO = "ngo", _("Civil society organisation")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        "places.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    country = models.ForeignKey(
        "places.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            # An agency is either in Indonesia (a region) or abroad (a country), never both.
            models.CheckConstraint(
                condition=models.Q(region__isnull=True) | models.Q(country__isnull=True),
                name="agency_region_or_country",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username):
        # E-mail addresses are case-insensitive for log-in.
        return self.get(email__iexact=(username or "").strip())

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        user = self._create(email, password, **extra)
        user.groups.add(Group.objects.get_or_create(name=roles.ADMIN)[0])
        return user


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the admin screen"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Set while a self-service sign-up waits for the person to open the link mailed to
    # them (the account is inactive until then); cleared when they do. Sign-ups still
    # waiting after GARDA_SIGNUP_UNCONFIRMED_DAYS are deleted (accounts/tasks.py).
    unconfirmed_since = models.DateTimeField(null=True, blank=True, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    # For apps below accounts that see the user model only through get_user_model()
    # (the audit log's role filter).
    ROLE_CHOICES = roles.CHOICES

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    @cached_property
    def role(self) -> str | None:
        """The user's role: the most privileged role group they belong to."""
        names = {g.name for g in self.groups.all()}
        return next((r for r in roles.ALL if r in names), None)

    @property
    def is_staff_role(self) -> bool:
        return self.role in roles.STAFF

    @property
    def role_label(self) -> str:
        return str(roles.LABELS.get(self.role, "")) if self.role else ""


class ApiToken(models.Model):
    """A bearer token for another system; only a SHA-256 of the token is stored.

    Tokens are 256 random bits, so a plain hash cannot be reversed by enumeration
    (unlike a NIK, which needs a keyed HMAC).
    """

    PREFIX = "garda_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    key_prefix = models.CharField(max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.key_prefix}… ({self.user})"

    @classmethod
    def hash_key(cls, key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def new_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)


class Notification(models.Model):
    """An in-app message to a user (a document rejected, a seat offered, a reminder);
    sent with garda.accounts.notify.notify, which may also e-mail it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.title}"
