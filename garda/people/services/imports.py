"""Bulk import of people from CSV or XLSX.

A file goes through two passes, each a background job (tasks.py) with progress on
its ImportJob:

1. check (the dry run): every row is validated with the registry's own form
   (PersonForm: NIK rules, birth date and sex against the NIK, village code, phone),
   a NIK repeated in the file is refused, and each problem is kept as an
   ImportRowError (row, column, message) for the downloadable report. Nothing is
   written to the registry.
2. commit: the rows are validated again (the registry may have changed) and the
   valid ones are written in batches of BATCH_SIZE. Each batch is one transaction
   that also moves the job's resume point (`next_row`), so a commit that stops half
   way resumes after the last batch that landed.

Idempotent by NIK: a row whose NIK is registered updates that person (a blank cell
keeps the recorded value) and a row that changes nothing is counted as unchanged.
The writes are the services' writes in bulk: encryption and blind index, reference
numbers, status history, the officer's assignment, name tokens, duplicate check
(duplicates.duplicates_refresh_many) and one audit row per person.

The uploaded file holds NIKs: it is kept encrypted under VAR_DIR/imports/ with a
random name and deleted once the import is done.
"""

import csv
import io
import logging
import secrets
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from garda import crypto
from garda.accounts import roles
from garda.accounts.models import User
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record, audit_record_many
from garda.dbutils import fast_insert, refresh_statistics
from garda.models import ReferenceSequence
from garda.people.forms import PersonForm
from garda.people.models import (
    Assignment,
    Education,
    ImportJob,
    ImportRowError,
    NameToken,
    Person,
    PersonKey,
    Status,
    StatusChange,
)
from garda.people.names import name_tokens_refresh_many
from garda.people.services.duplicates import IDENTITY_FIELDS, duplicates_refresh_many
from garda.people.services.registry import REFERENCE_PREFIX, PersonData, nik_index, person_values
from garda.places.models import Region

logger = logging.getLogger(__name__)

# The template's header, in this order (a contract: scripts produce these files).
COLUMNS = (
    "nik",
    "nama_lengkap",
    "jenis_kelamin",
    "tanggal_lahir",
    "tempat_lahir",
    "alamat",
    "kode_wilayah",
    "telepon",
    "email",
    "pendidikan",
)
FIELD_OF = {
    "nik": "nik",
    "nama_lengkap": "full_name",
    "jenis_kelamin": "sex",
    "tanggal_lahir": "birth_date",
    "tempat_lahir": "birth_place",
    "alamat": "address_line",
    "kode_wilayah": "village_code",
    "telepon": "phone",
    "email": "email",
    "pendidikan": "education_level",
}
COLUMN_OF = {f: c for c, f in FIELD_OF.items()}
ERRORS_HEADER = ("baris", "kolom", "pesan")  # row, column, message
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")
SEXES = {"L": "M", "M": "M", "LAKI-LAKI": "M", "P": "F", "F": "F", "PEREMPUAN": "F"}
EDUCATION = {
    **{value: value for value in Education.values},
    "tidak sekolah": Education.NONE,
    "-": Education.NONE,
}

