"""Matching at scale: the ranked candidates of a job order, its near misses, and the
open orders ranked for one person (docs/matching.md). The rules are in
garda/jobs/matching.py; this module loads their facts.

- `candidates(order)`: the hard filters that sit on indexed columns run in SQL first
  (registry status ready, not merged, the order's sex and age band, a readiness row
  for the order's target that says ready: index `readiness_ready`); the facts of the
  persons left (skills, languages, valid certificates, work experience, completed
  courses, preferences, protection blocks) are read with one query each, whatever
  their number, through a subquery of the same filter; the remaining filters
  (language, certificates, blocks) and the score run in Python; the page is sorted
  by score, ties by person id, and only its 20 rows get their reasons in words.
- `near_misses(order)`: persons who planned the order's target (a readiness row,
  ready or not), ready or in preparation, who fail one or two filters that a step
  can close; the best `near_misses.limit` (data/matching.toml), fewest gaps first,
  each gap with the course or document that closes it.
- `matches_for(person)`: the person's facts once, the open verified orders with only
  the columns matching reads and the courses they require (kept in the process while
  a print of them holds: `_open_rows`), orders the person can never take (for the
  other sex, past the maximum age) left out, the person's readiness from their own
  readiness rows (a target with no row is "not checked yet", the engine is not run
  for every target); orders asking for the same things are evaluated once.

No query reads a name beyond the page shown, and none reads an identity number.
"""

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language

from garda.destinations.models import Readiness, Sector
from garda.documents.models import DocumentType
from garda.jobs import blocks
from garda.jobs import matching as rules
from garda.jobs.blocks import where_ids
from garda.jobs.models import JobOrder, WorkerPreference
from garda.people.models import LanguageSkill, Person, Skill, Status, WorkExperience
from garda.places.models import Country
from garda.training.models import Certificate, Course, Enrolment
from garda.training.recommendations import GAP_STATES

PAGE_SIZE = 20


def _no_gc(fn):
    """Run `fn` with the cyclic garbage collector paused: ranking builds tens of
    thousands of small objects that hold no cycles, and the collector's passes over
    them cost more than the ranking (reference counting still frees them)."""
    import functools
    import gc

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return wrapper


@dataclass
class Ranked:
    """One page of a ranked list and the length of the whole list."""

    items: list
    count: int
    page: int
    pages: int


# --- facts ----------------------------------------------------------------------------


def order_sex(positions: int, female: int, male: int) -> str:
    """ "F" for an order whose every position is for a woman, "M" for a man, else ""."""
    if positions and female == positions:
        return "F"
    if positions and male == positions:
        return "M"
    return ""


def _english() -> bool:
    return (get_language() or "id").startswith("en")


class _Words:
    """Names a sentence needs (countries, languages, sectors), read once per call."""

    def __init__(self, countries=()):
        english = _english()
        self.countries = (
            {
                code: (name_en if english else name_id)
                for code, name_id, name_en in Country.objects.filter(
                    code__in=set(countries)
                ).values_list("code", "name_id", "name_en")
            }
            if countries
            else {}
        )
        self._languages: dict[str, str] = {}
        self._sectors = dict(Sector.choices)
        self._sector_words: dict[str, str] = {}

    def sector(self, code: str) -> str:
        found = self._sector_words.get(code)
        if found is None:
            found = self._sector_words[code] = str(self._sectors.get(code, code))
        return found

    def language(self, code: str) -> str:
        if not code:
            return ""
        if code not in self._languages:
            from garda.people.catalogue import language_name

            self._languages[code] = language_name(code)
        return self._languages[code]


_ORDER_COLUMNS = (
    "id",
    "destination",
    "scheme",
    "sector",
    "occupation_code",
    "occupation_title",
    "positions",
    "positions_female",
    "positions_male",
    "min_age",
    "max_age",
    "required_language",
    "required_language_scale",
    "required_language_level",
    "experience_months",
)


