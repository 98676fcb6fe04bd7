"""`POST /api/v1/reports` and `GET /api/v1/reports/{reference}`: the public report
and its tracking for other systems, with the page's rules, audit rows and budgets
(garda/cases/api/reports.py)."""

import pytest
from django.core.cache import caches
from django.test import Client

import garda.settings as production
from garda.audit.models import AuditEvent
from garda.cases import throttles
from garda.cases.access import case_by_tracking
from garda.cases.models import Case, Channel, Screening, Severity
from garda.cases.services.handling import case_assign, case_move
from garda.cases.services.record import message_add, note_add
from garda.cases.tests.factories import open_case
from garda.people.tests.factories import nik_for
from garda.places.models import Country

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports"


@pytest.fixture(autouse=True)
def _fresh_budgets():
    caches[throttles.CACHE_ALIAS].clear()
    yield
    caches[throttles.CACHE_ALIAS].clear()


@pytest.fixture
def malaysia(db):
    return Country.objects.create(
        code="MY", alpha3="MYS", numeric="458", name_id="Malaysia", name_en="Malaysia"
    )


def payload(**overrides) -> dict:
    data = {
        "reporter_name": "Sri Wahyuni",
        "reporter_phone": "+6281234567001",
        "relationship": "parent",
        "person_name": "Siti Aminah",
        "kinds": ["wages"],
        "description": "Gaji anak saya belum dibayar tiga bulan.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def post(data, client=None, **extra):
    return (client or Client()).post(URL, data, content_type="application/json", **extra)


def get(reference, secret=None, client=None):
    query = {} if secret is None else {"secret": secret}
    return (client or Client()).get(f"{URL}/{reference}", query)


def fields_of(response) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


# --- reporting ------------------------------------------------------------------------


def test_a_report_answers_201_with_the_number_and_the_secret(malaysia):
    response = post(
        payload(
            person_nik=nik_for(serial=3),
            country="MY",
            person_birth_date="1990-01-01",
            city="Johor Bahru",
            employer_abroad="Tan Sdn Bhd",
            phone_abroad="+60123456789",
            last_contact_on="2026-11-30",
            answers={"documents": "held", "deception": "different", "hours": "unknown"},
        )
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"reference", "tracking_secret"}
    case = Case.objects.get()
    assert body["reference"] == case.reference
    assert case_by_tracking(case.reference, body["tracking_secret"]) == case
    assert case.channel == Channel.PUBLIC and case.reporter_user is None
    assert case.country_id == "MY" and case.employer_abroad == "Tan Sdn Bhd"
    assert str(case.subject_birth_date) == "1990-01-01"
    # Involuntariness (deception) and coercion (documents held): signs of forced labour.
    assert case.severity == Severity.HIGH and case.task_force
    assert Screening.objects.get(case=case).answers == {
        "documents": "held",
        "deception": "different",
    }
    row = AuditEvent.objects.get(action="create", object_type="cases.case")
    assert row.actor is None and row.object_id == str(case.pk)


def test_the_api_ignores_a_session_and_always_gives_a_secret(wati):
    client = Client()
    client.force_login(wati)
    response = post(payload(), client)
    assert response.status_code == 201 and response.json()["tracking_secret"]
    assert Case.objects.get().reporter_user is None


@pytest.mark.parametrize(
    "overrides,field,words",
    [
        ({"person_nik": "3171"}, "person_nik", "NIK ini tidak valid"),
        ({"kinds": []}, "kinds", "Pilih setidaknya satu jenis masalah"),
        ({"kinds": ["wages", "ghosts"]}, "kinds", "“ghosts” tidak ada di daftar"),
        ({"country": "XX"}, "country", "kode dua hurufnya"),
        ({"answers": {"favourite_colour": "blue"}}, "answers", "favourite_colour"),
        ({"answers": {"documents": "stolen"}}, "answers", "documents"),
        ({"relationship": "boss"}, "relationship", "pilihan yang valid"),
        ({"person_birth_date": "2999-01-01"}, "person_birth_date", "masa depan"),
        ({"description": None}, "description", ""),  # missing
        ({"kinds": "wages"}, "kinds", ""),  # not a list
    ],
)
def test_invalid_reports_answer_422_and_write_nothing(overrides, field, words, malaysia):
    response = post(payload(**overrides))
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"] and field in fields_of(response)
    assert words in " ".join(e["message"] for e in body["errors"])
    assert not Case.objects.exists()
    assert not AuditEvent.objects.filter(object_type="cases.case").exists()


# --- tracking -------------------------------------------------------------------------


def _in_progress(case, officer):
    case = case_move(actor=officer, case=case, stage="triaged", reason="dicek")
    case = case_assign(actor=officer, case=case, officer=officer, reason="ambil")
    return case_move(actor=officer, case=case, stage="in_progress", reason="mulai")


def test_tracking_answers_the_stage_and_the_shared_messages_only(alice, wati):
    case, secret = open_case(
        person_nik=nik_for(serial=5), reporter_phone="+6281299990001", answers={"threats": "yes"}
    )
    case = _in_progress(case, alice)
    case.reporter_user = wati  # so that wati may send a message in
    case.save(update_fields=["reporter_user"])
    note_add(actor=alice, case=case, text="Kami sudah menghubungi KBRI.", shared=True)
    note_add(actor=alice, case=case, text="Catatan internal: majikan residivis.")
    message_add(actor=wati, case=case, text="Anak saya sudah bisa ditelepon.")
    response = get(case.reference, secret)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"reference", "stage", "messages"}
    assert body["reference"] == case.reference and body["stage"] == "in_progress"
    assert [(m["text"], m["from"]) for m in body["messages"]] == [
        ("Kami sudah menghubungi KBRI.", "officer"),
        ("Anak saya sudah bisa ditelepon.", "reporter"),
    ]
    assert all(set(m) == {"text", "at", "from"} for m in body["messages"])
    text = response.content.decode()
    for hidden in ("Catatan internal", alice.full_name, alice.email, wati.email, "+62812999"):
        assert hidden not in text, hidden
    assert nik_for(serial=5) not in text and "threats" not in text
    row = AuditEvent.objects.get(action="view", object_type="cases.case", reason="tracking")
    assert row.actor is None and row.object_id == str(case.pk)


