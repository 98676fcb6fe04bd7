"""The home page of each role (garda.home, docs/design-ui.md §2.1) and the help page:
what a person sees first, in Indonesian by default and English on request, in a
fixed number of queries, its reads of personal data audited."""

import re
from datetime import date, timedelta

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from conftest import verified_client
from garda.accompaniment.models import Task
from garda.accompaniment.services import assignment_add, task_create
from garda.accounts.models import Notification
from garda.audit.models import AuditEvent
from garda.destinations.services.plans import plan_set
from garda.destinations.tests.factories_readiness import (
    KR_EPS,
    document,
    educated,
    requirement_set,
)
from garda.documents.models import DocumentType
from garda.people.tests.factories import register
from garda.training.services.enrolment import enrolment_create
from garda.training.tests.catalogue_support import provider_for
from garda.training.tests.factories import make_batch, make_course

HOME = "/"


def _client(user, language: str = "id") -> Client:
    client = Client() if user is None else verified_client(user)
    client.cookies["django_language"] = language
    return client


def _read(client: Client, path: str = HOME) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def _get(user, language: str = "id", path: str = HOME) -> str:
    return _read(_client(user, language), path)


def _text(html: str) -> str:
    """The page's words, tags removed and spaces squeezed."""
    main = re.search(r"<main[^>]*>(.*)</main>", html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def _count(html: str, words: str) -> int | None:
    found = re.search(r'<span class="count">(\d+)</span> ' + re.escape(words) + "</a>", html)
    return int(found.group(1)) if found else None


def _plan(person, *, departure: date | None = None, requirements: list | None = None):
    requirement_set(KR_EPS, requirements=requirements)
    return plan_set(
        actor=person.user,
        person=person,
        destination_code=KR_EPS[0],
        scheme_code=KR_EPS[1],
        sector=KR_EPS[2],
        planned_departure=departure,
    )


@pytest.fixture
def wati_person(wati):
    return educated(register(serial=2, user=wati, full_name="Wati Lestari"))


# --- the worker ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_worker_is_asked_to_complete_their_profile(wati, django_assert_max_num_queries):
    client = _client(wati)
    with django_assert_max_num_queries(12):
        html = _read(client)
    text = _text(html)
    assert "Halo, Wati." in text
    assert "Langkah berikutnya untuk Anda" in text
    assert "Lengkapi profil Anda" in text
    assert f'<a class="button" href="{reverse("people:me")}">Lengkapi profil Anda</a>' in html
    # Nothing of a record that does not exist yet, and no audit row for it.
    assert "Dokumen yang perlu diperbaiki" not in text
    assert not AuditEvent.objects.filter(reason="home").exists()
    # The API documentation is on the account page, not here.
    assert reverse("api:openapi-view") not in html


@pytest.mark.django_db
def test_a_worker_without_a_target_is_asked_to_choose_one(wati, wati_person):
    html = _get(wati)
    text = _text(html)
    assert "Pilih tujuan" in text
    assert f'href="{reverse("destinations:my_readiness")}#plan">Pilih tujuan</a>' in html
    assert "Anda belum memilih tujuan." in text
    assert "Tidak ada yang perlu diperbaiki." in text
    assert "Belum ada janji temu." in text
    assert "Anda belum terdaftar di pelatihan." in text
    assert "Tidak ada pesan baru." in text
    # One read of the worker's own record, audited.
    rows = AuditEvent.objects.filter(actor=wati, action=AuditEvent.Action.VIEW, reason="home")
    assert rows.count() == 1
    assert rows.get().object_id == str(wati_person.pk)


@pytest.mark.django_db
def test_a_rejected_document_is_the_next_step_and_listed_to_fix(wati, wati_person):
    _plan(wati_person, departure=timezone.localdate() + timedelta(days=120))
    document(wati_person, "ktp")
    document(wati_person, "passport", status="rejected", rejection_reason="Foto buram")
    html = _get(wati)
    text = _text(html)
    # The next step: upload the passport again, where and what to bring, one button.
    card = html.split('<div class="card card-next">', 1)[1].split("<section", 1)[0]
    card_text = " ".join(re.sub(r"<[^>]+>", " ", card).split())
    assert "Perlu perbaikan" in card_text
    assert "Foto buram" in card_text
    assert "Lokasi Kantor Imigrasi" in card_text
    assert card.count('class="button"') == 1
    assert f"{reverse('documents:mine')}?type=passport#upload" in card
    # Readiness in words: KTP is done, passport, medical, EPS-TOPIK are not.
    assert "1 dari 4 langkah selesai" in text
    assert "Lihat semua langkah" in text
    # Documents to fix: the passport with the officer's reason, in red with a word.
    fix = html.split('id="fix-title"', 1)[1].split("</section>", 1)[0]
    assert "Foto buram" in fix
    assert '<strong class="tag tag-red">Ditolak</strong>' in fix


@pytest.mark.django_db
def test_a_choice_of_documents_is_one_step_naming_the_options(wati, wati_person):
    _plan(
        wati_person,
        requirements=[
            {"type": "ktp"},
            {"type": "eps-topik", "min_level": "80", "alternative_group": 1},
            {"type": "uji-bahasa", "alternative_group": 1},
        ],
    )
    document(wati_person, "ktp")
    html = _get(wati)
    assert "1 dari 2 langkah selesai" in _text(html)
    card = html.split('<div class="card card-next">', 1)[1].split("<section", 1)[0]
    names = dict(DocumentType.objects.values_list("code", "name"))
    assert f"{names['eps-topik']} / {names['uji-bahasa']}" in card
    assert f'<a class="button" href="{reverse("documents:mine")}#upload">Unggah dokumen</a>' in card


@pytest.mark.django_db
def test_expired_and_expiring_documents_are_listed_to_fix(wati, wati_person):
    today = timezone.localdate()
    document(wati_person, "passport", expires_on=today - timedelta(days=3))
    document(wati_person, "ktp")
    document(wati_person, "medical", issued_on=today - timedelta(days=80))  # 3 months
    fix = _get(wati).split('id="fix-title"', 1)[1].split("</section>", 1)[0]
    assert "Kedaluwarsa" in fix
    assert "Segera kedaluwarsa" in fix
    assert "ktp" not in fix.lower().split("type=")[-1][:3]  # the verified KTP is fine


@pytest.mark.django_db
def test_a_worker_sees_appointment_training_and_messages(
    wati, wati_person, alice, bob, ppkd, django_assert_max_num_queries
):
    assignment_add(actor=bob, person=wati_person, officer=alice)
    when = timezone.now() + timedelta(days=2)
    task_create(
        actor=alice,
        person=wati_person,
        kind=Task.Kind.APPOINTMENT,
        title="Pemeriksaan dokumen",
        due_at=when,
        place="Kantor Disnakertransgi",
    )
    batch = make_batch(make_course("las-dasar"), provider_for(ppkd), starts_in_days=5)
    enrolment_create(actor=wati, batch=batch, person=wati_person)
    Notification.objects.create(user=wati, title="Janji temu baru")
    Notification.objects.create(user=wati, title="Tempat pelatihan")
    client = _client(wati)
    with django_assert_max_num_queries(20):
        html = _read(client)
    text = _text(html)
    assert "Pemeriksaan dokumen" in text and "Kantor Disnakertransgi" in text
    assert timezone.localtime(when).strftime("%H.%M") in text
    assert "Alice" in text
    assert "Kursus las-dasar" in text and "Tempat sudah pasti" in text
    assert "Sesi berikutnya: Kursus las-dasar" in text
    unread = Notification.objects.filter(user=wati, read_at__isnull=True).count()
    assert unread >= 2  # and those the appointment and the enrolment sent
    assert f"Anda punya {unread} pesan baru." in text
    # The menu's badge says the same, counted once.
    assert f'<span class="badge"><span class="sr-only">(</span>{unread}<span' in html


@pytest.mark.django_db
def test_the_worker_home_costs_the_same_queries_with_more_data(
    wati, wati_person, alice, bob, ppkd, django_assert_max_num_queries
):
    """No query per document, enrolment or appointment."""
    _plan(wati_person)
    assignment_add(actor=bob, person=wati_person, officer=alice)

    def grow(n: int) -> None:
        for i in range(n):
            document(wati_person, "ktp", status="rejected", rejection_reason=f"buram {i}")
            task_create(
                actor=alice,
                person=wati_person,
                kind=Task.Kind.APPOINTMENT,
                title=f"Janji {i}",
                due_at=timezone.now() + timedelta(days=i + 1),
                place="Kantor",
            )
            batch = make_batch(
                make_course(f"kursus-{n}-{i}"),
                provider_for(ppkd),
                starts_in_days=10 + 10 * (n + i),
            )
            enrolment_create(actor=wati, batch=batch, person=wati_person)

    grow(1)
    _get(wati)  # the readiness cache filled
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(wati)
    _read(client)  # the session's first use
    with CaptureQueriesContext(connection) as small:
        _read(client)
    grow(4)
    _read(client)
    with CaptureQueriesContext(connection) as large:
        _read(client)
    assert len(large) == len(small)
    client = _client(wati)
    with django_assert_max_num_queries(20):
        _read(client)


@pytest.mark.django_db
def test_the_worker_home_in_english(wati):
    text = _text(_get(wati, "en"))
    assert "Hello, Wati." in text
    assert "Your next step" in text and "Complete your profile" in text


# --- officers, supervisors, admins --------------------------------------------------


@pytest.fixture
def caseload(alice, bob):
    """Two persons alice accompanies: one with a pending document, an overdue task,
    a task due in three days and a passport expiring next month; one with nothing."""
    now = timezone.now()
    today = timezone.localdate()
    siti = register(serial=11, actor=alice, full_name="Siti Aminah")
    rina = register(serial=12, actor=alice, full_name="Rina Wulandari")
    # alice registered them: she accompanies them.
    document(siti, "ktp", status="pending")
    document(siti, "passport", expires_on=today + timedelta(days=40))
    late = task_create(
        actor=alice, person=siti, title="Telepon keluarga", due_at=now + timedelta(hours=1)
    )
    Task.objects.filter(pk=late.pk).update(due_at=now - timedelta(days=2))
    task_create(actor=alice, person=siti, title="Cek paspor", due_at=now + timedelta(days=3))
    task_create(actor=alice, person=rina, title="Kunjungan", due_at=now + timedelta(days=20))
    return siti, rina


@pytest.mark.django_db
def test_an_officer_sees_their_worklist_in_counts(alice, caseload, django_assert_max_num_queries):
    siti, _rina = caseload
    client = _client(alice)
    with django_assert_max_num_queries(22):
        html = _read(client)
    assert "Daftar kerja Anda hari ini" in _text(html)
    assert _count(html, "dokumen menunggu verifikasi") == 1
    assert _count(html, "tugas terlambat") == 1
    assert _count(html, "tugas jatuh tempo minggu ini") == 1
    assert _count(html, "dokumen segera atau sudah habis masa berlakunya") == 1
    assert _count(html, "orang yang Anda dampingi") == 2
    # Each count links to the page that lists what it counts.
    assert f'<a href="{reverse("documents:queue")}"><span class="count">1</span>' in html
    assert f'<a href="{reverse("accompaniment:worklist")}?show=due_week">' in html
    assert f'<a href="{reverse("documents:expiring")}">' in html
    # The top of the worklist: siti (overdue) first.
    top = html.split('id="top-title"', 1)[1].split("</section>", 1)[0]
    assert top.index("Siti Aminah") < top.index("Rina Wulandari")
    assert "Telepon keluarga" in top
    # Reading the worklist is audited, as on the worklist page.
    assert AuditEvent.objects.filter(actor=alice, reason=f"worklist of user {alice.pk}").exists()


@pytest.mark.django_db
def test_the_officer_home_in_english(alice, caseload):
    html = _get(alice, "en")
    assert "Your worklist today" in _text(html)
    assert _count(html, "document waiting for verification") == 1
    assert _count(html, "persons you accompany") == 2


@pytest.mark.django_db
def test_an_officer_with_nobody_sees_zero_and_a_way_forward(carol):
    html = _get(carol)
    assert _count(html, "orang yang Anda dampingi") == 0
    assert "Belum ada orang yang ditugaskan kepada Anda." in _text(html)


@pytest.mark.django_db
def test_a_supervisor_sees_the_workload(bob, alice, caseload, django_assert_max_num_queries):
    client = _client(bob)
    with django_assert_max_num_queries(18):
        html = _read(client)
    assert "Instansi Anda hari ini" in _text(html)
    assert _count(html, "tugas petugas Anda yang terlambat") == 1
    assert _count(html, "petugas di instansi Anda") == 1
    workload = html.split('id="workload-title"', 1)[1].split("</section>", 1)[0]
    assert f"?officer={alice.pk}" in workload and "Alice" in workload
    assert AuditEvent.objects.filter(actor=bob, reason="workload").exists()


@pytest.mark.django_db
def test_an_admin_sees_counts_and_every_page(admin_user, caseload):
    html = _get(admin_user)
    assert _count(html, "dokumen menunggu verifikasi") == 1
    assert _count(html, "orang di registri") == 2
    for name in ("admin:index", "audit:event_list", "accompaniment:workload", "training:outcomes"):
        assert f'href="{reverse(name)}"' in html, name


# --- trainers ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_trainer_sees_todays_session_to_mark_attendance(
    teguh, ppkd, django_assert_max_num_queries
):
    provider = provider_for(ppkd)
    today_batch = make_batch(
        make_course("las-hari-ini"), provider, starts_in_days=0, sessions=2, trainers=[teguh]
    )
    make_batch(make_course("las-nanti"), provider, starts_in_days=7, trainers=[teguh])
    make_batch(make_course("bukan-kelas-teguh"), provider, starts_in_days=0)
    client = _client(teguh)
    with django_assert_max_num_queries(10):
        html = _read(client)
    text = _text(html)
    assert "Kelas Anda hari ini" in text
    url = reverse("training:attendance", args=[today_batch.pk, 1])
    assert f'<a class="button" href="{url}">Catat presensi</a>' in html
    assert "Kursus las-hari-ini" in text
    assert "bukan-kelas-teguh" not in text
    coming = html.split('id="upcoming-title"', 1)[1]
    assert "Kursus las-hari-ini" in coming  # its second session, tomorrow
    assert "Kursus las-nanti" in coming


