"""One gate for audited reads: a page and its API operation read a person's record
through the same access function (people.access.read_person_for and the like) and
write the same single audit row; the identity reveal is one service for both."""

import pytest
from django.urls import reverse

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.people.services.registry import (
    IdentityRevealRefused,
    identity_reveal,
    identity_reveal_check,
)


def _rows_of(request) -> list[tuple]:
    """The audit rows one request writes, as (action, object_type, object_id,
    reason, changed_fields)."""
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = request()
    assert response.status_code == 200, response.status_code
    return [
        (e.action, e.object_type, e.object_id, e.reason, list(e.changed_fields))
        for e in AuditEvent.objects.filter(id__gt=last).order_by("id")
    ]


# (page url name, API path, method of the page, expected action and reason)
PAIRS = [
    ("people:detail", "/api/v1/people/{pk}", "get", "view", ""),
    ("people:reveal", "/api/v1/people/{pk}/identity", "post", "reveal", ""),
    ("documents:person", "/api/v1/people/{pk}/documents", "get", "view", "documents"),
    (
        "training:person_certificates",
        "/api/v1/people/{pk}/certificates",
        "get",
        "view",
        "certificates",
    ),
    ("accompaniment:timeline", "/api/v1/people/{pk}/timeline", "get", "view", "timeline"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "api", "method", "action", "reason"), PAIRS)
def test_page_and_api_write_the_same_single_read_row(
    alice, siti, page, api, method, action, reason
):
    client = verified_client(alice)
    url = reverse(page, args=[siti.pk])
    from_page = _rows_of(lambda: getattr(client, method)(url))
    from_api = _rows_of(lambda: client.get(api.format(pk=siti.pk)))
    assert from_page == from_api
    assert len(from_page) == 1
    assert from_page[0][:4] == (action, "people.person", str(siti.pk), reason)


@pytest.mark.django_db
def test_identity_reveal_service_audits_each_reveal(bob, siti):
    numbers = identity_reveal(actor=bob, person=siti)
    assert numbers == {
        "nik": siti.nik,
        "kk_number": siti.kk_number,
        "passport_number": siti.passport_number,
    }
    event = AuditEvent.objects.get(actor=bob, action="reveal")
    assert (event.object_type, event.object_id, event.reason) == (
        "people.person",
        str(siti.pk),
        "",
    )
    assert event.changed_fields == ["nik", "kk_number", "passport_number"]
    identity_reveal(actor=bob, person=siti, purpose="edit form")
    assert AuditEvent.objects.filter(actor=bob, action="reveal", reason="edit form").count() == 1


@pytest.mark.django_db
def test_identity_reveal_service_refuses_an_unassigned_officer(carol, siti):
    with pytest.raises(IdentityRevealRefused):
        identity_reveal(actor=carol, person=siti)
    with pytest.raises(IdentityRevealRefused):
        identity_reveal_check(actor=carol, person=siti, purpose="edit form")
    assert not AuditEvent.objects.filter(actor=carol, action="reveal").exists()
    denied = list(
        AuditEvent.objects.filter(actor=carol, action="denied")
        .order_by("id")
        .values_list("object_type", "object_id", "reason")
    )
    assert denied == [
        ("people.person", str(siti.pk), "reveal identity"),
        ("people.person", str(siti.pk), "edit needs the identity numbers"),
    ]


@pytest.mark.django_db
def test_identity_refusal_is_the_same_on_the_page_and_the_api(carol, siti):
    client = verified_client(carol)
    assert client.post(reverse("people:reveal", args=[siti.pk])).status_code == 403
    api = client.get(f"/api/v1/people/{siti.pk}/identity")
    assert api.status_code == 403
    assert api.json()["detail"]
    assert (
        AuditEvent.objects.filter(
            actor=carol, action="denied", object_id=str(siti.pk), reason="reveal identity"
        ).count()
        == 2
    )
