"""The timeline of a person: every kind of event merged newest first, paginated,
scoped, and read in a constant number of queries."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import verified_client
from garda.accompaniment import timeline as tl
from garda.accompaniment.services import contact_log, task_complete, task_create
from garda.destinations.models import Destination, Plan, Scheme
from garda.documents.models import Document, DocumentType
from garda.people.services.registry import person_change_status
from garda.people.tests.factories import register

T0 = datetime(2026, 10, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def at(hours: int) -> datetime:
    return T0 + timedelta(hours=hours)


@pytest.fixture
def history(alice):
    """Siti's story, one event per hour."""
    with time_machine.travel(at(0), tick=False):
        person = register(serial=1, actor=alice, full_name="Siti Aminah")  # status + assignment
    with time_machine.travel(at(1), tick=False):
        contact_log(actor=alice, person=person, channel="office", summary="Datang ke LTSA")
        task = task_create(actor=alice, person=person, title="Medical", due_at=at(30))
    ktp = Document.objects.create(
        person=person,
        type=DocumentType.objects.get(code="ktp"),
        uploaded_at=at(3),
        uploaded_by=alice,
        status="verified",
        reviewed_at=at(4),
        reviewed_by=alice,
    )
    with time_machine.travel(at(5), tick=False):
        task_complete(actor=alice, task=task)
    with time_machine.travel(at(5) + timedelta(minutes=30), tick=False):
        person_change_status(actor=alice, person=person, to_status="in_preparation", reason="")
    Plan.objects.create(
        person=person,
        destination=Destination.objects.get(code="KR"),
        scheme=Scheme.objects.get(code="g2g-kr-eps"),
        sector="manufacturing",
        created_by=alice,
        created_at=at(6),
    )
    medical = Document.objects.create(
        person=person,
        type=DocumentType.objects.get(code="medical"),
        uploaded_at=at(7),
        status="rejected",
        rejection_reason="Hasil tes buta warna tidak terbaca",
        reviewed_at=at(8),
        reviewed_by=alice,
    )
    return person, task, ktp, medical


@pytest.mark.django_db
def test_every_kind_merged_newest_first(alice, history):
    person, task, ktp, medical = history
    page, entries = tl.timeline_page(alice, person, 1)
    assert [(e.kind, e.obj.pk) for e in entries] == [
        (tl.DOCUMENT_REVIEWED, medical.pk),
        (tl.DOCUMENT_UPLOADED, medical.pk),
        (tl.PLAN, entries[2].obj.pk),
        (tl.STATUS, entries[3].obj.pk),
        (tl.TASK_DONE, task.pk),
        (tl.DOCUMENT_REVIEWED, ktp.pk),
        (tl.DOCUMENT_UPLOADED, ktp.pk),
        (tl.TASK_CREATED, task.pk),
        (tl.CONTACT, entries[8].obj.pk),
        (tl.STATUS, entries[9].obj.pk),  # registered
        (tl.ASSIGNED, entries[10].obj.pk),
    ]
    texts = [e.text for e in entries]
    assert texts[0]["detail"] == "Hasil tes buta warna tidak terbaca"  # alice accompanies her
    assert "Datang ke LTSA" == texts[8]["detail"] and texts[8]["actor"] == "Alice"
    assert page.paginator.count == 11


@pytest.mark.django_db
def test_health_rejection_reason_is_hidden_from_those_who_may_not_see_health(bob, history):
    person, *_ = history
    _page, entries = tl.timeline_page(bob, person, 1)
    first = entries[0].text
    assert "Hasil tes" not in first["detail"] and first["title"]


@pytest.mark.django_db
def test_pages_and_htmx(alice, history, monkeypatch):
    person, *_ = history
    client = verified_client(alice)
    url = reverse("accompaniment:timeline", args=[person.pk])
    monkeypatch.setattr(tl, "PAGE_SIZE", 4)
    first = client.get(url)
    assert [e.kind for e in first.context["entries"]][:1] == [tl.DOCUMENT_REVIEWED]
    assert "?page=2" in first.content.decode()
    third = client.get(url, {"page": 3}, HTTP_HX_REQUEST="true")
    html = third.content.decode()
    assert html.lstrip().startswith('<section id="timeline"')
    assert len(third.context["entries"]) == 3 and "Datang ke LTSA" in html


@pytest.mark.django_db
def test_api_timeline(alice, history):
    person, *_ = history
    client = verified_client(alice)
    body = client.get(f"/api/v1/people/{person.pk}/timeline", {"page_size": 5}).json()
    assert body["count"] == 11 and len(body["items"]) == 5
    assert body["items"][0]["kind"] == "document_reviewed"
    assert set(body["items"][0]) == {"at", "kind", "id", "title", "detail", "actor"}
    beyond = client.get(f"/api/v1/people/{person.pk}/timeline", {"page": 9}).json()
    assert beyond == {"items": [], "count": 11, "count_capped": False}


@pytest.mark.django_db
def test_timeline_is_for_those_who_accompany(dewi, bob, teguh, wati, history):
    person, *_ = history
    assert verified_client(bob).get(f"/api/v1/people/{person.pk}/timeline").status_code == 200
    for outsider, status in ((dewi, 404), (teguh, 403), (wati, 403)):
        client = verified_client(outsider)
        url = reverse("accompaniment:timeline", args=[person.pk])
        assert client.get(url).status_code == status
        assert client.get(f"/api/v1/people/{person.pk}/timeline").status_code == status


@pytest.mark.django_db
def test_timeline_query_count_is_bounded(alice, history, django_assert_max_num_queries):
    """At most one query per kind of event on the page, however long the history:
    the first page holds every kind here, later pages can only need fewer."""
    person, *_ = history
    client = verified_client(alice)
    url = reverse("accompaniment:timeline", args=[person.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for n in range(15):
        contact_log(actor=alice, person=person, channel="phone", summary=f"Telepon {n}")
        task = task_create(actor=alice, person=person, title=f"T{n}", due_at=at(24 * 90))
        task_complete(actor=alice, task=task)
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(url)
    assert len(response.context["entries"]) == tl.PAGE_SIZE
    api = f"/api/v1/people/{person.pk}/timeline"
    with CaptureQueriesContext(connection) as api_queries:
        client.get(api)
    contact_log(actor=alice, person=person, channel="phone", summary="Lagi")
    with django_assert_max_num_queries(len(api_queries.captured_queries)):
        client.get(api)


@pytest.mark.django_db
def test_the_person_page_shows_the_timeline(alice, history):
    person, *_ = history
    html = verified_client(alice).get(reverse("accompaniment:person", args=[person.pk]))
    assert "Datang ke LTSA" in html.content.decode()
