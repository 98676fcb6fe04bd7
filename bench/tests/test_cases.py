"""`python -m bench --cases N`: the caseload, intake, the dashboard and the escalation
run at a tiny size, in process and through the command on a scratch database."""

import pytest

from bench.cases import CasesBench
from garda.cases.models import Case, Clock, Escalation


@pytest.mark.django_db
def test_the_cases_bench_runs_at_a_tiny_size():
    rows = []
    bench = CasesBench(lambda *cells: rows.append(cells))
    bench.run(600, reports=6, escalate=20)
    labels = [r[0] for r in rows]
    assert labels[0] == "caseload written (bulk)"
    assert sum(label.startswith("case dashboard, all counts") for label in labels) == 3
    assert any(label.startswith("GET /cases/dashboard/") for label in labels)
    assert any(label.startswith("escalation run (") for label in labels)
    assert any(label.startswith("report through intake.case_open") for label in labels)
    assert Case.objects.count() == 606
    assert Clock.objects.count() == 3 * 606
    # Every overdue clock of an open case has now been escalated; nothing twice.
    overdue = Clock.objects.filter(done_at__isnull=True, case__status="open")
    assert not overdue.filter(due_at__lt=bench.now, escalation_level=0).exists()
    assert (
        Escalation.objects.filter(level=1).count() == overdue.filter(due_at__lt=bench.now).count()
    )
    escalation = next(r for r in rows if r[0].startswith("escalation run ("))
    assert escalation[1].startswith("20 overdue clocks among 600 cases")
    assert "e-mails" in escalation[1]


def test_the_bench_command_has_cases_rows(tmp_path):
    from bench.tests.run import bench
    from garda.tests.server import scratch_env

    result = bench("--cases", "300", "--cases-only", env=scratch_env(tmp_path), timeout=600)
    out = result.stdout.decode()
    assert "| caseload written (bulk) | 300 cases" in out
    assert "| case dashboard, all counts (admin, all agencies) |" in out
    assert "| report through intake.case_open" in out
    assert "region codes" not in out  # --cases-only
