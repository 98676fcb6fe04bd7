"""The licence register's pages (admins only): the list with status in words and
filters, a new company, one company (details, status history, branches, staff), a
decision on its licence, and the register file's upload. Bad input gets a message in
Indonesian and writes nothing; any other role gets 403 and a denied row."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.jobs.models import AgencyBranch, AgencyStatusChange, JobOrder, PlacementAgency
from garda.jobs.tests.factories import make_agency, make_recruiter, verified_order
from garda.jobs.tests.test_register_services import SAMPLE, csv_text, places
from garda.tests.markup import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _places():
    places()


@pytest.fixture
def admin(admin_user):
    return verified_client(admin_user)


def page_text(response) -> str:
    return visible_text(response.content.decode())


def denied(user) -> bool:
    return AuditEvent.objects.filter(actor=user, action="denied").exists()


def url(name, *args):
    return reverse(f"jobs:{name}", args=args)


def test_the_list_shows_status_in_words_and_filters(admin, django_assert_max_num_queries):
    for i in range(30):
        make_agency(f"PT Contoh {i:02}", f"KEP.{i}/2024")
    make_agency("PT Berhenti Dulu", "KEP.S/2024", status="suspended")
    make_agency("PT Kedaluwarsa", "KEP.E/2020", valid_until=date(2021, 1, 1), status="active")
    with django_assert_max_num_queries(12):
        response = admin.get(url("register_list"))
    assert response.status_code == 200
    text = page_text(response)
    assert "32 perusahaan" in text
    with django_assert_max_num_queries(12):
        response = admin.get(url("register_list"), {"status": "suspended"})
    text = page_text(response)
    assert "PT Berhenti Dulu" in text and "PT Contoh" not in text
    assert "Ditangguhkan" in text  # the status in words, not "suspended"
    text = page_text(admin.get(url("register_list"), {"q": "kedaluwarsa"}))
    assert "PT Kedaluwarsa" in text and "Kedaluwarsa" in text
    text = page_text(admin.get(url("register_list"), {"q": "KEP.E/2020"}))
    assert "PT Kedaluwarsa" in text and "PT Contoh" not in text


@pytest.mark.parametrize("who", ["alice", "bob", "rina"])
def test_other_roles_get_403_and_a_denied_row(who, request):
    user = request.getfixturevalue(who)
    agency = make_agency()
    client = verified_client(user)
    for name, args in (
        ("register_list", ()),
        ("agency_create", ()),
        ("register_load", ()),
        ("agency_manage", (agency.pk,)),
    ):
        assert client.get(url(name, *args)).status_code == 403
    response = client.post(
        url("agency_status", agency.pk),
        {"status": "revoked", "effective_on": "2026-01-01", "reason": "x"},
    )
    assert response.status_code == 403
    assert denied(user)
    assert PlacementAgency.objects.get(pk=agency.pk).status == "active"


def test_register_a_company(admin):
    response = admin.post(
        url("agency_create"),
        {
            "name": "PT Baru Jaya",
            "licence_number": "KEP.900/2026",
            "licence_issued_on": "2026-01-05",
            "head_office_region": "31.74",
        },
    )
    agency = PlacementAgency.objects.get(licence_number="KEP.900/2026")
    assert response.status_code == 302 and response.url == url("agency_manage", agency.pk)
    assert agency.head_office_region_id == "31.74"
    assert agency.licence_valid_until is not None  # counted by the licence rules
    assert AgencyStatusChange.objects.filter(agency=agency).count() == 1
    text = page_text(admin.get(response.url))
    assert "Kota Administrasi Jakarta Selatan" in text


def test_a_region_outside_dki_is_typed_and_named_back(admin):
    agency = make_agency()
    response = admin.post(
        url("agency_manage", agency.pk),
        {
            "name": agency.name,
            "licence_number": agency.licence_number,
            "head_office_region_code": "32.75",
        },
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.head_office_region_id == "32.75"
    text = page_text(admin.get(url("agency_manage", agency.pk)))
    assert "Kota Bekasi" in text


def test_bad_input_writes_nothing(admin):
    make_agency("PT Ada", "KEP.1/2024")
    response = admin.post(
        url("agency_create"),
        {"name": "PT Kembar", "licence_number": "KEP.1/2024", "head_office_region_code": "99.99"},
    )
    assert response.status_code == 400
    text = page_text(response)
    assert "Tidak ada wilayah dengan kode 99.99." in text
    response = admin.post(
        url("agency_create"), {"name": "PT Kembar", "licence_number": "KEP.1/2024"}
    )
    assert response.status_code == 400
    assert "Sudah ada perusahaan terdaftar dengan nomor izin ini." in page_text(response)
    response = admin.post(url("agency_create"), {"name": "", "licence_number": ""})
    assert response.status_code == 400
    assert PlacementAgency.objects.count() == 1


def test_suspend_with_date_reason_and_source(admin, rina, alice):
    order = verified_order(rina, alice)
    agency = order.agency
    response = admin.post(
        url("agency_status", agency.pk),
        {
            "status": "suspended",
            "effective_on": "2026-03-01",
            "reason": "Pengaduan biaya berlebih",
            "source": "Kepmen 5/2026",
        },
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert (agency.status, agency.status_since) == ("suspended", date(2026, 3, 1))
    row = AgencyStatusChange.objects.filter(agency=agency).order_by("-id").first()
    assert (row.reason, row.source) == ("Pengaduan biaya berlebih", "Kepmen 5/2026")
    order.refresh_from_db()
    assert order.status != JobOrder.Status.VERIFIED  # off the board
    text = page_text(admin.get(url("agency_manage", agency.pk)))
    assert "Kepmen 5/2026" in text and "Pengaduan biaya berlebih" in text


def test_a_status_without_reason_is_refused(admin):
    agency = make_agency()
    response = admin.post(
        url("agency_status", agency.pk),
        {"status": "revoked", "effective_on": "2026-03-01", "reason": ""},
    )
    assert response.status_code == 400
    agency.refresh_from_db()
    assert agency.status == "active"
    response = admin.post(
        url("agency_status", agency.pk),
        {"status": "active", "effective_on": "2026-03-01", "reason": "x"},
    )
    assert response.status_code == 400
    assert "Perusahaan ini sudah berstatus demikian." in page_text(response)


def test_branches_add_and_remove(admin):
    agency = make_agency()
    response = admin.post(url("branch_add", agency.pk), {"region": "31.75", "address": "Jl. A"})
    assert response.status_code == 302
    branch = AgencyBranch.objects.get(agency=agency)
    assert branch.region_id == "31.75"
    response = admin.post(url("branch_add", agency.pk), {"region": "31.75"})
    assert response.status_code == 400
    assert "sudah punya kantor cabang di wilayah ini" in page_text(response)
    response = admin.post(url("branch_add", agency.pk), {})
    assert response.status_code == 400
    assert AgencyBranch.objects.count() == 1
    assert admin.post(url("branch_remove", branch.pk)).status_code == 302
    assert not AgencyBranch.objects.exists()
    assert admin.post(url("branch_remove", branch.pk)).status_code == 404


def test_staff_add_and_remove(admin):
    agency = make_agency()
    response = admin.post(
        url("recruiter_add", agency.pk), {"full_name": "Budi Santoso", "email": "budi@maju.example"}
    )
    assert response.status_code == 302
    link = agency.staff.get()
    assert link.user.role == "recruiter" and link.user.full_name == "Budi Santoso"
    response = admin.post(
        url("recruiter_add", agency.pk), {"full_name": "", "email": "bukan-email"}
    )
    assert response.status_code == 400
    assert agency.staff.count() == 1
    assert admin.post(url("recruiter_remove", link.pk)).status_code == 302
    link.user.refresh_from_db()
    assert not link.user.is_active
    assert "Akun dinonaktifkan" in page_text(admin.get(url("agency_manage", agency.pk)))


def test_the_manage_page_does_not_grow_with_staff(admin, django_assert_max_num_queries):
    agency = make_agency()
    for i in range(5):
        make_recruiter(agency, email=f"r{i}@maju.example", full_name=f"R{i}")
        AgencyBranch.objects.create(
            agency=agency, region_id=["31.71", "31.72", "31.73", "31.74", "31.75"][i]
        )
    with django_assert_max_num_queries(16):
        assert admin.get(url("agency_manage", agency.pk)).status_code == 200


def test_upload_the_register_file(admin):
    upload = SimpleUploadedFile("register.csv", SAMPLE.read_bytes(), content_type="text/csv")
    response = admin.post(url("register_load"), {"file": upload})
    assert response.status_code == 200
    text = page_text(response)
    assert "10 perusahaan didaftarkan" in text
    upload = SimpleUploadedFile("register.csv", SAMPLE.read_bytes(), content_type="text/csv")
    text = page_text(admin.post(url("register_load"), {"file": upload}))
    assert "10 perusahaan tidak berubah" in text
    assert PlacementAgency.objects.count() == 10


def test_an_upload_with_errors_loads_nothing_and_lists_lines(admin):
    bad = csv_text(
        "KEP.1/2024,PT Satu,2024-01-01,,active,,,31.71,,,,",
        "KEP.2/2024,PT Dua,,,ditutup,,,,,,,",
        "KEP.3/2024,PT Tiga,,,active,,,31.99,,,,",
    )
    upload = SimpleUploadedFile("register.csv", bad.encode(), content_type="text/csv")
    response = admin.post(url("register_load"), {"file": upload})
    assert response.status_code == 400
    text = page_text(response)
    assert "Baris 3" in text and "Baris 4" in text
    assert "tidak ada yang dimuat" in text
    assert not PlacementAgency.objects.exists()
    response = admin.post(
        url("register_load"),
        {"file": SimpleUploadedFile("x.csv", b"nama\nPT A\n", content_type="text/csv")},
    )
    assert response.status_code == 400
    assert "licence_number" in page_text(response)
    response = admin.post(url("register_load"), {})
    assert response.status_code == 400
    assert "Pilih berkas." in page_text(response)
