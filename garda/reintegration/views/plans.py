"""Reintegration pages: a person's return (assessment, plan, goals, follow-ups with
their scores, the late flag), the forms, the officers' worklist and the worker's own
plan. Plain forms (POST, redirect): they work without JavaScript."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.pagination import CappedPaginator
from garda.people.access import person_read
from garda.reintegration import policy
from garda.reintegration.access import (
    READ_ROLES,
    WRITE_ROLES,
    get_followup_for,
    get_goal_for,
    get_plan_for,
    get_returnee_for,
    may_write,
    own_person,
    read_returnee_for,
    returnee_read,
)
from garda.reintegration.forms import (
    AssessmentForm,
    GoalDoneForm,
    GoalForm,
    PlanForm,
    PlanVersionForm,
    SurveyForm,
)
from garda.reintegration.instruments import questions
from garda.reintegration.models import FollowUp, Goal, Plan
from garda.reintegration.queries import followups_due, returnee_rows, returnees_without_plan
from garda.reintegration.services.plans import (
    VersionConflict,
    assessment_record,
    followup_record,
    goal_add,
    goal_done,
    known_return,
    plan_complete,
    plan_create,
    plan_withdraw,
)
from garda.viewutils import add_service_errors

PAGE_SIZE = 25
STALE = gettext_lazy(
    "Someone else changed this plan since you read it: read it again. Nothing was changed."
)


def _plans(person) -> list[Plan]:
    return list(
        Plan.objects.filter(person=person)
        .select_related("programme", "instrument", "city", "created_by")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.order_by("dimension", "id")),
            Prefetch("follow_ups", queryset=FollowUp.objects.order_by("month")),
        )
    )


def _labels(plan: Plan) -> dict:
    """The dimension labels of the plan's instrument in the reader's language."""
    from django.utils.translation import get_language

    return {d["code"]: d["label"] for d in questions(plan.instrument, get_language())}


def _followup_rows(plan: Plan) -> list[dict]:
    today = timezone.localdate()
    labels = _labels(plan)
    rows = []
    for f in plan.follow_ups.all():
        scores = [
            (labels.get(code, code), f.scores.get(code))
            for code in ("economic", "social", "psychosocial")
        ]
        rows.append(
            {
                "f": f,
                "overdue": f.done_on is None and f.due_on < today,
                "scores": scores if f.scores else [],
            }
        )
    return rows


def _context(person, plans: list[Plan]) -> dict:
    days = policy.current().plan_within_days
    assessment = person.reintegration_assessments.select_related("assessed_by").first()
    active = next((p for p in plans if p.status == Plan.Status.ACTIVE), None)
    overdue_plan = None
    if active is None and assessment is not None:
        # The assessment says when they came home: past the deadline, no plan yet.
        from datetime import timedelta

        due = assessment.returned_on + timedelta(days=days)
        if due < timezone.localdate() and not any(
            p.returned_on >= assessment.returned_on for p in plans
        ):
            overdue_plan = due
    return {
        "person": person,
        "assessment": assessment,
        "plans": [{"plan": p, "follow_ups": _followup_rows(p)} for p in plans],
        "active": active,
        "overdue_plan": overdue_plan,
        "plan_within_days": days,
    }


@role_required(*READ_ROLES)
@require_GET
def person(request: HttpRequest, pk: int) -> HttpResponse:
    returnee = read_returnee_for(request.user, pk)
    context = _context(returnee, _plans(returnee))
    context.update(
        may_write=may_write(request.user),
        goal_form=GoalForm(),
        done_form=GoalDoneForm(),
    )
    return render(request, "reintegration/person.html", context)


@role_required(*WRITE_ROLES)
@require_http_methods(["GET", "POST"])
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    returnee = get_returnee_for(request.user, pk, for_write=True)
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment_record(actor=request.user, person=returnee, data=form.to_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The assessment is recorded."))
            return redirect("reintegration:person", returnee.pk)
    if request.method == "GET":
        returnee_read(request.user, returnee)
    return render(
        request,
        "reintegration/assessment_form.html",
        {"person": returnee, "form": form},
        status=400 if form.errors else 200,
    )


@role_required(*WRITE_ROLES)
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest, pk: int) -> HttpResponse:
    returnee = get_returnee_for(request.user, pk, for_write=True)
    known = known_return(returnee)
    initial = {"returned_on": known} if known else {}
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = plan_create(actor=request.user, person=returnee, data=form.to_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if plan.made_late:
                messages.warning(
                    request,
                    _(
                        "The plan is recorded. It was made more than %(days)s days after the "
                        "return: it counts as late."
                    )
                    % {"days": policy.current().plan_within_days},
                )
            else:
                messages.success(request, _("The plan is recorded."))
            return redirect("reintegration:person", returnee.pk)
    if request.method == "GET":
        returnee_read(request.user, returnee)
    return render(
        request,
        "reintegration/plan_form.html",
        {
            "person": returnee,
            "form": form,
            "plan_within_days": policy.current().plan_within_days,
        },
        status=400 if form.errors else 200,
    )


def _act(request: HttpRequest, person_id: int, call, done: str) -> HttpResponse:
    """Run `call()` (a service on the plan); say what happened and go back to the
    person's page."""
    try:
        call()
    except VersionConflict:
        messages.error(request, STALE)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("reintegration:person", person_id)


