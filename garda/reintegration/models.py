"""Reintegration: assessment, plan, goals, follow-ups with the survey, instruments."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Dimension(models.TextChoices):
    """The plan's goal areas (the issue: economic, social, health)."""

    ECONOMIC = "economic", _("Economic")
    SOCIAL = "social", _("Social")
    HEALTH = "health", _("Health")


class Instrument(models.Model):
    """A versioned survey instrument (the reintegration sustainability survey):
    questions, the coding of each answer (0–1), indicator weights per dimension. Loaded
    from data/*.toml or an official file with `garda reintegration_instrument`; an
    instrument in use is never changed, a new version is loaded instead."""

    code = models.CharField(max_length=20)
    version = models.CharField(max_length=20)
    title = models.CharField(_("title"), max_length=200)
    source = models.CharField(_("source of the weights"), max_length=500)
    official = models.BooleanField(_("official weights"), default=False)
    definition = models.JSONField()
    active = models.BooleanField(default=True)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("survey instrument")
        verbose_name_plural = _("survey instruments")
        ordering = ["code", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="instrument_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.version}"


class Programme(models.Model):
    """A reintegration programme a plan belongs to (the province's, a partner's)."""

    name = models.CharField(_("programme"), max_length=200, unique=True)
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("run by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Vulnerability(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Assessment(models.Model):
    """The assessment on return, before the plan."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="reintegration_assessments"
    )
    returned_on = models.DateField(_("returned on"))
    repatriation = models.ForeignKey(
        "cases.Repatriation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    economic = models.TextField(_("economic situation"), blank=True)
    debts = models.TextField(_("debts"), blank=True)
    has_debts = models.BooleanField(_("has debts"), default=False)
    skills = models.TextField(_("skills and work experience"), blank=True)
    health = models.TextField(_("health situation"), blank=True)
    family = models.TextField(_("family situation"), blank=True)
    vulnerability = models.CharField(
        _("vulnerability"), max_length=8, choices=Vulnerability.choices
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("return assessment")
        verbose_name_plural = _("return assessments")
        ordering = ["-assessed_at", "-id"]
        indexes = [models.Index(fields=["person", "assessed_at"], name="reint_assessment_person")]

    def __str__(self) -> str:
        return f"assessment#{self.pk}"


class Plan(models.Model):
    """An individual reintegration plan. `due_on` is a month after return; a plan made
    later is late (`made_late`), kept for the outcome figures."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Under way")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="reintegration_plans"
    )
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="plans"
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="plans"
    )
    # The kab/kota the returnee lives in (the outcome figures per city).
    city = models.ForeignKey(
        "places.Region",
        verbose_name=_("city or regency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    returned_on = models.DateField(_("returned on"))
    # Why `returned_on` is later than the return the records know (the repatriation's
    # arrival, the assessment): required for such a date, empty otherwise.
    return_correction = models.TextField(_("why the return date differs"), blank=True)
    due_on = models.DateField(_("plan due by"))
    made_on = models.DateField(_("plan made on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    summary = models.TextField(_("what the plan is for"), blank=True)
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="plans")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("reintegration plan")
        verbose_name_plural = _("reintegration plans")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="active"), name="reint_one_active_plan"
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "city", "returned_on"], name="reint_plan_outcome"),
            models.Index(fields=["person", "created_at"], name="reint_plan_person"),
        ]

    def __str__(self) -> str:
        return f"plan#{self.pk}"

    @property
    def made_late(self) -> bool:
        return self.made_on > self.due_on


class Goal(models.Model):
    """One goal of a plan and the service that delivers it: directly by the officer's
    agency or through a referral (the evidence says referred returnees do worse)."""

    class Kind(models.TextChoices):
        # Economic
        JOB_AT_HOME = "job_at_home", _("Job placement at home")
        BUSINESS_TRAINING = "business_training", _("Business training")
        CAPITAL = "capital", _("Access to capital")
        VOCATIONAL = "vocational", _("Vocational training")
        REMIGRATION = "remigration", _("Legal re-migration (readiness and jobs)")
        # Social
        COUNSELLING = "counselling", _("Psychosocial counselling")
        FAMILY = "family", _("Family support")
        SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance")
        SPIRITUAL = "spiritual", _("Mental and spiritual guidance")
        # Health
        CARE = "care", _("Medical care")
        REHABILITATION = "rehabilitation", _("Rehabilitation facility")
        ACCESSIBILITY = "accessibility", _("Accessibility services")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Delivered")
        DROPPED = "dropped", _("Dropped")

    class Via(models.TextChoices):
        DIRECT = "direct", _("Directly")
        REFERRAL = "referral", _("Through a referral")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    dimension = models.CharField(_("area"), max_length=10, choices=Dimension.choices)
    kind = models.CharField(_("service"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("goal"), max_length=500)
    via = models.CharField(_("delivered"), max_length=10, choices=Via.choices)
    provider = models.CharField(_("by whom"), max_length=200, blank=True)
    referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField(_("by when"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PLANNED
    )
    done_on = models.DateField(_("delivered on"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan goal")
        verbose_name_plural = _("plan goals")
        ordering = ["plan", "dimension", "id"]

    def __str__(self) -> str:
        return f"{self.kind}@{self.plan_id}"


class Remigration(models.TextChoices):
    NO = "no", _("Has not left again")
    LEGAL = "legal", _("Left again through the legal route")
    IRREGULAR = "irregular", _("Left again without the legal procedure")
    UNKNOWN = "unknown", _("Not known")


class FollowUp(models.Model):
    """A follow-up at a month after return (data/policy.toml), with the survey's
    answers and the scores they give under the plan's instrument."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="follow_ups")
    month = models.PositiveSmallIntegerField(_("months after return"))
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    instrument = models.ForeignKey(
        Instrument, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answers = models.JSONField(default=dict, blank=True)
    # {"economic": 0.62, "social": 0.71, "psychosocial": 0.55, "composite": 0.63}
    scores = models.JSONField(default=dict, blank=True)
    composite = models.FloatField(null=True, blank=True)
    remigration = models.CharField(
        _("left again?"), max_length=10, choices=Remigration.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["plan", "month"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "month"], name="reint_followup_unique"),
        ]
        indexes = [models.Index(fields=["done_on", "due_on"], name="reint_followup_due")]

    def __str__(self) -> str:
        return f"followup{self.month}@{self.plan_id}"
