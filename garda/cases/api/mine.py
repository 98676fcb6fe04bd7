"""The worker's own cases (about them, or reported by them for a family member):
what stage each is at, who holds it, the next step and the messages meant for them.
Never internal notes, screening answers, severity or the reporter's phone (unless the
worker is the reporter). Reads through `access.own_cases` / `read_own_case_for`."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from garda.accounts import roles
from garda.accounts.access import ensure_role
from garda.apiutils import error_body
from garda.cases import forms
from garda.cases.access import get_own_case_for, own_cases, read_own_case_for, shared_notes
from garda.cases.api.cases import report_data
from garda.cases.display import author_text
from garda.cases.models import Case, Channel, Kind, Relationship, Stage
from garda.cases.schemas import (
    MessageIn,
    OwnCaseListOut,
    OwnCaseOut,
    OwnMessageOut,
    OwnReportIn,
    holder,
    next_step,
)
from garda.cases.services import intake, record
from garda.pagination import Pagination
from garda.people.models import Person

router = Router(tags=["cases"])


def own_summary(case: Case) -> dict:
    kinds = [k.kind for k in case.kinds.all()]
    return {
        "id": case.pk,
        "reference": case.reference,
        "status": case.status,
        "stage": case.stage,
        "stage_label": str(Stage(case.stage).label),
        "kinds": kinds,
        "kind_labels": [str(Kind(k).label) for k in kinds],
        "holder": holder(case),
        "created_at": case.created_at,
        "next_step": next_step(case),
    }


def own_detail(user, case: Case) -> dict:
    is_reporter = case.reporter_user_id == user.pk
    messages = [
        {
            "id": note.pk,
            "text": note.text,
            "from_reporter": note.from_reporter,
            "mine": note.author_id == user.pk,
            # The same words as the worker's page: an officer's first name and agency.
            "author": author_text(note, case, user),
            "created_at": note.created_at,
        }
        for note in shared_notes(case).select_related("author__agency")
    ]
    return {
        **own_summary(case),
        "subject_name": case.subject_name,
        "country": case.country_id,
        "country_name": case.country.name_id if case.country_id else "",
        "city": case.city,
        # What someone else reported about the worker, and who, stay with the
        # officers (as on the worker's page): the reporter may be at risk.
        "description": case.description if is_reporter else None,
        "reporter_name": case.reporter_name if is_reporter else None,
        "reporter_phone": case.reporter_phone if is_reporter else None,
        "relationship": case.relationship,
        "closing_reason": case.closing_reason,
        "messages": messages,
    }


@router.get("/me/cases", response=list[OwnCaseListOut], summary="The worker's own cases")
@paginate(Pagination, page_size=25)
def my_case_list(request: HttpRequest):
    ensure_role(request.auth, roles.WORKER, what="api my_case_list")
    return (
        own_cases(request.auth)
        .select_related("owner", "agency")
        .prefetch_related("kinds")
        .order_by("-created_at", "-id")
    )


@router.get("/me/cases/{case_id}", response=OwnCaseOut, summary="One of the worker's own cases")
def my_case_get(request: HttpRequest, case_id: int):
    ensure_role(request.auth, roles.WORKER, what="api my_case_get")
    case = read_own_case_for(request.auth, case_id)
    return own_detail(request.auth, case)


@router.post(
    "/me/cases",
    response={201: OwnCaseOut, 429: dict},
    summary="Report a problem from the worker's portal (about themself by default)",
)
def my_case_create(request: HttpRequest, payload: OwnReportIn):
    user = request.auth
    ensure_role(user, roles.WORKER, what="api my_case_create")
    own = Person.objects.active().filter(user=user).first()
    defaults = {"reporter_name": user.full_name, "reporter_phone": user.phone}
    if (payload.relationship or Relationship.SELF) == Relationship.SELF:
        defaults["person_name"] = own.full_name if own is not None else user.full_name
    if not payload.relationship:
        payload.relationship = Relationship.SELF
    data = report_data(payload, forms.ReportForm, **defaults)
    try:
        case, _secret = intake.case_open(actor=user, data=data, channel=Channel.PORTAL)
    except intake.ReportsExceeded as exc:
        detail = exc.message_dict["description"][0]
        return Status(
            429,
            error_body(
                detail,
                [{"field": "description", "code": "too_many_reports", "message": detail}],
            ),
        )
    case = own_cases(user).select_related("owner", "agency", "country").get(pk=case.pk)
    return Status(201, own_detail(user, case))


@router.post(
    "/me/cases/{case_id}/messages",
    response={201: OwnMessageOut},
    summary="Add information to one's own case (the officer holding it is told)",
)
def my_case_message(request: HttpRequest, case_id: int, payload: MessageIn):
    ensure_role(request.auth, roles.WORKER, what="api my_case_message")
    case = get_own_case_for(request.auth, case_id)
    note = record.message_add(actor=request.auth, case=case, text=payload.text)
    return Status(
        201,
        {
            "id": note.pk,
            "text": note.text,
            "from_reporter": True,
            "mine": True,
            "author": _("You"),
            "created_at": note.created_at,
        },
    )