@pytest.mark.django_db
def test_a_trainer_with_no_class_today_is_told_so(teguh):
    assert "Tidak ada sesi angkatan Anda hari ini." in _text(_get(teguh))


# --- the public, the help page, the account page ----------------------------------------


@pytest.mark.django_db
def test_the_public_home_has_four_ways_in_and_log_in():
    html = _get(None)
    text = _text(html)
    assert "Garda" in text
    assert "Ada masalah di luar negeri?" in text
    for name in (
        "cases:report",
        "cases:track",
        "accounts:signup",
        "destinations:destination_index",
        "training:catalogue",
    ):
        assert f'href="{reverse(name)}"' in html, name
    assert (
        f'<a class="button" href="{reverse("accounts:signup")}">Daftar sebagai pekerja</a>' in html
    )
    assert html.count('class="button"') == 1
    assert f'href="{reverse("accounts:login")}">Masuk</a>' in html


@pytest.mark.django_db
def test_help_page_shows_no_made_up_number_until_the_operator_sets_one(wati, admin_user):
    html = _get(None, path=reverse("help"))
    text = _text(html)
    assert "Hotline dan alamat kontak layanan ini belum diumumkan." in text
    # Only the public emergency number (footer), never a service hotline nobody set.
    assert re.findall(r'href="tel:([^"]*)"', html) == ["112"]
    assert "GARDA_HOTLINE" not in html  # named to admins only
    worker = _text(_get(wati, path=reverse("help")))
    assert "Petugas pendamping Anda juga dapat membantu." in worker
    admin = _get(admin_user, path=reverse("help"))
    assert "<code>GARDA_HOTLINE</code>" in admin and "<code>GARDA_HELP_OFFICE</code>" in admin


