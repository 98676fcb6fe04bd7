"""Who reads the audit log: admins everything, supervisors their agency's staff's
actions, nobody else anything; missing and forbidden both give 404."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import RequestFactory

from garda.audit.access import get_audit_event_for, visible_audit_events
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.audit.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(alice, bob, carol, admin_user):
    return {
        "alice": audit_record(actor=alice, action=AuditEvent.Action.VIEW),
        "bob": audit_record(actor=bob, action=AuditEvent.Action.EXPORT),
        "carol": audit_record(actor=carol, action=AuditEvent.Action.VIEW),
        "admin": audit_record(actor=admin_user, action=AuditEvent.Action.UPDATE),
        "anonymous": audit_record(actor=None, action=AuditEvent.Action.LOGIN_FAILED),
    }


def ids(queryset) -> set[int]:
    return set(queryset.values_list("id", flat=True))


def test_admin_sees_every_event(admin_user, events):
    assert ids(visible_audit_events(admin_user)) == {e.pk for e in events.values()}


def test_supervisor_sees_only_their_agency_staff_events(bob, dewi, events):
    assert ids(visible_audit_events(bob)) == {events["alice"].pk, events["bob"].pk}
    assert ids(visible_audit_events(dewi)) == {events["carol"].pk}


def test_supervisor_without_agency_sees_nothing(events):
    lone = make_user("lone@example.org", "supervisor", None)
    assert not visible_audit_events(lone).exists()


@pytest.mark.parametrize("persona", ["alice", "carol"])
def test_officers_see_nothing(request, persona, events):
    assert not visible_audit_events(request.getfixturevalue(persona)).exists()


def test_anonymous_and_inactive_users_see_nothing(admin_user, events):
    assert not visible_audit_events(AnonymousUser()).exists()
    admin_user.is_active = False
    admin_user.save(update_fields=["is_active"])
    assert not visible_audit_events(admin_user).exists()


def test_get_audit_event_for_returns_a_visible_event(bob, events):
    assert get_audit_event_for(bob, events["alice"].pk) == events["alice"]


@pytest.mark.parametrize(
    ("persona", "pk"),
    [
        ("bob", "carol"),  # another agency's event
        ("alice", "alice"),  # her own, but officers do not read the log
        ("bob", 999_999),  # missing
        ("bob", "not-a-number"),
    ],
)
def test_get_audit_event_for_gives_404_when_missing_or_forbidden(request, events, persona, pk):
    user = request.getfixturevalue(persona)
    if pk in events:
        pk = events[pk].pk
    with pytest.raises(Http404):
        get_audit_event_for(user, pk)


@pytest.fixture
def model_admin():
    return admin.site._registry[AuditEvent]


def admin_request(user):
    request = RequestFactory().get("/admin/audit/auditevent/")
    request.user = user
    return request


def test_admin_screen_is_read_only_even_for_superusers(model_admin, events):
    root = make_user("root@example.org", "admin", None)
    root.is_superuser = root.is_staff = True
    root.save(update_fields=["is_superuser", "is_staff"])
    request = admin_request(root)

    assert model_admin.has_view_permission(request, events["bob"])
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, events["bob"])
    assert not model_admin.has_delete_permission(request, events["bob"])
    assert not model_admin.get_actions(request)


def test_admin_screen_lists_only_visible_events(model_admin, bob, events):
    assert ids(model_admin.get_queryset(admin_request(bob))) == {
        events["alice"].pk,
        events["bob"].pk,
    }


def test_admin_screen_shows_nothing_to_officers(model_admin, alice, events):
    request = admin_request(alice)
    assert not model_admin.has_view_permission(request)
    assert not model_admin.get_queryset(request).exists()


def test_admin_pages_through_the_client(client, settings, admin_user, events):
    settings.REQUIRE_2FA = False  # the second factor has its own tests in accounts
    admin_user.is_staff = True
    admin_user.save(update_fields=["is_staff"])
    client.force_login(admin_user)
    event = events["carol"]

    listing = client.get("/admin/audit/auditevent/?action=view&actor_role=officer")
    assert listing.status_code == 200
    assert {e.pk for e in listing.context["cl"].result_list} == {
        events["alice"].pk,
        event.pk,
    }
    assert client.get(f"/admin/audit/auditevent/{event.pk}/change/").status_code == 200
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert client.post(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
