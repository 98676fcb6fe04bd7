"""The readiness rules: what a person still needs for a placement, without a database.

`evaluate(inputs)` joins a person's facts and documents with a target (destination,
scheme, sector and the requirement set that applies to it) and answers:

- each required document's **state**:
  - ``met``: held, verified (or needing no verification), valid long enough;
  - ``missing``: not uploaded, or its level/score is below the required minimum
    (the detail says which: "N5 is below the required N4"; a result that does not
    qualify is, for the worker, a result still to get);
  - ``pending``: uploaded, waiting for an officer's verification;
  - ``rejected``: an officer rejected it (the reason is shown);
  - ``expired``: its expiry date passed, or it is older than its validity after
    issue (a medical result is valid 3 months after the examination);
  - ``expiring``: still valid today but not long enough: it lapses before the
    planned departure plus the minimum remaining validity (a passport must be valid
    18 months after departure), or, without a planned departure, within that
    minimum remaining validity from today;
- **blockers**, conditions no document can fix: a moratorium on the sector in the
  destination (Kepmenaker 260/2015: placement there can never be ready), age below
  the minimum (UU 18/2017 art. 5: at least 18 years old) or above the scheme's
  maximum, education, an unresolved NIK, an open duplicate record, the
  requirement set's further conditions (prior stay, experience, sex), and no
  requirement set at all;
- ``percent``: met requirements over all requirements (floored, so 100 means all
  met); a blocked person keeps their percentage but is never ``ready``;
- ``next_steps`` in the order a worker should act: blockers, then rejected (upload
  again), expired, missing, expiring, pending (wait) — each with the agency that
  handles it and what to bring.

UU 18/2017 art. 5 makes a worker eligible when at least 18 years old, competent,
physically and mentally healthy, enrolled in social security (BPJS
Ketenagakerjaan) and holding complete documents; art. 13 lists the documents
(marital-status letter, consent of spouse/parent/guardian acknowledged by the
village head, competency certificate, medical and psychological result, passport,
work visa, placement agreement, employment contract). Which of them a target
requires, at which level and validity, is data (RequirementSet); this module only
applies it.

Ages are measured on the planned departure (the day of placement), or today when
there is none. The moratorium is checked both today and on the planned departure.

A health result's requirement (RequirementFacts.is_health) and its next step carry
``health``: its detail (a rejection reason, a level) is health data, which
`redact_for` removes for readers who may not see it (docs/security.md, test 4). Results
are cached per person, for every reader, so redaction is done when showing them.

Pure and deterministic: the same inputs (and the same active language) give the
same result. Texts are produced here with gettext (English msgids) so they follow
the active language; no database access.
"""

import calendar
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.utils.dates import MONTHS
from django.utils.translation import get_language, gettext, gettext_noop

from garda.people.rules import age_on

# Translated texts by language, and the current evaluation's share of it. evaluate()
# asks for the same few dozen texts for every person, and a bulk run for a hundred
# thousand persons: asking gettext each time (which looks the active language up on
# every call) would cost more than the rules themselves.
_TRANSLATED: dict[str, dict[str, str]] = {}
_texts: ContextVar[dict[str, str] | None] = ContextVar("readiness_texts", default=None)


def _(message: str) -> str:
    """gettext, remembered for the language evaluate() started in."""
    cache = _texts.get()
    if cache is None:
        return gettext(message)
    text = cache.get(message)
    if text is None:
        text = cache[message] = gettext(message)
    return text


# States of a requirement, and the order their next steps come in.
MET = "met"
MISSING = "missing"
PENDING = "pending"
REJECTED = "rejected"
EXPIRED = "expired"
EXPIRING = "expiring"
STATES = (MET, MISSING, PENDING, REJECTED, EXPIRED, EXPIRING)
STEP_ORDER = (REJECTED, EXPIRED, MISSING, EXPIRING, PENDING)
# States where the worker has to go and get something (RequirementState.bring is set).
TO_FETCH = frozenset({REJECTED, EXPIRED, MISSING, EXPIRING})

# Blocker codes, in the order they are listed.
MORATORIUM = "moratorium"
NIK_UNRESOLVED = "nik_unresolved"
OPEN_DUPLICATE = "open_duplicate"
UNDER_AGE = "under_age"
OVER_AGE = "over_age"
EDUCATION = "education"
SEX = "sex"
PRIOR_STAY = "prior_stay"
EXPERIENCE = "experience"
NO_REQUIREMENT_SET = "no_requirement_set"
BLOCKER_ORDER = (
    MORATORIUM,
    NIK_UNRESOLVED,
    OPEN_DUPLICATE,
    UNDER_AGE,
    OVER_AGE,
    EDUCATION,
    SEX,
    PRIOR_STAY,
    EXPERIENCE,
    NO_REQUIREMENT_SET,
)
# Warnings: shown, never blocking. A restricted sector is open under conditions
# (e.g. only some occupations or channels): the officer checks them.
SECTOR_RESTRICTED = "sector_restricted"
CONDITION_UNKNOWN = "condition_unknown"

