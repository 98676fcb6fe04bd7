"""Repatriation on the staff pages (docs/repatriation.md): started from the case page
(the "Pemulangan" block, templatetags/repatriation_block.py), its own page with the
steps in order, the travel form, the signed statements and their PDF, cancelling.
Plain POST forms: each answers 302 back with a message, or the page again (400) with
the form's errors in words.

Every object is read through `cases/access.py` (404 and a denied row otherwise); the
services check the finer rights (403 and a denied row)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.accounts.models import User
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.cases.access import (
    get_case_for,
    get_repatriation_for,
    get_repatriation_step_for,
    may_handle_repatriation,
)
from garda.cases.models import (
    Debarkation,
    Need,
    Payer,
    RepatriationReason,
    RepatriationStatement,
    RepatriationStep,
)
from garda.cases.repatriation_words import decorate_steps, progress_text
from garda.cases.services import repatriation as service
from garda.cases.services.common import VersionConflict
from garda.cases.statement_pdf import get_statement_for, statement_response
from garda.places.models import Region
from garda.viewutils import add_service_errors

STAFF_ROLES = (roles.OFFICER, roles.SUPERVISOR, roles.ADMIN)
Kind = RepatriationStatement.Kind


# --- forms ----------------------------------------------------------------------------


class StartForm(forms.Form):
    reason = forms.ChoiceField(
        label=gettext_lazy("Why the person comes home"),
        choices=[("", "—"), *RepatriationReason.choices],
        error_messages={"invalid_choice": gettext_lazy("Choose why the person comes home.")},
    )


class StepDoneForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note (optional)"), max_length=500, required=False)


class NotNeededForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why it is not needed"), max_length=500)


class CancelForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why"), max_length=500)


def _officers():
    return (
        User.objects.filter(is_active=True, groups__name__in=(roles.OFFICER, roles.SUPERVISOR))
        .distinct()
        .order_by("full_name", "email")
    )


class OfficerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name or obj.email


class RegionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class TravelForm(forms.Form):
    payer = forms.ChoiceField(
        label=gettext_lazy("Who pays the ticket"),
        choices=[("", "—"), *Payer.choices],
        required=False,
    )
    payer_name = forms.CharField(label=gettext_lazy("Payer's name"), max_length=200, required=False)
    flight = forms.CharField(label=gettext_lazy("Flight or ship"), max_length=20, required=False)
    debarkation = forms.ChoiceField(
        label=gettext_lazy("Point of arrival"),
        choices=[("", "—"), *Debarkation.choices],
        required=False,
    )
    arrives_at = forms.DateTimeField(
        label=gettext_lazy("Expected arrival"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    needs = forms.MultipleChoiceField(
        label=gettext_lazy("Needs on arrival"),
        choices=Need.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    met_by = OfficerChoice(
        label=gettext_lazy("Met by"), queryset=User.objects.none(), required=False
    )
    home_region = RegionChoice(
        label=gettext_lazy("Home city or regency"),
        queryset=Region.objects.none(),
        required=False,
        to_field_name="code",
    )
    lacks_capacity = forms.BooleanField(
        label=gettext_lazy("Cannot sign for themself"),
        required=False,
        help_text=gettext_lazy("A refusal of rehabilitation is then signed by the family."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["met_by"].queryset = _officers()
        self.fields["home_region"].queryset = Region.objects.filter(
            level=Region.Level.REGENCY, is_current=True
        ).order_by("name")


class StatementForm(forms.Form):
    signed_on = forms.DateField(
        label=gettext_lazy("Signed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200)
    signed_by = forms.ChoiceField(
        label=gettext_lazy("Who signs the refusal"),
        choices=RepatriationStatement.SignedBy.choices,
        widget=forms.RadioSelect,
    )
    signatory_name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    signatory_relation = forms.CharField(
        label=gettext_lazy("Relationship to the worker"), max_length=100
    )
    witness_name = forms.CharField(label=gettext_lazy("Witness"), max_length=200, required=False)
    witness_office = forms.CharField(
        label=gettext_lazy("Witness's office (village or city government)"),
        max_length=200,
        required=False,
    )
    remarks = forms.CharField(
        label=gettext_lazy("Remarks"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, prefix=kind, **kwargs)
        self.kind = kind
        if kind != Kind.REFUSAL:
            del self.fields["signed_by"]
        if kind == Kind.HANDOVER_FAMILY:
            self.fields["signatory_name"].label = _("Family member who receives")
            self.fields["witness_name"].required = True
            self.fields["witness_office"].required = True
        elif kind == Kind.HANDOVER_SOCIAL:
            self.fields["signatory_name"].label = _("Social services officer who receives")
            self.fields["signatory_relation"].label = _("Their office")
        else:
            # The worker signs with their own name; the family member is named, with
            # their relationship (the service requires them when the family signs).
            self.fields["signatory_name"].label = _("Family member who signs")
            self.fields["signatory_name"].required = False
            self.fields["signatory_relation"].label = _("Their relationship to the worker")
            self.fields["signatory_relation"].required = False
            del self.fields["witness_name"], self.fields["witness_office"]
        for name in ("witness_name", "witness_office"):
            if name in self.fields and self.fields[name].required:
                self.fields[name].error_messages["required"] = _(
                    "A hand-over to the family is witnessed by the village or city "
                    "government: write the witness and their office."
                )


STATEMENT_TITLES = {
    Kind.HANDOVER_FAMILY: gettext_lazy("Hand-over to the family"),
    Kind.HANDOVER_SOCIAL: gettext_lazy("Hand-over to social services (no family)"),
    Kind.REFUSAL: gettext_lazy("Refusal of rehabilitation"),
}


# --- the page -------------------------------------------------------------------------


def _travel_initial(rep) -> dict:
    return {
        "payer": rep.payer,
        "payer_name": rep.payer_name,
        "flight": rep.flight,
        "debarkation": rep.debarkation,
        "arrives_at": timezone.localtime(rep.arrives_at).strftime("%Y-%m-%dT%H:%M")
        if rep.arrives_at
        else None,
        "needs": rep.needs,
        "met_by": rep.met_by_id,
        "home_region": rep.home_region_id,
        "lacks_capacity": rep.lacks_capacity,
        "version": rep.version,
    }


def _statement_kinds(rep, steps, statements) -> list[str]:
    """The statements that may still be recorded on `rep`."""
    kinds = {s.kind for s in statements}
    codes = {s.code: s for s in steps}
    out = []
    handover = codes.get("handover")
    if (
        handover is not None
        and handover.status == RepatriationStep.Status.OPEN
        and not kinds & {Kind.HANDOVER_FAMILY, Kind.HANDOVER_SOCIAL}
    ):
        out += [Kind.HANDOVER_FAMILY, Kind.HANDOVER_SOCIAL]
    rehab = codes.get("rehabilitation")
    if (
        rehab is not None
        and rehab.status == RepatriationStep.Status.OPEN
        and Kind.REFUSAL not in kinds
    ):
        out.append(Kind.REFUSAL)
    return out


def _page(request: HttpRequest, rep, *, status: int = 200, **given) -> HttpResponse:
    user = request.user
    steps = decorate_steps(list(rep.steps.select_related("owner").order_by("position")))
    statements = list(rep.statements.order_by("recorded_at", "id"))
    handle = may_handle_repatriation(user, rep)
    context = {
        "rep": rep,
        "steps": steps,
        "progress": progress_text(steps),
        "statements": statements,
        "may_handle": handle,
        "needs": [str(Need(n).label) for n in rep.needs if n in Need.values],
        "form": next(iter(given.values()), None),  # base.html: "Error:" in the title
        "failed_step": given.get("failed_step"),
    }
    if handle:
        context["travel_form"] = given.get("travel_form") or TravelForm(
            initial=_travel_initial(rep), auto_id="travel-%s"
        )
        context["statement_forms"] = [
            (
                kind,
                STATEMENT_TITLES[kind],
                given.get(f"statement_{kind}")
                or StatementForm(kind=kind, initial={"signed_on": timezone.localdate()}),
            )
            for kind in _statement_kinds(rep, steps, statements)
        ]
        if rep.status == rep.Status.OPEN:
            context["cancel_form"] = given.get("cancel_form") or CancelForm(auto_id="cancel-%s")
    return render(request, "cases/repatriation.html", context, status=status)


def _read(user, pk):
    rep = get_repatriation_for(user, pk)
    audit_record(actor=user, action=AuditEvent.Action.VIEW, target=rep)
    return rep


@role_required(*STAFF_ROLES)
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _read(request.user, pk))


def _back(rep, anchor: str = "") -> HttpResponse:
    return redirect(reverse("cases:repatriation", args=[rep.pk]) + anchor)


def _refusal(request, exc: Exception) -> None:
    if isinstance(exc, service.StepBlocked):
        messages.error(request, exc.message)
    elif isinstance(exc, service.NotLive):
        messages.error(
            request,
            _("This repatriation is completed or cancelled: nothing more can be changed."),
        )
    elif isinstance(exc, VersionConflict):
        messages.error(
            request,
            _(
                "The repatriation was changed by someone else meanwhile: check it below, "
                "then try again."
            ),
        )
    else:
        messages.error(request, " ".join(exc.messages))


# --- writes ---------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    """From the case page: a repatriation with the reason's steps."""
    case = get_case_for(request.user, pk, for_write=True)
    form = StartForm(request.POST, prefix="repatriation")
    back = reverse("cases:detail", args=[case.pk]) + "#repatriation"
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(back)
    try:
        rep = service.repatriation_start(
            actor=request.user, case=case, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    messages.success(
        request,
        _("Repatriation %(reference)s is started: its steps are below.")
        % {"reference": rep.reference},
    )
    return _back(rep)


@role_required(*STAFF_ROLES)
@require_POST
def step_done(request: HttpRequest, pk: int) -> HttpResponse:
    step = get_repatriation_step_for(request.user, pk)
    rep = step.repatriation
    form = StepDoneForm(request.POST, prefix=f"step{step.pk}")
    if not form.is_valid():
        return _page(request, rep, status=400, done_form=form, failed_step=step.pk)
    try:
        service.step_complete(actor=request.user, step=step, note=form.cleaned_data["note"])
    except (service.StepBlocked, service.NotLive, ValidationError) as exc:
        _refusal(request, exc)
    else:
        messages.success(
            request, _("“%(step)s” is done.") % {"step": service.rules.STEP_LABELS[step.code]}
        )
    return _back(rep, f"#step-{step.pk}")


@role_required(*STAFF_ROLES)
@require_POST
def step_not_needed(request: HttpRequest, pk: int) -> HttpResponse:
    step = get_repatriation_step_for(request.user, pk)
    rep = step.repatriation
    form = NotNeededForm(request.POST, prefix=f"skip{step.pk}")
    if form.is_valid():
        try:
            service.step_not_needed(
                actor=request.user, step=step, reason=form.cleaned_data["reason"]
            )
        except (service.NotLive, ValidationError) as exc:
            _refusal(request, exc)
        else:
            messages.success(
                request,
                _("“%(step)s” is marked not needed.")
                % {"step": service.rules.STEP_LABELS[step.code]},
            )
        return _back(rep, f"#step-{step.pk}")
    messages.error(request, _("Say why this step is not needed (a few words)."))
    return _back(rep, f"#step-{step.pk}")


@role_required(*STAFF_ROLES)
@require_POST
def travel(request: HttpRequest, pk: int) -> HttpResponse:
    rep = get_repatriation_for(request.user, pk)
    form = TravelForm(request.POST, auto_id="travel-%s")
    if not form.is_valid():
        return _page(request, rep, status=400, travel_form=form)
    data = dict(form.cleaned_data)
    version = data.pop("version")
    try:
        service.repatriation_update(actor=request.user, repatriation=rep, version=version, **data)
    except VersionConflict as exc:
        _refusal(request, exc)
    except service.NotLive as exc:
        _refusal(request, exc)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _page(request, rep, status=400, travel_form=form)
    else:
        messages.success(request, _("The travel details are saved."))
    return _back(rep, "#travel")


@role_required(*STAFF_ROLES)
@require_POST
def statement(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    rep = get_repatriation_for(request.user, pk)
    if kind not in Kind.values:
        messages.error(request, _("Choose the kind of statement."))
        return _back(rep, "#statements")
    form = StatementForm(request.POST, kind=kind)
    given = {f"statement_{kind}": form}
    if not form.is_valid():
        return _page(request, rep, status=400, **given)
    try:
        row = service.statement_record(
            actor=request.user, repatriation=rep, kind=kind, **form.cleaned_data
        )
    except (service.StepBlocked, service.NotLive) as exc:
        _refusal(request, exc)
        return _back(rep, "#statements")
    except ValidationError as exc:
        if set(getattr(exc, "error_dict", {})) & set(form.fields):
            add_service_errors(form, exc)
            return _page(request, rep, status=400, **given)
        _refusal(request, exc)
        return _back(rep, "#statements")
    messages.success(
        request,
        _("Statement %(number)s is recorded: print it from the list below.")
        % {"number": row.number},
    )
    return _back(rep, "#statements")


@role_required(*STAFF_ROLES)
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    rep = get_repatriation_for(request.user, pk)
    form = CancelForm(request.POST, auto_id="cancel-%s")
    if not form.is_valid():
        return _page(request, rep, status=400, cancel_form=form)
    try:
        service.repatriation_cancel(
            actor=request.user, repatriation=rep, reason=form.cleaned_data["reason"]
        )
    except (service.NotLive, ValidationError) as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("The repatriation is cancelled."))
    return _back(rep)


@role_required(*STAFF_ROLES)
@require_GET
def statement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable berita acara, an EXPORT audit row on it and on the case."""
    return statement_response(request.user, get_statement_for(request.user, pk))
