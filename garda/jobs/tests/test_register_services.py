"""The licence register's services as the pages use them: the register file (created,
updated, unchanged, a status change dated, all or nothing with every error's line),
a decision on a licence taking the company's orders off the board, branches, staff
(removing one deactivates the account), and admins only.

`places()` makes the few regions and countries these tests need (the national lists
are not loaded in tests); the other test modules of this part import it."""

from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from garda.audit.models import AuditEvent
from garda.jobs.models import AgencyStatusChange, JobOrder, PlacementAgency
from garda.jobs.services import register as services
from garda.jobs.tests.factories import make_agency, make_recruiter, verified_order
from garda.places.models import Country, Region

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "p3mi-register-sample.csv"
REGIONS = {
    "31": ("DKI Jakarta", "province"),
    "31.71": ("Kota Administrasi Jakarta Pusat", "regency"),
    "31.72": ("Kota Administrasi Jakarta Utara", "regency"),
    "31.73": ("Kota Administrasi Jakarta Barat", "regency"),
    "31.74": ("Kota Administrasi Jakarta Selatan", "regency"),
    "31.75": ("Kota Administrasi Jakarta Timur", "regency"),
    "32.75": ("Kota Bekasi", "regency"),
}
COUNTRIES = {
    "HK": ("HKG", "344", "Hong Kong", "Hong Kong"),
    "TW": ("TWN", "158", "Taiwan", "Taiwan"),
    "KR": ("KOR", "410", "Korea Selatan", "South Korea"),
    "MY": ("MYS", "458", "Malaysia", "Malaysia"),
    "SG": ("SGP", "702", "Singapura", "Singapore"),
    "ID": ("IDN", "360", "Indonesia", "Indonesia"),
}


def places() -> None:
    for code, (name, level) in REGIONS.items():
        Region.objects.get_or_create(
            code=code,
            defaults={"name": name, "level": level, "first_edition": 2016, "last_edition": 2025},
        )
    for code, (alpha3, numeric, name_id, name_en) in COUNTRIES.items():
        Country.objects.get_or_create(
            code=code,
            defaults={"alpha3": alpha3, "numeric": numeric, "name_id": name_id, "name_en": name_en},
        )


HEADER = ",".join(services.COLUMNS)


def csv_text(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


@pytest.fixture(autouse=True)
def _places():
    places()


def test_the_sample_file_loads_and_loads_again_unchanged(admin_user):
    text = SAMPLE.read_text(encoding="utf-8")
    first = services.agencies_load(actor=admin_user, text=text)
    assert not first.errors
    assert (first.created, first.updated, first.unchanged) == (10, 0, 0)
    statuses = list(PlacementAgency.objects.values_list("status", flat=True))
    assert statuses.count("suspended") == 2 and statuses.count("revoked") == 1
    maju = PlacementAgency.objects.get(licence_number="KEP.101/2023")
    assert maju.head_office_region_id == "31.71"
    assert sorted(maju.branches.values_list("region_id", flat=True)) == ["31.75", "32.75"]
    again = services.agencies_load(actor=admin_user, text=text)
    assert (again.created, again.updated, again.unchanged, again.status_changes) == (0, 0, 10, 0)
    assert AgencyStatusChange.objects.count() == 10


def test_a_status_change_in_the_file_is_dated(admin_user):
    row = "KEP.1/2024,PT Satu,2024-01-01,2029-01-01,{status},{since},{reason},31.71,,,,"
    services.agencies_load(
        actor=admin_user, text=csv_text(row.format(status="active", since="2024-01-01", reason=""))
    )
    result = services.agencies_load(
        actor=admin_user,
        text=csv_text(row.format(status="suspended", since="2026-02-01", reason="Pengaduan")),
    )
    assert (result.updated, result.status_changes) == (1, 1)
    change = AgencyStatusChange.objects.filter(agency__licence_number="KEP.1/2024").first()
    assert (change.status, change.effective_on, change.reason) == (
        "suspended",
        date(2026, 2, 1),
        "Pengaduan",
    )


def test_a_file_with_errors_loads_nothing_and_names_each_line(admin_user):
    text = csv_text(
        "KEP.1/2024,PT Satu,2024-01-01,,active,,,31.71,,,,",
        ",PT Tanpa Nomor,,,active,,,,,,,",
        "KEP.3/2024,PT Tiga,1 Januari 2024,,active,,,,,,,",
        "KEP.4/2024,PT Empat,,,closed,,,,,,,",
        "KEP.5/2024,PT Lima,,,active,,,99.99,,,,",
    )
    result = services.agencies_load(actor=admin_user, text=text)
    messages = " ".join(str(e) for e in result.errors)
    for line in (3, 4, 5, 6):
        assert f"Baris {line}" in messages
    assert "Baris 2" not in messages
    assert not PlacementAgency.objects.exists()


def test_only_admins_keep_the_register(alice):
    with pytest.raises(PermissionDenied):
        services.agencies_load(actor=alice, text=csv_text())
    assert AuditEvent.objects.filter(actor=alice, action="denied").exists()


def test_suspending_a_company_takes_its_orders_off_the_board(admin_user, rina, alice):
    order = verified_order(rina, alice)
    agency = order.agency
    services.agency_status_change(
        actor=admin_user,
        agency=agency,
        status="suspended",
        effective_on=date(2026, 3, 1),
        reason="Tunda layanan",
        source="Kepmen 12/2026",
    )
    order.refresh_from_db()
    assert order.status != JobOrder.Status.VERIFIED
    with pytest.raises(ValidationError):
        services.agency_status_change(
            actor=admin_user, agency=agency, status="suspended", effective_on=None, reason="x"
        )


def test_removing_a_recruiter_deactivates_the_account(admin_user):
    agency = make_agency()
    user = make_recruiter(agency, email="budi@maju.example", full_name="Budi")
    services.recruiter_remove(actor=admin_user, link=user.recruiter)
    user.refresh_from_db()
    assert not user.is_active


def test_an_impossible_date_is_an_error_of_its_line(admin_user):
    result = services.agencies_load(
        actor=admin_user, text=csv_text("KEP.3/2024,PT Tiga,2024-13-01,,active,,,,,,,")
    )
    assert "Baris 2" in " ".join(str(e) for e in result.errors)
