"""Duplicate detection for person records: name folding, blocking keys, pair scores.

Pure: no database, no Django. The same engine serves three callers:

1. the per-record check when a person is created or edited: the caller stores each
   person's `blocking_keys` in an indexed table, loads the persons that share a key
   with the new record and passes them to `check_record`;
2. the batch run over the whole registry, `find_duplicates`, which streams records,
   keeps a compact columnar copy of them, and scores the candidate pairs vectorised;
3. `garda dedupe FILE.csv` over an external file before import.

How a pair is scored (Fellegi-Sunter, as in Splink and the recordlinkage toolkit):
each field is compared into a small number of levels (for the name: exact, parts
swapped, a typo, an abbreviated or a missing part, different ...); each level carries
a weight, the log2 of how much likelier that level is between two records of the same
person than between two records of different people; the weights add up, and the
score is the logistic of the sum minus the prior (`Weights.prior_bits`), so it reads
as a probability in [0, 1]. Each level also yields a stable reason code for the
officer, and every Match carries its `evidence`: each field's level and weight.

Where the weights come from (`Weights`, docs/duplicates.md):

- hand-set (`DEFAULT_WEIGHTS`, the tables below): set from the definition (how often a
  field agrees by chance, how often a copy of the same person still agrees), adjusted
  on synthetic data (docs/benchmarks.md, "Duplicate detection"); an exact name weighs
  more the longer it is. Used until weights have been learned, and as their prior;
- learned (`find_duplicates(..., learn=True)`, `learn_weights`): m by EM on the run's
  own candidate pairs (fellegi_sunter.py), with officers' decisions as labels; u from
  random pairs of records; an exact name weighs by how common it is (term frequency);
  each weight kept within MAX_SHIFT bits of the hand-set one. The registry's batch
  run stores them (learned_weights.py) and `current_weights()` hands them to the
  per-record check.

Rules that are not plain sums, whatever the weights: a phone or address shared by
relatives counts for nothing (_is_household); a NIK date segment that explains a
different birth date cancels the birth-date penalty; a NIK or other id shared by two
records whose names and birth dates both differ counts for nothing and flags the pair
(`nik_shared_different_person`, FLAG_REASONS) instead of merging it.
"""

import gc
import hashlib
import hmac
import json
import math
import re
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from functools import lru_cache
from itertools import repeat
from pathlib import Path
from sys import intern
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Levenshtein

from garda.people import fellegi_sunter


@dataclass(frozen=True, slots=True)
class Record:
    """One person as the duplicate engine sees it; every field but `id` may be blank."""

    id: str
    full_name: str = ""
    birth_date: date | None = None
    sex: str | None = None  # "M" or "F"
    birth_place: str = ""
    address: str = ""
    region: str = ""  # Kemendagri code at any level, dotted: "31.71.01.1001"
    phone: str = ""
    nik: str = ""
    other_id: str = ""  # passport number, KK number or a source system's id


@dataclass(frozen=True, slots=True)
class Match:
    a_id: str
    b_id: str
    score: float  # in [0, 1]
    reasons: tuple[str, ...]
    # What each field weighed, in log2 units (bits), in FIELDS order, with the level
    # it was compared at: (("name", "exact", 9.0), ("birth_date", "different", -8.0)...).
    # The score is the logistic of their sum minus Weights.prior_bits.
    evidence: tuple[tuple[str, str, float], ...] = ()


# --- name folding -------------------------------------------------------------------

# Titles written before a name: religious (H./Hj. for those who made the hajj, KH. for
# kyai), academic (Dr., Drs., Dra., Ir., Prof.), medical (dr., drg.), regional noble
# titles (Dt. Datuk, Tgk. Teungku, R./R.M./R.A./Rr. Raden) and forms of address.
_PREFIX_TITLES = frozenset(
    "h hj haji hajjah kh dr drs dra drg ir prof dt tgk r rm ra rr raden "
    "bpk bapak ibu sdr sdri tn ny nn ust ustadz".split()
)
# Academic degrees written after a name (PUEBI: after a comma). Dotted forms are always
# degrees; these undotted forms are unambiguous enough to drop at the end of a name.
_DEGREES = frozenset(
    "skom spd amd ssos ssi sag shi sip skep sked sfarm spsi sgz spt sei sikom "
    "mkom mpd msi mti mfarm mak mba phd bsc msc lc".split()
)
_DOTTED_DEGREE = re.compile(r"[sdmab][a-z]?\.(?:[a-z]+\.?)+")
_TOKEN = re.compile(r"[^\W\d_]+(?:\.[^\W\d_]+)*\.?")
# Token spellings that name the same given name, after the letter folds below.
_TOKEN_ALIASES = {
    "mohamad": "muhamad",
    "muhamed": "muhamad",
    "mohamed": "muhamad",
    "mohd": "muhamad",
    "moh": "muhamad",
    "muh": "muhamad",
    "mhd": "muhamad",
    "muhd": "muhamad",
    "ahmat": "ahmad",
    "abd": "abdul",
    "nor": "nur",
}
_INNER_Y = re.compile(r"(?<=[a-z])y")
_SY_VOWEL = re.compile(r"sy(?=[aeiou])")
_DOUBLED = re.compile(r"([a-z])\1+")


def normalize_name(text: str) -> str:
    """A person's name folded for comparison: "Hj. Siti Choerijah, S.Pd" -> "siti huriah".

    Steps, in order (both sides of a comparison go through the same steps, so a rule
    only needs to map variants to one form, not to the "right" one):

    1. Unicode NFKD without combining marks, casefolded; apostrophes dropped
       (Ma'ruf = Maruf); everything after the first comma dropped, since degrees
       follow a comma (PUEBI, Pedoman Umum Ejaan Bahasa Indonesia: "gelar akademik
       ditulis di belakang nama dengan didahului tanda koma").
    2. Titles before the name dropped (`_PREFIX_TITLES`: H., Hj., KH., Dr., Drs.,
       Ir., Prof., Raden ...), and degrees at the end (S.Kom, S.E., M.M., A.Md ...,
       `_DEGREES`), but never the last remaining word. Dots then split words:
       "M.Rizki" -> "m rizki".
    3. Old spellings folded to the current ones. Van Ophuijsen (1901) oe -> u
       (Soewandi reform, 1947); EYD (1972): dj -> j, tj -> c, ch -> kh, and old j -> y,
       nj -> ny, sj -> sy. An old "j" (Soejono) and a new "j" (Joko, from Djoko)
       cannot be told apart without knowing when a name was first written, so j and y
       fold together: Soejono = Sujono = Suyono, Djoko = Joko (= Yoko).
    4. Letters that Indonesians write either way for the same sound (no reform
       behind these: both spellings are common in civil registers, often for the
       same person on different documents): kh -> h
       (Khairul/Hairul/Chairul, Akhmad/Ahmad/Achmad), sy before a vowel -> s
       (Syaiful/Saiful, Syamsul/Samsul; but Desy stays Desi), sh -> s, dh -> d
       (Ramadhan/Ramadan, Dhani/Dani), th -> t (Fathur/Fatur), ph -> f, v -> f
       (Alvian/Alfian, Novi/Nofi), q -> k (Taufiq/Taufik, Rizqi/Rizki).
    5. y and i: a y inside a word reads as i (Haryanto/Harianto, Suryani/Suriani,
       Rudy/Rudi, Fitriyani/Fitriani after step 6, Riyadi/Riadi). A word-initial y is
       kept (Yanti is not written Ianti). Folding every inner y, not only the y
       before a vowel, keeps a typo from growing: Wahyuni/Wayhuni stay one swap apart.
       The price: a few names that are really different fold together (Maya/Maia,
       with step 3 also Joko/Yoko); the other fields then have to tell them apart.
    6. Doubled letters written once (Muhammad/Muhamad, Sitti/Siti, Noor/Nor).
    7. Whole-word aliases (`_TOKEN_ALIASES`): the spellings of Muhammad (Mohammad,
       Mochammad, Moh., Muh., Mhd.), Ahmad (Ahmat), Abdul (Abd.), Nur (Noor).

    Initials (M., A.) are kept as one-letter words; the scorer treats one as matching
    any word with that first letter.
    """
    return " ".join(_name_tokens(text))


def _name_tokens(text: str) -> tuple[str, ...]:
    return _name_forms(text)[1]


@lru_cache(maxsize=262_144)  # names repeat a lot; the words are interned to share them
def _name_forms(text: str) -> tuple[str, tuple[str, ...]]:
    """The name without titles, casefolded but not folded (to catch a typo that the
    letter folds would blur: Michelle/Micehlle), and its folded words."""
    if not text:
        return "", ()
    if not text.isascii():
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    text = text.casefold().replace("'", "").replace("`", "").replace("\u2019", "")
    text = text.split(",", 1)[0]
    words = _TOKEN.findall(text)
    while len(words) > 1 and words[0].rstrip(".").replace(".", "") in _PREFIX_TITLES:
        words.pop(0)
    while len(words) > 1 and (
        _DOTTED_DEGREE.fullmatch(words[-1]) or words[-1].replace(".", "") in _DEGREES
    ):
        words.pop()
    plain = " ".join(" ".join(words).replace(".", " ").split())
    folded = _fold_letters(plain)
    return plain, tuple(intern(_TOKEN_ALIASES.get(word, word)) for word in folded.split())


def _fold_letters(text: str) -> str:
    """Steps 3 to 6 of normalize_name on lowercase ASCII words separated by spaces."""
    text = text.replace("oe", "u").replace("dj", "j").replace("tj", "c").replace("j", "y")
    text = _SY_VOWEL.sub("s", text.replace("ch", "h").replace("kh", "h").replace("sh", "s"))
    text = text.replace("dh", "d").replace("th", "t").replace("ph", "f")
    text = text.replace("v", "f").replace("q", "k")
    text = _INNER_Y.sub("i", text)
    return _DOUBLED.sub(r"\1", text)


