"""Document types (what the law asks a worker to hold) and the documents a person
uploads, with their files and verification.

The document list follows UU 18/2017 art. 13 (marital-status letter, consent of
spouse/parent/guardian acknowledged by the village head, competency certificate,
medical and psychological result, passport, work visa, placement agreement,
employment contract), plus what registration asks in practice (KTP, KK, diploma,
birth certificate) and BP2MI Regulation 7/2022 (SKCK, OPP certificate).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from garda.fields import EncryptedTextField


class Category(models.TextChoices):
    IDENTITY = "identity", _("Identity and civil status")
    EDUCATION = "education", _("Education")
    LEGAL = "legal", _("Letters and permissions")
    HEALTH = "health", _("Health")
    TRAVEL = "travel", _("Travel")
    CONTRACT = "contract", _("Agreements")
    SOCIAL_SECURITY = "social_security", _("Social security")
    COMPETENCY = "competency", _("Training and competency")
    LANGUAGE = "language", _("Language tests")


class DocumentType(models.Model):
    """A kind of document, maintained as data by administrators."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    # Who issues it, in words a worker understands, and which kind of agency that is
    # (to point next steps at the right desk).
    issuer = models.CharField(_("issued by"), max_length=200)
    issuer_kind = models.CharField(_("issuing agency kind"), max_length=20, blank=True)
    where_to_get = models.TextField(_("where to get it and what to bring"), blank=True)
    # Validity: a result older than validity_months (from its issue date) no longer
    # counts; a document must still be valid min_remaining_months after departure.
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months after issue)"), null=True, blank=True
    )
    min_remaining_months = models.PositiveSmallIntegerField(
        _("minimum remaining validity (months)"), null=True, blank=True
    )
    needs_verification = models.BooleanField(_("needs verification by an officer"), default=True)
    has_number = models.BooleanField(_("has a number"), default=True)
    has_expiry = models.BooleanField(_("has an expiry date"), default=False)
    # Language tests and graded certificates: the levels in ascending order, comma
    # separated ("N5,N4,N3,N2,N1"); empty with is_scored means a numeric score.
    levels = models.CharField(_("levels, lowest first"), max_length=200, blank=True)
    is_scored = models.BooleanField(_("has a numeric score"), default=False)
    # Health results are seen only by roles that need them (docs/security.md, test 4).
    is_health = models.BooleanField(_("health data"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "id").startswith("en") else self.name

    @property
    def level_list(self) -> list[str]:
        return [lv.strip() for lv in self.levels.split(",") if lv.strip()]


class Document(models.Model):
    """One document of a person: its details, its files (pages) and its review."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        # A newer upload of the same type took its place; kept for the history.
        REPLACED = "replaced", _("Replaced")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="documents")
    type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="documents")
    # Document numbers include passport and KK numbers: encrypted like the registry's.
    number = EncryptedTextField(_("number"), blank=True)
    issued_on = models.DateField(_("issue date"), null=True, blank=True)
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    level = models.CharField(_("level or score"), max_length=20, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    rejection_reason = models.CharField(_("reason for rejection"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Every write sets it: the readiness cache is stale when a person's documents
    # changed after it was computed (destinations/readiness.py).
    changed_at = models.DateTimeField(default=timezone.now)
    # Last expiry reminder sent (the periodic job reminds once per window).
    reminded_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["person_id", "type__order", "-uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [
            models.Index(fields=["person", "type"], name="document_person_type"),
            models.Index(fields=["person", "changed_at"], name="document_person_changed"),
            models.Index(fields=["status", "uploaded_at"], name="document_queue"),
            models.Index(fields=["expires_on"], name="document_expiry"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="document_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gt=models.F("issued_on")),
                name="document_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type_id}#{self.pk}"


class DocumentFile(models.Model):
    """A page (or the whole PDF) of a document, stored encrypted under a random name
    outside any static root; served only through a permission-checked view."""

    class ContentType(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    page = models.PositiveSmallIntegerField(default=1)
    storage_name = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=20, choices=ContentType.choices)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["document_id", "page"]
        constraints = [
            models.UniqueConstraint(fields=["document", "page"], name="documentfile_page_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document_id}p{self.page}"
