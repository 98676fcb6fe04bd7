"""The one gate (gate.py): every refusal writes a denied row, then raises."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from conftest import verified_client
from garda.audit.gate import deny, deny_not_found
from garda.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _denied():
    return AuditEvent.objects.filter(action=AuditEvent.Action.DENIED)


def test_deny_writes_a_row_and_raises_permission_denied_naming_what(alice, disnaker):
    with pytest.raises(PermissionDenied) as caught:
        deny(alice, "people.person_update", target=disnaker)
    assert str(caught.value) == "people.person_update"
    row = _denied().get()
    assert (row.actor, row.reason) == (alice, "people.person_update")
    assert (row.object_type, row.object_id) == ("accounts.agency", str(disnaker.pk))


def test_deny_raises_the_exception_it_is_given(alice):
    with pytest.raises(PermissionDenied) as caught:
        deny(alice, "GET audit:event_list", exc=PermissionDenied())
    assert str(caught.value) == ""
    assert _denied().get().object_type == ""


def test_deny_not_found_audits_signed_in_users_and_answers_404(alice):
    with pytest.raises(Http404):
        deny_not_found(alice, "people.person", "9" * 100, "get_person_for")
    row = _denied().get()
    assert (row.object_type, row.object_id, row.reason) == (
        "people.person",
        "9" * 64,
        "get_person_for",
    )
    with pytest.raises(Http404):
        deny_not_found(AnonymousUser(), "people.person", 1, "get_person_for")
    assert _denied().count() == 1


def test_pages_gated_by_permission_redirect_anonymous_and_audit_refusals(client, alice):
    url = reverse("audit:event_list")
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].endswith(f"?next={url}")
    assert not _denied().exists()
    assert verified_client(alice).get(url).status_code == 403
    assert verified_client(alice).get("/api/v1/audit/events").status_code == 403
    assert list(_denied().order_by("id").values_list("actor", "reason")) == [
        (alice.pk, "GET audit:event_list"),
        (alice.pk, "api audit_event_list"),
    ]
