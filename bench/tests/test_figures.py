"""`python -m bench --figures N`: the figures' population, the snapshot job, every
dashboard and the public statistics, at a tiny size, in process."""

import pytest

from bench.figures import FiguresBench
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
    assert any(label.startswith("snapshot job, every figure set") for label in labels)
    assert set(Snapshot.objects.values_list("name", flat=True)) == {*DASHBOARDS, "public"}
    # Every dashboard: its page, its page for one city, its API answer.
    assert sum(label.startswith("dashboard `") for label in labels) == 3 * len(DASHBOARDS)
    assert any(label.startswith("public statistics API") for label in labels)
