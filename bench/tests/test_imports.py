"""`python -m bench --import-into N`: the timed import into a registry at a tiny size,
in process."""

import pytest

from bench.imports import ImportsBench
from garda.people.models import Person


@pytest.mark.django_db
def test_the_import_bench_runs_at_a_tiny_size(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    rows = []
    figures = ImportsBench(lambda *cells: rows.append(cells)).run(300, 200)
    labels = [r[0] for r in rows]
    assert labels[:3] == [
        "synthetic population written (two CSV files)",
        "registry filled (the same import)",
        "import into a registry (garda import_people, one pass)",
    ]
    assert figures["rows"] == 200
    assert Person.objects.count() == figures["created"] + int(rows[1][1].split()[0])
    assert figures["planted"] <= min(figures["flagged"], figures["planted_total"])
