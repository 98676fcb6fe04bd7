"""Whether a person may enrol in a course: each unmet prerequisite, explained.

Checks (each with its own code, so that the API can list them and tests can name them):
- ``merged``: the registry record was merged into another one (enrol the current one);
- ``min_education``: the rank of people.Education (SMA and SMK are the same rank, as
  in the readiness engine: destinations.rules.EDUCATION_RANK);
- ``min_age`` / ``max_age``: the age on `on` (callers pass the batch's first day);
- ``prior_course``: Course.prerequisite_courses, each met by a completed enrolment in
  a batch of that course OR a valid (not revoked, not expired) certificate of it;
- ``prior_document``: Course.prerequisite_documents, each met by the person's latest
  non-replaced document of that type when it is verified, not expired, and at least
  at `min_level` (DocumentType.level_list order, or a numeric compare for scored
  types such as EPS-TOPIK).

A fixed number of queries per call (at most five, fewer when the course has no
prerequisite courses or documents, none of them when they were prefetched), and the
same for many courses at once (unmet_prerequisites_many: recommendations).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from garda.destinations.rules import EDUCATION_RANK
from garda.documents.models import Document
from garda.people.models import Education, Person
from garda.people.rules import age_on
from garda.training.models import Certificate, Course, Enrolment


@dataclass(frozen=True)
class Unmet:
    code: str
    message: str


def _education_label(code: str) -> str:
    if not code:
        return ""
    return str(dict(Education.choices).get(code, code.upper()))


def _day(value: date) -> str:
    return date_format(value, "j F Y")


def unmet_prerequisites(
    person: Person, course: Course, *, on: date | None = None, today: date | None = None
) -> list[Unmet]:
    """The prerequisites of `course` that `person` does not meet (empty: eligible).

    `on` is the day the age is measured at (callers pass the batch's start; default
    `today`); `today` is the day documents and certificates must still be valid on
    (default the local date)."""
    return unmet_prerequisites_many(person, [course], on={course.pk: on}, today=today)[course.pk]


def unmet_prerequisites_many(
    person: Person,
    courses: list[Course],
    *,
    on: dict[int, date | None] | None = None,
    today: date | None = None,
) -> dict[int, list[Unmet]]:
    """unmet_prerequisites for several courses at once, by course id: what the person
    completed, holds and uploaded is read once for all of them (at most three
    queries, plus the courses' prerequisites unless they were prefetched with
    "prerequisite_courses" and "prerequisite_documents__document_type")."""
    today = today or timezone.localdate()
    on = on or {}
    if person.merged_into_id is not None:
        merged = Unmet(
            "merged",
            _(
                "This registry record was merged into another one: enrol the person "
                "with their current record."
            ),
        )
        return {course.pk: [merged] for course in courses}
    required_courses = {c.pk: list(c.prerequisite_courses.all()) for c in courses}
    required_documents = {c.pk: _prerequisite_documents(c) for c in courses}
    done = _completed_courses(
        person, {p.pk for prior in required_courses.values() for p in prior}, today
    )
    latest = _latest_documents(
        person, {d.document_type_id for docs in required_documents.values() for d in docs}
    )
    found: dict[int, list[Unmet]] = {}
    for course in courses:
        unmet: list[Unmet] = []
        _check_education(person, course, unmet)
        _check_age(person, course, on.get(course.pk) or today, unmet)
        _check_courses(required_courses[course.pk], done, unmet)
        _check_documents(required_documents[course.pk], latest, today, unmet)
        found[course.pk] = unmet
    return found


def _check_education(person: Person, course: Course, unmet: list[Unmet]) -> None:
    if not course.min_education:
        return
    need = EDUCATION_RANK.get(course.min_education, 0)
    have = EDUCATION_RANK.get(person.education_level or "")
    if have is None:
        unmet.append(
            Unmet(
                "min_education",
                _("At least %(level)s education is required; no education is recorded.")
                % {"level": _education_label(course.min_education)},
            )
        )
    elif have < need:
        unmet.append(
            Unmet(
                "min_education",
                _("At least %(level)s education is required; the education recorded is %(yours)s.")
                % {
                    "level": _education_label(course.min_education),
                    "yours": _education_label(person.education_level),
                },
            )
        )


def _check_age(person: Person, course: Course, on: date, unmet: list[Unmet]) -> None:
    if course.min_age is None and course.max_age is None:
        return
    age = age_on(person.birth_date, on)
    params = {"age": age, "date": _day(on), "min": course.min_age, "max": course.max_age}
    if course.min_age is not None and age < course.min_age:
        unmet.append(
            Unmet(
                "min_age",
                _("The minimum age is %(min)s years on %(date)s; the age then is %(age)s.")
                % params,
            )
        )
    if course.max_age is not None and age > course.max_age:
        unmet.append(
            Unmet(
                "max_age",
                _("The maximum age is %(max)s years on %(date)s; the age then is %(age)s.")
                % params,
            )
        )


def _completed_courses(person: Person, course_ids: set[int], today: date) -> set[int]:
    """Of `course_ids`, those the person completed or holds a valid certificate of."""
    if not course_ids:
        return set()
    done = set(
        Enrolment.objects.filter(
            person=person, status=Enrolment.Status.COMPLETED, batch__course_id__in=course_ids
        )
        .order_by()
        .values_list("batch__course_id", flat=True)
    )
    done |= set(
        Certificate.objects.filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=today),
            person=person,
            status=Certificate.Status.VALID,
            course_id__in=course_ids,
        )
        .order_by()
        .values_list("course_id", flat=True)
    )
    return done


def _latest_documents(person: Person, type_ids: set[int]) -> dict[int, Document]:
    """The person's latest non-replaced document of each type in `type_ids`."""
    if not type_ids:
        return {}
    latest: dict[int, Document] = {}
    rows = (
        Document.objects.filter(person=person, type_id__in=list(type_ids))
        .exclude(status=Document.Status.REPLACED)
        .only("id", "type_id", "status", "level", "expires_on")
        .order_by("id")
    )
    for document in rows:  # by id: a later upload overwrites an earlier one
        latest[document.type_id] = document
    return latest


