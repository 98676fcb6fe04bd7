"""The outreach funnels' dashboard on the known population of the outreach app's
funnel tests (garda/outreach/tests/test_funnel.py): the snapshot holds the funnel
per event, campaign and city; the page shows it from the snapshot, filtered by city."""

import pytest
from django.urls import reverse

from conftest import verified_client
from garda.outreach.tests.test_funnel import population  # noqa: F401 (a fixture)
from garda.reports.figures import DASHBOARDS, present
from garda.reports.models import Snapshot
from garda.reports.snapshots import snapshot_all

pytestmark = pytest.mark.django_db


def _rows(table_id: str, city: str = "") -> list[list]:
    data = Snapshot.objects.get(name="outreach", period="all").data
    return present(DASHBOARDS["outreach"].table(table_id), data, city).rows


def test_the_snapshot_holds_the_funnel_per_event_campaign_and_city(population):  # noqa: F811
    snapshot_all(periods=["all"], names=["outreach"])
    a, b = population["a"], population["b"]
    by_event = {row[0]: row[1:] for row in _rows("by_event")}
    # registrations, attended, registered afterwards, trained, placed, departed, medians
    assert by_event[f"A ({a.reference})"][:6] == [5, 4, 1, 1, 1, 1]
    assert by_event[f"A ({a.reference})"][7:] == [5.0, 20.0, 30.0]
    assert by_event[f"B ({b.reference})"][:6] == [1, 1, 0, 0, 0, 0]
    # Per campaign Ani counts once, from her first check-in (event A).
    (campaign,) = _rows("by_campaign")
    assert campaign[:7] == ["Migrasi Aman", 2, 4, 1, 1, 1, 1]
    by_city = {row[0]: row[1:3] for row in _rows("by_city")}
    assert by_city == {"Kota Adm. Jakarta Pusat": [1, 4], "Kota Adm. Jakarta Timur": [1, 1]}
    # One city: only its events.
    assert [row[0] for row in _rows("by_event", city="31.75")] == [f"B ({b.reference})"]


def test_the_page_shows_the_funnel_from_the_snapshot(population, bob):  # noqa: F811
    snapshot_all(periods=["all"], names=["outreach"])
    response = verified_client(bob).get(
        reverse("reports:dashboard", args=["outreach"]), {"period": "all"}
    )
    assert response.status_code == 200
    text = " ".join(response.content.decode().split())
    assert "Corong sosialisasi" in text
    assert "Terdaftar sesudahnya" in text and "Migrasi Aman" in text
    assert f"A ({population['a'].reference})" in text
