"""The public catalogue (courses, batches, seats left), enrolling from a batch's page
(the worker themself, or an officer by registry reference), and the worker's "My
training" page with their enrolments and the withdraw form.

The catalogue holds no personal data: anyone may read it, and nothing is audited.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from garda import pagecache
from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.pagination import CappedPaginator
from garda.people.access import REGISTRY_ROLES, read_own_person, visible_people
from garda.people.models import Person
from garda.training.access import get_enrolment_for, may_enrol_others, public_batches
from garda.training.access import visible_batches as staff_batches
from garda.training.eligibility import unmet_prerequisites
from garda.training.forms.catalogue import CatalogueFilterForm, EnrolPersonForm, ReasonForm
from garda.training.models import Batch, Course, Enrolment, Sector
from garda.training.queries import (
    NEXT_BATCHES,
    catalogue_courses,
    filter_courses,
    prerequisite_texts,
    upcoming_batches,
    with_details,
    with_next_batches,
)
from garda.training.services.enrolment import (
    EnrolmentConflict,
    Ineligible,
    closed_reason,
    enrolment_create,
    enrolment_withdraw,
    with_positions,
)

COURSES_PER_PAGE = 20
REGISTRY = tuple(sorted(REGISTRY_ROLES))
SECTOR_LABELS = dict(Sector.choices)


def _own_person(user) -> Person | None:
    return visible_people(user).filter(user=user).first()


def _viewable_batch(user, pk: int) -> Batch:
    """A published batch for anyone; any batch its trainers and registry roles see
    (an unpublished or cancelled one too). Else 404."""
    related = ("course", "provider__agency")
    batch = public_batches().select_related(*related).filter(pk=pk).first()
    if batch is None and user.is_authenticated:
        batch = staff_batches(user).select_related(*related).filter(pk=pk).first()
    if batch is None:
        raise Http404
    return batch


@require_GET
@pagecache.public_page("training")
def catalogue(request: HttpRequest) -> HttpResponse:
    """Active courses by sector, each with its next batches and seats left."""
    form = CatalogueFilterForm(request.GET or None)
    filters = form.filters()
    courses = with_next_batches(filter_courses(catalogue_courses(), **filters)).order_by(
        "sector", "code"
    )
    paginator = CappedPaginator(courses, COURSES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    provider = filters.get("provider")
    for course in page:
        batches = course.next_batches
        if provider:
            batches = [b for b in batches if b.provider_id == provider]
        course.shown_batches = batches[:NEXT_BATCHES]
        course.more_batches = len(batches) - len(course.shown_batches)
        course.sector_label = SECTOR_LABELS.get(course.sector, course.sector)
    return render(request, "training/catalogue_index.html", {"form": form, "page": page})


@require_GET
@pagecache.public_page("training")
def course_detail(request: HttpRequest, code: str) -> HttpResponse:
    course = with_details(Course.objects.filter(is_active=True, code=code)).first()
    if course is None:
        raise Http404
    context = {
        "course": course,
        "sector_label": SECTOR_LABELS.get(course.sector, course.sector),
        "units": [cu.unit for cu in course.course_units.all()],
        "prerequisites": prerequisite_texts(course),
        "batches": list(upcoming_batches().filter(course=course)),
    }
    return render(request, "training/catalogue_course.html", context)


def _batch_context(request: HttpRequest, batch: Batch, **extra) -> dict:
    """The batch page: schedule, seats, and what the visitor may do there."""
    user = request.user
    context = {
        "batch": batch,
        "course": batch.course,
        "sessions": list(batch.sessions.all()),
        "waitlist": batch.enrolments.filter(status=Enrolment.Status.WAITLISTED).count(),
        "closed_reason": closed_reason(batch),
        "is_worker": user.is_authenticated and user.role == roles.WORKER,
        "may_enrol_others": may_enrol_others(user),
    }
    if context["is_worker"]:
        person = _own_person(user)
        context["person"] = person
        if person is not None:
            current = with_positions(
                Enrolment.objects.filter(batch=batch, person=person, status__in=Enrolment.ACTIVE)
            ).first()
            context["current"] = current
            if current is None and not context["closed_reason"] and "unmet" not in extra:
                context["unmet"] = unmet_prerequisites(person, batch.course, on=batch.starts_on)
    if context["may_enrol_others"]:
        context.setdefault("enrol_form", EnrolPersonForm())
    context.update(extra)
    return context


@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _viewable_batch(request.user, pk)
    return render(request, "training/catalogue_batch.html", _batch_context(request, batch))


def _enrolled_message(enrolment: Enrolment, *, who: str = "") -> str:
    position = with_positions(Enrolment.objects.filter(pk=enrolment.pk)).get().position
    if enrolment.status == Enrolment.Status.ENROLLED:
        if who:
            return _("%(who)s is enrolled.") % {"who": who}
        return _("You are enrolled. We sent you the details.")
    if who:
        return _("The batch is full: %(who)s is on the waiting list, number %(position)s.") % {
            "who": who,
            "position": position,
        }
    return _(
        "The batch is full: you are on the waiting list, number %(position)s. You get a "
        "seat automatically when one frees up, and we tell you."
    ) % {"position": position}


@role_required(roles.WORKER)
@require_POST
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    """The worker enrols themself; unmet prerequisites are listed on the batch page."""
    batch = _viewable_batch(request.user, pk)
    person = _own_person(request.user)
    if person is None:
        messages.error(request, _("Complete your profile first, then enrol."))
        return redirect("people:me")
    try:
        enrolment = enrolment_create(actor=request.user, batch=batch, person=person)
    except Ineligible as exc:
        context = _batch_context(request, batch, unmet=exc.unmet, enrol_failed=True)
        return render(request, "training/catalogue_batch.html", context)
    except EnrolmentConflict as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("training:batch", pk=batch.pk)
    messages.success(request, _enrolled_message(enrolment))
    return redirect("training:batch", pk=batch.pk)


@role_required(*REGISTRY)
@require_POST
def enrol_person(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer enrols a person found by their registry reference."""
    batch = _viewable_batch(request.user, pk)
    form = EnrolPersonForm(request.POST)
    person = None
    if form.is_valid():
        person = (
            visible_people(request.user).filter(reference=form.cleaned_data["reference"]).first()
        )
        if person is None:
            form.add_error("reference", _("Nobody in the registry has this reference."))
    if person is None:
        context = _batch_context(request, batch, enrol_form=form)
        return render(request, "training/catalogue_batch.html", context)
    try:
        enrolment = enrolment_create(actor=request.user, batch=batch, person=person)
    except Ineligible as exc:
        context = _batch_context(
            request, batch, enrol_form=form, other_unmet=exc.unmet, other_person=person
        )
        return render(request, "training/catalogue_batch.html", context)
    except EnrolmentConflict as exc:
        form.add_error(None, exc)
        context = _batch_context(request, batch, enrol_form=form)
        return render(request, "training/catalogue_batch.html", context)
    messages.success(request, _enrolled_message(enrolment, who=person.reference))
    return redirect("training:batch", pk=batch.pk)


@role_required(roles.WORKER)
@require_GET
def my_training(request: HttpRequest) -> HttpResponse:
    """The worker's enrolments: status, waiting-list place, reasons; withdraw form."""
    person = read_own_person(request.user, reason="my training")
    context = {"person": person}
    if person is not None:
        context["enrolments"] = list(
            with_positions(
                person.enrolments.select_related("batch__course", "batch__provider__agency")
            ).order_by("-queued_at", "-id")
        )
    return render(request, "training/catalogue_mine.html", context)


@role_required(roles.WORKER, *REGISTRY)
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw with a reason: the worker from "My training", registry roles from
    wherever they list enrolments. Back to "My training" or the batch page."""
    enrolment = get_enrolment_for(request.user, pk)
    back = (
        redirect("training:my_training")
        if request.user.role == roles.WORKER
        else redirect("training:batch", pk=enrolment.batch_id)
    )
    form = ReasonForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return back
    try:
        enrolment_withdraw(
            actor=request.user, enrolment=enrolment, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return back
    messages.success(
        request,
        _("Withdrawn from %(course)s (batch %(batch)s).")
        % {"course": enrolment.batch.course.display_title, "batch": enrolment.batch.code},
    )
    return back
