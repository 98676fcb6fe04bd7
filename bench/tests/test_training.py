"""`python -m bench --training N`: the population, enrolment throughput and the outcome
report run at a tiny size, in process and through the command on a scratch database."""

import pytest

from bench.training import TrainingBench
from garda.people.models import Person
from garda.training.models import Batch, Certificate, Enrolment
from garda.training.outcomes import outcomes, totals


@pytest.mark.django_db
def test_the_training_bench_runs_at_a_tiny_size():
    rows = []
    TrainingBench(lambda *cells: rows.append(cells)).run(400, enrolments=30)
    labels = [r[0] for r in rows]
    assert labels[0] == "training population written (bulk)"
    assert any(label.startswith("enrolment (enrolment_create") for label in labels)
    assert sum(label.startswith("outcomes(by=") for label in labels) == 4
    assert Person.objects.count() == 400
    # A tenth trained, in the population's batches, plus the timed enrolments.
    population = Enrolment.objects.filter(batch__code__startswith="BT")
    assert population.count() == 40
    timed = Enrolment.objects.filter(batch__code__startswith="BE")
    assert timed.count() == 30
    assert timed.filter(status="waitlisted").count() == 5  # 25 candidates for 20 seats
    throughput = next(r for r in rows if r[0].startswith("enrolment"))
    assert "enrolments/s" in throughput[2] and "p95" in throughput[2]
    # The seat counts match what the services would keep.
    for batch in Batch.objects.filter(code__startswith="BT"):
        held = batch.enrolments.exclude(status="withdrawn").count()
        assert batch.enrolled_count == held <= batch.capacity
    total = totals(outcomes(by="course"))
    waitlisted = Enrolment.objects.filter(status="waitlisted").count()
    assert total.enrolled + total.withdrawn + waitlisted == Enrolment.objects.count()
    assert total.certified == Certificate.objects.filter(status="valid").count()
    assert 0 < total.certified <= total.completed


def test_the_bench_command_has_training_rows(tmp_path):
    from bench.tests.run import bench
    from garda.tests.server import scratch_env

    result = bench("--training", "200", "--training-only", env=scratch_env(tmp_path), timeout=600)
    out = result.stdout.decode()
    assert "| training population written (bulk) | 200 persons, 20 enrolments" in out
    assert "| enrolment (enrolment_create" in out and "enrolments/s" in out
    assert "| outcomes(by='provider') |" in out
    assert "region codes" not in out  # --training-only
