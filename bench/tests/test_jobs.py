"""`python -m bench --jobs N`: the job orders, the vacancy board, the checks and the
nightly re-check at a tiny size, in process and through the command."""

import pytest

from bench.jobs import JobsBench
from garda.jobs.models import JobOrder


@pytest.mark.django_db
def test_the_jobs_bench_runs_at_a_tiny_size():
    rows = []
    result = JobsBench(lambda *cells: rows.append(cells)).run(3000, requests=3, check_runs=5)
    labels = [r[0] for r in rows]
    assert labels[0] == "job orders written (bulk)"
    assert sum(label.startswith("vacancy board (") for label in labels) == 9
    assert any(label.startswith("checks of one order") for label in labels)
    assert any(label.startswith("nightly re-check of every published") for label in labels)
    assert JobOrder.objects.count() == 3000
    # The planted failures left the board, the expired orders closed, the rest stayed.
    recheck = result["recheck"]
    assert recheck["closed"] == result["expired"] > 0
    assert recheck["checked"] == result["published"] - result["expired"]
    assert result["again"] == {
        "checked": recheck["checked"] - recheck["unpublished"],
        "unpublished": 0,
        "closed": 0,
    }


def test_the_bench_command_has_jobs_rows(tmp_path):
    from bench.tests.run import bench
    from garda.tests.server import scratch_env

    result = bench("--jobs", "2000", "--jobs-only", env=scratch_env(tmp_path), timeout=600)
    out = result.stdout.decode()
    assert "| job orders written (bulk) | 2,000 orders" in out
    assert "| vacancy board (all): a page of 20" in out
    assert "| nightly re-check of every published order" in out
    assert "region codes" not in out  # --jobs-only


def test_the_bench_help_lists_the_jobs_options(tmp_path):
    from bench.tests.run import bench
    from garda.tests.server import scratch_env

    out = bench("--help", env=scratch_env(tmp_path)).stdout.decode()
    assert "--jobs " in out and "--jobs-only" in out
