"""The worker's own cases in the API: only their own (about them, or reported by them
for a family member), never internal notes, screening answers, severity or a
reporter's phone that is not theirs; a report from the portal; messages."""

import pytest
from django.test import Client

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.cases.models import Case, Channel, Note
from garda.cases.services.record import note_add, screening_record
from garda.cases.tests.factories import case_in_progress, confirm_nik_owner, open_case
from garda.people.tests.factories import register

pytestmark = pytest.mark.django_db

JSON = "application/json"
MINE = "/api/v1/me/cases"


@pytest.fixture
def wati_person(wati):
    return register(serial=2, user=wati, full_name="Wati Lestari")


@pytest.fixture
def tono_person(tono):
    return register(serial=3, user=tono, full_name="Tono Sugiarto", sex="M")


def post(client, url, data=None):
    return client.post(url, data or {}, content_type=JSON)


@pytest.fixture
def watis_case(alice, wati_person):
    """A case reported by wati's mother at the office, about wati (matched by NIK),
    held by alice, with an internal note, a shared one and a screening round."""
    case = case_in_progress(
        officer=alice,
        person_name="Wati",
        person_nik=wati_person.nik,
        reporter_phone="+6281299990000",
        kinds=["wages", "go_home"],
    )
    note_add(actor=alice, case=case, text="Catatan internal: majikan kasar", shared=False)
    note_add(actor=alice, case=case, text="Kami sudah menghubungi KBRI", shared=True)
    screening_record(actor=alice, case=case, answers={"documents": "held"})
    return case


def test_the_worker_sees_their_case_without_internal_notes(wati, alice, watis_case):
    client = verified_client(wati)
    listed = client.get(MINE).json()
    assert listed["count"] == 1
    item = listed["items"][0]
    assert item["id"] == watis_case.pk and item["reference"] == watis_case.reference
    assert item["stage"] == "in_progress" and item["stage_label"]
    assert sorted(item["kinds"]) == ["go_home", "wages"] and len(item["kind_labels"]) == 2
    assert item["holder"] == {"name": "Alice", "agency": "Disnakertransgi"}
    # The same sentence as the worker's own page (garda.cases.display).
    assert item["next_step"] == (
        "Petugas akan menghubungi Anda. Kirimkan informasi atau dokumen baru kepada petugas."
    )
    response = client.get(f"{MINE}/{watis_case.pk}")
    assert response.status_code == 200
    body = response.json()
    text = response.content.decode()
    assert [m["text"] for m in body["messages"]] == ["Kami sudah menghubungi KBRI"]
    assert (
        body["messages"][0]["author"] == "Petugas Alice, Disnakertransgi"
        and body["messages"][0]["mine"] is False
    )
    assert "Catatan internal" not in text
    # No severity, no screening, no clocks; the reporter's phone is not hers.
    for hidden in ("severity", "screening_level", "task_force", "clocks", "answers"):
        assert hidden not in body
    assert '"held"' not in text and "documents" not in text
    assert body["reporter_phone"] is None and "+6281299990000" not in text
    assert AuditEvent.objects.filter(
        actor=wati, action=AuditEvent.Action.VIEW, object_id=str(watis_case.pk), reason="own"
    ).exists()


def test_another_worker_and_staff_get_nothing(tono, wati, alice, teguh, watis_case):
    other = verified_client(tono)
    assert other.get(MINE).json()["count"] == 0
    assert other.get(f"{MINE}/{watis_case.pk}").status_code == 404
    assert AuditEvent.objects.filter(
        actor=tono, action=AuditEvent.Action.DENIED, object_id=str(watis_case.pk)
    ).exists()
    assert post(other, f"{MINE}/{watis_case.pk}/messages", {"text": "halo"}).status_code == 404
    for user in (alice, teguh):
        client = verified_client(user)
        assert client.get(MINE).status_code == 403
        assert client.get(f"{MINE}/{watis_case.pk}").status_code == 403
        assert post(client, MINE, {"description": "x", "kinds": ["wages"]}).status_code == 403
    assert Client().get(MINE).status_code == 401
    assert Case.objects.count() == 1