def _required_courses(order_ids) -> dict[int, tuple]:
    """{order id: ((course id, title), ...)} in one query; `order_ids` None: of every
    verified order."""
    through = JobOrder.required_courses.through
    english = _english()
    found: dict[int, list] = defaultdict(list)
    rows = through.objects.all()
    if order_ids is None:
        rows = rows.filter(joborder__status=JobOrder.Status.VERIFIED)
    else:
        rows = rows.filter(joborder_id__in=order_ids)
    for order_id, course_id, title, title_en in rows.values_list(
        "joborder_id", "course_id", "course__title", "course__title_en"
    ):
        found[order_id].append((course_id, (title_en if english and title_en else title)))
    return {k: tuple(sorted(v)) for k, v in found.items()}


def _order_facts(row: tuple, courses: dict, words: _Words) -> rules.OrderFacts:
    (
        pk,
        destination,
        scheme,
        sector,
        occupation,
        title,
        positions,
        female,
        male,
        min_age,
        max_age,
        language,
        scale,
        level,
        experience,
    ) = row
    return rules.OrderFacts(
        id=pk,
        destination=destination,
        scheme=scheme,
        sector=sector,
        occupation_code=occupation or "",
        occupation_title=title,
        destination_name=words.countries.get(destination, destination),
        sector_name=words.sector(sector),
        sex=order_sex(positions, female, male),
        min_age=min_age,
        max_age=max_age,
        required_language=language,
        required_language_scale=scale,
        required_language_level=level,
        language_name=words.language(language),
        required_courses=courses.get(pk, ()),
        experience_months=experience,
    )


def order_facts(order: JobOrder) -> rules.OrderFacts:
    """The facts of one order (two queries: the courses it requires, its country)."""
    row = tuple(getattr(order, c) for c in _ORDER_COLUMNS)
    return _order_facts(row, _required_courses([order.pk]), _Words([order.destination]))


def _months(start: date, end: date | None, today: date) -> int:
    end = min(end or today, today)
    return max(0, (end.year - start.year) * 12 + end.month - start.month)


_STATUS_LABELS = {value: label for value, label in Status.choices}


def _persons(qs) -> dict[int, rules.PersonFacts]:
    labels = {value: str(label) for value, label in _STATUS_LABELS.items()}
    return {
        pk: rules.PersonFacts(
            id=pk,
            status=status,
            sex=sex,
            birth_date=birth,
            status_label=labels.get(status, status),
        )
        for pk, status, sex, birth in qs.order_by().values_list("id", "status", "sex", "birth_date")
    }


def _course_fit() -> tuple[dict, dict]:
    """{course id: job sectors}, {course id: destination codes} of the catalogue (two
    small queries)."""
    sectors = dict(Course.objects.values_list("id", "job_sectors"))
    destinations: dict[int, set] = defaultdict(set)
    for course_id, code in Course.destinations.through.objects.values_list(
        "course_id", "destination__code"
    ):
        destinations[course_id].add(code)
    return sectors, destinations


# Persons per query of their facts: one query per kind of fact and per this many
# persons (a list of ids well under SQLite's 32,766 variables; a subquery repeating
# the pool's filter instead costs the filter again in every query).
CHUNK = 10_000


def load_facts(
    persons: dict[int, rules.PersonFacts],
    today: date,
    *,
    target_keys=None,
) -> None:
    """Fill `persons` (from _persons) with what matching reads: one query per kind of
    fact and per CHUNK persons. `target_keys`: the readiness rows to read (None: all
    the persons' rows; empty: none)."""
    ids = sorted(persons)
    course_fit = _course_fit()
    for start in range(0, len(ids), CHUNK):
        _load_chunk(persons, ids[start : start + CHUNK], today, target_keys, course_fit)


