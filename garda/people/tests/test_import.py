"""Bulk import (people/services/imports.py): template, dry run with a per-row error report,
commit in batches, idempotency by NIK, resume, command line, pages and API."""

import csv
import io
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.audit.verify import verify_chain
from garda.people.models import (
    Assignment,
    DuplicateCandidate,
    ImportJob,
    NameToken,
    Person,
    StatusChange,
)
from garda.people.search import filter_people
from garda.people.services import imports
from garda.people.tests.factories import nik_for, register

HEADER = ",".join(imports.COLUMNS)


def row(serial: int, **overrides) -> dict:
    born = overrides.pop("born", date(1990, 1, 1))
    sex = overrides.pop("sex", "P")
    values = {
        "nik": nik_for(serial=serial, born=born, sex="F" if sex == "P" else "M"),
        "nama_lengkap": f"Dewi Lestari {serial}",
        "jenis_kelamin": sex,
        "tanggal_lahir": born.isoformat(),
        "tempat_lahir": "Jakarta",
        "alamat": "Jl. Kebon Sirih No. 1",
        "kode_wilayah": "31.71.01.1001",
        "telepon": "0812-3456-7890",
        "email": f"dewi{serial}@example.org",
        "pendidikan": "SMA",
    }
    values.update(overrides)
    return values


def csv_bytes(rows: list[dict], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(imports.COLUMNS)
    for r in rows:
        writer.writerow([r.get(c, "") for c in imports.COLUMNS])
    return out.getvalue().encode()


def run(content: bytes, actor=None, *, commit: bool = True) -> ImportJob:
    job = imports.import_start(actor=actor, file_name="pmi.csv", content=content, enqueue=False)
    job = imports.import_check(job.pk)
    if commit and job.state == ImportJob.State.CHECKED and job.valid_rows:
        imports.import_commit_start(actor=actor, job=job, enqueue=False)
        job = imports.import_commit(job.pk)
    return job


def errors_of(job: ImportJob) -> list[tuple[int, str, str]]:
    return list(job.row_errors.values_list("row", "column", "message"))


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path  # uploads go to a fresh imports/ folder per test


# -- the template -------------------------------------------------------------------


def test_csv_template_is_the_contract_header(alice):
    response = verified_client(alice).get(reverse("people:import_template", args=["csv"]))
    assert response.status_code == 200
    assert response.content.decode("utf-8-sig").strip() == HEADER


def test_xlsx_template_has_the_header_and_a_guide(alice):
    response = verified_client(alice).get(reverse("people:import_template", args=["xlsx"]))
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book["Data"][1]] == list(imports.COLUMNS)
    assert book["Data"]["A2"].number_format == "@"  # NIK cells are text: 16 digits kept
    guide = {r[0].value: r[1].value for r in book["Petunjuk"].iter_rows(min_row=2)}
    assert "L (laki-laki) atau P (perempuan)" in guide["jenis_kelamin"]


# -- dry run ------------------------------------------------------------------------


def test_dry_run_reports_each_problem_and_writes_nothing(alice, gambir):
    rows = [
        row(1),
        row(2, nik="3171014101900"),  # too short
        row(3, jenis_kelamin="X"),
        row(4, tanggal_lahir="31-02-1990"),
        row(5, kode_wilayah="31.71.01.9999"),
        row(6, tanggal_lahir="1991-01-01"),  # the NIK says 1990
        row(7, telepon="12"),
        row(8, pendidikan="TK"),
        row(1, nama_lengkap="Dewi Lagi"),  # the NIK of row 2 again
        row(9, nama_lengkap=""),
    ]
    people, audit = Person.objects.count(), AuditEvent.objects.count()
    job = run(csv_bytes(rows), alice, commit=False)
    assert job.state == ImportJob.State.CHECKED
    assert (job.total_rows, job.valid_rows, job.error_rows, job.new_rows) == (10, 1, 9, 1)
    by_row = {}
    for number, column, message in errors_of(job):
        by_row.setdefault(number, []).append((column, message))
    assert by_row[3][0][0] == "nik" and "16 angka" in by_row[3][0][1]
    assert by_row[4] == [("jenis_kelamin", "Gunakan L (laki-laki) atau P (perempuan).")]
    assert by_row[5][0] == (
        "tanggal_lahir",
        "Gunakan TTTT-BB-HH atau HH-BB-TTTT, misalnya 1995-08-17.",
    )
    assert by_row[6][0][0] == "kode_wilayah" and "31.71.01.9999" in by_row[6][0][1]
    assert by_row[7][0][0] == "tanggal_lahir"  # birth date differs from the NIK
    assert by_row[8][0][0] == "telepon"
    assert by_row[9][0][0] == "pendidikan" and "SMA" in by_row[9][0][1]
    assert by_row[10] == [("nik", "NIK ini juga ada di baris 2.")]
    assert by_row[11][0][0] == "nama_lengkap"
    assert 2 not in by_row
    assert Person.objects.count() == people
    assert AuditEvent.objects.count() == audit + 1  # the upload itself