NEUTRALISED = ("=", "+", "-", "@")
MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000  # rows read, blank ones included
# An XLSX is a ZIP: what its parts unzip to is capped before openpyxl opens it (issue
# 19: 144 KB held a million rows). 200,000 full rows of the template are ~120 MB.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 1000
# This many blank rows in a row end the data: nothing after them is read (a sheet's
# last row can be claimed far below its data, and openpyxl yields every row between).
BLANK_RUN = 1000
# Columns read of each row: the template has 10; a sheet may claim 16,384.
MAX_COLUMNS = 64
BATCH_SIZE = 5000
FILE_CONTEXT = "people.importjob.file"
# After an import this big the query planner's statistics are refreshed.
STATISTICS_AFTER = 10_000
ROLES = frozenset({roles.OFFICER, roles.SUPERVISOR, roles.ADMIN})
# Fields a re-import may change (the file's columns); the NIK itself is the key.
_UPDATABLE = (
    "full_name",
    "sex",
    "birth_date",
    "birth_place",
    "address_line",
    "village_id",
    "domicile_jakarta",
    "regency_code",
    "district_code",
    "phone",
    "email",
    "education_level",
    "training_only",
    "nik_mismatch_reason",
)
_ALWAYS = frozenset({"full_name", "sex", "birth_date", "training_only"})


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, missing columns, too big)."""


# -- reading ------------------------------------------------------------------------


def sniff_format(content: bytes) -> str | None:
    """ "xlsx" or "csv" from the bytes themselves (never the file name); None when the
    content is neither an XLSX workbook nor UTF-8 text."""
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                if "xl/workbook.xml" in archive.namelist():
                    return ImportJob.Format.XLSX
        except zipfile.BadZipFile:
            return None
        return None
    head = content[:65536]
    if b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the boundary
            return None
    return ImportJob.Format.CSV


def _csv_rows(content: bytes) -> Iterator[list]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _('The file is not UTF-8 text. In Excel, save it as "CSV UTF-8".')
        ) from None
    first = text.split("\n", 1)[0]
    # Excel in an Indonesian locale separates with ";".
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error:
        raise ImportFileError(
            _("Line %(line)s of the file is not valid CSV (an unclosed quote?).")
            % {"line": reader.line_num}
        ) from None


def _unzipped_error() -> str:
    return _(
        "The XLSX file unpacks to more than %(max)s MB (or holds too many parts); "
        "save only the data sheet, or split it into smaller files."
    ) % {"max": MAX_UNZIPPED_BYTES // (1024 * 1024)}


def check_archive(content: bytes) -> None:
    """Refuse (ImportFileError) an XLSX whose parts unzip to more than
    MAX_UNZIPPED_BYTES, from the sizes the archive declares (Python's zipfile never
    inflates a part past its declared size), before anything is inflated."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except zipfile.BadZipFile:
        raise ImportFileError(_("The XLSX file cannot be read. Save it again in Excel.")) from None
    if len(parts) > MAX_ZIP_MEMBERS or sum(p.file_size for p in parts) > MAX_UNZIPPED_BYTES:
        raise ImportFileError(_unzipped_error())


def _xlsx_rows(content: bytes, bounded: bool = True) -> Iterator[tuple]:
    from openpyxl import load_workbook

    if bounded:
        check_archive(content)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise ImportFileError(_("The XLSX file cannot be read. Save it again in Excel.")) from None
    try:
        yield from book.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS)
    finally:
        book.close()


def read_rows(
    content: bytes,
    file_format: str,
    row_limit: int | None = MAX_ROWS,
    on_end: Callable[[int], None] | None = None,
) -> Iterator[tuple[int, dict]]:
    """(row number as the spreadsheet shows it, {column: raw cell}) for every
    non-blank data row. Raises ImportFileError for a file that cannot be used. Blank
    rows count toward `row_limit`; BLANK_RUN of them in a row end the data, and
    `on_end` is told the row where reading stopped (nothing below it is read, so the
    officer must be told: rows after such a gap are not imported)."""
    if file_format == ImportJob.Format.XLSX:
        rows = _xlsx_rows(content, bounded=row_limit is not None)
    else:
        rows = _csv_rows(content)
    header = next(rows, None)
    if header is None:
        raise ImportFileError(_("The file is empty."))
    names = [str(h or "").strip().lower() for h in header[:MAX_COLUMNS]]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise ImportFileError(
            _("Missing column(s): %(missing)s. The first row must be: %(header)s.")
            % {"missing": ", ".join(missing), "header": ",".join(COLUMNS)}
        )
    index = {c: names.index(c) for c in COLUMNS}
    blank_run = 0
    for number, row in enumerate(rows, start=2):
        if row_limit is not None and number - 1 > row_limit:
            raise ImportFileError(
                _("The file has more than %(max)s rows; split it into smaller files.")
                % {"max": f"{row_limit:,}"}
            )
        if not any(_text(cell) for cell in row[:MAX_COLUMNS]):
            blank_run += 1
            if blank_run >= BLANK_RUN:
                if on_end is not None:
                    on_end(number)
                return  # the data has ended
            continue
        blank_run = 0
        yield number, {c: (row[i] if i < len(row) else None) for c, i in index.items()}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text[:1] == "'" and text[1:2] in NEUTRALISED:
        text = text[1:]  # our own exports neutralise formulas (export.safe_cell)
    return text


