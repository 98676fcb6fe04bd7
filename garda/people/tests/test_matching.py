"""Duplicate engine (people/matching.py): pure, no database.

Table-driven cases for name folding, each corruption kind and the hard
non-duplicates, then properties (hypothesis), then the batch run against score_pair.
"""

import dataclasses
import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from garda.people.matching import (
    DEFAULT_THRESHOLD,
    REASONS,
    Record,
    blocking_keys,
    check_record,
    find_duplicates,
    normalize_name,
    score_pair,
)

# --- normalize_name -------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("", ""),
        ("SITI   AMINAH", "siti aminah"),
        # titles before, degrees after (with or without the comma)
        ("Hj. Siti Aminah, S.Pd", "siti aminah"),
        ("Drs. H. Budi Santoso, M.M.", "budi santoso"),
        ("Ir. Sutrisno", "sutrisno"),
        ("Budi Santoso S.Kom", "budi santoso"),
        ("KH. Ahmad Dahlan", "ahmad dahlan"),
        # dots split words, apostrophes vanish
        ("M.Rizki", "m rizki"),
        ("Ma'ruf Amin", "maruf amin"),
        # Van Ophuijsen oe, EYD dj/tj/j/ch; j and y fold together
        ("Soejono", "suiono"),
        ("Sujono", "suiono"),
        ("Suyono", "suiono"),
        ("Djoko", "yoko"),
        ("Joko", "yoko"),
        ("Yoko", "yoko"),
        ("Tjahjo", "cahio"),
        ("Cahyo", "cahio"),
        ("Chairul", "hairul"),
        ("Khairul", "hairul"),
        ("Hairul", "hairul"),
        ("Achmad", "ahmad"),
        ("Akhmad", "ahmad"),
        # letters written either way
        ("Syaiful", "saiful"),
        ("Saiful", "saiful"),
        ("Ramadhan", "ramadan"),
        ("Fathur", "fatur"),
        ("Taufiq", "taufik"),
        ("Alvian", "alfian"),
        # y and i inside a word; a word-initial y stays
        ("Haryanto", "harianto"),
        ("Fitriyani", "fitriani"),
        ("Fitriani", "fitriani"),
        ("Rudy", "rudi"),
        ("Yanti", "yanti"),
        # doubled letters, whole-word aliases
        ("Muhammad", "muhamad"),
        ("Mohammad", "muhamad"),
        ("Mochammad", "muhamad"),
        ("Moh. Rizki", "muhamad rizki"),
        ("Noor Hidayah", "nur hidaiah"),
        ("Abd. Rahman", "abdul rahman"),
        ("Désy Ratnasari", "desi ratnasari"),
    ],
)
def test_normalize_name(raw, folded):
    assert normalize_name(raw) == folded


def test_a_title_alone_is_kept_as_the_name():
    assert normalize_name("H.") == "h"


# --- one person, recorded twice with one corruption --------------------------------

BASE = Record(
    id="a",
    full_name="Siti Nurhaliza Rahmawati",
    birth_date=date(1995, 3, 4),
    sex="F",
    birth_place="Indramayu",
    address="Jl. Kebon Jeruk No. 12 RT 003/RW 005",
    region="31.71.01.1001",
    phone="+6281234567890",
    nik="3212094403950001",
)


def copy(**changes) -> Record:
    return dataclasses.replace(BASE, id="b", **changes)


# A copy keeps some evidence and loses some (no phone) so the name and date matter.
CORRUPTIONS = [
    ("exact copy", {}, "same_nik"),
    ("typo in a name part", {"full_name": "Siti Nurhaliza Rahmawtai", "phone": ""}, "similar_name"),
    ("letter missing", {"full_name": "Siti Nurhaliza Rahmawai", "nik": ""}, "similar_name"),
    (
        "old spelling",
        {"full_name": "Siti Noerhaliza Rachmawati", "nik": ""},
        "same_name_birth_date",
    ),
    ("parts swapped", {"full_name": "Rahmawati Siti Nurhaliza", "nik": ""}, "name_parts_swapped"),
    ("part missing", {"full_name": "Siti Rahmawati", "nik": ""}, "name_part_missing"),
    ("part abbreviated", {"full_name": "S. Nurhaliza Rahmawati", "nik": ""}, "name_abbreviated"),
    (
        "titles added",
        {"full_name": "Hj. SITI NURHALIZA RAHMAWATI, S.Pd", "nik": ""},
        "same_name_birth_date",
    ),
    ("day and month swapped", {"birth_date": date(1995, 4, 3), "nik": ""}, "similar_birth_date"),
    ("one digit of the date", {"birth_date": date(1996, 3, 4), "nik": ""}, "similar_birth_date"),
    ("birth date missing", {"birth_date": None, "phone": ""}, "same_nik"),
    ("NIK missing", {"nik": "", "phone": ""}, "same_name_birth_date"),
    ("NIK mistyped", {"nik": "3212084403950001", "phone": ""}, "similar_nik"),
    ("NIK digits swapped", {"nik": "3212094430950001", "phone": ""}, "similar_nik"),
    ("phone reformatted", {"phone": "0812-3456-7890", "nik": ""}, "same_phone"),
    ("phone missing", {"phone": ""}, "same_nik"),
    ("address reformatted", {"address": "JALAN KEBON JERUK NO.12, RT 3 RW 5"}, "same_address"),
    ("moved elsewhere", {"address": "Gg. Mawar No. 3", "region": "32.12.09.2001"}, "same_nik"),
    ("birth place written out", {"birth_place": "Kabupaten Indramayu"}, "same_birth_place"),
    (
        "age falsification",  # older birth year, on a NIK rewritten to match
        {"birth_date": date(1989, 3, 4), "nik": "3212094403890001"},
        "nik_birth_date_differs",
    ),
]