def _load_chunk(persons, ids, today, target_keys, course_fit) -> None:
    codes: dict[int, list] = defaultdict(list)
    for pk, code in where_ids(Skill.objects.all(), "person", ids).values_list(
        "person_id", "occupation_code"
    ):
        codes[pk].append(code)
    for pk, found in codes.items():
        if pk in persons:
            persons[pk].skills = tuple(found)

    languages = where_ids(LanguageSkill.objects.all(), "person", ids)
    for pk, language, scale, level in languages.values_list(
        "person_id", "language", "scale", "level"
    ):
        p = persons.get(pk)
        if p is None:
            continue
        rank = rules.level_index(scale, level)
        key = (language, scale)
        if rank > p.languages.get(key, -1):
            p.languages[key] = rank

    course_sectors, course_destinations = course_fit
    certs: dict[int, tuple[set, set]] = defaultdict(lambda: (set(), set()))
    for pk, course_id in (
        where_ids(Certificate.objects.filter(status=Certificate.Status.VALID), "person", ids)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .values_list("person_id", "course_id")
    ):
        courses, sectors = certs[pk]
        if course_id is not None:
            courses.add(course_id)
            sectors.update(course_sectors.get(course_id) or ())
    for pk, (courses, sectors) in certs.items():
        p = persons.get(pk)
        if p is not None:
            p.certified = True
            p.certificate_courses = frozenset(courses)
            p.certificate_sectors = frozenset(sectors)

    by_country: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    by_occupation: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    for pk, country, occupation, start, end in where_ids(
        WorkExperience.objects.all(), "person", ids
    ).values_list("person_id", "country_id", "occupation_code", "started_on", "ended_on"):
        months = _months(start, end, today)
        by_country[pk][country] += months
        if occupation:
            by_occupation[pk][occupation[:4]] += months
    for pk, found in by_country.items():
        if pk in persons:
            persons[pk].months_by_country = dict(found)
    for pk, found in by_occupation.items():
        if pk in persons:
            persons[pk].months_by_occupation = dict(found)

    trained: dict[int, tuple[set, set]] = defaultdict(lambda: (set(), set()))
    for pk, course_id in where_ids(
        Enrolment.objects.filter(status=Enrolment.Status.COMPLETED), "person", ids
    ).values_list("person_id", "batch__course_id"):
        sectors, destinations = trained[pk]
        sectors.update(course_sectors.get(course_id) or ())
        destinations.update(course_destinations.get(course_id, ()))
    for pk, (sectors, destinations) in trained.items():
        p = persons.get(pk)
        if p is not None:
            p.trained = True
            p.training_sectors = frozenset(sectors)
            p.training_destinations = frozenset(destinations)

    if target_keys is None or target_keys:
        readiness = where_ids(Readiness.objects.all(), "person", ids)
        if target_keys is not None:
            readiness = readiness.filter(target_key__in=list(target_keys))
        for pk, key, ready in readiness.values_list("person_id", "target_key", "ready"):
            p = persons.get(pk)
            if p is not None:
                p.readiness[key] = ready

    preferences = where_ids(WorkerPreference.objects.all(), "person", ids)
    for pk, destinations, sectors in preferences.values_list(
        "person_id", "destinations", "sectors"
    ):
        p = persons.get(pk)
        if p is not None:
            p.preferred_destinations = frozenset(destinations or ())
            p.preferred_sectors = frozenset(sectors or ())

    for pk in blocks.blocked(ids):
        if pk in persons:
            persons[pk].blocked = True


# --- the steps that close a gap ----------------------------------------------------------


def _readiness_gaps(pairs) -> dict[tuple[int, str], list[str]]:
    """{(person id, target key): document codes still to get} from the cached answers
    (one query)."""
    pairs = set(pairs)
    if not pairs:
        return {}
    q = Q()
    for pk, key in pairs:
        q |= Q(person_id=pk, target_key=key)
    found = {}
    for pk, key, result in Readiness.objects.filter(q).values_list(
        "person_id", "target_key", "result"
    ):
        found[(pk, key)] = [
            r["code"]
            for r in (result or {}).get("requirements", ())
            if r.get("state") in GAP_STATES and not r.get("satisfied_by_alternative")
        ]
    return found


def _fits(course_id: int, sectors: dict, destinations: dict, order: rules.OrderFacts) -> bool:
    """As training.recommendations: a course fits when it is for the order's sector
    and destination, or for any."""
    job_sectors = sectors.get(course_id) or ()
    if job_sectors and order.sector not in job_sectors:
        return False
    places = destinations.get(course_id) or ()
    return not places or order.destination in places


