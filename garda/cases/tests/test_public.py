"""The public side of protection cases: the report form without an account (and
with one), the honeypot, the confirmation that shows the secret once, the tracking
page's scope, the same answer for a wrong secret and an unknown number, the audit
rows and the per-address budgets (garda/cases/views/public.py)."""

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

import garda.settings as production
from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.cases import screening, throttles
from garda.cases.access import case_by_tracking
from garda.cases.models import Case, Channel, Screening, Severity, Stage
from garda.cases.services.handling import case_assign, case_move
from garda.cases.services.record import note_add
from garda.cases.tests.factories import open_case
from garda.people.tests.factories import nik_for
from garda.places.models import Country

pytestmark = pytest.mark.django_db

REPORT_URL = reverse("cases:report")
TRACK_URL = reverse("cases:track")


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


def form_data(**overrides) -> dict:
    data = {
        "reporter_name": "Sri Wahyuni",
        "reporter_phone": "+6281234567001",
        "relationship": "parent",
        "person_name": "Siti Aminah",
        "person_nik": "",
        "city": "Kuala Lumpur",
        "kinds": ["wages"],
        "description": "Gaji anak saya belum dibayar tiga bulan.",
        "website": "",
    }
    data.update(overrides)
    return data


def send(client=None, **overrides):
    return (client or Client()).post(REPORT_URL, form_data(**overrides))


def secret_of(response) -> str:
    return response.context["secret"]


def in_progress(case, officer):
    case = case_move(actor=officer, case=case, stage="triaged", reason="dicek")
    case = case_assign(actor=officer, case=case, officer=officer, reason="ambil")
    return case_move(actor=officer, case=case, stage="in_progress", reason="mulai")


def track(reference, secret, client=None):
    return (client or Client()).post(TRACK_URL, {"reference": reference, "secret": secret})


# --- the report form ------------------------------------------------------------------


