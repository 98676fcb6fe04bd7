"""Learned weights (people/fellegi_sunter.py and the learning in people/matching.py):
EM on a known model, term frequencies, officers' labels, the identifier rules, and
the fallback to the hand-set weights. Pure: no database.
"""

import dataclasses
import math
import random
from datetime import date, timedelta

import numpy as np
import pytest

from garda.people import fellegi_sunter, matching
from garda.people.matching import (
    DEFAULT_THRESHOLD,
    DEFAULT_WEIGHTS,
    Record,
    Weights,
    check_record,
    current_weights,
    find_duplicates,
    save_weights,
    score_pair,
    use_weights_file,
)
from garda.people.tests.test_matching import BASE

# --- EM on pairs drawn from a known model ----------------------------------------

# Three fields; level 0 is "blank", then agree / partly / disagree.
TRUE_M = [np.array([0, 0.85, 0.10, 0.05]), np.array([0, 0.9, 0.1]), np.array([0, 0.7, 0.2, 0.1])]
TRUE_U = [np.array([0, 0.05, 0.15, 0.80]), np.array([0, 0.2, 0.8]), np.array([0, 0.1, 0.2, 0.7])]
TRUE_PRIOR = 0.25


def draw_pairs(n: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    same = rng.random(n) < TRUE_PRIOR
    columns = []
    for m, u in zip(TRUE_M, TRUE_U, strict=True):
        levels = np.where(
            same, rng.choice(len(m), n, p=m), rng.choice(len(u), n, p=u)
        )  # fmt: skip
        blank = rng.random(n) < 0.05  # some blanks, which EM must ignore
        columns.append(np.where(blank, 0, levels))
    return np.column_stack(columns), same


def test_em_recovers_known_probabilities_and_never_loses_likelihood():
    levels, _same = draw_pairs(40_000)
    start_m = [[0, 0.5, 0.3, 0.2], [0, 0.6, 0.4], [0, 0.5, 0.3, 0.2]]
    start_u = [[0, 0.2, 0.3, 0.5], [0, 0.4, 0.6], [0, 0.2, 0.3, 0.5]]
    est = fellegi_sunter.estimate(levels, (4, 3, 4), start_m, start_u, 0.1)

    assert est.converged
    assert est.prior == pytest.approx(TRUE_PRIOR, abs=0.03)
    for got, want in zip(est.m, TRUE_M, strict=True):
        assert got == pytest.approx(want, abs=0.04)
    for got, want in zip(est.u, TRUE_U, strict=True):
        assert got == pytest.approx(want, abs=0.03)
    steps = np.diff(est.log_likelihood)
    assert (steps >= -1e-9).all()  # MAP-EM: the objective never decreases
    assert est.log_likelihood[-1] > est.log_likelihood[0]
    weights = est.weights()
    assert weights[0][1] > 0 > weights[0][3]
    assert weights[0][0] == 0.0  # blank weighs nothing


def test_labels_fix_their_pairs_and_override_m_and_u_when_there_are_enough():
    levels, same = draw_pairs(5000, seed=3)
    start_m, start_u = [[0, 0.4, 0.3, 0.3]] * 2, [[0, 0.3, 0.3, 0.4]] * 2
    est = fellegi_sunter.estimate(levels[:, [0, 2]], (4, 4), start_m, start_u, 0.2)
    # Officers decided 200 pairs whose first field always disagrees: a pattern EM
    # alone would never put among duplicates.
    labelled = levels[:200, [0, 2]].copy()
    labelled[:, 0] = 3
    labels = np.ones(200, dtype=np.int64)
    relearned = fellegi_sunter.from_labels(est, labelled, labels)
    assert relearned.m[0][3] > est.m[0][3] + 0.3
    assert relearned.u == est.u  # no "different" decisions: u stays
    assert relearned.labelled_same == 200
    # Too few decisions change nothing.
    few = fellegi_sunter.from_labels(est, labelled[:10], labels[:10])
    assert [list(p) for p in few.m] == [list(p) for p in est.m]

    semi = fellegi_sunter.estimate(
        np.vstack([levels[:, [0, 2]], labelled]),
        (4, 4),
        start_m,
        start_u,
        0.2,
        labels=np.concatenate([np.full(len(levels), -1), labels]),
    )
    assert semi.labelled_same == 200
    assert semi.m[0][3] > est.m[0][3]


# --- a small population to learn from ----------------------------------------------

GIVEN = "agus budi citra dewi eka fajar gita hadi indah joko kartika lestari made nanda".split()
FAMILY = "santoso wijaya siregar nasution hutapea saragih pratama kusuma halim tanjung".split()


def population(n: int = 600, seed: int = 11) -> list[Record]:
    """n persons, a third of them with a copy whose name has one typo."""
    rng = random.Random(seed)
    records = []
    for i in range(n):
        born = date(1970, 1, 1) + timedelta(days=rng.randrange(30 * 365))
        name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        person = Record(
            id=f"p{i:04d}",
            full_name=name,
            birth_date=born,
            sex=rng.choice("MF"),
            birth_place=rng.choice(["Medan", "Bandung", "Surabaya", "Kupang"]),
            address=f"Jl. Mawar {rng.randrange(1, 400)}",
            phone=f"0812{rng.randrange(10**7, 10**8)}",
        )
        records.append(person)
        if i % 3 == 0:
            typo = name[:-2] + name[-1] + name[-2]
            records.append(dataclasses.replace(person, id=f"c{i:04d}", full_name=typo, phone=""))
    return records


@pytest.fixture(scope="module")
def learned() -> Weights:
    got = []
    list(find_duplicates(population(), learn=True, on_learned=got.append))
    return got[0]


def test_the_batch_run_learns_weights_from_its_own_pairs(learned):
    assert learned.source == "em"
    assert learned.pairs >= matching.MIN_EM_PAIRS
    assert learned.tables != DEFAULT_WEIGHTS.tables
    assert learned.reference_frequency > 0 and learned.name_frequency
    # The hand-set weights stay the prior: no weight moves further than MAX_SHIFT.
    hand = matching._hand_set_tables()
    for table, prior in zip(learned.tables, hand, strict=True):
        assert np.all(np.abs(np.array(table) - prior) <= matching.MAX_SHIFT + 1e-9)
    # and the learned weights come back from their file as they were
    assert Weights.from_json(learned.to_json()) == learned


def test_a_common_exact_name_weighs_less_than_a_rare_one(learned):
    weights = dataclasses.replace(
        learned, name_frequency={"budi santoso": 0.02, "kartika hutapea": 0.0001}
    )
    common = Record(id="a", full_name="Budi Santoso", birth_date=date(1980, 1, 1))
    rare = Record(id="a", full_name="Kartika Hutapea", birth_date=date(1980, 1, 1))

    def name_bits(record: Record) -> float:
        match = score_pair(record, dataclasses.replace(record, id="b"), weights=weights)
        return dict((f, bits) for f, _level, bits in match.evidence)["name"]

    assert name_bits(common) < name_bits(rare)
    assert name_bits(rare) - name_bits(common) == pytest.approx(math.log2(0.02 / 0.0001))
    # the hand-set weights have no frequencies: they weigh a name by its length
    assert DEFAULT_WEIGHTS.frequency_bits(0.02) == 0.0


def test_the_evidence_adds_up_to_the_score(learned):
    a, b = population()[:2]
    for weights in (DEFAULT_WEIGHTS, learned):
        match = score_pair(a, b, weights=weights)
        total = sum(bits for _f, _l, bits in match.evidence)
        assert match.score == pytest.approx(1 / (1 + 2 ** (weights.prior_bits - total)))
        assert [f for f, _l, _b in match.evidence] == list(matching.FIELDS)


# --- identifier rules -------------------------------------------------------------

PERSON = dataclasses.replace(BASE, other_id="B1234567")


@pytest.fixture(params=["hand-set", "learned"])
def weights(request, learned) -> Weights:
    return DEFAULT_WEIGHTS if request.param == "hand-set" else learned


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"nik": "3212094503950001", "other_id": ""}, "similar_nik"),  # birth day
        ({"nik": "3212094403950301", "other_id": ""}, "similar_nik"),  # serial
        ({"nik": "3212094403590001", "other_id": ""}, "similar_nik"),  # neighbours swapped
        ({"nik": "3217094403950001", "other_id": ""}, "similar_nik"),  # region
        ({"other_id": "B1234557", "nik": ""}, "similar_other_id"),
        ({"other_id": "B1234576", "nik": ""}, "similar_other_id"),  # neighbours swapped
    ],
)
def test_one_changed_identifier_digit_with_the_rest_equal_is_a_duplicate(changes, reason, weights):
    match = score_pair(PERSON, dataclasses.replace(PERSON, id="b", **changes), weights=weights)
    assert match.score >= DEFAULT_THRESHOLD
    assert reason in match.reasons


