"""The synthetic population (people/synth.py) and the engine's F1 on a small sample."""

import re
from collections import Counter, defaultdict

from garda.people import synth
from garda.people.matching import find_duplicates, normalize_name
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