@role_required(*WRITE_ROLES)
@require_POST
def goal_new(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for(request.user, pk, for_write=True)
    form = GoalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the service and say what is to be achieved."))
        return redirect("reintegration:person", plan.person_id)
    return _act(
        request,
        plan.person_id,
        lambda: goal_add(
            actor=request.user,
            plan=plan,
            goal=form.to_goal(),
            version=form.cleaned_data["version"],
        ),
        _("The goal is added to the plan."),
    )


@role_required(*WRITE_ROLES)
@require_POST
def goal_mark_done(request: HttpRequest, pk: int) -> HttpResponse:
    goal = get_goal_for(request.user, pk)
    form = GoalDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid date."))
        return redirect("reintegration:person", goal.plan.person_id)
    return _act(
        request,
        goal.plan.person_id,
        lambda: goal_done(actor=request.user, goal=goal, **form.cleaned_data),
        _("The goal is marked as delivered."),
    )


@role_required(*WRITE_ROLES)
@require_http_methods(["GET", "POST"])
def followup(request: HttpRequest, pk: int, month: int) -> HttpResponse:
    plan = get_plan_for(request.user, pk, for_write=True)
    row = get_followup_for(request.user, plan, month)
    form = SurveyForm(
        request.POST or None, instrument=plan.instrument, initial={"version": plan.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            followup_record(
                actor=request.user,
                followup=row,
                answers=form.answers(),
                remigration=form.cleaned_data["remigration"],
                note=form.cleaned_data["note"],
                done_on=form.cleaned_data["done_on"],
                version=form.cleaned_data["version"],
            )
        except VersionConflict:
            form.add_error(None, STALE)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The %(month)s-month follow-up is recorded.") % {"month": row.month}
            )
            return redirect("reintegration:person", plan.person_id)
    if request.method == "GET":
        returnee_read(request.user, plan.person)
    return render(
        request,
        "reintegration/followup_form.html",
        {"plan": plan, "row": row, "form": form},
        status=400 if form.errors else 200,
    )


def _close(request: HttpRequest, pk: int, service, done: str) -> HttpResponse:
    plan = get_plan_for(request.user, pk, for_write=True)
    form = PlanVersionForm(request.POST)
    version = form.cleaned_data.get("version") if form.is_valid() else None
    return _act(
        request,
        plan.person_id,
        lambda: service(actor=request.user, plan=plan, version=version),
        done,
    )


@role_required(*WRITE_ROLES)
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    return _close(request, pk, plan_complete, _("The plan is completed."))


@role_required(*WRITE_ROLES)
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _close(request, pk, plan_withdraw, _("The plan is withdrawn."))


@role_required(*READ_ROLES)
@require_GET
def due(request: HttpRequest) -> HttpResponse:
    """The worklist: returnees without a plan (the late ones first), follow-ups due."""
    from garda.audit.models import AuditEvent
    from garda.audit.services import audit_record

    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        object_type="people.person",
        reason="reintegration worklist",
    )
    page = CappedPaginator(returnees_without_plan(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    follow_ups = [
        {"f": f, "overdue": f.due_on < today} for f in followups_due(request.user)[:PAGE_SIZE]
    ]
    return render(
        request,
        "reintegration/due.html",
        {
            "page": page,
            "rows": returnee_rows(page.object_list),
            "follow_ups": follow_ups,
            "plan_within_days": policy.current().plan_within_days,
        },
    )


@role_required(roles.WORKER)
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The worker's own plan, read-only."""
    me = own_person(request.user)
    plans = []
    if me is not None:
        person_read(request.user, me, reason="reintegration")
        plans = _plans(me)
    context = _context(me, plans) if me is not None else {"person": None, "plans": []}
    return render(request, "reintegration/mine.html", context)
