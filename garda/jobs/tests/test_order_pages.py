"""The job order pages (docs/jobs.md): the list, writing and changing an order, one
order with its checks and history, and its moves through the pages. Personas: rina
(recruiter of PT Rina Sejahtera), alice (officer), bob (supervisor), the admin."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.jobs import access
from garda.jobs.models import JobOrder, JobOrderEvent
from garda.jobs.services.orders import order_submit, order_update
from garda.jobs.tests.factories import (
    make_agency,
    make_employer,
    make_order,
    make_recruiter,
    order_data,
    verified_order,
)
from garda.tests.markup import tables

pytestmark = pytest.mark.django_db

S = JobOrder.Status


def url(name, order=None) -> str:
    return reverse(f"jobs:{name}", args=[order.pk] if order is not None else [])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def denied(user, **filters) -> bool:
    return AuditEvent.objects.filter(actor=user, action="denied", **filters).exists()


def form_data(**overrides) -> dict:
    """What a person types into the order form: a sound domestic-helper order."""
    data = {
        "number": "DL-2026-007",
        "destination": "HK",
        "city": "Hong Kong",
        "scheme": "p2p",
        "sector": "domestic",
        "occupation_code": "9111",
        "occupation_title": "Pengurus rumah tangga",
        "positions": "5",
        "positions_female": "5",
        "positions_male": "0",
        "closing_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "wage_amount": "5200",
        "wage_currency": "hkd",
        "wage_period": "month",
        "hours_per_day": "8",
        "days_per_week": "6",
        "rest_days_per_month": "4",
        "leave_days_per_year": "12",
        "contract_months": "24",
        "food": "provided",
        "lodging": "provided",
        "insurance": "BPJS Ketenagakerjaan",
        "ticket_paid_by": "employer",
        "min_age": "21",
        "max_age": "45",
        "cost_0_item": "",
        "cost_0_amount": "",
        "cost_0_currency": "IDR",
    }
    data.update(overrides)
    return data


@pytest.fixture
def other_company():
    agency = make_agency("PT Lain Jaya", "KEP.LAIN/2025")
    return make_recruiter(agency, "lain@lain.example", full_name="Lain")


# --- writing --------------------------------------------------------------------------


def test_recruiter_writes_a_draft_for_their_own_company(rina):
    client = verified_client(rina)
    page = client.get(url("order_create"))
    assert page.status_code == 200
    html = page.content.decode()
    for heading in (
        "Pekerjaan",
        "Pemberi kerja",
        "Upah dan waktu kerja",
        "Fasilitas",
        "Biaya yang dibebankan kepada pekerja",
        "Persyaratan",
        "Pengesahan",
    ):
        assert heading in html
    assert 'name="agency"' not in html  # a recruiter never chooses the company
    assert 'name="cost_4_item"' in html and 'name="cost_5_item"' not in html
    response = client.post(
        url("order_create"),
        form_data(cost_0_item="Pemeriksaan kesehatan", cost_0_amount="750000"),
        follow=True,
    )
    order = JobOrder.objects.get()
    assert response.redirect_chain[-1][0] == url("order_detail", order)
    assert order.status == S.DRAFT
    assert order.agency.name == "PT Rina Sejahtera"
    assert order.wage_currency == "HKD"
    [cost] = order.worker_costs
    assert cost["item"] == "Pemeriksaan kesehatan" and cost["currency"] == "IDR"
    assert Decimal(cost["amount"]) == 750000
    assert "IDR 750.000" in client.get(url("order_detail", order)).content.decode()
    assert any("disimpan sebagai draf" in m for m in messages_of(response))
    assert order.events.count() == 1


def test_officer_chooses_the_company(alice):
    agency = make_agency()
    client = verified_client(alice)
    assert 'name="agency"' in client.get(url("order_create")).content.decode()
    response = client.post(url("order_create"), form_data())
    assert response.status_code == 400
    assert "Pilih perusahaan penempatan (P3MI) pemegang job order ini." in response.content.decode()
    assert not JobOrder.objects.exists()
    response = client.post(url("order_create"), form_data(agency=str(agency.pk)))
    assert response.status_code == 302
    assert JobOrder.objects.get().agency == agency


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("wage_amount", "-100", "Upah harus lebih dari nol."),
        (
            "closing_date",
            (timezone.localdate() - timedelta(days=1)).isoformat(),
            "Tanggal penutupan sudah lewat.",
        ),
        ("occupation_code", "91a1", "Pilih jabatan dari daftar."),
        ("positions_female", "9", "Jumlah lowongan untuk perempuan dan laki-laki melebihi"),
    ],
)
def test_bad_input_is_said_in_indonesian_beside_the_field_and_writes_nothing(
    rina, field, value, message
):
    client = verified_client(rina)
    before = AuditEvent.objects.count()
    response = client.post(url("order_create"), form_data(**{field: value}))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'class="error" id="id_' in html  # beside a field, not only at the top
    assert not JobOrder.objects.exists()
    assert not AuditEvent.objects.filter(id__gt=before, action="create").exists()


def test_a_bad_cost_row_is_shown_in_the_costs_and_writes_nothing(rina):
    client = verified_client(rina)
    response = client.post(
        url("order_create"), form_data(cost_1_item="Pelatihan", cost_1_currency="RUPIAH")
    )
    assert response.status_code == 400
    assert "Pastikan" in response.content.decode() or "tiga huruf" in response.content.decode()
    response = client.post(url("order_create"), form_data(cost_1_amount="500"))
    assert response.status_code == 400
    assert "Biaya 1 belum diberi nama." in response.content.decode()
    assert not JobOrder.objects.exists()


def test_supervisor_may_not_write_an_order(bob):
    client = verified_client(bob)
    assert client.get(url("order_create")).status_code == 403
    assert denied(bob, reason="GET jobs:order_create")
    assert client.post(url("order_create"), form_data()).status_code == 403
    assert not JobOrder.objects.exists()


# --- the moves ------------------------------------------------------------------------


def test_draft_to_submitted_to_verified_through_the_pages(rina, alice):
    order = make_order(rina)
    writer, officer = verified_client(rina), verified_client(alice)
    page = writer.get(url("order_detail", order)).content.decode()
    assert url("order_submit", order) in page
    assert url("order_verify", order) not in page  # a recruiter does not verify
    response = writer.post(url("order_submit", order), {"version": order.version}, follow=True)
    order.refresh_from_db()
    assert order.status == S.SUBMITTED and order.submitted_at
    assert any("diajukan untuk verifikasi" in m for m in messages_of(response))
    assert "Menunggu verifikasi" in response.content.decode()
    assert not access.vacancies().filter(pk=order.pk).exists()

    page = officer.get(url("order_detail", order)).content.decode()
    assert url("order_verify", order) in page and url("order_reject", order) in page
    response = officer.post(url("order_verify", order), follow=True)
    order.refresh_from_db()
    assert order.status == S.VERIFIED and order.verified_by == alice
    assert any("ditayangkan" in m for m in messages_of(response))
    html = response.content.decode()
    assert "Terverifikasi (tayang)" in html
    assert access.vacancies().filter(pk=order.pk).exists()
    # The history: who, when, from -> to.
    history = next(t for t in tables(html) if "Riwayat" in t.caption)
    texts = [" ".join(text for _, text in row) for row in history.rows]
    assert any("Menunggu verifikasi → Terverifikasi (tayang)" in t and "Alice" in t for t in texts)
    assert any("Draf → Menunggu verifikasi" in t and "Rina" in t for t in texts)


def test_reject_needs_a_reason_and_the_fixed_order_is_sent_again(rina, alice):
    order = order_submit(actor=rina, order=make_order(rina))
    officer = verified_client(alice)
    response = officer.post(url("order_reject", order), {"reason": "  "})
    assert response.status_code == 400
    assert 'id="reject-reason_error"' in response.content.decode()
    order.refresh_from_db()
    assert order.status == S.SUBMITTED
    response = officer.post(
        url("order_reject", order), {"reason": "Upah lembur tidak jelas"}, follow=True
    )
    order.refresh_from_db()
    assert order.status == S.REJECTED and order.status_reason == "Upah lembur tidak jelas"
    assert "Upah lembur tidak jelas" in response.content.decode()
    writer = verified_client(rina)
    assert url("order_submit", order) in writer.get(url("order_detail", order)).content.decode()
    writer.post(url("order_submit", order))
    order.refresh_from_db()
    assert order.status == S.SUBMITTED


def test_a_skipped_step_is_refused_with_a_message(rina, alice):
    order = make_order(rina)
    before = order.version
    response = verified_client(alice).post(url("order_verify", order), follow=True)
    order.refresh_from_db()
    assert order.status == S.DRAFT and order.version == before
    assert "Job order yang berstatus draf tidak dapat diverifikasi." in messages_of(response)
    # Closing a draft: the same.
    response = verified_client(rina).post(url("order_close", order), follow=True)
    order.refresh_from_db()
    assert order.status == S.DRAFT
    assert any("tidak dapat ditutup" in m for m in messages_of(response))


def test_a_failed_check_blocks_verification(rina, alice):
    order = order_submit(actor=rina, order=make_order(rina, wage_amount=Decimal("4000")))
    response = verified_client(alice).post(url("order_verify", order))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Job order tidak dapat ditayangkan: ada pemeriksaan yang gagal." in html
    order.refresh_from_db()
    assert order.status == S.SUBMITTED and order.verified_at is None
    assert any(c["code"] == "wage_floor" and c["result"] == "fail" for c in order.checks)
    assert not access.vacancies().filter(pk=order.pk).exists()
    assert not order.events.filter(to_status=S.VERIFIED).exists()


def test_a_warning_needs_the_officers_reason(rina, alice):
    order = order_submit(actor=rina, order=make_order(rina, hours_per_day=10))
    assert any(c["result"] == "warn" for c in order.checks)
    officer = verified_client(alice)
    page = officer.get(url("order_detail", order)).content.decode()
    assert 'name="reason_contract_terms"' in page
    response = officer.post(url("order_verify", order))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_reason_contract_terms_error"' in html
    assert "Jelaskan mengapa setiap peringatan dapat diterima" in html
    order.refresh_from_db()
    assert order.status == S.SUBMITTED
    response = officer.post(
        url("order_verify", order),
        {"reason_contract_terms": "Majikan memberi istirahat siang 2 jam"},
        follow=True,
    )
    order.refresh_from_db()
    assert order.status == S.VERIFIED
    assert order.accepted_warnings == {"contract_terms": "Majikan memberi istirahat siang 2 jam"}
    assert "Majikan memberi istirahat siang 2 jam" in response.content.decode()


def test_close_and_cancel(rina, alice):
    order = verified_order(rina, alice)
    writer = verified_client(rina)
    writer.post(url("order_close", order), {"reason": "Sudah terisi"})
    order.refresh_from_db()
    assert order.status == S.CLOSED
    assert not access.vacancies().filter(pk=order.pk).exists()
    draft = make_order(rina)
    response = writer.post(url("order_cancel", draft), {"reason": ""})
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    writer.post(url("order_cancel", draft), {"reason": "Majikan membatalkan"})
    draft.refresh_from_db()
    assert draft.status == S.CANCELLED
    # Nothing more to do with a cancelled order.
    page = writer.get(url("order_detail", draft)).content.decode()
    assert url("order_edit", draft) not in page and url("order_submit", draft) not in page


@pytest.mark.parametrize("name", ["submit", "verify", "reject", "close", "cancel"])
def test_the_moves_answer_only_post(rina, alice, name):
    order = make_order(rina)
    assert verified_client(alice).get(url(f"order_{name}", order)).status_code == 405


# --- who sees what --------------------------------------------------------------------


def test_another_companys_order_is_not_there_for_a_recruiter(rina, other_company):
    theirs = make_order(other_company)
    mine = make_order(rina)
    client = verified_client(rina)
    for name in ("order_detail", "order_edit"):
        assert client.get(url(name, theirs)).status_code == 404
    assert client.post(url("order_submit", theirs)).status_code == 404
    assert client.post(url("order_cancel", theirs), {"reason": "x"}).status_code == 404
    assert denied(rina, object_id=str(theirs.pk))
    theirs.refresh_from_db()
    assert theirs.status == S.DRAFT
    html = client.get(url("order_list")).content.decode()
    assert mine.reference in html and theirs.reference not in html
    searched = client.get(url("order_list"), {"q": theirs.reference}).content.decode()
    assert not tables(searched)
    assert "Tidak ada job order yang cocok dengan filter ini." in searched


def test_supervisor_reads_but_does_not_verify(rina, bob):
    order = order_submit(actor=rina, order=make_order(rina))
    client = verified_client(bob)
    page = client.get(url("order_detail", order))
    assert page.status_code == 200
    assert url("order_verify", order) not in page.content.decode()
    assert client.post(url("order_verify", order)).status_code == 403
    assert denied(bob, reason="POST jobs:order_verify")
    assert client.post(url("order_reject", order), {"reason": "x"}).status_code == 403
    order.refresh_from_db()
    assert order.status == S.SUBMITTED


def test_other_roles_get_403_on_the_list(personas):
    for role in ("worker", "trainer", "partner"):
        user = personas[role]
        assert verified_client(user).get(url("order_list")).status_code == 403
        assert denied(user, reason="GET jobs:order_list")


# --- the list -------------------------------------------------------------------------


def test_officers_see_the_orders_waiting_first_and_can_filter(rina, alice, other_company):
    draft = make_order(rina)
    waiting = order_submit(actor=other_company, order=make_order(other_company))
    client = verified_client(alice)
    response = client.get(url("order_list"))
    html = response.content.decode()
    assert waiting.reference in html and draft.reference not in html
    listed = tables(html)[0]
    assert listed.stacks
    row = " ".join(text for _, text in listed.rows[0])
    assert "PT Lain Jaya" in row and "Menunggu verifikasi" in row and "Hong Kong" in row
    html = client.get(url("order_list"), {"status": "all"}).content.decode()
    assert draft.reference in html and waiting.reference in html
    html = client.get(url("order_list"), {"status": "all", "q": "lain jaya"}).content.decode()
    assert waiting.reference in html and draft.reference not in html


def test_the_list_counts_failed_checks_without_a_query_per_row(
    rina, alice, django_assert_max_num_queries
):
    for n in range(3):
        make_order(rina, wage_amount=Decimal("4000"), number=f"DL-{n}")
    client = verified_client(alice)
    with django_assert_max_num_queries(20) as few:
        html = client.get(url("order_list"), {"status": "all"}).content.decode()
    assert "1 gagal" in html
    for n in range(3, 12):
        make_order(rina, number=f"DL-{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("order_list"), {"status": "all"})


# --- editing --------------------------------------------------------------------------


def test_editing_a_verified_order_sends_it_back(rina, alice):
    order = verified_order(rina, alice)
    assert access.vacancies().filter(pk=order.pk).exists()
    client = verified_client(rina)
    page = client.get(url("order_edit", order))
    assert "Job order ini sedang tayang" in page.content.decode()
    response = client.post(
        url("order_edit", order),
        form_data(wage_amount="5300", version=str(order.version)),
        follow=True,
    )
    order.refresh_from_db()
    assert order.status == S.SUBMITTED and order.wage_amount == Decimal("5300")
    assert not access.vacancies().filter(pk=order.pk).exists()
    assert any("diturunkan dari papan lowongan" in m for m in messages_of(response))
    assert JobOrderEvent.objects.filter(
        order=order, from_status=S.VERIFIED, to_status=S.SUBMITTED
    ).exists()


def test_edit_keeps_what_was_there(rina):
    order = make_order(
        rina,
        worker_costs=[{"item": "Medical", "amount": "500000", "currency": "IDR"}],
        employer=make_employer(created_by=rina),
    )
    html = verified_client(rina).get(url("order_edit", order)).content.decode()
    assert 'value="Medical"' in html and 'value="500000"' in html and 'value="5200.00"' in html
    assert f'name="version" value="{order.version}"' in html


def test_a_version_conflict_writes_nothing(rina, alice):
    order = make_order(rina)
    stale = order.version
    order_update(actor=alice, order=order, data=order_data(city="Kowloon", agency=order.agency))
    response = verified_client(rina).post(
        url("order_edit", order), form_data(city="Sha Tin", version=str(stale))
    )
    assert response.status_code == 409
    assert "Orang lain telah mengubah job order ini" in response.content.decode()
    order.refresh_from_db()
    assert order.city == "Kowloon"


def test_a_bad_edit_writes_nothing(rina):
    order = make_order(rina)
    response = verified_client(rina).post(
        url("order_edit", order), form_data(wage_amount="0", version=str(order.version))
    )
    assert response.status_code == 400
    assert "Upah harus lebih dari nol." in response.content.decode()
    order.refresh_from_db()
    assert order.wage_amount == Decimal("5200")


def test_a_stale_move_is_refused_and_writes_nothing(rina, alice):
    order = make_order(rina)
    stale = order.version
    order_update(actor=alice, order=order, data=order_data(city="Kowloon", agency=order.agency))
    response = verified_client(rina).post(
        url("order_submit", order), {"version": str(stale)}, follow=True
    )
    order.refresh_from_db()
    assert order.status == S.DRAFT
    assert any("Orang lain telah mengubah job order ini" in m for m in messages_of(response))


def test_an_occupation_outside_the_list_stays_editable(rina):
    order = make_order(rina, occupation_code="7231", occupation_title="Mekanik mobil")
    client = verified_client(rina)
    assert 'value="7231" selected' in client.get(url("order_edit", order)).content.decode()
    response = client.post(
        url("order_edit", order),
        form_data(
            occupation_code="7231", occupation_title="Mekanik mobil", version=str(order.version)
        ),
    )
    assert response.status_code == 302


def test_the_order_page_has_a_bounded_number_of_queries(rina, alice, django_assert_max_num_queries):
    order = order_submit(actor=rina, order=make_order(rina, employer=make_employer()))
    client = verified_client(alice)
    with django_assert_max_num_queries(25):
        response = client.get(url("order_detail", order))
    assert response.status_code == 200
    for table in tables(response.content.decode()):
        assert table.stacks and not table.unlabelled_cells()