# UU 18/2017 art. 5: a migrant worker is at least 18 years old.
PLACEMENT_MIN_AGE = 18

# people.Education in ascending order; SMA and SMK are the same level.
EDUCATION_RANK = {
    "none": 0,
    "sd": 1,
    "smp": 2,
    "sma": 3,
    "smk": 3,
    "d1": 4,
    "d2": 5,
    "d3": 6,
    "d4": 7,
    "s1": 8,
    "s2": 9,
    "s3": 10,
}

DAYS_PER_YEAR = 365.25


# --- inputs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Experience:
    country: str  # ISO alpha-2
    start: date
    end: date | None = None  # None: still working there


@dataclass(frozen=True)
class PersonFacts:
    birth_date: date
    sex: str  # "M" or "F"
    education: str = ""  # people.Education code; "" when not recorded
    # False when the declared birth date or sex differs from the NIK and no officer
    # has checked the identity documents yet.
    nik_resolved: bool = True
    open_duplicate: bool = False
    experience: tuple[Experience, ...] = ()


@dataclass(slots=True)
class DocumentFacts:
    """The person's latest document of one type (replaced uploads left out)."""

    status: str  # "pending", "verified" or "rejected"
    issued_on: date | None = None
    expires_on: date | None = None
    level: str = ""
    id: int | None = None
    rejection_reason: str = ""


@dataclass(frozen=True)
class RequirementFacts:
    code: str  # the document type's code (one requirement per type in a set)
    name: str
    levels: tuple[str, ...] = ()  # ascending, for graded certificates
    is_scored: bool = False  # numeric score (min_level is a number)
    validity_months: int | None = None  # valid this long after issue
    min_remaining_months: int | None = None  # still valid this long after departure
    min_level: str = ""
    issuer: str = ""  # the agency, in words a worker understands
    where_to_get: str = ""  # where to get it and what to bring
    note: str = ""
    # A health result (DocumentType.is_health): its detail (rejection reason, level)
    # is health data, which redact_for() hides from readers who may not see it.
    is_health: bool = False
    # Requirement.alternative_group: requirements of a set sharing it are alternatives
    # (any one met is enough); None: required on its own.
    alternative_group: int | None = None


@dataclass(frozen=True)
class RequirementSetFacts:
    id: int | None
    code: str = ""
    min_age: int | None = None
    max_age: int | None = None
    min_education: str = ""
    conditions: tuple[Mapping, ...] = ()
    requirements: tuple[RequirementFacts, ...] = ()


@dataclass(frozen=True)
class SectorStatus:
    """A SectorRule: the status of the sector in the destination from a date."""

    status: str = "open"  # open, restricted, moratorium
    legal_basis: str = ""
    note: str = ""
    effective_from: date | None = None  # None: since ever
    effective_to: date | None = None  # exclusive; None: until changed


@dataclass(frozen=True)
class TargetFacts:
    key: str  # "KR:g2g-kr-eps:manufacturing"
    today: date
    destination_name: str = ""
    destination_code: str = ""
    sector_name: str = ""
    destination_min_age: int | None = None
    sector_rules: tuple[SectorStatus, ...] = ()
    requirement_set: RequirementSetFacts | None = None
    planned_departure: date | None = None


@dataclass(frozen=True)
class Inputs:
    person: PersonFacts
    documents: Mapping[str, DocumentFacts]  # by document type code
    target: TargetFacts


# --- outputs --------------------------------------------------------------------------


@dataclass(slots=True)
class Blocker:
    code: str
    message: str


@dataclass(slots=True)
class RequirementState:
    code: str
    name: str
    state: str
    detail: str = ""
    document_id: int | None = None
    agency: str = ""
    bring: str = ""
    health: bool = False  # a health result (RequirementFacts.is_health)
    alternative_group: int | None = None  # RequirementFacts.alternative_group
    # Another requirement of its group is met, so this one is not needed (its own
    # state is kept, to show the options).
    satisfied_by_alternative: bool = False


@dataclass(slots=True)
class Step:
    text: str
    agency: str = ""
    bring: str = ""
    requirement_code: str | None = None
    code: str = ""  # the blocker code or the requirement state this step resolves
    health: bool = False  # resolves a health result's requirement
    # What `text` adds after its first sentence (an officer's rejection reason, the
    # requirement's note), kept apart so that an officer's wording can carry it too.
    detail: str = ""