@pytest.mark.parametrize(
    ("changes", "reason"), [c[1:] for c in CORRUPTIONS], ids=[c[0] for c in CORRUPTIONS]
)
def test_a_corrupted_copy_is_a_duplicate(changes, reason):
    match = score_pair(BASE, copy(**changes))
    assert match.score >= DEFAULT_THRESHOLD
    assert reason in match.reasons
    assert (match.a_id, match.b_id) == ("a", "b")


@pytest.mark.parametrize(
    ("changes", "reason"), [c[1:] for c in CORRUPTIONS], ids=[c[0] for c in CORRUPTIONS]
)
def test_a_corrupted_copy_shares_a_blocking_key(changes, reason):
    assert blocking_keys(BASE) & blocking_keys(copy(**changes))


def test_age_falsification_also_reports_the_other_birth_date():
    falsified = copy(birth_date=date(1989, 3, 4), nik="3212094403890001")
    assert "different_birth_date" in score_pair(BASE, falsified).reasons


def test_a_sex_typo_lowers_the_score_and_says_so():
    match = score_pair(BASE, copy(sex="M"))
    assert match.score >= DEFAULT_THRESHOLD  # the NIK, phone and address still agree
    assert "different_sex" in match.reasons
    assert match.score < score_pair(BASE, copy()).score


# --- hard non-duplicates -----------------------------------------------------------

NAMESAKE = Record(
    id="b",
    full_name="SITI NURHALIZA RAHMAWATI",
    birth_date=date(1995, 3, 4),
    sex="F",
    birth_place="Indramayu",
    address="Gg. Melati No. 40",
    region="31.71.01.1001",  # same village
    phone="+6285700011122",
    nik="3212094403950002",  # same district and birth date: the next serial
)
TWIN = Record(
    id="b",
    full_name="Siti Nurhalimah Rahmawati",  # the twin sister, a rhyming given name
    birth_date=date(1995, 3, 4),
    sex="F",
    birth_place="Indramayu",
    address=BASE.address,
    region=BASE.region,
    phone=BASE.phone,  # the parents' phone
    nik="3212094403950002",
)
TWIN_BROTHER = dataclasses.replace(
    TWIN, full_name="Rizki Nurhaliza Rahmawan", sex="M", nik="3212090403950002"
)
MOTHER = Record(
    id="b",
    full_name="Siti Nurhaliza Rahmawati",  # the daughter was given her mother's name
    birth_date=date(1969, 7, 21),
    sex="F",
    birth_place="Indramayu",
    address=BASE.address,
    region=BASE.region,
    phone=BASE.phone,
    nik="3212096107690001",
)
MOTHER_WITHOUT_BIRTH_DATE = dataclasses.replace(MOTHER, birth_date=None)
SAME_SERIAL_OTHER_YEAR = Record(
    id="b",
    full_name="Siti Nurhaliza Rahmawati",
    birth_date=date(1992, 8, 17),  # same district and serial 0001, another day and year
    sex="F",
    birth_place="Indramayu",
    address="Jl. Anggrek No. 2",
    region="32.12.09.2004",
    phone="+6281399988877",
    nik="3212095708920001",
)


@pytest.mark.parametrize(
    ("other", "reason"),
    [
        (NAMESAKE, "different_nik"),
        (TWIN, "different_nik"),
        (TWIN_BROTHER, "different_sex"),
        (MOTHER, "different_birth_date"),
        (MOTHER_WITHOUT_BIRTH_DATE, "different_birth_date"),  # the NIK carries the date
        (SAME_SERIAL_OTHER_YEAR, "different_birth_date"),
    ],
    ids=["namesake", "twin", "twin brother", "mother", "mother no date", "same serial"],
)
def test_a_hard_non_duplicate_scores_below_the_threshold(other, reason):
    match = score_pair(BASE, other)
    assert match.score < DEFAULT_THRESHOLD
    assert reason in match.reasons


def test_different_people_with_nothing_in_common():
    other = Record(id="b", full_name="Budi Santoso", birth_date=date(1980, 1, 1), sex="M")
    assert score_pair(BASE, other).score < 0.001


# --- blocking keys -----------------------------------------------------------------


