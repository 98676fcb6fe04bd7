"""The officer's and supervisor's case pages: the worklist, intake by an officer and
one case with its actions (docs/cases.md). Through the test client, with the personas:
alice (officer, Disnaker), bob (her supervisor), carol (officer, Dinsos)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.cases.models import (
    Approval,
    Case,
    CaseDocument,
    Clock,
    Kind,
    Note,
    Service,
    SeverityChange,
    Stage,
    Status,
)
from garda.cases.services.handling import ApprovalPending, case_move
from garda.cases.services.record import document_add, service_plan, task_add
from garda.cases.tests.factories import case_in_progress, open_case
from garda.tests.markup import tables, visible_text

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def detail(case) -> str:
    return reverse("cases:detail", args=[case.pk])


def post(client, name, case_or_pk, data=None, **kwargs):
    pk = getattr(case_or_pk, "pk", case_or_pk)
    return client.post(reverse(f"cases:{name}", args=[pk]), data or {}, **kwargs)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def denied(user, **filters) -> bool:
    return AuditEvent.objects.filter(actor=user, action="denied", **filters).exists()


@pytest.fixture
def own(alice):
    """alice's case, in progress."""
    return case_in_progress(officer=alice, person_name="Siti Aminah")


@pytest.fixture
def queue():
    """A public report nobody holds yet."""
    case, _secret = open_case(person_name="Rina Antrian")
    return case


# --- the list ---------------------------------------------------------------------------------