def resolve_steps(pairs: list[tuple[rules.OrderFacts, int, list[rules.Missing]]]) -> None:
    """Fill the steps of the readiness and language gaps of (order, person id,
    missing) triples: the courses of the catalogue that close them (training
    recommendations: a course whose `prepares_for` holds the missing document, a
    language course of the language asked for), else the document to bring. A fixed
    number of queries for any number of triples."""
    wanted = [(pk, o.target_key) for o, pk, ms in pairs for m in ms if m.code == rules.READINESS]
    gaps = _readiness_gaps(wanted)
    doc_codes = {c for codes in gaps.values() for c in codes}
    languages = {
        o.required_language for o, _pk, ms in pairs for m in ms if m.code == rules.LANGUAGE
    }
    certificates = any(m.code == rules.CERTIFICATE for _o, _pk, ms in pairs for m in ms)
    if not doc_codes and not languages and not certificates:
        return
    english = _english()
    names = {
        code: (name_en if english and name_en else name)
        for code, name, name_en in DocumentType.objects.filter(code__in=doc_codes).values_list(
            "code", "name", "name_en"
        )
    }
    sectors, destinations = _course_fit()
    titles, slugs = {}, {}
    for pk, slug, title, title_en, active in Course.objects.values_list(
        "id", "code", "title", "title_en", "is_active"
    ):
        slugs[pk] = slug
        if active:
            titles[pk] = title_en if english and title_en else title
    closing: dict[str, list[int]] = defaultdict(list)
    for course_id, code in Course.prepares_for.through.objects.filter(
        documenttype__code__in=doc_codes, course__is_active=True
    ).values_list("course_id", "documenttype__code"):
        closing[code].append(course_id)
    language_courses: dict[str, list[int]] = defaultdict(list)
    for course_id, language in Course.objects.filter(
        is_active=True, sector="language", language__in=languages
    ).values_list("id", "language"):
        language_courses[language].append(course_id)

    for order, pk, missing in pairs:
        for item in missing:
            if item.code == rules.READINESS:
                steps = []
                for code in gaps.get((pk, order.target_key), ()):
                    courses = [
                        c
                        for c in sorted(closing.get(code, ()))
                        if c in titles and _fits(c, sectors, destinations, order)
                    ]
                    if courses:
                        steps += [
                            {"kind": "course", "code": slugs[c], "title": titles[c]}
                            for c in courses
                        ]
                    else:
                        steps.append(
                            {"kind": "document", "code": code, "title": names.get(code, code)}
                        )
                seen, item.steps = set(), []
                for step in steps:
                    if (step["kind"], step["code"]) not in seen:
                        seen.add((step["kind"], step["code"]))
                        item.steps.append(step)
            elif item.code == rules.LANGUAGE:
                item.steps = [
                    {"kind": "course", "code": slugs[c], "title": titles[c]}
                    for c in sorted(language_courses.get(order.required_language, ()))
                    if c in titles and _fits(c, sectors, destinations, order)
                ]
            elif item.code == rules.CERTIFICATE:
                for step in item.steps:
                    if step["kind"] == "course" and step["code"].isdigit():
                        step["code"] = slugs.get(int(step["code"]), step["code"])


# --- an order's candidates --------------------------------------------------------------


def _age_band(qs, order: rules.OrderFacts, today: date, grace_days: int = 0):
    if order.min_age:
        qs = qs.filter(
            birth_date__lte=rules._add_years(today, -order.min_age) + timedelta(days=grace_days)
        )
    if order.max_age:
        qs = qs.filter(birth_date__gt=rules._add_years(today, -(order.max_age + 1)))
    return qs


def _page(items: list, page: int) -> tuple[list, int, int]:
    pages = max(1, math.ceil(len(items) / PAGE_SIZE))
    page = min(max(1, page), pages)
    return items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE], page, pages


def _names(ids) -> dict[int, tuple[str, str]]:
    return {
        pk: (name, reference)
        for pk, name, reference in Person.objects.filter(pk__in=ids).values_list(
            "id", "full_name", "reference"
        )
    }