# --- field encodings (shared by the scalar and the vectorised comparisons) -----------

_NOT_DIGITS = re.compile(r"[^0-9]")
_NOT_WORD = re.compile(r"[\W_]")
_ADDRESS_PARTS = re.compile(r"[a-z]+|[0-9]+")
_ADDRESS_FIX = re.compile(r"\b(?:jalan|jln|gang|nomor|nomer|no)\b|\b0+(?=[0-9])")
_PLACE_PREFIXES = ("kabupaten ", "kab. ", "kab ", "kota administrasi ", "kota ", "kodya ")
_ADDRESS_WORDS = {"jalan": "jl", "jln": "jl", "gang": "gg", "nomor": "", "no": "", "nomer": ""}
_REGION_LEVELS = {2: 1, 4: 2, 6: 3, 10: 4}  # digits -> province, regency, district, village


def _encode_nik(nik: str) -> int:
    digits = nik.strip().replace(" ", "").replace(".", "").replace("-", "")
    if len(digits) == 16 and digits.isascii() and digits.isdigit() and digits[0] != "0":
        return int(digits)
    return 0


# Two-digit NIK years up to this one are read as 20YY, later ones as 19YY.
_CENTURY_PIVOT = datetime.now(UTC).year % 100


def _nik_birth_date(nik: int) -> int:
    """The birth date a NIK encodes (day minus 40 for women), as YYYYMMDD; 0 if none.

    Used only when a record has no birth date of its own, so that a record without one
    can still be told apart from a parent or child with the same name.
    """
    if not nik:
        return 0
    day, month, year = nik // 10**8 % 100 % 40, nik // 10**6 % 100, nik // 10**4 % 100
    year += 2000 if year <= _CENTURY_PIVOT else 1900
    try:
        date(year, month, day)
    except ValueError:
        return 0
    return year * 10000 + month * 100 + day


def _encode_date(value: date | None) -> int:
    return value.year * 10000 + value.month * 100 + value.day if value else 0


def _encode_sex(sex: str | None) -> int:
    return {"M": 1, "F": 2}.get((sex or "").strip().upper(), 0)


def _national_phone(phone: str) -> str:
    digits = _NOT_DIGITS.sub("", phone)
    if digits.startswith("62"):
        digits = digits[2:]
    digits = digits.lstrip("0")
    return digits if len(digits) >= 7 else ""


def _encode_phone(phone: str) -> int:
    digits = _national_phone(phone) if phone else ""
    return int(digits[-15:]) if digits else 0


def _encode_region(region: str) -> int:
    """Digits padded to a village code, times 10, plus the level (1-4); 0 if none."""
    digits = region.strip().replace(".", "")
    level = _REGION_LEVELS.get(len(digits))
    if level is None or not digits.isascii() or not digits.isdigit():
        return 0
    return int(digits.ljust(10, "0")) * 10 + level


@lru_cache(maxsize=16384)
def _normalize_place(place: str) -> str:
    text = place.casefold().strip()
    for prefix in _PLACE_PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    return " ".join(_name_tokens(text))


def _normalize_address(address: str) -> str:
    """Lowercase words and numbers without leading zeros; Jalan = Jl., "No." dropped."""
    text = " ".join(_ADDRESS_PARTS.findall(address.casefold()))
    return " ".join(_ADDRESS_FIX.sub(_address_fix, text).split())


def _address_fix(match: re.Match) -> str:
    return _ADDRESS_WORDS.get(match.group(), "")


def _normalize_other(other_id: str) -> str:
    return _NOT_WORD.sub("", other_id.casefold())


# --- comparison levels and weights --------------------------------------------------
# Level numbers index the weight tables; 0 is always "one side is blank" (weight 0).

N_NULL, N_EXACT, N_SWAPPED, N_TYPO, N_TYPO2, N_ABBREV, N_MISSING, N_MISSING_ABBREV = range(8)
N_MISSING_WEAK, N_SIMILAR, N_DIFFERENT = 8, 9, 10
D_NULL, D_EXACT, D_SWAPPED, D_TYPO, D_DIFFERENT, D_FAR = range(6)
K_NULL, K_EXACT, K_DATE_SEGMENT, K_TYPO, K_SIBLING, K_DIFFERENT, K_REGION_TYPO = range(7)
S_NULL, S_SAME, S_DIFFERENT = range(3)  # sex, phone, birth place, address, other id
O_TYPO = 3  # other id only: one character mistyped or two neighbours swapped
R_NULL, R_VILLAGE, R_DISTRICT, R_REGENCY, R_PROVINCE, R_DIFFERENT = range(6)

# log2 Bayes factors. Names: an exact match is worth more the longer the name (a long
# name is rarer: "sri" is shared by very many people, "putri dewi kurniasih" by few),
# see _name_weight; the other levels have fixed weights. A clearly different name
# speaks strongly against.
NAME_EXACT_BASE = 4.0
NAME_EXACT_PER_LETTER = 0.5
NAME_EXACT_LETTERS_MAX = 14
# Added to the exact weight for these levels (the others have fixed weights):
NAME_LENGTH_LEVELS = {N_EXACT: 0.0, N_SWAPPED: -1.0, N_TYPO: -2.5, N_TYPO2: -5.0}
NAME_WEIGHTS = (0.0, 0.0, 0.0, 0.0, 0.0, 5.5, 4.0, 3.0, 2.0, -1.0, -9.0)
# The birth date: two people agree by chance about 1 in 2^14 (45 years of days);
# a copy keeps it about 9 times in 10; a swapped day and month or one wrong digit
# is a common slip, a wholly different date is strong evidence of two people.
# A date a generation away (D_FAR, FAR_YEARS or more) is a parent or child.
DATE_WEIGHTS = (0.0, 8.0, 3.0, 2.0, -8.0, -12.0)
FAR_YEARS = 12
# The NIK: the same NIK is the same person (barring a data-entry slip). Same region
# and serial with another birth-date segment at most ten years away: the
# age-falsification pattern (K_DATE_SEGMENT), counted only when the day and month are
# unchanged (the year is what gets falsified) or the serial is above 0001 (serial 0001
# is so common in every district that sharing it means little). Same district and
# birth date with another serial: by construction two people (the serial tells apart
# those born the same day in the same district), unless the serial was mistyped. One
# wrong digit in the birth date or serial: a typo. One digit apart in the region code
# only (K_REGION_TYPO): as often two people of neighbouring districts with the same
# birth date and serial 0001 as a typo, so no evidence either way.
NIK_WEIGHTS = (0.0, 20.0, 5.0, 4.0, -8.0, -10.0, 0.0)
# Serials count the people registered in one district with one birth date; even in a
# crowded Jakarta district they stay in the tens. Two NIKs differing only in a serial
# above this are more likely a mistyped digit than two people born the same day.
SIBLING_SERIALS = 100
SEX_WEIGHTS = (0.0, 0.25, -4.0)
# A copy keeps the phone (or writes it differently) most of the time; two people
# share one mostly within a household, see _is_household.
PHONE_WEIGHTS = (0.0, 9.0, -3.0)
PLACE_WEIGHTS = (0.0, 1.5, -2.0)
ADDRESS_WEIGHTS = (0.0, 6.0, -1.5)
# An identifier one slip away (same length, one character changed or two neighbours
# swapped) is weighed like a mistyped NIK.
OTHER_WEIGHTS = (0.0, 12.0, -2.0, 4.0)
REGION_WEIGHTS = (0.0, 2.0, 1.0, 0.0, -1.5, -3.0)
# A phone or address shared by relatives is no evidence of one person: they count for
# nothing when the pair looks like relatives (see _is_household).
HOUSEHOLD_LEVELS = frozenset({N_DIFFERENT})
NIK_AGREES = frozenset({K_EXACT, K_DATE_SEGMENT, K_TYPO})
OTHER_AGREES = frozenset({S_SAME, O_TYPO})


def _is_household(name: int, dob: int, nik: int, other: int = S_NULL) -> bool:
    """Phone and address shared by relatives: twins (NIKs differing in the serial),
    a parent and child (birth dates a generation apart), or simply another name.
    Not when an identifier agrees (the NIK, or the other id: relatives do not share
    a passport number): then the pair is one person whose name was changed."""
    if nik in NIK_AGREES or other in OTHER_AGREES:
        return False
    if nik == K_SIBLING and name not in (N_EXACT, N_SWAPPED):
        return True  # twins get different given names; the same name is a mistyped serial
    return name in HOUSEHOLD_LEVELS or dob == D_FAR


# The score is the logistic of (sum of weights - PRIOR_BITS), in base 2.
PRIOR_BITS = 14.0
# At 0.5 a pair is judged more likely the same person than not. See the benchmark
# document for precision and recall at this and nearby cut-offs.
DEFAULT_THRESHOLD = 0.5

