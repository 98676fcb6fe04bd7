"""The reference data every database gets from migration 0003_seed_rules (from its
frozen copy), and the live data of garda/destinations/data that `seed.apply()` writes."""

from datetime import date

import pytest

from garda.destinations import seed
from garda.destinations.models import (
    Destination,
    DestinationScheme,
    Requirement,
    RequirementSet,
    Scheme,
    Sector,
    SectorRule,
)
from garda.destinations.services.rules import (
    RequirementData,
    _validate_conditions,
    _validate_requirements,
)

CONTRACT_DESTINATIONS = set("KR JP TW HK MY SG SA AE QA KW OM BH JO TR CN DE NL PL GB AU".split())
CONTRACT_SCHEMES = {
    "g2g-kr-eps",
    "g2g-jp-ijepa",
    "im-japan",
    "jp-ssw",
    "g2g-de-triplewin",
    "p2p",
    "independent",
    "company-own",
    "sp2t-tw",
}


@pytest.mark.django_db
def test_the_twenty_destinations_and_nine_schemes_are_seeded():
    assert set(Destination.objects.values_list("code", flat=True)) == CONTRACT_DESTINATIONS
    assert set(Scheme.objects.values_list("code", flat=True)) == CONTRACT_SCHEMES
    g2g = Scheme.objects.filter(kind=Scheme.Kind.G2G)
    assert set(g2g.values_list("code", flat=True)) == {
        "g2g-kr-eps",
        "g2g-jp-ijepa",
        "g2g-de-triplewin",
    }
    assert all(s.fee_free for s in g2g)
    for destination in Destination.objects.all():
        assert destination.min_age >= 18
        assert destination.notes and destination.notes_en, destination.code
        assert destination.embassy_name, destination.code
        # Never an invented phone number: administrators fill them in.
        assert destination.embassy_phone == ""


@pytest.mark.django_db
def test_every_destination_offers_independent_and_company_own():
    for destination in Destination.objects.all():
        codes = set(destination.schemes.values_list("scheme__code", flat=True))
        assert {"independent", "company-own"} <= codes, destination.code
    eps = DestinationScheme.objects.get(destination__code="KR", scheme__code="g2g-kr-eps")
    assert eps.language_tests == "EPS-TOPIK"
    assert "manufacturing" in eps.sectors
    for ds in DestinationScheme.objects.all():
        assert set(ds.sectors) <= set(Sector.values), ds


@pytest.mark.django_db
def test_middle_east_moratorium_on_domestic_work_from_1_july_2015():
    rules = SectorRule.objects.filter(status=SectorRule.Status.MORATORIUM)
    assert set(rules.values_list("destination__code", flat=True)) == set(seed.MIDDLE_EAST)
    for rule in rules:
        assert rule.sector == "domestic"
        assert rule.occupation == ""
        assert rule.effective_from == date(2015, 7, 1)
        assert rule.effective_to is None
        assert "260 Tahun 2015" in rule.legal_basis
        assert "TPPO" in rule.note


@pytest.mark.django_db
def test_spsk_pilot_is_a_separate_restricted_rule_for_saudi_arabia():
    spsk = SectorRule.objects.get(destination__code="SA", status=SectorRule.Status.RESTRICTED)
    assert spsk.sector == "domestic" and "SPSK" in spsk.occupation
    assert "291" in spsk.legal_basis
    for job in ("housekeeper", "baby sitter", "family cook", "elderly caretaker"):
        assert job in spsk.note
    for city in ("Jeddah", "Madinah", "Riyadh", "Dammam", "Khobar", "Dhahran"):
        assert city in spsk.note


@pytest.mark.django_db
def test_korea_eps_manufacturing_set():
    rs = RequirementSet.objects.get(code="kr-eps-manufacturing", is_current=True)
    assert (rs.destination.code, rs.scheme.code, rs.sector) == ("KR", "g2g-kr-eps", "manufacturing")
    assert (rs.min_age, rs.max_age, rs.min_education) == (18, 39, "smp")
    assert rs.conditions == [{"kind": "max_prior_stay_years", "country": "KR", "years": 5}]
    assert "UU 18/2017" in rs.legal_basis
    types = {r.document_type.code: r for r in rs.requirements.select_related("document_type")}
    assert {
        "colour-vision",
        "medical",
        "passport",
        "skck",
        "consent",
        "marital-status",
        "bpjs-tk",
        "opp",
        "work-visa",
        "work-agreement",
        "placement-agreement",
        "ktp",
        "kk",
        "diploma",
        "eps-topik",
    } == set(types)
    assert types["eps-topik"].min_level == "80"
    assert "sementara" in types["eps-topik"].note  # the placeholder is documented