def test_blocking_keys_are_short_namespaced_and_hide_the_nik():
    keys = blocking_keys(BASE, secret=b"s3cret")
    assert keys
    for key in keys:
        assert len(key) <= 64
        assert re.fullmatch(r"[a-z]:[0-9a-f]{32}", key)
        assert BASE.nik not in key
    assert keys != blocking_keys(BASE, secret=b"other")
    assert keys == blocking_keys(dataclasses.replace(BASE, id="z"), secret=b"s3cret")


def test_unrelated_people_share_no_blocking_key():
    other = Record(
        id="b",
        full_name="Budi Santoso",
        birth_date=date(1980, 1, 1),
        phone="+628111111111",
        nik="3175010101800001",
    )
    assert not blocking_keys(BASE) & blocking_keys(other)


def test_an_empty_record_has_no_keys():
    assert blocking_keys(Record(id="x")) == frozenset()


# --- check_record --------------------------------------------------------------------


def test_check_record_sorts_best_first_and_skips_itself():
    candidates = [
        BASE,  # the record itself, being edited
        copy(full_name="S. Nurhaliza Rahmawati", nik=""),
        dataclasses.replace(BASE, id="c"),
        dataclasses.replace(NAMESAKE, id="d"),
    ]
    matches = check_record(BASE, candidates)
    assert [(m.a_id, m.b_id) for m in matches] == [("a", "c"), ("a", "b")]
    assert matches[0].score >= matches[1].score
    assert check_record(BASE, candidates, threshold=1.0) == []


# --- properties ------------------------------------------------------------------------

names = st.sampled_from(
    ["Siti Aminah", "SITI AMINAH", "Aminah", "Muhammad Rizki", "M. Rizki", "Rizki",
     "Soejono", "Suyono", "Budi Santoso", "", "Hj. Siti"]
)  # fmt: skip
records = st.builds(
    Record,
    id=st.text(alphabet="abcdef0123456789", min_size=1, max_size=6),
    full_name=st.one_of(names, st.text(max_size=20)),
    birth_date=st.one_of(st.none(), st.dates(date(1950, 1, 1), date(2008, 12, 31))),
    sex=st.sampled_from([None, "M", "F"]),
    birth_place=st.sampled_from(["", "Indramayu", "Kab. Indramayu", "Cilacap"]),
    address=st.sampled_from(["", "Jl. Mawar No. 1", "JALAN MAWAR NO 1", "Gg. Melati 2"]),
    region=st.sampled_from(["", "31", "31.71", "31.71.01", "31.71.01.1001", "32.12.09.2001"]),
    phone=st.sampled_from(["", "+6281234567890", "081234567890", "+6285700011122"]),
    nik=st.sampled_from(
        ["", "3212094403950001", "3212094403950002", "3212094403920001", "3171010101800001"]
    ),
)


@settings(max_examples=300, deadline=None)
@given(records, records)
def test_score_is_symmetric_and_in_range(a, b):
    ab, ba = score_pair(a, b), score_pair(b, a)
    assert 0.0 <= ab.score <= 1.0
    assert ab == ba
    assert ab.a_id <= ab.b_id
    assert set(ab.reasons) <= set(REASONS)


@settings(max_examples=200, deadline=None)
@given(records)
def test_a_record_matches_itself(record):
    twin = dataclasses.replace(record, id=record.id + "x")
    match = score_pair(record, twin)
    assert blocking_keys(record) == blocking_keys(twin)
    assert match.score >= score_pair(record, dataclasses.replace(twin, full_name="Zz")).score
    # A name and a birth date alone may be too common to decide (M. Rizki, born
    # 2000-01-01); with a NIK or a phone as well, a copy is always a duplicate.
    if normalize_name(record.full_name) and record.birth_date and (record.nik or record.phone):
        assert match.score >= DEFAULT_THRESHOLD


# --- batch run -----------------------------------------------------------------------


# Two more, on synthetic populations, are in bench/tests/test_synth.py.


def test_batch_over_nothing_and_one_record():
    assert list(find_duplicates([])) == []
    assert list(find_duplicates([BASE])) == []
    assert [(m.a_id, m.b_id) for m in find_duplicates([BASE, copy()])] == [("a", "b")]


def test_two_copies_strongly_matching_a_third_record_are_a_pair():
    nik_copy = copy(phone="", address="Gg. Mawar No. 3", region="")
    phone_copy = dataclasses.replace(
        BASE, id="c", nik="", full_name="S. Rahmawati", address="Gg. Melati No. 9"
    )
    assert score_pair(nik_copy, phone_copy).score < DEFAULT_THRESHOLD

    matches = {(m.a_id, m.b_id): m for m in find_duplicates([BASE, nik_copy, phone_copy])}
    assert set(matches) == {("a", "b"), ("a", "c"), ("b", "c")}
    linked = matches["b", "c"]
    assert linked.reasons[-1] == "linked_via_third_record"
    assert linked.score == min(matches["a", "b"].score, matches["a", "c"].score)
    assert list(find_duplicates([BASE, nik_copy, phone_copy], through_third=False)) == [
        matches["a", "b"],
        matches["a", "c"],
    ]
