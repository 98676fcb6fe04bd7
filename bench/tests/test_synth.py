"""The synthetic population (bench/synth.py), the engine's F1 on a small sample and its
batch run on synthetic records, and the demo population file made from it."""

import re
from collections import Counter, defaultdict

from bench import synth
from garda.people.matching import (
    DEFAULT_THRESHOLD,
    find_duplicates,
    normalize_name,
    score_pair,
)
from garda.people.nik import parse_nik

E164 = re.compile(r"\+628[0-9]{8,10}")


def test_same_seed_same_population():
    first = synth.generate(500, seed=3)
    assert synth.generate(500, seed=3) == first
    assert synth.generate(500, seed=4)[0] != first[0]


def test_streaming_gives_the_same_records_and_pairs():
    records, pairs = synth.generate(800, seed=5)
    streamed_pairs: set[frozenset[str]] = set()
    streamed = list(synth.iter_generate(800, seed=5, pairs=streamed_pairs))
    assert streamed == records
    assert streamed_pairs == pairs


def test_population_shape():
    records, pairs = synth.generate(3000, seed=1)
    assert len(records) == 3000
    ids = [record.id for record in records]
    assert len(set(ids)) == len(ids)
    in_pairs = {record_id for pair in pairs for record_id in pair}
    assert in_pairs <= set(ids)
    copies = len(in_pairs) - len({min(pair) for pair in pairs})
    assert 0.07 < copies / len(records) < 0.13  # about duplicate_rate of copies

    niks = [record.nik for record in records if record.nik]
    assert len(niks) > 0.8 * len(records)
    valid = [nik for nik in niks if parse_nik(nik).valid]
    assert len(valid) > 0.98 * len(niks)  # the rest are mistyped copies
    phones = [record.phone for record in records if record.phone]
    e164 = [phone for phone in phones if E164.fullmatch(phone)]
    assert len(e164) > 0.9 * len(phones)  # the rest are copies written another way
    single_names = sum(
        1
        for record in records
        if len(normalize_name(record.full_name)) and (" " not in normalize_name(record.full_name))
    )
    assert single_names > 0.15 * len(records)


def test_hard_non_duplicates_exist():
    """Same name and birth date between different people; twins; parent and child."""
    records, pairs = synth.generate(20000, seed=2)
    by_name_date = defaultdict(list)
    by_name = defaultdict(list)
    for record in records:
        name = normalize_name(record.full_name)
        by_name_date[name, record.birth_date].append(record)
        by_name[name].append(record)

    def non_duplicate_pairs(groups):
        for group in groups:
            for i, a in enumerate(group):
                for b in group[i + 1 :]:
                    if frozenset((a.id, b.id)) not in pairs:
                        yield a, b

    namesakes = list(non_duplicate_pairs(by_name_date.values()))
    assert len(namesakes) >= 20
    assert any(a.nik[:6] == b.nik[:6] and a.nik and b.nik for a, b in namesakes)
    generations = [
        (a, b)
        for a, b in non_duplicate_pairs(by_name.values())
        if a.birth_date and b.birth_date and abs(a.birth_date.year - b.birth_date.year) >= 18
    ]
    assert generations
    twins = Counter(
        (record.birth_date, record.address)
        for record in records
        if record.address and record.birth_date
    )
    assert any(count >= 2 for count in twins.values())


def test_engine_f1_on_a_small_population():
    records, pairs = synth.generate(2000, seed=0)
    found = {frozenset((m.a_id, m.b_id)) for m in find_duplicates(records)}
    true_positives = len(found & pairs)
    precision = true_positives / len(found)
    recall = true_positives / len(pairs)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.98, (precision, recall)


# --- the batch run on synthetic records (from people/tests/test_matching.py) ---------


def test_batch_scores_are_those_of_score_pair():
    records, _ = synth.generate(3000, seed=11)
    by_id = {record.id: record for record in records}
    # every candidate pair, without pairs inferred through a third record
    matches = list(find_duplicates(records, threshold=0.0, through_third=False))
    assert len(matches) > 300
    seen = set()
    for match in matches:
        assert match.a_id < match.b_id
        assert (match.a_id, match.b_id) not in seen
        seen.add((match.a_id, match.b_id))
        assert match == score_pair(by_id[match.a_id], by_id[match.b_id])


def test_batch_keeps_only_pairs_at_the_threshold():
    records, _ = synth.generate(1500, seed=12)
    every = list(find_duplicates(records, threshold=0.0, through_third=False))
    kept = list(find_duplicates(records, through_third=False))
    assert {(m.a_id, m.b_id) for m in kept} == {
        (m.a_id, m.b_id) for m in every if m.score >= DEFAULT_THRESHOLD
    }


# --- the demo population --------------------------------------------------------------


def test_the_demo_population_file_is_the_synthetic_population():
    from garda.people.demo import POPULATION_FILE, demo_records

    assert POPULATION_FILE.read_text(encoding="utf-8") == synth.demo_population_csv()
    records, _pairs = synth.generate(**synth.DEMO_POPULATION)
    assert demo_records() == records


def test_old_spelling_rewrites_each_letter_once():
    # A letter written by one rule is not rewritten by the next: c->tj keeps its j.
    assert synth._oldify("Cahya Yusuf") == "Tjahja Joesoef"
    assert synth._oldify("Ahmad Khairul Jaya") == "Achmad Chairoel Djaja"
    assert synth._modernize(synth._oldify("Cahya Yusuf")) == "Cahya Yusuf"