# The evidence an officer sees, in this order.
REASONS = (
    "nik_shared_different_person",
    "other_id_shared_different_person",
    "same_nik",
    "same_other_id",
    "nik_birth_date_differs",
    "similar_other_id",
    "similar_nik",
    "same_name_birth_date",
    "same_name",
    "name_parts_swapped",
    "similar_name",
    "name_abbreviated",
    "name_part_missing",
    "same_birth_date",
    "similar_birth_date",
    "same_phone",
    "same_address",
    "same_region",
    "same_birth_place",
    "different_nik",
    "different_birth_date",
    "different_sex",
    "linked_via_third_record",
)
_NAME_REASONS = {
    N_EXACT: ("same_name",),
    N_SWAPPED: ("name_parts_swapped",),
    N_TYPO: ("similar_name",),
    N_TYPO2: ("similar_name",),
    N_ABBREV: ("name_abbreviated",),
    N_MISSING: ("name_part_missing",),
    N_MISSING_ABBREV: ("name_abbreviated", "name_part_missing"),
    N_MISSING_WEAK: ("name_part_missing",),
    N_SIMILAR: ("similar_name",),
}
_DATE_REASONS = {
    D_EXACT: ("same_birth_date",),
    D_SWAPPED: ("similar_birth_date",),
    D_TYPO: ("similar_birth_date",),
    D_DIFFERENT: ("different_birth_date",),
    D_FAR: ("different_birth_date",),
}
_NIK_REASONS = {
    K_EXACT: ("same_nik",),
    K_DATE_SEGMENT: ("nik_birth_date_differs",),
    K_TYPO: ("similar_nik",),
    K_REGION_TYPO: ("similar_nik",),
    K_SIBLING: ("different_nik",),
    K_DIFFERENT: ("different_nik",),
}
_REASON_ORDER = {code: i for i, code in enumerate(REASONS)}
# Reasons that put a pair before an officer whatever its score (see _identifier_misuse).
FLAG_REASONS = frozenset({"nik_shared_different_person", "other_id_shared_different_person"})


class _Prepared(NamedTuple):
    """A record encoded for comparison (see the _encode_* functions)."""

    id: str
    tokens: tuple[str, ...]
    name: str
    sorted_name: str
    letters: int  # see _name_letters
    dob: int
    sex: int
    place: str
    region: int
    phone: int
    nik: int
    address: str  # normalised
    other: str  # normalised
    plain: str  # the name without titles, not folded (see _name_forms)


def _prepare(record: Record) -> _Prepared:
    plain, tokens = _name_forms(record.full_name)
    nik = _encode_nik(record.nik)
    return _Prepared(  # positional: the fields in order, see _Prepared
        record.id,
        tokens,
        " ".join(tokens),
        " ".join(sorted(tokens)),
        _name_letters(tokens),
        _encode_date(record.birth_date) or _nik_birth_date(nik),
        _encode_sex(record.sex),
        _normalize_place(record.birth_place) if record.birth_place else "",
        _encode_region(record.region),
        _encode_phone(record.phone),
        nik,
        _normalize_address(record.address) if record.address else "",
        _normalize_other(record.other_id) if record.other_id else "",
        plain,
    )


def _name_level(ta: tuple[str, ...], tb: tuple[str, ...], pa: str = "", pb: str = "") -> int:
    """Compare two folded names (tuples of words), and their plain forms for a typo;
    see the N_* levels."""
    if not ta or not tb:
        return N_NULL
    sa, sb = " ".join(ta), " ".join(tb)
    if sa == sb:
        return N_EXACT
    ka, kb = " ".join(sorted(ta)), " ".join(sorted(tb))
    if ka == kb:
        return N_SWAPPED
    longest = max(len(sa), len(sb))
    distance = min(OSA.distance(sa, sb, score_cutoff=2), OSA.distance(ka, kb, score_cutoff=2))
    if distance == 1:
        if longest >= 6:
            return N_TYPO
        if longest >= 4 and len(sa) == len(sb) and Levenshtein.distance(sa, sb) == 2:
            return N_TYPO  # two letters swapped: "Novi"/"Nvoi", even in a short name
    if pa and pb and max(len(pa), len(pb)) >= 6 and OSA.distance(pa, pb, score_cutoff=1) == 1:
        return N_TYPO  # folding made one slip look like more (Micehlle: c-h apart)
    level = _parts_level(ta, tb) if len(ta) <= len(tb) else _parts_level(tb, ta)
    if level is not None:
        return level
    if distance == 2 and longest >= 11:
        return N_TYPO2
    if fuzz.token_sort_ratio(sa, sb, score_cutoff=85):
        return N_SIMILAR
    return N_DIFFERENT


def _parts_level(short: tuple[str, ...], long: tuple[str, ...]) -> int | None:
    """Every word of the shorter name found in the longer one, in any order.

    A word matches an equal word, an initial matches a word with that first letter
    (either way round), and a word matches one a slip away (see _near_word). None when
    some word finds no partner.
    """
    used = [False] * len(long)
    initials = full = full_letters = fuzzy = 0
    for word in short:
        found = -1
        for j, other in enumerate(long):
            if not used[j] and word == other:
                found = j
                break
        if found < 0:
            for j, other in enumerate(long):
                if not used[j] and (len(word) == 1 or len(other) == 1) and _initial_of(word, other):
                    found = j
                    initials += 1
                    break
        if found < 0 and len(word) >= 3:
            for j, other in enumerate(long):
                if not used[j] and _near_word(word, other):
                    found = j
                    fuzzy += 1
                    break
        if found < 0:
            return None
        used[found] = True
        if len(word) > 1 and len(long[found]) > 1:
            full += 1
            full_letters += len(word)
    if full == 0:
        return None
    if len(short) == len(long):
        return N_ABBREV if initials else N_TYPO2
    if initials:
        return N_MISSING_ABBREV
    if full >= 2 or full_letters >= 8:
        return N_MISSING if not fuzzy else N_MISSING_ABBREV
    return N_MISSING_WEAK


def _near_word(a: str, b: str) -> bool:
    """One edit apart with five letters or more on one side and four on the other
    (Yudi/Yudxi), or two letters swapped in a word of three or more (Nur/Nru)."""
    shorter, longer = sorted((len(a), len(b)))
    if shorter >= 4 and longer >= 5:
        return OSA.distance(a, b, score_cutoff=1) <= 1
    if shorter == longer >= 3 and OSA.distance(a, b, score_cutoff=1) == 1:
        return Levenshtein.distance(a, b, score_cutoff=2) == 2
    return False


# An initial written before folding may stand for a word whose first letter folding
# changed: K. for Khairul (hairul), C. for Chandra, D. for Djoko (yoko), T. for Tjahjo.
_INITIAL_FOLDS = {"k": "kh", "c": "ch", "d": "dy", "t": "tc", "o": "ou"}


def _initial_of(a: str, b: str) -> bool:
    """One of the words is an initial standing for the other."""
    initial, word = (a, b) if len(a) == 1 else (b, a)
    return word[0] in _INITIAL_FOLDS.get(initial, initial)


def _date_level(a: int, b: int) -> int:
    if not a or not b:
        return D_NULL
    if a == b:
        return D_EXACT
    ya, ma, da = a // 10000, a // 100 % 100, a % 100
    yb, mb, db = b // 10000, b // 100 % 100, b % 100
    if ya == yb and ma == db and da == mb:
        return D_SWAPPED
    if _digits_differing(a, b, 8) == 1:
        return D_TYPO
    if abs(ya - yb) >= FAR_YEARS:
        return D_FAR
    return D_DIFFERENT


def _digits_differing(a: int, b: int, width: int) -> int:
    count = 0
    for _ in range(width):
        if a % 10 != b % 10:
            count += 1
        a //= 10
        b //= 10
    return count


def _nik_level(a: int, b: int) -> int:
    if not a or not b:
        return K_NULL
    if a == b:
        return K_EXACT
    same_region = a // 10**10 == b // 10**10
    serial_a, serial_b = a % 10_000, b % 10_000
    if (
        same_region
        and a // 10**8 % 100 % 40 == b // 10**8 % 100 % 40  # the day, whatever the sex
        and a // 10_000 % 10_000 == b // 10_000 % 10_000  # month and year
        and 0 < serial_a < SIBLING_SERIALS
        and 0 < serial_b < SIBLING_SERIALS
    ):
        return K_SIBLING
    if same_region and serial_a == serial_b:
        years = abs(a // 10_000 % 100 - b // 10_000 % 100)
        same_day = a // 10**6 % 10_000 == b // 10**6 % 10_000
        if min(years, 100 - years) <= 10 and (same_day or serial_a > 1):
            return K_DATE_SEGMENT
    if _digits_differing(a, b, 16) == 1 or _is_transposition(a, b):
        return K_REGION_TYPO if a % 10**10 == b % 10**10 else K_TYPO
    return K_DIFFERENT


def _is_transposition(a: int, b: int) -> bool:
    sa, sb = str(a), str(b)
    diff = [i for i in range(16) if sa[i] != sb[i]]
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and sa[diff[0]] == sb[diff[1]]
        and (sa[diff[1]] == sb[diff[0]])
    )


def _same_level(a: int, b: int) -> int:
    if not a or not b:
        return S_NULL
    return S_SAME if a == b else S_DIFFERENT


@lru_cache(maxsize=65536)
def _place_level(a: str, b: str) -> int:
    """Birth places, normalised: equal, or one typo apart in a name of five letters or more."""
    if not a or not b:
        return S_NULL
    if a == b or (min(len(a), len(b)) >= 5 and OSA.distance(a, b, score_cutoff=1) <= 1):
        return S_SAME
    return S_DIFFERENT


def _same_text_level(a: str, b: str) -> int:
    if not a or not b:
        return S_NULL
    return S_SAME if a == b else S_DIFFERENT


@lru_cache(maxsize=65536)
def _other_level(a: str, b: str) -> int:
    """Other identifiers, normalised: equal, one slip apart (O_TYPO: same length of
    five or more, one character changed or two neighbours swapped), or different."""
    if not a or not b:
        return S_NULL
    if a == b:
        return S_SAME
    if len(a) == len(b) >= 5 and OSA.distance(a, b, score_cutoff=1) == 1:
        return O_TYPO
    return S_DIFFERENT


