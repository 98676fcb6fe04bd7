"""The public catalogue's reads, shared by the pages (views/catalogue.py) and the API
(api/catalogue.py), so that both filter the same way: active courses, and upcoming
batches (published, not cancelled or closed, not started yet) with their seats left
and waiting-list length. No personal data here."""

from datetime import date

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from garda.people.models import Education
from garda.training.access import public_batches
from garda.training.models import Batch, Course, CoursePrerequisiteDocument, CourseUnit, Enrolment

# Upcoming batches shown with each course in the catalogue list.
NEXT_BATCHES = 3


def upcoming_batches(today: date | None = None) -> QuerySet[Batch]:
    """Published batches that have not started, with `waitlist` (its length)."""
    today = today or timezone.localdate()
    return (
        public_batches()
        .filter(closed_at__isnull=True, starts_on__gte=today)
        .select_related("course", "provider__agency")
        .annotate(
            waitlist=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITLISTED))
        )
        .order_by("starts_on", "code")
    )


def filter_batches(
    qs: QuerySet[Batch],
    *,
    course: str = "",
    provider: int | None = None,
    sector: str = "",
    region: str = "",
    starts_from: date | None = None,
    has_seats: bool | None = None,
) -> QuerySet[Batch]:
    if course:
        qs = qs.filter(course__code=course)
    if provider:
        qs = qs.filter(provider_id=provider)
    if sector:
        qs = qs.filter(course__sector=sector)
    if region:
        # The batch's own place, or its provider's when the batch names none.
        qs = qs.filter(
            Q(region__code__startswith=region)
            | Q(region__isnull=True, provider__region__code__startswith=region)
        )
    if starts_from:
        qs = qs.filter(starts_on__gte=starts_from)
    if has_seats is True:
        qs = qs.filter(enrolled_count__lt=F("capacity"))
    elif has_seats is False:
        qs = qs.filter(enrolled_count__gte=F("capacity"))
    return qs


def catalogue_courses(today: date | None = None) -> QuerySet[Course]:
    """Active courses with `upcoming` (their number of upcoming public batches)."""
    today = today or timezone.localdate()
    upcoming = Q(
        batches__is_published=True,
        batches__cancelled_at__isnull=True,
        batches__closed_at__isnull=True,
        batches__starts_on__gte=today,
    )
    return Course.objects.filter(is_active=True).annotate(
        upcoming=Count("batches", filter=upcoming)
    )


def filter_courses(
    qs: QuerySet[Course],
    *,
    sector: str = "",
    language: str = "",
    provider: int | None = None,
    q: str = "",
    today: date | None = None,
) -> QuerySet[Course]:
    if sector:
        qs = qs.filter(sector=sector)
    if language:
        qs = qs.filter(language=language)
    if provider:
        today = today or timezone.localdate()
        qs = qs.filter(
            pk__in=upcoming_batches(today).filter(provider_id=provider).values("course_id")
        )
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(title_en__icontains=q)
            | Q(code__icontains=q)
            | Q(job_kinds__icontains=q)
        )
    return qs


def with_next_batches(qs: QuerySet[Course], today: date | None = None) -> QuerySet[Course]:
    """Prefetch each course's upcoming batches as `next_batches` (all of them: the
    caller shows the first NEXT_BATCHES)."""
    return qs.prefetch_related(
        Prefetch("batches", queryset=upcoming_batches(today), to_attr="next_batches")
    )


def with_details(qs: QuerySet[Course]) -> QuerySet[Course]:
    """What a course's page and the API's detail show, in a fixed number of queries."""
    return qs.prefetch_related(
        Prefetch("course_units", queryset=CourseUnit.objects.select_related("unit")),
        Prefetch("prerequisite_courses", queryset=Course.objects.order_by("code")),
        Prefetch(
            "prerequisite_documents",
            queryset=CoursePrerequisiteDocument.objects.select_related("document_type"),
        ),
        "destinations",
    )


def prerequisite_texts(course: Course) -> list[str]:
    """The course's prerequisites in words (use with with_details: no query)."""
    texts = []
    if course.min_education:
        label = (
            _("no formal schooling")
            if course.min_education == Education.NONE
            else dict(Education.choices).get(course.min_education, course.min_education)
        )
        texts.append(_("Education: at least %(level)s") % {"level": label})
    if course.min_age is not None and course.max_age is not None:
        texts.append(
            _("Age: %(min)s to %(max)s years on the first day")
            % {"min": course.min_age, "max": course.max_age}
        )
    elif course.min_age is not None:
        texts.append(_("Age: at least %(min)s years on the first day") % {"min": course.min_age})
    elif course.max_age is not None:
        texts.append(_("Age: at most %(max)s years on the first day") % {"max": course.max_age})
    for prior in course.prerequisite_courses.all():
        texts.append(
            _("Completed first: %(course)s (or its certificate)") % {"course": prior.display_title}
        )
    for doc in course.prerequisite_documents.all():
        if doc.min_level:
            texts.append(
                _("Verified document: %(document)s, at least %(level)s")
                % {"document": doc.document_type.display_name, "level": doc.min_level}
            )
        else:
            texts.append(
                _("Verified document: %(document)s") % {"document": doc.document_type.display_name}
            )
    return texts