@pytest.mark.django_db
@override_settings(
    GARDA_HOTLINE="+62 21 555 0100",
    GARDA_HELP_HOURS="Senin–Jumat, 08.00–16.00 WIB",
    GARDA_HELP_CALL_COST="Tarif lokal",
    GARDA_HELP_WHATSAPP="+62 812 555 0100",
    GARDA_HELP_EMAIL="bantuan@example.org",
    GARDA_HELP_OFFICE="Jl. Contoh No. 1\nJakarta",
)
def test_help_page_and_home_show_the_channels_the_operator_set(wati, admin_user):
    html = _get(None, path=reverse("help"))
    assert '<a href="tel:+62215550100">+62 21 555 0100</a>' in html
    assert "Senin–Jumat, 08.00–16.00 WIB" in html and "Tarif lokal" in html
    assert 'href="https://wa.me/628125550100"' in html
    assert 'href="mailto:bantuan@example.org"' in html
    assert "Jl. Contoh No. 1<br>Jakarta" in html
    admin = _get(admin_user, path=reverse("help"))
    assert "<code>GARDA_HELP_REPLY_TIME</code>" in admin and "GARDA_HOTLINE" not in admin
    # The worker's home: the same hotline in its help block.
    home = _get(wati)
    assert '<a href="tel:+62215550100">+62 21 555 0100</a>' in home


