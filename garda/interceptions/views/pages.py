"""The register's pages: the list, the record form, an interception (its person,
case and follow-up checklist), the broker leads, and naming a broker on a case.
Plain forms (POST, redirect): they work without JavaScript."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from garda.accounts.decorators import role_required
from garda.cases import screening
from garda.cases.access import CASE_ROLES, case_read, get_case_for
from garda.interceptions import policy
from garda.interceptions.access import (
    LEAD_ROLES,
    READ_ROLES,
    RECORD_ROLES,
    get_interception_for,
    get_step_for,
    may_see_case,
    may_write,
    read_interception_for,
    read_interceptions,
)
from garda.interceptions.forms import (
    BrokerForm,
    FilterForm,
    FollowUpForm,
    InterceptionForm,
    LinkPersonForm,
)
from garda.interceptions.models import DOCUMENTS, BrokerMention, Holder
from garda.interceptions.queries import filter_interceptions, register_rows
from garda.interceptions.services.brokers import broker_mention_add, lead_rows, leads_for
from garda.interceptions.services.record import (
    followup_done,
    interception_link_person,
    interception_record,
)
from garda.pagination import CappedPaginator
from garda.viewutils import add_service_errors

PAGE_SIZE = 25


@role_required(*READ_ROLES)
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    filters = FilterForm(request.GET or None)
    params = filters.cleaned_data if filters.is_valid() else {}
    qs = filter_interceptions(
        read_interceptions(request.user), **{k: v for k, v in params.items() if v}
    )
    page = CappedPaginator(register_rows(qs), PAGE_SIZE).get_page(request.GET.get("page"))
    levels = policy.current().case_levels
    rows = [{"i": i, "signs": i.screening_level in levels} for i in page.object_list]
    return render(
        request,
        "interceptions/list.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "may_record": request.user.role in RECORD_ROLES,
        },
    )


def _officers(user):
    from garda.accompaniment.access import manageable_officers
    from garda.accounts import roles

    return manageable_officers(user) if user.role == roles.SUPERVISOR else None


@role_required(*RECORD_ROLES)
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest) -> HttpResponse:
    form = InterceptionForm(request.POST or None, officers=_officers(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            interception = interception_record(actor=request.user, data=form.to_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:  # over the identity look-up budget
            form.add_error("person_nik", str(exc))
        else:
            if interception.case_id:
                messages.success(
                    request,
                    _(
                        "Interception %(reference)s is recorded. The screening shows signs "
                        "of trafficking: case %(case)s is open for the task force."
                    )
                    % {"reference": interception.reference, "case": interception.case.reference},
                )
            else:
                messages.success(
                    request,
                    _("Interception %(reference)s is recorded.")
                    % {"reference": interception.reference},
                )
            return redirect("interceptions:detail", interception.pk)
    status = 400 if form.errors else 200
    groups = {
        "screening": [form[f"q_{q.code}"] for q in screening.QUESTIONS],
        "documents": [form[f"doc_{k}"] for k in DOCUMENTS],
    }
    return render(
        request, "interceptions/form.html", {"form": form, "groups": groups}, status=status
    )


def _detail(
    request: HttpRequest, pk, *, step_form=None, link_form=None, status=200
) -> HttpResponse:
    user = request.user
    interception = read_interception_for(user, pk)
    result = screening.Result(interception.screening_level, tuple(interception.indicators))
    context = {
        "i": interception,
        "level_label": screening.LEVEL_LABELS.get(interception.screening_level, ""),
        "indicator_labels": result.indicator_labels,
        "documents": [
            (label, Holder(interception.documents[k]).label)
            for k, label in DOCUMENTS.items()
            if k in interception.documents
        ],
        "steps": list(interception.steps.select_related("done_by")),
        "brokers": list(interception.brokers.select_related("company")),
        "may_see_case": may_see_case(user, interception),
        "may_write": may_write(user, interception),
        "step_form": step_form or FollowUpForm(),
        "link_form": link_form or LinkPersonForm(),
    }
    return render(request, "interceptions/detail.html", context, status=status)


@role_required(*READ_ROLES)
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


@role_required(*RECORD_ROLES)
@require_POST
def step_done(request: HttpRequest, pk: int) -> HttpResponse:
    step = get_step_for(request.user, pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            followup_done(
                actor=request.user,
                step=step,
                done_on=form.cleaned_data["done_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("“%(step)s” is done.") % {"step": step.get_step_display()})
            return redirect("interceptions:detail", step.interception_id)
    return _detail(request, step.interception_id, step_form=form, status=400)


@role_required(*RECORD_ROLES)
@require_POST
def link_person(request: HttpRequest, pk: int) -> HttpResponse:
    """Link an interception recorded without a NIK to a registry person (found by the
    NIK, or registered with the interception's data)."""
    interception = get_interception_for(request.user, pk, for_write=True)
    form = LinkPersonForm(request.POST)
    if form.is_valid():
        try:
            interception, registered = interception_link_person(
                actor=request.user, interception=interception, data=form.to_data()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:  # over the identity look-up budget
            form.add_error("person_nik", str(exc))
        else:
            words = (
                _("%(name)s is registered (%(reference)s) and linked to this interception.")
                if registered
                else _("This interception is linked to %(name)s (%(reference)s) in the registry.")
            )
            messages.success(
                request,
                words
                % {
                    "name": interception.person.full_name,
                    "reference": interception.person.reference,
                },
            )
            return redirect("interceptions:detail", interception.pk)
    return _detail(request, interception.pk, link_form=form, status=400)


@role_required(*LEAD_ROLES)
@require_GET
def brokers(request: HttpRequest) -> HttpResponse:
    page = CappedPaginator(leads_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "interceptions/brokers.html",
        {
            "page": page,
            "rows": lead_rows(page.object_list),
            "threshold": policy.current().lead_threshold,
        },
    )


@role_required(*CASE_ROLES)
@require_http_methods(["GET", "POST"])
def case_brokers(request: HttpRequest, pk: int) -> HttpResponse:
    """The brokers named on a case, and the form to name one (the case's staff)."""
    case = get_case_for(request.user, pk, for_write=True)
    if request.method == "GET":
        case_read(request.user, case, reason="brokers")
    form = BrokerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            broker_mention_add(
                actor=request.user,
                case=case,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The name is recorded on case %(case)s.") % {"case": case.reference}
            )
            return redirect("interceptions:case_brokers", case.pk)
    named = BrokerMention.objects.filter(case=case).select_related("company")
    from_interceptions = BrokerMention.objects.filter(interception__case=case).select_related(
        "company"
    )
    return render(
        request,
        "interceptions/case_brokers.html",
        {"case": case, "form": form, "named": list(named) + list(from_interceptions)},
        status=400 if form.errors else 200,
    )