@pytest.mark.django_db
def test_every_seeded_set_is_valid_data_with_a_legal_basis():
    """The seed passes the same validation as an administrator's edit."""
    sets = RequirementSet.objects.select_related("scheme").prefetch_related(
        "requirements__document_type"
    )
    assert {rs.code for rs in sets} >= {
        "kr-eps-manufacturing",
        "jp-ssw",
        "jp-im-japan",
        "jp-ijepa-care",
        "jp-ijepa-nurse",
        "de-triplewin-nurse",
        "tw-p2p-care",
        "hk-p2p-domestic",
        "tw-sp2t",
        "independent",
    }
    for rs in sets:
        assert rs.legal_basis, rs.code
        assert _validate_conditions(rs.conditions) == rs.conditions
        _validate_requirements([RequirementData.of(r) for r in rs.requirements.all()])
    independent = RequirementSet.objects.get(code="independent")
    assert independent.destination is None
    assert {r.document_type.code for r in independent.requirements.all()} == {
        "passport",
        "work-agreement",
        "ktp",
        "medical",
        "bpjs-tk",
    }
    ssw = RequirementSet.objects.get(code="jp-ssw")
    levels = {r.document_type.code: r.min_level for r in ssw.requirements.all()}
    assert levels["jft-basic"] == "A2"
    triple_win = RequirementSet.objects.get(code="de-triplewin-nurse")
    levels = {r.document_type.code: r.min_level for r in triple_win.requirements.all()}
    assert levels["goethe"] == "B1" and "nursing-registration" in levels


@pytest.mark.django_db
def test_seed_is_idempotent_and_keeps_administrators_edits():
    Destination.objects.filter(code="KR").update(notes="Diubah admin")
    assert seed.apply() == dict.fromkeys(
        ("destinations", "schemes", "destination_schemes", "sector_rules", "requirement_sets"),
        0,
    )
    assert Destination.objects.get(code="KR").notes == "Diubah admin"
    assert SectorRule.objects.filter(destination__code="SA").count() == 2
    assert RequirementSet.objects.filter(code="kr-eps-manufacturing").count() == 1
    seed.apply(overwrite=True)
    assert Destination.objects.get(code="KR").notes.startswith("Pekerjaan di sektor")


@pytest.mark.django_db
def test_destinations_link_to_countries_once_they_are_loaded():
    from garda.places.models import Country

    Country.objects.create(code="KR", alpha3="KOR", numeric="410", name_id="Korea", name_en="K")
    seed.apply()
    assert Destination.objects.get(code="KR").country_id == "KR"


def test_seed_values_fit_their_columns():
    for rule in seed.SECTOR_RULES:
        assert len(rule["legal_basis"]) <= 300 and len(rule["occupation"]) <= 100
    for rs in seed.REQUIREMENT_SETS:
        assert len(rs["legal_basis"]) <= 300 and len(rs["code"]) <= 60
        assert all(len(r["note"]) <= 300 for r in rs["requirements"])
    for scheme in seed.SCHEMES:
        assert len(scheme["legal_basis"]) <= 300


def _fields(obj, row, *, skip=()):
    return {k: getattr(obj, k) for k in row if k not in skip}


@pytest.mark.django_db
def test_the_live_data_and_the_migrated_database_agree():
    """garda/destinations/data/*.toml says what the migrations made (0003 from its own
    copy, then 0005's JLPT N4 alternative for Japan SSW). Changing the live data needs a
    data migration with its own copy of the change."""
    destinations = {d.code: d for d in Destination.objects.all()}
    assert set(destinations) == {row["code"] for row in seed.DESTINATIONS}
    offered = set()
    for row in seed.DESTINATIONS:
        stored = destinations[row["code"]]
        assert _fields(stored, row, skip={"schemes"}) == {
            k: v for k, v in row.items() if k != "schemes"
        }, row["code"]
        offered |= {
            (row["code"], r["scheme"], tuple(r["sectors"]), r["language_tests"], r["notes"])
            for r in row["schemes"]
        }
    assert offered == {
        (ds.destination.code, ds.scheme.code, tuple(ds.sectors), ds.language_tests, ds.notes)
        for ds in DestinationScheme.objects.select_related("destination", "scheme")
    }

    schemes = {s.code: s for s in Scheme.objects.all()}
    assert set(schemes) == {row["code"] for row in seed.SCHEMES}
    for row in seed.SCHEMES:
        assert _fields(schemes[row["code"]], row) == row, row["code"]

    def rule(r):
        return tuple(r[k] for k in ("destination", "sector", "occupation", "status"))

    assert sorted(
        (rule(r), r["legal_basis"], r["effective_from"], r["note"]) for r in seed.SECTOR_RULES
    ) == sorted(
        (
            (r.destination.code, r.sector, r.occupation, r.status),
            r.legal_basis,
            r.effective_from,
            r.note,
        )
        for r in SectorRule.objects.select_related("destination")
    )

    sets = {
        rs.code: rs
        for rs in RequirementSet.objects.filter(is_current=True).select_related(
            "destination", "scheme"
        )
    }
    assert set(sets) == {row["code"] for row in seed.REQUIREMENT_SETS}
    for row in seed.REQUIREMENT_SETS:
        stored = sets[row["code"]]
        plain = {k: v for k, v in row.items() if k not in ("destination", "scheme", "requirements")}
        assert _fields(stored, plain) == plain, row["code"]
        destination = stored.destination.code if stored.destination else None
        assert destination == row["destination"], row["code"]
        assert stored.scheme.code == row["scheme"], row["code"]
        requirements = Requirement.objects.filter(requirement_set=stored).order_by("order")
        assert [
            (r.document_type.code, r.min_level, r.note, r.alternative_group)
            for r in requirements.select_related("document_type")
        ] == [
            (r["type"], r["min_level"], r["note"], r["alternative_group"])
            for r in row["requirements"]
        ], row["code"]
