"""The outcome figures on a known small population (factories_outcomes.TABLE): every
count and mean checked by hand, the filters, and the number of queries."""

from datetime import date

import pytest

from garda.reintegration.models import Instrument
from garda.reintegration.outcomes import MIN_N, QUERIES, Filters, Mean, outcomes
from garda.reintegration.tests.factories_outcomes import (
    make_follow_up,
    make_goal,
    make_instrument,
    make_plan,
    population,
)


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
        # Eleven plans kept, and three people who came home without one (RETURNEES:
        # n1, n2, n3; not the remains of a worker who died, not plan 1's person).
        "returnees": 14,
        "plans": 11,
        "no_plan": 3,
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
    # 8 of the 14 returnees had a plan within a month (not 8 of the 11 plans: 73%).
    assert found.totals.in_month_percent == 57
    assert found.totals.as_dict()["in_month_share"] == round(8 / 14, 4)
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
    # Returnees without a plan belong to no programme.
    assert counts(a) == {
        "returnees": 6,
        "plans": 6,
        "no_plan": 0,
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
        "plans": 5,
        "no_plan": 0,
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
    # Per city, the returnees without a plan by their registered kab/kota.
    assert [r.plans for r in (pusat, timur, none)] == [5, 5, 1]
    assert [r.no_plan for r in (pusat, timur, none)] == [1, 1, 1]
    assert [r.returnees for r in (pusat, timur, none)] == [6, 6, 2]
    assert [r.in_month_percent for r in (pusat, timur, none)] == [67, 50, 50]
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
    # A programme chosen: the returnees without a plan (in none) are not counted.
    assert found.totals.returnees == 5 and found.totals.goals == 7
    assert found.totals.no_plan == 0
    assert [m.n for m in found.by_month] == [5, 2, 1]

    found = outcomes(Filters(city="31.75"))
    assert [r.label for r in found.by_city] == ["Kota Jakarta Timur"]
    assert (found.totals.plans, found.totals.no_plan) == (5, 1)  # n2, repatriated
    assert found.totals.returnees == 6 and found.totals.remigration_unknown == 2

    with django_assert_num_queries(QUERIES):
        found = outcomes(Filters(date_from=date(2026, 2, 1), date_to=date(2026, 3, 31)))
    # Plans 3, 4, 5, 7 and 8 returned in February and March, and n1 without a plan
    # (the worker who died in March is no returnee).
    assert (found.totals.plans, found.totals.no_plan, found.totals.returnees) == (5, 1, 6)
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
    assert found.totals.plans == 18 and found.totals.returnees == 18 + 3


def test_a_mean_under_the_threshold_is_not_published():
    assert MIN_N == 5
    assert Mean(total=2.0, n=4).value is None
    assert Mean(total=2.5, n=5).value == 0.5


def test_scores_of_two_instruments_are_not_averaged_together(pop, alice):
    """The population's follow-ups are scored under test-rss 1; five plans made after
    version 2 was put in use are scored under it. Averaged together, the composite
    would be (5.8 + 1.0) / 15 = 0.45, a figure of neither instrument."""
    old = make_instrument()
    new = Instrument.objects.create(
        code="test-rss",
        version="2",
        title="Survei keberlanjutan (uji, versi 2)",
        source="tests",
        definition={"questions": [], "weights": {}},
    )
    Instrument.objects.filter(pk=old.pk).update(active=False)
    for day in range(1, 6):
        plan = make_plan(
            programme=pop.mitra,
            created_by=alice,
            returned_on=date(2026, 6, day),
            city=pop.pusat,
            instrument=new,
        )
        make_goal(plan, via="direct")
        make_follow_up(plan, month=3, composite=0.2, remigration="no")

    # By default the instrument in use: version 2's scores only.
    found = outcomes()
    assert (found.instrument.code, found.instrument.version) == ("test-rss", "2")
    assert found.totals.composite.as_dict() == {"mean": 0.2, "n": 5, "reliable": True}
    assert [(m.month, m.n, m.means["composite"].value) for m in found.by_month] == [(3, 5, 0.2)]
    # The population's 16 done follow-ups under version 1 are left out, and said so.
    assert found.other_instruments == 16
    # The counts are not scores: every plan still counts.
    assert found.totals.plans == 16 and found.totals.followed_up == 15

    # Version 1 chosen: the population's figures, as before.
    found = outcomes(Filters(instrument=old.pk))
    assert found.instrument.version == "1"
    assert found.totals.composite.as_dict() == {"mean": 0.58, "n": 10, "reliable": True}
    assert [(m.month, m.n) for m in found.by_month] == [(3, 10), (6, 5), (12, 1)]
    assert found.other_instruments == 5


def test_the_api_names_the_instrument_and_takes_another(pop, alice):
    from conftest import verified_client

    old = make_instrument()
    new = Instrument.objects.create(
        code="test-rss",
        version="2",
        title="Survei keberlanjutan (uji, versi 2)",
        source="tests",
        definition={"questions": [], "weights": {}},
    )
    Instrument.objects.filter(pk=old.pk).update(active=False)
    api = verified_client(alice)
    body = api.get("/api/v1/reintegration/outcomes").json()
    assert body["instrument"] == {
        "id": new.pk,
        "code": "test-rss",
        "version": "2",
        "title": "Survei keberlanjutan (uji, versi 2)",
        "official": False,
    }
    # No follow-up under version 2 yet: no scores, none mixed in.
    assert body["totals"]["composite"] == {"mean": None, "n": 0, "reliable": False}
    assert body["by_month"] == [] and body["other_instruments"] == 16
    body = api.get("/api/v1/reintegration/outcomes", {"instrument": old.pk}).json()
    assert body["instrument"]["version"] == "1" and body["period"]["instrument"] == old.pk
    assert body["totals"]["composite"] == {"mean": 0.58, "n": 10, "reliable": True}
    answer = api.get("/api/v1/reintegration/outcomes", {"instrument": 999999})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "instrument"
    page = api.get("/reintegration/outcomes/").content.decode()
    assert "Survei keberlanjutan (uji, versi 2) (test-rss 2)" in page
    assert "16 tindak lanjut yang dinilai dengan instrumen lain tidak dihitung" in page
