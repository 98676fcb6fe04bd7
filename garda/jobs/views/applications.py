"""The application pages (docs/applications.md).

- the worker: "Lamar pekerjaan ini" on a vacancy (a POST), "Lamaran saya" (each
  application's status in words, its history, the withdraw form, accept or decline a
  nomination): plain forms, no JavaScript, a 360 px phone;
- recruiters (their company's orders), officers, supervisors and admins: an order's
  applications ("Lamaran") with the data selection needs, the next step and the
  reject form; one application with its history; officers nominate a person by their
  registry reference.

Every page reads through `access/applications.py` (another company's application is a
404 with a denied row) and writes through `services/applications.py`; a refused move
comes back as a message and writes nothing (POST-redirect-GET)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.audit.gate import deny
from garda.destinations.models import Destination
from garda.jobs import access
from garda.jobs.access import applications as app_access
from garda.jobs.access.placement import OFFICE_ROLES as PLACE_ROLES
from garda.jobs.applicants import (
    applicant_rows,
    company_writers,
    reason_for,
    with_selection_data,
)
from garda.jobs.models import Application, Placement
from garda.jobs.services import applications as service
from garda.jobs.services.common import VersionConflict
from garda.pagination import CappedPaginator
from garda.people.access import visible_people

A = Application.Status
READ_ROLES = tuple(sorted(app_access.READ_ROLES))
MOVE_ROLES = tuple(sorted(app_access.MOVE_ROLES))
NOMINATE_ROLES = tuple(sorted(app_access.NOMINATE_ROLES))
WITHDRAW_ROLES = tuple(sorted(app_access.WITHDRAW_ROLES))
PAGE_SIZE = 25

TAGS = {
    A.NOMINATED: "tag-yellow",
    A.APPLIED: "tag-blue",
    A.SHORTLISTED: "tag-blue",
    A.INTERVIEWED: "tag-blue",
    A.SELECTED: "tag-green",
    A.CONTRACT_SIGNED: "tag-green",
    A.DEPARTED: "tag-green",
    A.REJECTED: "tag-grey",
    A.WITHDRAWN: "tag-grey",
    A.LAPSED: "tag-grey",
    A.DECLINED: "tag-grey",
}


def _label(code: str) -> str:
    try:
        return str(A(code).label)
    except ValueError:
        return code


def _version(request: HttpRequest) -> int | None:
    raw = (request.POST.get("version") or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def _step_words() -> dict:
    """What the button of each forward step says."""
    return {
        A.SHORTLISTED: _("Shortlist"),
        A.INTERVIEWED: _("Record the interview"),
        A.SELECTED: _("Select"),
    }


def _history(app: Application) -> list[dict]:
    return [
        {
            "at": e.created_at,
            "from": _label(e.from_status) if e.from_status else "",
            "to": _label(e.to_status),
            "reason": e.reason,
            "actor": e.actor,
        }
        for e in app.events.all()
    ]


def _do(request: HttpRequest, action, *, success: str) -> bool:
    """Call a service; its refusals become messages. True when it went through."""
    try:
        action()
    except (service.MoveRefused, service.ApplyRefused) as exc:
        messages.error(request, exc.message)
    except VersionConflict:
        messages.error(
            request,
            _(
                "Someone else moved this application meanwhile: nothing was saved. "
                "Look at it again, then try again."
            ),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
        return True
    return False


# --- the worker ------------------------------------------------------------------------------


def _own_person(user):
    return visible_people(user).filter(user=user).first()


@role_required(roles.WORKER)
@require_GET
def my_applications(request: HttpRequest) -> HttpResponse:
    person = _own_person(request.user)
    qs = (
        app_access.visible_applications(request.user)
        .select_related("order", "order__agency")
        .prefetch_related("events", "events__actor")
        .order_by("-created_at", "-id")
    )
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    names = {d.code: d.display_name for d in Destination.objects.only("code", "name", "name_en")}
    rows = []
    for app in page.object_list:
        rows.append(
            {
                "app": app,
                "destination": names.get(app.order.destination, app.order.destination),
                "label": _label(app.status),
                "tag": TAGS.get(app.status, "tag-grey"),
                "history": _history(app),
                "may_withdraw": app.status in service.NEXT,
                "may_answer": app.status == A.NOMINATED,
            }
        )
    return render(
        request,
        "jobs/applications_mine.html",
        {"page": page, "rows": rows, "person": person},
    )


@role_required(roles.WORKER)
@require_POST
def application_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Lamar pekerjaan ini" on the vacancy page."""
    order = access.get_vacancy(pk)
    person = _own_person(request.user)
    if person is None:
        messages.error(
            request,
            _("Your record in the registry is not ready yet: ask the manpower office."),
        )
        return redirect("jobs:vacancy", pk=order.pk)
    done = _do(
        request,
        lambda: service.application_create(actor=request.user, order=order, person=person),
        success=_("You applied. Follow your application here; you are told of each step."),
    )
    return redirect("jobs:my_applications") if done else redirect("jobs:vacancy", pk=order.pk)


