"""Matching a person and a job order: the hard filters and the score (docs/matching.md).

Pure: no database. The services (services/matching.py) load an order's facts and a
person's facts in bulk and call these two functions for every pair:

- `hard_filters(order, person, today)`: what stops the person from being put forward
  for the order, each a `Missing` with a code and a sentence in the reader's
  language (and, where the engine knows it, the step that closes the gap). No item:
  the person is a candidate. The filters: registry status ready for placement, the
  order's sex and age band, readiness for the order's target (destination, scheme,
  sector) by the readiness engine, the language level and the certificates asked
  for, and no open protection block.
- `score(order, person)`: points out of 100 from skills (ISCO-08 codes),
  certificates, language, experience in the country and the occupation, training
  completed and the worker's own preferences, each a `Reason` with its points, so
  that the points of the reasons add up to the score. The weights are local policy
  in data/matching.toml.

Ranking is by score, ties by person (or order) id, so the order of a list is stable.
"""

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from garda import refdata

DATA = Path(__file__).resolve().parent / "data" / "matching.toml"

# Codes of the hard filters (a Missing's code).
STATUS = "status"
SEX = "sex"
AGE_MIN = "age_min"
AGE_MAX = "age_max"
READINESS = "readiness"
READINESS_UNCHECKED = "readiness_unchecked"
LANGUAGE = "language"
CERTIFICATE = "certificate"
PROTECTION = "protection_block"
# Filters a person cannot close by any step: never listed as a near miss.
FINAL = frozenset({SEX, AGE_MAX})

# The registry status that allows a placement (people.models.Status.READY): the
# officer marks a person ready once their preparation is done.
PLACEABLE_STATUS = "ready"
# Statuses a near miss may have: ready, or still in preparation.
NEAR_STATUSES = ("ready", "in_preparation")


@cache
def policy() -> dict:
    """data/matching.toml, read once."""
    return refdata.load(DATA)


@cache
def _weights() -> dict[str, float]:
    return {name: float(value) for name, value in policy()["weights"].items()}


def _w(name: str) -> float:
    return _weights()[name]


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """What matching reads of a job order."""

    id: int
    destination: str
    scheme: str
    sector: str
    occupation_code: str = ""
    destination_name: str = ""
    sector_name: str = ""
    occupation_title: str = ""
    sex: str = ""  # "F": only women, "M": only men, "": either
    min_age: int | None = None
    max_age: int | None = None
    required_language: str = ""
    required_language_scale: str = ""
    required_language_level: str = ""
    language_name: str = ""
    # (course id, title) of the courses whose certificate a candidate must hold
    required_courses: tuple = ()
    experience_months: int | None = None

    @property
    def target_key(self) -> str:
        """The readiness cache key (destinations.requirements.target_key)."""
        return f"{self.destination}:{self.scheme}:{self.sector}"


@dataclass(slots=True)
class PersonFacts:
    """What matching reads of a person (no name, no identity number)."""

    id: int
    status: str
    sex: str
    birth_date: date | None
    status_label: str = ""
    # ISCO-08 codes of the person's skills
    skills: tuple = ()
    # {(language, scale): index of the best level in LanguageSkill.LEVELS[scale]}
    languages: dict = field(default_factory=dict)
    # valid certificates: the courses they are of, the sectors those courses prepare
    # for, and whether the person holds any valid certificate at all
    certificate_courses: frozenset = frozenset()
    certificate_sectors: frozenset = frozenset()
    certified: bool = False
    # months of work by country code and by occupation code
    months_by_country: dict = field(default_factory=dict)
    months_by_occupation: dict = field(default_factory=dict)
    # completed courses: sectors and destination codes they prepare for
    trained: bool = False
    training_sectors: frozenset = frozenset()
    training_destinations: frozenset = frozenset()
    # {target_key: ready} from the readiness engine's cached answers
    readiness: dict = field(default_factory=dict)
    blocked: bool = False
    # the worker's own wishes; None: not stated
    preferred_destinations: frozenset | None = None
    preferred_sectors: frozenset | None = None


@dataclass(slots=True)
class Missing:
    """One hard filter the person does not pass, and how to close it."""

    code: str
    message: str
    # steps that close it: {"kind": "course" | "document" | "officer", "code", "title"}
    steps: list = field(default_factory=list)
    # a course id or document code the service resolves into steps
    key: str = ""

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "steps": list(self.steps)}


@dataclass(frozen=True, slots=True)
class Reason:
    """One component of the score, with its points."""

    code: str
    weight: float
    message: str

    def as_dict(self) -> dict:
        """The contract's keys (`code`, `weight`, `message`), and `max`: the most
        points the component gives (the pages show "12 of 30 points"; the API's
        schema leaves it out)."""
        return {
            "code": self.code,
            "weight": self.weight,
            "message": self.message,
            "max": _weights().get(self.code),
        }


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def level_index(scale: str, level: str) -> int:
    """The rank of `level` on `scale` (-1 when it is not one of its levels)."""
    from garda.people.models import LanguageSkill

    levels = LanguageSkill.LEVELS.get(scale, ())
    try:
        return levels.index(level)
    except ValueError:
        return -1


