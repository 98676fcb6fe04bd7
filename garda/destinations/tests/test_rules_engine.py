"""The readiness rules without a database (destinations/rules.py): a table of cases
for every requirement state and every blocker, then properties (hypothesis)."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from garda.destinations import rules
from garda.destinations.rules import (
    DocumentFacts,
    Experience,
    Inputs,
    PersonFacts,
    RequirementFacts,
    RequirementSetFacts,
    SectorStatus,
    TargetFacts,
)

TODAY = date(2026, 6, 1)

KTP = RequirementFacts(code="ktp", name="KTP", issuer="Disdukcapil", where_to_get="KK")
PASSPORT = RequirementFacts(
    code="passport",
    name="Passport",
    min_remaining_months=18,
    issuer="Kantor Imigrasi",
    where_to_get="KTP, KK, birth certificate",
)
MEDICAL = RequirementFacts(
    code="medical", name="Medical check-up", validity_months=3, issuer="Sarana kesehatan"
)
TOPIK = RequirementFacts(code="eps-topik", name="EPS-TOPIK", is_scored=True, min_level="80")
JLPT = RequirementFacts(
    code="jlpt", name="JLPT", levels=("N5", "N4", "N3", "N2", "N1"), min_level="N4"
)
CONSENT = RequirementFacts(code="consent", name="Consent")
REQUIREMENTS = (KTP, PASSPORT, MEDICAL, TOPIK, JLPT, CONSENT)

PERSON = PersonFacts(birth_date=date(1995, 5, 10), sex="F", education="sma")
RSET = RequirementSetFacts(
    id=7, code="kr-eps", min_age=18, max_age=39, min_education="smp", requirements=REQUIREMENTS
)
TARGET = TargetFacts(
    key="KR:g2g-kr-eps:manufacturing",
    today=TODAY,
    destination_name="Korea Selatan",
    destination_code="KR",
    sector_name="Manufacturing",
    destination_min_age=18,
    requirement_set=RSET,
)
MORATORIUM = SectorStatus(
    status="moratorium",
    legal_basis="Kepmenaker 260/2015",
    note="Domestic work with individual employers.",
    effective_from=date(2015, 7, 1),
)

ALL_MET = {
    "ktp": DocumentFacts("verified", id=1),
    "passport": DocumentFacts("verified", expires_on=date(2031, 1, 1), id=2),
    "medical": DocumentFacts("verified", issued_on=date(2026, 5, 20), id=3),
    "eps-topik": DocumentFacts("verified", level="85", id=4),
    "jlpt": DocumentFacts("verified", level="N3", id=5),
    "consent": DocumentFacts("verified", id=6),
}


def run(documents=None, person=PERSON, **target_changes) -> rules.Result:
    target = replace(TARGET, **target_changes)
    with translation.override("en"):
        return rules.evaluate(Inputs(person, ALL_MET if documents is None else documents, target))


def state_of(result: rules.Result, code: str) -> rules.RequirementState:
    return next(r for r in result.requirements if r.code == code)


def with_doc(code: str, doc: DocumentFacts | None) -> dict:
    docs = dict(ALL_MET)
    if doc is None:
        docs.pop(code)
    else:
        docs[code] = doc
    return docs


def test_everything_in_order_is_ready():
    result = run()
    assert result.ready is True
    assert result.percent == 100
    assert result.blockers == () and result.next_steps == ()
    assert {r.state for r in result.requirements} == {"met"}
    assert result.to_dict()["requirements"][0] == {
        "code": "ktp",
        "name": "KTP",
        "state": "met",
        "detail": "Verified.",
        "document_id": 1,
        "agency": "Disdukcapil",
        "bring": "",  # only what is still to get says what to bring
        "health": False,
    }


# (case, requirement code, its document, planned departure, expected state, detail part)
STATE_CASES = [
    ("not uploaded", "ktp", None, None, "missing", "Not uploaded yet."),
    ("verified", "ktp", DocumentFacts("verified"), None, "met", "Verified."),
    ("waiting", "ktp", DocumentFacts("pending"), None, "pending", "waiting for an officer"),
    (
        "rejected",
        "ktp",
        DocumentFacts("rejected", rejection_reason="Foto buram"),
        None,
        "rejected",
        "Foto buram",
    ),
    (
        "replaced is not held",
        "ktp",
        DocumentFacts("replaced"),
        None,
        "missing",
        "Not uploaded yet.",
    ),
    (
        "expiry date passed",
        "passport",
        DocumentFacts("verified", expires_on=date(2026, 5, 31)),
        None,
        "expired",
        "Expired on 31 May 2026",
    ),
    (
        "expires on the day itself is still valid today but too short",
        "passport",
        DocumentFacts("verified", expires_on=TODAY),
        None,
        "expiring",
        "Valid until 1 June 2026",
    ),
    (
        "too little validity left after departure",
        "passport",
        DocumentFacts("verified", expires_on=date(2027, 12, 31)),
        date(2026, 9, 1),
        "expiring",
        "until 1 March 2028",
    ),
    (
        "enough validity after departure",
        "passport",
        DocumentFacts("verified", expires_on=date(2028, 3, 1)),
        date(2026, 9, 1),
        "met",
        "Valid until 1 March 2028",
    ),
    (
        "no departure: minimum remaining validity counted from today",
        "passport",
        DocumentFacts("verified", expires_on=date(2027, 6, 1)),
        None,
        "expiring",
        "at least 18 months",
    ),
    (
        "medical result older than its validity",
        "medical",
        DocumentFacts("verified", issued_on=date(2026, 2, 28)),
        None,
        "expired",
        "Expired on 27 May 2026",
    ),
    (
        "medical result lapses before departure",
        "medical",
        DocumentFacts("verified", issued_on=date(2026, 5, 1)),
        date(2026, 9, 1),
        "expiring",
        "before the planned departure on 1 September 2026",
    ),
    (
        "medical result valid until departure",
        "medical",
        DocumentFacts("verified", issued_on=date(2026, 5, 1)),
        date(2026, 7, 31),
        "met",
        "Valid until 31 July 2026",
    ),
    (
        "pending but expired: expired first",
        "passport",
        DocumentFacts("pending", expires_on=date(2026, 1, 1)),
        None,
        "expired",
        "Expired on 1 January 2026",
    ),
    (
        "score below the minimum",
        "eps-topik",
        DocumentFacts("verified", level="70"),
        None,
        "missing",
        "The score 70 is below the required 80.",
    ),
    (
        "score equal to the minimum",
        "eps-topik",
        DocumentFacts("verified", level="80"),
        None,
        "met",
        "Verified.",
    ),
    (
        "unreadable score",
        "eps-topik",
        DocumentFacts("verified", level="lulus"),
        None,
        "missing",
        "cannot be read",
    ),
    (
        "level below the minimum",
        "jlpt",
        DocumentFacts("verified", level="N5"),
        None,
        "missing",
        "The level N5 is below the required N4.",
    ),
    (
        "level above the minimum, other case",
        "jlpt",
        DocumentFacts("pending", level="n2"),
        None,
        "pending",
        "waiting",
    ),
    (
        "level not recorded",
        "jlpt",
        DocumentFacts("verified", level=""),
        None,
        "missing",
        "not recorded",
    ),
    (
        "unknown level",
        "jlpt",
        DocumentFacts("verified", level="B2"),
        None,
        "missing",
        "not one of N5, N4, N3, N2, N1",
    ),
]


@pytest.mark.parametrize(
    ("code", "doc", "departure", "expected", "detail"),
    [case[1:] for case in STATE_CASES],
    ids=[case[0] for case in STATE_CASES],
)
def test_requirement_states(code, doc, departure, expected, detail):
    result = run(with_doc(code, doc), planned_departure=departure)
    requirement = state_of(result, code)
    assert requirement.state == expected
    assert detail in requirement.detail
    if departure is None:  # (a departure also makes the 3-month medical result too old)
        assert result.ready is (expected == "met")
        assert result.percent == (100 if expected == "met" else 83)  # 5 of 6, floored
    steps = [s for s in result.next_steps if s.requirement_code == code]
    assert len(steps) == (0 if expected == "met" else 1)


def test_a_missing_step_says_where_to_go_and_what_to_bring():
    result = run(with_doc("passport", None))
    (step,) = result.next_steps
    assert step.text == "Get your Passport and upload it."
    assert step.agency == "Kantor Imigrasi"
    assert step.bring == "KTP, KK, birth certificate"
    assert step.code == "missing"


def test_a_pending_step_is_waiting_at_the_officer():
    (step,) = run(with_doc("ktp", DocumentFacts("pending"))).next_steps
    assert step.text.startswith("Wait for an officer to verify your KTP")
    assert "Pasukan Putih" in step.agency


def test_a_level_too_low_asks_for_the_minimum():
    (step,) = run(with_doc("jlpt", DocumentFacts("verified", level="N5"))).next_steps
    assert step.text.startswith("Get your JLPT (at least N4) and upload it.")
    assert "N5 is below the required N4" in step.text


def _blocker_codes(result):
    return [b.code for b in result.blockers]


# (case, person changes, target changes, expected blocker codes, message part)
BLOCKER_CASES = [
    ("moratorium", {}, {"sector_rules": (MORATORIUM,)}, ["moratorium"], "Kepmenaker 260/2015"),
    (
        "moratorium from before the departure",
        {},
        {
            "sector_rules": (replace(MORATORIUM, effective_from=date(2026, 8, 1)),),
            "planned_departure": date(2026, 9, 1),
        },
        ["moratorium"],
        "closed (moratorium)",
    ),
    (
        "moratorium lifted",
        {},
        {"sector_rules": (replace(MORATORIUM, effective_to=date(2026, 1, 1)),)},
        [],
        "",
    ),
    (
        "moratorium superseded by a later open rule",
        {},
        {
            "sector_rules": (
                MORATORIUM,
                SectorStatus(status="open", legal_basis="X", effective_from=date(2026, 1, 1)),
            )
        },
        [],
        "",
    ),
    (
        "under 18 today",
        {"birth_date": date(2009, 1, 1)},
        {},
        ["under_age"],
        "The minimum age is 18 years; the age today is 17.",
    ),
    (
        "18 by the planned departure",
        {"birth_date": date(2008, 8, 1)},
        {"planned_departure": date(2026, 8, 1)},
        [],
        "",
    ),
    (
        "the destination's own minimum age",
        {"birth_date": date(2006, 1, 1)},
        {"destination_min_age": 21},
        ["under_age"],
        "The minimum age is 21 years",
    ),
    (
        "over the scheme's maximum at departure",
        {"birth_date": date(1986, 7, 1)},
        {"planned_departure": date(2026, 7, 1)},
        ["over_age"],
        "up to 39 years old; on the planned departure (1 July 2026) the age will be 40",
    ),
    ("education below the minimum", {"education": "sd"}, {}, ["education"], "SMP"),
    ("education not recorded", {"education": ""}, {}, ["education"], "no education is recorded"),
    ("NIK unresolved", {"nik_resolved": False}, {}, ["nik_unresolved"], "NIK"),
    ("open duplicate", {"open_duplicate": True}, {}, ["open_duplicate"], "duplicate"),
    (
        "no requirement set",
        {},
        {"requirement_set": None},
        ["no_requirement_set"],
        "No requirements are recorded",
    ),
    (
        "several blockers in a fixed order",
        {"open_duplicate": True, "nik_resolved": False, "birth_date": date(2010, 1, 1)},
        {"sector_rules": (MORATORIUM,)},
        ["moratorium", "nik_unresolved", "open_duplicate", "under_age"],
        "",
    ),
]


@pytest.mark.parametrize(
    ("person_changes", "target_changes", "codes", "message"),
    [case[1:] for case in BLOCKER_CASES],
    ids=[case[0] for case in BLOCKER_CASES],
)
def test_blockers(person_changes, target_changes, codes, message):
    result = run(person=replace(PERSON, **person_changes), **target_changes)
    assert _blocker_codes(result) == codes
    assert result.ready is (not codes)
    if message:
        assert message in result.blockers[0].message
    # Blockers come first in the next steps, in the same order.
    assert [s.code for s in result.next_steps[: len(codes)]] == codes


def test_a_moratorium_blocks_even_with_every_document_and_keeps_the_percentage():
    result = run(sector_rules=(MORATORIUM,))
    assert result.ready is False and result.percent == 100
    assert result.blockers[0].message == (
        'Placement for "Manufacturing" in Korea Selatan is closed (moratorium) under '
        "Kepmenaker 260/2015. Domestic work with individual employers."
    )
    assert "non-procedural" in result.next_steps[0].text


def test_a_restricted_sector_is_a_warning_not_a_blocker():
    restricted = SectorStatus(status="restricted", legal_basis="SPSK 2018", note="Six jobs.")
    result = run(sector_rules=(restricted,))
    assert result.ready is True
    assert [w.code for w in result.warnings] == ["sector_restricted"]
    assert "SPSK 2018" in result.warnings[0].message


def conditions(*items):
    return {"requirement_set": replace(RSET, conditions=tuple(items))}


PRIOR_STAY = {"kind": "max_prior_stay_years", "country": "KR", "years": 5}
EXPERIENCE_2Y = {"kind": "min_experience_years", "years": 2}


@pytest.mark.parametrize(
    ("experience", "condition", "codes"),
    [
        ((Experience("KR", date(2018, 1, 1), date(2023, 6, 1)),), PRIOR_STAY, ["prior_stay"]),
        ((Experience("KR", date(2019, 1, 1), date(2023, 1, 1)),), PRIOR_STAY, []),
        ((Experience("JP", date(2010, 1, 1), date(2020, 1, 1)),), PRIOR_STAY, []),
        ((), EXPERIENCE_2Y, ["experience"]),
        ((Experience("ID", date(2024, 1, 1), None),), EXPERIENCE_2Y, []),
        # Two overlapping jobs in 2025 count as one year, not two.
        (
            (
                Experience("ID", date(2025, 1, 1), date(2025, 12, 31)),
                Experience("ID", date(2025, 1, 1), date(2025, 12, 31)),
            ),
            EXPERIENCE_2Y,
            ["experience"],
        ),
    ],
)
def test_experience_conditions(experience, condition, codes):
    result = run(person=replace(PERSON, experience=experience), **conditions(condition))
    assert _blocker_codes(result) == codes


def test_sex_condition():
    only_women = {"kind": "sex", "value": "F"}
    assert _blocker_codes(run(**conditions(only_women))) == []
    result = run(person=replace(PERSON, sex="M"), **conditions(only_women))
    assert _blocker_codes(result) == ["sex"]
    assert result.blockers[0].message == "This placement is for women only."


def test_an_unknown_condition_is_a_warning():
    result = run(**conditions({"kind": "height_cm", "min": 160}, {"kind": "sex"}))
    assert result.ready is True
    assert [w.code for w in result.warnings] == ["condition_unknown", "condition_unknown"]


def test_next_steps_order_blockers_then_rejected_expired_missing_expiring_pending():
    docs = {
        "ktp": DocumentFacts("pending"),
        "passport": DocumentFacts("verified", expires_on=date(2027, 1, 1)),
        "medical": DocumentFacts("verified", issued_on=date(2025, 1, 1)),
        "jlpt": DocumentFacts("rejected", rejection_reason="Sertifikat palsu"),
        "consent": DocumentFacts("verified"),
    }
    result = run(docs, person=replace(PERSON, open_duplicate=True))
    assert [(s.code, s.requirement_code) for s in result.next_steps] == [
        ("open_duplicate", None),
        ("rejected", "jlpt"),
        ("expired", "medical"),
        ("missing", "eps-topik"),
        ("expiring", "passport"),
        ("pending", "ktp"),
    ]
    assert result.percent == 16  # consent only: 1 of 6, floored
    assert "Sertifikat palsu" in result.next_steps[1].text


def test_an_empty_requirement_set_is_complete():
    result = run({}, requirement_set=replace(RSET, requirements=()))
    assert result.ready is True and result.percent == 100


def test_texts_follow_the_active_language():
    docs = with_doc("ktp", None)
    with translation.override("id"):
        indonesian = rules.evaluate(Inputs(PERSON, docs, TARGET))
    english = run(docs)
    assert english.language == "en" and indonesian.language == "id"
    assert english.requirements[0].state == indonesian.requirements[0].state == "missing"


def test_the_dict_round_trips():
    result = run(
        with_doc("ktp", DocumentFacts("rejected", rejection_reason="x")),
        person=replace(PERSON, open_duplicate=True),
        sector_rules=(SectorStatus(status="restricted"),),
        planned_departure=date(2026, 12, 1),
    )
    assert rules.Result.from_dict(result.to_dict()) == result


def test_helpers():
    assert rules.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert rules.add_months(date(2026, 11, 15), 18) == date(2028, 5, 15)
    assert rules.birthday(date(2008, 2, 29), 18) == date(2026, 3, 1)
    assert rules.age_on(date(2008, 6, 2), TODAY) == 17
    assert rules.age_on(date(2008, 6, 1), TODAY) == 18
    assert rules.worked_days([Experience("ID", TODAY + timedelta(days=3))], TODAY) == 0


# --- properties -----------------------------------------------------------------------

dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31))
documents = st.builds(
    DocumentFacts,
    status=st.sampled_from(["pending", "verified", "rejected", "replaced"]),
    issued_on=st.none() | dates,
    expires_on=st.none() | dates,
    level=st.sampled_from(["", "N5", "N4", "N1", "70", "80", "99", "x"]),
    rejection_reason=st.sampled_from(["", "Buram"]),
)
persons = st.builds(
    PersonFacts,
    birth_date=st.dates(min_value=date(1960, 1, 1), max_value=date(2012, 12, 31)),
    sex=st.sampled_from(["M", "F"]),
    education=st.sampled_from(["", *rules.EDUCATION_RANK]),
    nik_resolved=st.booleans(),
    open_duplicate=st.booleans(),
    experience=st.lists(
        st.builds(Experience, st.sampled_from(["KR", "ID"]), dates, st.none() | dates),
        max_size=3,
    ).map(tuple),
)
targets = st.builds(
    replace,
    st.just(TARGET),
    planned_departure=st.none() | dates,
    sector_rules=st.lists(
        st.builds(
            SectorStatus,
            status=st.sampled_from(["open", "restricted", "moratorium"]),
            effective_from=st.none() | dates,
        ),
        max_size=2,
    ).map(tuple),
    requirement_set=st.none()
    | st.just(replace(RSET, conditions=({"kind": "sex", "value": "F"}, PRIOR_STAY))),
)
inputs = st.builds(
    Inputs,
    persons,
    st.dictionaries(st.sampled_from([r.code for r in REQUIREMENTS]), documents),
    targets,
)


@settings(max_examples=300, deadline=None)
@given(inputs)
def test_properties(given_inputs):
    with translation.override("en"):
        result = rules.evaluate(given_inputs)
        again = rules.evaluate(given_inputs)
    assert result == again  # deterministic
    assert 0 <= result.percent <= 100
    assert all(r.state in rules.STATES for r in result.requirements)
    if result.ready:
        assert not result.blockers
        assert all(r.state == "met" for r in result.requirements)
        assert result.percent == 100
        assert not result.next_steps
    if any(r.status == "moratorium" for r in given_inputs.target.sector_rules):
        in_force = rules.sector_rule_on(given_inputs.target.sector_rules, TODAY)
        if in_force is not None and in_force.status == "moratorium":
            assert not result.ready
            assert result.blockers[0].code == "moratorium"
    # One step per blocker and per requirement not met.
    unmet = sum(r.state != "met" for r in result.requirements)
    assert len(result.next_steps) == len(result.blockers) + unmet
    assert rules.Result.from_dict(result.to_dict()) == result
    with translation.override("en"):
        assert rules.evaluate_data(given_inputs) == result.to_dict()


# --- alternatives (Requirement.alternative_group): Japan SSW, JFT-Basic A2 or JLPT N4 ---

JFT = RequirementFacts(
    code="jft-basic",
    name="JFT-Basic",
    levels=("A1", "A2"),
    min_level="A2",
    issuer="Japan Foundation",
    where_to_get="Register at the test centre",
    alternative_group=1,
)
JLPT_ALT = replace(JLPT, issuer="JLPT test centre", alternative_group=1)
SSW_SET = replace(RSET, code="jp-ssw", requirements=(KTP, JFT, JLPT_ALT, CONSENT))
SSW_MET = {
    "ktp": DocumentFacts("verified", id=1),
    "consent": DocumentFacts("verified", id=6),
}


def run_ssw(language_docs: dict) -> rules.Result:
    return run({**SSW_MET, **language_docs}, requirement_set=SSW_SET)


@pytest.mark.parametrize(
    "docs",
    [
        {"jft-basic": DocumentFacts("verified", level="A2", id=7)},
        {"jlpt": DocumentFacts("verified", level="N4", id=8)},
        {
            "jft-basic": DocumentFacts("verified", level="A2", id=7),
            "jlpt": DocumentFacts("verified", level="N3", id=8),
        },
        {
            "jft-basic": DocumentFacts("rejected", id=7),
            "jlpt": DocumentFacts("verified", level="N4", id=8),
        },
    ],
    ids=["jft only", "jlpt only", "both", "jft rejected, jlpt met"],
)
def test_either_alternative_met_meets_the_group(docs):
    result = run_ssw(docs)
    assert result.ready is True and result.percent == 100 and result.next_steps == ()
    # Both options are still listed, each with its own state.
    assert [r.code for r in result.requirements] == ["ktp", "jft-basic", "jlpt", "consent"]
    for code in ("jft-basic", "jlpt"):
        row = state_of(result, code)
        assert row.alternative_group == 1
        assert row.satisfied_by_alternative is (row.state != "met")
        if row.state != "met":
            assert row.bring == ""  # nothing to fetch: the other option is met
    data = result.to_dict()
    assert "alternative_group" not in data["requirements"][0]  # unchanged shape elsewhere
    assert data["requirements"][1]["alternative_group"] == 1
    assert rules.Result.from_dict(data) == result


def test_neither_alternative_gives_one_step_naming_both():
    result = run_ssw({})
    assert result.ready is False
    # KTP, consent and the language group: 2 of 3 units met.
    assert result.percent == 66
    assert {state_of(result, c).state for c in ("jft-basic", "jlpt")} == {"missing"}
    assert not any(r.satisfied_by_alternative for r in result.requirements)
    (step,) = result.next_steps
    assert step.text == "Get one of: JFT-Basic, at least A2, or JLPT, at least N4; then upload it."
    assert step.agency == "Japan Foundation" and step.bring == "Register at the test centre"
    assert step.requirement_code == "jft-basic" and step.code == "missing"


def test_an_unmet_group_takes_its_best_members_state():
    # JLPT below the minimum (missing) and JFT rejected: the group is "rejected", one
    # step naming both options and why the held ones do not count.
    result = run_ssw(
        {
            "jft-basic": DocumentFacts("rejected", rejection_reason="Blurred", id=7),
            "jlpt": DocumentFacts("verified", level="N5", id=8),
        }
    )
    (step,) = result.next_steps
    assert step.code == "rejected"
    assert step.text.startswith(
        "Get one of: JFT-Basic, at least A2, or JLPT, at least N4; then upload it."
    )
    assert "Blurred" in step.text and "N5 is below the required N4" in step.text
    # A pending option: the group waits for the officer (its step is the wait step).
    result = run_ssw({"jlpt": DocumentFacts("pending", level="N4", id=8)})
    (step,) = result.next_steps
    assert step.code == "pending" and step.requirement_code == "jlpt"
    assert result.percent == 66 and result.ready is False


def test_the_group_counts_once_in_the_percentage():
    # Without the group: KTP met, consent missing, language met -> 2 of 3, not 3 of 4.
    docs = {**SSW_MET, "jlpt": DocumentFacts("verified", level="N4", id=8)}
    docs.pop("consent")
    result = run(docs, requirement_set=SSW_SET)
    assert result.percent == 66
    assert [s.requirement_code for s in result.next_steps] == ["consent"]
