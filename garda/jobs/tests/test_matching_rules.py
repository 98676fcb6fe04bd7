"""The pure matching rules: each hard filter excludes with its own reason, and the
score's reasons carry their points, which add up to the score."""

from datetime import date

import pytest

from garda.jobs import matching as rules

TODAY = date(2026, 6, 1)


def order(**kw) -> rules.OrderFacts:
    values = {
        "id": 1,
        "destination": "HK",
        "scheme": "p2p",
        "sector": "domestic",
        "occupation_code": "9111",
        "destination_name": "Hong Kong",
        "min_age": 21,
        "max_age": 45,
    }
    values.update(kw)
    return rules.OrderFacts(**values)


def person(**kw) -> rules.PersonFacts:
    values = {
        "id": 7,
        "status": "ready",
        "sex": "F",
        "birth_date": date(1996, 1, 1),
        "readiness": {"HK:p2p:domestic": True},
    }
    values.update(kw)
    return rules.PersonFacts(**values)


def codes(items):
    return [m.code for m in items]


def test_a_person_who_passes_every_filter_has_nothing_missing():
    assert rules.hard_filters(order(), person(), TODAY) == []
    assert not rules.fails_fast(order(), person(), TODAY)


@pytest.mark.parametrize(
    ("o", "p", "code"),
    [
        ({}, {"status": "in_preparation", "status_label": "Dalam persiapan"}, rules.STATUS),
        ({"sex": "M"}, {}, rules.SEX),
        ({"sex": "F"}, {"sex": "M"}, rules.SEX),
        ({"min_age": 35}, {}, rules.AGE_MIN),
        ({"max_age": 25}, {}, rules.AGE_MAX),
        ({}, {"readiness": {"HK:p2p:domestic": False}}, rules.READINESS),
        ({}, {"readiness": {}}, rules.READINESS_UNCHECKED),
        (
            {
                "required_language": "en",
                "required_language_scale": "cefr",
                "required_language_level": "B1",
            },
            {"languages": {("en", "cefr"): 1}},
            rules.LANGUAGE,
        ),
        (
            {
                "required_language": "en",
                "required_language_scale": "cefr",
                "required_language_level": "B1",
            },
            {"languages": {("en", "self"): 2}},
            rules.LANGUAGE,
        ),
        ({"required_courses": ((3, "Perawat lansia"),)}, {}, rules.CERTIFICATE),
        ({}, {"blocked": True}, rules.PROTECTION),
    ],
)
def test_each_hard_filter_excludes_with_its_reason(o, p, code):
    found = rules.hard_filters(order(**o), person(**p), TODAY)
    assert codes(found) == [code]
    assert found[0].message
    assert rules.fails_fast(order(**o), person(**p), TODAY)


def test_the_language_level_asked_for_or_above_passes():
    o = order(required_language="en", required_language_scale="cefr", required_language_level="B1")
    assert rules.hard_filters(o, person(languages={("en", "cefr"): 2}), TODAY) == []
    assert rules.hard_filters(o, person(languages={("en", "cefr"): 3}), TODAY) == []


def test_a_missing_certificate_names_the_course_that_closes_it():
    o = order(required_courses=((3, "Perawat lansia"), (4, "P3K")))
    found = rules.hard_filters(o, person(certificate_courses=frozenset({4})), TODAY)
    assert codes(found) == [rules.CERTIFICATE]
    assert found[0].steps == [{"kind": "course", "code": "3", "title": "Perawat lansia"}]


def test_the_minimum_age_within_the_grace_is_not_final_but_further_off_it_is():
    o = order(min_age=30)
    young = person(birth_date=date(1996, 9, 1))  # 29, 30 in three months
    found = rules.hard_filters(o, young, TODAY, age_grace_days=365)
    assert codes(found) == [rules.AGE_MIN] and not rules.is_final(found[0])
    far = person(birth_date=date(2004, 1, 1))
    found = rules.hard_filters(o, far, TODAY, age_grace_days=365)
    assert rules.is_final(found[0])


def full_person():
    return person(
        skills=("9111",),
        languages={("en", "cefr"): 3},
        certificate_courses=frozenset({3}),
        certificate_sectors=frozenset({"domestic"}),
        certified=True,
        months_by_country={"HK": 30},
        months_by_occupation={"9111": 30},
        trained=True,
        training_sectors=frozenset({"domestic"}),
        preferred_destinations=frozenset({"HK"}),
        preferred_sectors=frozenset({"domestic"}),
    )


def test_the_best_person_scores_100_and_the_reasons_add_up():
    o = order(
        required_language="en",
        required_language_scale="cefr",
        required_language_level="B1",
        language_name="Inggris",
        required_courses=((3, "Perawat lansia"),),
    )
    total, reasons = rules.score(o, full_person())
    assert total == 100
    assert sum(r.weight for r in reasons) == pytest.approx(total)
    assert {r.code for r in reasons} == {
        "skills",
        "certificates",
        "language",
        "experience_country",
        "experience_occupation",
        "training",
        "preferences",
    }
    assert all(r.message for r in reasons)


def test_every_component_weighs_as_the_policy_says():
    weights = rules.policy()["weights"]
    assert sum(weights.values()) == 100
    total, reasons = rules.score(order(), full_person())
    assert {r.code: r.weight for r in reasons} == {k: float(v) for k, v in weights.items()}


@pytest.mark.parametrize(
    ("skills", "points"),
    [(("9111",), 30), (("9112",), 15), (("9121",), 7.5), (("5322",), 0), ((), 0)],
)
def test_skills_score_by_how_close_the_occupation_code_is(skills, points):
    _t, reasons = rules.score(order(), person(skills=skills))
    assert next(r for r in reasons if r.code == "skills").weight == points


def test_experience_is_in_proportion_to_the_months_asked_for():
    _t, reasons = rules.score(order(experience_months=24), person(months_by_country={"HK": 12}))
    found = next(r for r in reasons if r.code == "experience_country")
    assert found.weight == 4.0
    assert "12" in found.message and "Hong Kong" in found.message


def test_a_partial_person_scores_less_and_the_sum_still_holds():
    total, reasons = rules.score(order(), person(skills=("9112",), certified=True))
    assert 0 < total < 100
    assert sum(r.weight for r in reasons) == pytest.approx(total)
    assert rules.score(order(), person(), explain=False) == (rules.score(order(), person())[0], [])


def test_preferences_stated_score_only_what_they_name():
    _t, reasons = rules.score(
        order(), person(preferred_destinations=frozenset({"TW"}), preferred_sectors=frozenset())
    )
    assert next(r for r in reasons if r.code == "preferences").weight == 0
    _t, reasons = rules.score(order(), person())
    assert next(r for r in reasons if r.code == "preferences").weight == 5