def parse_date(text: str) -> date | None:
    """YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY; None for a blank or unreadable date."""
    text = text.strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    return None


# -- validating ---------------------------------------------------------------------


class _ImportForm(PersonForm):
    """PersonForm with the village codes looked up in memory, not once per row."""

    def __init__(self, *args, villages: frozenset[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.villages = villages

    def village_exists(self, code: str) -> bool:
        return code in self.villages

    def rebind(self, data: dict) -> "_ImportForm":
        """Validate another row with this instance: constructing a Django form
        deep-copies every field, which costs more than validating the row."""
        self.data, self._errors = data, None
        for cached in ("cleaned_data", "changed_data", "nik_result"):
            self.__dict__.pop(cached, None)
        return self


@dataclass
class RowResult:
    row: int
    data: PersonData | None = None
    existing: Person | None = None
    errors: list[tuple[str, str]] = field(default_factory=list)


def _form_data(raw: dict) -> tuple[dict, list[tuple[str, str]]]:
    """The row as the person form takes it, plus the problems only a file can have
    (a NIK stored as a number, an unknown L/P or date format)."""
    errors = []
    data = {FIELD_OF[c]: _text(raw[c]) for c in COLUMNS}
    if isinstance(raw["nik"], int | float):
        errors.append(
            (
                "nik",
                _(
                    "The NIK is stored as a number, which Excel rounds to 15 digits: "
                    "format the column as Text and type the NIK again."
                ),
            )
        )
    if data["sex"]:
        data["sex"] = SEXES.get(data["sex"].upper(), "")
        if not data["sex"]:
            errors.append(("jenis_kelamin", _("Use L (male) or P (female).")))
    if data["birth_date"]:
        parsed = parse_date(data["birth_date"])
        if parsed is None:
            errors.append(("tanggal_lahir", _("Use YYYY-MM-DD or DD-MM-YYYY, e.g. 1995-08-17.")))
        data["birth_date"] = parsed or ""  # a date: the form takes it as it is
    if data["education_level"]:
        level = EDUCATION.get(data["education_level"].lower())
        if level is None:
            errors.append(
                (
                    "pendidikan",
                    _("Unknown education level %(value)s; use one of: %(levels)s.")
                    % {
                        "value": data["education_level"][:20],
                        "levels": ", ".join(v.upper() for v in Education.values if v != "none"),
                    },
                )
            )
        data["education_level"] = level or ""
    return data, errors


def _digits(value) -> str:
    return "".join(ch for ch in _text(value) if ch.isdigit())


class _Validator:
    """Validates rows batch by batch, remembering the NIKs seen earlier in the file."""

    def __init__(self) -> None:
        self.villages = frozenset(
            Region.objects.filter(level=Region.Level.VILLAGE, is_current=True).values_list(
                "code", flat=True
            )
        )
        self.first_row: dict[str, int] = {}  # NIK -> the first row that has it
        self.forms = {
            override: _ImportForm({}, villages=self.villages, may_override_nik=override)
            for override in (False, True)
        }

    def skip(self, rows: list[tuple[int, dict]]) -> None:
        """Rows before a resume point: already imported, only their NIKs matter."""
        for number, raw in rows:
            self.first_row.setdefault(_digits(raw["nik"]), number)

    def batch(self, rows: list[tuple[int, dict]]) -> list[RowResult]:
        indexes = {_digits(raw["nik"]): None for _n, raw in rows}
        by_index = {
            p.nik_index: p
            for p in Person.objects.filter(
                nik_index__in=[nik_index(n) for n in indexes if len(n) == 16]
            )
        }
        results = []
        for number, raw in rows:
            result = RowResult(row=number)
            results.append(result)
            data, result.errors = _form_data(raw)
            digits = _digits(raw["nik"])
            first = self.first_row.setdefault(digits, number) if digits else number
            existing = by_index.get(nik_index(digits)) if len(digits) == 16 else None
            override = bool(
                existing is not None
                and existing.nik_mismatch_reason
                and data["birth_date"] == existing.birth_date
                and data["sex"] == existing.sex
            )
            if override:  # the officer already explained this record's difference
                data["nik_mismatch_reason"] = existing.nik_mismatch_reason
            form = self.forms[override].rebind(data)
            if not form.is_valid():
                taken = {c for c, _m in result.errors}
                for name, problems in form.errors.as_data().items():
                    column = COLUMN_OF.get(name, "")
                    if column in taken:
                        continue  # the file-level message already says it better
                    result.errors.extend((column, m) for e in problems for m in e.messages)
            if first != number:
                result.errors.append(
                    ("nik", _("This NIK is also in row %(row)s.") % {"row": first})
                )
            if existing is not None and existing.merged_into_id:
                result.errors.append(
                    ("nik", _("This NIK belongs to a record that was merged into another one."))
                )
            if not result.errors:
                result.data = PersonData.from_cleaned(form.cleaned_data)
                result.existing = existing
        return results


def _batches(rows: Iterator[tuple[int, dict]]):
    size, batch = BATCH_SIZE, []
    for item in rows:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _row_errors(job: ImportJob, results: list[RowResult]) -> list[ImportRowError]:
    return [
        ImportRowError(job=job, row=r.row, column=column, message=message[:500])
        for r in results
        for column, message in r.errors
    ]


# -- the service --------------------------------------------------------------------


def import_dir() -> Path:
    path = Path(settings.VAR_DIR) / "imports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def visible_jobs(user: User) -> QuerySet[ImportJob]:
    """Admins see every import, supervisors their agency's, officers their own."""
    qs = ImportJob.objects.all()
    if not user.is_authenticated or user.role not in ROLES:
        return qs.none()
    if user.role == roles.ADMIN:
        return qs
    if user.role == roles.SUPERVISOR:
        return qs.filter(agency_id=user.agency_id) if user.agency_id else qs.none()
    return qs.filter(created_by=user)


def size_error() -> str:
    """What an upload over MAX_BYTES is told (the page's 413, the API's and this
    service's refusal)."""
    return _("The file is larger than %(max)s MB.") % {"max": MAX_BYTES // (1024 * 1024)}


def import_start(
    *,
    actor: User | None,
    file_name: str,
    content: bytes,
    enqueue: bool = True,
    bounded: bool = True,
) -> ImportJob:
    """Keep an uploaded file (encrypted) and start its check. `actor` None is the
    system (the command line). Raises ValidationError for a file that is too big or
    neither CSV nor XLSX. `bounded` False (the command line only) lifts the size and
    row limits of uploads."""
    if actor is not None and actor.role not in ROLES:
        deny(actor, "people.import_start")
    if bounded and len(content) > MAX_BYTES:
        raise ValidationError(size_error(), code="too_big")
    file_format = sniff_format(content)
    if file_format is None:
        raise ValidationError(
            _("Upload a CSV (UTF-8) or XLSX file; this file is neither."), code="bad_type"
        )
    if bounded and file_format == ImportJob.Format.XLSX:
        try:
            check_archive(content)
        except ImportFileError as exc:
            raise ValidationError(str(exc), code="too_big") from None
    stored_name = secrets.token_hex(16)
    (import_dir() / stored_name).write_bytes(crypto.seal(content, context=FILE_CONTEXT))
    with transaction.atomic():
        job = ImportJob.objects.create(
            created_by=actor,
            agency_id=actor.agency_id if actor is not None else None,
            file_name=_display_name(file_name),
            file_format=file_format,
            stored_name=stored_name,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            row_limit=MAX_ROWS if bounded else None,
        )
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, target=job)
        if enqueue:
            from garda.people.tasks import import_check_task

            transaction.on_commit(lambda: import_check_task(job.pk))
    return job


def _display_name(file_name: str) -> str:
    """The client's file name, shown back to users only: no folders, no control
    characters (PostgreSQL refuses NUL in text), bounded."""
    name = Path(file_name.replace("\\", "/")).name
    return "".join(ch for ch in name if ch.isprintable())[:255] or "upload"


def import_commit_start(
    *, actor: User | None, job: ImportJob, enqueue: bool = True, unchecked: bool = False
) -> ImportJob:
    """Start (or resume) writing the valid rows of a checked import. `unchecked`
    (the command line without --dry-run) skips the separate check: the commit
    validates every row anyway and reports the same errors."""
    if actor is not None and not visible_jobs(actor).filter(pk=job.pk).exists():
        deny(actor, "people.import_commit")
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        resumable = job.resumable
        startable = (job.state == ImportJob.State.CHECKED and job.valid_rows) or (
            unchecked and job.state == ImportJob.State.CHECKING
        )
        if not startable and not resumable:
            raise ValidationError(
                _("This import cannot be started now (state: %(state)s).")
                % {"state": job.get_state_display()},
                code="bad_state",
            )
        job.state, job.message = ImportJob.State.IMPORTING, ""
        job.save(update_fields=["state", "message", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=job,
            changed_fields=["state"],
            reason=f"commit from row {job.next_row}",
        )
        if enqueue:
            from garda.people.tasks import import_commit_task

            transaction.on_commit(lambda: import_commit_task(job.pk))
    return job


def _content(job: ImportJob) -> bytes:
    path = import_dir() / job.stored_name
    if not path.exists():
        raise ImportFileError(_("The uploaded file is no longer available; upload it again."))
    return crypto.unseal(path.read_bytes(), context=FILE_CONTEXT)


def _fail(job: ImportJob, message: str) -> None:
    job.state, job.message = ImportJob.State.FAILED, message[:500]
    job.save(update_fields=["state", "message", "updated_at"])


Progress = Callable[[ImportJob], None]


def import_check(job_id: int, *, progress: Progress | None = None) -> ImportJob:
    """The dry run: validate every row, store the errors and the counts."""
    job = ImportJob.objects.get(pk=job_id)
    with translation.override(job.language):
        job.row_errors.all().delete()
        job.total_rows = job.valid_rows = job.error_rows = job.new_rows = 0
        job.processed_rows = 0
        job.message = ""

        def stopped(row: int) -> None:
            job.message = _(
                "Reading stopped at row %(row)s after %(blank)s empty rows in a row: rows "
                "below them, if any, are not imported. Remove the empty rows and upload "
                "the file again if data follows them."
            ) % {
                "row": number_format(row, force_grouping=True),
                "blank": number_format(BLANK_RUN, force_grouping=True),
            }

        try:
            validator = _Validator()
            for rows in _batches(
                read_rows(_content(job), job.file_format, job.row_limit, on_end=stopped)
            ):
                results = validator.batch(rows)
                ImportRowError.objects.bulk_create(_row_errors(job, results), batch_size=1000)
                job.total_rows += len(results)
                job.error_rows += sum(1 for r in results if r.errors)
                job.valid_rows += sum(1 for r in results if not r.errors)
                job.new_rows += sum(1 for r in results if r.data and r.existing is None)
                job.processed_rows = job.total_rows
                job.save()
                if progress:
                    progress(job)
        except ImportFileError as exc:
            _fail(job, str(exc))
            return job
        except Exception:  # noqa: BLE001 - never leave a job "checking" for ever
            logger.exception("import %s: the check failed", job.pk)
            _fail(job, _("The file could not be checked; upload it again."))
            return job
        job.state = ImportJob.State.CHECKED
        job.save()
    return job


def import_commit(job_id: int, *, progress: Progress | None = None) -> ImportJob:
    """Write the valid rows, batch by batch, from the job's resume point."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.state != ImportJob.State.IMPORTING:
        return job  # started twice, or cancelled: nothing to do
    actor = job.created_by
    with translation.override(job.language):
        job.row_errors.filter(row__gte=job.next_row).delete()
        job.processed_rows = 0
        if job.next_row == 2:  # a fresh start: the counts are this pass's
            job.total_rows = job.valid_rows = job.error_rows = job.new_rows = 0
        try:
            validator, batches = _Validator(), 0
            for rows in _batches(read_rows(_content(job), job.file_format, job.row_limit)):
                if rows[-1][0] < job.next_row:
                    validator.skip(rows)
                    job.processed_rows += len(rows)
                    continue
                validator.skip([r for r in rows if r[0] < job.next_row])
                todo = [r for r in rows if r[0] >= job.next_row]
                job.processed_rows += len(rows) - len(todo)
                _commit_batch(job, actor, validator.batch(todo))
                batches += 1
                if batches & (batches - 1) == 0:  # after batch 1, 2, 4, 8...
                    # The tables grow many times over during a big import; planner
                    # statistics from the empty table would have PostgreSQL read the
                    # whole key table for every batch's duplicate lookup.
                    refresh_statistics(Person, PersonKey, NameToken)
                if progress:
                    progress(job)
        except ImportFileError as exc:
            _fail(job, str(exc))
            return job
        except Exception:  # noqa: BLE001 - any failure: the batch rolled back, resumable
            logger.exception("import %s stopped at row %s", job.pk, job.next_row)
            job.refresh_from_db()
            _fail(job, _("The import stopped because of an error (it is logged); resume it."))
            return job
        job.state, job.finished_at = ImportJob.State.DONE, timezone.now()
        job.error_rows = job.row_errors.values("row").distinct().count()
        job.save()
        (import_dir() / job.stored_name).unlink(missing_ok=True)
    if job.created_rows + job.updated_rows >= STATISTICS_AFTER:
        refresh_statistics()
    return job


def _commit_batch(job: ImportJob, actor: User | None, results: list[RowResult]) -> None:
    new = [r for r in results if r.data is not None and r.existing is None]
    known = [r for r in results if r.data is not None and r.existing is not None]
    reason = f"import {job.pk}"
    with transaction.atomic():
        references = (
            ReferenceSequence.next_references(REFERENCE_PREFIX, timezone.localdate().year, len(new))
            if new
            else []
        )
        today = timezone.localdate()
        values = [person_values(r.data, today=today) for r in new]
        created = [
            Person(reference=reference, created_by=actor, **v)
            for v, reference in zip(values, references, strict=True)
        ]
        fast_insert(Person, created)
        ids = dict(Person.objects.filter(reference__in=references).values_list("reference", "id"))
        for person in created:
            person.pk = ids[person.reference]
            person._state.adding = False
        fast_insert(
            StatusChange,
            [
                StatusChange(person=p, to_status=Status.REGISTERED, actor=actor, reason="import")
                for p in created
            ],
        )
        if actor is not None and actor.role == roles.OFFICER:
            fast_insert(
                Assignment,
                [Assignment(person=p, officer=actor, assigned_by=actor) for p in created],
            )
        updated, identity_changed, changes_of = _apply_updates(known)
        audit_record_many(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            targets=[
                (p, sorted(k for k, value in v.items() if value))
                for p, v in zip(created, values, strict=True)
            ],
            reason=reason,
        )
        audit_record_many(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            targets=[(p, changes_of[p.pk]) for p in updated],
            reason=reason,
        )
        name_tokens_refresh_many(created, new=True)
        duplicates_refresh_many(created, new=True)
        name_tokens_refresh_many(identity_changed)
        duplicates_refresh_many(identity_changed)
        ImportRowError.objects.bulk_create(_row_errors(job, results), batch_size=1000)
        job.total_rows += len(results)
        job.valid_rows += len(new) + len(known)
        job.new_rows += len(new)
        job.created_rows += len(created)
        job.updated_rows += len(updated)
        job.unchanged_rows += len(known) - len(updated)
        job.processed_rows += len(results)
        job.next_row = results[-1].row + 1
        job.save()


def _apply_updates(known: list[RowResult]) -> tuple[list[Person], list[Person], dict]:
    """Set the file's values on the persons it names (a blank cell keeps what is
    recorded); returns (changed persons, those whose identity changed, field names
    changed per person)."""
    now = timezone.now()
    updated, identity_changed, changes_of, touched = [], [], {}, set()
    for result in known:
        person, values = result.existing, person_values(result.data)
        if not values["village_id"]:
            for derived in ("domicile_jakarta", "regency_code", "district_code"):
                values.pop(derived)
        changed = [
            name
            for name in _UPDATABLE
            if name in values
            and (values[name] or name in _ALWAYS)
            and getattr(person, name) != values[name]
        ]
        if "nik_mismatch_reason" in changed and not (
            {"birth_date", "sex"} & set(changed) or values["nik_mismatch_reason"]
        ):
            changed.remove("nik_mismatch_reason")
        if not changed:
            continue
        for name in changed:
            setattr(person, name, values[name])
        person.version += 1
        person.updated_at = now
        touched.update(changed)
        updated.append(person)
        changes_of[person.pk] = sorted(n.removesuffix("_id") for n in changed)
        if IDENTITY_FIELDS & set(changed):
            identity_changed.append(person)
    if updated:
        Person.objects.bulk_update(
            updated, [*sorted(touched), "version", "updated_at"], batch_size=500
        )
    return updated, identity_changed, changes_of


# -- files for the user -------------------------------------------------------------


def template_csv() -> bytes:
    return ("\ufeff" + ",".join(COLUMNS) + "\r\n").encode()


def template_xlsx() -> bytes:
    """The header on the first sheet (every column formatted as text, so Excel keeps
    a NIK's 16 digits and a phone's leading 0) and how to fill each column on a
    second sheet."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(list(COLUMNS))
    for i, column in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=i).column_letter
        sheet.column_dimensions[letter].width = 18 if column != "alamat" else 40
        for row in range(2, 1002):
            sheet.cell(row=row, column=i).number_format = "@"
    guide = book.create_sheet("Petunjuk")
    guide.append([_("Column"), _("How to fill it")])
    for column, text in _guide():
        guide.append([column, text])
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 90
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _guide() -> list[tuple[str, str]]:
    return [
        ("nik", _("16 digits, as on the KTP (required). Format the cell as text.")),
        ("nama_lengkap", _("Full name as on the KTP (required).")),
        ("jenis_kelamin", _("L (male) or P (female) (required); must match the NIK.")),
        ("tanggal_lahir", _("YYYY-MM-DD or DD-MM-YYYY (required); must match the NIK.")),
        ("tempat_lahir", _("Birth place.")),
        ("alamat", _("Street, RT/RW.")),
        ("kode_wilayah", _("Kemendagri code of the kelurahan/desa, e.g. 31.71.01.1001.")),
        ("telepon", _("Phone number, e.g. 0812 3456 7890 or +62 812 3456 7890.")),
        ("email", _("E-mail address.")),
        (
            "pendidikan",
            _("One of: %(levels)s.")
            % {"levels": ", ".join(v.upper() for v in Education.values if v != "none")},
        ),
        ("", _("A NIK already registered updates that person; a blank cell keeps the value.")),
    ]


def errors_csv(job: ImportJob) -> Iterator[str]:
    """The error report: one line per problem (row, column, message)."""
    from garda.people.export import safe_cell

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(ERRORS_HEADER)
    yield "\ufeff" + out.getvalue()
    for error in job.row_errors.order_by("row", "id").iterator(chunk_size=2000):
        out.seek(0)
        out.truncate()
        writer.writerow([error.row, error.column, safe_cell(error.message)])
        yield out.getvalue()