def test_error_report_downloads_as_csv(alice, gambir):
    job = run(csv_bytes([row(1), row(2, jenis_kelamin="X")]), alice, commit=False)
    response = verified_client(alice).get(reverse("people:import_errors", args=[job.pk]))
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert lines == [
        ["baris", "kolom", "pesan"],
        ["3", "jenis_kelamin", "Gunakan L (laki-laki) atau P (perempuan)."],
    ]


def test_missing_columns_fail_the_whole_file(alice):
    job = run(b"nik,nama\n3171014101900001,Dewi\n", alice)
    assert job.state == ImportJob.State.FAILED
    assert "jenis_kelamin" in job.message and "tanggal_lahir" in job.message


def test_a_file_that_is_neither_csv_nor_xlsx_is_refused(alice):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
    response = verified_client(alice).post(
        reverse("people:import"), {"file": SimpleUploadedFile("people.csv", png)}
    )
    assert response.status_code == 400
    assert "CSV (UTF-8) atau XLSX" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_oversized_upload_is_413_before_it_is_read(alice, monkeypatch):
    monkeypatch.setattr(imports, "MAX_BYTES", 1024)
    big = csv_bytes([row(i) for i in range(1, 2000)])
    response = verified_client(alice).post(
        reverse("people:import"), {"file": SimpleUploadedFile("people.csv", big)}
    )
    assert response.status_code == 413
    assert not ImportJob.objects.exists()


def test_broken_csv_fails_the_file_with_its_line(alice):
    content = csv_bytes([row(1)]) + b'"' + b"x" * 200_000 + b"\n"
    job = run(content, alice)
    assert job.state == ImportJob.State.FAILED
    assert "Baris 3" in job.message
    assert not Person.objects.exists()


def test_an_unexpected_failure_ends_the_check_instead_of_hanging(alice, monkeypatch):
    def broken(self, rows):
        raise RuntimeError("bug")

    monkeypatch.setattr(imports._Validator, "batch", broken)
    job = run(csv_bytes([row(1)]), alice)
    assert job.state == ImportJob.State.FAILED
    assert job.message == "Berkas tidak dapat diperiksa; unggah ulang."


def test_semicolon_csv_from_indonesian_excel(alice, gambir):
    job = run(csv_bytes([row(1), row(2)], delimiter=";"), alice)
    assert (job.state, job.created_rows) == (ImportJob.State.DONE, 2)


# -- commit -------------------------------------------------------------------------