def _pool(
    order: rules.OrderFacts,
    today: date,
    *,
    statuses,
    ready_only: bool,
    grace_days: int = 0,
) -> dict[int, rules.PersonFacts]:
    """The persons with a readiness row for the order's target (ready, with
    `ready_only`) who pass the SQL filters: the ids from the readiness index
    (`readiness_ready`) first, then their person rows by primary key, CHUNK at a time
    (a join lets a planner start from the person's status instead, a far larger
    set)."""
    rows = Readiness.objects.filter(target_key=order.target_key)
    if ready_only:
        rows = rows.filter(ready=True)
    ids = sorted(rows.order_by().values_list("person_id", flat=True))
    persons: dict[int, rules.PersonFacts] = {}
    for start in range(0, len(ids), CHUNK):
        qs = Person.objects.filter(merged_into__isnull=True, status__in=list(statuses))
        if order.sex:
            qs = qs.filter(sex=order.sex)
        qs = _age_band(qs, order, today, grace_days)
        persons.update(_persons(where_ids(qs, "id", ids[start : start + CHUNK])))
    return persons


@_no_gc
def candidates(order: JobOrder, *, page: int = 1, today: date | None = None) -> Ranked:
    """The ranked candidates of `order` (module docstring): a page of
    {person_id, name, reference, score, reasons, missing: []}."""
    today = today or timezone.localdate()
    facts = order_facts(order)
    persons = _pool(facts, today, statuses=[rules.PLACEABLE_STATUS], ready_only=True)
    for p in persons.values():
        p.readiness[facts.target_key] = True  # the pool's own filter
    load_facts(persons, today, target_keys=())
    ranked = []
    for p in persons.values():
        if rules.fails_fast(facts, p, today):
            continue
        total, _r = rules.score(facts, p, explain=False)
        ranked.append((-total, p.id))
    ranked.sort()
    shown, page, pages = _page(ranked, page)
    names = _names([pk for _s, pk in shown])
    items = []
    for _s, pk in shown:
        total, reasons = rules.score(facts, persons[pk])
        name, reference = names.get(pk, ("", ""))
        items.append(
            {
                "person_id": pk,
                "name": name,
                "reference": reference,
                "score": total,
                "reasons": [r.as_dict() for r in reasons],
                "missing": [],
            }
        )
    return Ranked(items=items, count=len(ranked), page=page, pages=pages)


@_no_gc
def near_misses(order: JobOrder, *, today: date | None = None) -> list[dict]:
    """The persons who miss `order` by one or two gaps a step can close (module
    docstring), fewest gaps first, then by score and id."""
    today = today or timezone.localdate()
    p = rules.policy()["near_misses"]
    limit, most, grace = int(p["limit"]), int(p["max_missing"]), int(p["age_grace_days"])
    facts = order_facts(order)
    persons = _pool(facts, today, statuses=rules.NEAR_STATUSES, ready_only=False, grace_days=grace)
    load_facts(persons, today, target_keys=[facts.target_key])
    found = []
    for person in persons.values():
        if person.blocked or not rules.fails_fast(facts, person, today):
            continue  # a candidate, or blocked by a protection case: no near miss
        missing = rules.hard_filters(facts, person, today, age_grace_days=grace)
        if not missing or len(missing) > most or any(rules.is_final(m) for m in missing):
            continue
        if any(m.code == rules.PROTECTION for m in missing):
            continue  # a protection case is not a gap to close
        total, _r = rules.score(facts, person, explain=False)
        found.append((len(missing), -total, person.id, missing))
    found.sort(key=lambda t: t[:3])
    found = found[:limit]
    resolve_steps([(facts, pk, missing) for _n, _s, pk, missing in found])
    names = _names([pk for _n, _s, pk, _m in found])
    items = []
    for _n, _s, pk, missing in found:
        total, reasons = rules.score(facts, persons[pk])
        name, reference = names.get(pk, ("", ""))
        items.append(
            {
                "person_id": pk,
                "name": name,
                "reference": reference,
                "score": total,
                "reasons": [r.as_dict() for r in reasons],
                "missing": [m.as_dict() for m in missing],
            }
        )
    return items


