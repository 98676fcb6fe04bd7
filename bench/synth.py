"""A synthetic population of Indonesian people with known duplicates.

Used to measure the duplicate engine (`garda/people/matching.py`) and by the benchmark
(`python -m bench`): precision and recall need data whose true duplicate pairs are
known, and real registry data may not leave the registry. Pure: no database, no Django.
It also made the demo population (`garda/people/data/demo_population.csv`, see
`demo_population_csv`).

The population tries to be as hard as real data, not easier:

- Names follow Indonesian naming: many people have a single name (Javanese), others
  two or three parts; Muslim names (Muhammad, Ahmad, Siti, Nur), Sundanese, Batak
  (given name + marga), Minang, Betawi and Chinese-Indonesian names; the given names
  of Faker's `id_ID` locale (copied into synth_names.toml) plus a list of very
  common names, drawn with a heavy-headed (Zipf-like) distribution, so the same full
  name and even the same name and birth date occur between different people, as they
  do in real registers. Older people (and some younger ones, who keep their parents'
  spelling) have names in the pre-1972 spellings (oe, dj, tj, j, ch).
- NIKs are well-formed: a real district code (weighted towards the regencies that
  send most migrant workers), the birth date as DDMMYY with 40 added to the day for
  women, and a serial that counts people of the same district and birth date, so two
  people born on the same day in the same district differ only in the serial.
- Hard non-duplicates are planted on purpose: twins (same birth date, surname,
  address, often the parents' phone, consecutive NIK serials, sometimes rhyming given
  names), a father and son with the same name, and namesakes (same common name, same
  birth date, same district).
- Each duplicate copies an original and corrupts it in ways officers see: typos,
  old/new spelling, swapped, missing or abbreviated name parts, titles added or
  dropped, a birth date with day and month swapped or a mistyped digit, a NIK with a
  mistyped digit, missing, or with a falsified birth-date segment (age falsification,
  with the matching birth date), a missing, reformatted or changed phone, another way
  of writing the address, a move to another village. The probabilities are in
  `_corrupt_name` and `_Generator.duplicate` (tabled in docs/benchmarks.md, "The data");
  they were set before measuring, not tuned to the scorer.

`iter_generate` streams records (one million in under a minute) and can collect the
true pairs on the side; `generate` returns both at once.
"""

import random
import re
import tomllib
from collections.abc import Iterator
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

from garda.people.matching import Record

# --- name pools -------------------------------------------------------------------
# Faker's id_ID given names, surnames and streets, in Faker's order (see the file).
_FAKER_NAMES = Path(__file__).with_name("synth_names.toml")

# (name, relative weight). Weights are rough impressions of frequency in Indonesian
# registers, not statistics; what matters is a heavy head of very common names.