def _worker_app(request: HttpRequest, pk: int) -> Application:
    return app_access.get_application_for(request.user, pk)


def _after_answer(request: HttpRequest, app: Application) -> HttpResponse:
    if request.user.role == roles.WORKER:
        return redirect("jobs:my_applications")
    return redirect("jobs:application_detail", pk=app.pk)


@role_required(*WITHDRAW_ROLES)
@require_POST
def nomination_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """The worker accepts; an officer records the worker's yes (how, in `reason`)."""
    app = _worker_app(request, pk)
    _do(
        request,
        lambda: service.nomination_accept(
            actor=request.user,
            application=app,
            version=_version(request),
            reason=request.POST.get("reason", ""),
        ),
        success=_("You accepted: you have applied for this job.")
        if request.user.role == roles.WORKER
        else _("The worker's answer is recorded: the application is made."),
    )
    return _after_answer(request, app)


@role_required(*WITHDRAW_ROLES)
@require_POST
def nomination_decline(request: HttpRequest, pk: int) -> HttpResponse:
    app = _worker_app(request, pk)
    _do(
        request,
        lambda: service.nomination_decline(
            actor=request.user,
            application=app,
            reason=request.POST.get("reason", ""),
            version=_version(request),
        ),
        success=_("You declined the nomination.")
        if request.user.role == roles.WORKER
        else _("The worker's answer is recorded: the nomination is declined."),
    )
    return _after_answer(request, app)


@role_required(*WITHDRAW_ROLES)
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    app = app_access.get_application_for(user, pk)
    if not app_access.may_withdraw(user, app):
        deny(user, "jobs.application_withdraw", target=app)
    _do(
        request,
        lambda: service.application_withdraw(
            actor=user,
            application=app,
            reason=request.POST.get("reason", ""),
            version=_version(request),
        ),
        success=_("The application is withdrawn."),
    )
    if user.role == roles.WORKER:
        return redirect("jobs:my_applications")
    return redirect("jobs:application_detail", pk=app.pk)


# --- staff and recruiters --------------------------------------------------------------------


def _decorate(user, rows) -> None:
    words = _step_words()
    for row in rows:
        app = row.application
        row.tag = TAGS.get(app.status, "tag-grey")
        row.steps = [(s, words.get(s, _label(s))) for s in app_access.next_steps(user, app)]
        row.may_reject = app.status in service.NEXT and app_access.may_move(user, app, A.REJECTED)