def read_candidates(user, order: JobOrder, *, page: int = 1, near: bool = False) -> dict:
    """The candidates (or near misses) of `order` as the page and the API show them,
    the read audited: one VIEW row naming the order and how many persons were listed,
    and one VIEW row on each person shown (reason "job matching"), so a worker reads in
    "who accessed my data" that an officer looked at them for a job."""
    from garda.audit.models import AuditEvent
    from garda.audit.services import audit_record, audit_record_many

    if near:
        items = near_misses(order)
        result = {"items": items, "count": len(items), "page": 1, "pages": 1}
    else:
        ranked = candidates(order, page=page)
        result = {
            "items": ranked.items,
            "count": ranked.count,
            "page": ranked.page,
            "pages": ranked.pages,
        }
    audit_record(
        actor=user,
        action=AuditEvent.Action.VIEW,
        target=order,
        reason=f"{'near_misses' if near else 'candidates'}:{result['count']}",
    )
    shown = {item["person_id"] for item in result["items"]}
    audit_record_many(
        actor=user,
        action=AuditEvent.Action.VIEW,
        targets=[(Person(pk=pk), ()) for pk in sorted(shown)],
        reason="job matching",
    )
    return result


# --- a person's matches ------------------------------------------------------------------


def open_orders(today: date):
    """Verified orders whose closing date has not passed (access.vacancies)."""
    return JobOrder.objects.filter(status=JobOrder.Status.VERIFIED).filter(
        Q(closing_date__isnull=True) | Q(closing_date__gte=today)
    )


# The open orders' columns and required courses, per process, with the print of what
# they were read from (_open_rows).
_OPEN: dict = {}


def _open_rows(today: date) -> tuple[list, dict]:
    """(rows of _ORDER_COLUMNS of the open orders, their required courses), kept in
    the process while they hold: a print of the open orders (how many, the highest
    id, the latest change, the sum of their versions: every write through the
    services bumps the version), of the course links and of the courses (their
    titles are shown) is read each time (three aggregate queries), and the rows again
    only when it changed, or the day or the language did."""
    from django.db.models import Count, Max, Sum

    orders = open_orders(today)
    through = JobOrder.required_courses.through
    key = (
        today,
        get_language(),
        tuple(
            orders.order_by()
            .aggregate(n=Count("id"), top=Max("id"), at=Max("updated_at"), v=Sum("version"))
            .values()
        ),
        tuple(through.objects.aggregate(n=Count("id"), top=Max("id")).values()),
        tuple(Course.objects.aggregate(n=Count("id"), at=Max("updated_at")).values()),
    )
    cached = _OPEN.get("open")
    if cached is not None and cached[0] == key:
        return cached[1], cached[2]
    rows = list(orders.order_by().values_list(*_ORDER_COLUMNS))
    # the courses of every verified order (few orders ask for one): no subquery
    courses = _required_courses(None)
    _OPEN["open"] = (key, rows, courses)
    return rows, courses


