"""Interceptions of non-procedural departures and the brokers named in them
(docs/interceptions.md).

An `Interception` is a person stopped before leaving without the legal procedure (at
an airport, a seaport or a land border, often outside Jakarta: the main airport is in
Banten) and handed over to Jakarta. Each becomes a person in the registry (when a NIK
is known) and, where the screening shows signs of trafficking, a case. What follows
(counselling, return home, registration and accompaniment through the legal route) is
a checklist of `FollowUp` rows with dates. The brokers and companies named, on an
interception or on a case, are `BrokerMention` rows counted by normalised name; a
name reaching the local threshold becomes a `BrokerLead` for the task force once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PlaceKind(models.TextChoices):
    AIRPORT = "airport", _("Airport")
    SEAPORT = "seaport", _("Seaport")
    LAND_BORDER = "land_border", _("Land border crossing")
    OTHER = "other", _("Other place")


class Holder(models.TextChoices):
    """Who holds a travel document when the person is stopped."""

    NONE = "none", _("Does not have it")
    SELF = "self", _("The person")
    BROKER = "broker", _("The broker or sponsor")
    COMPANY = "company", _("The company")
    OFFICIALS = "officials", _("Held by the officers who intercepted")
    UNKNOWN = "unknown", _("Not known")


# The documents asked about, in the order the form shows them.
DOCUMENTS = {
    "passport": _("Passport"),
    "visa": _("Visa"),
    "contract": _("Work contract"),
    "ticket": _("Plane or boat ticket"),
}


class Step(models.TextChoices):
    """What follows an interception (the checklist)."""

    COUNSELLING = "counselling", _("Counselling")
    RETURN_HOME = "return_home", _("Return home")
    REGISTRATION = "registration", _("Registration through the legal route")
    ACCOMPANIMENT = "accompaniment", _("Accompaniment through the legal route")


class Interception(models.Model):
    reference = models.CharField(_("interception number"), max_length=20, unique=True)
    intercepted_at = models.DateTimeField(_("intercepted on"))
    place_kind = models.CharField(_("kind of place"), max_length=12, choices=PlaceKind.choices)
    place_name = models.CharField(_("place"), max_length=200)
    region = models.ForeignKey(
        "places.Region",
        verbose_name=_("region of the place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Who stopped the person: an agency in the directory, or named in words.
    intercepted_by = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("intercepted by (agency)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    intercepted_by_text = models.CharField(_("intercepted by"), max_length=200, blank=True)
    # The hand-over to Jakarta.
    handed_over_at = models.DateTimeField(_("handed over on"), null=True, blank=True)
    handed_over_to = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("handed over to (agency)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handed_over_to_name = models.CharField(_("received by"), max_length=200, blank=True)
    # The person: in the registry when a NIK is known; the name as given always.
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interceptions",
    )
    subject_name = models.CharField(_("name of the person"), max_length=200)
    subject_birth_date = models.DateField(_("birth date"), null=True, blank=True)
    subject_sex = models.CharField(_("sex"), max_length=1, blank=True)
    # Where they were going.
    destination = models.ForeignKey(
        "places.Country",
        verbose_name=_("intended destination"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    intended_job = models.CharField(_("job promised"), max_length=200, blank=True)
    # {"passport": "broker", "visa": "none", ...}: see DOCUMENTS and Holder.
    documents = models.JSONField(_("documents held"), default=dict, blank=True)
    shelter = models.CharField(_("shelter"), max_length=200, blank=True)
    circumstances = models.TextField(_("what happened"), blank=True)
    # The screening (garda/cases/screening.py): answers, level, indicators.
    answers = models.JSONField(default=dict, blank=True)
    screening_level = models.CharField(_("screening result"), max_length=8, default="none")
    indicators = models.JSONField(default=list, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interceptions",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The recorder's agency when recorded: whose register it is.
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-intercepted_at", "-id"]
        verbose_name = _("interception")
        verbose_name_plural = _("interceptions")
        indexes = [
            models.Index(fields=["intercepted_at", "id"], name="interception_when"),
            models.Index(fields=["agency", "intercepted_at"], name="interception_agency"),
            models.Index(fields=["handed_over_to", "intercepted_at"], name="interception_to"),
            models.Index(fields=["place_kind", "intercepted_at"], name="interception_place"),
            models.Index(fields=["screening_level", "intercepted_at"], name="interception_level"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def intercepted_by_label(self) -> str:
        return self.intercepted_by.name if self.intercepted_by_id else self.intercepted_by_text


class FollowUp(models.Model):
    """One step of what follows an interception, done on a date."""

    interception = models.ForeignKey(Interception, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("step"), max_length=16, choices=Step.choices)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["interception", "id"]
        constraints = [
            models.UniqueConstraint(fields=["interception", "step"], name="followup_unique")
        ]

    def __str__(self) -> str:
        return f"{self.interception_id}:{self.step}"


class BrokerKind(models.TextChoices):
    BROKER = "broker", _("Broker or sponsor (a person)")
    COMPANY = "company", _("Company")


class BrokerMention(models.Model):
    """A broker or company named on an interception or on a case."""

    raw_name = models.CharField(_("name as given"), max_length=200)
    # jobs.models.name_key: lower case, letters and digits, "PT"/"CV"... dropped.
    normalised = models.CharField(max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=BrokerKind.choices)
    company = models.ForeignKey(
        "jobs.PlacementAgency",
        verbose_name=_("placement company in the register"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    interception = models.ForeignKey(
        Interception,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="brokers",
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="brokers"
    )
    named_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    named_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["named_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(interception__isnull=False) & Q(case__isnull=True))
                | (Q(interception__isnull=True) & Q(case__isnull=False)),
                name="broker_mention_one_source",
            ),
            models.UniqueConstraint(
                fields=["interception", "normalised"],
                condition=Q(interception__isnull=False),
                name="broker_once_per_interception",
            ),
            models.UniqueConstraint(
                fields=["case", "normalised"],
                condition=Q(case__isnull=False),
                name="broker_once_per_case",
            ),
        ]
        indexes = [models.Index(fields=["normalised", "named_at"], name="broker_name")]

    def __str__(self) -> str:
        return self.raw_name


class BrokerLead(models.Model):
    """A name that reached the threshold: told to the supervisors once."""

    normalised = models.CharField(max_length=200, unique=True)
    name = models.CharField(_("name"), max_length=200)
    mentions = models.PositiveIntegerField(default=0)
    reached_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name
