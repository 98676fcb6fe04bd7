"""The registry: persons and what hangs directly off them."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from garda.fields import EncryptedTextField


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    IN_PREPARATION = "in_preparation", _("In preparation")
    READY = "ready", _("Ready")
    PLACED = "placed", _("Placed")
    DEPARTED = "departed", _("Departed")
    ABROAD = "abroad", _("Abroad")
    RETURNED = "returned", _("Returned")
    REINTEGRATED = "reintegrated", _("Reintegrated")
    INACTIVE = "inactive", _("Inactive")


class Route(models.TextChoices):
    G2G = "g2g", _("Government to government")
    P3MI = "p3mi", _("Licensed placement agency (P3MI)")
    INDEPENDENT = "independent", _("Independent (perseorangan)")
    COMPANY = "company", _("For a company's own interest")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Not married")
    MARRIED = "married", _("Married")
    DIVORCED = "divorced", _("Divorced")
    WIDOWED = "widowed", _("Widowed")


class Education(models.TextChoices):
    NONE = "none", _("No formal schooling")
    SD = "sd", "SD"
    SMP = "smp", "SMP"
    SMA = "sma", "SMA"
    SMK = "smk", "SMK"
    D1 = "d1", "D1"
    D2 = "d2", "D2"
    D3 = "d3", "D3"
    D4 = "d4", "D4"
    S1 = "s1", "S1"
    S2 = "s2", "S2"
    S3 = "s3", "S3"


class PersonQuerySet(models.QuerySet):
    def active(self):
        return self.filter(merged_into__isnull=True)


class Person(models.Model):
    """A prospective, current or returned migrant worker (CPMI/PMI)."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    # Identity. The NIK is encrypted; nik_index (HMAC) serves lookup and uniqueness.
    nik = EncryptedTextField(_("NIK"))
    nik_index = models.CharField(max_length=64, unique=True)
    full_name = models.CharField(_("full name (as on the KTP)"), max_length=200)
    other_names = models.CharField(_("other names"), max_length=300, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    birth_place = models.CharField(_("birth place"), max_length=100, blank=True)
    marital_status = models.CharField(
        _("marital status"), max_length=10, choices=MaritalStatus.choices, blank=True
    )
    kk_number = EncryptedTextField(_("family card (KK) number"), blank=True)
    passport_number = EncryptedTextField(_("passport number"), blank=True)
    # Address: the village code gives district, regency and province.
    address_line = models.CharField(_("address"), max_length=300, blank=True)
    village = models.ForeignKey(
        "places.Region",
        verbose_name=_("village (kelurahan/desa)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    domicile_jakarta = models.BooleanField(_("lives in DKI Jakarta"), default=False)
    # The village's regency and district, kept beside it so that a list filtered by
    # either reads its own index in id order (search.py) instead of sorting matches.
    regency_code = models.CharField(max_length=5, blank=True, editable=False)
    district_code = models.CharField(max_length=8, blank=True, editable=False)
    # Contact.
    phone = models.CharField(_("phone"), max_length=20, blank=True)  # E.164
    email = models.EmailField(_("e-mail"), blank=True)
    education_level = models.CharField(
        _("education"), max_length=4, choices=Education.choices, blank=True
    )
    education_field = models.CharField(_("field of study"), max_length=100, blank=True)
    # Migration.
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REGISTERED
    )
    route = models.CharField(_("placement route"), max_length=12, choices=Route.choices, blank=True)
    training_only = models.BooleanField(
        _("training only (under 18)"),
        default=False,
        help_text=_("Under 18: may train, may not be placed (UU 18/2017 art. 5)."),
    )
    # When the declared birth date or sex differs from the NIK, the officer records why.
    nik_mismatch_reason = models.CharField(max_length=500, blank=True)
    identity_verified_at = models.DateTimeField(null=True, blank=True)
    identity_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The worker's own account, for self-service.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    assigned_officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Assignment",
        through_fields=("person", "officer"),
        related_name="assigned_persons",
        blank=True,
    )
    needs_duplicate_review = models.BooleanField(default=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: every edit sends the version it read; a stale one is a 409.
    version = models.PositiveIntegerField(default=1)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [
            models.Index(fields=["status", "-id"]),
            models.Index(fields=["birth_date"]),
            models.Index(fields=["phone"]),
            models.Index(fields=["village"]),
            models.Index(fields=["regency_code", "-id"]),
            models.Index(fields=["district_code", "-id"]),
            # A status in a region ("in preparation in my district"): statuses are
            # skewed (most persons are registered), which the planner cannot see.
            models.Index(fields=["status", "regency_code", "-id"]),
            models.Index(fields=["status", "district_code", "-id"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(sex__in=["M", "F"]), name="person_sex_valid"),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="person_not_merged_into_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.full_name}"

    @property
    def identity_verified(self) -> bool:
        return self.identity_verified_at is not None


class Assignment(models.Model):
    """An officer accompanying a person (pendamping)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assignments")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "officer"], name="assignment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} -> {self.person_id}"


class FamilyContact(models.Model):
    """Family and emergency contacts. UU 18/2017 art. 13 requires the consent of the
    spouse, a parent or a guardian, acknowledged by the village head."""

    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("Spouse")
        PARENT = "parent", _("Parent")
        GUARDIAN = "guardian", _("Guardian")
        SIBLING = "sibling", _("Sibling")
        CHILD = "child", _("Child")
        OTHER = "other", _("Other")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="family")
    name = models.CharField(_("name"), max_length=200)
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_emergency_contact = models.BooleanField(_("emergency contact"), default=False)
    gives_consent = models.BooleanField(_("gives the family consent"), default=False)

    def __str__(self) -> str:
        return f"{self.get_relation_display()}: {self.name}"


class StatusChange(models.Model):
    """The history of a person's migration status, with who and why."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Status.choices)
    route = models.CharField(max_length=12, choices=Route.choices, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"


class Consent(models.Model):
    """What the person agreed to, when, through whom, under which text version (UU PDP
    art. 20-22); a withdrawal is recorded, never deleted."""

    class Purpose(models.TextChoices):
        PROCESSING = "processing", _("Processing my data for placement and protection")
        SHARING = "sharing", _("Sharing my data with the named agencies")

    class Source(models.TextChoices):
        # Blank: recorded before the source was kept.
        SELF = "self", _("Given by the person in Garda")
        PAPER = "paper", _("Signed paper form, recorded by an officer")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    agencies = models.ManyToManyField("accounts.Agency", blank=True, related_name="+")
    text_version = models.CharField(_("text version"), max_length=20)
    given_at = models.DateTimeField(auto_now_add=True)
    given_via = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_via = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # How the consent reached Garda: the person themself, or an officer recording a
    # signed form on their behalf (UU 27/2022 art. 22: consent is written or recorded),
    # with where that form can be found.
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, blank=True)
    source_note = models.CharField(_("where the signed form is kept"), max_length=200, blank=True)

    class Meta:
        ordering = ["-given_at", "-id"]

    def __str__(self) -> str:
        return f"{self.purpose} ({self.text_version})"


class PersonKey(models.Model):
    """Blocking keys of a person (people/matching.py): persons that share a key are
    compared when one of them is created or changes. Indexed for the lookup."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="keys")
    key = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="person_key_unique")]
        indexes = [models.Index(fields=["key"])]

    def __str__(self) -> str:
        return self.key


class DuplicateCandidate(models.Model):
    """Two records that may be one person, with the engine's score and reasons, until
    an officer decides: the same person (merged) or different people (remembered)."""

    class Decision(models.TextChoices):
        OPEN = "open", _("To review")
        SAME = "same", _("Same person (merged)")
        DIFFERENT = "different", _("Different people")

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Decision.choices, default=Decision.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="duplicate_pair_unique"),
            models.CheckConstraint(
                condition=Q(person_a__lt=models.F("person_b")), name="duplicate_pair_ordered"
            ),
        ]
        indexes = [models.Index(fields=["status", "-score"])]

    def __str__(self) -> str:
        return f"{self.person_a_id}~{self.person_b_id} {self.score:.2f} {self.status}"


class NameToken(models.Model):
    """The words of a person's names, folded by matching.normalize_name (old
    spellings, y/i, doubled letters...): the index behind typo-tolerant name search."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_tokens")
    token = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "token"], name="name_token_unique")
        ]
        indexes = [models.Index(fields=["token", "person"])]

    def __str__(self) -> str:
        return self.token