@role_required(*READ_ROLES)
@require_GET
def order_applications(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    order = access.get_order_for(user, pk)
    status = request.GET.get("status") or ""
    if status not in A.values:
        status = ""
    qs = app_access.order_applications(user, order)
    if status:
        qs = qs.filter(status=status)
    qs = with_selection_data(qs.order_by("-created_at", "-id"))
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = applicant_rows(user, page.object_list)
    _decorate(user, rows)
    return render(
        request,
        "jobs/applications_order.html",
        {
            "order": order,
            "page": page,
            "rows": rows,
            "status": status,
            "status_choices": A.choices,
            "taken": service.positions_taken(order),
            "may_nominate": app_access.may_nominate(user) and order.is_open,
            "reference": request.GET.get("reference", ""),
        },
    )


@role_required(*READ_ROLES)
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    found = app_access.get_application_for(user, pk)
    app = with_selection_data(Application.objects.filter(pk=found.pk)).get()
    [row] = applicant_rows(user, [app])
    _decorate(user, [row])
    placement = Placement.objects.filter(application=app).only("pk", "status").first()
    if placement is not None and placement.status in service.LIVE_PLACEMENT:
        # It ends with its placement (cancelled on the placement's page), not here.
        row.may_reject = False
        row.steps = []
    events = app.events.select_related("actor").order_by("created_at", "id")
    return render(
        request,
        "jobs/application_detail.html",
        {
            "row": row,
            "app": app,
            "order": app.order,
            "history": _history_rows(events, company_writers(user)),
            "may_withdraw": app.status in service.NEXT
            and app_access.may_withdraw(user, app)
            and (placement is None or placement.status not in service.LIVE_PLACEMENT),
            "may_record_answer": user.role != roles.WORKER and app_access.may_answer(user, app),
            # A company reads the match's points, not what was missing (which may speak
            # of a protection case).
            "is_recruiter": user.role == roles.RECRUITER,
            # The placement made from this application, or the button that makes it.
            "placement": placement,
            "may_place": app.status == A.SELECTED and user.role in PLACE_ROLES,
        },
    )


def _history_rows(events, writers: set[int] | None) -> list[dict]:
    """The history as the reader may read it: a recruiter reads the reasons their
    company wrote, and neutral words for the others (applicants.reason_for)."""
    return [
        {
            "at": e.created_at,
            "from": _label(e.from_status) if e.from_status else "",
            "to": _label(e.to_status),
            "reason": reason_for(writers, e.to_status, e.reason, e.actor_id),
            "actor": e.actor,
        }
        for e in events
    ]


@role_required(*MOVE_ROLES)
@require_POST
def application_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    app = app_access.get_application_for(user, pk)
    to = request.POST.get("status", "")
    if to in A.values and not app_access.may_move(user, app, to):
        deny(user, "jobs.application_move:" + to, target=app)
    if to == A.REJECTED:
        success = _("The application is closed as not selected: the worker is told why.")
    else:
        success = _("Done: the application is now “%(status)s”. The worker is told.") % {
            "status": _label(to)
        }
    _do(
        request,
        lambda: service.application_move(
            actor=user,
            application=app,
            to_status=to,
            reason=request.POST.get("reason", ""),
            version=_version(request),
        ),
        success=success,
    )
    back = request.POST.get("back", "")
    if back == "order":
        return redirect(reverse("jobs:order_applications", args=[app.order_id]))
    return redirect("jobs:application_detail", pk=app.pk)


@role_required(*NOMINATE_ROLES)
@require_POST
def application_nominate(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer proposes a person, named by their registry reference."""
    user = request.user
    order = access.get_order_for(user, pk)
    reference = (request.POST.get("reference") or "").strip().upper()[:20]
    back = reverse("jobs:order_applications", args=[order.pk])
    if not reference:
        messages.error(request, _("Type the person's registry reference."))
        return redirect(back)
    person = visible_people(user).filter(reference=reference).first()
    if person is None:
        messages.error(
            request, _("Nobody in the registry has the reference %(ref)s.") % {"ref": reference}
        )
        return redirect(back)
    _do(
        request,
        lambda: service.application_nominate(actor=user, order=order, person=person),
        success=_("%(name)s is nominated: they are told and answer on their page.")
        % {"name": person.full_name},
    )
    return redirect(back)
