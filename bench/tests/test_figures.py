"""`python -m bench --figures N`: the figures' population, the snapshot job, every
dashboard and the public statistics, at a tiny size, in process."""

import pytest

from bench.figures import FiguresBench
from garda.outreach.models import Event, Registration
from garda.people.models import Person
from garda.reports.figures import DASHBOARDS
from garda.reports.models import Snapshot


@pytest.mark.django_db
def test_the_figures_bench_runs_at_a_tiny_size():
    rows = []
    FiguresBench(lambda *cells: rows.append(cells)).run(2000, 300)
    labels = [r[0] for r in rows]
    assert labels[0] == "figures population written (bulk)"
    assert Person.objects.count() == 2000
    # Outreach at a tiny size: 2 events, 100 registrations of distinct persons.
    assert Event.objects.count() == 2 and Registration.objects.count() == 100
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 80
    assert any(label.startswith("snapshot job, every figure set") for label in labels)
    assert set(Snapshot.objects.values_list("name", flat=True)) == {*DASHBOARDS, "public"}
    # Every dashboard: its page, its page for one city, its API answer.
    assert sum(label.startswith("dashboard `") for label in labels) == 3 * len(DASHBOARDS)
    assert any(label.startswith("public statistics API") for label in labels)
    assert any(label.startswith("outreach: one event's live funnel") for label in labels)
    outreach = Snapshot.objects.get(name="outreach", period="all").data["tables"]["by_event"]
    assert sum(r["attended"] for r in outreach) == 80
