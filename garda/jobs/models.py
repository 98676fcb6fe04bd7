"""Placement agencies (P3MI), foreign partners, employers, the problematic-employer
list and job orders (demand letters) with their fair-recruitment checks
(docs/jobs.md).

A licensed placement company (UU 18/2017 art. 51) holds a SIP3MI licence whose
status changes by decision (suspension, *tunda layanan*; revocation): every change is
a dated `AgencyStatusChange` row and the company's `status` is the latest one. A job
order is what a foreign employer asks for through a company (or a G-to-G scheme);
it is published on the vacancy board only once an officer has verified it and its
checks (`garda/jobs/checks.py`) pass.

Destination, scheme and sector are kept as the codes the readiness API uses
(`"HK"`, `"p2p"`, `"domestic"`); the occupation is an ISCO-08 unit group
(`"9111"`, domestic housekeepers and helpers).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from garda.destinations.models import Sector
from garda.fields import EncryptedTextField


def name_key(value: str) -> str:
    """A company or employer name folded for look-ups: lower case, letters and digits
    only, the legal form dropped ("PT. Maju Jaya" and "maju jaya" meet)."""
    import re

    words = re.sub(r"[^0-9a-z]+", " ", (value or "").lower()).split()
    legal_forms = {"pt", "cv", "tbk", "persero", "ltd", "limited", "co", "inc", "sdn", "bhd"}
    return " ".join(w for w in words if w not in legal_forms)[:200]


class PlacementAgency(models.Model):
    """A placement company (P3MI) from the licence register."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Licensed (active)")
        SUSPENDED = "suspended", _("Suspended (tunda layanan)")
        REVOKED = "revoked", _("Licence revoked")

    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    licence_number = models.CharField(_("licence (SIP3MI) number"), max_length=80, unique=True)
    licence_issued_on = models.DateField(_("licence issued on"), null=True, blank=True)
    licence_valid_until = models.DateField(_("licence valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    status_since = models.DateField(_("status since"), null=True, blank=True)
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)
    head_office_region = models.ForeignKey(
        "places.Region",
        verbose_name=_("head office (region)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        verbose_name = _("placement agency (P3MI)")
        verbose_name_plural = _("placement agencies (P3MI)")
        indexes = [models.Index(fields=["status", "name"], name="agency_status_name")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        super().save(*args, **kwargs)

    def licensed_on(self, day) -> bool:
        """Active, and its licence not expired on `day`."""
        return self.status == self.Status.ACTIVE and (
            self.licence_valid_until is None or self.licence_valid_until >= day
        )


class AgencyStatusChange(models.Model):
    """One dated decision on a company's licence (the history of `status`)."""

    agency = models.ForeignKey(
        PlacementAgency, on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(_("status"), max_length=12, choices=PlacementAgency.Status.choices)
    effective_on = models.DateField(_("from"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    source = models.CharField(_("source (decision, letter)"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agency_id", "-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.agency_id}:{self.status}@{self.effective_on}"


class AgencyBranch(models.Model):
    """A branch office (UU 18/2017 art. 53: registered with the regional government)."""

    agency = models.ForeignKey(PlacementAgency, on_delete=models.CASCADE, related_name="branches")
    region = models.ForeignKey(
        "places.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["agency_id", "region_id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "region"], name="agencybranch_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}:{self.region_id}"


class Recruiter(models.Model):
    """A user of the `recruiter` role and the one company they work for: they see and
    manage only that company's job orders."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recruiter"
    )
    agency = models.ForeignKey(PlacementAgency, on_delete=models.PROTECT, related_name="staff")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agency_id", "user_id"]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.agency_id}"


class ForeignPartner(models.Model):
    """An agency abroad (mitra usaha) the company works with."""

    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    country = models.CharField(_("country"), max_length=2)
    city = models.CharField(_("city"), max_length=100, blank=True)
    licence_number = models.CharField(_("host-country licence number"), max_length=80, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("foreign partner")
        verbose_name_plural = _("foreign partners")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        super().save(*args, **kwargs)


class Employer(models.Model):
    """The employer abroad: a legal entity or a household."""

    class Kind(models.TextChoices):
        LEGAL_ENTITY = "legal_entity", _("Company or institution")
        HOUSEHOLD = "household", _("Household (individual)")

    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, db_index=True, editable=False)
    kind = models.CharField(
        _("kind"), max_length=12, choices=Kind.choices, default=Kind.LEGAL_ENTITY
    )
    country = models.CharField(_("country"), max_length=2)
    city = models.CharField(_("city"), max_length=100, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=80, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        indexes = [models.Index(fields=["country", "name_key"], name="employer_country_name")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        super().save(*args, **kwargs)


class ProblemListing(models.Model):
    """An employer or a foreign partner on the problematic list (UU 18/2017 arts. 9-10),
    from the labour attaché's notice; delisting is a date and a reason, never a delete."""

    employer = models.ForeignKey(
        Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="listings"
    )
    partner = models.ForeignKey(
        ForeignPartner, null=True, blank=True, on_delete=models.PROTECT, related_name="listings"
    )
    country = models.CharField(_("country"), max_length=2)
    reason = models.TextField(_("reason"))
    source = models.CharField(_("source (e.g. the labour attaché's notice)"), max_length=300)
    listed_on = models.DateField(_("listed on"))
    delisted_on = models.DateField(_("delisted on"), null=True, blank=True)
    delisting_reason = models.CharField(_("reason for delisting"), max_length=500, blank=True)
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-listed_on", "-id"]
        verbose_name = _("problematic-list entry")
        verbose_name_plural = _("problematic list")
        constraints = [
            models.CheckConstraint(
                condition=(Q(employer__isnull=False) & Q(partner__isnull=True))
                | (Q(employer__isnull=True) & Q(partner__isnull=False)),
                name="problemlisting_one_party",
            ),
            models.CheckConstraint(
                condition=Q(delisted_on__isnull=True) | Q(delisted_on__gte=F("listed_on")),
                name="problemlisting_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer_id or self.partner_id}@{self.listed_on}"

    def active_on(self, day) -> bool:
        return self.listed_on <= day and (self.delisted_on is None or self.delisted_on > day)


class JobOrder(models.Model):
    """A job order (demand letter) and the terms it offers."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for verification")
        VERIFIED = "verified", _("Verified (published)")
        REJECTED = "rejected", _("Rejected")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    class WagePeriod(models.TextChoices):
        MONTH = "month", _("per month")
        HOUR = "hour", _("per hour")

    class TicketPaidBy(models.TextChoices):
        EMPLOYER = "employer", _("Employer")
        AGENCY = "agency", _("Placement company")
        WORKER = "worker", _("Worker")
        GOVERNMENT = "government", _("Government")

    class Provision(models.TextChoices):
        PROVIDED = "provided", _("Provided free")
        ALLOWANCE = "allowance", _("Allowance paid instead")
        NONE = "none", _("Not provided")

    reference = models.CharField(_("number in Garda"), max_length=20, unique=True)
    number = models.CharField(_("demand letter number"), max_length=80, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    agency = models.ForeignKey(
        PlacementAgency,
        verbose_name=_("placement company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="job_orders",
    )
    partner = models.ForeignKey(
        ForeignPartner,
        verbose_name=_("foreign partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="job_orders",
    )
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="job_orders",
    )
    destination = models.CharField(_("destination country"), max_length=2)
    city = models.CharField(_("city"), max_length=100, blank=True)
    scheme = models.CharField(_("placement scheme"), max_length=40)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    occupation_code = models.CharField(_("occupation (ISCO-08)"), max_length=4)
    occupation_title = models.CharField(_("job title"), max_length=200)
    fee_free = models.BooleanField(_("a fee-free job"), default=False)
    positions = models.PositiveIntegerField(_("positions"), default=0)
    positions_female = models.PositiveIntegerField(_("of which for women"), default=0)
    positions_male = models.PositiveIntegerField(_("of which for men"), default=0)
    wage_amount = models.DecimalField(
        _("wage"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    wage_currency = models.CharField(_("currency"), max_length=3, blank=True)
    wage_period = models.CharField(
        _("wage period"), max_length=5, choices=WagePeriod.choices, default=WagePeriod.MONTH
    )
    hours_per_day = models.PositiveSmallIntegerField(_("hours per day"), null=True, blank=True)
    days_per_week = models.PositiveSmallIntegerField(_("days per week"), null=True, blank=True)
    rest_days_per_month = models.PositiveSmallIntegerField(
        _("rest days per month"), null=True, blank=True
    )
    overtime = models.CharField(_("overtime pay"), max_length=200, blank=True)
    leave_days_per_year = models.PositiveSmallIntegerField(
        _("paid leave (days a year)"), null=True, blank=True
    )
    food = models.CharField(_("food"), max_length=10, choices=Provision.choices, blank=True)
    lodging = models.CharField(_("lodging"), max_length=10, choices=Provision.choices, blank=True)
    transport = models.CharField(
        _("transport to work"), max_length=10, choices=Provision.choices, blank=True
    )
    insurance = models.CharField(_("insurance"), max_length=300, blank=True)
    contract_months = models.PositiveSmallIntegerField(
        _("contract length (months)"), null=True, blank=True
    )
    ticket_paid_by = models.CharField(
        _("tickets paid by"), max_length=10, choices=TicketPaidBy.choices, blank=True
    )
    # [{"item": "medical check", "amount": "1500000", "currency": "IDR"}]
    worker_costs = models.JSONField(_("costs charged to the worker"), default=list, blank=True)
    closing_date = models.DateField(_("closing date"), null=True, blank=True)
    requirement_set = models.ForeignKey(
        "destinations.RequirementSet",
        verbose_name=_("requirement set"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    skills = models.CharField(_("skills asked for"), max_length=500, blank=True)
    certificates = models.CharField(_("certificates asked for"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=40, blank=True)
    language_level = models.CharField(_("language level"), max_length=20, blank=True)
    # The requirements matching filters on (issue 15), beside the words above: the
    # language as ISO 639-1 with the scale and lowest level of
    # people.LanguageSkill, and the courses whose certificate a candidate must hold.
    required_language = models.CharField(
        _("required language (ISO 639-1)"), max_length=3, blank=True
    )
    required_language_scale = models.CharField(
        _("scale of the required level"), max_length=6, blank=True
    )
    required_language_level = models.CharField(
        _("lowest level accepted"), max_length=20, blank=True
    )
    required_courses = models.ManyToManyField(
        "training.Course",
        verbose_name=_("certificates required (courses)"),
        blank=True,
        related_name="+",
    )
    experience_months = models.PositiveSmallIntegerField(
        _("experience asked for (months)"), null=True, blank=True
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    description = models.TextField(_("job description"), blank=True)
    attested_on = models.DateField(_("attested by the labour attaché on"), null=True, blank=True)
    attested_by = models.CharField(_("attested by"), max_length=200, blank=True)
    sip2mi_number = models.CharField(
        _("recruitment permit (SIP2MI) number"), max_length=80, blank=True
    )
    sip2mi_date = models.DateField(_("recruitment permit date"), null=True, blank=True)
    # The last run of the fair-recruitment checks: [{"code", "result", "message"}].
    checks = models.JSONField(default=list, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    # Why the verifying officer accepted each warning: {"wage_floor": "..."}.
    accepted_warnings = models.JSONField(default=dict, blank=True)
    status_reason = models.TextField(_("reason"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("job order")
        verbose_name_plural = _("job orders")
        indexes = [
            # The vacancy board: verified, open (closing date ahead), filtered, read
            # in its order (newest verified first): the page reads 20 rows, not all.
            models.Index(fields=["status", "verified_at", "id"], name="joborder_board_new"),
            # The nightly re-check closes verified orders past their closing date.
            models.Index(fields=["status", "closing_date"], name="joborder_board"),
            models.Index(
                fields=["status", "destination", "sector", "verified_at", "id"],
                name="joborder_board_dest_new",
            ),
            models.Index(fields=["status", "occupation_code"], name="joborder_board_occ"),
            models.Index(fields=["agency", "status"], name="joborder_agency"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(positions__gte=F("positions_female") + F("positions_male")),
                name="joborder_positions_by_sex",
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(max_age__gte=F("min_age")),
                name="joborder_age_band",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def failed_checks(self) -> int:
        """How many checks failed at the last run."""
        return sum(1 for c in self.checks or () if c.get("result") == "fail")

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.VERIFIED and (
            self.closing_date is None or self.closing_date >= timezone.localdate()
        )


class JobOrderEvent(models.Model):
    """One step in a job order's life: a state change, an edit that sent it back, a
    nightly re-check that unpublished it, with the checks as they stood."""

    order = models.ForeignKey(JobOrder, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    reason = models.TextField(blank=True)
    checks = models.JSONField(default=list, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["order_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id}:{self.from_status}->{self.to_status}"


class JobCheckTally(models.Model):
    """The anonymous count of the public "is this job real?" checks: per day, check
    code and result, nothing of what was typed."""

    day = models.DateField()
    code = models.CharField(max_length=30)
    result = models.CharField(max_length=5)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "code", "result"], name="jobchecktally_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day}:{self.code}:{self.result}={self.count}"


# --- Matching, applications, placement and departure (issue 15, docs/placement.md) ---


class WorkerPreference(models.Model):
    """What a worker wants: the destinations and sectors they would go to (matching
    scores them; it never filters on them)."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="job_preference"
    )
    destinations = models.JSONField(_("destinations"), default=list, blank=True)  # ["HK", "TW"]
    sectors = models.JSONField(_("sectors"), default=list, blank=True)  # ["domestic"]
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.person_id}:{self.destinations}/{self.sectors}"


class Application(models.Model):
    """A person's application to a job order, or an officer's nomination the person
    accepts (then it is `applied`) or declines. One per person and order.

    The pipeline (services/applications.py holds the moves): applied -> shortlisted
    -> interviewed -> selected -> contract_signed -> departed; or rejected (with a
    reason), withdrawn (by the worker, with a reason), lapsed (the order closed or was
    cancelled, or the person was placed through another order)."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated (waiting for the worker)")
        DECLINED = "declined", _("Nomination declined")
        APPLIED = "applied", _("Applied")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        INTERVIEWED = "interviewed", _("Interviewed")
        SELECTED = "selected", _("Selected")
        CONTRACT_SIGNED = "contract_signed", _("Contract signed")
        DEPARTED = "departed", _("Departed")
        REJECTED = "rejected", _("Not selected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        LAPSED = "lapsed", _("Lapsed (the order ended, or placed elsewhere)")

    class Source(models.TextChoices):
        WORKER = "worker", _("The worker applied")
        NOMINATION = "nomination", _("Nominated by an officer")

    order = models.ForeignKey(JobOrder, on_delete=models.PROTECT, related_name="applications")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.APPLIED
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.WORKER
    )
    # The match as it stood when the application was made: {"score", "reasons", "missing"}.
    match = models.JSONField(default=dict, blank=True)
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["order", "person"], name="application_one_per_order")
        ]
        indexes = [
            models.Index(fields=["order", "status"], name="application_order_status"),
            models.Index(fields=["person", "status"], name="application_person_status"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}:{self.person_id}={self.status}"


class ApplicationEvent(models.Model):
    """One move of an application: who, when, from what to what, why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    reason = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.from_status}->{self.to_status}"


class OrientationSession(models.Model):
    """A pre-departure orientation (OPP, *orientasi pra-pemberangkatan*) session."""

    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300)
    capacity = models.PositiveIntegerField(_("capacity"))
    destination = models.CharField(_("for workers going to (country)"), max_length=2, blank=True)
    # A training batch the session is run as, where the training app organises it.
    batch = models.ForeignKey(
        "training.Batch",
        verbose_name=_("training batch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("pre-departure orientation session")
        verbose_name_plural = _("pre-departure orientation sessions")

    def __str__(self) -> str:
        return f"OPP {self.starts_at:%Y-%m-%d} {self.place}"


class Placement(models.Model):
    """A placement from a selected application, up to the plane and the arrival."""

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Preparing departure")
        DEPARTED = "departed", _("Departed")
        ARRIVED = "arrived", _("Arrived (abroad)")
        ENDED = "ended", _("Ended")
        CANCELLED = "cancelled", _("Cancelled")

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="placement"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="placements")
    order = models.ForeignKey(JobOrder, on_delete=models.PROTECT, related_name="placements")
    employer = models.ForeignKey(
        Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="placements"
    )
    agency = models.ForeignKey(
        PlacementAgency, null=True, blank=True, on_delete=models.PROTECT, related_name="placements"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREPARING
    )
    # the contract as signed (UU 18/2017 art. 19: a difference from the order is flagged)
    contract_signed_on = models.DateField(_("contract signed on"), null=True, blank=True)
    contract_months = models.PositiveSmallIntegerField(
        _("contract length (months)"), null=True, blank=True
    )
    wage_amount = models.DecimalField(
        _("wage as signed"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    wage_currency = models.CharField(_("currency"), max_length=3, blank=True)
    wage_period = models.CharField(
        _("wage period"), max_length=5, choices=JobOrder.WagePeriod.choices, blank=True
    )
    # What differs from the order: [{"field", "order", "signed", "message"}].
    differences = models.JSONField(default=list, blank=True)
    # social security (BPJS Ketenagakerjaan): the number is an identity number
    bpjs_number = EncryptedTextField(_("BPJS Ketenagakerjaan number"), blank=True)
    bpjs_programmes = models.JSONField(_("BPJS programmes"), default=list, blank=True)
    # pre-departure orientation (OPP)
    orientation = models.ForeignKey(
        OrientationSession,
        verbose_name=_("orientation session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="placements",
    )
    orientation_attended_on = models.DateField(_("orientation attended on"), null=True, blank=True)
    orientation_place = models.CharField(_("orientation place"), max_length=300, blank=True)
    orientation_certificate = models.CharField(
        _("orientation certificate number"), max_length=80, blank=True
    )
    visa_number = EncryptedTextField(_("visa number"), blank=True)
    visa_issued_on = models.DateField(_("visa issued on"), null=True, blank=True)
    visa_valid_until = models.DateField(_("visa valid until"), null=True, blank=True)
    departure_date = models.DateField(_("departure date"), null=True, blank=True)
    flight = models.CharField(_("flight"), max_length=40, blank=True)
    departed_at = models.DateTimeField(_("departed at"), null=True, blank=True)
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True)
    ends_on = models.DateField(_("contract ends on"), null=True, blank=True)
    # The worker card's public page (/placement/card/<code>/): a random code.
    card_code = models.CharField(max_length=40, unique=True)
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["departure_date", "id"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        indexes = [
            models.Index(fields=["status", "departure_date"], name="placement_departures"),
            models.Index(fields=["person", "status"], name="placement_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.order_id}:{self.status}"