def test_commit_registers_like_the_form(alice, gambir):
    job = run(
        csv_bytes(
            [
                row(1),
                row(
                    2,
                    sex="L",
                    nama_lengkap="Bambang Pamungkas",
                    tanggal_lahir="17-08-1985",
                    born=date(1985, 8, 17),
                ),
            ]
        ),
        alice,
    )
    assert job.state == ImportJob.State.DONE
    assert (job.created_rows, job.updated_rows, job.error_rows) == (2, 0, 0)
    people = Person.objects.order_by("reference")
    assert [p.reference[:9] for p in people] == ["PMI-2026-", "PMI-2026-"]
    dewi = people.get(full_name="Bambang Pamungkas")
    assert dewi.nik == nik_for(serial=2, born=date(1985, 8, 17), sex="M")
    assert (dewi.sex, dewi.birth_date, dewi.phone) == ("M", date(1985, 8, 17), "+6281234567890")
    assert (dewi.village_id, dewi.domicile_jakarta, dewi.education_level) == (
        "31.71.01.1001",
        True,
        "sma",
    )
    assert StatusChange.objects.filter(person=dewi, to_status="registered").count() == 1
    assert Assignment.objects.filter(person=dewi, officer=alice).exists()  # like a walk-in
    assert NameToken.objects.filter(person=dewi).exists()
    assert list(filter_people(Person.objects.all(), {"q": "pamungkaz bambang"})) == [dewi]
    created = AuditEvent.objects.filter(
        action="create", object_type="people.person", object_id=str(dewi.pk)
    ).get()
    assert (created.actor, created.reason) == (alice, f"import {job.pk}")
    assert "nik" in created.changed_fields
    assert verify_chain().ok
    assert not (imports.import_dir() / job.stored_name).exists()  # the NIKs are gone


def test_commit_flags_a_likely_duplicate_of_the_registry(alice, gambir):
    existing = register(serial=1, full_name="Dewi Lestari")
    other_nik = nik_for(serial=77)  # another NIK, same name, birth date and place
    job = run(csv_bytes([row(2, nik=other_nik, nama_lengkap="Dewi Lestary")]), alice)
    imported = Person.objects.get(nik_index=imports.nik_index(other_nik))
    assert job.created_rows == 1
    pair = DuplicateCandidate.objects.get()
    assert {pair.person_a_id, pair.person_b_id} == {existing.pk, imported.pk}
    assert Person.objects.filter(needs_duplicate_review=True).count() == 2


def test_reimport_is_idempotent_and_updates_by_nik(alice, gambir):
    run(csv_bytes([row(1), row(2)]), alice)
    first = Person.objects.get(full_name="Dewi Lestari 1")
    again = run(csv_bytes([row(1), row(2)]), alice)
    assert (again.created_rows, again.updated_rows, again.unchanged_rows) == (0, 0, 2)
    changed = run(
        csv_bytes([row(1, nama_lengkap="Dewi Lestari Putri", telepon="", email="")]), alice
    )
    assert (changed.created_rows, changed.updated_rows) == (0, 1)
    first.refresh_from_db()
    assert first.full_name == "Dewi Lestari Putri"
    assert first.phone == "+6281234567890"  # a blank cell keeps the recorded value
    assert first.email == "dewi1@example.org"
    assert first.version == 2
    assert Person.objects.count() == 2
    update = AuditEvent.objects.get(
        action="update", object_type="people.person", object_id=str(first.pk)
    )
    assert update.changed_fields == ["full_name"]
    assert list(filter_people(Person.objects.all(), {"q": "putri"})) == [first]


def test_reimport_keeps_an_explained_nik_difference(alice, gambir):
    """A record whose birth date differs from the NIK, explained by an officer, can be
    re-imported unchanged (the file has no column for the reason)."""
    person = register(serial=1, born=date(1990, 1, 1))
    Person.objects.filter(pk=person.pk).update(
        birth_date=date(1991, 1, 1), nik_mismatch_reason="Akta kelahiran: 1991"
    )
    job = run(csv_bytes([row(1, nama_lengkap=person.full_name, tanggal_lahir="1991-01-01")]), alice)
    assert (job.error_rows, job.valid_rows) == (0, 1), errors_of(job)
    person.refresh_from_db()
    assert person.nik_mismatch_reason == "Akta kelahiran: 1991"


def test_export_then_import_changes_nothing(alice, bob):
    register(serial=1, full_name="=HYPERLINK(1)")
    register(serial=2)
    client = verified_client(bob)  # a supervisor's export holds the full NIKs
    exported = b"".join(client.get("/api/v1/people/export.csv").streaming_content)
    assert b"'=HYPERLINK(1)" in exported  # neutralised in the file
    job = run(exported, alice)
    assert (job.error_rows, job.created_rows, job.unchanged_rows) == (0, 0, 2), errors_of(job)


