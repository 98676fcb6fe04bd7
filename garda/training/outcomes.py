"""Training outcomes per course, provider or batch: who held a seat, who completed,
who was certified and who was later placed abroad (through the registry's status).

Definitions (per group of enrolments, in batches that were not cancelled):
- enrolled: enrolments that held a seat: status enrolled, completed or no_show;
- completed, no_show, withdrawn: enrolments in that status;
- certified: completed enrolments with a valid course certificate;
- placed: completed enrolments whose person's registry status is placed, departed,
  abroad, returned or reintegrated (they went abroad after the training);
- rates: completion = completed / enrolled, certification = certified / completed,
  placement = placed / completed; None when the denominator is 0.
The period filters on the batch's start date.

One aggregate query (GROUP BY with conditional counts) and one for the groups'
labels, whatever the number of enrolments. At a national scale the query reads the
enrolments of the batches in the period through the index on (batch, status, ...)
(Enrolment "enrolment_queue"), the certificate by its unique enrolment_id, and the
person by primary key.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q

from garda.people.models import Status as PersonStatus
from garda.training.models import Batch, Certificate, Course, Enrolment, Provider

BY_CHOICES = ("course", "provider", "batch")
HELD_A_SEAT = (
    Enrolment.Status.ENROLLED,
    Enrolment.Status.COMPLETED,
    Enrolment.Status.NO_SHOW,
)
WENT_ABROAD = (
    PersonStatus.PLACED,
    PersonStatus.DEPARTED,
    PersonStatus.ABROAD,
    PersonStatus.RETURNED,
    PersonStatus.REINTEGRATED,
)
_GROUP_FIELD = {"course": "batch__course_id", "provider": "batch__provider_id", "batch": "batch_id"}


@dataclass
class OutcomeRow:
    by: str
    id: int | None  # the course, provider or batch id; None for the totals row
    label: str  # course title, provider name, or batch code
    code: str = ""  # course code, provider short name, or batch code
    course: str = ""  # by batch: its course's title
    provider: str = ""  # by batch: its provider's name
    starts_on: date | None = None  # by batch
    enrolled: int = 0
    completed: int = 0
    no_show: int = 0
    withdrawn: int = 0
    certified: int = 0
    placed: int = 0

    @property
    def completion_rate(self) -> float | None:
        return _rate(self.completed, self.enrolled)

    @property
    def certification_rate(self) -> float | None:
        return _rate(self.certified, self.completed)

    @property
    def placement_rate(self) -> float | None:
        return _rate(self.placed, self.completed)


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def outcomes(
    *,
    by: str,
    date_from: date | None = None,
    date_to: date | None = None,
    provider: Provider | int | None = None,
    sector: str | None = None,
) -> list[OutcomeRow]:
    """The outcome rows grouped `by` "course", "provider" or "batch" (module
    docstring), ordered by course code, provider name, or batch start and code."""
    if by not in BY_CHOICES:
        raise ValueError(f"by must be one of {BY_CHOICES}")
    enrolments = Enrolment.objects.filter(batch__cancelled_at__isnull=True)
    if date_from is not None:
        enrolments = enrolments.filter(batch__starts_on__gte=date_from)
    if date_to is not None:
        enrolments = enrolments.filter(batch__starts_on__lte=date_to)
    if provider is not None:
        provider_id = provider.pk if isinstance(provider, Provider) else provider
        enrolments = enrolments.filter(batch__provider_id=provider_id)
    if sector:
        enrolments = enrolments.filter(batch__course__sector=sector)
    completed = Q(status=Enrolment.Status.COMPLETED)
    group = _GROUP_FIELD[by]
    counts = {
        row[group]: row
        for row in enrolments.values(group)
        .annotate(
            enrolled=Count("id", filter=Q(status__in=HELD_A_SEAT)),
            completed=Count("id", filter=completed),
            no_show=Count("id", filter=Q(status=Enrolment.Status.NO_SHOW)),
            withdrawn=Count("id", filter=Q(status=Enrolment.Status.WITHDRAWN)),
            certified=Count(
                "certificate", filter=completed & Q(certificate__status=Certificate.Status.VALID)
            ),
            placed=Count("id", filter=completed & Q(person__status__in=WENT_ABROAD)),
        )
        .order_by()
    }
    rows = [_labelled(by, key) for key in _labels(by, list(counts))]
    for row in rows:
        data = counts[row.id]
        for name in ("enrolled", "completed", "no_show", "withdrawn", "certified", "placed"):
            setattr(row, name, data[name])
    return rows


def _labels(by: str, ids: list[int]):
    """The groups' objects, in display order (one query)."""
    if not ids:
        return []
    if by == "course":
        return Course.objects.filter(pk__in=ids).order_by("code")
    if by == "provider":
        return (
            Provider.objects.filter(pk__in=ids)
            .select_related("agency")
            .order_by("agency__name", "pk")
        )
    return (
        Batch.objects.filter(pk__in=ids)
        .select_related("course", "provider__agency")
        .order_by("starts_on", "code")
    )


def _labelled(by: str, obj) -> OutcomeRow:
    if by == "course":
        return OutcomeRow(by=by, id=obj.pk, label=obj.display_title, code=obj.code)
    if by == "provider":
        return OutcomeRow(by=by, id=obj.pk, label=obj.name, code=obj.agency.short_name)
    return OutcomeRow(
        by=by,
        id=obj.pk,
        label=obj.code,
        code=obj.code,
        course=obj.course.display_title,
        provider=obj.provider.name,
        starts_on=obj.starts_on,
    )


def totals(rows: list[OutcomeRow]) -> OutcomeRow:
    """The sum of `rows` (each enrolment is in exactly one group), with its rates."""
    total = OutcomeRow(by=rows[0].by if rows else "", id=None, label="")
    for row in rows:
        for name in ("enrolled", "completed", "no_show", "withdrawn", "certified", "placed"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total
