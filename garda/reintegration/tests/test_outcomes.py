"""The outcome figures on a known small population (factories_outcomes.TABLE): every
count and mean checked by hand, the filters, and the number of queries."""

from datetime import date

import pytest

from garda.reintegration.outcomes import MIN_N, QUERIES, Filters, Mean, outcomes
from garda.reintegration.tests.factories_outcomes import population


@pytest.fixture
def pop(alice):
    return population(alice)


def counts(row) -> dict:
    d = row.as_dict()
    for name in ("key", "label", "in_month_share", "composite", "composite_direct"):
        d.pop(name)
    d.pop("composite_referral")
    return d


def test_the_totals_of_the_known_population(pop, django_assert_num_queries):
    with django_assert_num_queries(QUERIES):
        found = outcomes()
    assert counts(found.totals) == {
        "returnees": 11,
        "in_month": 8,
        "late": 3,
        "withdrawn": 1,
        "goals": 16,
        "delivered": 12,
        "delivered_direct": 7,
        "delivered_referral": 5,
        "dropped": 2,
        "open": 2,
        "followed_up": 10,
        "not_followed": 1,
        "remigrated_legal": 2,
        "remigrated_irregular": 1,
        "stayed": 5,
        "remigration_unknown": 2,
        "helped_direct": 5,
        "helped_referral": 5,
        "not_helped": 1,
    }
    assert found.totals.in_month_percent == 73
    assert found.totals.composite.as_dict() == {"mean": 0.58, "n": 10, "reliable": True}
    # The evidence: returnees helped through a referral score lower.
    assert found.direct_vs_referral == {
        "direct": {"plans": 5, "mean": 0.66, "n": 5, "reliable": True},
        "referral": {"plans": 5, "mean": 0.5, "n": 5, "reliable": True},
        "not_helped": {"plans": 1},
    }


def test_per_programme(pop):
    a, b = outcomes().by_programme
    assert (a.label, b.label) == ("Desa Migran Produktif", "Mitra Usaha Purna")
    assert (a.key, b.key) == (pop.mandiri.pk, pop.mitra.pk)
    assert counts(a) == {
        "returnees": 6,
        "in_month": 4,
        "late": 2,
        "withdrawn": 0,
        "goals": 9,
        "delivered": 7,
        "delivered_direct": 5,
        "delivered_referral": 2,
        "dropped": 1,
        "open": 1,
        "followed_up": 5,
        "not_followed": 1,
        "remigrated_legal": 1,
        "remigrated_irregular": 1,
        "stayed": 1,
        "remigration_unknown": 2,
        "helped_direct": 3,
        "helped_referral": 2,
        "not_helped": 1,
    }
    assert counts(b) == {
        "returnees": 5,
        "in_month": 4,
        "late": 1,
        "withdrawn": 1,
        "goals": 7,
        "delivered": 5,
        "delivered_direct": 2,
        "delivered_referral": 3,
        "dropped": 1,
        "open": 1,
        "followed_up": 5,
        "not_followed": 0,
        "remigrated_legal": 1,
        "remigrated_irregular": 0,
        "stayed": 4,
        "remigration_unknown": 0,
        "helped_direct": 2,
        "helped_referral": 3,
        "not_helped": 0,
    }
    assert a.composite.as_dict() == {"mean": 0.52, "n": 5, "reliable": True}
    assert b.composite.as_dict() == {"mean": 0.64, "n": 5, "reliable": True}
    # Three and two plans: counted, the means not published.
    assert a.composite_direct.as_dict() == {"mean": None, "n": 3, "reliable": False}
    assert a.composite_referral.as_dict() == {"mean": None, "n": 2, "reliable": False}


def test_per_city_the_plans_without_a_city_last(pop):
    pusat, timur, none = outcomes().by_city
    assert (pusat.key, timur.key, none.key) == ("31.71", "31.75", None)
    assert [r.label for r in (pusat, timur, none)] == [
        "Kota Jakarta Pusat",
        "Kota Jakarta Timur",
        "",
    ]
    assert [r.returnees for r in (pusat, timur, none)] == [5, 5, 1]
    assert [r.withdrawn for r in (pusat, timur, none)] == [1, 0, 0]
    assert [r.in_month for r in (pusat, timur, none)] == [4, 3, 1]
    assert [r.goals for r in (pusat, timur, none)] == [8, 7, 1]
    assert [r.delivered_referral for r in (pusat, timur, none)] == [2, 3, 0]
    assert [r.remigrated_legal for r in (pusat, timur, none)] == [1, 1, 0]
    assert pusat.composite.value == 0.58 and timur.composite.value == 0.58
    assert none.composite.n == 0 and none.composite.value is None


def test_scores_over_time_per_follow_up_month(pop):
    m3, m6, m12 = outcomes().by_month
    assert (m3.month, m3.n) == (3, 10)
    assert {k: v.value for k, v in m3.means.items()} == {
        "economic": 0.61,
        "social": 0.71,
        "psychosocial": 0.51,
        "composite": 0.61,
    }
    assert (m6.month, m6.n) == (6, 5)
    assert {k: v.value for k, v in m6.means.items()} == {
        "economic": 0.6,
        "social": 0.7,
        "psychosocial": 0.5,
        "composite": 0.6,
    }
    # One follow-up at 12 months: counted, no mean.
    assert (m12.month, m12.n, m12.means["composite"].value) == (12, 1, None)
    assert m12.as_dict()["composite"] == {"mean": None, "n": 1, "reliable": False}


def test_filters_by_programme_city_and_period(pop, django_assert_num_queries):
    found = outcomes(Filters(programme=pop.mitra.pk))
    assert [r.label for r in found.by_programme] == ["Mitra Usaha Purna"]
    assert found.totals.returnees == 5 and found.totals.goals == 7
    assert [m.n for m in found.by_month] == [5, 2, 1]

    found = outcomes(Filters(city="31.75"))
    assert [r.label for r in found.by_city] == ["Kota Jakarta Timur"]
    assert found.totals.returnees == 5 and found.totals.remigration_unknown == 2

    with django_assert_num_queries(QUERIES):
        found = outcomes(Filters(date_from=date(2026, 2, 1), date_to=date(2026, 3, 31)))
    # Plans 3, 4, 5, 7 and 8 returned in February and March.
    assert found.totals.returnees == 5
    assert found.totals.late == 1
    assert (found.totals.helped_direct, found.totals.helped_referral) == (3, 2)
    assert found.totals.composite.value == round((0.6 + 0.7 + 0.8 + 0.4 + 0.6) / 5, 2)

    found = outcomes(Filters(date_from=date(2027, 1, 1)))
    assert found.totals.returnees == 0
    assert found.by_programme == [] and found.by_city == [] and found.by_month == []
    assert found.totals.in_month_percent is None


def test_query_count_does_not_grow_with_the_plans(pop, alice, django_assert_num_queries):
    from garda.reintegration.tests.factories_outcomes import make_follow_up, make_goal, make_plan

    for day in range(1, 8):
        plan = make_plan(programme=pop.mitra, created_by=alice, returned_on=date(2026, 6, day))
        make_goal(plan, via="referral")
        make_follow_up(plan, month=3, composite=0.3, remigration="no")
    with django_assert_num_queries(QUERIES):
        found = outcomes()
    assert found.totals.returnees == 18


def test_a_mean_under_the_threshold_is_not_published():
    assert MIN_N == 5
    assert Mean(total=2.0, n=4).value is None
    assert Mean(total=2.5, n=5).value == 0.5