def test_worklist_shows_my_cases_with_words_and_stacks(alice, own, queue):
    client = verified_client(alice)
    response = client.get(reverse("cases:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert own.reference in html and queue.reference not in html
    (table,) = tables(html)
    assert table.stacks and not table.unlabelled_cells()
    assert all(scope == "col" for scope in table.header_scopes)
    text = visible_text(html)
    with translation.override("id"):
        assert str(Kind.WAGES.label) in text and str(Stage.IN_PROGRESS.label) in text
    assert "in_progress" not in text and "first_response" not in text
    assert AuditEvent.objects.filter(actor=alice, action="view", reason="list").exists()


def test_worklist_queue_and_agency_views(alice, bob, carol, own, queue):
    other = case_in_progress(officer=carol, person_name="Lain")
    client = verified_client(alice)
    html = client.get(reverse("cases:list") + "?view=queue").content.decode()
    assert queue.reference in html and own.reference not in html
    # An unknown view falls back to the officer's own cases.
    html = client.get(reverse("cases:list") + "?view=agency").content.decode()
    assert own.reference in html and queue.reference not in html
    supervisor = verified_client(bob)
    html = supervisor.get(reverse("cases:list")).content.decode()
    assert own.reference in html and other.reference not in html
    assert "Kasus instansi saya dan antrean" in html
    assert queue.reference in html  # the dashboard counts the queue with the agency's


def test_worklist_filters(alice, own):
    critical = case_in_progress(officer=alice, person_name="Kritis", kinds=["abuse"])
    client = verified_client(alice)
    url = reverse("cases:list")
    html = client.get(url, {"severity": "critical"}).content.decode()
    assert critical.reference in html and own.reference not in html
    html = client.get(url, {"kind": "abuse"}).content.decode()
    assert critical.reference in html and own.reference not in html
    html = client.get(url, {"q": own.reference[-6:]}).content.decode()
    assert own.reference in html and critical.reference not in html
    html = client.get(url, {"stage": "waiting"}).content.decode()
    assert own.reference not in html and critical.reference not in html
    # Nothing breached yet; then the resolution clock of `own` passes its due time.
    assert own.reference not in client.get(url, {"clock": "breached"}).content.decode()
    Clock.objects.filter(case=own, name="resolution").update(
        due_at=timezone.now() - timedelta(hours=1), risk_at=timezone.now() - timedelta(hours=2)
    )
    html = client.get(url, {"clock": "breached"}).content.decode()
    assert own.reference in html and critical.reference not in html
    assert "Terlambat" in html  # the breached clock's state in words, on a red tag
    assert "tag-red" in html
    # A bad filter value is ignored, not an error.
    response = client.get(url, {"stage": "nope", "page": "x"})
    assert response.status_code == 200 and "<title>Kesalahan:" not in response.content.decode()


def test_worklist_paginates_and_keeps_the_query_count(alice, django_assert_max_num_queries):
    for n in range(3):
        case_in_progress(officer=alice, person_name=f"Orang {n}", kinds=["wages", "abuse"])
    client = verified_client(alice)
    client.get(reverse("cases:list"))  # warm the session
    with django_assert_max_num_queries(16) as few:  # PostgreSQL locks the audit chain
        client.get(reverse("cases:list"))
    for n in range(3, 30):
        case_in_progress(officer=alice, person_name=f"Orang {n}", kinds=["wages", "abuse"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("cases:list"))
    assert len(response.context["page"].object_list) == 25
    assert 'aria-current="page"' in response.content.decode()
    second = client.get(reverse("cases:list"), {"page": 2})
    assert len(second.context["page"].object_list) == 5


@pytest.mark.parametrize("who", ["wati", "teguh", "putri"])
def test_other_roles_get_403_on_the_list(who, request):
    user = request.getfixturevalue(who)
    assert verified_client(user).get(reverse("cases:list")).status_code == 403
    assert denied(user)


# --- intake -------------------------------------------------------------------------------------


def intake_data(**overrides) -> dict:
    data = {
        "channel": "hotline",
        "reporter_name": "Sri Wahyuni",
        "reporter_phone": "+6281234567001",
        "relationship": "parent",
        "person_name": "Siti Aminah",
        "kinds": ["wages"],
        "description": "Gaji belum dibayar tiga bulan.",
        "city": "Kuala Lumpur",
    }
    data.update(overrides)
    return data


def test_officer_records_a_hotline_report_and_sees_the_secret_once(alice):
    client = verified_client(alice)
    assert client.get(reverse("cases:create")).status_code == 200
    response = client.post(reverse("cases:create"), intake_data())
    assert response.status_code == 200
    case = Case.objects.get()
    assert case.channel == "hotline" and case.created_by == alice and case.stage == Stage.NEW
    secret = response.context["secret"]
    assert secret and secret in response.content.decode()
    assert case.reference in response.content.decode()
    # Stored nowhere readable: neither on the case nor on its page.
    assert secret not in case.tracking_index
    page = client.get(detail(case)).content.decode()
    assert secret not in page


def test_intake_with_screening_raises_the_severity(alice):
    client = verified_client(alice)
    data = intake_data(q_deception="different", q_documents="held", q_wages="unknown")
    response = client.post(reverse("cases:create"), data)
    assert response.status_code == 200
    case = Case.objects.get()
    # Deception (involuntary) and documents held (coercion): signs of forced labour.
    assert case.screening_level == "high" and case.task_force and case.severity == "high"
    assert case.screenings.get().indicators == ["documents", "deception"]


def test_intake_links_a_nik_found_in_the_registry(alice, wati):
    from garda.people.tests.factories import nik_for, register

    person = register(serial=5, user=wati)
    client = verified_client(alice)
    client.post(
        reverse("cases:create"),
        intake_data(relationship="self", person_nik=nik_for(serial=5), person_name="Siti"),
    )
    case = Case.objects.get()
    assert case.person == person and case.match_state == "linked"


def test_intake_bad_input_is_explained_and_nothing_is_written(alice):
    client = verified_client(alice)
    response = client.post(
        reverse("cases:create"),
        intake_data(kinds=[], person_nik="123", channel="public", q_documents="maybe"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html
    form = response.context["form"]
    assert {"kinds", "person_nik", "channel"} <= set(form.errors)
    assert response.context["screening_form"].errors
    assert not Case.objects.exists()
    assert 'value="Sri Wahyuni"' in html  # typed values kept


# --- the case page --------------------------------------------------------------------------


def test_detail_shows_the_case_in_words_and_is_audited(alice, own):
    Note.objects.create(case=own, author=alice, text="Catatan dalam", shared=False)
    Note.objects.create(case=own, author=alice, text="Pesan untuk ibu", shared=True)
    client = verified_client(alice)
    response = client.get(detail(own))
    assert response.status_code == 200
    html = response.content.decode()
    text = visible_text(html)
    assert own.reference in text and "Siti Aminah" in text
    with translation.override("id"):
        assert str(Stage.IN_PROGRESS.label) in text
    assert "Internal" in text and "Dibagikan ke pekerja/pelapor" in text
    assert "in_progress" not in text and "first_response" not in text
    assert AuditEvent.objects.filter(
        actor=alice, action="view", object_id=str(own.pk), object_type="cases.case"
    ).exists()
    for table in tables(html):
        assert table.stacks and not table.unlabelled_cells()


def test_detail_masks_the_nik_and_offers_the_registry(alice):
    from garda.people.tests.factories import nik_for

    nik = nik_for(serial=9)
    case = case_in_progress(officer=alice, person_nik=nik)
    assert case.person_id is None
    html = verified_client(alice).get(detail(case)).content.decode()
    # Masked without a digit (issue 19): neither the NIK nor its serial is shown.
    assert nik not in html and "****************" in html and f"*{nik[-4:]}" not in html
    assert 'name="mode" value="register"' in html


def test_detail_lists_suggestions_and_links_one(alice):
    from datetime import date

    from garda.people.tests.factories import register

    person = register(serial=11, full_name="Siti Aminah", born=date(1995, 5, 5))
    case = case_in_progress(
        officer=alice, person_name="Siti Aminah", person_birth_date=date(1995, 5, 5)
    )
    assert case.match_state == "suggested"
    client = verified_client(alice)
    html = client.get(detail(case)).content.decode()
    assert f'name="person" value="{person.pk}"' in html
    response = post(client, "link_person", case, {"person": person.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.person == person and case.match_state == "linked"


def test_register_as_provisional(alice):
    from garda.people.models import Person
    from garda.people.tests.factories import nik_for

    case = case_in_progress(officer=alice, person_nik=nik_for(serial=12), person_name="Baru")
    response = post(verified_client(alice), "link_person", case, {"mode": "register"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.person == Person.objects.get(full_name="Baru")


def test_detail_query_count_is_bounded(alice, own, django_assert_max_num_queries):
    client = verified_client(alice)
    client.get(detail(own))
    with django_assert_max_num_queries(40) as few:
        client.get(detail(own))
    now = timezone.now()
    for n in range(10):
        task_add(actor=alice, case=own, title=f"Tugas {n}", due_at=now + timedelta(days=n + 1))
        service_plan(actor=alice, case=own, type="legal_aid", timeframe="3_days")
        Note.objects.create(case=own, author=alice, text=f"n{n}", shared=bool(n % 2))
        document_add(
            actor=alice, case=own, title=f"Surat {n}", data=PDF, content_type="application/pdf"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(detail(own))


def test_officer_who_does_not_hold_the_case_gets_404(carol, own):
    client = verified_client(carol)
    assert client.get(detail(own)).status_code == 404
    assert denied(carol, object_id=str(own.pk))
    for name, data in [
        ("move", {"stage": "waiting", "reason": "x"}),
        ("note_add", {"text": "x"}),
        ("severity", {"severity": "high", "reason": "x"}),
    ]:
        assert post(client, name, own, data).status_code == 404
    assert not Note.objects.filter(case=own).exists()


@pytest.mark.parametrize("who", ["wati", "teguh"])
def test_worker_and_trainer_get_403(who, request, own):
    user = request.getfixturevalue(who)
    client = verified_client(user)
    assert client.get(detail(own)).status_code == 403
    assert post(client, "note_add", own, {"text": "x"}).status_code == 403
    assert denied(user)


# --- workflow actions ------------------------------------------------------------------------


def test_move_one_step_with_reason(alice, own):
    client = verified_client(alice)
    response = post(
        client, "move", own, {"stage": "waiting", "reason": "Menunggu KBRI", "version": own.version}
    )
    assert response.status_code == 302 and response["Location"].startswith(detail(own))
    own.refresh_from_db()
    assert own.stage == Stage.WAITING


def test_skipped_stage_is_refused_with_words_and_nothing_changes(alice, queue):
    client = verified_client(alice)
    before = queue.version
    response = post(client, "move", queue, {"stage": "in_progress", "reason": "cepat"}, follow=True)
    (message,) = messages_of(response)
    assert "Tahap tidak bisa dilompati" in message
    with translation.override("id"):
        assert f"dari {Stage.NEW.label} kasus hanya bisa dipindah ke " in message
        assert str(Stage.TRIAGED.label) in message
    queue.refresh_from_db()
    assert queue.stage == Stage.NEW and queue.version == before


def test_move_without_reason_shows_the_field_error(alice, own):
    response = post(verified_client(alice), "move", own, {"stage": "waiting", "reason": ""})
    assert response.status_code == 400
    assert response.context["move_form"].errors["reason"]
    assert "<title>Kesalahan:" in response.content.decode()
    own.refresh_from_db()
    assert own.stage == Stage.IN_PROGRESS


def test_stale_version_is_a_conflict(alice, own):
    client = verified_client(alice)
    response = post(
        client,
        "move",
        own,
        {"stage": "waiting", "reason": "x", "version": own.version - 1},
        follow=True,
    )
    (message,) = messages_of(response)
    assert "diubah" in message or "changed" in message
    own.refresh_from_db()
    assert own.stage == Stage.IN_PROGRESS


def test_officer_closing_a_critical_case_waits_for_the_supervisor(alice, bob):
    case = case_in_progress(officer=alice, kinds=["abuse"])
    case = case_move(actor=alice, case=case, stage="resolved", reason="selesai")
    client = verified_client(alice)
    response = post(
        client,
        "move",
        case,
        {"close-stage": "closed", "close-reason": "selesai", "close-closing_reason": "resolved"},
        follow=True,
    )
    (message,) = messages_of(response)
    assert "supervisor" in message.lower() or "persetujuan" in message
    case.refresh_from_db()
    assert case.status == Status.OPEN
    approval = Approval.objects.get(case=case, decision="pending")
    # The officer may not decide it (403, denied).
    assert post(client, "approval_decide", approval, {"approve": "1"}).status_code == 403
    assert denied(alice)
    # The supervisor sees the request and approves.
    supervisor = verified_client(bob)
    html = supervisor.get(detail(case)).content.decode()
    assert reverse("cases:approval_decide", args=[approval.pk]) in html
    response = post(supervisor, "approval_decide", approval, {"approve": "1"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.closing_reason == "resolved"


def test_rejecting_a_closing_needs_a_comment(alice, bob):
    case = case_in_progress(officer=alice, kinds=["abuse"])
    case = case_move(actor=alice, case=case, stage="resolved", reason="selesai")
    with pytest.raises(ApprovalPending):
        case_move(actor=alice, case=case, stage="closed", reason="selesai")
    approval = Approval.objects.get(case=case)
    supervisor = verified_client(bob)
    response = post(supervisor, "approval_decide", approval, {"approve": "0", "comment": ""})
    assert response.status_code == 400
    assert response.context["approval_form"].errors["comment"]
    approval.refresh_from_db()
    assert approval.decision == "pending"
    response = post(
        supervisor, "approval_decide", approval, {"approve": "0", "comment": "Belum lengkap"}
    )
    assert response.status_code == 302
    approval.refresh_from_db()
    case.refresh_from_db()
    assert approval.decision == "rejected" and case.status == Status.OPEN


def test_early_close_needs_a_closing_reason(alice, own):
    client = verified_client(alice)
    response = post(client, "move", own, {"close-stage": "closed", "close-reason": "x"})
    assert response.status_code == 400
    assert response.context["close_form"].errors["closing_reason"]
    response = post(
        client,
        "move",
        own,
        {
            "close-stage": "closed",
            "close-reason": "Tidak bisa dihubungi",
            "close-closing_reason": "unreachable_60_days",
        },
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.status == Status.CLOSED and own.closing_reason == "unreachable_60_days"
    # And reopened, with a reason.
    assert post(client, "reopen", own, {"reopen-reason": ""}).status_code == 400
    assert post(client, "reopen", own, {"reopen-reason": "Datang lagi"}).status_code == 302
    own.refresh_from_db()
    assert own.status == Status.OPEN and own.stage == Stage.IN_PROGRESS


def test_reopen_of_an_open_case_says_so(alice, own):
    response = post(verified_client(alice), "reopen", own, {"reopen-reason": "x"}, follow=True)
    (message,) = messages_of(response)
    assert "ditutup" in message


def test_severity_change_only_for_supervisors_and_with_reason(alice, bob, own):
    officer = verified_client(alice)
    assert post(officer, "severity", own, {"severity": "high", "reason": "x"}).status_code == 403
    assert denied(alice)
    assert 'action="{}"'.format(reverse("cases:severity", args=[own.pk])) not in (
        officer.get(detail(own)).content.decode()
    )
    supervisor = verified_client(bob)
    response = post(supervisor, "severity", own, {"severity": "high", "reason": ""})
    assert response.status_code == 400 and response.context["severity_form"].errors["reason"]
    response = post(supervisor, "severity", own, {"severity": "high", "reason": "Ancaman"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.severity == "high"
    assert SeverityChange.objects.get(case=own).reason == "Ancaman"


def test_supervisor_assigns_own_agency_officer_not_another(alice, bob, carol, queue):
    from conftest import make_user
    from garda.accounts import roles

    dewi = make_user("dewi-cases@example.org", roles.OFFICER, alice.agency, full_name="Dewi")
    case = case_move(actor=bob, case=queue, stage="triaged", reason="dicek")
    supervisor = verified_client(bob)
    html = supervisor.get(detail(case)).content.decode()
    assert "Dewi" in html
    response = post(supervisor, "assign", case, {"officer": carol.pk, "reason": ""})
    assert response.status_code == 400
    assert response.context["assign_form"].errors["officer"]
    response = post(supervisor, "assign", case, {"officer": dewi.pk, "reason": "beban"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.owner == dewi and case.stage == Stage.ASSIGNED and case.agency == alice.agency


def test_officer_takes_a_triaged_queue_case(alice, queue):
    client = verified_client(alice)
    case = case_move(actor=alice, case=queue, stage="triaged", reason="dicek")
    html = client.get(detail(case)).content.decode()
    assert "Ambil kasus ini" in html
    assert post(client, "assign", case).status_code == 302
    case.refresh_from_db()
    assert case.owner == alice and case.stage == Stage.ASSIGNED


def test_officer_cannot_take_a_new_case_before_triage(alice, queue):
    response = post(verified_client(alice), "assign", queue, follow=True)
    (message,) = messages_of(response)
    with translation.override("id"):
        assert message == translation.gettext("Triage the case first: then it can be assigned.")
    queue.refresh_from_db()
    assert queue.owner is None


def test_officer_cannot_take_a_case_someone_holds(alice, bob, own):
    from conftest import make_user
    from garda.accounts import roles

    dewi = make_user("dewi2-cases@example.org", roles.OFFICER, alice.agency, full_name="Dewi")
    client = verified_client(dewi)
    # Not hers, not in the queue: 404.
    assert post(client, "assign", own).status_code == 404
    own.refresh_from_db()
    assert own.owner == alice


def test_mark_duplicate_by_number(alice, bob, own, queue):
    # A report nobody holds is not the officer's to bury: she takes it first.
    officer = verified_client(alice)
    refused = post(officer, "duplicate", queue, {"reference": own.reference, "reason": "Sama"})
    assert refused.status_code == 302
    page = officer.get(refused["Location"]).content.decode()
    assert "Belum ada petugas yang memegang laporan ini" in page
    queue.refresh_from_db()
    assert queue.status == Status.OPEN
    client = verified_client(bob)
    response = post(client, "duplicate", queue, {"reference": "KS-1999-000001", "reason": "x"})
    assert response.status_code == 400
    assert response.context["duplicate_form"].errors["reference"]
    response = post(
        client, "duplicate", queue, {"reference": own.reference.lower(), "reason": "Sama"}
    )
    assert response.status_code == 302
    queue.refresh_from_db()
    assert queue.status == Status.DUPLICATE and queue.duplicate_of == own


# --- notes, tasks, services, screening, files --------------------------------------------------


def test_notes_internal_and_shared(alice, own):
    client = verified_client(alice)
    assert post(client, "note_add", own, {"text": "Hanya petugas"}).status_code == 302
    assert post(client, "note_add", own, {"text": "Untuk ibu", "shared": "on"}).status_code == 302
    notes = {n.text: n.shared for n in Note.objects.filter(case=own)}
    assert notes == {"Hanya petugas": False, "Untuk ibu": True}
    response = post(client, "note_add", own, {"text": "   "})
    assert response.status_code == 400 and response.context["note_form"].errors


def test_tasks_and_services(alice, own):
    client = verified_client(alice)
    due = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    assert (
        post(client, "task_add", own, {"title": "Telepon KBRI", "due_at": due}).status_code == 302
    )
    task = own.tasks.get()
    assert post(client, "task_done", task).status_code == 302
    task.refresh_from_db()
    assert task.done_at is not None
    response = post(client, "service_add", own, {"type": "shelter", "timeframe": "date"})
    assert response.status_code == 400 and response.context["service_form"].errors["due_on"]
    assert (
        post(client, "service_add", own, {"type": "shelter", "timeframe": "1_hour"}).status_code
        == 302
    )
    service = own.services.get()
    html = client.get(detail(own)).content.decode()
    with translation.override("id"):
        assert str(Service.Type.SHELTER.label) in visible_text(html)
    # An overdue service is marked.
    own.services.update(due_at=timezone.now() - timedelta(minutes=5))
    html = client.get(detail(own)).content.decode()
    assert "tag-red" in html
    assert post(client, "service_done", service).status_code == 302
    service.refresh_from_db()
    assert service.done_at is not None


def test_task_of_another_officers_case_is_404(alice, carol, own):
    task = task_add(actor=alice, case=own, title="x", due_at=timezone.now() + timedelta(days=1))
    assert post(verified_client(carol), "task_done", task).status_code == 404
    task.refresh_from_db()
    assert task.done_at is None
    assert denied(carol)


def test_screening_round(alice, own):
    client = verified_client(alice)
    response = post(client, "screening", own, {"s-q_violence": "yes"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.screening_level == "urgent" and own.severity == "critical"
    response = post(client, "screening", own, {"s-q_threats": "unknown"}, follow=True)
    with translation.override("id"):
        assert messages_of(response)[-1] == translation.gettext("Record at least one answer.")
    assert own.screenings.count() == 1
    response = post(client, "screening", own, {"s-q_threats": "maybe"})
    assert response.status_code == 400 and response.context["screening_form"].errors["q_threats"]


def test_document_upload_and_download(alice, carol, own):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = verified_client(alice)
    response = post(
        client,
        "document_add",
        own,
        {"title": "Kontrak kerja", "file": SimpleUploadedFile("kontrak.pdf", PDF)},
    )
    assert response.status_code == 302
    doc = CaseDocument.objects.get(case=own)
    download = client.get(reverse("cases:document", args=[doc.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download.content == PDF
    assert AuditEvent.objects.filter(
        actor=alice, action="view", object_type="cases.casedocument", object_id=str(doc.pk)
    ).exists()
    assert verified_client(carol).get(reverse("cases:document", args=[doc.pk])).status_code == 404
    assert denied(carol)


def test_a_disguised_file_is_refused(alice, own):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = post(
        verified_client(alice),
        "document_add",
        own,
        {"title": "Foto", "file": SimpleUploadedFile("foto.pdf", b"MZ\x90\x00 program")},
    )
    assert response.status_code == 400
    errors = response.context["document_form"].errors["file"]
    assert "program" in errors[0]
    assert not CaseDocument.objects.exists()


# --- every action, refused to the wrong people -------------------------------------------------


def _targets(alice, own):
    """(url name, object pk, data) for every POST action on alice's case."""
    now = timezone.now()
    task = task_add(actor=alice, case=own, title="x", due_at=now + timedelta(days=1))
    service = service_plan(actor=alice, case=own, type="legal_aid", timeframe="3_days")
    return [
        ("move", own.pk, {"stage": "waiting", "reason": "x"}),
        ("assign", own.pk, {"officer": alice.pk}),
        ("severity", own.pk, {"severity": "high", "reason": "x"}),
        ("reopen", own.pk, {"reopen-reason": "x"}),
        ("duplicate", own.pk, {"reference": own.reference, "reason": "x"}),
        ("link_person", own.pk, {"mode": "register"}),
        ("note_add", own.pk, {"text": "x"}),
        ("task_add", own.pk, {"title": "x", "due_at": "2099-01-01T10:00"}),
        ("task_done", task.pk, {}),
        ("service_add", own.pk, {"type": "shelter", "timeframe": "1_day"}),
        ("service_done", service.pk, {}),
        ("screening", own.pk, {"s-q_violence": "yes"}),
        ("document_add", own.pk, {"title": "x"}),
    ]


def test_every_action_is_404_for_an_officer_of_another_agency(alice, carol, own):
    before = (own.version, own.notes.count(), own.tasks.count(), own.services.count())
    client = verified_client(carol)
    for name, pk, data in _targets(alice, own):
        response = post(client, name, pk, data)
        assert response.status_code == 404, name
    own.refresh_from_db()
    after = (own.version, own.notes.count(), own.tasks.count(), own.services.count())
    assert after == (before[0], before[1], before[2] + 1, before[3] + 1)  # the setup's only
    assert AuditEvent.objects.filter(actor=carol, action="denied").count() >= 13
    assert not own.tasks.filter(done_at__isnull=False).exists()


@pytest.mark.parametrize("who", ["wati", "teguh", "putri"])
def test_every_action_is_403_for_other_roles(who, request, alice, own):
    user = request.getfixturevalue(who)
    client = verified_client(user)
    for name, pk, data in _targets(alice, own):
        assert post(client, name, pk, data).status_code == 403, name
    assert client.get(reverse("cases:create")).status_code == 403
    doc = document_add(actor=alice, case=own, title="x", data=PDF, content_type="application/pdf")
    assert client.get(reverse("cases:document", args=[doc.pk])).status_code == 403
    own.refresh_from_db()
    assert own.stage == Stage.IN_PROGRESS and own.severity == "normal"


def test_the_officer_who_typed_a_report_reads_it_once_someone_else_holds_it(alice, bob):
    from conftest import make_user
    from garda.accounts import roles
    from garda.cases.services.handling import case_assign

    dewi = make_user("dewi3-cases@example.org", roles.OFFICER, alice.agency, full_name="Dewi")
    case, _secret = open_case(actor=alice, channel="hotline")
    case = case_move(actor=alice, case=case, stage="triaged", reason="dicek")
    case_assign(actor=bob, case=case, officer=dewi, reason="beban")
    client = verified_client(alice)
    response = client.get(detail(case))
    assert response.status_code == 200
    assert response.context["may_handle"] is False
    html = response.content.decode()
    assert reverse("cases:note_add", args=[case.pk]) not in html
    assert post(client, "note_add", case, {"text": "x"}).status_code == 404
    assert denied(alice, object_id=str(case.pk))


def test_admin_sees_every_case(admin_user, alice, carol, own, queue):
    other = case_in_progress(officer=carol, person_name="Lain")
    html = verified_client(admin_user).get(reverse("cases:list")).content.decode()
    assert all(c.reference in html for c in (own, other, queue))


def test_supervisor_of_another_agency_gets_404_on_the_case(alice, own):
    from conftest import create_agency, make_user
    from garda.accounts import roles

    sari = make_user("sari@example.org", roles.SUPERVISOR, create_agency("dinsos"))
    client = verified_client(sari)
    assert client.get(detail(own)).status_code == 404
    assert post(client, "severity", own, {"severity": "high", "reason": "x"}).status_code == 404
    assert denied(sari, object_id=str(own.pk))


def test_a_request_decided_twice_is_said_as_a_message(alice, bob):
    case = case_in_progress(officer=alice, kinds=["abuse"])
    case = case_move(actor=alice, case=case, stage="resolved", reason="selesai")
    with pytest.raises(ApprovalPending):
        case_move(actor=alice, case=case, stage="closed", reason="selesai")
    approval = Approval.objects.get(case=case)
    supervisor = verified_client(bob)
    assert post(supervisor, "approval_decide", approval, {"approve": "1"}).status_code == 302
    response = post(supervisor, "approval_decide", approval, {"approve": "0", "comment": "x"})
    assert response.status_code == 302
    shown = messages_of(supervisor.get(response["Location"]))
    with translation.override("id"):
        assert shown[-1] == translation.gettext("This request was already decided.")
    approval.refresh_from_db()
    assert approval.decision == "approved"


def test_worklist_puts_the_nearest_deadline_first(alice):
    later = case_in_progress(officer=alice, person_name="Nanti")
    sooner = case_in_progress(officer=alice, person_name="Segera")
    done, _secret = open_case(person_name="Selesai")
    Clock.objects.filter(case=sooner, name="resolution").update(
        due_at=timezone.now() + timedelta(hours=2)
    )
    Clock.objects.filter(case=later, name="resolution").update(
        due_at=timezone.now() + timedelta(days=20)
    )
    response = verified_client(alice).get(reverse("cases:list"))
    assert [c.pk for c in response.context["page"]] == [sooner.pk, later.pk]
    assert done.pk not in [c.pk for c in response.context["page"]]  # not hers


def test_a_file_too_large_is_413_and_nothing_stored(alice, own, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.GARDA_DOCUMENT_MAX_BYTES = 64
    big = PDF + b"%" + b"x" * 200 + b"\n%%EOF\n"
    response = post(
        verified_client(alice),
        "document_add",
        own,
        {"title": "Besar", "file": SimpleUploadedFile("besar.pdf", big)},
    )
    assert response.status_code == 413
    assert response.context["document_form"].errors["file"]
    assert not CaseDocument.objects.exists()


def test_closed_cases_only_on_request(alice, own):
    client = verified_client(alice)
    closed = case_in_progress(officer=alice, person_name="Tutup")
    case_move(actor=alice, case=closed, stage="closed", reason="x", closing_reason="withdrawn")
    url = reverse("cases:list")
    html = client.get(url).content.decode()
    assert own.reference in html and closed.reference not in html
    html = client.get(url, {"status": "closed"}).content.decode()
    assert closed.reference in html and own.reference not in html
    html = client.get(url, {"status": "all"}).content.decode()
    assert closed.reference in html and own.reference in html


def test_the_dashboards_links_give_the_cases_it_counts(bob, alice, own, queue):
    from garda.cases.models import Escalation

    client = verified_client(bob)
    url = reverse("cases:list")
    html = client.get(url, {"owner": "none"}).content.decode()
    assert queue.reference in html and own.reference not in html
    html = client.get(url, {"owner": str(alice.pk)}).content.decode()
    assert own.reference in html and queue.reference not in html
    assert f'name="owner" value="{alice.pk}"' in html  # kept when filters change
    Escalation.objects.create(case=own, clock="resolution", level=1)
    html = client.get(url, {"escalated": "1"}).content.decode()
    assert own.reference in html and queue.reference not in html
    service_plan(actor=alice, case=own, type="shelter", timeframe="1_hour")
    assert own.reference not in client.get(url, {"service": "overdue"}).content.decode()
    own.services.update(due_at=timezone.now() - timedelta(minutes=1))
    assert own.reference in client.get(url, {"service": "overdue"}).content.decode()
    Clock.objects.filter(case=queue, name="first_response").update(
        due_at=timezone.now() - timedelta(hours=1)
    )
    html = client.get(url, {"clock": "breached", "clock_name": "first_response"}).content.decode()
    assert queue.reference in html and own.reference not in html
    html = client.get(url, {"clock": "breached", "clock_name": "resolution"}).content.decode()
    assert queue.reference not in html
    # Values from a crafted link are ignored, not errors.
    assert client.get(url, {"owner": "9" * 40, "agency": "-1", "since": "x"}).status_code == 200


def test_the_officer_intake_form_asks_about_the_reporter_and_has_no_honeypot(alice):
    from garda.cases.forms import CaseForm

    form = CaseForm()
    assert "website" not in form.fields
    assert str(form.fields["reporter_name"].label) == "Nama pelapor"
    assert str(form.fields["relationship"].label) == "Hubungan pelapor dengan pekerja"
