"""The audit trail page and API: admins see all, supervisors their agency's staff."""

import pytest
from django.urls import reverse

from conftest import verified_client
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record


@pytest.fixture
def trail(alice, carol, disnaker):
    for _ in range(30):
        audit_record(actor=alice, action=AuditEvent.Action.VIEW, target=disnaker)
    for _ in range(5):
        audit_record(
            actor=carol, action=AuditEvent.Action.UPDATE, target=disnaker, changed_fields=["phone"]
        )


@pytest.mark.django_db
def test_supervisor_sees_only_their_agency_on_page_and_api(
    bob, alice, carol, trail, django_assert_max_num_queries
):
    client = verified_client(bob)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("audit:event_list"))
    assert response.status_code == 200
    actors = {e.actor_id for e in response.context["page"]}
    assert carol.pk not in actors and alice.pk in actors
    body = client.get("/api/v1/audit/events?action=update").json()
    assert body["count"] == 0  # carol's updates are another agency's
    assert client.get("/api/v1/audit/events?action=view").json()["count"] == 30


@pytest.mark.django_db
def test_admin_sees_everything_filtered_and_paginated(
    admin_user, trail, django_assert_max_num_queries
):
    client = verified_client(admin_user)
    with django_assert_max_num_queries(10):
        body = client.get("/api/v1/audit/events?action=update").json()
    assert body["count"] == 5
    assert body["items"][0]["changed_fields"] == ["phone"]
    page = client.get(reverse("audit:event_list") + "?action=view&page=1")
    assert len(page.context["page"]) == 30
    htmx = client.get(reverse("audit:event_list") + "?action=update", HTTP_HX_REQUEST="true")
    assert htmx.content.decode().lstrip().startswith('<div id="audit-results">')
    # Five columns, a card per event on a phone; times in words, never ISO.
    from garda.tests.markup import assert_stacked_tables, iso_dates

    (table,) = assert_stacked_tables(htmx.content.decode())
    assert table.caption == "5 peristiwa, yang terbaru lebih dahulu"
    assert len(table.header_texts) == 5
    assert all(dict(r)["Rincian"] == "Kolom: telepon" for r in table.rows)  # in words
    assert iso_dates(htmx.content.decode()) == []


@pytest.mark.django_db
def test_bad_filters_are_clear_errors(admin_user, trail):
    client = verified_client(admin_user)
    response = client.get("/api/v1/audit/events?since=yesterday")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "since"
    page = client.get(reverse("audit:event_list") + "?actor=abc")
    assert page.status_code == 200
    assert "actor" in page.context["form"].errors


@pytest.mark.django_db
def test_officer_and_worker_are_refused(alice, wati, trail):
    for user in (alice, wati):
        client = verified_client(user)
        assert client.get(reverse("audit:event_list")).status_code == 403
        assert client.get("/api/v1/audit/events").status_code == 403
