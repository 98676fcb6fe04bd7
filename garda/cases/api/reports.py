"""The public report and its tracking for other systems (no login): the same rules,
services, audit rows and budgets per client address as the pages
(views/public.py, throttles.py).

- `POST /reports` takes the report form's fields as JSON and answers 201
  {"reference", "tracking_secret"}. It is always an anonymous report (no session is
  used: there is no CSRF check on this door), so it always gets a tracking secret.
  Invalid input: 422 in the API's error format, nothing written.
- `GET /reports/{reference}?secret=` answers {"reference", "stage", "messages"}, or
  404 alike for an unknown number, a wrong secret and no secret.
- Over the budget: 429 with Retry-After.
"""

from datetime import date, datetime

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from garda.apiutils import error_body, form_errors
from garda.cases import screening, throttles
from garda.cases.models import Channel
from garda.cases.services.common import error
from garda.cases.services.intake import case_open
from garda.cases.views.public import PublicReportForm, track_case, tracking_view

router = Router(tags=["cases"])


class PublicReportIn(Schema):
    reporter_name: str = Field(description="who reports")
    reporter_phone: str = Field("", description="how to reach the reporter")
    relationship: str = Field(description="the reporter is the worker's: self, parent, ...")
    person_name: str = Field(description="the worker concerned")
    person_nik: str = Field("", description="the worker's NIK (16 digits), if known")
    person_birth_date: date | None = None
    country: str = Field("", description="where the worker is now: ISO code, e.g. MY")
    city: str = ""
    employer_abroad: str = ""
    phone_abroad: str = ""
    last_contact_on: date | None = None
    kinds: list[str] = Field(description="kind codes: go_home, wages, abuse, ...")
    description: str = Field(description="what happened")
    answers: dict[str, str] = Field(
        default_factory=dict,
        description='screening answers, question code -> option code, e.g. {"documents": "held"}',
    )


class ReportOut(Schema):
    reference: str
    tracking_secret: str = Field(description="shown once: Garda keeps only its hash")


class MessageOut(Schema):
    text: str
    at: datetime
    from_: str = Field(alias="from", description='"officer" or "reporter" (never a name)')


class TrackingOut(Schema):
    reference: str
    stage: str = Field(description="new, triaged, assigned, in_progress, waiting, resolved, closed")
    messages: list[MessageOut]


def _throttled(throttle: throttles.AddressThrottle) -> JsonResponse:
    response = JsonResponse(
        error_body(_("Too many requests from this address. Wait an hour, then try again.")),
        status=429,
    )
    response["Retry-After"] = str(throttle.retry_after())
    return response


def _form_data(payload: PublicReportIn) -> dict:
    data = payload.dict(exclude={"answers"})
    for name in ("person_birth_date", "last_contact_on"):
        data[name] = data[name].isoformat() if data[name] else ""
    return data


@router.post(
    "/reports",
    auth=None,
    response={201: ReportOut, 422: dict, 429: dict},
    summary="Report a migrant worker's problem (public, no login)",
)
def report_create(request: HttpRequest, payload: PublicReportIn):
    """The public report form for other systems: the same fields and checks. The
    answer's `tracking_secret` is shown only here: with the reference it opens
    `GET /reports/{reference}`. At most GARDA_REPORT_RATE accepted reports per
    client address (with the page's)."""
    if throttles.REPORT.exceeded(request):
        return _throttled(throttles.REPORT)
    form = PublicReportForm(_form_data(payload))
    if not form.is_valid():
        raise form_errors(form)
    try:
        answers = screening.check(payload.answers)
    except screening.ScreeningError as exc:
        raise error(
            "answers", _("“%(code)s”: no such question or answer.") % {"code": exc}, "invalid"
        ) from None
    answers = {code: value for code, value in answers.items() if value != screening.UNKNOWN.code}
    case, secret = case_open(
        actor=None, data=form.report_data(answers=answers), channel=Channel.PUBLIC
    )
    throttles.REPORT.hit(request)
    return Status(201, {"reference": case.reference, "tracking_secret": secret})


@router.get(
    "/reports/{reference}",
    auth=None,
    response={200: TrackingOut, 404: dict, 429: dict},
    by_alias=True,
    summary="Follow a public report with its number and tracking secret (no login)",
)
def report_track(request: HttpRequest, reference: str, secret: str = ""):
    """The stage and the messages shared with the reporter, nothing else. 404 alike
    for an unknown reference, a wrong secret and no secret. Note: a GET puts the
    secret in the URL, where proxies and access logs may keep it; the page
    (/cases/track/) sends it in a POST instead. Every try counts against
    GARDA_TRACK_RATE per client address (with the page's)."""
    if not throttles.TRACK.allow(request):
        return _throttled(throttles.TRACK)
    case = track_case(reference, secret)
    if case is None:
        return Status(404, error_body(_("Report not found.")))
    view = tracking_view(case)
    return {
        "reference": view["reference"],
        "stage": view["stage"],
        "messages": [
            {"text": m["text"], "at": m["at"], "from": m["from"]} for m in view["messages"]
        ],
    }
