"""The rules pages: destinations, sector rule history and requirement set versions.

Admins maintain the rules; supervisors may read these pages (drafts, history,
versions) but every form and write is an admin's (access.py). Writes go through
services/rules.py, which audits them; reading rules is not personal data and is not
audited.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.destinations.access import (
    get_destination_for,
    get_requirement_set_for,
    may_manage_rules,
    visible_destinations,
    visible_requirement_sets,
    visible_sector_rules,
)
from garda.destinations.forms import (
    DestinationForm,
    RequirementSetCreateForm,
    RequirementSetFilterForm,
    RequirementSetForm,
    SectorRuleForm,
    document_type_choices,
    formset_requirements,
    requirement_formset,
)
from garda.destinations.models import RequirementSet, Sector
from garda.destinations.requirements import condition_texts, sector_statuses
from garda.destinations.services.rules import (
    RequirementData,
    RequirementSetTerms,
    VersionConflict,
    destination_update,
    requirement_set_create,
    requirement_set_revise,
    sector_rule_add,
)
from garda.pagination import CappedPaginator
from garda.viewutils import add_service_errors

READERS = (roles.ADMIN, roles.SUPERVISOR)
PAGE_SIZE = 50
SECTOR_LABELS = dict(Sector.choices)


# --- destinations -------------------------------------------------------------------


@role_required(*READERS)
@require_GET
def destination_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    destinations = list(
        visible_destinations(request.user)
        .annotate(
            scheme_count=Count("schemes", distinct=True),
            set_count=Count(
                "requirement_sets",
                filter=Q(requirement_sets__is_current=True),
                distinct=True,
            ),
        )
        .order_by("region", "name")
    )
    statuses = sector_statuses(on=today)
    for destination in destinations:
        destination.rules_in_force = [
            rule
            for rules in statuses.get(destination.code, {}).values()
            for rule in rules
            if rule.status != rule.Status.OPEN
        ]
    return render(
        request,
        "destinations/admin_destination_list.html",
        {"destinations": destinations, "may_manage": may_manage_rules(request.user)},
    )


@role_required(*READERS)
@require_GET
def destination_admin_detail(request: HttpRequest, code: str) -> HttpResponse:
    destination = get_destination_for(request.user, code)
    today = timezone.localdate()
    statuses = sector_statuses([destination], on=today).get(destination.code, {})
    sets = (
        visible_requirement_sets(request.user)
        .filter(destination=destination, is_current=True)
        .select_related("scheme")
        .order_by("code")
    )
    return render(
        request,
        "destinations/admin_destination_detail.html",
        {
            "destination": destination,
            "rules": [rule for rules in statuses.values() for rule in rules],
            "schemes": destination.schemes.select_related("scheme"),
            "sets": sets,
            "may_manage": may_manage_rules(request.user),
        },
    )


@role_required(roles.ADMIN)
@require_http_methods(["GET", "POST"])
def destination_edit(request: HttpRequest, code: str) -> HttpResponse:
    destination = get_destination_for(request.user, code, for_write=True)
    conflict = False
    if request.method == "GET":
        form = DestinationForm(initial=DestinationForm.initial_for(destination))
    else:
        form = DestinationForm(request.POST)
        if form.is_valid():
            try:
                destination_update(
                    actor=request.user,
                    destination=destination,
                    data=form.data_object(),
                    version=form.cleaned_data["version"],
                )
            except VersionConflict as exc:
                # Keep what the user typed, rebased on the current version: saving
                # again is a deliberate overwrite, after seeing the current values.
                data = request.POST.copy()
                data["version"] = str(exc.current.version)
                form = DestinationForm(data)
                form.is_valid()
                form.add_error(
                    None,
                    ValidationError(
                        _(
                            "Someone else changed this destination since you opened it. Your "
                            "changes are not saved yet: compare with the current values "
                            "(shown on the destination page), then save again to keep yours."
                        ),
                        code="version_conflict",
                    ),
                )
                conflict = True
                destination = exc.current
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Destination saved."))
                return redirect("destinations:rules_destination", code=destination.code)
    return render(
        request,
        "destinations/admin_destination_form.html",
        {"form": form, "destination": destination, "conflict": conflict},
    )


# --- sector rules -------------------------------------------------------------------


def _render_rules(request: HttpRequest, destination, form: SectorRuleForm | None, status=200):
    today = timezone.localdate()
    rules = list(
        visible_sector_rules(request.user)
        .filter(destination=destination)
        .select_related("created_by")
        .order_by("sector", "occupation", "-effective_from")
    )
    groups: dict[tuple[str, str], list] = {}
    for rule in rules:
        rule.in_force = rule.effective_from <= today and (
            rule.effective_to is None or rule.effective_to > today
        )
        rule.upcoming = rule.effective_from > today
        groups.setdefault((rule.sector, rule.occupation), []).append(rule)
    context = {
        "destination": destination,
        "groups": [
            {"sector": SECTOR_LABELS.get(sector, sector), "occupation": occupation, "rules": rs}
            for (sector, occupation), rs in groups.items()
        ],
        "form": form,
        "today": today,
    }
    return render(request, "destinations/admin_sector_rules.html", context, status=status)


@role_required(*READERS)
@require_GET
def sector_rule_list(request: HttpRequest, code: str) -> HttpResponse:
    """A destination's rule history, per sector and occupation, newest first; with the
    form to add a rule for admins."""
    destination = get_destination_for(request.user, code)
    form = SectorRuleForm() if may_manage_rules(request.user) else None
    return _render_rules(request, destination, form)


@role_required(roles.ADMIN)
@require_POST
def sector_rule_add_view(request: HttpRequest, code: str) -> HttpResponse:
    destination = get_destination_for(request.user, code, for_write=True)
    form = SectorRuleForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            rule = sector_rule_add(
                actor=request.user,
                destination=destination,
                sector=data["sector"],
                status=data["status"],
                legal_basis=data["legal_basis"],
                effective_from=data["effective_from"],
                effective_to=data["effective_to"],
                occupation=data["occupation"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Rule recorded: %(sector)s is %(status)s from %(date)s.")
                % {
                    "sector": SECTOR_LABELS.get(rule.sector, rule.sector),
                    "status": rule.get_status_display(),
                    "date": date_format(rule.effective_from),
                },
            )
            return redirect("destinations:rules_sector_rules", code=destination.code)
    return _render_rules(request, destination, form, status=200)


# --- requirement sets ---------------------------------------------------------------


@role_required(*READERS)
@require_GET
def requirement_set_list(request: HttpRequest) -> HttpResponse:
    form = RequirementSetFilterForm(request.GET or {"current": "1"})
    sets = form.filter(
        visible_requirement_sets(request.user)
        .select_related("destination", "scheme")
        .annotate(requirement_count=Count("requirements"))
        .order_by("code", "-version")
    )
    page = CappedPaginator(sets, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "destinations/admin_set_list.html",
        {"form": form, "page": page, "may_manage": may_manage_rules(request.user)},
    )


@role_required(*READERS)
@require_GET
def requirement_set_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rs = get_requirement_set_for(request.user, pk)
    versions = (
        visible_requirement_sets(request.user)
        .filter(code=rs.code)
        .select_related("created_by")
        .order_by("-version")
    )
    requirements = list(rs.requirements.select_related("document_type").order_by("order", "id"))
    return render(
        request,
        "destinations/admin_set_detail.html",
        {
            "rs": rs,
            "requirements": requirements,
            "conditions": condition_texts(rs),
            "versions": versions,
            "sector_label": SECTOR_LABELS.get(rs.sector, ""),
            "may_manage": may_manage_rules(request.user),
        },
    )


def _formset_initial(requirements: list[RequirementData]) -> list[dict]:
    return [
        {
            "document_type": r.type_code,
            "min_level": r.min_level,
            "validity_months": r.validity_months,
            "min_remaining_months": r.min_remaining_months,
            "note": r.note,
            "alternative_group": r.alternative_group,
        }
        for r in requirements
    ]


def _render_set_form(request, *, form, formset, rs=None, status=200):
    return render(
        request,
        "destinations/admin_set_form.html",
        {"form": form, "formset": formset, "rs": rs},
        status=status,
    )


@role_required(roles.ADMIN)
@require_http_methods(["GET", "POST"])
def requirement_set_revise_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A new version of a set: the current terms and documents, to edit; saving makes
    version N+1 and keeps version N in the history."""
    rs = get_requirement_set_for(request.user, pk, for_write=True)
    if not rs.is_current:
        current = RequirementSet.objects.filter(code=rs.code, is_current=True).first()
        messages.info(
            request,
            _("Version %(old)s is not the current version: revise version %(new)s instead.")
            % {"old": rs.version, "new": current.version if current else "?"},
        )
        return redirect("destinations:rules_set", pk=(current or rs).pk)
    choices = document_type_choices()
    if request.method == "GET":
        terms = RequirementSetTerms.of(rs)
        initial = RequirementSetForm.initial_for(terms)
        initial["effective_from"] = max(timezone.localdate(), rs.effective_from)
        form = RequirementSetForm(initial=initial)
        current = [RequirementData.of(r) for r in rs.requirements.select_related("document_type")]
        formset = requirement_formset(initial=_formset_initial(current), type_choices=choices)
        return _render_set_form(request, form=form, formset=formset, rs=rs)
    form = RequirementSetForm(request.POST)
    formset = requirement_formset(request.POST, type_choices=choices)
    if form.is_valid() and formset.is_valid():
        try:
            new = requirement_set_revise(
                actor=request.user,
                requirement_set=rs,
                terms=form.terms(),
                requirements=formset_requirements(formset),
            )
        except VersionConflict as exc:
            form.add_error(
                None,
                ValidationError(
                    _(
                        "Someone else made a new version (%(version)s) of this set since you "
                        "opened it. Nothing was saved: open the current version and revise it."
                    )
                    % {"version": exc.current.version},
                    code="version_conflict",
                ),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Version %(version)s saved; version %(old)s is kept in the history.")
                % {"version": new.version, "old": rs.version},
            )
            return redirect("destinations:rules_set", pk=new.pk)
    return _render_set_form(request, form=form, formset=formset, rs=rs, status=200)


@role_required(roles.ADMIN)
@require_http_methods(["GET", "POST"])
def requirement_set_create_view(request: HttpRequest) -> HttpResponse:
    choices = document_type_choices()
    if request.method == "GET":
        form = RequirementSetCreateForm(
            initial={"min_age": 18, "effective_from": timezone.localdate()}
        )
        formset = requirement_formset(type_choices=choices)
        return _render_set_form(request, form=form, formset=formset)
    form = RequirementSetCreateForm(request.POST)
    formset = requirement_formset(request.POST, type_choices=choices)
    if form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            rs = requirement_set_create(
                actor=request.user,
                code=data["code"],
                scheme=data["scheme"],
                destination=data["destination"],
                sector=data["sector"],
                terms=form.terms(),
                requirements=formset_requirements(formset),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Requirement set created."))
            return redirect("destinations:rules_set", pk=rs.pk)
    return _render_set_form(request, form=form, formset=formset, status=200)