@dataclass(frozen=True)
class Result:
    ready: bool
    percent: int
    blockers: tuple[Blocker, ...]
    requirements: tuple[RequirementState, ...]
    next_steps: tuple[Step, ...]
    target_key: str
    requirement_set_id: int | None
    computed_for: date
    warnings: tuple[Blocker, ...] = ()
    planned_departure: date | None = None
    language: str = ""

    def counts(self) -> dict[str, int]:
        """Requirements per state, every state present (each alternative of a group
        counted with its own state)."""
        counts = dict.fromkeys(STATES, 0)
        for requirement in self.requirements:
            counts[requirement.state] += 1
        return counts

    def to_dict(self) -> dict:
        """The API's shape: {"ready", "percent", "blockers": [{"code", "message"}],
        "requirements": [{"code", "name", "state", ...}], "next_steps": [{"text",
        "agency", ...}], ...}; also what the cache stores (with from_dict)."""
        return {
            "ready": self.ready,
            "percent": self.percent,
            "blockers": [{"code": b.code, "message": b.message} for b in self.blockers],
            "requirements": [_requirement_dict(r) for r in self.requirements],
            "next_steps": [
                {
                    "text": s.text,
                    "agency": s.agency,
                    "bring": s.bring,
                    "requirement_code": s.requirement_code,
                    "code": s.code,
                    "health": s.health,
                    **({"detail": s.detail} if s.detail else {}),
                }
                for s in self.next_steps
            ],
            "warnings": [{"code": w.code, "message": w.message} for w in self.warnings],
            "target": self.target_key,
            "requirement_set_id": self.requirement_set_id,
            "computed_for": self.computed_for.isoformat(),
            "planned_departure": (
                self.planned_departure.isoformat() if self.planned_departure else None
            ),
            "language": self.language,
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> "Result":
        """The inverse of to_dict; a requirement without "bring" (the cache leaves it
        out) takes it from its next step, which carries the same text."""
        departure = data.get("planned_departure")
        bring = {s.get("requirement_code"): s.get("bring", "") for s in data["next_steps"]}
        return cls(
            ready=bool(data["ready"]),
            percent=int(data["percent"]),
            blockers=tuple(Blocker(b["code"], b["message"]) for b in data["blockers"]),
            requirements=tuple(
                RequirementState(
                    code=r["code"],
                    name=r["name"],
                    state=r["state"],
                    detail=r.get("detail", ""),
                    document_id=r.get("document_id"),
                    agency=r.get("agency", ""),
                    bring=r["bring"] if "bring" in r else bring.get(r["code"], ""),
                    health=bool(r.get("health", False)),
                    alternative_group=r.get("alternative_group"),
                    satisfied_by_alternative=bool(r.get("satisfied_by_alternative", False)),
                )
                for r in data["requirements"]
            ),
            next_steps=tuple(
                Step(
                    text=s["text"],
                    agency=s.get("agency", ""),
                    bring=s.get("bring", ""),
                    requirement_code=s.get("requirement_code"),
                    code=s.get("code", ""),
                    health=bool(s.get("health", False)),
                    detail=s.get("detail", ""),
                )
                for s in data["next_steps"]
            ),
            target_key=data["target"],
            requirement_set_id=data.get("requirement_set_id"),
            computed_for=date.fromisoformat(data["computed_for"]),
            warnings=tuple(Blocker(w["code"], w["message"]) for w in data.get("warnings", ())),
            planned_departure=date.fromisoformat(departure) if departure else None,
            language=data.get("language", ""),
        )


def _requirement_dict(r: RequirementState) -> dict:
    """One requirement in the API's shape; the alternative keys ("alternative_group",
    "satisfied_by_alternative") only on members of a group of alternatives."""
    row = {
        "code": r.code,
        "name": r.name,
        "state": r.state,
        "detail": r.detail,
        "document_id": r.document_id,
        "agency": r.agency,
        "bring": r.bring,
        "health": r.health,
    }
    if r.alternative_group is not None:
        row["alternative_group"] = r.alternative_group
        row["satisfied_by_alternative"] = r.satisfied_by_alternative
    return row


# --- health data ----------------------------------------------------------------------


def health_step_text(name: str) -> str:
    """The next step of a health result for a reader who may not see health data: no
    rejection reason, no level, only where to ask."""
    return _(
        "%(name)s: a health result; the accompanying officer or the health desk has the details."
    ) % {"name": name}


def redact_for(result: Result, sees_health: bool) -> Result:
    """`result` as a reader sees it: unchanged for those who may see the person's
    health data (documents.access.may_see_health); for anyone else each health
    result's requirement keeps its state but loses its detail (a rejection reason, a
    level shortfall) and its document id, and its next step says only where to ask.

    The cache holds one answer per person, shared by every reader, so the answer is
    redacted here, when it is shown (the API, the pages, the PDF, the worklist)."""
    if sees_health:
        return result
    health = {r.code for r in result.requirements if r.health}
    if not health and not any(s.health for s in result.next_steps):
        return result
    names = {r.code: r.name for r in result.requirements}
    requirements = tuple(
        replace(r, detail="", document_id=None) if r.code in health else r
        for r in result.requirements
    )
    steps = tuple(
        replace(
            s,
            text=health_step_text(names.get(s.requirement_code or "") or s.requirement_code or ""),
            detail="",
            health=True,
        )
        if s.health or (s.requirement_code is not None and s.requirement_code in health)
        else s
        for s in result.next_steps
    )
    return replace(result, requirements=requirements, next_steps=steps)


# --- the same steps, said to an officer ---------------------------------------------

# What an officer does about each state: the person acts, the officer asks them to,
# except for a document waiting for verification, which the officer checks.
_STAFF_STEPS = {
    REJECTED: gettext_noop("Ask %(person)s to upload the %(name)s again, fixing what was noted."),
    EXPIRED: gettext_noop(
        "Ask %(person)s to get a new %(name)s: the one on record is no longer valid."
    ),
    MISSING: gettext_noop("Ask %(person)s to get the %(name)s and upload it."),
    EXPIRING: gettext_noop("Ask %(person)s to renew the %(name)s before departure."),
    PENDING: gettext_noop(
        "Check the %(name)s of %(person)s against the original, then verify or reject it."
    ),
    MORATORIUM: gettext_noop(
        "Choose another destination or sector with %(person)s: this placement is closed "
        "(moratorium)."
    ),
    NIK_UNRESOLVED: gettext_noop(
        "Check the KTP, KK and birth certificate of %(person)s against the NIK, then "
        "verify the identity."
    ),
    OPEN_DUPLICATE: gettext_noop("Review the possible duplicate record of %(person)s."),
    EDUCATION: gettext_noop(
        "Record the last education of %(person)s on the profile and see the diploma."
    ),
    EXPERIENCE: gettext_noop("Record the work experience of %(person)s on the profile."),
}


def staff_step_text(
    *,
    code: str,
    person: str,
    name: str = "",
    message: str = "",
    fallback: str = "",
    detail: str = "",
) -> str:
    """A next step as an officer reads it, about `person` (the worker's own words,
    "Upload your KTP again", are for the worker): `code` is the step's state or
    blocker code, `name` the requirement's name, `detail` what the step adds (a
    rejection reason, the requirement's note), `message` the blocker's message
    (already neutral: "The minimum age is 18 years; …") for the blockers that have
    no officer action of their own; `fallback` when neither applies."""
    template = _STAFF_STEPS.get(code)
    if template is not None and (name or code not in STATES):
        text = gettext(template) % {"person": person, "name": name}
        return f"{text} {detail}" if detail else text
    return message or fallback


def staff_step(
    step: Step | Mapping, *, person: str, names: Mapping[str, str], messages: Mapping[str, str]
) -> str:
    """staff_step_text for one step of a result (a Step, or its dict in the cache):
    `names` are the requirements' names by code, `messages` the blockers' by code.
    The person's readiness page (for_staff) and the worklist both say it this way."""
    get = step.get if isinstance(step, Mapping) else lambda key, default=None: getattr(step, key)
    code = get("code", "") or ""
    return staff_step_text(
        code=code,
        person=person,
        name=names.get(get("requirement_code", None) or "", ""),
        message=messages.get(code, ""),
        fallback=get("text", ""),
        detail=get("detail", "") or "",
    )


def for_staff(result: Result, person: str) -> Result:
    """`result` with its next steps said to an officer about `person`; apply before
    redact_for, which then replaces a health result's step by its generic text."""
    names = {r.code: r.name for r in result.requirements}
    messages = {b.code: b.message for b in result.blockers}
    steps = tuple(
        replace(s, text=staff_step(s, person=person, names=names, messages=messages))
        for s in result.next_steps
    )
    return replace(result, next_steps=steps)


# --- helpers --------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb),
    and to the calendar's ends (date.max, date.min) rather than overflowing: a date
    far in the future (a planned departure in year 9999) must not crash the rules."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if year > date.max.year:
        return date.max
    if year < date.min.year:
        return date.min
    if day.day <= 28:  # every month has it (the common case, without the calendar)
        return date(year, month, day.day)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def birthday(birth_date: date, years: int) -> date:
    """The day someone born on `birth_date` turns `years` (29 Feb -> 1 Mar), at most
    date.max."""
    year = birth_date.year + years
    if year > date.max.year:
        return date.max
    try:
        return birth_date.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def _minus_days(day: date, days: int) -> date:
    """`day` less `days` days, at least date.min."""
    try:
        return day - timedelta(days=days)
    except OverflowError:
        return date.min


def sector_rule_on(rules: Iterable[SectorStatus], day: date) -> SectorStatus | None:
    """The rule in force on `day`: the latest effective_from on or before it whose
    effective_to (exclusive) is after it; None means open."""
    best = None
    for rule in rules:
        if rule.effective_from is not None and rule.effective_from > day:
            continue
        if rule.effective_to is not None and rule.effective_to <= day:
            continue
        if best is None or (rule.effective_from or date.min) > (best.effective_from or date.min):
            best = rule
    return best


def worked_days(experience: Iterable[Experience], today: date, country: str | None = None) -> int:
    """Days worked (in `country`, or anywhere), overlapping periods counted once."""
    spans = sorted(
        (e.start, min(e.end or today, today))
        for e in experience
        if (country is None or e.country == country) and e.start <= today
    )
    total, current_start, current_end = 0, None, None
    for start, end in spans:
        if current_end is not None and (start - current_end).days <= 1:
            current_end = max(current_end, end)
            continue
        if current_end is not None:
            total += (current_end - current_start).days + 1
        current_start, current_end = start, end
    if current_end is not None:
        total += (current_end - current_start).days + 1
    return total


def _day(value: date) -> str:
    """The date as "1 June 2026" / "1 Juni 2026" (Django's "j F Y", without its
    general-purpose formatter)."""
    key = f"\0month{value.month}"
    cache = _texts.get()
    month = cache.get(key) if cache is not None else None
    if month is None:
        month = str(MONTHS[value.month])
        if cache is not None:
            cache[key] = month
    return f"{value.day} {month} {value.year}"


def _education_label(code: str) -> str:
    if code == "none":
        return _("no formal schooling")
    return code.upper()


def level_shortfall(requirement: RequirementFacts, level: str) -> str | None:
    """Why `level` does not reach requirement.min_level (a sentence), or None."""
    minimum = requirement.min_level.strip()
    if not minimum:
        return None
    level = (level or "").strip()
    if not level:
        return _("The level or score is not recorded; at least %(min)s is required.") % {
            "min": minimum
        }
    if requirement.is_scored or not requirement.levels:
        try:
            enough = float(level.replace(",", ".")) >= float(minimum.replace(",", "."))
        except ValueError:
            return _("The score %(level)s cannot be read; at least %(min)s is required.") % {
                "level": level,
                "min": minimum,
            }
        if enough:
            return None
        return _("The score %(level)s is below the required %(min)s.") % {
            "level": level,
            "min": minimum,
        }
    ranks = {lv.casefold(): i for i, lv in enumerate(requirement.levels)}
    have, need = ranks.get(level.casefold()), ranks.get(minimum.casefold())
    if have is None or need is None:
        return _("The level %(level)s is not one of %(levels)s; at least %(min)s is required.") % {
            "level": level,
            "levels": ", ".join(requirement.levels),
            "min": minimum,
        }
    if have >= need:
        return None
    return _("The level %(level)s is below the required %(min)s.") % {
        "level": level,
        "min": minimum,
    }


# --- the engine -----------------------------------------------------------------------


def evaluate(inputs: Inputs) -> Result:
    """The readiness of `inputs.person` for `inputs.target` (see the module docstring)."""
    return Result.from_dict(evaluate_data(inputs))


def evaluate_data(inputs: Inputs) -> dict:
    """evaluate() as Result.to_dict() gives it, built directly: the bulk recompute
    stores this shape, and skipping the dataclasses makes it a good deal faster."""
    language = get_language() or ""
    token = _texts.set(_TRANSLATED.setdefault(language, {}))
    try:
        return _evaluate(inputs, language)
    finally:
        _texts.reset(token)


def _evaluate(inputs: Inputs, language: str) -> dict:
    person, target = inputs.person, inputs.target
    today = target.today
    departure = target.planned_departure
    # The day the rules must hold: the placement itself (never a day in the past).
    on = max(departure, today) if departure else today
    rset = target.requirement_set

    blockers: dict[str, dict] = {}
    blocker_steps: dict[str, dict] = {}
    warnings: list[dict] = []

    def block(code: str, message: str, step: str, agency: str, bring: str = "") -> None:
        blockers[code] = {"code": code, "message": message}
        blocker_steps[code] = {
            "text": step,
            "agency": agency,
            "bring": bring,
            "requirement_code": None,
            "code": code,
            "health": False,
        }

    officer = _("Pasukan Putih officer (accompaniment desk)")

    # Moratorium, today or on the planned departure (Kepmenaker 260/2015 and the like).
    rules_now = [sector_rule_on(target.sector_rules, today)]
    if on != today:
        rules_now.append(sector_rule_on(target.sector_rules, on))
    closed = next((r for r in rules_now if r is not None and r.status == "moratorium"), None)
    if closed is not None:
        message = _(
            'Placement for "%(sector)s" in %(destination)s is closed (moratorium) under %(basis)s.'
        ) % {
            "sector": target.sector_name or target.key,
            "destination": target.destination_name or target.destination_code,
            "basis": closed.legal_basis or _("a government decree"),
        }
        if closed.note:
            message = f"{message} {closed.note}"
        block(
            MORATORIUM,
            message,
            _(
                "This placement cannot go ahead while the moratorium lasts: choose another "
                "destination or sector with your officer. If anyone offers you this job, "
                "report it: it would be a non-procedural placement."
            ),
            _("Pasukan Putih officer or BP3MI DKI Jakarta"),
        )
    else:
        restricted = next(
            (r for r in rules_now if r is not None and r.status == "restricted"), None
        )
        if restricted is not None:
            message = _(
                'Placement for "%(sector)s" in %(destination)s is restricted under '
                "%(basis)s: an officer checks the conditions."
            ) % {
                "sector": target.sector_name or target.key,
                "destination": target.destination_name or target.destination_code,
                "basis": restricted.legal_basis or _("a government decree"),
            }
            if restricted.note:
                message = f"{message} {restricted.note}"
            warnings.append({"code": SECTOR_RESTRICTED, "message": message})

    if not person.nik_resolved:
        block(
            NIK_UNRESOLVED,
            _(
                "The birth date or sex recorded differs from the NIK, and an officer has "
                "not yet checked the identity documents."
            ),
            _(
                "Bring your KTP, KK and birth certificate to your officer to check your "
                "identity; if the KTP itself is wrong, have it corrected at Disdukcapil first."
            ),
            officer,
            _("KTP, KK and birth certificate (originals)"),
        )
    if person.open_duplicate:
        block(
            OPEN_DUPLICATE,
            _("This record may be a duplicate of another one; an officer must review it first."),
            _("Ask your officer to review the possible duplicate record."),
            officer,
            _("KTP (original)"),
        )

    # Age (UU 18/2017 art. 5: at least 18), measured on the day of placement.
    age = age_on(person.birth_date, on)
    min_age = max(
        PLACEMENT_MIN_AGE,
        target.destination_min_age or 0,
        (rset.min_age if rset else None) or 0,
    )
    if age < min_age:
        when = birthday(person.birth_date, min_age)
        if departure:
            message = _(
                "The minimum age is %(min)s years; on the planned departure (%(day)s) the "
                "age will be %(age)s."
            ) % {"min": min_age, "day": _day(on), "age": age}
        else:
            message = _("The minimum age is %(min)s years; the age today is %(age)s.") % {
                "min": min_age,
                "age": age,
            }
        block(
            UNDER_AGE,
            message,
            _(
                "You can take training now; placement is possible from %(day)s, when you "
                "turn %(min)s."
            )
            % {"day": _day(when), "min": min_age},
            officer,
        )
    if rset and rset.max_age is not None and age > rset.max_age:
        if departure:
            message = _(
                "This scheme accepts workers up to %(max)s years old; on the planned "
                "departure (%(day)s) the age will be %(age)s."
            ) % {"max": rset.max_age, "day": _day(on), "age": age}
        else:
            message = _(
                "This scheme accepts workers up to %(max)s years old; the age today is %(age)s."
            ) % {"max": rset.max_age, "age": age}
        block(
            OVER_AGE,
            message,
            _("Ask your officer about schemes and destinations without this age limit."),
            officer,
        )

    if rset and rset.min_education:
        need = EDUCATION_RANK.get(rset.min_education, 0)
        have = EDUCATION_RANK.get(person.education)
        if have is None:
            block(
                EDUCATION,
                _("At least %(level)s education is required; no education is recorded.")
                % {"level": _education_label(rset.min_education)},
                _("Record your highest education in your profile and show your diploma."),
                officer,
                _("Diploma (ijazah) of your highest education"),
            )
        elif have < need:
            block(
                EDUCATION,
                _("At least %(level)s education is required; the education recorded is %(yours)s.")
                % {
                    "level": _education_label(rset.min_education),
                    "yours": _education_label(person.education),
                },
                _(
                    "If you have a higher diploma, have it recorded by your officer; "
                    "otherwise ask about another scheme or an equivalency programme (Paket)."
                ),
                officer,
                _("Diploma (ijazah) of your highest education"),
            )

    if rset:
        for condition in rset.conditions:
            _check_condition(condition, person, target, today, block, warnings, officer)
    else:
        block(
            NO_REQUIREMENT_SET,
            _("No requirements are recorded yet for this destination, scheme and sector."),
            _("Ask your officer which requirements apply to this placement."),
            officer,
        )

    documents = inputs.documents
    states = (
        [
            (req, doc, *_state_of(req, doc, today, departure))
            for req in rset.requirements
            for doc in (documents.get(req.code),)
        ]
        if rset
        else []
    )
    # Units: a requirement on its own, or a group of alternatives counted once: met
    # when any member is met, otherwise in its members' best state (GROUP_RANK).
    members_of: list[list[tuple]] = []
    groups: dict[int, list[tuple]] = {}
    for entry in states:
        group = entry[0].alternative_group
        if group is None:
            members_of.append([entry])
        elif group in groups:
            groups[group].append(entry)
        else:
            groups[group] = [entry]
            members_of.append(groups[group])
    units = [(_group_state(members), members) for members in members_of]
    satisfied = {
        id(entry)
        for state, members in units
        if state == MET
        for entry in members
        if entry[2] != MET
    }
    requirements = []
    for entry in states:
        req, doc, state, detail = entry
        row = {
            "code": req.code,
            "name": req.name,
            "state": state,
            "detail": detail,
            "document_id": doc.id if _held(doc) else None,
            "agency": req.issuer,
            "bring": req.where_to_get if state in TO_FETCH and id(entry) not in satisfied else "",
            "health": req.is_health,
        }
        if req.alternative_group is not None:  # extra keys only on alternatives
            row["alternative_group"] = req.alternative_group
            row["satisfied_by_alternative"] = id(entry) in satisfied
        requirements.append(row)
    met = sum(state == MET for state, _m in units)
    if rset is None:
        percent = 0
    elif not units:
        percent = 100
    else:
        percent = met * 100 // len(units)

    steps = [blocker_steps[code] for code in BLOCKER_ORDER if code in blocker_steps]
    for wanted in STEP_ORDER:
        for state, members in units:
            if state != wanted:
                continue
            if len(members) == 1:
                req, doc, _s, detail = members[0]
                steps.append(_step(req, state, detail, officer, held=_held(doc)))
            else:
                steps.append(_group_step(members, state, officer))

    ordered_blockers = [blockers[code] for code in BLOCKER_ORDER if code in blockers]
    return {
        "ready": not ordered_blockers and met == len(units) and rset is not None,
        "percent": percent,
        "blockers": ordered_blockers,
        "requirements": requirements,
        "next_steps": steps,
        "warnings": warnings,
        "target": target.key,
        "requirement_set_id": rset.id if rset else None,
        "computed_for": today.isoformat(),
        "planned_departure": departure.isoformat() if departure else None,
        "language": language,
    }


def _check_condition(condition, person, target, today, block, warnings, officer) -> None:
    """One entry of RequirementSet.conditions (the vocabulary in the module docstring
    of garda/destinations/models.py): a failed condition is a blocker; an unknown
    kind is a warning (it is data an administrator can fix, not a reason to refuse)."""
    kind = condition.get("kind") if isinstance(condition, Mapping) else None
    try:
        if kind == "max_prior_stay_years":
            country = str(condition["country"])
            years = float(condition["years"])
            days = worked_days(person.experience, today, country)
            if days >= years * DAYS_PER_YEAR:
                name = target.destination_name if country == target.destination_code else country
                block(
                    PRIOR_STAY,
                    _(
                        "This scheme does not accept workers who already stayed %(years)s "
                        "years or more in %(country)s; %(months)s months are recorded."
                    )
                    % {"years": _number(years), "country": name, "months": int(days // 30.4375)},
                    _(
                        "Ask your officer about other schemes; if your recorded work "
                        "history is wrong, have it corrected."
                    ),
                    officer,
                    _("Passport with your previous visas"),
                )
            return
        if kind == "min_experience_years":
            years = float(condition["years"])
            days = worked_days(person.experience, today)
            if days < years * DAYS_PER_YEAR:
                block(
                    EXPERIENCE,
                    _(
                        "This scheme requires at least %(years)s years of work experience; "
                        "%(months)s months are recorded."
                    )
                    % {"years": _number(years), "months": int(days // 30.4375)},
                    _(
                        "Add your work experience to your profile and show letters from "
                        "your employers."
                    ),
                    officer,
                    _("Work experience letters (surat keterangan kerja)"),
                )
            return
        if kind == "sex":
            value = str(condition["value"])
            if person.sex != value:
                block(
                    SEX,
                    _("This placement is for women only.")
                    if value == "F"
                    else _("This placement is for men only."),
                    _("Ask your officer about other placements."),
                    officer,
                )
            return
    except (KeyError, TypeError, ValueError):
        pass
    warnings.append(
        {
            "code": CONDITION_UNKNOWN,
            "message": _("A condition of this requirement set could not be checked (%(kind)s).")
            % {"kind": kind or "?"},
        }
    )


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _state_of(
    req: RequirementFacts, doc: DocumentFacts | None, today: date, departure: date | None
) -> tuple[str, str]:
    """(state, detail) of one requirement; the checks in the module docstring's order."""
    if not _held(doc):
        return MISSING, _("Not uploaded yet.")
    if doc.status == "rejected":
        if doc.rejection_reason:
            return REJECTED, _("Rejected by an officer: %(reason)s") % {
                "reason": doc.rejection_reason
            }
        return REJECTED, _("Rejected by an officer.")
    if req.min_level:
        shortfall = level_shortfall(req, doc.level)
        if shortfall:
            return MISSING, shortfall

    # The last day the document is valid: its expiry date, or its issue date plus
    # the validity after issue, whichever comes first.
    valid_until = doc.expires_on
    if req.validity_months and doc.issued_on:
        lapse = _minus_days(add_months(doc.issued_on, req.validity_months), 1)
        valid_until = lapse if valid_until is None else min(valid_until, lapse)
    if valid_until is not None:
        if valid_until < today:
            return EXPIRED, _("Expired on %(day)s.") % {"day": _day(valid_until)}
        start = max(departure, today) if departure else today
        needed = add_months(start, req.min_remaining_months or 0)
        if valid_until < needed:
            if departure and req.min_remaining_months:
                detail = _(
                    "Valid until %(until)s, but it must still be valid %(months)s months "
                    "after departure (until %(needed)s)."
                ) % {
                    "until": _day(valid_until),
                    "months": req.min_remaining_months,
                    "needed": _day(needed),
                }
            elif departure:
                detail = _("Valid until %(until)s, before the planned departure on %(day)s.") % {
                    "until": _day(valid_until),
                    "day": _day(departure),
                }
            else:
                detail = _(
                    "Valid until %(until)s; it must have at least %(months)s months of "
                    "validity left at departure."
                ) % {"until": _day(valid_until), "months": req.min_remaining_months}
            return EXPIRING, detail
    if doc.status == "pending":
        return PENDING, _("Uploaded; waiting for an officer to verify it.")
    if valid_until is not None:
        return MET, _("Valid until %(until)s.") % {"until": _day(valid_until)}
    return MET, _("Verified.")


HELD = frozenset({"pending", "verified", "rejected"})

# The state of an unmet group of alternatives: its members' best, the one closest to
# met: pending (only an officer's check is left), expiring (valid today, to renew),
# rejected (held, to upload again), expired (held once), missing.
GROUP_RANK = (MET, PENDING, EXPIRING, REJECTED, EXPIRED, MISSING)


def _group_state(members: list[tuple]) -> str:
    return min((entry[2] for entry in members), key=GROUP_RANK.index)


def _group_step(members: list[tuple], state: str, officer: str) -> dict:
    """One next step for an unmet group of alternatives. Pending or expiring: the step
    of that member (wait, renew); otherwise "get one of", naming each option with its
    minimum and adding why a held one does not count. Agency and "what to bring" are
    the first member's."""
    best = next(entry for entry in members if entry[2] == state)
    if state in (PENDING, EXPIRING):
        req, doc, _s, detail = best
        return _step(req, state, detail, officer, held=_held(doc))
    options = [
        _("%(name)s, at least %(min)s") % {"name": req.name, "min": req.min_level}
        if req.min_level
        else req.name
        for req, _d, _s, _t in members
    ]
    text = _("Get one of: %(options)s; then upload it.") % {
        "options": _("%(first)s, or %(last)s")
        % {"first": ", ".join(options[:-1]), "last": options[-1]}
    }
    for req, doc, _s, detail in members:
        if _held(doc) and detail:
            text = f"{text} {req.name}: {detail}"
            if not detail.endswith((".", "!", "?")):
                text = f"{text}."
    first = members[0][0]
    return {
        "text": text,
        "agency": first.issuer,
        "bring": first.where_to_get,
        "requirement_code": first.code,
        "code": state,
        "health": any(entry[0].is_health for entry in members),
    }


def _held(doc: DocumentFacts | None) -> bool:
    return doc is not None and doc.status in HELD


def _step(req: RequirementFacts, state: str, detail: str, officer: str, *, held: bool) -> dict:
    values = {"name": req.name}
    if state == REJECTED:
        text = _("Upload your %(name)s again, fixing what the officer noted.") % values
    elif state == EXPIRED:
        text = _("Get a new %(name)s: the one you have is no longer valid.") % values
    elif state == MISSING and req.min_level:
        text = _("Get your %(name)s (at least %(min)s) and upload it.") % {
            **values,
            "min": req.min_level,
        }
    elif state == MISSING:
        text = _("Get your %(name)s and upload it.") % values
    elif state == EXPIRING:
        text = _("Renew your %(name)s before departure.") % values
    else:  # pending
        return {
            "text": _("Wait for an officer to verify your %(name)s; nothing to do for now.")
            % values,
            "agency": officer,
            "bring": "",
            "requirement_code": req.code,
            "code": state,
            "health": req.is_health,
        }
    # A plain "not uploaded yet" adds nothing to "get it and upload it".
    extra = " ".join(part for part in (detail if held else "", req.note) if part)
    return {
        "text": f"{text} {extra}" if extra else text,
        "agency": req.issuer,
        "bring": req.where_to_get,
        "requirement_code": req.code,
        "code": state,
        "health": req.is_health,
        **({"detail": extra} if extra else {}),
    }
