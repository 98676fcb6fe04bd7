"""`python -m bench --search N`: the bulk registry and the name searches at a tiny
size, in process, and the errors the queries are made with."""

import random

import pytest

from bench.search import KINDS, SearchBench, misspell
from garda.people.matching import normalize_name
from garda.people.models import NameToken, NameVocabulary, Person


def test_each_error_kind_changes_the_name_as_it_says():
    rng = random.Random(3)
    name = "Siti Rahayu Cahyaningsih"
    made = {kind: misspell(rng, name, kind) for kind in KINDS}
    assert made["none"] == name
    assert made["order"] == "Rahayu Cahyaningsih Siti"
    old = made["old spelling"]
    assert old.startswith("Siti Rahajoe T") and normalize_name(old) == normalize_name(name)
    for kind in ("transposition", "substitution"):
        assert len(made[kind]) == len(name) and made[kind] != name
    assert len(made["insertion"]) == len(name) + 1
    assert len(made["deletion"]) == len(name) - 1


@pytest.mark.django_db
def test_the_search_bench_runs_at_a_tiny_size():
    rows = []
    result = SearchBench(lambda *cells: rows.append(cells)).run(400, queries=14)
    labels = [r[0] for r in rows]
    assert labels[0].startswith("search registry written")
    assert any(label.startswith("name search + birth year") for label in labels)
    assert Person.objects.count() == 400
    assert NameToken.objects.values("person").distinct().count() == 400
    assert NameVocabulary.objects.count() == NameToken.objects.values("token").distinct().count()
    assert result["queries"] == 14 and result["intended"] >= 12