@pytest.mark.parametrize(
    ("shared", "reason"),
    [("nik", "nik_shared_different_person"), ("other_id", "other_id_shared_different_person")],
)
def test_a_shared_identifier_on_another_person_is_a_flag_not_a_merge(shared, reason, weights):
    other = Record(
        id="b",
        full_name="Bambang Hermawan",
        birth_date=date(1971, 11, 20),
        sex="F",
        **{shared: getattr(PERSON, shared)},
    )
    match = score_pair(PERSON, other, weights=weights)
    assert reason in match.reasons
    assert match.reasons[0] == reason  # the first thing the officer reads
    assert match.score < DEFAULT_THRESHOLD
    evidence = {f: bits for f, _l, bits in match.evidence}
    assert evidence[shared] == 0.0  # the shared identifier proves nothing here

    flagged = check_record(PERSON, [other], weights=weights)
    assert [m.reasons for m in flagged] == [match.reasons]
    assert check_record(PERSON, [other], weights=weights, flags=False) == []
    found = list(find_duplicates([PERSON, other], weights=weights))
    assert [(m.a_id, m.b_id, m.reasons) for m in found] == [("a", "b", match.reasons)]
    assert found[0].score < DEFAULT_THRESHOLD
    assert list(find_duplicates([PERSON, other], weights=weights, flags=False)) == []