def _check_courses(required: list[Course], done: set[int], unmet: list[Unmet]) -> None:
    for prior in required:
        if prior.pk not in done:
            unmet.append(
                Unmet(
                    "prior_course",
                    _(
                        "First complete the course “%(course)s” (or hold its valid "
                        "certificate); no completion or valid certificate of it is recorded."
                    )
                    % {"course": prior.display_title},
                )
            )


def _check_documents(
    required: list, latest: dict[int, Document], today: date, unmet: list[Unmet]
) -> None:
    for prerequisite in required:
        dtype = prerequisite.document_type
        message = _document_shortfall(
            dtype, prerequisite.min_level.strip(), latest.get(dtype.pk), today
        )
        if message:
            unmet.append(Unmet("prior_document", message))


def _prerequisite_documents(course: Course) -> list:
    """The course's prerequisite documents with their types: the prefetched ones when
    the caller prefetched them (with their types), else one query."""
    if "prerequisite_documents" in getattr(course, "_prefetched_objects_cache", {}):
        return list(course.prerequisite_documents.all())
    return list(course.prerequisite_documents.select_related("document_type"))


def _document_shortfall(dtype, minimum: str, document: Document | None, today: date) -> str:
    """Why `document` does not satisfy the prerequisite (a sentence), or ""."""
    name = dtype.display_name
    if document is None:
        if minimum:
            return _(
                "A verified %(document)s of at least %(min)s is required; none is recorded."
            ) % {"document": name, "min": minimum}
        return _("A verified %(document)s is required; none is recorded.") % {"document": name}
    if document.status == Document.Status.PENDING:
        return _(
            "A verified %(document)s is required; the one recorded is still waiting for "
            "verification by an officer."
        ) % {"document": name}
    if document.status == Document.Status.REJECTED:
        return _(
            "A verified %(document)s is required; the one recorded was rejected: upload it again."
        ) % {"document": name}
    if document.expires_on is not None and document.expires_on < today:
        return _("The %(document)s recorded expired on %(date)s.") % {
            "document": name,
            "date": _day(document.expires_on),
        }
    if not minimum:
        return ""
    level = (document.level or "").strip()
    params = {"document": name, "min": minimum, "level": level}
    if not level:
        return (
            _("A %(document)s of at least %(min)s is required; no level or score is recorded.")
            % params
        )
    levels = dtype.level_list
    if dtype.is_scored or not levels:
        try:
            enough = float(level.replace(",", ".")) >= float(minimum.replace(",", "."))
        except ValueError:
            enough = False
        if enough:
            return ""
        return (
            _(
                "A %(document)s score of at least %(min)s is required; the score recorded is "
                "%(level)s."
            )
            % params
        )
    ranks = {lv.casefold(): i for i, lv in enumerate(levels)}
    have, need = ranks.get(level.casefold()), ranks.get(minimum.casefold())
    if have is not None and need is not None and have >= need:
        return ""
    return (
        _("A %(document)s of at least %(min)s is required; the level recorded is %(level)s.")
        % params
    )
