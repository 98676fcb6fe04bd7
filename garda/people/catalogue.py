"""Occupations and languages by name: the reference lists in data/occupations.toml and
data/languages.toml (provenance in data/PROVENANCE.md), read once per process.

They are lookups, not tables: a skill or language keeps its code (ISCO-08/KBJI, ISO
639) as the API sends it, and any valid code is still accepted; these lists give the
names the pages offer and show. No model, hence no migration and no frozen copy.
"""

import gettext
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pycountry
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from garda import refdata

DATA = Path(__file__).resolve().parent / "data"


def _english() -> bool:
    return (get_language() or "id").startswith("en")


@dataclass(frozen=True)
class Occupation:
    code: str
    group: str
    title_id: str
    title_en: str
    keywords: tuple[str, ...] = field(default=())

    @property
    def title(self) -> str:
        return self.title_en if _english() else self.title_id

    def matches(self, words: list[str]) -> bool:
        """Every word typed begins a word of the titles or keywords ("rawat" does
        not find "perawat"; "las" finds "las", not "plastik")."""
        tokens = re.findall(
            r"\w+", " ".join((self.title_id, self.title_en, *self.keywords)).lower()
        )
        return all(any(token.startswith(word) for token in tokens) for word in words)


@dataclass(frozen=True)
class Group:
    code: str
    name_id: str
    name_en: str

    @property
    def name(self) -> str:
        return self.name_en if _english() else self.name_id


@cache
def _occupation_data() -> tuple[tuple[Group, ...], dict[str, Occupation]]:
    data = refdata.load(DATA / "occupations.toml")
    groups = tuple(Group(g["code"], g["name"], g["name_en"]) for g in data["groups"])
    occupations = {
        row["code"]: Occupation(
            code=row["code"],
            group=row["group"],
            title_id=row["title"],
            title_en=row["title_en"],
            keywords=tuple(row["keywords"]),
        )
        for row in data["occupations"]
    }
    return groups, occupations


def occupations() -> list[Occupation]:
    return list(_occupation_data()[1].values())


def occupation(code: str) -> Occupation | None:
    """The listed occupation of a 4-digit code, or of a KBJI 5–6 digit code's unit group."""
    return _occupation_data()[1].get((code or "")[:4])


def occupation_title(code: str) -> str:
    """The name to show for an occupation code: its title, or the code itself when
    the code is valid but not in the list."""
    found = occupation(code)
    return found.title if found else code


def occupation_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The menu: occupations by group, sorted by title in the user's language."""
    groups, listed = _occupation_data()
    return [
        (
            group.name,
            sorted(
                ((o.code, o.title) for o in listed.values() if o.group == group.code),
                key=lambda c: c[1],
            ),
        )
        for group in groups
    ]


def search_occupations(text: str) -> list[Occupation]:
    """Occupations whose titles or keywords hold every word of `text` (see matches)."""
    words = re.findall(r"\w+", text.lower())
    if not words:
        return []
    return sorted((o for o in occupations() if o.matches(words)), key=lambda o: o.title.lower())


@dataclass(frozen=True)
class Language:
    code: str
    name_id: str
    name_en: str

    @property
    def name(self) -> str:
        return self.name_en if _english() else self.name_id


@cache
def _languages() -> dict[str, Language]:
    rows = refdata.load(DATA / "languages.toml")["languages"]
    return {r["code"]: Language(r["code"], r["name"], r["name_en"]) for r in rows}


def languages() -> list[Language]:
    return list(_languages().values())


def language_choices() -> list[tuple[str, str]]:
    return [(lang.code, lang.name) for lang in languages()]


@cache
def _iso639_translation(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso639-3", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def language_name(code: str) -> str:
    """A language's name: from the list, else from pycountry's ISO 639 catalogue (in
    Indonesian where it has a translation), else the code."""
    code = (code or "").lower()
    listed = _languages().get(code)
    if listed:
        return listed.name
    found = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    found = found or pycountry.languages.get(alpha_3=code)
    if found is None:
        return code
    if _english():
        return found.name
    return _iso639_translation("id").gettext(found.name)


# --- language levels in words ------------------------------------------------------------
# What each level of each scale means, for the menu and the profile (models.LanguageSkill
# keeps the scale and the level as the test writes them). CEFR names after the Council
# of Europe's global scale; TOPIK 1-2 is TOPIK I, 3-6 TOPIK II; JLPT N5 is the easiest;
# JFT-Basic A2 is the pass mark the SSW visa asks for.
LEVEL_WORDS = {
    ("cefr", "A1"): _("A1 – beginner"),
    ("cefr", "A2"): _("A2 – elementary"),
    ("cefr", "B1"): _("B1 – intermediate"),
    ("cefr", "B2"): _("B2 – upper intermediate"),
    ("cefr", "C1"): _("C1 – advanced"),
    ("cefr", "C2"): _("C2 – proficient"),
    ("topik", "1"): _("Level 1 – beginner"),
    ("topik", "2"): _("Level 2 – elementary"),
    ("topik", "3"): _("Level 3 – intermediate"),
    ("topik", "4"): _("Level 4 – upper intermediate"),
    ("topik", "5"): _("Level 5 – advanced"),
    ("topik", "6"): _("Level 6 – proficient"),
    ("topik", "EPS-PASS"): _("Passed the EPS-TOPIK"),
    ("jlpt", "N5"): _("N5 – basic"),
    ("jlpt", "N4"): _("N4 – elementary"),
    ("jlpt", "N3"): _("N3 – intermediate"),
    ("jlpt", "N2"): _("N2 – upper intermediate"),
    ("jlpt", "N1"): _("N1 – advanced"),
    ("jft", "A1"): _("A1 – beginner"),
    ("jft", "A2"): _("A2 – passed (the level the SSW visa asks for)"),
    ("self", "basic"): _("Basic"),
    ("self", "conversational"): _("Intermediate (everyday conversation)"),
    ("self", "fluent"): _("Advanced (fluent)"),
}


def level_words(scale: str, level: str) -> str:
    """One level in words ("N4 – dasar"); an IELTS band is its number ("5.5")."""
    return str(LEVEL_WORDS.get((scale, level), level))