def test_the_same_nik_with_one_field_changed_is_still_a_duplicate(weights):
    """Only a different name AND birth date make a shared NIK suspect."""
    for changes in ({"full_name": "Dewi Lestari"}, {"birth_date": date(1980, 1, 1)}):
        match = score_pair(PERSON, dataclasses.replace(PERSON, id="b", **changes), weights=weights)
        assert "nik_shared_different_person" not in match.reasons
        assert match.score >= DEFAULT_THRESHOLD


# --- where the weights come from ---------------------------------------------------


@pytest.fixture
def weights_file(tmp_path):
    previous = matching._weights_file
    path = tmp_path / "dedupe-weights.json"
    use_weights_file(path)
    yield path
    use_weights_file(previous)


def test_without_learned_weights_the_hand_set_ones_are_used(weights_file):
    assert current_weights() is DEFAULT_WEIGHTS
    weights_file.write_text("{not json", encoding="utf-8")
    assert current_weights() is DEFAULT_WEIGHTS  # a broken file must not stop registration


def test_stored_weights_are_used_by_the_per_record_check(weights_file, learned):
    before = score_pair(*population()[:2])
    save_weights(learned, weights_file)
    assert current_weights() == learned
    after = score_pair(*population()[:2])
    assert after.evidence != before.evidence
    assert after == score_pair(*population()[:2], weights=learned)


def test_too_few_pairs_keep_the_given_weights():
    got = []
    list(find_duplicates(population(30), learn=True, on_learned=got.append))
    assert got == [DEFAULT_WEIGHTS]


def test_learned_weights_still_find_the_copies(learned):
    records = population()
    copies = {frozenset((r.id, "p" + r.id[1:])) for r in records if r.id.startswith("c")}
    found = {
        frozenset((m.a_id, m.b_id))
        for m in find_duplicates(records, weights=learned)
        if m.score >= DEFAULT_THRESHOLD
    }
    assert len(found & copies) >= 0.95 * len(copies)
    assert len(found - copies) <= 0.05 * len(found)


def test_labelled_pairs_enter_the_estimate():
    records = population()
    by_id = {r.id: r for r in records}
    decided = [(by_id[f"p{i:04d}"], by_id[f"c{i:04d}"], True) for i in range(0, 300, 3)]
    decided += [(by_id["p0001"], by_id["p0002"], False)]
    got = []
    list(find_duplicates(records, learn=True, labelled=decided, on_learned=got.append))
    assert got[0].source == "em+labels"
    assert (got[0].labelled_same, got[0].labelled_different) == (100, 1)


def test_a_shared_other_id_keeps_the_address_from_counting_as_relatives():
    """Another name at the same address is usually a relative, whose phone and address
    prove nothing; not when an identifier agrees (relatives share no passport)."""
    renamed = dataclasses.replace(PERSON, id="b", full_name="Bambang Sutrisno", nik="")
    match = score_pair(dataclasses.replace(PERSON, nik=""), renamed, weights=DEFAULT_WEIGHTS)
    assert dict((f, (level, bits)) for f, level, bits in match.evidence)["address"] == (
        "same",
        matching.ADDRESS_WEIGHTS[matching.S_SAME],
    )
    relative = dataclasses.replace(renamed, other_id="")
    match = score_pair(dataclasses.replace(PERSON, nik="", other_id=""), relative)
    assert dict((f, bits) for f, _level, bits in match.evidence)["address"] == 0.0