_REGION_DIVISORS = (0, 10**8, 10**6, 10**4, 1)  # keeps 2, 4, 6 or 10 digits


def _region_level(a: int, b: int) -> int:
    if not a or not b:
        return R_NULL
    common = min(a % 10, b % 10)
    da, db = a // 10, b // 10
    for level, result in ((4, R_VILLAGE), (3, R_DISTRICT), (2, R_REGENCY), (1, R_PROVINCE)):
        if common >= level and da // _REGION_DIVISORS[level] == db // _REGION_DIVISORS[level]:
            return result
    return R_DIFFERENT


@dataclass(frozen=True, slots=True)
class _Levels:
    name: int
    name_letters: int  # letters of the shorter name (see _name_weight)
    dob: int
    nik: int
    sex: int
    phone: int
    place: int
    address: int
    other: int
    region: int


def _levels(a: _Prepared, b: _Prepared) -> _Levels:
    return _Levels(
        name=_name_level(a.tokens, b.tokens, a.plain, b.plain),
        name_letters=min(a.letters, b.letters),
        dob=_date_level(a.dob, b.dob),
        nik=_nik_level(a.nik, b.nik),
        sex=_same_level(a.sex, b.sex),
        phone=_same_level(a.phone, b.phone),
        place=_place_level(a.place, b.place),
        address=_same_text_level(a.address, b.address),
        other=_other_level(a.other, b.other),
        region=_region_level(a.region, b.region),
    )


# Given names so common in Indonesia that sharing one says little (general knowledge of
# Indonesian naming; registry statistics could refine it). Folded forms. Each counts as
# COMMON_WORD_LETTERS letters, whatever its length, towards the weight of a name.
COMMON_WORDS = frozenset(
    # folded forms (see normalize_name): wahiu is Wahyu, hidaiat Hidayat, and so on
    "muhamad ahmad abdul siti nur nurul sri dewi agus budi eko dwi tri putri putra rizki "
    "wahiu adi andi ade indah fitri ika eka rina ani yuli yanti ratna rahmat hidaiat "
    "setiawan santoso saputra lestari rahaiu wahiuni sari kurniawan".split()
)
COMMON_WORD_LETTERS = 2


# A name counting this many letters (see _name_letters) is rare enough to block on
# together with the district alone.
RARE_NAME_LETTERS = 8
# ... and with a birth date that has one slip (common names with a slip are left out:
# their blocks would be large, and the evidence weak anyway).
DATE_SLIP_NAME_LETTERS = 6


def _name_letters(tokens: tuple[str, ...]) -> int:
    return sum(COMMON_WORD_LETTERS if word in COMMON_WORDS else len(word) for word in tokens)


# --- weights: hand-set defaults, learned by EM, stored --------------------------------
# The fields as the weights see them, in this order (Match.evidence, Weights.tables).
FIELDS = (
    "name",
    "birth_date",
    "nik",
    "sex",
    "phone",
    "birth_place",
    "address",
    "other_id",
    "region",
)
# What each level is called in Match.evidence, per field, by level number.
_SAME_NAMES = ("blank", "same", "different")
LEVEL_NAMES = (
    (
        "blank",
        "exact",
        "parts_swapped",
        "typo",
        "two_typos",
        "abbreviated",
        "part_missing",
        "part_missing_abbreviated",
        "part_missing_weak",
        "similar",
        "different",
    ),
    ("blank", "exact", "day_month_swapped", "typo", "different", "generation_apart"),
    ("blank", "exact", "date_segment", "typo", "sibling_serial", "different", "region_typo"),
    _SAME_NAMES,
    _SAME_NAMES,
    _SAME_NAMES,
    _SAME_NAMES,
    (*_SAME_NAMES, "typo"),
    ("blank", "village", "district", "regency", "province", "different"),
)
N_LEVELS = tuple(len(names) for names in LEVEL_NAMES)
# Hand-set weights give an exact name more weight the longer it is (see _name_weight);
# as starting values for EM the name levels take the weight of a name this long.
TYPICAL_NAME_LETTERS = 10
# Term-frequency adjustment of an exact name: at most this many bits either way.
TF_CLIP = 10.0
# Names whose frequency is stored with learned weights (the most common first); a
# name not among them counts as rare as the least common stored one.
MAX_STORED_NAMES = 100_000


@dataclass(frozen=True)
class Weights:
    """The log2 weight of each comparison level of each field, and the prior.

    `DEFAULT_WEIGHTS` are the hand-set ones (the module docstring). Learned weights
    (`source` "em" or "em+labels") come from `find_duplicates(..., learn=True)`:
    `tables` are log2(m/u) of the EM estimate, `prior_bits` the log2 odds against a
    duplicate among candidate pairs, and an exact name's weight is adjusted by how
    common the name is (`frequency_bits`) instead of by its length.
    """

    tables: tuple[tuple[float, ...], ...]
    prior_bits: float = 14.0
    source: str = "hand-set"
    # folded name -> share of records bearing it (learned weights only)
    name_frequency: dict[str, float] = field(default_factory=dict, compare=False)
    rare_frequency: float = 0.0
    # the mean frequency of the names two non-duplicate candidates share exactly
    reference_frequency: float = 0.0
    m: tuple[tuple[float, ...], ...] = ()
    u: tuple[tuple[float, ...], ...] = ()
    pairs: int = 0
    labelled_same: int = 0
    labelled_different: int = 0
    iterations: int = 0
    estimated_at: str = ""

    @property
    def learned(self) -> bool:
        return self.source != "hand-set"

    def frequency_bits(self, frequency: float) -> float:
        """log2(reference / frequency) within TF_CLIP: what an exact name gains for
        being rarer than the names non-duplicates typically share (loses, if commoner)."""
        if not self.reference_frequency or frequency <= 0:
            return 0.0
        bits = math.log2(self.reference_frequency / frequency)
        return max(-TF_CLIP, min(TF_CLIP, bits))

    def frequency_of(self, name: str) -> float:
        return self.name_frequency.get(name, self.rare_frequency)

    def to_json(self) -> str:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> "Weights":
        data = json.loads(text)
        tables = tuple(tuple(float(w) for w in table) for table in data.pop("tables"))
        if tuple(len(t) for t in tables) != N_LEVELS:
            raise ValueError("weights for other comparison levels than this engine's")
        for key in ("m", "u"):
            data[key] = tuple(tuple(float(p) for p in table) for table in data.get(key, ()))
        known = {f.name for f in fields(cls)}
        return cls(tables=tables, **{k: v for k, v in data.items() if k in known})


DEFAULT_WEIGHTS = Weights(
    tables=(
        NAME_WEIGHTS,
        DATE_WEIGHTS,
        NIK_WEIGHTS,
        SEX_WEIGHTS,
        PHONE_WEIGHTS,
        PLACE_WEIGHTS,
        ADDRESS_WEIGHTS,
        OTHER_WEIGHTS,
        REGION_WEIGHTS,
    ),
    prior_bits=PRIOR_BITS,
)

_weights_file: Path | None = None
_loaded: tuple[Path, tuple[int, int], Weights] | None = None


def use_weights_file(path: Path | None) -> None:
    """Where current_weights() looks for learned weights (set once at start-up)."""
    global _weights_file, _loaded  # noqa: PLW0603 (one process-wide setting and its cache)
    _weights_file, _loaded = path, None


def current_weights() -> Weights:
    """The latest learned weights (the file written by the last batch run), re-read
    when the file changes; DEFAULT_WEIGHTS when there is none or it is unreadable."""
    global _loaded  # noqa: PLW0603
    path = _weights_file
    if path is None:
        return DEFAULT_WEIGHTS
    try:
        stat = path.stat()
    except OSError:
        return DEFAULT_WEIGHTS
    stamp = (stat.st_mtime_ns, stat.st_size)
    if _loaded and _loaded[0] == path and _loaded[1] == stamp:
        return _loaded[2]
    try:
        weights = Weights.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        weights = DEFAULT_WEIGHTS  # a broken file must not stop registration
    _loaded = (path, stamp, weights)
    return weights


def save_weights(weights: Weights, path: Path) -> None:
    """Write `weights` to `path` atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(weights.to_json(), encoding="utf-8")
    partial.replace(path)


def _name_weight(
    level: int, letters: int, weights: Weights = DEFAULT_WEIGHTS, frequency: float = 0.0
) -> float:
    """The weight of a name level. Hand-set: `letters` (of the shorter name) stands in
    for how rare the name is. Learned: the level's weight, and for an exact name the
    term-frequency adjustment of the name's `frequency` (Weights.frequency_bits)."""
    if weights.learned:
        bits = weights.tables[0][level]
        return bits + weights.frequency_bits(frequency) if level == N_EXACT else bits
    offset = NAME_LENGTH_LEVELS.get(level)
    if offset is None:
        return weights.tables[0][level]
    letters = min(letters, NAME_EXACT_LETTERS_MAX)
    return NAME_EXACT_BASE + NAME_EXACT_PER_LETTER * letters + offset


def _identifier_misuse(lv: "_Levels") -> bool:
    """The same NIK (or other id) on two records whose names and birth dates both
    differ: not one person with a slip, but an identifier used by someone else (or
    mistyped into another person's). Flagged, never merged: the shared identifier
    then weighs nothing (FLAG_REASONS)."""
    return (
        (lv.nik == K_EXACT or lv.other == S_SAME)
        and lv.name == N_DIFFERENT
        and lv.dob in (D_DIFFERENT, D_FAR)
    )


