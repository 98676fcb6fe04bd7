"""The load test's own arithmetic and its lost-writes check (bench/load/). Locust itself
is not needed here (the `bench` extra); the clients are exercised by running it."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from bench.load.__main__ import _pct
from bench.load.setup import check
from garda.destinations.tests.factories_readiness import document
from garda.people.tests.factories import register


def test_percentiles_are_of_the_sorted_times():
    times = [float(n) for n in range(1, 101)]
    assert _pct(times, 50) == 51.0
    assert _pct(list(reversed(times)), 95) == 95.0
    assert _pct([], 95) == 0.0


@pytest.mark.django_db
def test_an_acknowledged_write_missing_from_the_database_is_reported(tmp_path, capsys):
    since = (timezone.now() - timedelta(minutes=1)).isoformat()
    person = register(serial=1)
    kept = document(person, "ktp", "pending")
    kept.note = "beban-kept"
    kept.save()
    decided = document(person, "kk", "verified")
    undecided = document(person, "passport", "pending")
    ledger = tmp_path / "ledger.jsonl"
    rows = [
        {"kind": "upload", "note": "beban-kept"},
        {"kind": "upload", "note": "beban-lost"},
        {"kind": "verify", "document": str(decided.pk)},
        {"kind": "verify", "document": str(undecided.pk)},
        {"kind": "all-signed-in", "at": 0},
    ]
    ledger.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert check(str(ledger), since) == 2
    found = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert found["uploads_acknowledged"] == 2 and found["uploads_in_database"] == 1
    assert found["verifications_acknowledged"] == 2 and found["verifications_in_database"] == 1
    assert found["lost"] == ["beban-lost", undecided.pk]