_COMMON_MALE = {
    "Muhammad": 120,
    "Ahmad": 45,
    "Agus": 30,
    "Budi": 22,
    "Eko": 20,
    "Dwi": 18,
    "Rizki": 20,
    "Andi": 14,
    "Joko": 10,
    "Hendra": 10,
    "Wahyu": 16,
    "Adi": 12,
    "Arif": 12,
    "Rudi": 10,
    "Bambang": 10,
    "Slamet": 10,
    "Dedi": 10,
    "Yusuf": 8,
    "Asep": 14,
    "Ujang": 8,
    "Dadang": 6,
    "Fajar": 8,
    "Rahmat": 10,
    "Hadi": 8,
    "Teguh": 6,
    "Iwan": 8,
    "Heri": 8,
    "Ilham": 6,
    "Fikri": 5,
    "Reza": 6,
    "Dimas": 6,
    "Aditya": 6,
    "Bayu": 6,
    "Yoga": 5,
    "Irfan": 5,
    "Hasan": 5,
    "Ridwan": 5,
    "Syaiful": 5,
    "Khairul": 5,
    "Taufik": 5,
    "Hidayat": 6,
    "Setiawan": 4,
    "Ramadhan": 5,
    "Firman": 4,
    "Agung": 6,
    "Tri": 8,
    "Cahyo": 4,
    "Suyono": 3,
    "Yudi": 5,
    "Made": 4,
    "Ketut": 3,
    "Nyoman": 3,
    "Wayan": 4,
    "Haryanto": 4,
    "Supriyadi": 4,
}
_COMMON_FEMALE = {
    "Siti": 120,
    "Nur": 50,
    "Sri": 50,
    "Dewi": 30,
    "Putri": 18,
    "Dwi": 16,
    "Fitri": 16,
    "Rina": 10,
    "Ani": 10,
    "Yuliani": 8,
    "Wati": 8,
    "Nurul": 14,
    "Lina": 8,
    "Ratna": 8,
    "Indah": 10,
    "Eka": 10,
    "Tri": 10,
    "Euis": 6,
    "Neneng": 6,
    "Aisyah": 8,
    "Fatimah": 8,
    "Aminah": 8,
    "Rahmawati": 8,
    "Lestari": 8,
    "Wahyuni": 10,
    "Yanti": 8,
    "Ayu": 10,
    "Nining": 5,
    "Rini": 8,
    "Yuli": 8,
    "Sumiyati": 5,
    "Suparmi": 5,
    "Kartini": 4,
    "Mega": 5,
    "Novi": 6,
    "Fitriyani": 5,
    "Nurhayati": 6,
    "Riska": 5,
    "Ika": 5,
    "Tuti": 5,
    "Iis": 4,
    "Entin": 3,
    "Komang": 3,
    "Kadek": 3,
    "Ni": 3,
}
# Javanese single names (a person's whole name).
_JAVANESE_SINGLE_MALE = (
    "Sutrisno Suparman Sugiyono Suyono Slamet Sukardi Mulyono Supriyadi Sutarno Parman "
    "Tarjo Warsito Kusnadi Sugiarto Suharto Wagiman Paijo Sumarno Suwito Darmaji "
    "Karyadi Sunardi Wiyono Rusdi Tukimin Sarno Marsono Jumadi Sukirman Purnomo Sudarmo "
    "Triyono Wahyudi Sukamto Subagyo Ngadiman Sumadi Prayitno Kasiman Suroso"
).split()
_JAVANESE_SINGLE_FEMALE = (
    "Sumarni Suparmi Tukiyem Sukirah Sumini Ngatiyem Sarmi Tarsih Karsih Darsih Wartini "
    "Kasmini Sunarti Marni Jumirah Sumiyati Painem Tukinem Suyati Partini Sulastri "
    "Wagiyem Sutinah Rukmini Sriyani Tumini Warsini Sukarti Parsinah Kusmiyati"
).split()
_SECOND_MALE = {
    "Setiawan": 20,
    "Santoso": 18,
    "Hidayat": 18,
    "Saputra": 18,
    "Pratama": 14,
    "Nugroho": 12,
    "Kurniawan": 12,
    "Wibowo": 10,
    "Prasetyo": 10,
    "Firmansyah": 10,
    "Hidayatullah": 5,
    "Ramadhan": 8,
    "Maulana": 8,
    "Syahputra": 8,
    "Gunawan": 8,
    "Susanto": 6,
    "Sulistyo": 5,
    "Wijaya": 6,
    "Permana": 6,
    "Suhendar": 4,
    "Sunandar": 4,
    "Rohman": 5,
    "Fauzi": 6,
    "Akbar": 6,
    "Hakim": 5,
    "Abdullah": 6,
    "Iskandar": 5,
}
_SECOND_FEMALE = {
    "Lestari": 18,
    "Rahayu": 16,
    "Handayani": 14,
    "Wahyuni": 14,
    "Rahmawati": 14,
    "Sari": 16,
    "Wulandari": 12,
    "Safitri": 12,
    "Puspitasari": 8,
    "Anggraini": 10,
    "Nurhayati": 10,
    "Susanti": 8,
    "Aminah": 8,
    "Hasanah": 8,
    "Fitriani": 8,
    "Kurniasih": 6,
    "Maharani": 6,
    "Ningsih": 8,
    "Astuti": 8,
    "Purnamasari": 5,
    "Yuliana": 6,
    "Permatasari": 6,
    "Nuraini": 6,
}
_BATAK_MARGA = (
    "Siregar Nasution Lubis Harahap Simanjuntak Sinaga Sitorus Situmorang Pasaribu "
    "Panjaitan Hutagalung Hutapea Nainggolan Napitupulu Manullang Marpaung Saragih "
    "Damanik Tampubolon Simbolon Sihombing Samosir Sitompul Sirait Tambunan Purba Ginting"
).split()
_BATAK_GIVEN = {
    "M": "Maruli Togar Hotman Lamhot Benny Jhon Roy Parlin Binsar Poltak".split(),
    "F": "Rotua Sondang Tiurma Rosmawati Lasma Dormauli Rugun Friska Duma Rismauli".split(),
}
_CHINESE_GIVEN = {
    "M": "Hendra Stefanus Yohanes Kevin Michael Vincent Susanto Hendrik Lukas Wilson".split(),
    "F": "Linda Fransiska Felicia Jessica Agnes Yenny Lily Maria Angela Sandra Liana".split(),
}
_CHINESE_SURNAME = (
    "Gunawan Wijaya Halim Tanoto Hartono Salim Tanuwijaya Kusuma Sutanto Lim Tan Wong "
    "Liem Oei Tjandra Setiadi Hermawan Santoso Chandra Widjaja"
).split()
_BETAWI = (
    "Rojali Mandra Sabeni Mursid Romlah Saodah Zaenab Maemunah Sarmili Husin Nasrul "
    "Bokir Mamat Udin"
).split()
# Given names whose bearers are mostly of one sex; the rest of each pool is mixed.
_TITLES_MALE = ("H.", "Drs.", "Ir.", "KH.")
_TITLES_FEMALE = ("Hj.", "Dra.", "Ir.")
_DEGREES = ("S.Kom", "S.E.", "S.H.", "S.Pd", "A.Md", "S.T.", "S.Sos", "M.M.", "S.Ag")