def _evidence(
    lv: "_Levels", weights: Weights, frequency: float = 0.0
) -> tuple[tuple[str, str, float], ...]:
    """(field, level, bits) of every field, after the rules that are not plain sums."""
    tables = weights.tables
    date_weight = tables[1][lv.dob]
    if lv.nik == K_DATE_SEGMENT and lv.dob == D_DIFFERENT:
        date_weight = 0.0  # the falsified NIK explains the other birth date
    household = _is_household(lv.name, lv.dob, lv.nik, lv.other)
    misuse = _identifier_misuse(lv)
    levels = (lv.name, lv.dob, lv.nik, lv.sex, lv.phone, lv.place, lv.address, lv.other, lv.region)
    bits = (
        _name_weight(lv.name, lv.name_letters, weights, frequency),
        date_weight,
        0.0 if misuse and lv.nik == K_EXACT else tables[2][lv.nik],
        tables[3][lv.sex],
        0.0 if household else tables[4][lv.phone],
        tables[5][lv.place],
        0.0 if household else tables[6][lv.address],
        0.0 if misuse and lv.other == S_SAME else tables[7][lv.other],
        tables[8][lv.region],
    )
    return tuple(
        (name, LEVEL_NAMES[f][level], float(b))
        for f, (name, level, b) in enumerate(zip(FIELDS, levels, bits, strict=True))
    )


def _total(lv: "_Levels", weights: Weights = DEFAULT_WEIGHTS, frequency: float = 0.0) -> float:
    return sum(bits for _f, _l, bits in _evidence(lv, weights, frequency))


def _score(total: float, prior_bits: float = PRIOR_BITS) -> float:
    exponent = prior_bits - total
    if exponent > 60:
        return 0.0
    return 1.0 / (1.0 + 2.0**exponent)


def _reasons(lv: "_Levels") -> tuple[str, ...]:
    found: list[str] = []
    if _identifier_misuse(lv):
        shared = "nik" if lv.nik == K_EXACT else "other_id"
        found.append(f"{shared}_shared_different_person")
    if lv.name == N_EXACT and lv.dob == D_EXACT:
        found.append("same_name_birth_date")  # the rule by name, besides its two parts
    found.extend(_NAME_REASONS.get(lv.name, ()))
    found.extend(_DATE_REASONS.get(lv.dob, ()))
    found.extend(_NIK_REASONS.get(lv.nik, ()))
    if lv.sex == S_DIFFERENT:
        found.append("different_sex")
    if lv.phone == S_SAME:
        found.append("same_phone")
    if lv.place == S_SAME:
        found.append("same_birth_place")
    if lv.address == S_SAME:
        found.append("same_address")
    if lv.other == S_SAME:
        found.append("same_other_id")
    if lv.other == O_TYPO:
        found.append("similar_other_id")
    if lv.region in (R_VILLAGE, R_DISTRICT):
        found.append("same_region")
    return tuple(sorted(set(found), key=_REASON_ORDER.__getitem__))


def _match(a: _Prepared, b: _Prepared, weights: Weights) -> Match:
    lv = _levels(a, b)
    a_id, b_id = (a.id, b.id) if a.id <= b.id else (b.id, a.id)
    frequency = weights.frequency_of(a.name) if weights.learned and lv.name == N_EXACT else 0.0
    evidence = _evidence(lv, weights, frequency)
    total = sum(bits for _f, _l, bits in evidence)
    return Match(a_id, b_id, _score(total, weights.prior_bits), _reasons(lv), evidence)


def _flagged(match: Match) -> bool:
    return not FLAG_REASONS.isdisjoint(match.reasons)


def score_pair(a: Record, b: Record, *, weights: Weights | None = None) -> Match:
    """Score two records: how likely they are the same person, and why.

    Symmetric; `a_id <= b_id` in the result whatever the argument order. `weights`:
    by default current_weights() (the latest learned, else the hand-set ones).
    """
    return _match(_prepare(a), _prepare(b), weights or current_weights())


def check_record(
    record: Record,
    candidates: Iterable[Record],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    weights: Weights | None = None,
    flags: bool = True,
) -> list[Match]:
    """The candidates that score at least `threshold` against `record`, best first.

    Candidates with the record's own id are skipped (an edited record is not its own
    duplicate). With `flags`, a candidate carrying a FLAG_REASONS reason (a NIK shared
    by what look like two people) is returned too, whatever its score, so that an
    officer sees it; its score stays below the threshold.
    """
    weights = weights or current_weights()
    mine = _prepare(record)
    found = []
    for candidate in candidates:
        if candidate.id == record.id:
            continue
        match = _match(mine, _prepare(candidate), weights)
        if match.score >= threshold or (flags and _flagged(match)):
            found.append(match)
    found.sort(key=lambda m: (-m.score, m.a_id, m.b_id))
    return found


# --- blocking -----------------------------------------------------------------------


def _key_payloads(p: _Prepared) -> Iterator[tuple[str, str, str]]:
    """(namespace, part, part) of every blocking key of a prepared record.

    Designed so that a copy of a person keeps at least one key through any single
    corruption the synthetic data knows (and most double ones):
      k  the NIK
      n  a name of several words (sorted, so swapped parts agree) + birth date
      t  each word of the name that is not a very common one (COMMON_WORDS) + birth
         date (a typo, missing or abbreviated part elsewhere in the name)
      a, z, s  for one-word names, its first and last three letters and its letters
         sorted + birth date (a typo; two letters swapped)
      i  the initials of a name of several words + birth date (a typo in every word)
      d  a not too common name + the birth date with one of its parts (day, month
         or year) left out, and with day and month in either order (a slip in the date)
      x  the NIK without its year + the first two letters of the name (age
         falsification: the year is what gets changed)
      r  a name that is not too common + district, from the NIK and from the
         address region (age falsification, a missing birth date)
      h  the address (normalised) + the first letter of the name
      p  the phone;  o  the other id
    """
    if p.nik:
        nik = str(p.nik)
        yield "k", nik, ""
    name = p.sorted_name
    if name:
        if p.dob:
            dob = str(p.dob)
            if len(p.tokens) > 1:
                yield "n", name, dob
                initials = "".join(sorted(word[0] for word in p.tokens))
                yield "i", initials, dob
            words = {word for word in p.tokens if len(word) > 1}
            if len(words) > 1 and not words <= COMMON_WORDS:
                words -= COMMON_WORDS  # the other words carry the name
            for word in words:
                yield "t", word, dob
            if len(p.tokens) == 1 and len(name) >= 4:
                yield "a", name[:3], dob
                yield "z", name[-3:], dob
                yield "s", "".join(sorted(name)), dob
        if p.dob and p.letters >= DATE_SLIP_NAME_LETTERS:
            year, month, day = dob[:4], dob[4:6], dob[6:]
            yield "d", name, f"{year}{month}.."
            yield "d", name, f"{year}..{day}"
            yield "d", name, f"....{month}{day}"
            yield "d", name, f"{year}{min(month, day)}{max(month, day)}"
        if p.nik:
            yield "x", nik[:10] + nik[12:], name[:2]
        if p.letters >= RARE_NAME_LETTERS:
            if p.nik:
                yield "r", name, nik[:6]
            if p.region and p.region % 10 >= 3:
                district = str(p.region // 10)[:6]
                if not p.nik or district != nik[:6]:
                    yield "r", name, district
    if p.address and name:
        yield "h", p.address, name[:1]
    if p.phone:
        yield "p", str(p.phone), ""
    if p.other:
        yield "o", p.other, ""


# Bumped whenever a change here or in normalize_name changes the keys of a record:
# stored keys must then be recomputed for every person.
BLOCKING_KEYS_VERSION = 1


def blocking_keys(record: Record, *, secret: bytes = b"") -> frozenset[str]:
    """Short opaque keys; records that may be the same person share at least one.

    Each key is "<namespace>:<32 hex digits>" (34 characters): HMAC-SHA256 with
    `secret` over the namespace and the payload (see _key_payloads), truncated to 128
    bits. Pass the deployment's blind-index secret: the keys then reveal nothing, not
    even the NIK behind a NIK key (a NIK has few enough possible values to be found
    from a plain hash by trying them all). With the default empty secret the keys are
    only pseudonymous; use that for throw-away runs alone.
    """
    keys = set()
    for ns, first, second in _key_payloads(_prepare(record)):
        digest = hmac.new(secret, f"{ns}:{first}|{second}".encode(), hashlib.sha256)
        keys.add(f"{ns}:{digest.hexdigest()[:32]}")
    return frozenset(keys)


def check_many(
    checks: Iterable[tuple[Record, Iterable[Record]]],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    weights: Weights | None = None,
    flags: bool = True,
) -> Iterator[Match]:
    """check_record for many records at once (an import's batch): the matches of each
    (record, candidates), unsorted, each pair once, flagged pairs included as in
    check_record. A record is prepared once however often it is a candidate: in a
    batch with common names the same registered namesakes are candidates of hundreds
    of rows."""
    weights = weights or current_weights()
    prepared: dict[str, _Prepared] = {}
    scored: set[tuple[str, str]] = set()

    def prepare(record: Record) -> _Prepared:
        p = prepared.get(record.id)
        if p is None:
            p = prepared[record.id] = _prepare(record)
        return p

    for record, candidates in checks:
        mine = prepare(record)
        for candidate in candidates:
            pair = tuple(sorted((record.id, candidate.id)))
            if pair[0] == pair[1] or pair in scored:
                continue
            scored.add(pair)
            match = _match(mine, prepare(candidate), weights)
            if match.score >= threshold or (flags and _flagged(match)):
                yield match


# --- batch --------------------------------------------------------------------------
# The batch run keeps one compact row per record (about 60 bytes plus the id and the
# distinct names), turns every blocking key into a 64-bit hash, finds candidate pairs
# by sorting the hashes, and compares the pairs with numpy, field by field, with the
# same levels and weights as score_pair. Only names are compared in Python, and only
# for pairs whose other fields leave the verdict open.

MAX_BLOCK = 100  # a key shared by more records (a placeholder phone or NIK) is ignored
_CHUNK = 262_144  # pairs compared at once; bounds the temporary arrays


class _Columns:
    """The records of a batch run, one array per encoded field."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.names: list[tuple[str, ...]] = []  # distinct folded names, by name id
        self._name_ids: dict[str, int] = {}
        self.plains: list[str] = []  # distinct plain names (see _name_forms), by plain id
        self._plain_ids: dict[str, int] = {}
        self.plain_id = array("i")
        self._sorted_ids: dict[str, int] = {}
        self.places: list[str] = [""]  # distinct birth places, by place id; 0 is none
        self.others: list[str] = [""]  # distinct other ids, by id (compared for a slip)
        self._other_ids: dict[str, int] = {"": 0}
        self._place_ids: dict[str, int] = {"": 0}
        self.name_id = array("i")
        self.sorted_id = array("i")
        self.letters = array("i")
        self.dob = array("i")
        self.sex = array("i")
        self.place = array("i")
        self.region = array("q")
        self.phone = array("q")
        self.nik = array("q")
        self.address = array("q")
        self.other = array("i")
        self.key_hash = array("q")
        self.key_row = array("i")

    def add(self, record: Record) -> None:
        p = _prepare(record)
        row = len(self.ids)
        self.ids.append(record.id)
        name_id = self._name_ids.get(p.name)
        if name_id is None:
            name_id = self._name_ids[p.name] = len(self.names)
            self.names.append(p.tokens)
        plain_id = self._plain_ids.get(p.plain)
        if plain_id is None:
            plain_id = self._plain_ids[p.plain] = len(self.plains)
            self.plains.append(p.plain)
        self.plain_id.append(plain_id)
        sorted_id = self._sorted_ids.setdefault(p.sorted_name, len(self._sorted_ids))
        self.name_id.append(name_id)
        self.sorted_id.append(sorted_id)
        self.letters.append(p.letters)
        self.dob.append(p.dob)
        self.sex.append(p.sex)
        place_id = self._place_ids.get(p.place)
        if place_id is None:
            place_id = self._place_ids[p.place] = len(self.places)
            self.places.append(p.place)
        self.place.append(place_id)
        self.region.append(p.region)
        self.phone.append(p.phone)
        self.nik.append(p.nik)
        # hash() of "" is 0, which stands for "none" like in the other columns.
        self.address.append(hash(p.address))
        other_id = self._other_ids.get(p.other)
        if other_id is None:
            other_id = self._other_ids[p.other] = len(self.others)
            self.others.append(p.other)
        self.other.append(other_id)
        key_hash = self.key_hash.append
        for key in _key_payloads(p):
            key_hash(hash(key))
        self.key_row.extend(repeat(row, len(self.key_hash) - len(self.key_row)))

    def column(self, name: str) -> np.ndarray:
        values = getattr(self, name)
        return np.frombuffer(values, dtype=np.int64 if values.typecode == "q" else np.int32)


def _candidate_pairs(cols: _Columns) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (row a, row b), a < b, of records sharing a blocking key.

    The key hashes are sorted together with their rows, packed into one 64-bit word
    (the high bits of the hash, then the row): one in-place sort, no index array.
    Dropping low hash bits may let two keys collide now and then: a few extra
    candidate pairs, scored like any other.
    """
    n = len(cols.ids)
    if n < 2 or not len(cols.key_hash):
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    row_bits = n.bit_length()
    packed = cols.column("key_hash").view(np.uint64) >> np.uint64(row_bits)
    packed <<= np.uint64(row_bits)
    packed |= cols.column("key_row").astype(np.uint64)
    del cols.key_hash, cols.key_row
    packed.sort()
    rows = (packed & np.uint64((1 << row_bits) - 1)).astype(np.int32)
    packed >>= np.uint64(row_bits)
    starts = np.flatnonzero(np.r_[True, packed[1:] != packed[:-1]])
    del packed
    sizes = np.diff(np.r_[starts, len(rows)])
    codes = []
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= MAX_BLOCK)]).tolist():
        group = rows[starts[sizes == size][:, None] + np.arange(size)]
        first, second = np.triu_indices(size, 1)
        a = group[:, first].ravel()
        b = group[:, second].ravel()
        keep = a != b
        a, b = a[keep], b[keep]
        codes.append(np.minimum(a, b).astype(np.int64) * n + np.maximum(a, b))
    if not codes:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    unique = np.unique(np.concatenate(codes))
    return unique // n, unique % n