class NameVocabulary(models.Model):
    """Every distinct name token ever seen: far smaller than the registry, so a query
    word can be fuzzy-matched against all of it in memory (search.py)."""

    token = models.CharField(max_length=40, primary_key=True)

    def __str__(self) -> str:
        return self.token


class Skill(models.Model):
    """A skill, tagged with an occupation code (ISCO-08 / KBJI 2014 unit group)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="skills")
    occupation_code = models.CharField(_("occupation code (ISCO-08/KBJI)"), max_length=8)
    title = models.CharField(_("skill"), max_length=200)

    class Meta:
        indexes = [models.Index(fields=["occupation_code"])]

    def __str__(self) -> str:
        return f"{self.occupation_code} {self.title}"


class LanguageSkill(models.Model):
    """A language and its level, on the scale of the test that measured it."""

    class Scale(models.TextChoices):
        CEFR = "cefr", "CEFR"
        TOPIK = "topik", "TOPIK / EPS-TOPIK"
        JLPT = "jlpt", "JLPT"
        JFT = "jft", "JFT-Basic"
        IELTS = "ielts", "IELTS"
        SELF = "self", _("Self-assessed")

    LEVELS = {
        Scale.CEFR: ("A1", "A2", "B1", "B2", "C1", "C2"),
        Scale.TOPIK: ("1", "2", "3", "4", "5", "6", "EPS-PASS"),
        Scale.JLPT: ("N5", "N4", "N3", "N2", "N1"),
        Scale.JFT: ("A1", "A2"),
        Scale.IELTS: ("4.0", "4.5", "5.0", "5.5", "6.0", "6.5", "7.0", "7.5", "8.0", "8.5", "9.0"),
        Scale.SELF: ("basic", "conversational", "fluent"),
    }
    # The self-assessed levels in words (the stored value stays the code); a test's
    # level ("N4", "B1") is the same in every language.
    LEVEL_LABELS = {
        "basic": _("basic"),
        "conversational": _("conversational"),
        "fluent": _("fluent"),
    }

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language (ISO 639-1)"), max_length=3)
    scale = models.CharField(_("scale"), max_length=6, choices=Scale.choices)
    # 20: the longest level is the self-assessed "conversational" (14).
    level = models.CharField(_("level"), max_length=20)

    class Meta:
        indexes = [models.Index(fields=["language", "scale", "level"])]

    def __str__(self) -> str:
        return f"{self.language} {self.scale} {self.level}"

    @property
    def level_display(self) -> str:
        """The level as a page shows it: "lancar", not "fluent"."""
        return str(self.LEVEL_LABELS.get(self.level, self.level))


class WorkExperience(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="experience")
    employer = models.CharField(_("employer"), max_length=200)
    country = models.ForeignKey(
        "places.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    occupation_code = models.CharField(
        _("occupation code (ISCO-08/KBJI)"), max_length=8, blank=True
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="work_experience_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employer} ({self.country_id})"


class ImportJob(models.Model):
    """One upload of a CSV/XLSX list of people (imports.py): checked first (a dry run
    with a per-row error report), then committed in batches. `next_row` is where a
    commit resumes: every row before it is in the registry."""

    class State(models.TextChoices):
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    # None: the system (`garda import_people` without --user).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        "accounts.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(_("file"), max_length=255)
    file_format = models.CharField(max_length=4, choices=Format.choices)
    # The upload, encrypted, under VAR_DIR/imports/ (a random name); deleted when done.
    stored_name = models.CharField(max_length=64, unique=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.CHECKING
    )
    message = models.CharField(max_length=500, blank=True)  # why the whole file failed
    # The uploader's language: the background job writes its messages in it.
    language = models.CharField(max_length=8, default="id")
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    new_rows = models.PositiveIntegerField(default=0)  # of the valid rows, not registered yet
    processed_rows = models.PositiveIntegerField(default=0)  # progress of the current pass
    created_rows = models.PositiveIntegerField(default=0)
    updated_rows = models.PositiveIntegerField(default=0)
    unchanged_rows = models.PositiveIntegerField(default=0)
    next_row = models.PositiveIntegerField(default=2)  # row 1 is the header
    # Uploads through the web and the API are bounded; the command line is not (None).
    row_limit = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]

    def __str__(self) -> str:
        return f"import {self.pk} {self.file_name} {self.state}"

    STALL_AFTER = timedelta(minutes=10)

    @property
    def stalled(self) -> bool:
        """Importing, but no batch landed for a while: the worker stopped."""
        return (
            self.state == self.State.IMPORTING
            and self.updated_at < timezone.now() - self.STALL_AFTER
        )

    @property
    def resumable(self) -> bool:
        return self.stalled or (self.state == self.State.FAILED and self.next_row > 2)


class ImportRowError(models.Model):
    """One problem in one row of an import: the row number as the spreadsheet shows
    it, the column (Indonesian header name) and the message in the user's language."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="row_errors")
    row = models.PositiveIntegerField()
    column = models.CharField(max_length=40, blank=True)
    message = models.CharField(max_length=500)

    class Meta:
        ordering = ["row", "id"]
        indexes = [models.Index(fields=["job", "row"])]

    def __str__(self) -> str:
        return f"{self.row} {self.column}: {self.message}"
