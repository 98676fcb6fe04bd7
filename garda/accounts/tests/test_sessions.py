"""Idle and absolute session timeouts (docs/security.md, test 10), with a controlled clock."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from conftest import verified_client
from garda.accounts.services import user_deactivate
from garda.audit.models import AuditEvent

START = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_staff_idle_for_more_than_30_minutes_is_logged_out(alice):
    with time_machine.travel(START, tick=False) as clock:
        client = verified_client(alice)
        assert client.get(reverse("accounts:agency_list")).status_code == 200
        clock.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("accounts:agency_list")).status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get(reverse("accounts:agency_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert AuditEvent.objects.filter(actor=alice, action="session_expired").count() == 1
    assert not AuditEvent.objects.filter(actor=alice, action="logout").exists()


@pytest.mark.django_db
def test_staff_session_ends_after_12_hours_even_when_active(alice):
    with time_machine.travel(START, tick=False) as clock:
        client = verified_client(alice)
        for _ in range(23):  # a request every 30 minutes for 11.5 hours
            clock.shift(dt.timedelta(minutes=29, seconds=59))
            assert client.get("/api/v1/me").status_code == 200
        clock.shift(dt.timedelta(minutes=40))
        assert client.get("/api/v1/me").status_code == 401


@pytest.mark.django_db
def test_worker_idle_limit_is_longer(wati):
    with time_machine.travel(START, tick=False) as clock:
        client = verified_client(wati)
        clock.shift(dt.timedelta(minutes=90))
        assert client.get("/api/v1/me").status_code == 200
        clock.shift(dt.timedelta(hours=2, minutes=1))
        assert client.get("/api/v1/me").status_code == 401


@pytest.mark.django_db
def test_deactivation_ends_sessions(alice, admin_user):
    client = verified_client(alice)
    assert client.get("/api/v1/me").status_code == 200
    user_deactivate(actor=admin_user, user=alice, reason="left the agency")
    assert client.get("/api/v1/me").status_code == 401
    assert Client().get("/api/v1/me").status_code == 401
