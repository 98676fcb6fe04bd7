"""Exports of the filtered registry: CSV and XLSX write the same rows (export_rows),
masked, neutralised, audited, scoped. The CSV's own test is in test_api.py."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.people.export import HEADER, XLSX_CONTENT_TYPE
from garda.people.tests.factories import register

XLSX = "/api/v1/people/export.xlsx"
HYPERLINK = '=HYPERLINK("http://x.example/","klik")'


def sheet_rows(response) -> list[list]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def sheet(response):
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


@pytest.fixture
def siti(alice):
    """Registered by alice, who is therefore assigned to her."""
    return register(serial=1, actor=alice, full_name="Siti Aminah")


@pytest.fixture
def hacker(db):
    return register(serial=2, full_name=HYPERLINK)


@pytest.mark.django_db
def test_xlsx_masks_niks_of_persons_not_assigned_to_the_officer(alice, siti, hacker):
    response = verified_client(alice).get(XLSX, {"sort": "reference"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="garda-registri.xlsx"'
    header, *rows = sheet_rows(response)
    assert header == HEADER
    by_reference = {row[0]: row for row in rows}
    assert set(by_reference) == {siti.reference, hacker.reference}
    assert by_reference[siti.reference][1] == siti.nik  # alice accompanies siti
    assert by_reference[hacker.reference][1] == "****************"
    assert hacker.nik not in str(rows)


@pytest.mark.django_db
def test_xlsx_shows_niks_to_a_supervisor(bob, siti, hacker):
    _, *rows = sheet_rows(verified_client(bob).get(XLSX))
    assert {row[1] for row in rows} == {siti.nik, hacker.nik}


@pytest.mark.django_db
def test_xlsx_neutralises_formulas(admin_user, hacker):
    name = sheet(verified_client(admin_user).get(XLSX))["C2"]
    # A text cell starting with an apostrophe, never a formula.
    assert name.value == "'" + HYPERLINK
    assert name.data_type == "s"


@pytest.mark.django_db
def test_xlsx_survives_control_characters(bob):
    person = register(serial=3, full_name="Siti Aminah")
    # As an import could write it: XML forbids the character, openpyxl refuses it.
    type(person).objects.filter(pk=person.pk).update(address_line="Jl. Sirih\x01No. 1")
    _, row = sheet_rows(verified_client(bob).get(XLSX))
    assert row[6] == "Jl. Sirih\ufffdNo. 1"


@pytest.mark.django_db
def test_xlsx_export_is_audited_once(alice, siti, hacker):
    verified_client(alice).get(XLSX)
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.actor, event.object_type, event.reason) == (
        alice,
        "people.person",
        "xlsx, 2 rows",
    )


@pytest.mark.django_db
def test_xlsx_and_csv_hold_the_same_rows(alice, siti, hacker):
    client = verified_client(alice)
    text = b"".join(client.get("/api/v1/people/export.csv").streaming_content).decode("utf-8-sig")
    as_csv = list(csv.reader(io.StringIO(text)))
    as_xlsx = [[value or "" for value in row] for row in sheet_rows(client.get(XLSX))]
    assert as_xlsx == as_csv
    assert list(
        AuditEvent.objects.filter(action="export").order_by("id").values_list("reason", flat=True)
    ) == ["csv, 2 rows", "xlsx, 2 rows"]


@pytest.mark.django_db
def test_xlsx_holds_only_the_filtered_list(alice, siti, hacker):
    _, *rows = sheet_rows(verified_client(alice).get(XLSX, {"q": "aminah"}))
    assert [row[0] for row in rows] == [siti.reference]
    bad = verified_client(alice).get(XLSX, {"sort": "password"})
    assert bad.status_code == 422


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["wati", "teguh", "putri"])
def test_xlsx_is_refused_outside_the_registry_roles(request, persona, siti):
    """As the CSV: a worker has no registry to export (their record: /people/me/)."""
    user = request.getfixturevalue(persona)
    if persona == "wati":
        register(serial=4, user=user)
    response = verified_client(user).get(XLSX)
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
    assert AuditEvent.objects.filter(actor=user, action=AuditEvent.Action.DENIED).exists()


@pytest.mark.django_db
def test_xlsx_query_count_does_not_grow_with_rows(alice, siti):
    client = verified_client(alice)
    with CaptureQueriesContext(connection) as few:
        client.get(XLSX)
    for serial in range(10, 40):
        register(serial=serial)
    with CaptureQueriesContext(connection) as many:
        response = client.get(XLSX)
    assert len(sheet_rows(response)) == 32
    assert len(many) == len(few)


@pytest.mark.django_db
def test_the_list_page_links_both_exports_with_its_filters(alice, siti):
    client = verified_client(alice)
    page = client.get(reverse("people:list"), {"q": "siti"}).content.decode()
    assert f'href="{reverse("api:person_export")}?q=siti"' in page
    assert f'href="{reverse("api:person_export_xlsx")}?q=siti"' in page
    # Filtering with HTMX swaps the results, links included: they follow the filters.
    swapped = client.get(reverse("people:list"), {"q": "budi"}, headers={"HX-Request": "true"})
    assert f'href="{reverse("api:person_export_xlsx")}?q=budi"' in swapped.content.decode()