# Very common full names, for namesakes.
_COMMON_FULL_MALE = (
    "Muhammad Rizki,Agus Setiawan,Budi Santoso,Eko Prasetyo,Ahmad Fauzi,Muhammad Iqbal,"
    "Rizki Saputra,Andi Saputra,Dedi Kurniawan,Agus Salim,Slamet,Sutrisno,Budi,Agus,"
    "Muhammad Ilham,Wahyu Hidayat,Arif Rahman,Asep Saepudin,Ahmad Hidayat,Rahmat Hidayat"
).split(",")
_COMMON_FULL_FEMALE = (
    "Siti Aminah,Sri Wahyuni,Dewi Lestari,Siti Nurhaliza,Nur Hidayah,Siti Rahayu,"
    "Sri Rahayu,Dewi Sartika,Putri Ayu,Siti Fatimah,Nurul Hidayah,Sri Mulyani,Siti,"
    "Sumarni,Suparmi,Rina Wati,Fitri Handayani,Indah Lestari,Siti Khodijah,Eka Putri"
).split(",")

# Twins are often given rhyming names.
_TWIN_VARIANTS = {
    "Hasan": "Husain",
    "Rizki": "Rizka",
    "Putra": "Putri",
    "Fajar": "Fajri",
    "Rahmat": "Rahmi",
    "Andi": "Andini",
    "Dimas": "Dinda",
    "Yoga": "Yogi",
    "Bayu": "Bayi",
}

# Regencies that send the most migrant workers (BP2MI statistics, rounded impressions)
# and the five cities of Jakarta; the rest of the country shares the remaining weight.
_SENDING_REGENCIES = {
    "3212": 9,
    "3209": 6,
    "3203": 5,
    "3202": 4,
    "3215": 4,
    "3213": 4,
    "3210": 3,
    "3301": 5,
    "3329": 4,
    "3324": 3,
    "3510": 4,
    "3507": 4,
    "3505": 3,
    "3504": 3,
    "3502": 3,
    "5203": 6,
    "5202": 4,
    "3171": 3,
    "3172": 4,
    "3173": 4,
    "3174": 4,
    "3175": 5,
}
_OTHER_REGENCIES_WEIGHT = 25

_PHONE_PREFIXES = (
    "811 812 813 821 822 823 851 852 853 814 815 816 855 856 857 858 817 818 819 "
    "859 877 878 838 831 832 833 895 896 897 898 899 881 882 883"
).split()
_STREETS_EXTRA = (
    "Kebon Jeruk,Mangga Besar,Kramat Raya,Pramuka,Cempaka Putih,Rawamangun,Kalibata,"
    "Pasar Minggu,Cipinang,Kemanggisan,Tanah Abang,Palmerah,Kebon Kacang,Pademangan,"
    "Cilincing,Kampung Melayu,Bendungan Hilir,Duren Tiga,Utan Kayu,Pulo Gadung"
).split(",")
_KEYBOARD_LETTERS = "abcdefghijklmnopqrstuvwxyz"

# --- corruption probabilities (set a priori, see the module docstring) ---------------
_DUPLICATE_CLUSTER_SIZES = ((1, 0.85), (2, 0.15))  # extra copies of one person
_ORIGINAL_MISSING = {
    "nik": 0.08,
    "phone": 0.10,
    "address": 0.05,
    "region": 0.03,
    "birth_place": 0.05,
    "sex": 0.01,
    "birth_date": 0.01,
}
_UPPERCASE = 0.35  # KTP names are printed in capitals; many systems keep that
_HARD_NEGATIVES = {"twin": 0.006, "junior": 0.003, "namesake": 0.004}


