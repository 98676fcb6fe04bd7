"""Issue 19, weakness 12, written as the attack: an XLSX of a million blank rows (a few
hundred KB) held the background worker, since blank rows did not count toward the row
limit and what the archive unzips to was not capped. The workbooks are built here,
part by part."""

import io
import zipfile
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from conftest import verified_client
from garda.people.models import ImportJob, Person
from garda.people.services import imports
from garda.people.tests.factories import nik_for

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" '
    b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b"</Types>"
)
RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Target="xl/workbook.xml" Type="http://schemas.openxmlformats.org'
    b'/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>'
)
LETTERS = "ABCDEFGHIJ"


def _row(number: int, values) -> bytes:
    cells = b"".join(
        b'<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>'
        % (LETTERS[i].encode(), number, v.encode())
        for i, v in enumerate(values)
        if v
    )
    return b'<row r="%d">%s</row>' % (number, cells)


def person_values(serial: int) -> list[str]:
    return [
        nik_for(serial=serial, born=date(1990, 1, 1), sex="F"),
        f"Dewi Lestari {serial}",
        "P",
        "1990-01-01",
        "Jakarta",
        "Jl. Kebon Sirih No. 1",
        "31.71.01.1001",
        "0812-3456-7890",
        f"dewi{serial}@example.org",
        "SMA",
    ]


def xlsx(rows: list[bytes], *, dimension: str | None = None, extra: dict | None = None) -> bytes:
    """A workbook whose only sheet holds the header row and then `rows` (XML)."""
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + (b'<dimension ref="%s"/>' % dimension.encode() if dimension else b"")
        + b"<sheetData>"
        + _row(1, imports.COLUMNS)
        + b"".join(rows)
        + b"</sheetData></worksheet>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.fixture
def rows_pulled(monkeypatch) -> list:
    """How many rows the reader pulled out of the workbook (the worker's work)."""
    pulled = [0]
    original = imports._xlsx_rows

    def counting(*args, **kwargs):
        for row in original(*args, **kwargs):
            pulled[0] += 1
            yield row

    monkeypatch.setattr(imports, "_xlsx_rows", counting)
    return pulled


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def test_a_million_blank_rows_do_not_hold_the_worker(rows_pulled):
    blank = [b"<row/>"] * 1_000_000  # numbered by their place
    content = xlsx([*blank, _row(1_000_002, ["x"])], dimension="A1:J1000002")
    assert len(content) < 400_000  # the outside test's file was 144 KB
    rows = list(imports.read_rows(content, ImportJob.Format.XLSX))
    assert rows == []  # the row far below the blank ones is never reached
    assert rows_pulled[0] <= imports.BLANK_RUN + 1


def test_a_sheet_claiming_its_last_row_a_million_rows_down_is_not_walked(rows_pulled):
    """openpyxl fills the rows between two written rows with blank ones: a tiny file."""
    content = xlsx([_row(1_048_576, ["x"])], dimension="A1:XFD1048576")
    assert len(content) < 2_000
    assert list(imports.read_rows(content, ImportJob.Format.XLSX)) == []
    assert rows_pulled[0] <= imports.BLANK_RUN + 1


def test_blank_rows_count_toward_the_row_limit():
    rows = []
    for serial in range(1, 51):  # 50 people, each after 9 blank rows: 500 rows in all
        start = len(rows) + 2
        rows += [b'<row r="%d"/>' % n for n in range(start, start + 9)]
        rows.append(_row(start + 9, person_values(serial)))
    content = xlsx(rows)
    with translation.override("en"), pytest.raises(imports.ImportFileError) as info:
        list(imports.read_rows(content, ImportJob.Format.XLSX, row_limit=100))
    assert "more than 100 rows" in str(info.value)


@pytest.mark.django_db
def test_an_xlsx_that_unzips_too_large_is_refused_at_upload(alice, monkeypatch):
    monkeypatch.setattr(imports, "MAX_UNZIPPED_BYTES", 1024 * 1024, raising=False)
    padding = {"xl/media/padding.bin": b"\x00" * (2 * 1024 * 1024)}  # 2 MB in ~2 KB
    content = xlsx([_row(2, person_values(1))], extra=padding)
    assert len(content) < 20_000
    with translation.override("id"), pytest.raises(ValidationError) as info:
        imports.import_start(actor=alice, file_name="pmi.xlsx", content=content, enqueue=False)
    assert "lebih dari 1 MB" in info.value.messages[0]
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_an_ordinary_xlsx_is_still_imported(alice, gambir):
    rows = [_row(n + 1, person_values(n)) for n in range(1, 4)]
    rows.append(b'<row r="5"/>')  # a blank row in the middle is skipped
    rows.append(_row(6, person_values(4)))
    content = xlsx(rows, dimension="A1:J6")
    job = imports.import_start(actor=alice, file_name="pmi.xlsx", content=content, enqueue=False)
    job = imports.import_check(job.pk)
    assert job.state == ImportJob.State.CHECKED, job.message
    assert (job.total_rows, job.valid_rows) == (4, 4)
    imports.import_commit_start(actor=alice, job=job, enqueue=False)
    job = imports.import_commit(job.pk)
    assert job.state == ImportJob.State.DONE
    assert Person.objects.filter(full_name__startswith="Dewi Lestari").count() == 4


@pytest.mark.django_db
def test_the_officer_is_told_where_reading_stopped_after_a_run_of_empty_rows(alice, gambir):
    """A run of BLANK_RUN empty rows ends the data (the worker is not held), but rows
    below it are then not imported: the check says so instead of dropping them
    silently."""
    rows = [_row(n + 1, person_values(n)) for n in range(1, 3)]  # rows 2 and 3
    rows += [b'<row r="%d"/>' % n for n in range(4, 4 + imports.BLANK_RUN)]
    rows.append(_row(4 + imports.BLANK_RUN, person_values(3)))  # never read
    content = xlsx(rows, dimension=f"A1:J{4 + imports.BLANK_RUN}")
    job = imports.import_start(actor=alice, file_name="pmi.xlsx", content=content, enqueue=False)
    job = imports.import_check(job.pk)
    assert job.state == ImportJob.State.CHECKED
    assert job.total_rows == 2
    assert job.message.startswith("Pembacaan berhenti di baris 1.003")
    page = verified_client(alice).get(f"/people/import/{job.pk}/").content.decode()
    assert "Pembacaan berhenti di baris 1.003" in page


@pytest.mark.django_db
def test_a_file_without_such_a_run_says_nothing_of_it(alice, gambir):
    content = xlsx([_row(2, person_values(1))], dimension="A1:J2")
    job = imports.import_start(actor=alice, file_name="pmi.xlsx", content=content, enqueue=False)
    assert imports.import_check(job.pk).message == ""