def _digit_count_differing(a: np.ndarray, b: np.ndarray, width: int) -> np.ndarray:
    count = np.zeros(len(a), dtype=np.int64)
    for _ in range(width):
        count += (a % 10) != (b % 10)
        a = a // 10
        b = b // 10
    return count


def _date_levels(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    level = np.full(len(a), D_DIFFERENT, dtype=np.int64)
    ya, ma, da = a // 10000, a // 100 % 100, a % 100
    yb, mb, db = b // 10000, b // 100 % 100, b % 100
    level[np.abs(ya - yb) >= FAR_YEARS] = D_FAR
    level[_digit_count_differing(a, b, 8) == 1] = D_TYPO
    level[(ya == yb) & (ma == db) & (da == mb)] = D_SWAPPED
    level[a == b] = D_EXACT
    level[(a == 0) | (b == 0)] = D_NULL
    return level


def _nik_levels(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    level = np.full(len(a), K_DIFFERENT, dtype=np.int64)
    typo = _digit_count_differing(a, b, 16) == 1
    maybe_swap = np.flatnonzero(~typo & (_digit_count_differing(a, b, 16) == 2))
    for i in maybe_swap:  # rare: two digits differ; check for adjacent transposition
        typo[i] = _is_transposition(int(a[i]), int(b[i]))
    level[typo] = K_TYPO
    level[typo & (a % 10**10 == b % 10**10)] = K_REGION_TYPO
    same_region = a // 10**10 == b // 10**10
    serial_a, serial_b = a % 10_000, b % 10_000
    years = np.abs(a // 10_000 % 100 - b // 10_000 % 100)
    same_day = a // 10**6 % 10_000 == b // 10**6 % 10_000
    segment = same_region & (serial_a == serial_b) & (np.minimum(years, 100 - years) <= 10)
    level[segment & (same_day | (serial_a > 1))] = K_DATE_SEGMENT
    sibling = (
        same_region
        & (a // 10**8 % 100 % 40 == b // 10**8 % 100 % 40)
        & (a // 10_000 % 10_000 == b // 10_000 % 10_000)
        & (serial_a > 0)
        & (serial_a < SIBLING_SERIALS)
        & (serial_b > 0)
        & (serial_b < SIBLING_SERIALS)
    )
    level[sibling] = K_SIBLING
    level[a == b] = K_EXACT
    level[(a == 0) | (b == 0)] = K_NULL
    return level


def _same_levels(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    level = np.where(a == b, S_SAME, S_DIFFERENT)
    level[(a == 0) | (b == 0)] = S_NULL
    return level


def _place_levels(places: list[str], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    level = np.where(a == b, S_SAME, S_DIFFERENT)
    differ = np.flatnonzero(a != b)
    codes, inverse = np.unique(a[differ] * len(places) + b[differ], return_inverse=True)
    by_pair = np.array(
        [_place_level(places[c // len(places)], places[c % len(places)]) for c in codes.tolist()],
        dtype=np.int64,
    )
    level[differ] = by_pair[inverse.reshape(-1)] if len(codes) else level[differ]
    level[(a == 0) | (b == 0)] = S_NULL
    return level


def _region_levels(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    level = np.full(len(a), R_DIFFERENT, dtype=np.int64)
    common = np.minimum(a % 10, b % 10)
    da, db = a // 10, b // 10
    for lvl, result in ((1, R_PROVINCE), (2, R_REGENCY), (3, R_DISTRICT), (4, R_VILLAGE)):
        divisor = _REGION_DIVISORS[lvl]
        level[(common >= lvl) & (da // divisor == db // divisor)] = result
    level[(a == 0) | (b == 0)] = R_NULL
    return level


def _other_levels(others: list[str], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    level = np.where(a == b, S_SAME, S_DIFFERENT)
    differ = np.flatnonzero((a != b) & (a != 0) & (b != 0))
    for i in differ.tolist():  # few: most records carry no other id
        level[i] = _other_level(others[a[i]], others[b[i]])
    level[(a == 0) | (b == 0)] = S_NULL
    return level


def _best_open_name(weights: Weights) -> float:
    """The best a name can do once it is neither exact nor swapped."""
    table = weights.tables[0]
    if weights.learned:
        return max(table[N_TYPO:])
    return max(
        max(table[N_ABBREV:]),
        NAME_EXACT_BASE
        + NAME_EXACT_PER_LETTER * NAME_EXACT_LETTERS_MAX
        + NAME_LENGTH_LEVELS[N_TYPO],
    )


def _threshold_bits(threshold: float, prior_bits: float = PRIOR_BITS) -> float:
    """The weight total at which the score reaches `threshold`."""
    if threshold <= 0:
        return -math.inf
    if threshold >= 1:
        return math.inf
    return prior_bits + math.log2(threshold / (1 - threshold))


class _Fields(NamedTuple):
    """The comparison levels of a chunk of pairs, one array per field but the name."""

    dob: np.ndarray
    nik: np.ndarray
    sex: np.ndarray
    phone: np.ndarray
    place: np.ndarray
    address: np.ndarray
    other: np.ndarray
    region: np.ndarray


def _field_levels(cols: _Columns, ia: np.ndarray, ib: np.ndarray) -> _Fields:
    def both(name: str) -> tuple[np.ndarray, np.ndarray]:
        column = cols.column(name)
        return column[ia].astype(np.int64), column[ib].astype(np.int64)

    return _Fields(
        dob=_date_levels(*both("dob")),
        nik=_nik_levels(*both("nik")),
        sex=_same_levels(*both("sex")),
        phone=_same_levels(*both("phone")),
        place=_place_levels(cols.places, *both("place")),
        address=_same_levels(*both("address")),
        other=_other_levels(cols.others, *both("other")),
        region=_region_levels(*both("region")),
    )


def _quick_name_levels(cols: _Columns, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """Exact, swapped and blank names from the ids alone; -1 where the words must be
    compared (_fill_name_levels)."""
    name_a, name_b = cols.column("name_id")[ia], cols.column("name_id")[ib]
    sorted_a, sorted_b = cols.column("sorted_id")[ia], cols.column("sorted_id")[ib]
    letters = np.minimum(cols.column("letters")[ia], cols.column("letters")[ib])
    name = np.full(len(ia), -1, dtype=np.int64)
    name[sorted_a == sorted_b] = N_SWAPPED
    name[name_a == name_b] = N_EXACT
    name[letters == 0] = N_NULL
    return name


def _fill_name_levels(
    cols: _Columns, ia: np.ndarray, ib: np.ndarray, name: np.ndarray, rows: np.ndarray
) -> None:
    names, plains = cols.names, cols.plains
    name_id, plain_id = cols.column("name_id"), cols.column("plain_id")
    for i, row_a, row_b in zip(rows.tolist(), ia[rows].tolist(), ib[rows].tolist(), strict=True):
        name[i] = _name_level(
            names[name_id[row_a]], names[name_id[row_b]],
            plains[plain_id[row_a]], plains[plain_id[row_b]],
        )  # fmt: skip


def _name_frequency_bits(cols: _Columns, weights: Weights) -> np.ndarray | None:
    """The term-frequency adjustment of each distinct name of the run (learned
    weights only), by name id."""
    if not weights.learned:
        return None
    return np.array([weights.frequency_bits(weights.frequency_of(" ".join(t))) for t in cols.names])


def _score_chunk(
    cols: _Columns,
    ia: np.ndarray,
    ib: np.ndarray,
    threshold: float,
    weights: Weights = DEFAULT_WEIGHTS,
    tf_bits: np.ndarray | None = None,
    flags: bool = False,
) -> Iterator[tuple[int, int, Match]]:
    lv = _field_levels(cols, ia, ib)
    t = [np.array(table) for table in weights.tables]
    dob, nik, other = lv.dob, lv.nik, lv.other
    date_w = np.where((nik == K_DATE_SEGMENT) & (dob == D_DIFFERENT), 0.0, t[1][dob])
    rest = date_w + t[2][nik] + t[3][lv.sex] + t[5][lv.place] + t[7][other] + t[8][lv.region]
    household = t[4][lv.phone] + t[6][lv.address]  # dropped if the names disagree
    shared_id = (nik == K_EXACT) | (other == S_SAME)

    name = _quick_name_levels(cols, ia, ib)
    limit = _threshold_bits(threshold, weights.prior_bits) - 1e-9
    open_ = (name < 0) & (rest + household + _best_open_name(weights) >= limit)
    if flags:
        open_ |= (name < 0) & shared_id  # few; their names decide a misuse flag
    _fill_name_levels(cols, ia, ib, name, np.flatnonzero(open_))
    name[name < 0] = N_DIFFERENT  # below the threshold whatever the name

    name_a = cols.column("name_id")[ia]
    letters = np.minimum(cols.column("letters")[ia], cols.column("letters")[ib]).astype(np.int64)
    name_w = t[0][name]
    if tf_bits is not None:
        name_w = name_w + np.where(name == N_EXACT, tf_bits[name_a], 0.0)
    else:
        capped = np.minimum(letters, NAME_EXACT_LETTERS_MAX)
        exact = NAME_EXACT_BASE + NAME_EXACT_PER_LETTER * capped
        for level, offset in NAME_LENGTH_LEVELS.items():
            name_w[name == level] = (exact + offset)[name == level]
    twins = (nik == K_SIBLING) & (name != N_EXACT) & (name != N_SWAPPED)
    relatives = np.isin(name, list(HOUSEHOLD_LEVELS)) | twins | (dob == D_FAR)
    relatives &= ~np.isin(nik, list(NIK_AGREES)) & ~np.isin(other, list(OTHER_AGREES))
    misuse = shared_id & (name == N_DIFFERENT) & np.isin(dob, (D_DIFFERENT, D_FAR))
    rest -= np.where(misuse & (nik == K_EXACT), t[2][nik], 0.0)
    rest -= np.where(misuse & (other == S_SAME), t[7][other], 0.0)
    total = rest + name_w + np.where(relatives, 0.0, household)
    wanted = total >= limit
    if flags:
        wanted |= misuse
    ids = cols.ids
    for i in np.flatnonzero(wanted).tolist():
        levels = _Levels(
            name=int(name[i]),
            name_letters=int(letters[i]),
            dob=int(dob[i]),
            nik=int(nik[i]),
            sex=int(lv.sex[i]),
            phone=int(lv.phone[i]),
            place=int(lv.place[i]),
            address=int(lv.address[i]),
            other=int(other[i]),
            region=int(lv.region[i]),
        )
        tf = float(tf_bits[name_a[i]]) if tf_bits is not None and name[i] == N_EXACT else 0.0
        evidence = _evidence(levels, weights)
        if tf:
            evidence = (("name", evidence[0][1], evidence[0][2] + tf), *evidence[1:])
        score = _score(sum(bits for _f, _l, bits in evidence), weights.prior_bits)
        if score < threshold and not (flags and misuse[i]):
            continue
        row_a, row_b = int(ia[i]), int(ib[i])
        a_id, b_id = ids[row_a], ids[row_b]
        if b_id < a_id:
            a_id, b_id = b_id, a_id
        yield row_a, row_b, Match(a_id, b_id, score, _reasons(levels), evidence)


# --- learning the weights --------------------------------------------------------------
# As Splink does: m (how a duplicate's copy compares) by EM on the candidate pairs,
# where the duplicates are; u (how two random people compare) from random pairs of
# records, where almost none are duplicates; the prior from how many duplicates EM
# finds among the candidates. (EM alone on candidate pairs would take the namesakes
# that blocking brings together for the typical non-duplicate, and learn that a
# shared name and birth date prove nothing.) Both run on samples: a probability
# estimated from 100,000 pairs is as good as from millions, and names are compared
# one pair at a time.
EM_SAMPLE = 100_000
RANDOM_PAIRS = 100_000
# Fewer candidate pairs than this (with the labelled ones) and the weights given are
# kept: EM on a handful of pairs would say more about chance than about the data.
MIN_EM_PAIRS = 200
# The share of duplicates among candidate pairs that EM starts from.
START_PRIOR = 0.1
# How many random pairs the hand-set weights count for in u: a level too rare to be
# seen among the sampled random pairs (a name one letter apart, a NIK one digit
# apart) keeps the hand-set weight; a common one follows the data.
U_PRIOR_PAIRS = 1_000.0
# The hand-set weights stay the prior in a stronger sense too: a learned weight moves
# at most this many bits away from the hand-set one. The fields of a person record
# are not independent (relatives share a surname, an address, a village and a birth
# place; namesakes cluster in regions), which plain Fellegi-Sunter ignores: unbounded,
# EM on Indonesian data learns that a shared village outweighs a different given
# name. Bounded, it still corrects a weight by a factor of up to 2^MAX_SHIFT.
MAX_SHIFT = 2.0
# Levels that stand for a rule about relatives or falsified records rather than for
# how often values agree by chance keep their hand-set weight: twins' NIKs (serials
# one apart), a NIK date segment rewritten, a region code one digit off, a birth
# date a generation apart. EM cannot learn them: relatives agree on everything else.
RULE_LEVELS = {2: (K_DATE_SEGMENT, K_SIBLING, K_REGION_TYPO), 1: (D_FAR,)}
# A field seen (not blank on both sides) in fewer candidate pairs than this keeps its
# hand-set weights: nothing to learn from.
MIN_FIELD_PAIRS = 50


def _start_values() -> tuple[list[np.ndarray], list[np.ndarray]]:
    """m and u to start EM from, whose log2 ratio is the hand-set weights (m grows
    with the weight, u shrinks with it)."""
    m0, u0 = [], []
    for table in _hand_set_tables():
        m0.append(2.0 ** (table / 2))
        u0.append(2.0 ** (-table / 2))
    return m0, u0


def _hand_set_tables() -> list[np.ndarray]:
    tables = [np.array(table, dtype=np.float64) for table in DEFAULT_WEIGHTS.tables]
    for level in NAME_LENGTH_LEVELS:
        tables[0][level] = _name_weight(level, TYPICAL_NAME_LETTERS)
    return tables


def _level_rows(cols: _Columns, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
    """Every field's level of every pair (pairs x FIELDS), names compared in full."""
    lv = _field_levels(cols, ia, ib)
    name = _quick_name_levels(cols, ia, ib)
    _fill_name_levels(cols, ia, ib, name, np.flatnonzero(name < 0))
    return np.column_stack(
        [name, lv.dob, lv.nik, lv.sex, lv.phone, lv.place, lv.address, lv.other, lv.region]
    )


def _labelled_rows(labelled: Iterable[tuple[Record, Record, bool]]) -> tuple[list, list]:
    rows, labels = [], []
    for a, b, same in labelled:
        lv = _levels(_prepare(a), _prepare(b))
        rows.append(
            [lv.name, lv.dob, lv.nik, lv.sex, lv.phone, lv.place, lv.address, lv.other, lv.region]
        )
        labels.append(1 if same else 0)
    return rows, labels


def _random_u(cols: _Columns, m: Sequence[np.ndarray], rng: np.random.Generator) -> list:
    """u per field and level from random pairs of records, with U_PRIOR_PAIRS
    pseudo-pairs spread as the hand-set weights say given m (u = m / 2^weight)."""
    n = len(cols.ids)
    ia = rng.integers(0, n, RANDOM_PAIRS)
    ib = rng.integers(0, n, RANDOM_PAIRS)
    keep = ia != ib
    levels = _level_rows(cols, ia[keep], ib[keep])
    u = []
    for f, (table, m_f) in enumerate(zip(_hand_set_tables(), m, strict=True)):
        prior = m_f * 2.0 ** (-table)
        prior[0] = 0.0
        u.append(fellegi_sunter.smoothed(levels[:, f], prior / prior[1:].sum(), U_PRIOR_PAIRS))
    return u


def learn_weights(
    cols: _Columns,
    ia: np.ndarray,
    ib: np.ndarray,
    start: Weights = DEFAULT_WEIGHTS,
    labelled: Iterable[tuple[Record, Record, bool]] = (),
    *,
    seed: int = 0,
    max_shift: float | None = None,
) -> Weights:
    """Weights learned from a run: m by EM on its candidate pairs (ia, ib), officers'
    decisions as labels (see fellegi_sunter), u from random pairs, term frequencies
    of exact names; `start` itself when there are too few candidate pairs.
    `max_shift`: how far a weight may move from the hand-set one (MAX_SHIFT)."""
    label_rows, label_values = _labelled_rows(labelled)
    n_candidates = len(ia)
    if n_candidates + len(label_rows) < MIN_EM_PAIRS:
        return start
    rng = np.random.default_rng(seed)
    if n_candidates > EM_SAMPLE:
        pick = np.sort(rng.choice(n_candidates, EM_SAMPLE, replace=False))
        ia, ib = ia[pick], ib[pick]
    levels = _level_rows(cols, ia, ib)
    labels = np.full(len(levels), -1)
    if label_rows:
        levels = np.vstack([levels, np.array(label_rows, dtype=np.int64)])
        labels = np.concatenate([labels, np.array(label_values)])
    m0, u0 = _start_values()
    est = fellegi_sunter.estimate(levels, N_LEVELS, m0, u0, START_PRIOR, labels=labels)
    if label_rows:
        est = fellegi_sunter.from_labels(est, levels[labels >= 0], labels[labels >= 0])
    m = list(est.m)
    u = _random_u(cols, m, rng)

    # Term frequencies (Splink's): two random people share the name v with
    # probability frequency(v), so an exact name weighs log2(m / frequency(v)); the
    # table holds log2(m / sum of frequency^2), the same on average.
    n = len(cols.ids)
    counts = np.bincount(cols.column("name_id"), minlength=len(cols.names))
    frequency = counts / n
    u[0][N_EXACT] = max(float((frequency**2).sum()), fellegi_sunter.FLOOR)
    common = np.argsort(-counts, kind="stable")[:MAX_STORED_NAMES]
    common = common[counts[common] > 0]
    stored = {" ".join(cols.names[i]): float(frequency[i]) for i in common.tolist()}
    # a name left out is at most as common as the last one stored
    rare = float(frequency[common[-1]]) if len(common) < len(counts) else 1.0 / n
    # The prior of a random pair: the duplicates EM found among the candidates,
    # over all pairs of records.
    duplicates = max(est.prior * n_candidates, 1.0)
    prior_bits = math.log2(max(n * (n - 1) / 2 - duplicates, 1.0) / duplicates)
    tables = []
    seen = (levels[labels < 0] > 0).sum(axis=0)
    for f, (m_f, u_f, hand) in enumerate(zip(m, u, _hand_set_tables(), strict=True)):
        floor = fellegi_sunter.FLOOR
        w = np.log2(np.maximum(m_f, floor) / np.maximum(u_f, floor))
        shift = MAX_SHIFT if max_shift is None else max_shift
        w = np.clip(w, hand - shift, hand + shift)
        if seen[f] < MIN_FIELD_PAIRS:
            w = hand
        for level in RULE_LEVELS.get(f, ()):
            w[level] = hand[level]
        w[0] = 0.0
        tables.append(tuple(float(x) for x in w))
    return Weights(
        tables=tuple(tables),
        prior_bits=prior_bits,
        source="em+labels" if est.labelled_same or est.labelled_different else "em",
        name_frequency=stored,
        rare_frequency=rare,
        reference_frequency=float(u[0][N_EXACT]),
        m=tuple(tuple(float(p) for p in side) for side in m),
        u=tuple(tuple(float(p) for p in side) for side in u),
        pairs=est.pairs,
        labelled_same=est.labelled_same,
        labelled_different=est.labelled_different,
        iterations=est.iterations,
        estimated_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )


# Two records each strongly matched to a third are reported as a pair too, even when
# they differ more from each other (two copies of one person, each corrupted its own
# way). Only links this strong are followed, one step, and not through a record with
# more strong links than MAX_LINKS (a hub is more likely a mix-up than one person).
LINK_SCORE = 0.9
MAX_LINKS = 4


def find_duplicates(
    records: Iterable[Record],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    through_third: bool = True,
    weights: Weights | None = None,
    learn: bool = False,
    labelled: Iterable[tuple[Record, Record, bool]] = (),
    on_learned: Callable[[Weights], None] | None = None,
    flags: bool = True,
    max_shift: float | None = None,
) -> Iterator[Match]:
    """Every pair of records scoring at least `threshold`, each pair once (a_id < b_id).

    Reads `records` once, as a stream, into compact columns; pairs come out in no
    particular order once all records are read (with `through_third`, the pairs at
    the threshold are held until the end: keep the threshold well above 0 on a large
    registry). Ids are expected to be distinct.
    The scores and reasons are those of score_pair for the same two records, except
    for pairs linked `through_third`: two records that both match a third one with at
    least LINK_SCORE get the weaker of those two scores when it is higher than their
    own, and the reason "linked_via_third_record".

    `weights`: by default current_weights(). With `learn`, the weights are first
    re-estimated by EM on this run's own candidate pairs (learn_weights; `labelled`:
    officers' decisions as (record, record, same?) triples), the pairs are scored
    with them, and `on_learned` receives them (to store them, for instance);
    `max_shift` bounds them (see MAX_SHIFT). With
    `flags`, pairs carrying a FLAG_REASONS reason are yielded whatever their score.
    """
    cols = _Columns()
    # Millions of long-lived objects (ids, cached names) would make the cyclic garbage
    # collector rescan them over and over: it is paused while reading, with only the
    # young objects collected now and then (any cycles the records' source makes).
    collecting = gc.isenabled()
    gc.disable()
    try:
        for count, record in enumerate(records, 1):
            cols.add(record)
            if not count % 8192:
                gc.collect(0)
    finally:
        if collecting:
            gc.enable()
    n = len(cols.ids)
    ia, ib = _candidate_pairs(cols)
    weights = weights or current_weights()
    if learn:
        weights = learn_weights(cols, ia, ib, weights, labelled, max_shift=max_shift)
        if on_learned:
            on_learned(weights)
    tf_bits = _name_frequency_bits(cols, weights)
    direct: dict[int, Match] = {}
    for start in range(0, len(ia), _CHUNK):
        chunk = _score_chunk(
            cols,
            ia[start : start + _CHUNK],
            ib[start : start + _CHUNK],
            threshold,
            weights,
            tf_bits,
            flags,
        )
        for row_a, row_b, match in chunk:
            if through_third:
                direct[row_a * n + row_b] = match
            else:
                yield match
    if through_third:
        _link_through_third(cols, direct, threshold, weights, tf_bits)
        yield from direct.values()


def _link_through_third(
    cols: _Columns,
    direct: dict[int, Match],
    threshold: float,
    weights: Weights = DEFAULT_WEIGHTS,
    tf_bits: np.ndarray | None = None,
) -> None:
    """Add to or raise in `direct` the pairs linked through a third record (in place)."""
    n = len(cols.ids)
    links: dict[int, dict[int, float]] = {}
    for code, match in direct.items():
        if match.score >= LINK_SCORE:
            row_a, row_b = divmod(code, n)
            links.setdefault(row_a, {})[row_b] = match.score
            links.setdefault(row_b, {})[row_a] = match.score
    weakest: dict[int, float] = {}
    for linked in links.values():
        if not 2 <= len(linked) <= MAX_LINKS:
            continue
        rows = sorted(linked)
        for i, x in enumerate(rows):
            for y in rows[i + 1 :]:
                code = x * n + y
                link = min(linked[x], linked[y])
                if link > weakest.get(code, 0.0) and link > getattr(direct.get(code), "score", 0):
                    weakest[code] = link
    if not weakest:
        return
    codes = np.array(sorted(weakest), dtype=np.int64)
    for row_a, row_b, own in _score_chunk(cols, codes // n, codes % n, 0.0, weights, tf_bits):
        code = row_a * n + row_b
        score = weakest[code]
        if score >= threshold and score > own.score:
            direct[code] = Match(
                own.a_id, own.b_id, score, (*own.reasons, "linked_via_third_record"), own.evidence
            )
