"""The officer's worklist (page and API) and the supervisor's workload: ordering,
filters, numbers, scoping, and a constant number of queries."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import verified_client
from garda.accompaniment import worklist as wl
from garda.accompaniment.models import Task
from garda.accompaniment.services import assignment_add, task_create
from garda.accompaniment.tests.conftest import later
from garda.audit.models import AuditEvent
from garda.destinations.models import Plan, Readiness
from garda.documents.models import Document, DocumentType
from garda.people.tests.factories import register


def document(person, code: str, *, status="verified", **extra) -> Document:
    return Document.objects.create(
        person=person, type=DocumentType.objects.get(code=code), status=status, **extra
    )


def overdue_task(person, officer, title="Terlambat"):
    """A task whose due time has passed (created earlier; services refuse past times)."""
    task = task_create(actor=officer, person=person, title=title, due_at=later(hours=1))
    Task.objects.filter(pk=task.pk).update(due_at=timezone.now() - timedelta(days=1))
    return task


@pytest.fixture
def caseload(alice):
    """Five persons of alice, each with one kind of work, plus one of another officer."""
    today = timezone.localdate()
    overdue = register(serial=11, actor=alice, full_name="Ani Overdue")
    overdue_task(overdue, alice)
    tomorrow = register(serial=12, actor=alice, full_name="Budi Besok")
    task_create(actor=alice, person=tomorrow, title="Medical", due_at=later(days=1))
    to_verify = register(serial=13, actor=alice, full_name="Citra Verifikasi")
    document(to_verify, "ktp", status="pending")
    expiring = register(serial=14, actor=alice, full_name="Dodi Paspor")
    document(expiring, "passport", expires_on=today + timedelta(days=100))
    idle = register(serial=15, actor=alice, full_name="Eka Santai")
    return {
        "overdue": overdue,
        "tomorrow": tomorrow,
        "to_verify": to_verify,
        "expiring": expiring,
        "idle": idle,
    }


def names(rows) -> list[str]:
    return [row.person.full_name for row in rows]


@pytest.mark.django_db
def test_worklist_orders_by_what_needs_doing(alice, carol, caseload):
    register(serial=16, actor=carol, full_name="Fajar Orang Lain")
    rows = wl.worklist_rows(alice)
    assert names(rows) == [
        "Ani Overdue",
        "Budi Besok",
        "Citra Verifikasi",
        "Dodi Paspor",
        "Eka Santai",
    ]
    today = timezone.localdate()
    by_name = {row.person.full_name: row for row in rows}
    assert by_name["Ani Overdue"].overdue and by_name["Ani Overdue"].overdue_tasks == 1
    assert by_name["Citra Verifikasi"].verify_due == today + timedelta(days=wl.VERIFY_WITHIN_DAYS)
    assert by_name["Dodi Paspor"].next_expiry == today + timedelta(days=100)
    assert by_name["Dodi Paspor"].expiring_docs == 1
    assert by_name["Eka Santai"].due is None


@pytest.mark.django_db
def test_a_waiting_verification_past_its_deadline_and_an_expired_document_count_as_overdue(
    alice, caseload
):
    Document.objects.filter(person=caseload["to_verify"]).update(
        uploaded_at=timezone.now() - timedelta(days=wl.VERIFY_WITHIN_DAYS + 1)
    )
    Document.objects.filter(person=caseload["expiring"]).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    rows = wl.worklist_rows(alice)
    assert {r.person.full_name for r in rows if r.overdue} == {
        "Ani Overdue",
        "Citra Verifikasi",
        "Dodi Paspor",
    }
    assert names(rows)[-2:] == ["Budi Besok", "Eka Santai"]


@pytest.mark.django_db
def test_a_medical_result_past_its_validity_is_expiring(alice):
    person = register(serial=21, actor=alice)
    document(person, "medical", issued_on=timezone.localdate() - timedelta(days=120))
    (row,) = wl.worklist_rows(alice)
    assert row.expiring_docs == 1 and row.expired and row.overdue


@pytest.mark.django_db
def test_filters(alice, caseload):
    assert names(wl.worklist_rows(alice, show=wl.NEEDS_ACTION)) == [
        "Ani Overdue",
        "Citra Verifikasi",
        "Dodi Paspor",
    ]
    assert names(wl.worklist_rows(alice, show=wl.DUE_THIS_WEEK)) == [
        "Ani Overdue",
        "Budi Besok",
        "Citra Verifikasi",
    ]


def _cached_readiness(person, *, percent=40, departure=None):
    plan = Plan.objects.create(
        person=person,
        destination_id=_id("destinations.Destination", code="KR"),
        scheme_id=_id("destinations.Scheme", code="g2g-kr-eps"),
        sector="manufacturing",
        planned_departure=departure,
    )
    return Readiness.objects.create(
        person=person,
        target_key=plan.target_key,
        percent=percent,
        ready=False,
        result={
            "next_steps": [{"text": "Ikuti tes EPS-TOPIK", "agency": "BP3MI DKI Jakarta"}],
        },
    )


def _id(label: str, **lookup) -> int:
    from django.apps import apps

    return apps.get_model(label).objects.get(**lookup).pk


@pytest.mark.django_db
def test_page_shows_cached_readiness_without_computing_it(alice, caseload):
    _cached_readiness(caseload["idle"], departure=timezone.localdate() + timedelta(days=60))
    client = verified_client(alice)
    before = Readiness.objects.count()
    response = client.get(reverse("accompaniment:worklist"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ikuti tes EPS-TOPIK" in html and "40%" in html
    assert Readiness.objects.count() == before
    # The planned departure (in 60 days) makes it due before the passport (100 days).
    rows = response.context["page"].object_list
    assert names(rows)[-2:] == ["Eka Santai", "Dodi Paspor"]
    assert AuditEvent.objects.filter(actor=alice, reason=f"worklist of user {alice.pk}").exists()


@pytest.mark.django_db
def test_page_filter_and_htmx_partial(alice, caseload):
    client = verified_client(alice)
    response = client.get(
        reverse("accompaniment:worklist"), {"show": "needs_action"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="worklist"')
    assert "Ani Overdue" in html and "Budi Besok" not in html


def _grow(alice, start: int, n: int):
    for serial in range(start, start + n):
        person = register(serial=serial, actor=alice)
        overdue_task(person, alice)
        task_create(actor=alice, person=person, title="Lagi", due_at=later(days=2))
        document(person, "ktp", status="pending")
        document(person, "passport", expires_on=timezone.localdate() + timedelta(days=30))
        _cached_readiness(person)


@pytest.mark.django_db
def test_worklist_query_count_does_not_grow_with_the_caseload(alice, django_assert_num_queries):
    client = verified_client(alice)
    url = reverse("accompaniment:worklist")
    _grow(alice, 100, 3)
    client.get(url)  # warm the session and the content types
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(alice, 200, 9)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 12
    with CaptureQueriesContext(connection) as api_small:
        client.get("/api/v1/worklist")
    _grow(alice, 300, 5)
    with django_assert_num_queries(len(api_small.captured_queries)):
        body = client.get("/api/v1/worklist").json()
    assert body["count"] == 17 and body["items"][0]["overdue"] is True


@pytest.mark.django_db
def test_worklist_api(alice, caseload):
    client = verified_client(alice)
    body = client.get("/api/v1/worklist", {"show": "due_week", "page_size": 2}).json()
    assert body["count"] == 3
    assert [item["full_name"] for item in body["items"]] == ["Ani Overdue", "Budi Besok"]
    assert body["items"][1]["tasks"][0]["title"] == "Medical"
    second = client.get("/api/v1/worklist", {"show": "due_week", "page_size": 2, "page": 2})
    assert [item["full_name"] for item in second.json()["items"]] == ["Citra Verifikasi"]
    bad = client.get("/api/v1/worklist", {"show": "everything"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "show"


@pytest.mark.django_db
def test_whose_worklist(alice, bob, carol, dewi, admin_user, caseload):
    supervisor = verified_client(bob)
    page = supervisor.get(reverse("accompaniment:worklist"), {"officer": alice.pk})
    assert page.status_code == 200 and len(page.context["page"].object_list) == 5
    assert (
        supervisor.get(reverse("accompaniment:worklist"), {"officer": carol.pk}).status_code == 404
    )
    assert supervisor.get("/api/v1/worklist", {"officer_id": carol.pk}).status_code == 404
    assert supervisor.get("/api/v1/worklist", {"officer_id": alice.pk}).json()["count"] == 5
    assert (
        verified_client(admin_user)
        .get("/api/v1/worklist", {"officer_id": alice.pk})
        .json()["count"]
        == 5
    )
    # An officer sees their own list only.
    other = verified_client(dewi)
    assert other.get("/api/v1/worklist", {"officer_id": alice.pk}).status_code == 404
    own = other.get(reverse("accompaniment:worklist"), {"officer": alice.pk})
    assert own.status_code == 200 and len(own.context["page"].object_list) == 0


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["wati", "teguh", "putri"])
def test_worklist_is_for_staff_who_accompany(who, request, caseload):
    client = verified_client(request.getfixturevalue(who))
    assert client.get(reverse("accompaniment:worklist")).status_code == 403
    assert client.get("/api/v1/worklist").status_code == 403


# --- workload -------------------------------------------------------------------------


@pytest.mark.django_db
def test_workload_numbers(bob, alice, dewi, carol, caseload):
    assignment_add(actor=bob, person=caseload["to_verify"], officer=dewi)
    register(serial=31, actor=carol)
    response = verified_client(bob).get(reverse("accompaniment:workload"))
    assert response.status_code == 200
    rows = {o.email: o for o in response.context["page"].object_list}
    assert set(rows) == {"alice@example.org", "dewi@example.org"}  # not carol (Dinsos)
    a = rows["alice@example.org"]
    assert (a.assigned, a.pending_docs, a.open_task_count, a.overdue_tasks, a.expiring_docs) == (
        5,
        1,
        2,
        1,
        1,
    )
    d = rows["dewi@example.org"]
    assert (d.assigned, d.pending_docs, d.open_task_count) == (1, 1, 0)
    # What the supervisor reads: one card per officer below 640 px.
    from garda.tests.markup import assert_stacked_tables

    (table,) = assert_stacked_tables(response.content.decode())
    alice_row = next(dict(r) for r in table.rows if dict(r)["Petugas"].startswith("Alice"))
    assert alice_row["Orang"] == "5"
    assert alice_row["Tugas terbuka"] == "2 1 terlambat"
    assert alice_row["Dokumen"] == "1 perlu diverifikasi 1 segera berakhir"


@pytest.mark.django_db
def test_workload_api_and_admin_agency_filter(bob, admin_user, alice, carol, dinsos, caseload):
    body = verified_client(bob).get("/api/v1/workload").json()
    assert [item["email"] for item in body["items"]] == ["alice@example.org"]
    item = body["items"][0]
    assert item["assigned_persons"] == 5 and item["overdue_tasks"] == 1
    assert item["pending_verifications"] == 1 and item["expiring_documents"] == 1
    admin = verified_client(admin_user)
    everyone = admin.get("/api/v1/workload").json()
    assert {i["email"] for i in everyone["items"]} == {"alice@example.org", "carol@example.org"}
    only = admin.get("/api/v1/workload", {"agency_id": dinsos.pk}).json()
    assert [i["email"] for i in only["items"]] == ["carol@example.org"]
    page = admin.get(reverse("accompaniment:workload"), {"agency": dinsos.pk})
    assert [o.email for o in page.context["page"].object_list] == ["carol@example.org"]


@pytest.mark.django_db
def test_workload_query_count_does_not_grow(bob, alice, disnaker, django_assert_num_queries):
    from conftest import make_user
    from garda.accounts import roles

    client = verified_client(bob)
    url = reverse("accompaniment:workload")
    _grow(alice, 100, 2)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(4):
        officer = make_user(f"o{n}@example.org", roles.OFFICER, disnaker)
        _grow(officer, 500 + 10 * n, 2)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 5
    with CaptureQueriesContext(connection) as api:
        client.get("/api/v1/workload")
    officer = make_user("o9@example.org", roles.OFFICER, disnaker)
    _grow(officer, 900, 2)
    with django_assert_num_queries(len(api.captured_queries)):
        assert len(client.get("/api/v1/workload").json()["items"]) == 6


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["alice", "wati", "teguh"])
def test_workload_is_for_supervisors_and_admins(who, request):
    client = verified_client(request.getfixturevalue(who))
    assert client.get(reverse("accompaniment:workload")).status_code == 403
    assert client.get("/api/v1/workload").status_code == 403
    assert client.get(reverse("accompaniment:reassign")).status_code == 403


# --- reassign (page and API) ----------------------------------------------------------


@pytest.mark.django_db
def test_reassign_page_moves_the_ticked_persons(bob, alice, dewi, caseload):
    client = verified_client(bob)
    form = client.get(reverse("accompaniment:reassign"), {"from": alice.pk})
    assert form.status_code == 200 and "Ani Overdue" in form.content.decode()
    picked = [caseload["overdue"].pk, caseload["idle"].pk]
    response = client.post(
        reverse("accompaniment:reassign"),
        {"from_officer": alice.pk, "to_officer": dewi.pk, "person_ids": picked},
    )
    assert response.status_code == 302
    assert set(dewi.assignments.values_list("person_id", flat=True)) == set(picked)
    assert Task.objects.get(person=caseload["overdue"]).officer == dewi
    assert (
        AuditEvent.objects.filter(
            actor=bob, object_type="people.assignment", action="update", reason="reassign"
        ).count()
        == 2
    )


@pytest.mark.django_db
def test_reassign_page_refuses_bad_choices(bob, alice, carol, caseload):
    client = verified_client(bob)
    url = reverse("accompaniment:reassign")
    same = client.post(url, {"from_officer": alice.pk, "to_officer": alice.pk, "everyone": "on"})
    assert same.status_code == 200 and "to_officer" in same.context["form"].errors
    # Carol is not an officer bob manages: not a choice.
    other = client.post(url, {"from_officer": alice.pk, "to_officer": carol.pk, "everyone": "on"})
    assert "to_officer" in other.context["form"].errors
    nobody = client.post(url, {"from_officer": alice.pk, "to_officer": alice.pk})
    assert "person_ids" in nobody.context["form"].errors
    assert alice.assignments.count() == 5
    assert client.get(url, {"from": carol.pk}).status_code == 404


@pytest.mark.django_db
def test_reassign_api(bob, alice, dewi, tono, carol, caseload):
    client = verified_client(bob)
    url = "/api/v1/assignments/reassign"
    to_worker = client.post(
        url,
        {"from_officer_id": alice.pk, "to_officer_id": tono.pk},
        content_type="application/json",
    )
    assert to_worker.status_code == 422
    assert to_worker.json()["errors"][0] == {
        "field": "to_officer_id",
        "code": "not_an_officer",
        "message": to_worker.json()["errors"][0]["message"],
    }
    to_carol = client.post(
        url,
        {"from_officer_id": alice.pk, "to_officer_id": carol.pk},
        content_type="application/json",
    )
    assert to_carol.status_code == 403
    moved = client.post(
        url,
        {
            "from_officer_id": alice.pk,
            "to_officer_id": dewi.pk,
            "person_ids": [caseload["idle"].pk],
        },
        content_type="application/json",
    )
    assert moved.json() == {"moved": 1}
    everyone = client.post(
        url,
        {"from_officer_id": alice.pk, "to_officer_id": dewi.pk},
        content_type="application/json",
    )
    assert everyone.json() == {"moved": 4}
    assert not alice.assignments.exists()
    assert (
        verified_client(alice)
        .post(
            url,
            {"from_officer_id": dewi.pk, "to_officer_id": alice.pk},
            content_type="application/json",
        )
        .status_code
        == 403
    )


def test_rank_is_total():
    """Rows with equal urgency fall back to the person id: a stable order."""

    class P:
        def __init__(self, pk):
            self.pk = pk

    rows = [wl.Row(P(pk), 0, None, 0, 0, None, 0, None, None, None, None, None) for pk in (3, 1, 2)]
    assert [r.person.pk for r in sorted(rows, key=wl._rank)] == [1, 2, 3]
    rows[0].due = date(2026, 1, 1)
    assert sorted(rows, key=wl._rank)[0].person.pk == 3


@pytest.mark.django_db
def test_worklist_reads_as_cards_on_a_phone(alice, caseload):
    """docs/design-ui.md §2.5: five columns at most, a caption, scoped headers, and a
    data-label on every cell (the row becomes a card below 640 px); the overdue
    person says so with a red tag; dates as "6 Maret 2026", never ISO."""
    from garda.tests.markup import assert_stacked_tables, iso_dates

    html = verified_client(alice).get(reverse("accompaniment:worklist")).content.decode()
    (table,) = assert_stacked_tables(html)
    assert table.header_texts == [
        "Nama",
        "Jatuh tempo",
        "Perlu tindakan",
        "Tugas berikutnya",
        "Kesiapan",
    ]
    assert table.caption == "5 orang, yang paling mendesak lebih dahulu"
    first = dict(table.rows[0])
    assert first["Nama"].startswith("Ani Overdue")
    assert first["Jatuh tempo"].startswith("Terlambat")
    assert '<strong class="tag tag-red">Terlambat</strong>' in html
    to_verify = next(dict(r) for r in table.rows if dict(r)["Nama"].startswith("Citra"))
    assert to_verify["Perlu tindakan"].startswith("1 dokumen perlu diverifikasi paling lambat")
    assert iso_dates(html) == []


@pytest.mark.django_db
def test_empty_worklist_says_so_without_a_table(alice):
    from garda.tests.markup import tables

    html = verified_client(alice).get(reverse("accompaniment:worklist")).content.decode()
    assert "Tidak ada orang dalam daftar ini." in html and tables(html) == []
