"""Training and certification: providers, courses, batches, enrolment, attendance,
assessment and certificates (issue 5).

- A Provider is a training centre: a public PPKD (one per Jakarta city) or a licensed
  private LPK. Each is an Agency of kind "training", so its staff (trainers) are users
  of that agency.
- A Course is what is taught: its sector, the SKKNI competency units it covers, the
  KKNI level, hours, language of instruction, prerequisites and what it prepares for.
- A Batch is one run of a course by a provider: dates, sessions, place, capacity and
  trainers. `enrolled_count` is the number of seats taken, kept under the batch's row
  lock (services), so that two people racing for the last seat cannot both get it.
- An Enrolment is a person in a batch: enrolled (a seat), waitlisted (in order of
  `queued_at`), withdrawn, no_show or completed.
- Attendance is per session, Assessment per competency unit.
- A Certificate is issued on completion (source "course") or recorded from elsewhere
  and verified by an officer (source "external": BNSP, EPS-TOPIK, JLPT...). Its
  `document` is the verified Document row the readiness engine reads, so that a
  certificate satisfies requirements without the engine knowing about training.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from garda.people.models import Education


class Sector(models.TextChoices):
    WELDING = "welding", _("Welding")
    HOSPITALITY = "hospitality", _("Hospitality")
    ENGINEERING = "engineering", _("Engineering and technical")
    CAREGIVING = "caregiving", _("Caregiving")
    CONSTRUCTION = "construction", _("Construction")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    AGRICULTURE_FISHERY = "agriculture_fishery", _("Agriculture and fishery")
    LANGUAGE = "language", _("Language")


class Language(models.TextChoices):
    """Languages of instruction (ISO 639-1)."""

    INDONESIAN = "id", _("Indonesian")
    ENGLISH = "en", _("English")
    JAPANESE = "ja", _("Japanese")
    KOREAN = "ko", _("Korean")
    GERMAN = "de", _("German")
    ARABIC = "ar", _("Arabic")
    MANDARIN = "zh", _("Mandarin Chinese")


class Provider(models.Model):
    """A training centre: a public PPKD or a licensed private LPK."""

    class Kind(models.TextChoices):
        PPKD = "ppkd", _("Public training centre (PPKD)")
        LPK = "lpk", _("Licensed private training institute (LPK)")

    class Accreditation(models.TextChoices):
        # LA-LPK accreditation grades; "none" is a licensed but not (yet) accredited LPK.
        A = "A", _("A (excellent)")
        B = "B", _("B (good)")
        C = "C", _("C (adequate)")
        NONE = "none", _("Not accredited")

    agency = models.OneToOneField(
        "accounts.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="training_provider",
    )
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    # The LPK's operating licence (izin LPK); a PPKD is established by regulation.
    license_number = models.CharField(_("licence number"), max_length=100, blank=True)
    # Empty: not recorded yet (we do not claim a grade we have not seen).
    accreditation = models.CharField(
        _("accreditation"), max_length=4, choices=Accreditation.choices, blank=True
    )
    accredited_until = models.DateField(_("accredited until"), null=True, blank=True)
    region = models.ForeignKey(
        "places.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agency__name"]
        verbose_name = _("training provider")
        verbose_name_plural = _("training providers")

    def __str__(self) -> str:
        return self.agency.name

    @property
    def name(self) -> str:
        return self.agency.name


class CompetencyUnit(models.Model):
    """A competency unit of an SKKNI standard (Standar Kompetensi Kerja Nasional
    Indonesia), e.g. "C.24.110.01.017.1 Mengelas pelat dengan proses las busur manual"."""

    code = models.CharField(_("SKKNI unit code"), max_length=40, unique=True)
    title = models.CharField(_("title (Indonesian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    # The decree (Kepmenaker) that set the standard, e.g. "Kepmenaker 98/2018".
    standard = models.CharField(_("standard"), max_length=120, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("competency unit")
        verbose_name_plural = _("competency units")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def display_title(self) -> str:
        from django.utils.translation import get_language

        if self.title_en and (get_language() or "id").startswith("en"):
            return self.title_en
        return self.title


class Course(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title (Indonesian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    kkni_level = models.PositiveSmallIntegerField(
        _("KKNI level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )
    hours = models.PositiveSmallIntegerField(_("hours"), validators=[MinValueValidator(1)])
    language = models.CharField(
        _("language of instruction"), max_length=2, choices=Language.choices, default="id"
    )
    units = models.ManyToManyField(
        CompetencyUnit,
        through="CourseUnit",
        related_name="courses",
        verbose_name=_("competency units"),
        blank=True,
    )
    # --- prerequisites (each unmet one is explained to the person) ---
    min_education = models.CharField(
        _("minimum education"), max_length=4, choices=Education.choices, blank=True
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    # Completed (or certified) before enrolling, e.g. GMAW after SMAW.
    prerequisite_courses = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="leads_to",
        verbose_name=_("courses to complete first"),
        blank=True,
    )
    # Verified documents to hold first (e.g. JLPT N5 before the N4 course), optionally
    # at a minimum level: CoursePrerequisiteDocument.
    # --- what it prepares for ---
    destinations = models.ManyToManyField(
        "destinations.Destination",
        related_name="courses",
        verbose_name=_("destinations it prepares for"),
        blank=True,
    )
    # Job kinds in the destinations' sector codes (destinations.models.Sector).
    job_sectors = models.JSONField(_("job sectors it prepares for"), default=list, blank=True)
    job_kinds = models.CharField(_("jobs it prepares for"), max_length=300, blank=True)
    # The readiness requirements (document types) its completion helps close, e.g. a
    # Korean course prepares for "eps-topik", a welding course for
    # "competency-certificate" (the recommendations read this).
    prepares_for = models.ManyToManyField(
        "documents.DocumentType",
        related_name="preparing_courses",
        verbose_name=_("requirements it prepares for"),
        blank=True,
    )
    # The document type its certificate counts as in readiness (None: a course
    # certificate that no requirement asks for, e.g. a language course whose test is
    # taken elsewhere).
    certifies = models.ForeignKey(
        "documents.DocumentType",
        verbose_name=_("its certificate counts as"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certifying_courses",
    )
    # --- completion rules ---
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"),
        default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    # Competency certification by a BNSP-licensed LSP, when the course includes it.
    lsp_name = models.CharField(_("certifying LSP"), max_length=200, blank=True)
    lsp_scheme = models.CharField(_("certification scheme"), max_length=200, blank=True)
    certificate_validity_months = models.PositiveSmallIntegerField(
        _("certificate valid for (months)"), null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sector", "code"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(
                condition=Q(kkni_level__isnull=True) | Q(kkni_level__gte=1, kkni_level__lte=9),
                name="course_kkni_level_1_9",
            ),
            models.CheckConstraint(
                condition=Q(min_attendance_percent__lte=100), name="course_attendance_percent"
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        from django.utils.translation import get_language

        if self.title_en and (get_language() or "id").startswith("en"):
            return self.title_en
        return self.title


class CourseUnit(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="course_units")
    unit = models.ForeignKey(CompetencyUnit, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["course_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["course", "unit"], name="courseunit_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.course_id}:{self.unit_id}"


class CoursePrerequisiteDocument(models.Model):
    """A verified document to hold before enrolling, at `min_level` or above when set."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="prerequisite_documents"
    )
    document_type = models.ForeignKey(
        "documents.DocumentType", on_delete=models.PROTECT, related_name="+"
    )
    min_level = models.CharField(_("minimum level"), max_length=20, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["course", "document_type"], name="courseprerequisitedocument_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_id}:{self.document_type_id}"


class Batch(models.Model):
    """One run of a course by a provider."""

    code = models.CharField(_("batch code"), max_length=40, unique=True)
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="batches"
    )
    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="batches"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    # Enrolment closes at the end of this day (the day before the start when empty).
    enrol_until = models.DateField(_("enrolment open until"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200)
    region = models.ForeignKey(
        "places.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    capacity = models.PositiveSmallIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    # Seats taken, written only under the batch's row lock: the enrolled trainees, and
    # after the batch is closed those who completed too (a seat they held).
    enrolled_count = models.PositiveIntegerField(default=0, editable=False)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="training_batches",
        verbose_name=_("trainers"),
        blank=True,
    )
    is_published = models.BooleanField(_("shown in the public catalogue"), default=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    # Set when the trainer closes the batch: completion decided, certificates issued.
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["starts_on", "code"]
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        indexes = [
            models.Index(fields=["starts_on"], name="batch_starts"),
            models.Index(fields=["course", "starts_on"], name="batch_course_starts"),
            models.Index(fields=["provider", "starts_on"], name="batch_provider_starts"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="batch_capacity_positive"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="batch_dates"),
            models.CheckConstraint(
                condition=Q(enrolled_count__lte=F("capacity")), name="batch_not_overbooked"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.enrolled_count, 0)

    @property
    def enrolment_closes_on(self):
        from datetime import timedelta

        return self.enrol_until or (self.starts_on - timedelta(days=1))

    def is_open_for_enrolment(self, today=None) -> bool:
        today = today or timezone.localdate()
        return (
            self.cancelled_at is None
            and self.closed_at is None
            and self.is_published
            and today <= self.enrolment_closes_on
        )


class Session(models.Model):
    """One scheduled session of a batch (a day or half day of teaching)."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("number"))
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    topic = models.CharField(_("topic"), max_length=200, blank=True)

    class Meta:
        ordering = ["batch_id", "number"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(fields=["batch", "number"], name="session_number_unique"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_times"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}#{self.number}"


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        WAITLISTED = "waitlisted", _("On the waiting list")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        NO_SHOW = "no_show", _("Did not show up")
        COMPLETED = "completed", _("Completed")

    ACTIVE = (Status.ENROLLED, Status.WAITLISTED)

    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="enrolments")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # Waiting-list order: the earliest queued_at (then id) is promoted first.
    queued_at = models.DateTimeField(default=timezone.now)
    # Why it was withdrawn or marked no-show (and who decided), shown to the person.
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        ordering = ["batch_id", "queued_at", "id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        indexes = [
            models.Index(fields=["batch", "status", "queued_at"], name="enrolment_queue"),
            models.Index(fields=["person", "status"], name="enrolment_person_status"),
        ]
        constraints = [
            # One active enrolment per person and batch; re-enrolling after a
            # withdrawal makes a new row.
            models.UniqueConstraint(
                fields=["batch", "person"],
                condition=Q(status__in=["enrolled", "waitlisted"]),
                name="enrolment_one_active",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["withdrawn", "no_show"]) | ~Q(reason=""),
                name="enrolment_reason_when_out",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.person_id}:{self.status}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    # Present and late count as attended for the completion rule.
    ATTENDED = (Status.PRESENT, Status.LATE)

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=8, choices=Status.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session_id", "enrolment_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "session"], name="attendance_once_per_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.enrolment_id}:{self.status}"


class Assessment(models.Model):
    """The result of one competency unit for one enrolment (the latest one counts)."""

    class Result(models.TextChoices):
        COMPETENT = "competent", _("Competent")
        NOT_YET = "not_yet", _("Not yet competent")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="assessments")
    unit = models.ForeignKey(CompetencyUnit, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField(_("assessed on"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["enrolment_id", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "unit"], name="assessment_once_per_unit"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="assessment_score_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}:{self.unit_id}:{self.result}"


def new_verification_code() -> str:
    """192 random bits, URL-safe (32 characters): the code in the QR and the public
    verification URL. Guessing one among a million valid codes takes ~2^172 tries."""
    return secrets.token_urlsafe(24)


class Certificate(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")

    class Source(models.TextChoices):
        COURSE = "course", _("Issued on completing a course")
        EXTERNAL = "external", _("Obtained elsewhere, verified by an officer")

    # Readable, printed on the certificate: GRD/<provider>/<year>/<serial> for the
    # ones Garda issues, the issuer's own number for external ones.
    number = models.CharField(_("certificate number"), max_length=60)
    verification_code = models.CharField(
        max_length=64, unique=True, default=new_verification_code, editable=False
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="certificates"
    )
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    enrolment = models.OneToOneField(
        Enrolment, null=True, blank=True, on_delete=models.PROTECT, related_name="certificate"
    )
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    provider = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    # What it certifies, as printed: the course title at issue, or e.g. "JLPT N4".
    title = models.CharField(_("title"), max_length=200)
    # The competency units at issue: [{"code": ..., "title": ...}].
    units = models.JSONField(_("competency units"), default=list, blank=True)
    kkni_level = models.PositiveSmallIntegerField(_("KKNI level"), null=True, blank=True)
    issuer_name = models.CharField(_("issued by"), max_length=200)
    lsp_name = models.CharField(_("certifying LSP"), max_length=200, blank=True)
    lsp_scheme = models.CharField(_("certification scheme"), max_length=200, blank=True)
    lsp_certificate_number = models.CharField(_("LSP/BNSP number"), max_length=100, blank=True)
    # Level or score of a language result (N4, A2, 172...).
    level = models.CharField(_("level or score"), max_length=20, blank=True)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    # The readiness bridge: the verified Document of `document_type` this certificate
    # stands for (revocation rejects it, so readiness no longer counts it).
    document_type = models.ForeignKey(
        "documents.DocumentType", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    document = models.OneToOneField(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificate",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.VALID
    )
    revoked_reason = models.CharField(_("reason for revoking"), max_length=500, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        indexes = [
            models.Index(fields=["person", "status"], name="certificate_person_status"),
            models.Index(fields=["course", "issued_on"], name="certificate_course_issued"),
        ]
        constraints = [
            # The numbers Garda prints are unique; issuers elsewhere number as they do.
            models.UniqueConstraint(
                fields=["number"], condition=Q(source="course"), name="certificate_number_unique"
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked") | ~Q(revoked_reason=""),
                name="certificate_revoked_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(source="external") | Q(enrolment__isnull=False),
                name="certificate_course_has_enrolment",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class CertificateSerial(models.Model):
    """The last serial used per provider and year, taken under a row lock, so that
    certificate numbers are gap-free and readable: GRD/PPKD-JT/2026/00042."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "year"], name="certificateserial_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id}/{self.year}/{self.last}"