@_no_gc
def matches_for(person: Person, *, page: int = 1, today: date | None = None) -> Ranked:
    """The open orders ranked for `person` (module docstring): a page of
    {job_order_id, reference, title, destination, score, reasons, missing}. Orders the
    person passes every filter of come first (by score), then the others by score."""
    today = today or timezone.localdate()
    persons = _persons(Person.objects.filter(pk=person.pk))
    if not persons:
        return Ranked(items=[], count=0, page=1, pages=1)
    load_facts(persons, today)
    me = persons[person.pk]
    grace = int(rules.policy()["near_misses"]["age_grace_days"])
    everything, courses = _open_rows(today)
    # Left out: orders the person can never take (past the maximum age, more than the
    # grace short of the minimum age, every position for the other sex).
    age = soon = None
    if me.birth_date is not None:
        age = rules.age_on(me.birth_date, today)
        soon = rules.age_on(me.birth_date, today + timedelta(days=grace))
    other = 8 if me.sex == "F" else 7  # positions_male, positions_female
    rows = [
        row
        for row in everything
        if not (row[6] and row[other] == row[6])
        and (age is None or row[10] is None or row[10] >= age)
        and (soon is None or row[9] is None or row[9] <= soon)
    ]
    words = _Words({r[1] for r in rows})
    # Orders that ask for the same things (destination, scheme, sector, occupation,
    # sex, ages, language, experience, certificates) get the same filters and the same
    # score: each such profile is evaluated once, however many orders share it.
    evaluated: dict[tuple, tuple[bool, float]] = {}
    ranked = []
    for row in rows:
        pk = row[0]
        profile = (*row[1:5], *row[6:], courses.get(pk, ()))
        found = evaluated.get(profile)
        if found is None:
            order = _order_facts(row, courses, words)
            total, _r = rules.score(order, me, explain=False)
            found = evaluated[profile] = (rules.fails_fast(order, me, today), -total)
        ranked.append((*found, pk))
    ranked.sort()
    by_id = {row[0]: row for row in rows}
    shown, page, pages = _page(ranked, page)
    triples = []
    for _b, _s, pk in shown:
        order = _order_facts(by_id[pk], courses, words)
        triples.append((order, me.id, rules.hard_filters(order, me, today, age_grace_days=grace)))
    resolve_steps(triples)
    references = dict(
        JobOrder.objects.filter(pk__in=[o.id for o, _p, _m in triples]).values_list(
            "id", "reference"
        )
    )
    items = []
    for order, _pk, missing in triples:
        total, reasons = rules.score(order, me)
        items.append(
            {
                "job_order_id": order.id,
                "reference": references.get(order.id, ""),
                "title": order.occupation_title,
                "destination": order.destination,
                "destination_name": order.destination_name,
                "sector": order.sector,
                "score": total,
                "reasons": [r.as_dict() for r in reasons],
                "missing": [m.as_dict() for m in missing],
            }
        )
    return Ranked(items=items, count=len(ranked), page=page, pages=pages)


def explain(order: JobOrder, person: Person, *, today: date | None = None) -> dict:
    """One person against one order, as the lists show it: {"score", "reasons",
    "missing"} (what an application keeps of the match when it is made)."""
    today = today or timezone.localdate()
    persons = _persons(Person.objects.filter(pk=person.pk))
    if not persons:
        return {}
    facts = order_facts(order)
    load_facts(persons, today, target_keys=[facts.target_key])
    me = persons[person.pk]
    missing = rules.hard_filters(facts, me, today)
    resolve_steps([(facts, me.id, missing)])
    total, reasons = rules.score(facts, me)
    return {
        "score": total,
        "reasons": [r.as_dict() for r in reasons],
        "missing": [m.as_dict() for m in missing],
    }


# --- the worker's preferences ------------------------------------------------------------


def preference_of(person: Person) -> WorkerPreference | None:
    return WorkerPreference.objects.filter(person_id=person.pk).first()


def preference_set(*, actor, person: Person, destinations, sectors) -> WorkerPreference:
    """Set the worker's preferred destinations and sectors (an audit row names the
    fields, not their values)."""
    from django.core.exceptions import ValidationError
    from django.db import transaction
    from django.utils.translation import gettext as _

    from garda.audit.models import AuditEvent
    from garda.audit.services import audit_record

    destinations = sorted({(d or "").strip().upper() for d in destinations or () if d})
    sectors = sorted({(s or "").strip() for s in sectors or () if s})
    errors = {}
    from garda.destinations.models import Destination

    known = set(Country.objects.filter(code__in=destinations).values_list("code", flat=True))
    known |= set(Destination.objects.filter(code__in=destinations).values_list("code", flat=True))
    unknown = [d for d in destinations if d not in known]
    if unknown:
        errors["destinations"] = _("Unknown country code: %(codes)s.") % {
            "codes": ", ".join(unknown)
        }
    bad = [s for s in sectors if s not in Sector.values]
    if bad:
        errors["sectors"] = _("Unknown sector: %(codes)s.") % {"codes": ", ".join(bad)}
    if errors:
        raise ValidationError({k: ValidationError(v, code="invalid") for k, v in errors.items()})
    with transaction.atomic():
        pref, created = WorkerPreference.objects.get_or_create(person_id=person.pk)
        pref.destinations = destinations
        pref.sectors = sectors
        pref.updated_at = timezone.now()
        pref.save()
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            target=pref,
            changed_fields=["destinations", "sectors"],
        )
    return pref
