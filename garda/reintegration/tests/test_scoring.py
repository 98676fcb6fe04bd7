"""The survey's scoring (garda/reintegration/scoring.py): hand-computed numbers, the
weights taken from the loaded instrument, and the refusals in words."""

import copy
import tomllib

import pytest

from garda.reintegration import policy, scoring
from garda.reintegration.tests.factories import ANSWERS, SCORES


@pytest.fixture(scope="module")
def packaged() -> dict:
    with policy.current().default_instrument.open("rb") as fh:
        return scoring.validate(tomllib.load(fh))


# A small instrument with weights that are NOT equal: the numbers below only come out
# if the weights are read from it.
WEIGHTED = """
code = "test"
version = "w-1"
title = "Weighted"
source = "a test"
official = true

[[dimensions]]
code = "economic"
label_id = "Ekonomi"
label_en = "Economic"
weight = 2.0
[[dimensions]]
code = "social"
label_id = "Sosial"
label_en = "Social"
weight = 1.0
[[dimensions]]
code = "psychosocial"
label_id = "Psikososial"
label_en = "Psychosocial"
weight = 1.0

[[indicators]]
code = "e1"
dimension = "economic"
weight = 3.0
question_id = "E1?"
question_en = "E1?"
options = [
  {code = "hi", value = 1.0, label_id = "Tinggi", label_en = "High"},
  {code = "lo", value = 0.0, label_id = "Rendah", label_en = "Low"},
]
[[indicators]]
code = "e2"
dimension = "economic"
weight = 1.0
question_id = "E2?"
question_en = "E2?"
options = [
  {code = "hi", value = 1.0, label_id = "Tinggi", label_en = "High"},
  {code = "lo", value = 0.0, label_id = "Rendah", label_en = "Low"},
]
[[indicators]]
code = "s1"
dimension = "social"
weight = 1.0
question_id = "S1?"
question_en = "S1?"
options = [
  {code = "mid", value = 0.5, label_id = "Sedang", label_en = "Middle"},
  {code = "hi", value = 1.0, label_id = "Tinggi", label_en = "High"},
]
[[indicators]]
code = "s2"
dimension = "social"
weight = 1.0
question_id = "S2?"
question_en = "S2?"
options = [
  {code = "mid", value = 0.5, label_id = "Sedang", label_en = "Middle"},
  {code = "hi", value = 1.0, label_id = "Tinggi", label_en = "High"},
]
[[indicators]]
code = "p1"
dimension = "psychosocial"
weight = 1.0
question_id = "P1?"
question_en = "P1?"
options = [
  {code = "low", value = 0.2, label_id = "Rendah", label_en = "Low"},
  {code = "hi", value = 1.0, label_id = "Tinggi", label_en = "High"},
]
[[indicators]]
code = "p2"
dimension = "psychosocial"
weight = 4.0
question_id = "P2?"
question_en = "P2?"
options = [
  {code = "low", value = 0.0, label_id = "Rendah", label_en = "Low"},
  {code = "hi", value = 1.0, label_id = "Tinggi", label_en = "High"},
]
"""


@pytest.fixture
def weighted() -> dict:
    return scoring.validate(tomllib.loads(WEIGHTED))


def test_the_packaged_instrument_has_15_indicators_five_per_dimension_equal_and_unofficial(
    packaged,
):
    assert packaged["code"] == "rss" and packaged["version"] == "garda-1"
    assert packaged["official"] is False and "provisional" in packaged["source"]
    assert len(packaged["indicators"]) == 15
    for dim in scoring.DIMENSIONS:
        mine = [i for i in packaged["indicators"] if i["dimension"] == dim]
        assert len(mine) == 5 and {i["weight"] for i in mine} == {1.0}
    assert {d["weight"] for d in packaged["dimensions"]} == {1.0}
    for ind in packaged["indicators"]:
        assert ind["question_id"] and ind["question_en"]
        assert all(0 <= o["value"] <= 1 and o["label_id"] and o["label_en"] for o in ind["options"])


def test_scores_per_dimension_and_composite_by_hand(packaged):
    assert scoring.score(packaged, ANSWERS) == SCORES


def test_a_dimension_with_fewer_than_half_answered_has_no_score_nor_a_composite(packaged):
    answers = {k: v for k, v in ANSWERS.items() if k != "psy_safety"}  # 2 of 5 left
    scores = scoring.score(packaged, answers)
    assert scores["psychosocial"] is None and scores["composite"] is None
    assert scores["economic"] == 0.65
    # Empty answers are not answers.
    assert scoring.score(packaged, {**answers, "psy_stay": ""})["psychosocial"] is None


def test_the_weights_come_from_the_loaded_instrument(weighted):
    scores = scoring.score(weighted, {"e1": "hi", "e2": "lo", "s1": "mid", "s2": "hi", "p1": "low"})
    # economic: (1*3 + 0*1) / 4; social: (0.5 + 1) / 2; psychosocial: only p1 (1 of 2 =
    # half, scored), its weight renormalised: 0.2; composite (2*0.75 + 0.75 + 0.2) / 4.
    assert scores == {"economic": 0.75, "social": 0.75, "psychosocial": 0.2, "composite": 0.6125}
    # p2's weight of 4 pulls psychosocial down: (0.2*1 + 0*4) / 5 = 0.04.
    both = scoring.score(weighted, {"e1": "hi", "s1": "mid", "p1": "low", "p2": "low"})
    assert both["psychosocial"] == 0.04 and both["economic"] == 1.0
    assert both["composite"] == round((2 * 1.0 + 0.5 + 0.04) / 4, 4)


@pytest.mark.parametrize(
    "answers, words",
    [
        ({"nope": "hi"}, "not in this survey"),
        ({"e1": "middle"}, "not an option"),
        ({"e1": 1}, "not an option"),
    ],
)
def test_answers_that_do_not_fit_are_refused_in_words(weighted, answers, words):
    with pytest.raises(scoring.AnswerError, match=words) as caught:
        scoring.score(weighted, answers)
    assert isinstance(caught.value, ValueError)


def _broken(change) -> dict:
    data = tomllib.loads(WEIGHTED)
    data = copy.deepcopy(data)
    change(data)
    return data


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda d: d["indicators"][0].update(weight=-1), "not at least 0"),
        (lambda d: d["indicators"][0]["options"][0].update(value=1.5), "not between 0 and 1"),
        (lambda d: d["dimensions"][0].update(code="health"), "unknown"),
        (lambda d: d["dimensions"].pop(), "missing psychosocial"),
        (lambda d: d["indicators"][0].update(dimension="money"), "unknown dimension"),
        (lambda d: d["indicators"][1].update(code="e1"), "given twice"),
        (lambda d: d["indicators"][0].pop("question_en"), "question_en"),
        (lambda d: d.update(official="yes"), "official"),
        (lambda d: [i.update(weight=0) for i in d["indicators"][:2]], "add up to zero"),
    ],
)
def test_an_instrument_that_cannot_be_used_is_refused_in_words(change, words):
    with pytest.raises(scoring.InstrumentError, match=words):
        scoring.validate(_broken(change))