@pytest.mark.django_db
def test_the_api_documentation_is_linked_from_the_account_page(wati, alice):
    """For staff, whose systems use the API; a worker (who holds no token) is not
    addressed about other systems at all."""
    link = f'href="{reverse("api:openapi-view")}">Dokumentasi API</a>'
    assert link in _get(alice, path=reverse("accounts:account"))
    html = _get(wati, path=reverse("accounts:account"))
    assert link not in html and "Untuk sistem lain" not in html


@pytest.mark.django_db
def test_officer_home_counts_cases_first_each_a_link_to_the_list(alice, bob):
    """The officer's numbers start with cases: past a deadline, held, waiting in the
    intake queue; each opens the case list filtered the same way."""
    import time_machine
    from django.utils import timezone

    from garda.cases.tests.factories import case_in_progress, open_case

    open_case(person_name="Antre Satu")
    case_in_progress(officer=alice, kinds=["abuse"])  # critical: 2-hour first response
    case_in_progress(officer=alice)
    with time_machine.travel(timezone.now() + timedelta(days=10), tick=False):
        html = _get(alice)
        text = _text(html)
        assert "1 laporan menunggu petugas" in text
        assert "2 kasus terbuka yang Anda pegang" in text
        # The critical case's resolution clock (7 days) is past due by now.
        assert "kasus melewati tenggat" in text
        list_url = reverse("cases:list")
        assert f'href="{list_url}?view=queue"' in html
        assert f'href="{list_url}?view=mine"' in html
        assert f'href="{list_url}?view=mine&amp;clock=breached"' in html
        assert "1 laporan menunggu petugas" in _text(_get(bob))