class _Pick:
    """Weighted choice from a fixed list with precomputed cumulative weights."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, weighted: dict[str, float] | list[tuple[str, float]]):
        pairs = list(weighted.items()) if isinstance(weighted, dict) else list(weighted)
        self.items = [item for item, _ in pairs]
        self.cum = list(accumulate(weight for _, weight in pairs))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> str:
        # choices() with cum_weights does a binary search; k=1 is its fast path.
        return rng.choices(self.items, cum_weights=self.cum, k=1)[0]


def _zipf(names: list[str], head: dict[str, float] | None = None, scale: float = 1.0):
    """Weights 1/(rank + 5) for `names` in a fixed shuffled order, plus a given head."""
    order = sorted(set(names) - set(head or {}))
    random.Random(7).shuffle(order)  # noqa: S311 - test data, not secrets
    weights = {name: scale * 10 / (rank + 5) for rank, name in enumerate(order)}
    weights.update(head or {})
    return _Pick(weights)


class _Pools:
    """Everything drawn from the name pools and the region list, computed once per process."""

    def __init__(self) -> None:
        from garda.places.codes import read_regions

        names = tomllib.loads(_FAKER_NAMES.read_text(encoding="utf-8"))
        self.male_given = _zipf(names["first_names_male"], _COMMON_MALE)
        self.female_given = _zipf(names["first_names_female"], _COMMON_FEMALE)
        self.male_second = _zipf(names["last_names_male"], _SECOND_MALE, 0.5)
        self.female_second = _zipf(names["last_names_female"], _SECOND_FEMALE, 0.5)
        self.male_single = _zipf(
            names["first_names_male"][::3], {n: 6 for n in _JAVANESE_SINGLE_MALE}
        )
        self.female_single = _zipf(
            names["first_names_female"][::3],
            {n: 6 for n in _JAVANESE_SINGLE_FEMALE},
        )
        self.streets = names["streets"] + _STREETS_EXTRA

        regencies: dict[str, str] = {}
        districts: dict[str, list[str]] = {}
        villages: dict[str, list[str]] = {}
        for region in read_regions(levels=("regency", "district", "village")):
            if not region.is_current:
                continue
            digits = region.digits
            if region.level == "regency":
                regencies[digits] = region.name
            elif region.level == "district":
                districts.setdefault(digits[:4], []).append(digits)
            else:
                villages.setdefault(digits[:6], []).append(region.code)
        self.regency_names = {
            code: _place_name(name) for code, name in regencies.items() if code in districts
        }
        self.districts = {
            code: sorted(d for d in ds if d in villages) for code, ds in districts.items()
        }
        self.districts = {code: ds for code, ds in self.districts.items() if ds}
        self.villages = villages
        others = [code for code in sorted(self.districts) if code not in _SENDING_REGENCIES]
        weights = dict(_SENDING_REGENCIES)
        for code in others:
            weights[code] = _OTHER_REGENCIES_WEIGHT / len(others)
        self.regency = _Pick({c: w for c, w in weights.items() if c in self.districts})
        self.jakarta_villages = [v for d, vs in villages.items() if d.startswith("31") for v in vs]
        self.all_regencies = sorted(self.districts)


def _place_name(regency_name: str) -> str:
    """ "Kabupaten Indramayu" -> "Indramayu"; "Kota Administrasi Jakarta Pusat" -> "Jakarta"."""
    for prefix in ("Kota Administrasi ", "Kabupaten Administrasi ", "Kabupaten ", "Kota "):
        if regency_name.startswith(prefix):
            regency_name = regency_name[len(prefix) :]
            break
    if regency_name.startswith("Jakarta"):
        return "Jakarta"
    return regency_name


@lru_cache(maxsize=1)
def _pools() -> _Pools:
    return _Pools()


# --- spelling -----------------------------------------------------------------------


_OLD_SPELLING = {
    "ahmad": "achmad",
    "kh": "ch",
    "ch": "ch",
    "c": "tj",
    "j": "dj",
    "y": "j",
    "u": "oe",
}
_OLD_LETTERS = re.compile("ahmad|kh|ch|c|j|y|u")


def _oldify(name: str) -> str:
    """Write a name in the pre-1972 spelling (EYD 1972 undone).

    u->oe, j->dj, y->j, c->tj, kh->ch and Ahmad->Achmad, in one pass over the letters,
    so that a letter one rule writes is not rewritten by the next (Cahya is Tjahja, not
    Tdjahja).
    """
    out = []
    for word in name.split(" "):
        lower = _OLD_LETTERS.sub(lambda m: _OLD_SPELLING[m.group()], word.lower())
        out.append(lower[:1].upper() + lower[1:])
    return " ".join(out)


def _modernize(name: str) -> str:
    """The reverse of _oldify for one name (EYD 1972)."""
    out = []
    for word in name.split(" "):
        lower = word.lower().replace("oe", "u").replace("tj", "c")
        lower = lower.replace("dj", "\0").replace("j", "y").replace("\0", "j")
        lower = lower.replace("ch", "kh").replace("achmad", "ahmad").replace("akhmad", "ahmad")
        out.append(lower[:1].upper() + lower[1:])
    return " ".join(out)


_VARIANT_RULES = (
    ("uhammad", "ohammad"),
    ("ohammad", "uhammad"),
    ("ammad", "amad"),
    ("Muhammad", "Mochammad"),
    ("Muhammad", "Mohamad"),
    ("Ahmad", "Achmad"),
    ("Achmad", "Ahmad"),
    ("Ahmad", "Akhmad"),
    ("ya", "ia"),
    ("ia", "ya"),
    ("yu", "iu"),
    ("iyah", "iah"),
    ("yani", "iyani"),
    ("di", "dy"),
    ("ri", "ry"),
    ("ki", "ky"),
    ("ti", "ty"),
    ("ni", "ny"),
    ("Kh", "H"),
    ("kh", "h"),
    ("Sy", "S"),
    ("Syaiful", "Saiful"),
    ("Rizki", "Rizqi"),
    ("Taufik", "Taufiq"),
    ("dhan", "dan"),
    ("Ramadan", "Ramadhan"),
    ("f", "v"),
    ("Nur", "Noer"),
    ("Nur", "Noor"),
    ("Abdul", "Abd."),
    ("Sri", "Sry"),
    ("ll", "l"),
    ("tt", "t"),
    ("Siti", "Sitti"),
    ("Su", "Soe"),
    ("Soe", "Su"),
    ("Dj", "J"),
    ("Tj", "C"),
    ("oe", "u"),
    ("Ch", "Kh"),
    ("Ch", "H"),
    ("ch", "kh"),
)


def _spelling_variant(rng: random.Random, name: str) -> str:
    if rng.random() < 0.3:
        modern = _modernize(name)
        if modern != name:
            return modern
        old = _oldify(name)
        if old != name and rng.random() < 0.5:
            return old
    rules = [(old, new) for old, new in _VARIANT_RULES if old in name]
    if not rules:
        return _typo(rng, name)
    old, new = rng.choice(rules)
    # Replace one occurrence, picked at random among them.
    starts = [i for i in range(len(name)) if name.startswith(old, i)]
    i = rng.choice(starts)
    return name[:i] + new + name[i + len(old) :]


# --- corruptions --------------------------------------------------------------------


def _typo(rng: random.Random, text: str) -> str:
    """Insert, delete, substitute or transpose one letter inside a word of 3+ letters."""
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 3 and w.isalpha()]
    if not candidates:
        return text
    index = rng.choice(candidates)
    word = words[index]
    pos = rng.randrange(1, len(word))  # keep the first letter: people rarely miss it
    kind = rng.randrange(4)
    letter = rng.choice(_KEYBOARD_LETTERS)
    if word.isupper():
        letter = letter.upper()
    if kind == 0:
        word = word[:pos] + letter + word[pos:]
    elif kind == 1:
        word = word[:pos] + word[pos + 1 :]
    elif kind == 2:
        word = word[:pos] + letter + word[pos + 1 :]
    elif pos < len(word) - 1:
        word = word[:pos] + word[pos + 1] + word[pos] + word[pos + 2 :]
    else:
        word = word[: pos - 1] + word[pos] + word[pos - 1]
    words[index] = word
    return " ".join(words)


def _swap_parts(rng: random.Random, name: str) -> str:
    words = name.split(" ")
    if len(words) < 2:
        return name
    if len(words) == 2 or rng.random() < 0.5:
        return " ".join(words[1:] + words[:1])
    i = rng.randrange(len(words) - 1)
    words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def _drop_part(rng: random.Random, name: str) -> str:
    words = name.split(" ")
    if len(words) < 2:
        return name
    if words[0].lower() in ("muhammad", "siti", "nur", "ahmad", "moehammad", "achmad"):
        index = 0 if rng.random() < 0.6 else len(words) - 1
    else:
        index = rng.choice((len(words) - 1, len(words) - 1, 0, rng.randrange(len(words))))
    del words[index]
    return " ".join(words)


def _abbreviate(rng: random.Random, name: str) -> str:
    words = name.split(" ")
    if len(words) < 2:
        return name
    first = words[0].lower()
    if first in ("muhammad", "mohammad", "moehammad", "mochammad", "muhamad", "mohamad"):
        words[0] = rng.choice(("M.", "Moh.", "Muh.", "Mhd.", "M"))
    elif first in ("abdul", "abdoel"):
        words[0] = "Abd."
    else:
        index = rng.randrange(len(words) - 1)  # the last part is rarely shortened
        words[index] = words[index][0] + "."
    return " ".join(words)


def _retitle(rng: random.Random, name: str, sex: str | None) -> str:
    bare = _strip_titles(name)
    if bare != name:
        return bare
    if rng.random() < 0.6:
        title = rng.choice(_TITLES_FEMALE if sex == "F" else _TITLES_MALE)
        return f"{title} {name}"
    return f"{name}, {rng.choice(_DEGREES)}"


def _strip_titles(name: str) -> str:
    name = name.split(",", 1)[0]
    words = name.split(" ")
    while len(words) > 1 and words[0] in _TITLES_MALE + _TITLES_FEMALE:
        words = words[1:]
    return " ".join(words)


def _recase(rng: random.Random, name: str) -> str:
    if name.isupper():
        return name.title() if rng.random() < 0.7 else name.lower()
    roll = rng.random()
    if roll < 0.6:
        return name.upper()
    if roll < 0.8:
        return name.replace(" ", "  ", 1)
    return name.lower()


def _corrupt_name(rng: random.Random, name: str) -> str:
    # One corruption at these cumulative probabilities, or none (43%).
    roll = rng.random()
    if roll < 0.16:
        name = _typo(rng, name)
    elif roll < 0.27:
        name = _spelling_variant(rng, name)
    elif roll < 0.35:
        name = _swap_parts(rng, name)
    elif roll < 0.43:
        name = _drop_part(rng, name)
    elif roll < 0.50:
        name = _abbreviate(rng, name)
    elif roll < 0.57:
        name = _recase(rng, name)
    if rng.random() < 0.08:  # now and then a second slip on top of the first
        name = _typo(rng, name) if rng.random() < 0.5 else _spelling_variant(rng, name)
    return name


def _date_typo(rng: random.Random, birth: date) -> date:
    """Day and month swapped when that is a date, else one mistyped digit."""
    if birth.day <= 12 and birth.day != birth.month and rng.random() < 0.6:
        return date(birth.year, birth.day, birth.month)
    for _ in range(20):
        text = birth.strftime("%Y%m%d")
        pos = rng.choice((2, 3, 4, 5, 6, 7, 7, 3))  # the century digits are hardly ever wrong
        digit = str(rng.randrange(10))
        text = text[:pos] + digit + text[pos + 1 :]
        try:
            typo = date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            continue
        if typo != birth and 1940 <= typo.year <= 2010:
            return typo
    return birth + timedelta(days=1)


def _nik_typo(rng: random.Random, nik: str) -> str:
    pos = rng.randrange(len(nik))
    if rng.random() < 0.3 and pos < len(nik) - 1 and nik[pos] != nik[pos + 1]:
        return nik[:pos] + nik[pos + 1] + nik[pos] + nik[pos + 2 :]
    digit = rng.choice([d for d in "0123456789" if d != nik[pos]])
    return nik[:pos] + digit + nik[pos + 1 :]


def _nik_date(birth: date, sex: str | None) -> str:
    day = birth.day + (40 if sex == "F" else 0)
    return f"{day:02d}{birth.month:02d}{birth.year % 100:02d}"


def _format_phone(rng: random.Random, phone: str) -> str:
    """Another way of writing the same E.164 number (+62812...)."""
    national = phone[3:]
    style = rng.randrange(5)
    if style == 0:
        return "0" + national
    if style == 1:
        return f"0{national[:3]}-{national[3:7]}-{national[7:]}"
    if style == 2:
        return "62" + national
    if style == 3:
        return f"+62 {national[:3]} {national[3:7]} {national[7:]}"
    return f"(0{national[:3]}) {national[3:]}"


def _format_address(rng: random.Random, address: str) -> str:
    out = address
    if "Jl. " in out and rng.random() < 0.6:
        out = out.replace("Jl. ", "Jalan ", 1)
    elif "Jalan " in out:
        out = out.replace("Jalan ", "Jl. ", 1)
    if "Gg. " in out and rng.random() < 0.5:
        out = out.replace("Gg. ", "Gang ", 1)
    if " RT " in out:
        head, _, tail = out.partition(" RT ")
        rt, _, rw = tail.partition("/RW ")
        style = rng.randrange(3)
        if style == 0:
            out = f"{head} RT.{int(rt):02d} RW.{int(rw):02d}"
        elif style == 1:
            out = f"{head}, RT {int(rt)} RW {int(rw)}"
        else:
            out = f"{head} Rt {rt} / Rw {rw}"
    if rng.random() < 0.3:
        out = out.upper()
    if out == address:
        out = out.replace("No. ", "No.", 1) if "No. " in out else out.lower()
    return out


# --- people -------------------------------------------------------------------------


class _Person:
    """The true attributes of one person, before any copy is written down."""

    __slots__ = (
        "name",
        "sex",
        "birth",
        "district",
        "serial",
        "birth_place",
        "village",
        "address",
        "phone",
        "has_nik",
    )

    def nik(self) -> str:
        return f"{self.district}{_nik_date(self.birth, self.sex)}{self.serial:04d}"


class _Generator:
    def __init__(self, seed: int, duplicate_rate: float) -> None:
        if not 0 <= duplicate_rate < 1:
            raise ValueError("duplicate_rate must be in [0, 1)")
        self.rng = random.Random(seed)  # noqa: S311 - test data, not secrets
        self.pools = _pools()
        self.serials: dict[tuple[str, date], int] = {}
        mean_copies = sum(size * p for size, p in _DUPLICATE_CLUSTER_SIZES)
        extra_per_person = duplicate_rate / (1 - duplicate_rate)
        self.p_duplicated = min(1.0, extra_per_person / mean_copies)
        self.common_names: list[tuple[str, str]] = []  # recent (name, sex) of common names

    # -- true people ----------------------------------------------------------------

    def name(self, sex: str, birth: date) -> str:
        rng, pools = self.rng, self.pools
        male = sex == "M"
        given = pools.male_given if male else pools.female_given
        second = pools.male_second if male else pools.female_second
        roll = rng.random()
        if roll < 0.22:
            name = (pools.male_single if male else pools.female_single)(rng)
        elif roll < 0.58:
            name = f"{given(rng)} {second(rng)}"
        elif roll < 0.76:
            lead = (
                rng.choice(("Muhammad", "Muhammad", "Ahmad"))
                if male
                else rng.choice(("Siti", "Siti", "Nur"))
            )
            name = f"{lead} {given(rng)}"
            if rng.random() < 0.4:
                name += " " + second(rng)
        elif roll < 0.81:
            name = f"{rng.choice(_BATAK_GIVEN[sex])} {rng.choice(_BATAK_MARGA)}"
        elif roll < 0.85:
            name = f"{rng.choice(_CHINESE_GIVEN[sex])} {rng.choice(_CHINESE_SURNAME)}"
        elif roll < 0.88:
            name = f"{given(rng)} {rng.choice(_BETAWI)}"
        else:
            name = f"{given(rng)} {given(rng)} {second(rng)}"
        words = name.split(" ")
        if len(words) > 1 and words[0] == words[1]:
            name = " ".join(words[1:])
        old = 0.3 if birth.year < 1975 else 0.06
        if rng.random() < old:
            name = _oldify(name)
        return name

    def birth_date(self) -> date:
        year = int(self.rng.triangular(1962, 2007.99, 1997))
        return date(year, 1, 1) + timedelta(days=self.rng.randrange(365))

    def serial(self, district: str, birth: date) -> int:
        key = (district, birth)
        serial = self.serials.get(key, 0) + 1
        self.serials[key] = serial
        return serial

    def address(self) -> str:
        rng = self.rng
        prefix = "Jl." if rng.random() < 0.75 else "Gg."
        address = f"{prefix} {rng.choice(self.pools.streets)} No. {rng.randrange(1, 200)}"
        if rng.random() < 0.7:
            address += f" RT {rng.randrange(1, 16):03d}/RW {rng.randrange(1, 12):03d}"
        return address

    def phone(self) -> str:
        rng = self.rng
        digits = rng.randrange(10**6, 10**8) if rng.random() < 0.5 else rng.randrange(10**8)
        width = 7 if digits < 10**7 else 8
        return f"+62{rng.choice(_PHONE_PREFIXES)}{digits:0{width}d}"

    def person(self) -> _Person:
        rng, pools = self.rng, self.pools
        p = _Person()
        p.sex = "M" if rng.random() < 0.45 else "F"  # more women than men migrate
        p.birth = self.birth_date()
        p.name = self.name(p.sex, p.birth)
        regency = pools.regency(rng)
        p.district = rng.choice(pools.districts[regency])
        p.serial = self.serial(p.district, p.birth)
        p.birth_place = (
            pools.regency_names[regency]
            if rng.random() < 0.85
            else (pools.regency_names[rng.choice(pools.all_regencies)])
        )
        if rng.random() < 0.65:
            p.village = rng.choice(pools.jakarta_villages)
        else:
            p.village = rng.choice(pools.villages[p.district])
        p.address = self.address()
        p.phone = self.phone()
        p.has_nik = rng.random() >= _ORIGINAL_MISSING["nik"]
        return p

    def twin(self, p: _Person) -> _Person:
        rng = self.rng
        t = _Person()
        t.sex = p.sex if rng.random() < 0.6 else ("F" if p.sex == "M" else "M")
        t.birth = p.birth
        words = p.name.split(" ")
        given = words[0]
        if given in _TWIN_VARIANTS and rng.random() < 0.7:
            words[0] = _TWIN_VARIANTS[given]
        else:
            new = self.name(t.sex, t.birth).split(" ")[0]
            words[0] = new if new != given else new + "a"
        t.name = " ".join(words)
        t.district, t.birth_place, t.village, t.address = (
            p.district,
            p.birth_place,
            p.village,
            p.address,
        )
        t.serial = self.serial(t.district, t.birth)
        t.phone = p.phone if rng.random() < 0.5 else self.phone()
        t.has_nik = p.has_nik
        return t

    def junior(self, p: _Person) -> _Person:
        """A son or daughter given the parent's name (or the parent, for a young p)."""
        rng = self.rng
        j = _Person()
        j.sex, j.name = p.sex, p.name
        gap = timedelta(days=rng.randrange(18 * 365, 35 * 365))
        j.birth = p.birth + gap if (p.birth + gap).year <= 2007 else p.birth - gap
        j.district, j.birth_place, j.village, j.address = (
            p.district,
            p.birth_place,
            p.village,
            p.address,
        )
        j.serial = self.serial(j.district, j.birth)
        j.phone = p.phone if rng.random() < 0.3 else self.phone()
        j.has_nik = rng.random() >= _ORIGINAL_MISSING["nik"]
        return j

    def namesake(self, p: _Person) -> _Person:
        """Someone else with the same common name, born the same day in the same district.

        `p` is renamed to a very common full name first: namesakes with a rare name and
        the same birth date hardly exist.
        """
        rng = self.rng
        if p.sex == "M":
            p.name = rng.choice(_COMMON_FULL_MALE)
        else:
            p.name = rng.choice(_COMMON_FULL_FEMALE)
        n = self.person()
        n.name, n.sex, n.birth, n.district, n.birth_place = (
            p.name,
            p.sex,
            p.birth,
            p.district,
            p.birth_place,
        )
        n.serial = self.serial(n.district, n.birth)
        if rng.random() < 0.5:
            n.village = p.village
        return n

    # -- writing a person down ------------------------------------------------------

    def record(self, rid: str, p: _Person) -> Record:
        rng = self.rng
        missing = _ORIGINAL_MISSING
        name = p.name
        if rng.random() < 0.03:
            name = _retitle(rng, name, p.sex)
        if rng.random() < _UPPERCASE:
            name = name.upper()
        return Record(
            id=rid,
            full_name=name,
            birth_date=None if rng.random() < missing["birth_date"] else p.birth,
            sex=None if rng.random() < missing["sex"] else p.sex,
            birth_place="" if rng.random() < missing["birth_place"] else p.birth_place,
            address="" if rng.random() < missing["address"] else p.address,
            region="" if rng.random() < missing["region"] else p.village,
            phone="" if rng.random() < missing["phone"] else p.phone,
            nik=p.nik() if p.has_nik else "",
        )

    def duplicate(self, rid: str, p: _Person, original: Record) -> Record:
        rng = self.rng
        name = _corrupt_name(rng, p.name)
        if rng.random() < 0.04:
            name = _retitle(rng, name, p.sex)
        if original.full_name.isupper() if rng.random() < 0.5 else rng.random() < _UPPERCASE:
            name = name.upper()

        birth = p.birth
        nik = p.nik() if p.has_nik or rng.random() < 0.5 else ""
        roll = rng.random()
        if roll < 0.04:
            birth = _date_typo(rng, birth)
        elif roll < 0.06:  # age falsification: an older birth year, on a NIK to match
            year = birth.year - rng.randrange(1, 6)
            try:
                birth = date(year, birth.month, birth.day)
            except ValueError:  # 29 February
                birth = date(year, birth.month, 28)
            if nik:
                nik = nik[:6] + _nik_date(birth, p.sex) + nik[12:]
        birth_date = None if rng.random() < 0.03 else birth

        roll = rng.random()
        if nik and roll < 0.18:
            nik = ""
        elif nik and roll < 0.22:
            nik = _nik_typo(rng, nik)

        phone = p.phone
        roll = rng.random()
        if roll < 0.15:
            phone = _format_phone(rng, phone)
        elif roll < 0.35:
            phone = ""
        elif roll < 0.45:
            phone = self.phone()

        address = p.address
        roll = rng.random()
        if roll < 0.25:
            address = _format_address(rng, address)
        elif roll < 0.5:
            address = self.address()

        region = p.village
        roll = rng.random()
        if roll < 0.10:
            district = region.rpartition(".")[0].replace(".", "")
            region = rng.choice(self.pools.villages[district])
        elif roll < 0.20:
            region = ""
        elif roll < 0.30:
            region = rng.choice(self.pools.jakarta_villages)

        place = p.birth_place
        roll = rng.random()
        if roll < 0.10:
            place = ""
        elif roll < 0.15:
            place = rng.choice(("Kab. ", "KAB. ", "Kota ", "")) + place
        elif roll < 0.20:
            place = _typo(rng, place)

        sex = p.sex
        roll = rng.random()
        if roll < 0.01:
            sex = None
        elif roll < 0.02:
            sex = "F" if sex == "M" else "M"

        return Record(
            id=rid,
            full_name=name,
            birth_date=birth_date,
            sex=sex,
            birth_place=place,
            address=address,
            region=region,
            phone=phone,
            nik=nik,
        )

    # -- the stream -----------------------------------------------------------------

    def stream(self, n: int, pairs: set[frozenset[str]] | None) -> Iterator[Record]:
        rng = self.rng
        emitted = 0
        sizes = [size for size, _ in _DUPLICATE_CLUSTER_SIZES]
        size_weights = [p for _, p in _DUPLICATE_CLUSTER_SIZES]
        twin, junior, namesake = (_HARD_NEGATIVES[k] for k in ("twin", "junior", "namesake"))
        while emitted < n:
            people = [self.person()]
            roll = rng.random()
            if roll < twin:
                people.append(self.twin(people[0]))
            elif roll < twin + junior:
                people.append(self.junior(people[0]))
            elif roll < twin + junior + namesake:
                people.append(self.namesake(people[0]))
            for p in people:
                if emitted >= n:
                    return
                rid = f"P{emitted:07d}"
                original = self.record(rid, p)
                emitted += 1
                yield original
                if rng.random() >= self.p_duplicated:
                    continue
                cluster = [rid]
                for _ in range(rng.choices(sizes, size_weights)[0]):
                    if emitted >= n:
                        break
                    rid = f"P{emitted:07d}"
                    emitted += 1
                    yield self.duplicate(rid, p, original)
                    cluster.append(rid)
                if pairs is not None:
                    for i, a in enumerate(cluster):
                        for b in cluster[i + 1 :]:
                            pairs.add(frozenset((a, b)))


