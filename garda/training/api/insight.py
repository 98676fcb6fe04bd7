"""Recommendations and outcomes in the API (registered by garda/api.py).

- `GET /people/{id}/training-recommendations?destination=KR&scheme=g2g-kr-eps&sector=manufacturing`:
  the courses that would close the person's readiness gaps, soonest batch first
  (recommendations.py). Without the query, the person's current plan. The worker
  for themself, registry roles for anyone (people.access.get_person_for); audited.
  The list is bounded by the active catalogue, so it is not paginated.
- `GET /training/outcomes?by=course&from=&to=&provider=&sector=`: outcome rows
  (outcomes.py) for admins and supervisors; paginated.
"""

from dataclasses import asdict
from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from garda.accounts.access import ensure_role
from garda.apiutils import form_errors
from garda.destinations.api.readiness import TargetQuery, target_given
from garda.pagination import Pagination
from garda.people.access import get_person_for, person_read
from garda.training.access import OUTCOME_READERS, outcomes_read
from garda.training.forms.insight import OutcomeFilterForm
from garda.training.outcomes import OutcomeRow, outcomes
from garda.training.recommendations import Recommendation, recommend, recommend_for_plan

router = Router(tags=["training"])


# --- recommendations ------------------------------------------------------------------


class RecommendedCourseRef(Schema):
    code: str
    title: str
    sector: str


class GapOut(Schema):
    code: str = Field(description="the required document type's code")
    name: str


class RecommendedBatchRef(Schema):
    id: int
    code: str
    starts_on: date
    seats_left: int


class UnmetOut(Schema):
    code: str
    message: str


class RecommendationOut(Schema):
    course: RecommendedCourseRef
    closes: list[GapOut]
    batch: RecommendedBatchRef | None = Field(
        description="the person's own batch, else the soonest open one with a free seat, "
        "else the soonest full one"
    )
    waitlist: bool = Field(description="the batch is full: the person would be waitlisted")
    unmet: list[UnmetOut] = Field(description="prerequisites of the course the person fails")
    enrolment_status: str | None = Field(
        None, description="enrolled or waitlisted when the person is already in the batch"
    )


def recommendation_out(r: Recommendation) -> dict:
    return {
        "course": {
            "code": r.course.code,
            "title": r.course.display_title,
            "sector": r.course.sector,
        },
        "closes": [{"code": g.code, "name": g.name} for g in r.closes],
        "batch": (
            {
                "id": r.batch.pk,
                "code": r.batch.code,
                "starts_on": r.batch.starts_on,
                "seats_left": r.batch.seats_left,
            }
            if r.batch is not None
            else None
        ),
        "waitlist": r.waitlist,
        "unmet": [{"code": u.code, "message": u.message} for u in r.unmet],
        "enrolment_status": r.enrolment_status,
    }


@router.get(
    "/people/{person_id}/training-recommendations",
    response=list[RecommendationOut],
    summary="Courses that would close a person's readiness gaps (audited)",
)
def recommendations_get(request: HttpRequest, person_id: int, target: Query[TargetQuery]):
    """Give all three of `destination`, `scheme` and `sector`, or none to use the
    person's current plan (404 when there is none). A bad target answers 422 naming
    the field, as `GET /people/{id}/readiness` does."""
    person = get_person_for(request.auth, person_id)
    given = target_given(target)
    if given:
        found = recommend(
            person,
            destination_code=given["destination"],
            scheme_code=given["scheme"],
            sector=given["sector"],
            user=request.auth,
        )
    else:
        found = recommend_for_plan(person)
        if found is None:
            raise HttpError(
                404,
                _("This person has no placement plan yet: ask with ?destination=&scheme=&sector=."),
            )
    person_read(request.auth, person, reason="training recommendations")
    return [recommendation_out(r) for r in found]


# --- outcomes -------------------------------------------------------------------------


class OutcomeQuery(Schema):
    by: str | None = Field(None, description="course (default), provider or batch")
    date_from: str | None = Field(
        None, alias="from", description="batches starting on or after (YYYY-MM-DD)"
    )
    date_to: str | None = Field(
        None, alias="to", description="batches starting on or before (YYYY-MM-DD)"
    )
    provider: int | None = Field(None, description="a provider id")
    sector: str | None = Field(None, description="a course sector, e.g. welding")


class OutcomeOut(Schema):
    by: str
    id: int
    label: str
    code: str
    course: str = Field(description="by batch: its course")
    provider: str = Field(description="by batch: its provider")
    starts_on: date | None = Field(description="by batch: its start")
    enrolled: int = Field(description="enrolments that held a seat (enrolled, completed, no_show)")
    completed: int
    no_show: int
    withdrawn: int
    certified: int = Field(description="completed with a valid certificate")
    placed: int = Field(description="completed, and the person is now placed or went abroad")
    completion_rate: float | None = Field(description="completed / enrolled (0..1)")
    certification_rate: float | None = Field(description="certified / completed (0..1)")
    placement_rate: float | None = Field(description="placed / completed (0..1)")


def outcome_out(row: OutcomeRow) -> dict:
    return {
        **asdict(row),
        "completion_rate": _rounded(row.completion_rate),
        "certification_rate": _rounded(row.certification_rate),
        "placement_rate": _rounded(row.placement_rate),
    }


def _public_names(error: ValidationError) -> ValidationError:
    """The form's date_from/date_to errors under the query's names, from/to."""
    names = {"date_from": "from", "date_to": "to"}
    return ValidationError({names.get(k, k): v for k, v in error.error_dict.items()})


def _rounded(rate: float | None) -> float | None:
    return None if rate is None else round(rate, 4)


@router.get(
    "/training/outcomes",
    response=list[OutcomeOut],
    summary="Training outcomes per course, provider or batch (supervisors, admins)",
)
@paginate(Pagination, page_size=100)
def outcomes_list(request: HttpRequest, filters: Query[OutcomeQuery]):
    """Counts and rates per group; the period (`from`, `to`) is on the batch's start.
    The same filters as the outcomes page; a bad value answers 422 naming it."""
    ensure_role(request.auth, *sorted(OUTCOME_READERS), what="api training outcomes")
    form = OutcomeFilterForm(request.GET)
    if not form.is_valid():
        raise _public_names(form_errors(form))
    chosen = form.filters()
    rows = outcomes(**chosen)
    outcomes_read(request.auth, by=chosen["by"])
    return [outcome_out(row) for row in rows]