def hard_filters(
    order: OrderFacts, person: PersonFacts, today: date, *, age_grace_days: int = 0
) -> list[Missing]:
    """The hard filters `person` fails for `order` (module docstring); [] = a candidate.
    `age_grace_days`: a person at most this many days short of the minimum age gets
    an AGE_MIN item (a near miss); one further short gets it too, marked final."""
    missing: list[Missing] = []
    if person.blocked:
        missing.append(
            Missing(
                PROTECTION,
                _("An open protection case must be settled with an officer first."),
                [{"kind": "officer", "code": "", "title": _("Talk to an officer")}],
            )
        )
    if person.status != PLACEABLE_STATUS:
        missing.append(
            Missing(
                STATUS,
                _(
                    "The registry status is “%(status)s”: an officer marks a person ready "
                    "for placement once the preparation is done."
                )
                % {"status": person.status_label or person.status},
                [{"kind": "officer", "code": "", "title": _("Ask an officer to check")}],
            )
        )
    if order.sex and person.sex != order.sex:
        missing.append(
            Missing(
                SEX,
                _("This job is for women only.")
                if order.sex == "F"
                else _("This job is for men only."),
            )
        )
    if person.birth_date is not None and (order.min_age or order.max_age):
        age = age_on(person.birth_date, today)
        if order.min_age and age < order.min_age:
            reach = _add_years(person.birth_date, order.min_age)
            item = Missing(
                AGE_MIN,
                _("The minimum age is %(age)s, reached on %(day)s.")
                % {"age": order.min_age, "day": reach.strftime("%d-%m-%Y")},
            )
            if (reach - today).days > age_grace_days:
                item.code = AGE_MIN
                item.key = "final"
            missing.append(item)
        if order.max_age and age > order.max_age:
            missing.append(
                Missing(AGE_MAX, _("The maximum age is %(age)s.") % {"age": order.max_age})
            )
    ready = person.readiness.get(order.target_key)
    if ready is None:
        missing.append(
            Missing(
                READINESS_UNCHECKED,
                _(
                    "Readiness for %(destination)s has not been checked yet: choose it as "
                    "your plan to see which documents it needs."
                )
                % {"destination": order.destination_name or order.destination},
                [{"kind": "plan", "code": order.target_key, "title": _("Make it your plan")}],
            )
        )
    elif not ready:
        missing.append(
            Missing(
                READINESS,
                _("Not ready yet for %(destination)s: documents are still missing.")
                % {"destination": order.destination_name or order.destination},
                key=order.target_key,
            )
        )
    if order.required_language and order.required_language_scale:
        wanted = level_index(order.required_language_scale, order.required_language_level)
        held = person.languages.get((order.required_language, order.required_language_scale), -1)
        if held < wanted or held < 0:
            missing.append(
                Missing(
                    LANGUAGE,
                    _("%(language)s at level %(level)s (%(scale)s) or above is required.")
                    % {
                        "language": order.language_name or order.required_language,
                        "level": order.required_language_level,
                        "scale": order.required_language_scale.upper(),
                    },
                    key=order.required_language,
                )
            )
    for course_id, title in order.required_courses:
        if course_id not in person.certificate_courses:
            missing.append(
                Missing(
                    CERTIFICATE,
                    _("The certificate of “%(course)s” is required.") % {"course": title},
                    [{"kind": "course", "code": str(course_id), "title": title}],
                    key=str(course_id),
                )
            )
    return missing


def is_final(item: Missing) -> bool:
    """A filter no step can close (sex, maximum age, far from the minimum age)."""
    return item.code in FINAL or item.key == "final"


def fails_fast(order: OrderFacts, person: PersonFacts, today: date) -> bool:
    """Whether `person` fails any hard filter: hard_filters without the sentences (the
    ranking of many pairs)."""
    if person.blocked or person.status != PLACEABLE_STATUS:
        return True
    if order.sex and person.sex != order.sex:
        return True
    if person.birth_date is not None and (order.min_age or order.max_age):
        age = age_on(person.birth_date, today)
        if (order.min_age and age < order.min_age) or (order.max_age and age > order.max_age):
            return True
    if not person.readiness.get(order.target_key):
        return True
    if order.required_language and order.required_language_scale:
        wanted = level_index(order.required_language_scale, order.required_language_level)
        held = person.languages.get((order.required_language, order.required_language_scale), -1)
        if held < wanted or held < 0:
            return True
    return any(c not in person.certificate_courses for c, _t in order.required_courses)


def _skill_share(order_code: str, codes) -> tuple[float, str]:
    p = policy()["skills"]
    best, kind = 0.0, ""
    for code in codes:
        if not code or not order_code:
            continue
        if code[:4] == order_code[:4]:
            return float(p["exact"]), "exact"
        if code[:3] == order_code[:3] and best < p["minor_group"]:
            best, kind = float(p["minor_group"]), "minor_group"
        elif code[:2] == order_code[:2] and best < p["sub_major"]:
            best, kind = float(p["sub_major"]), "sub_major"
    return best, kind


def _pts(weight: float, share: float) -> float:
    return round(weight * share, 1)