def test_the_worker_adds_information_and_the_officer_reads_it(wati, alice, watis_case):
    client = verified_client(wati)
    url = f"{MINE}/{watis_case.pk}/messages"
    assert post(client, url, {"text": "   "}).status_code == 422
    sent = post(client, url, {"text": "Paspor saya ditahan majikan."})
    assert sent.status_code == 201
    assert sent.json()["mine"] is True and sent.json()["from_reporter"] is True
    note = Note.objects.get(pk=sent.json()["id"])
    assert note.shared and note.from_reporter and note.author == wati
    messages = client.get(f"{MINE}/{watis_case.pk}").json()["messages"]
    assert [m["text"] for m in messages][-1] == "Paspor saya ditahan majikan."
    assert messages[-1]["author"] == "Anda"
    staff = verified_client(alice).get(f"/api/v1/cases/{watis_case.pk}/notes").json()
    assert staff["items"][0]["text"] == "Paspor saya ditahan majikan."
    assert staff["items"][0]["from_reporter"] is True


def test_a_worker_reports_from_the_portal_about_themself(wati, wati_person):
    client = verified_client(wati)
    response = post(
        client,
        MINE,
        {"kinds": ["wages"], "description": "Gaji saya belum dibayar dua bulan."},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    case = Case.objects.get(pk=body["id"])
    assert case.channel == Channel.PORTAL and case.relationship == "self"
    assert case.person == wati_person and case.reporter_user == wati
    assert case.reporter_name == "Wati" and case.subject_name == "Wati Lestari"
    assert case.tracking_index == ""  # she follows it on her own pages
    assert "tracking_secret" not in body
    assert body["stage"] == "new"
    assert body["next_step"] == (
        "Tunggu petugas menghubungi Anda. Anda bisa menambahkan informasi atau dokumen kapan saja."
    )
    assert body["reporter_phone"] == case.reporter_phone  # she is the reporter
    assert client.get(MINE).json()["count"] == 1
    bad = post(client, MINE, {"kinds": ["nope"], "description": ""})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"kinds", "description"}
    assert Case.objects.count() == 1


def test_a_family_member_reports_and_sees_only_what_is_shared(tono, alice, tono_person):
    client = verified_client(tono)
    created = post(
        client,
        MINE,
        {
            "relationship": "sibling",
            "person_name": "Sari Sugiarto",
            "reporter_phone": "+6281311112222",
            "kinds": ["lost_contact"],
            "description": "Adik saya tidak bisa dihubungi sejak sebulan.",
        },
    )
    assert created.status_code == 201, created.json()
    case = Case.objects.get(pk=created.json()["id"])
    assert (
        case.person is None and case.reporter_user == tono and case.subject_name == "Sari Sugiarto"
    )
    assert case.severity == "high"  # lost contact starts high
    note_add(actor=alice, case=case, text="Internal: cek imigrasi", shared=False)
    note_add(actor=alice, case=case, text="Kami sedang mencari adik Anda", shared=True)
    body = client.get(f"{MINE}/{case.pk}").json()
    assert [m["text"] for m in body["messages"]] == ["Kami sedang mencari adik Anda"]
    assert body["reporter_phone"] == "+6281311112222"
    assert body["holder"] is None and body["subject_name"] == "Sari Sugiarto"


def test_the_worker_list_has_no_n_plus_one(wati, alice, wati_person, django_assert_max_num_queries):
    confirm_nik_owner(open_case(person_nik=wati_person.nik, person_name="Wati")[0], alice)
    client = verified_client(wati)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(MINE).json()["count"] == 1
    for _ in range(6):
        case_in_progress(officer=alice, person_nik=wati_person.nik, person_name="Wati")
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        assert client.get(MINE).json()["count"] == 7


def test_the_worker_does_not_read_what_someone_else_reported_about_them(alice, wati):
    """Her mother reported; wati sees her case but not her mother's words or name,
    in the API as on her page (found by the security review)."""
    from garda.cases.services.intake import case_open
    from garda.cases.tests.factories import report_data, worker_person

    person = worker_person(wati)
    case, _secret = case_open(
        actor=alice,
        data=report_data(
            person_nik=person.nik,
            reporter_name="Ibu Siti",
            description="SECRET-WORDS-OF-MOTHER",
        ),
        channel="hotline",
    )
    client = verified_client(wati)
    body = client.get(f"{MINE}/{case.pk}").json()
    assert body["id"] == case.pk
    assert body["description"] is None and body["reporter_name"] is None
    assert "SECRET-WORDS-OF-MOTHER" not in str(body) and "Ibu Siti" not in str(body)
