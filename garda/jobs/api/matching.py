"""Matching through the API (docs/matching.md):

- `GET /job-orders/{id}/candidates?page=` (officers, supervisors, admins): the
  ranked candidates of a verified order, 20 a page, each with the reasons of its
  score (points shown) and nothing missing; `?near=1`: the near misses instead, each
  with what is missing and the course or document that closes it. A recruiter sees a
  candidate only once the worker has applied or accepted a nomination (the
  applications API), never here: 403 with a `denied` row, as for a worker. One VIEW
  audit row per request names the order and how many persons were listed.
- `GET /people/{id}/matches?page=` (the registry's roles through the registry's own
  access function; the worker for themself): the open verified orders ranked for
  the person, each with the reasons, the gaps and the courses that close them. A
  VIEW row on the person.
- `PUT /people/{id}/job-preference`: the destinations and sectors the worker wants
  (the worker, or an officer for them).

No answer holds an identity number (NIK, family card, passport).
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from garda.accounts import roles
from garda.accounts.access import ensure_role
from garda.apiutils import error_body
from garda.jobs import access
from garda.jobs.models import JobOrder
from garda.jobs.services import matching as services
from garda.people.access import get_person_for, read_person_for

router = Router(tags=["matching"])

MATCHERS = (roles.ADMIN, roles.OFFICER, roles.SUPERVISOR)


class JobsMatchStepOut(Schema):
    kind: str = Field(description="course, document, plan or officer")
    code: str
    title: str


class JobsMatchMissingOut(Schema):
    code: str
    message: str
    steps: list[JobsMatchStepOut]


class JobsMatchReasonOut(Schema):
    code: str
    weight: float
    message: str


class JobsCandidateOut(Schema):
    person_id: int
    name: str
    reference: str
    score: float
    reasons: list[JobsMatchReasonOut]
    missing: list[JobsMatchMissingOut]


class JobsCandidatesOut(Schema):
    items: list[JobsCandidateOut]
    count: int
    page: int
    pages: int


class JobsCandidateQuery(Schema):
    page: int = Field(1, ge=1, le=100000)
    near: bool = False


class JobsOrderMatchOut(Schema):
    job_order_id: int
    reference: str
    title: str
    destination: str
    destination_name: str
    sector: str
    score: float
    reasons: list[JobsMatchReasonOut]
    missing: list[JobsMatchMissingOut]


class JobsMatchesOut(Schema):
    items: list[JobsOrderMatchOut]
    count: int
    page: int
    pages: int


class JobsPageQuery(Schema):
    page: int = Field(1, ge=1, le=100000)


class JobsPreferenceIn(Schema):
    destinations: list[str] = Field(default_factory=list, max_length=50)
    sectors: list[str] = Field(default_factory=list, max_length=20)


class JobsPreferenceOut(Schema):
    destinations: list[str]
    sectors: list[str]


@router.get(
    "/job-orders/{order_id}/candidates",
    response={200: JobsCandidatesOut, 409: dict},
    summary="The ranked candidates of a verified job order (or, with near=1, its near misses)",
)
def job_order_candidates(request: HttpRequest, order_id: int, query: Query[JobsCandidateQuery]):
    ensure_role(request.auth, *MATCHERS, what="api job_order_candidates")
    order = access.get_order_for(request.auth, order_id)
    if order.status != JobOrder.Status.VERIFIED:
        detail = _("Only a verified order has candidates.")
        return Status(
            409,
            error_body(detail, [{"field": "status", "code": "wrong_state", "message": detail}]),
        )
    return services.read_candidates(request.auth, order, page=query.page, near=query.near)


@router.get(
    "/people/{person_id}/matches",
    response=JobsMatchesOut,
    summary="The open verified job orders ranked for a person, with the gaps and the "
    "courses that close them",
)
def person_matches(request: HttpRequest, person_id: int, query: Query[JobsPageQuery]):
    person = read_person_for(request.auth, person_id, reason="job_matches")
    ranked = services.matches_for(person, page=query.page)
    return {
        "items": ranked.items,
        "count": ranked.count,
        "page": ranked.page,
        "pages": ranked.pages,
    }


@router.put(
    "/people/{person_id}/job-preference",
    response=JobsPreferenceOut,
    summary="Set the destinations and sectors the worker wants to work in",
)
def person_job_preference(request: HttpRequest, person_id: int, payload: JobsPreferenceIn):
    person = get_person_for(request.auth, person_id, for_write=True)
    pref = services.preference_set(
        actor=request.auth,
        person=person,
        destinations=payload.destinations,
        sectors=payload.sectors,
    )
    return {"destinations": pref.destinations, "sectors": pref.sectors}
