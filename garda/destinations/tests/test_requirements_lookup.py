"""Which requirement set applies to a target, and a sector's status on a day:
history, not overwrite."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from garda.destinations.models import RequirementSet, Scheme, SectorRule
from garda.destinations.requirements import (
    condition_texts,
    requirement_set_for,
    requirement_sets_for_targets,
    sector_status,
    sector_statuses,
    sets_in_force_for,
)
from garda.destinations.services.rules import (
    RequirementData,
    RequirementSetTerms,
    requirement_set_create,
    requirement_set_revise,
    sector_rule_add,
)


def code_of(rs):
    return rs.code if rs is not None else None


# --- sector status ------------------------------------------------------------------


@pytest.mark.django_db
def test_moratorium_applies_from_its_first_day():
    assert sector_status("SA", "domestic", on=date(2015, 6, 30)) is None
    rule = sector_status("SA", "domestic", on=date(2015, 7, 1))
    assert rule.status == SectorRule.Status.MORATORIUM
    assert sector_status("SA", "health", on=date(2020, 1, 1)) is None
    assert sector_status("ID", "domestic") is None  # not a destination


@pytest.mark.django_db
def test_a_change_is_history_not_an_overwrite(admin_user):
    before = sector_status("QA", "domestic")
    sector_rule_add(
        actor=admin_user,
        destination=before.destination,
        sector="domestic",
        status="open",
        legal_basis="Keputusan uji 1/2027",
        effective_from=date(2027, 1, 1),
    )
    assert sector_status("QA", "domestic", on=date(2026, 12, 31)).pk == before.pk
    after = sector_status("QA", "domestic", on=date(2027, 1, 1))
    assert after.status == "open" and after.pk != before.pk
    before.refresh_from_db()
    assert before.status == SectorRule.Status.MORATORIUM
    assert before.effective_to == date(2027, 1, 1)
    assert sector_status("QA", "domestic", on=date(2016, 1, 1)).pk == before.pk


@pytest.mark.django_db
def test_occupation_rule_and_sector_wide_rule():
    spsk = SectorRule.objects.get(destination__code="SA", status="restricted")
    assert sector_status("SA", "domestic").status == "moratorium"
    assert sector_status("SA", "domestic", occupation=spsk.occupation).pk == spsk.pk
    # An occupation without a rule of its own falls under the sector-wide rule.
    assert sector_status("SA", "domestic", occupation="Tukang kebun").status == "moratorium"


@pytest.mark.django_db
def test_bulk_statuses_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        statuses = sector_statuses(on=date(2026, 1, 1))
    assert [r.status for r in statuses["SA"]["domestic"]] == ["moratorium", "restricted"]
    assert statuses["KR"]["manufacturing"][0].status == "open"
    assert "domestic" not in statuses.get("MY", {})
    assert sector_statuses(on=date(2015, 6, 30)).get("SA") is None


# --- requirement_set_for --------------------------------------------------------------


@pytest.mark.django_db
def test_most_specific_set_wins():
    assert code_of(requirement_set_for("KR", "g2g-kr-eps", "manufacturing")) == (
        "kr-eps-manufacturing"
    )
    # The destination's set for any sector.
    assert code_of(requirement_set_for("KR", "g2g-kr-eps", "fishery")) == "kr-eps"
    # The baseline of a scheme, for any destination.
    assert code_of(requirement_set_for("MY", "independent", "domestic")) == "independent"
    assert code_of(requirement_set_for("SG", "p2p", "care")) == "p2p"
    assert code_of(requirement_set_for("TW", "p2p", "care")) == "tw-p2p-care"
    # Nothing for this scheme, and an unknown destination.
    assert requirement_set_for("NL", "company-own", "services") is None
    assert requirement_set_for("ZZ", "independent", "care") is None


@pytest.mark.django_db
def test_any_destination_with_a_sector_beats_the_plain_baseline(admin_user):
    p2p = Scheme.objects.get(code="p2p")
    requirement_set_create(
        actor=admin_user,
        code="p2p-care",
        scheme=p2p,
        destination=None,
        sector="care",
        terms=RequirementSetTerms(
            name="Perawat",
            name_en="Care",
            legal_basis="UU 18/2017",
            effective_from=date(2020, 1, 1),
        ),
        requirements=[RequirementData("ktp"), RequirementData("competency-certificate")],
    )
    assert code_of(requirement_set_for("SG", "p2p", "care")) == "p2p-care"
    assert code_of(requirement_set_for("SG", "p2p", "domestic")) == "p2p"
    # The destination's own set for the sector still wins.
    assert code_of(requirement_set_for("TW", "p2p", "care")) == "tw-p2p-care"


@pytest.mark.django_db
def test_sets_apply_from_their_start_date_and_old_versions_answer_for_the_past(admin_user):
    # Triple Win's seeded set starts on 15 July 2025.
    assert requirement_set_for("DE", "g2g-de-triplewin", "health", on=date(2025, 7, 14)) is None
    v1 = requirement_set_for("KR", "g2g-kr-eps", "manufacturing")
    terms = RequirementSetTerms.of(v1)
    later = timezone.localdate() + timedelta(days=30)
    v2 = requirement_set_revise(
        actor=admin_user,
        requirement_set=v1,
        terms=RequirementSetTerms(**{**terms.__dict__, "max_age": 38, "effective_from": later}),
        requirements=[RequirementData.of(r) for r in v1.requirements.all()],
    )
    assert v2.is_current and v2.version == 2
    # Today the old version still applies; from its start date, the new one.
    assert requirement_set_for("KR", "g2g-kr-eps", "manufacturing").pk == v1.pk
    assert requirement_set_for("KR", "g2g-kr-eps", "manufacturing", on=later).pk == v2.pk


@pytest.mark.django_db
def test_requirements_come_prefetched_in_order(django_assert_num_queries):
    with django_assert_num_queries(2):
        rs = requirement_set_for("KR", "g2g-kr-eps", "manufacturing")
        codes = [r.document_type.code for r in rs.requirements.all()]
    assert codes[:2] == ["ktp", "kk"] and codes[-1] == "work-visa"


@pytest.mark.django_db
def test_bulk_lookup_agrees_with_single_lookup_in_constant_queries(django_assert_num_queries):
    targets = [
        ("KR", "g2g-kr-eps", "manufacturing"),
        ("KR", "g2g-kr-eps", "fishery"),
        ("MY", "independent", "domestic"),
        ("TW", "p2p", "care"),
        ("SG", "p2p", "construction"),
        ("NL", "company-own", "services"),
        ("ZZ", "p2p", "care"),
    ]
    with django_assert_num_queries(3):
        found = requirement_sets_for_targets(targets)
        for rs in found.values():
            if rs is not None:
                list(rs.requirements.all())
    for target in targets:
        assert code_of(found[target]) == code_of(requirement_set_for(*target)), target
    assert requirement_sets_for_targets([]) == {}


@pytest.mark.django_db
def test_sets_in_force_for_a_destination_page():
    from garda.destinations.models import Destination

    kr = Destination.objects.get(code="KR")
    codes = [rs.code for rs in sets_in_force_for(kr)]
    # The destination's own sets first, then the baselines of its schemes.
    assert set(codes[:2]) == {"kr-eps", "kr-eps-manufacturing"}
    assert "independent" in codes and "jp-ssw" not in codes


@pytest.mark.django_db
def test_conditions_in_plain_words():
    from django.utils import translation

    rs = RequirementSet.objects.get(code="kr-eps-manufacturing")
    with translation.override("en"):
        texts = condition_texts(rs)
    assert texts[0] == "Age 18 to 39 years."
    assert "SMP" in texts[1]
    assert "KR" in texts[2] and "5" in texts[2]