def test_a_wrong_or_missing_secret_is_an_unknown_reference():
    case, secret = open_case()
    answers = [
        get(case.reference, secret + "x"),
        get(case.reference, ""),
        get(case.reference),
        get("KS-2026-999999", secret),
    ]
    assert [r.status_code for r in answers] == [404, 404, 404, 404]
    assert len({r.content for r in answers}) == 1
    assert secret not in answers[0].content.decode()
    assert not AuditEvent.objects.filter(action="view", object_type="cases.case").exists()


def test_tracking_reads_in_few_queries(alice, django_assert_max_num_queries):
    case, secret = open_case()
    case = _in_progress(case, alice)
    for i in range(5):
        note_add(actor=alice, case=case, text=f"Kabar {i}", shared=True)
    with django_assert_max_num_queries(7):  # as the page (test_public.py)
        response = get(case.reference, secret)
    assert len(response.json()["messages"]) == 5


# --- budgets per address --------------------------------------------------------------


def test_the_sixth_report_in_an_hour_answers_429(settings):
    settings.GARDA_REPORT_RATE = production.GARDA_REPORT_RATE
    client = Client()
    for _ in range(5):
        assert post(payload(), client).status_code == 201
    refused = post(payload(), client)
    assert refused.status_code == 429
    body = refused.json()
    assert body["errors"] == [] and "Terlalu banyak permintaan" in body["detail"]
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert Case.objects.count() == 5
    # The page shares the budget: the address is refused there too.
    page = client.post("/cases/report/", {**payload(), "kinds": "wages"})
    assert page.status_code == 429
    # Another address has its own budget.
    assert post(payload(), Client(REMOTE_ADDR="198.51.100.7")).status_code == 201


def test_invalid_reports_do_not_use_the_budget(settings):
    settings.GARDA_REPORT_RATE = "1/h"
    client = Client()
    assert post(payload(kinds=[]), client).status_code == 422
    assert post(payload(), client).status_code == 201
    assert post(payload(), client).status_code == 429


def test_every_tracking_try_counts_and_the_page_shares_the_budget(settings):
    settings.GARDA_TRACK_RATE = production.GARDA_TRACK_RATE
    case, secret = open_case()
    client = Client()
    for i in range(10):
        assert get(case.reference, f"guess{i}", client).status_code == 404
    for i in range(9):
        page = client.post("/cases/track/", {"reference": case.reference, "secret": f"x{i}"})
        assert page.status_code == 200
    assert get(case.reference, secret, client).status_code == 200  # the 20th
    refused = get(case.reference, secret, client)
    assert refused.status_code == 429 and "Terlalu banyak" in refused.json()["detail"]
    assert set(refused.json()) == {"detail", "errors"}