def test_the_form_works_without_an_account_and_hides_the_honeypot():
    response = Client().get(REPORT_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="post" action="/cases/report/"' in html
    assert 'name="kinds"' in html and 'name="description"' in html
    assert '<option value="" selected>—</option>' in html  # no relationship preset
    # The screening is an optional part, folded away.
    assert '<details id="screening">' in html and 'name="q_documents"' in html
    # The honeypot: hidden from sight and screen readers, out of the tab order.
    honeypot = html[html.index('<div class="vh" aria-hidden="true">') :]
    honeypot = honeypot[: honeypot.index("</div>")]
    assert 'name="website"' in honeypot and 'tabindex="-1"' in honeypot
    assert "Kosongkan" in honeypot
    assert "no-store" in response["Cache-Control"]


def test_an_anonymous_report_opens_a_case_and_shows_its_secret_once(malaysia):
    response = send(country="MY", person_nik=nik_for(serial=7))
    assert response.status_code == 200  # the answer itself, never a redirect
    case = Case.objects.get()
    assert case.channel == Channel.PUBLIC and case.reporter_user is None
    assert case.country_id == "MY" and case.subject_name == "Siti Aminah"
    assert list(case.kinds.values_list("kind", flat=True)) == ["wages"]
    secret = secret_of(response)
    html = response.content.decode()
    assert case.reference in html and secret in html
    assert "Tulis" in html  # "write these down"
    assert reverse("cases:track") in html
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    assert case_by_tracking(case.reference, secret) == case
    # Audited as a CREATE by nobody (the public), without values.
    row = AuditEvent.objects.get(action="create", object_type="cases.case")
    assert row.actor is None and row.object_id == str(case.pk)
    assert row.ip == "127.0.0.1"
    assert secret not in str(row.changed_fields) + row.reason


def test_the_secret_is_never_shown_again():
    client = Client()
    secret = secret_of(send(client))
    case = Case.objects.get()
    for response in (
        client.get(TRACK_URL),
        client.get(REPORT_URL),
        track(case.reference, secret, client),
    ):
        assert response.status_code == 200
        assert secret not in response.content.decode()


def test_screening_answers_if_known_raise_the_severity():
    response = send(q_threats="yes", q_documents="held", q_movement="unknown")
    assert response.status_code == 200
    case = Case.objects.get()
    assert case.severity == Severity.CRITICAL and case.task_force
    # "Does not know" is no answer.
    assert Screening.objects.get(case=case).answers == {"threats": "yes", "documents": "held"}


def test_a_signed_in_worker_reports_as_themself_and_needs_no_secret(wati):
    client = Client()
    client.force_login(wati)
    assert wati.full_name in client.get(REPORT_URL).content.decode()  # name filled in
    response = send(client)
    assert response.status_code == 200
    case = Case.objects.get()
    assert case.reporter_user == wati and case.tracking_index == ""
    html = response.content.decode()
    assert case.reference in html and reverse("cases:mine") in html
    assert 'id="secret"' not in html
    assert AuditEvent.objects.get(action="create", object_type="cases.case").actor == wati


def test_a_signed_in_officer_on_the_public_form_gets_a_secret(alice):
    response = send(verified_client(alice))
    case = Case.objects.get()
    assert case.channel == Channel.PUBLIC and case.reporter_user is None
    assert case_by_tracking(case.reference, secret_of(response)) == case


def test_the_honeypot_answers_as_accepted_and_writes_nothing():
    response = send(website="http://spam.example")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="reference"' in html and 'id="secret"' in html
    assert response.context["reference"].startswith("KS-")
    assert not Case.objects.exists()
    assert not AuditEvent.objects.filter(object_type="cases.case").exists()


@pytest.mark.parametrize(
    "overrides,field,words",
    [
        ({"person_nik": "1234"}, "person_nik", "NIK ini tidak valid"),
        ({"kinds": []}, "kinds", "Pilih setidaknya satu jenis masalah"),
        ({"kinds": ["wages", "ghosts"]}, "kinds", "ghosts"),
        ({"country": "XX"}, "country", "Pilih negara dari daftar"),
        ({"q_documents": "stolen"}, "q_documents", "pilihan yang valid"),
        ({"relationship": "boss"}, "relationship", "pilihan yang valid"),
        ({"relationship": ""}, "relationship", "tidak boleh kosong"),  # no default
        ({"description": ""}, "description", "tidak boleh kosong"),
    ],
)
def test_invalid_input_is_refused_with_a_clear_message(overrides, field, words, malaysia):
    response = send(**overrides)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    form = response.context["screening_form" if field.startswith("q_") else "form"]
    assert field in form.errors and words in " ".join(form.errors[field])
    assert words in html
    assert not Case.objects.exists()
    assert not AuditEvent.objects.filter(object_type="cases.case").exists()
    # What was typed stays on the page.
    assert "Gaji anak saya belum dibayar" in html or field == "description"


# --- tracking -------------------------------------------------------------------------


def test_tracking_shows_only_what_the_reporter_may_see(alice):
    case, secret = open_case(
        person_nik=nik_for(serial=9),
        reporter_phone="+6281299990001",
        answers={"violence": "yes"},
        description="Majikan memukul anak saya.",
    )
    case = in_progress(case, alice)
    note_add(actor=alice, case=case, text="Kami sudah menghubungi KBRI.", shared=True)
    note_add(actor=alice, case=case, text="Catatan internal: majikan residivis.")
    response = track(case.reference, secret)
    assert response.status_code == 200
    html = response.content.decode()
    assert case.reference in html
    assert "Sedang ditangani" in html  # the stage in words
    assert "in_progress" not in html.replace('data-stage="in_progress"', "")
    assert "Kami sudah menghubungi KBRI." in html and "Petugas" in html
    for hidden in (
        "Catatan internal",
        alice.full_name,
        alice.email,
        "+6281299990001",
        nik_for(serial=9),
        "Majikan memukul",  # the description
        str(screening.BY_CODE["violence"].text),  # the screening
        str(screening.LEVEL_LABELS[screening.URGENT]),
        secret,
    ):
        assert hidden not in html, hidden
    assert set(response.context["tracked"]) == {
        "reference",
        "stage",
        "stage_label",
        "stage_meaning",
        "reported_on",
        "messages",
    }
    row = AuditEvent.objects.get(action="view", object_type="cases.case", reason="tracking")
    assert row.actor is None and row.object_id == str(case.pk)


def test_a_new_report_reads_as_received():
    case, secret = open_case()
    response = track(case.reference.lower(), f" {secret} ")
    html = response.content.decode()
    assert "Diterima" in html and 'id="no-messages"' in html


def test_a_wrong_secret_and_an_unknown_number_get_the_same_answer():
    case, secret = open_case()
    wrong = track(case.reference, secret[:-1] + ("A" if secret[-1] != "A" else "B"))
    unknown = track("KS-2026-999999", secret)
    for response in (wrong, unknown):
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="not-found"' in html and 'name="secret"' in html
        assert secret not in html and 'id="tracked"' not in html

    def notice(response):
        html = response.content.decode()
        start = html.index('id="not-found"')
        return html[start : html.index("</div>", start)]

    assert notice(wrong) == notice(unknown)
    assert not AuditEvent.objects.filter(action="view", object_type="cases.case").exists()


def test_a_case_without_a_secret_cannot_be_tracked(wati):
    client = Client()
    client.force_login(wati)
    send(client)
    case = Case.objects.get()
    response = track(case.reference, "x")
    assert 'id="not-found"' in response.content.decode()
    assert track(case.reference, "").status_code == 400


def test_the_tracking_page_reads_in_few_queries(alice, django_assert_max_num_queries):
    case, secret = open_case()
    case = in_progress(case, alice)
    for i in range(5):
        note_add(actor=alice, case=case, text=f"Kabar nomor {i}", shared=True)
    # The case, the audit row (savepoint, chain, insert, release; PostgreSQL: and its
    # advisory lock), the messages, the repatriations (none here): the same for any
    # number of messages.
    with django_assert_max_num_queries(8):
        response = track(case.reference, secret)
    assert response.content.decode().count("Kabar nomor ") == 5
    assert response.context["tracked"]["stage"] == Stage.IN_PROGRESS


# --- budgets per address --------------------------------------------------------------


def test_the_sixth_report_in_an_hour_from_one_address_is_refused(settings):
    settings.GARDA_REPORT_RATE = production.GARDA_REPORT_RATE
    assert settings.GARDA_REPORT_RATE == "5/h"
    client = Client()
    for _ in range(5):
        assert send(client).status_code == 200
    refused = send(client)
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Terlalu banyak laporan" in html
    assert "Gaji anak saya belum dibayar" in html  # the typed text is not lost
    assert Case.objects.count() == 5
    # A forged X-Forwarded-For is no new address (no trusted proxy)...
    forged = client.post(REPORT_URL, form_data(), HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert forged.status_code == 429
    # ...another address has its own budget.
    assert Client(REMOTE_ADDR="198.51.100.7").post(REPORT_URL, form_data()).status_code == 200


def test_behind_a_proxy_the_budget_is_the_clients(settings):
    settings.GARDA_REPORT_RATE = "1/h"
    settings.PROXY_COUNT = 1
    proxy = Client(REMOTE_ADDR="10.0.0.1")

    def via(client_address):
        # What the client wrote, then the address the proxy saw.
        forwarded = f"198.18.0.1, {client_address}"
        return proxy.post(REPORT_URL, form_data(), HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert via("203.0.113.1") == 200
    assert via("203.0.113.1") == 429
    assert via("203.0.113.2") == 200


def test_a_refused_form_does_not_use_the_budget_but_a_honeypot_hit_does(settings):
    settings.GARDA_REPORT_RATE = "2/h"
    client = Client()
    assert send(client, kinds=[]).status_code == 400
    assert send(client, kinds=[]).status_code == 400
    assert send(client).status_code == 200
    assert send(client, website="spam").status_code == 200
    assert send(client).status_code == 429
    assert Case.objects.count() == 1


def test_the_budget_is_a_window_of_the_rate(settings, monkeypatch):
    settings.GARDA_REPORT_RATE = "1/h"
    now = [7200.0]
    monkeypatch.setattr(throttles.AddressThrottle, "clock", staticmethod(lambda: now[0]))
    client = Client()
    assert send(client).status_code == 200
    now[0] += 3599
    assert send(client).status_code == 429
    now[0] += 1
    assert send(client).status_code == 200


def test_the_twenty_first_try_in_an_hour_is_refused_even_with_the_right_secret(settings):
    settings.GARDA_TRACK_RATE = production.GARDA_TRACK_RATE
    assert settings.GARDA_TRACK_RATE == "20/h"
    case, secret = open_case()
    client = Client()
    for i in range(19):
        assert track(case.reference, f"guess{i}", client).status_code == 200
    assert 'id="tracked"' in track(case.reference, secret, client).content.decode()
    refused = track(case.reference, secret, client)
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Terlalu banyak percobaan" in html and 'id="tracked"' not in html
    assert client.get(TRACK_URL).status_code == 200  # the empty form does not count


def test_rates_are_read_as_settings():
    assert throttles.parse_rate("5/h") == (5, 3600)
    assert throttles.parse_rate("20/hour") == (20, 3600)
    assert throttles.parse_rate("60/m") == (60, 60)
    with pytest.raises(ValueError):
        throttles.parse_rate("five/h")


def test_budgets_are_kept_where_every_worker_process_sees_them():
    shared = production.CACHES[throttles.CACHE_ALIAS]["BACKEND"]
    assert shared in (
        "django.core.cache.backends.filebased.FileBasedCache",
        "django.core.cache.backends.redis.RedisCache",
    )
    if shared.endswith("FileBasedCache"):
        assert production.CACHES[throttles.CACHE_ALIAS]["LOCATION"].startswith(
            str(production.VAR_DIR)
        )