def score(order: OrderFacts, person: PersonFacts, *, explain: bool = True):
    """(total, reasons): points out of 100 and, with `explain`, one Reason per
    component whose weights add up to the total (without it, reasons is [])."""
    reasons: list[Reason] = []
    total = 0.0

    # skills
    share, kind = _skill_share(order.occupation_code, person.skills)
    pts = _pts(_w("skills"), share)
    total += pts
    if explain:
        messages = {
            "exact": _("A skill in this occupation (%(code)s)"),
            "minor_group": _("A skill in a neighbouring occupation (group %(group)s)"),
            "sub_major": _("A skill in the same field of work (group %(group)s)"),
            "": _("No skill recorded in this occupation (%(code)s)"),
        }
        reasons.append(
            Reason(
                "skills",
                pts,
                messages[kind]
                % {
                    "code": order.occupation_code,
                    "group": order.occupation_code[:3]
                    if kind == "minor_group"
                    else order.occupation_code[:2],
                },
            )
        )

    # certificates
    c = policy()["certificates"]
    if order.required_courses:
        share = 1.0  # a candidate holds them all (a hard filter)
        held = sum(1 for cid, _t in order.required_courses if cid in person.certificate_courses)
        share = held / len(order.required_courses)
        kind = "required"
    elif order.sector in person.certificate_sectors:
        share, kind = float(c["fits_sector"]), "fits"
    elif person.certified:
        share, kind = float(c["other"]), "other"
    else:
        share, kind = 0.0, "none"
    pts = _pts(_w("certificates"), share)
    total += pts
    if explain:
        messages = {
            "required": _("Holds %(held)s of the %(n)s certificates asked for"),
            "fits": _("A valid certificate of a course for this sector"),
            "other": _("A valid certificate (of another field)"),
            "none": _("No valid certificate"),
        }
        n = len(order.required_courses)
        reasons.append(
            Reason(
                "certificates",
                pts,
                messages[kind] % {"held": round(share * n), "n": n}
                if kind == "required"
                else messages[kind],
            )
        )

    # language
    if order.required_language and order.required_language_scale:
        wanted = level_index(order.required_language_scale, order.required_language_level)
        held = person.languages.get((order.required_language, order.required_language_scale), -1)
        share = 1.0 if held >= wanted and held >= 0 else 0.0
        kind = "met" if share else "unmet"
    else:
        share, kind = 1.0, "none_asked"
    pts = _pts(_w("language"), share)
    total += pts
    if explain:
        words = {
            "met": _("%(language)s at the level asked for (%(level)s) or above"),
            "unmet": _("%(language)s below the level asked for (%(level)s)"),
            "none_asked": _("No language level asked for"),
        }
        reasons.append(
            Reason(
                "language",
                pts,
                words[kind]
                % {
                    "language": order.language_name or order.required_language,
                    "level": order.required_language_level,
                },
            )
        )

    # experience
    target = order.experience_months or int(policy()["experience"]["default_months"])
    in_country = person.months_by_country.get(order.destination, 0)
    pts = _pts(_w("experience_country"), min(1.0, in_country / target))
    total += pts
    if explain:
        reasons.append(
            Reason(
                "experience_country",
                pts,
                _("Worked %(months)s months in %(country)s")
                % {"months": in_country, "country": order.destination_name or order.destination},
            )
        )
    in_occupation = person.months_by_occupation.get(order.occupation_code, 0)
    pts = _pts(_w("experience_occupation"), min(1.0, in_occupation / target))
    total += pts
    if explain:
        reasons.append(
            Reason(
                "experience_occupation",
                pts,
                _("Worked %(months)s months in this occupation") % {"months": in_occupation},
            )
        )

    # training
    t = policy()["training"]
    if order.sector in person.training_sectors or order.destination in person.training_destinations:
        share, kind = float(t["fits"]), "fits"
    elif person.trained:
        share, kind = float(t["other"]), "other"
    else:
        share, kind = 0.0, "none"
    pts = _pts(_w("training"), share)
    total += pts
    if explain:
        words = {
            "fits": _("Completed a course that prepares for this job"),
            "other": _("Completed a course (of another field)"),
            "none": _("No course completed yet"),
        }
        reasons.append(Reason("training", pts, words[kind]))

    # preferences
    weight = _w("preferences")
    if person.preferred_destinations is None and person.preferred_sectors is None:
        pts = _pts(weight, float(policy()["preferences"]["unstated"]))
        kind = "unstated"
    else:
        share = 0.0
        if order.destination in (person.preferred_destinations or ()):
            share += 0.5
        if order.sector in (person.preferred_sectors or ()):
            share += 0.5
        pts = _pts(weight, share)
        kind = {0.0: "neither", 0.5: "one", 1.0: "both"}[share]
    total += pts
    if explain:
        words = {
            "unstated": _("The worker has not said where they want to work"),
            "neither": _("Neither the country nor the sector the worker asked for"),
            "one": _("The country or the sector the worker asked for"),
            "both": _("The country and the sector the worker asked for"),
        }
        reasons.append(Reason("preferences", pts, words[kind]))
    return round(total, 1), reasons
