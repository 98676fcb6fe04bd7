"""Destination rules, placement schemes and requirement sets: the law as data.

Rules change by decree (e.g. the Middle East moratorium on domestic work with
individual employers, Kepmenaker 260/2015, from 1 July 2015): every rule carries its
legal basis and effective dates, and a change is a new row, never an overwrite.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    DOMESTIC = "domestic", _("Domestic work for individual employers")
    CARE = "care", _("Care work")
    HOSPITALITY = "hospitality", _("Hospitality")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    CONSTRUCTION = "construction", _("Construction")
    AGRICULTURE = "agriculture", _("Agriculture and plantations")
    FISHERY = "fishery", _("Fishery")
    HEALTH = "health", _("Health (nurses)")
    ENGINEERING = "engineering", _("Engineering and technical")
    SERVICES = "services", _("Other services")


class Destination(models.Model):
    """A destination country (ISO 3166 alpha-2) with what a worker should know."""

    code = models.CharField(_("country code"), max_length=2, unique=True)
    country = models.ForeignKey(
        "places.Country", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    name = models.CharField(_("name (Indonesian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    region = models.CharField(_("region"), max_length=40, blank=True)  # "Asia Timur"...
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=18)
    embassy_name = models.CharField(_("embassy or consulate"), max_length=200, blank=True)
    embassy_address = models.CharField(_("embassy address"), max_length=300, blank=True)
    embassy_phone = models.CharField(_("embassy phone"), max_length=60, blank=True)
    embassy_email = models.EmailField(_("embassy e-mail"), blank=True)
    embassy_website = models.URLField(_("embassy website"), blank=True)
    notes = models.TextField(_("notes for workers (Indonesian)"), blank=True)
    notes_en = models.TextField(_("notes for workers (English)"), blank=True)
    is_published = models.BooleanField(_("shown to the public"), default=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        verbose_name = _("destination")
        verbose_name_plural = _("destinations")

    def __str__(self) -> str:
        return self.code

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "id").startswith("en") else self.name


class Scheme(models.Model):
    """A legal placement route (skema penempatan), by its contract code."""

    class Kind(models.TextChoices):
        G2G = "g2g", _("Government to government")
        INTERN = "intern", _("Technical internship")
        SSW = "ssw", _("Specified skilled worker")
        P2P = "p2p", _("Licensed placement agency (P3MI)")
        INDEPENDENT = "independent", _("Independent (perseorangan)")
        COMPANY = "company", _("For a company's own interest")
        SPECIAL = "special", _("Special programme")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    operator = models.CharField(_("run by"), max_length=200, blank=True)
    description = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    # Zero cost (UU 18/2017 art. 30; G-to-G schemes charge no placement fee).
    fee_free = models.BooleanField(_("no placement fee"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("placement scheme")
        verbose_name_plural = _("placement schemes")

    def __str__(self) -> str:
        return self.code

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "id").startswith("en") else self.name


class DestinationScheme(models.Model):
    """A scheme available for a destination, with the language tests it expects."""

    destination = models.ForeignKey(Destination, on_delete=models.CASCADE, related_name="schemes")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="destinations")
    # Sector codes this scheme places into in this destination (empty: any).
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    language_tests = models.CharField(_("language tests expected"), max_length=200, blank=True)
    notes = models.TextField(_("notes (Indonesian)"), blank=True)

    class Meta:
        ordering = ["destination_id", "scheme__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["destination", "scheme"], name="destinationscheme_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.destination_id}:{self.scheme_id}"


class SectorRule(models.Model):
    """The status of a sector (optionally one occupation) in a destination from a date.

    The rule in force on a day is the one with the latest effective_from on or before
    it whose effective_to (exclusive) is after it; no rule means open.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESTRICTED = "restricted", _("Restricted")
        MORATORIUM = "moratorium", _("Moratorium (closed)")

    destination = models.ForeignKey(
        Destination, on_delete=models.CASCADE, related_name="sector_rules"
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    occupation = models.CharField(_("occupation"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until (exclusive)"), null=True, blank=True)
    note = models.TextField(_("note (Indonesian)"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["destination_id", "sector", "-effective_from"]
        verbose_name = _("sector rule")
        verbose_name_plural = _("sector rules")
        indexes = [
            models.Index(
                fields=["destination", "sector", "effective_from"], name="sectorrule_lookup"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=F("effective_from")),
                name="sectorrule_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.destination_id}:{self.sector}:{self.status}@{self.effective_from}"


class RequirementSet(models.Model):
    """What a (destination, scheme, sector) needs, versioned: editing a set makes a
    new version; the old one stays for the history (and for job orders that point
    to it). Exactly one version per code is current."""

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    name = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    # Null destination: any destination (e.g. the independent baseline); blank sector: any.
    destination = models.ForeignKey(
        Destination,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requirement_sets",
    )
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="requirement_sets")
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    # Eligibility as data, evaluated by the readiness engine (destinations/rules.py).
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    min_education = models.CharField(_("minimum education"), max_length=4, blank=True)
    # Further conditions, e.g. [{"kind": "max_prior_stay_years", "country": "KR",
    # "years": 5}, {"kind": "min_experience_years", "years": 2}]; see rules.py.
    conditions = models.JSONField(_("other conditions"), default=list, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    note = models.TextField(_("note (Indonesian)"), blank=True)
    effective_from = models.DateField(_("in force from"), default=timezone.localdate)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("requirement set")
        verbose_name_plural = _("requirement sets")
        indexes = [
            models.Index(fields=["scheme", "is_current"], name="requirementset_scheme"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="requirementset_version"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(is_current=True), name="requirementset_one_current"
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(max_age__gte=F("min_age")),
                name="requirementset_age_band",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "id").startswith("en") else self.name


class Requirement(models.Model):
    """One document (certificate, test result...) a set requires."""

    requirement_set = models.ForeignKey(
        RequirementSet, on_delete=models.CASCADE, related_name="requirements"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    document_type = models.ForeignKey(
        "documents.DocumentType", on_delete=models.PROTECT, related_name="+"
    )
    min_level = models.CharField(_("minimum level or score"), max_length=20, blank=True)
    # Overrides of the document type's validity for this set (null: the type's own).
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months after issue)"), null=True, blank=True
    )
    min_remaining_months = models.PositiveSmallIntegerField(
        _("minimum remaining validity (months)"), null=True, blank=True
    )
    note = models.CharField(_("note (Indonesian)"), max_length=300, blank=True)
    # Requirements of one set sharing a group number are alternatives: any one met
    # satisfies the group (Japan SSW: JFT-Basic A2 or JLPT N4). Null: required alone.
    alternative_group = models.PositiveSmallIntegerField(
        _("alternative group"),
        null=True,
        blank=True,
        help_text=_(
            "Requirements of this set with the same group number are alternatives: "
            "any one of them is enough."
        ),
    )

    class Meta:
        ordering = ["requirement_set_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["requirement_set", "document_type"], name="requirement_unique_type"
            )
        ]

    def __str__(self) -> str:
        return f"{self.requirement_set_id}:{self.document_type_id}"


class Plan(models.Model):
    """A person's placement target (destination, scheme, sector) and planned
    departure: what readiness is computed against. One plan per person is current."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="plans")
    destination = models.ForeignKey(Destination, on_delete=models.PROTECT, related_name="+")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="+")
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    planned_departure = models.DateField(_("planned departure"), null=True, blank=True)
    is_current = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person_id", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(is_current=True), name="plan_one_current"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.target_key}"

    @property
    def target_key(self) -> str:
        return f"{self.destination.code}:{self.scheme.code}:{self.sector}"


class Readiness(models.Model):
    """The readiness engine's last answer for a person and a target, cached.

    Invalidated (stale=True) when the person's documents, plan or the target's rules
    change, and recomputed on the next read or by the bulk job.
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="readiness")
    target_key = models.CharField(max_length=80)  # "KR:g2g-kr-eps:manufacturing"
    ready = models.BooleanField(default=False)
    percent = models.PositiveSmallIntegerField(default=0)
    result = models.JSONField(default=dict)
    computed_at = models.DateTimeField(default=timezone.now)
    stale = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "target_key"], name="readiness_unique")
        ]
        indexes = [
            models.Index(fields=["target_key", "stale"], name="readiness_target"),
            # Matching: the persons ready for an order's target (jobs/services/matching.py).
            models.Index(fields=["target_key", "ready", "person"], name="readiness_ready"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.target_key}={self.percent}"
