"""Outreach (docs/outreach.md): campaigns and their events, registrations with a
check-in code, announcements with the workers who subscribed to them and the
deliveries made."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from garda.fields import EncryptedTextField


class Campaign(models.Model):
    """A campaign several events belong to (e.g. "Sosialisasi migrasi aman 2026")."""

    name = models.CharField(_("campaign"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    """An outreach event: where (a region code and a venue), when, for whom, how many."""

    class Kind(models.TextChoices):
        SOCIALISATION = "socialisation", _("Socialisation in a village")
        JOB_FAIR = "job_fair", _("Job fair")
        G2G_INFO = "g2g_info", _("Information session on a G-to-G programme")
        CAPACITY_BUILDING = "capacity_building", _("Training for officers and village staff")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("The public")
        PROSPECTIVE = "prospective", _("Prospective migrant workers")
        FAMILIES = "families", _("Families of migrant workers")
        OFFICERS = "officers", _("Officers")
        VILLAGE_STAFF = "village_staff", _("Village staff")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    # Audiences the public may register for online; the others are registered by staff.
    PUBLIC_AUDIENCES = (Audience.PUBLIC, Audience.PROSPECTIVE, Audience.FAMILIES)

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    region = models.ForeignKey(
        "places.Region", verbose_name=_("place"), on_delete=models.PROTECT, related_name="+"
    )
    # The region's kab/kota and kecamatan codes, kept beside it for the funnel per district.
    regency_code = models.CharField(max_length=5, editable=False)
    district_code = models.CharField(max_length=8, blank=True, editable=False)
    venue = models.CharField(_("venue"), max_length=300)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    audience = models.CharField(_("audience"), max_length=16, choices=Audience.choices)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    partners = models.TextField(_("partners"), blank=True)
    budget_line = models.CharField(_("budget line"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("outreach event")
        verbose_name_plural = _("outreach events")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="outreach_event_dates"
            ),
        ]
        indexes = [
            models.Index(fields=["starts_at"], name="outreach_event_start"),
            models.Index(fields=["status", "starts_at"], name="outreach_event_status"),
            models.Index(fields=["campaign", "starts_at"], name="outreach_event_campaign"),
            models.Index(fields=["regency_code", "starts_at"], name="outreach_event_regency"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def is_public(self) -> bool:
        return self.audience in self.PUBLIC_AUDIENCES


class Registration(models.Model):
    """Someone registered for an event, online or at the door. `code` is what the
    check-in takes (typed, or in the QR code of the confirmation page); `token` opens
    the confirmation page. The NIK, when given, is stored like the registry's: encrypted,
    with the registry's blind index so a person registered later is linked."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        DOOR = "door", _("At the door")

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outreach_registrations",
    )
    full_name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    nik = EncryptedTextField(_("NIK"), blank=True)
    nik_index = models.CharField(max_length=64, blank=True, db_index=True)
    channel = models.CharField(_("registered through"), max_length=8, choices=Channel.choices)
    code = models.CharField(_("check-in code"), max_length=12, unique=True)
    token = models.CharField(max_length=32, unique=True)
    registered_at = models.DateTimeField(default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        ordering = ["event", "registered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(person__isnull=False),
                name="outreach_reg_person_once",
            ),
            models.UniqueConstraint(
                fields=["event", "nik_index"],
                condition=~Q(nik_index=""),
                name="outreach_reg_nik_once",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "checked_in_at"], name="outreach_reg_attended"),
            models.Index(fields=["person", "checked_in_at"], name="outreach_reg_person"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}:{self.code}"


class Announcement(models.Model):
    """A notice on the public portal, sent to the workers subscribed to its district
    and interest. Without a region it is for everywhere; without an interest, for all."""

    class Kind(models.TextChoices):
        G2G_CALL = "g2g_call", _("New G-to-G call")
        BATCH_OPENING = "batch_opening", _("Training batch opening")
        BROKER_WARNING = "broker_warning", _("Warning about an illegal broker")
        FAKE_JOB = "fake_job", _("Warning about a fake job")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    region = models.ForeignKey(
        "places.Region",
        verbose_name=_("city or regency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    regency_code = models.CharField(max_length=5, blank=True, editable=False)
    interest = models.CharField(_("interest"), max_length=30, blank=True)
    published_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["-published_at"], name="outreach_ann_published"),
            models.Index(fields=["regency_code", "-published_at"], name="outreach_ann_regency"),
        ]

    def __str__(self) -> str:
        return self.title


class Subscription(models.Model):
    """What a worker wants to hear about. `districts` and `interests` are code lists
    kept as ",a,b," text (one portable LIKE finds the subscribers of a district);
    empty means all."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outreach_subscription"
    )
    districts = models.CharField(max_length=500, blank=True)
    interests = models.CharField(max_length=500, blank=True)
    by_email = models.BooleanField(_("by e-mail"), default=True)
    by_sms = models.BooleanField(_("by SMS/WhatsApp"), default=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    active = models.BooleanField(_("subscribed"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("announcement subscription")
        verbose_name_plural = _("announcement subscriptions")

    def __str__(self) -> str:
        return f"subscription of user {self.user_id}"

    @staticmethod
    def pack(codes) -> str:
        codes = sorted({c for c in codes if c})
        return f",{','.join(codes)}," if codes else ""

    @staticmethod
    def unpack(text: str) -> list[str]:
        return [c for c in text.split(",") if c]


class Delivery(models.Model):
    """One announcement sent to one user by one channel."""

    class Channel(models.TextChoices):
        IN_APP = "in_app", _("In the app")
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS/WhatsApp")

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="deliveries"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("announcement delivery")
        verbose_name_plural = _("announcement deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "user", "channel"], name="outreach_delivery_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id}->{self.user_id}:{self.channel}"
