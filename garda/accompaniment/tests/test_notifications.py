"""The notification inbox (accounts.views.notifications / api.notifications): one's own
notifications only, newest first, unread marked, mark one or all read."""

import re
from datetime import timedelta

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from conftest import verified_client
from garda.accounts.models import Notification
from garda.audit.models import AuditEvent
from garda.context_processors import notification_count


def note(user, title, *, minutes_ago=0, read=False, url=""):
    n = Notification.objects.create(
        user=user,
        title=title,
        url=url,
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
        read_at=timezone.now() if read else None,
    )
    return n


@pytest.fixture
def inbox(wati, tono):
    return {
        "old": note(wati, "Dokumen diverifikasi", minutes_ago=60, read=True),
        "new": note(wati, "Janji temu baru", minutes_ago=5, url="/accompaniment/me/"),
        "newest": note(wati, "Dokumen ditolak", minutes_ago=1),
        "tono": note(tono, "Punya Tono"),
    }


@pytest.mark.django_db
def test_inbox_lists_own_notifications_newest_first(wati, inbox):
    response = verified_client(wati).get(reverse("accounts:notifications"))
    assert response.status_code == 200
    assert [n.title for n in response.context["page"]] == [
        "Dokumen ditolak",
        "Janji temu baru",
        "Dokumen diverifikasi",
    ]
    html = response.content.decode()
    assert "Punya Tono" not in html and html.count('class="card unread"') == 2
    assert html.count('<strong class="tag tag-blue">Baru</strong>') == 2  # unread, in words
    # Dates as "6 Desember 2026, 14.30", never ISO.
    assert not re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", html.split("<main", 1)[1])
    assert re.search(r"\d{1,2} [A-Z][a-z]+ \d{4}, \d{2}\.\d{2}</time>", html)
    assert response.context["unread"] == 2
    only = verified_client(wati).get(reverse("accounts:notifications"), {"unread": "1"})
    assert [n.title for n in only.context["page"]] == ["Dokumen ditolak", "Janji temu baru"]
    assert AuditEvent.objects.filter(actor=wati, object_type="accounts.notification").exists()


@pytest.mark.django_db
def test_mark_one_read_page_htmx_and_open(wati, tono, inbox):
    client = verified_client(wati)
    url = reverse("accounts:notification_read", args=[inbox["newest"].pk])
    partial = client.post(url, HTTP_HX_REQUEST="true")
    assert (
        partial.content.decode().lstrip().startswith(f'<li id="notification-{inbox["newest"].pk}"')
    )
    inbox["newest"].refresh_from_db()
    assert inbox["newest"].read_at is not None
    opened = client.post(
        reverse("accounts:notification_read", args=[inbox["new"].pk]), {"open": "1"}
    )
    assert opened.status_code == 302 and opened["Location"] == "/accompaniment/me/"
    # Someone else's notification is not found, and stays unread.
    other = client.post(reverse("accounts:notification_read", args=[inbox["tono"].pk]))
    assert other.status_code == 404
    inbox["tono"].refresh_from_db()
    assert inbox["tono"].read_at is None


@pytest.mark.django_db
def test_open_never_leaves_the_site(wati):
    evil = note(wati, "x", url="https://evil.example/phish")
    response = verified_client(wati).post(
        reverse("accounts:notification_read", args=[evil.pk]), {"open": "1"}
    )
    assert response["Location"] == reverse("accounts:notifications")


@pytest.mark.django_db
def test_mark_all_read(wati, tono, inbox):
    client = verified_client(wati)
    response = client.post(reverse("accounts:notifications_read_all"), HTTP_HX_REQUEST="true")
    assert response.content.decode().lstrip().startswith('<div id="notifications"')
    assert not Notification.objects.filter(user=wati, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=tono, read_at__isnull=True).count() == 1
    event = AuditEvent.objects.get(actor=wati, action="update", object_type="accounts.notification")
    assert event.reason == "all read: 2"


@pytest.mark.django_db
def test_api(wati, tono, inbox):
    client = verified_client(wati)
    body = client.get("/api/v1/notifications", {"page_size": 2}).json()
    assert body["count"] == 3 and [n["title"] for n in body["items"]] == [
        "Dokumen ditolak",
        "Janji temu baru",
    ]
    assert body["items"][0]["unread"] is True
    assert client.get("/api/v1/notifications", {"unread": True}).json()["count"] == 2
    assert client.get("/api/v1/notifications/unread-count").json() == {"unread": 2}
    read = client.post(f"/api/v1/notifications/{inbox['new'].pk}/read")
    assert read.status_code == 200 and read.json()["unread"] is False
    assert client.post(f"/api/v1/notifications/{inbox['tono'].pk}/read").status_code == 404
    assert client.post("/api/v1/notifications/read-all").json() == {"marked": 1}
    assert client.post("/api/v1/notifications/read-all").json() == {"marked": 0}
    assert verified_client(tono).get("/api/v1/notifications").json()["count"] == 1


@pytest.mark.django_db
def test_staff_have_an_inbox_too(alice):
    note(alice, "Tugas jatuh tempo")
    assert verified_client(alice).get("/api/v1/notifications").json()["count"] == 1


@pytest.mark.django_db
def test_anonymous(inbox):
    from django.test import Client

    client = Client()
    assert client.get(reverse("accounts:notifications")).status_code == 302
    assert client.get("/api/v1/notifications").status_code == 401
    assert client.post(f"/api/v1/notifications/{inbox['new'].pk}/read").status_code == 401


@pytest.mark.django_db
def test_unread_count_context_processor(wati, inbox, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = wati
    with django_assert_num_queries(0):  # nothing is counted until a template asks
        context = notification_count(request)
    with django_assert_num_queries(1):
        rendered = Template("{{ unread_notification_count }}").render(Context(context))
    assert rendered == "2"
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    assert notification_count(request) == {"unread_notification_count": 0}