def iter_generate(
    n: int,
    *,
    seed: int = 0,
    duplicate_rate: float = 0.1,
    pairs: set[frozenset[str]] | None = None,
) -> Iterator[Record]:
    """Yield `n` synthetic records; about `duplicate_rate` of them copy an earlier one.

    When `pairs` is given, the true duplicate pairs (frozensets of two ids, every pair
    within a group of copies of one person) are added to it as the records are made.
    The same seed always gives the same records.
    """
    return _Generator(seed, duplicate_rate).stream(n, pairs)


def generate(
    n: int, *, seed: int = 0, duplicate_rate: float = 0.1
) -> tuple[list[Record], set[frozenset[str]]]:
    """The records and the set of true duplicate pairs (see iter_generate)."""
    pairs: set[frozenset[str]] = set()
    records = list(iter_generate(n, seed=seed, duplicate_rate=duplicate_rate, pairs=pairs))
    return records, pairs


# --- the demo population -------------------------------------------------------------
# `garda demo` registers the records of garda/people/data/demo_population.csv, made
# here once so that the product does not carry the generator. Regenerate it with
#   python -c "import bench.synth as s; print(s.demo_population_csv(), end='')" \
#     > garda/people/data/demo_population.csv
DEMO_POPULATION = {"n": 200, "seed": 2026, "duplicate_rate": 0.08}
DEMO_COLUMNS = (
    "id",
    "full_name",
    "birth_date",
    "sex",
    "birth_place",
    "address",
    "region",
    "phone",
    "nik",
)


def demo_population_csv() -> str:
    """The demo population file's text: one line per record, blanks for missing values."""
    import csv
    import io

    records, _pairs = generate(**DEMO_POPULATION)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(DEMO_COLUMNS)
    for record in records:
        row = {name: getattr(record, name) for name in DEMO_COLUMNS}
        row["birth_date"] = record.birth_date.isoformat() if record.birth_date else ""
        row["sex"] = record.sex or ""
        writer.writerow(row[name] for name in DEMO_COLUMNS)
    return out.getvalue()