@pytest.mark.django_db
def test_worker_home_lists_their_open_reports_first(wati):
    from garda.cases.services.intake import case_open
    from garda.cases.tests.factories import report_data

    case, _secret = case_open(actor=wati, data=report_data(relationship="parent"), channel="portal")
    html = _get(wati)
    assert "Laporan Anda" in _text(html)
    assert f'href="{reverse("cases:mine_detail", args=[case.pk])}">{case.reference}</a>' in html
    assert "Diterima, menunggu diperiksa" in _text(html)


def test_the_public_home_leads_to_the_vacancies_and_the_checks():
    html = _get(None)
    assert "Ditawari kerja di luar negeri?" in _text(html)
    for name in ("jobs:vacancies", "jobs:job_check", "jobs:agency_lookup"):
        assert f'href="{reverse(name)}"' in html, name


@pytest.mark.django_db
def test_a_recruiter_sees_their_companys_orders_by_where_they_stand(
    rina, alice, django_assert_max_num_queries
):
    from garda.jobs.services.orders import order_reject, order_submit
    from garda.jobs.tests.factories import make_agency, make_order, make_recruiter

    make_order(rina)
    rejected = order_submit(actor=rina, order=make_order(rina))
    order_reject(actor=alice, order=rejected, reason="Upah tidak jelas")
    order_submit(actor=rina, order=make_order(rina))
    other = make_recruiter(make_agency("PT Lain", "KEP.LAIN/1"), "lain@example.org")
    make_order(other)  # another company's draft is not counted
    client = _client(rina)
    _read(client)
    with django_assert_max_num_queries(14):
        html = _read(client)
    text = _text(html)
    assert "PT Rina Sejahtera" in text
    assert "1 job order ditolak yang perlu diperbaiki" in text
    assert "1 draf job order" in text
    assert "1 job order menunggu verifikasi" in text
    assert f'href="{reverse("jobs:order_list")}?status=rejected"' in html
    assert f'href="{reverse("jobs:order_create")}"' in html


@pytest.mark.django_db
def test_an_officer_sees_the_job_orders_waiting_for_verification(rina, alice):
    from garda.jobs.services.orders import order_submit
    from garda.jobs.tests.factories import make_order

    order_submit(actor=rina, order=make_order(rina))
    html = _get(alice)
    assert "1 job order menunggu verifikasi" in _text(html)
    assert f'href="{reverse("jobs:order_list")}?status=submitted"' in html
