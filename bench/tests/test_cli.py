"""`python -m bench` (and `garda bench`, the same command): the default rows, on a
scratch database, at a tiny size."""

import subprocess
import sys

from bench.tests.run import ROOT, bench
from garda.tests.server import scratch_env


def test_bench_command_runs_on_a_scratch_database(tmp_path):
    result = bench("--nik", "50", "--audit", "5", "--requests", "5", env=scratch_env(tmp_path))
    out = result.stdout.decode()
    assert "| region codes, first load | 99,133 rows |" in out
    assert "audit_verify (whole chain) | 5 events |" in out and "(OK)" in out


def test_bench_help_lists_the_options(tmp_path):
    out = bench("--help", env=scratch_env(tmp_path)).stdout.decode()
    assert out.startswith("usage: python -m bench")
    for option in (
        "--database-url",
        "--nik",
        "--audit",
        "--requests",
        "--people",
        "--readiness",
        "--readiness-only",
        "--training",
        "--training-only",
        "--cases",
        "--cases-only",
    ):
        assert option in out


def test_garda_bench_is_the_same_command(tmp_path):
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "garda", "bench", "--nik", "50", "--audit", "5", "--requests", "5"],
        env=scratch_env(tmp_path),
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    out = result.stdout.decode()
    assert "| region codes, first load | 99,133 rows |" in out
    assert "audit_verify (whole chain) | 5 events |" in out and "(OK)" in out