def test_a_failed_batch_resumes_where_it_stopped(alice, gambir, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_SIZE", 2)
    real = imports._commit_batch
    calls = {"n": 0}

    def flaky(job, actor, results):
        calls["n"] += 1
        if calls["n"] == 2:
            raise DatabaseError("disk full")
        return real(job, actor, results)

    monkeypatch.setattr(imports, "_commit_batch", flaky)
    content = csv_bytes([row(i) for i in range(1, 6)])
    job = run(content, alice)
    assert job.state == ImportJob.State.FAILED
    assert job.message == "Impor berhenti karena kesalahan (sudah dicatat); lanjutkan impornya."
    assert (job.created_rows, job.next_row) == (2, 4)  # rows 2 and 3 landed
    assert Person.objects.count() == 2
    assert job.resumable
    imports.import_commit_start(actor=alice, job=job, enqueue=False)
    job = imports.import_commit(job.pk)
    assert job.state == ImportJob.State.DONE
    assert (job.created_rows, job.total_rows) == (5, 5)
    assert Person.objects.count() == 5


def test_a_checked_job_cannot_be_committed_twice(alice, gambir):
    job = run(csv_bytes([row(1)]), alice)
    with pytest.raises(imports.ValidationError):
        imports.import_commit_start(actor=alice, job=job, enqueue=False)


def test_xlsx_with_dates_and_numbers(alice, gambir):
    book = Workbook()
    sheet = book.active
    sheet.append(list(imports.COLUMNS))
    good = row(1)
    sheet.append(
        [
            good["nik"],
            good["nama_lengkap"],
            "P",
            datetime(1990, 1, 1),  # noqa: DTZ001 - a real Excel date has no time zone
            "Jakarta",
            "",
            "31.71.01.1001",
            81234567890,  # a phone typed as a number loses its leading 0
            "",
            "s1",
        ]
    )
    sheet.append([int(nik_for(serial=2)), "Dewi 2", "P", "1990-01-01"] + [""] * 6)
    out = io.BytesIO()
    book.save(out)
    job = run(out.getvalue(), alice)
    assert job.file_format == "xlsx"
    assert job.created_rows == 1
    dewi = Person.objects.get()
    assert (dewi.birth_date, dewi.phone, dewi.education_level) == (
        date(1990, 1, 1),
        "+6281234567890",
        "s1",
    )
    ((number, column, message),) = errors_of(job)
    assert (number, column) == (3, "nik")
    assert "Text" in message or "Teks" in message


# -- the command line -----------------------------------------------------------------


def test_command_dry_run_writes_the_error_report_and_fails(tmp_path, gambir):
    source = tmp_path / "pmi.csv"
    source.write_bytes(csv_bytes([row(1), row(2, jenis_kelamin="X")]))
    report = tmp_path / "errors.csv"
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_people", str(source), "--dry-run", "--errors", str(report))
    assert exit_info.value.code == 1
    assert "jenis_kelamin" in report.read_text(encoding="utf-8-sig")
    assert not Person.objects.exists()


def test_command_imports_and_succeeds(tmp_path, gambir, alice):
    source = tmp_path / "pmi.csv"
    source.write_bytes(csv_bytes([row(1), row(2)]))
    out = io.StringIO()
    call_command("import_people", str(source), "--user", alice.email, stdout=out)
    assert "2 created" in out.getvalue()
    assert Person.objects.filter(created_by=alice).count() == 2
    call_command("import_people", str(source), stdout=out)  # again: nothing changes
    assert "2 unchanged" in out.getvalue()


# -- pages, API, permissions ----------------------------------------------------------


def test_wizard_pages_end_to_end(alice, gambir, django_capture_on_commit_callbacks):
    client = verified_client(alice)
    assert client.get(reverse("people:import")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("people:import"),
            {"file": SimpleUploadedFile("pmi.csv", csv_bytes([row(1), row(2, jenis_kelamin="")]))},
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("people:import_detail", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert "Impor 1 baris valid" in page
    assert "jenis_kelamin" in page
    from garda.tests.markup import assert_stacked_tables, summary_sections

    assert summary_sections(page)[""] == {
        "Baris": "2",
        "Valid": "1 (1 baru)",
        "Dengan kesalahan": "1",
    }
    (errors,) = assert_stacked_tables(page)
    assert dict(errors.rows[0])["Kolom"] == "jenis_kelamin"
    home = client.get(reverse("people:import")).content.decode()
    (imports,) = assert_stacked_tables(home)
    assert dict(imports.rows[0])["Baris"] == "2 baris: 1 valid, 1 mengandung kesalahan"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("people:import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert (job.state, job.created_rows) == (ImportJob.State.DONE, 1)
    partial = client.get(
        reverse("people:import_detail", args=[job.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert partial.startswith('<section id="import-status"')
    assert "hx-trigger" not in partial  # done: no more polling


def test_api_upload_check_commit(alice, gambir, django_capture_on_commit_callbacks):
    client = verified_client(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/imports",
            {"file": SimpleUploadedFile("pmi.csv", csv_bytes([row(1), row(2, telepon="1")]))},
            headers={"Accept-Language": "en"},
        )
    assert response.status_code == 202
    job_id = response.json()["id"]
    body = client.get(f"/api/v1/imports/{job_id}").json()
    assert (body["state"], body["valid_rows"], body["error_rows"]) == ("checked", 1, 1)
    errors = client.get(f"/api/v1/imports/{job_id}/errors").json()
    assert errors["count"] == 1
    assert errors["items"][0] == {
        "row": 3,
        "column": "telepon",
        "message": "This is not a valid phone number.",  # the uploader's language
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/api/v1/imports/{job_id}/commit").status_code == 202
    assert client.get(f"/api/v1/imports/{job_id}").json()["created_rows"] == 1
    again = client.post(f"/api/v1/imports/{job_id}/commit")
    assert again.status_code == 422


def test_who_sees_which_import(alice, bob, carol, admin_user, wati, teguh, gambir):
    job = run(csv_bytes([row(1)]), alice, commit=False)
    url = reverse("people:import_detail", args=[job.pk])
    assert verified_client(bob).get(url).status_code == 200  # supervisor, same agency
    assert verified_client(admin_user).get(url).status_code == 200
    assert verified_client(carol).get(url).status_code == 404  # another agency's officer
    assert verified_client(carol).get(f"/api/v1/imports/{job.pk}").status_code == 404
    assert verified_client(carol).post(f"/api/v1/imports/{job.pk}/commit").status_code == 404
    assert verified_client(carol).get("/api/v1/imports").json()["count"] == 0
    assert verified_client(wati).get(url).status_code == 403
    assert verified_client(teguh).get("/api/v1/imports").status_code == 403
    job.refresh_from_db()
    assert job.state == ImportJob.State.CHECKED
    assert AuditEvent.objects.filter(action="denied", actor=wati).exists()


def test_upload_stays_encrypted_on_disk(alice, gambir):
    content = csv_bytes([row(1)])
    job = imports.import_start(
        actor=alice, file_name="../../etc/pmi.csv", content=content, enqueue=False
    )
    stored = (imports.import_dir() / job.stored_name).read_bytes()
    assert row(1)["nik"].encode() not in stored
    assert job.file_name == "pmi.csv"  # no path from the client
    assert len(job.stored_name) == 32


def test_control_characters_in_the_file_name_are_dropped(alice, gambir):
    job = imports.import_start(
        actor=alice, file_name="pm\x00i\n.csv", content=csv_bytes([row(1)]), enqueue=False
    )
    job.refresh_from_db()
    assert job.file_name == "pmi.csv"


def test_xlsx_uploads_through_the_page_and_the_api(
    alice, gambir, django_capture_on_commit_callbacks
):
    book = Workbook()
    book.active.append(list(imports.COLUMNS))
    book.active.append([row(1)[c] for c in imports.COLUMNS])
    out = io.BytesIO()
    book.save(out)
    client = verified_client(alice)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            reverse("people:import"), {"file": SimpleUploadedFile("pmi.xlsx", out.getvalue())}
        )
        api = client.post(
            "/api/v1/imports", {"file": SimpleUploadedFile("pmi.xlsx", out.getvalue())}
        )
    assert page.status_code == 302 and api.status_code == 202
    jobs = ImportJob.objects.order_by("id")
    assert [(j.file_format, j.state, j.valid_rows) for j in jobs] == [
        ("xlsx", "checked", 1),
        ("xlsx", "checked", 1),
    ]
