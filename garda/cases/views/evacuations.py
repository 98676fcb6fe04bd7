"""Mass evacuations and the arrivals board on the staff pages (docs/repatriation.md,
"Evacuations and the arrivals board"): the list and the form to start one; an
evacuation's page (its people with checkboxes and the bulk actions, adding people from
a list or a CSV file, closing); its list per flight and the printable sheet; the
arrivals board for the reception team and its printable sheet.

Plain forms that work without JavaScript: every action is a POST, then back to the page
with a message. The checks are cases/arrivals.py's, the writes the services'."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.accounts.models import User
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.cases import arrivals
from garda.cases.access import REPATRIATION_OBJECT, get_evacuation_for, visible_evacuations
from garda.cases.models import Debarkation, Evacuation
from garda.cases.repatriation import STEP_LABELS
from garda.cases.services import repatriation as service
from garda.cases.services.repatriation import repatriation_rows
from garda.pagination import CappedPaginator
from garda.places.models import Country
from garda.viewutils import add_service_errors

STAFF_ROLES = (roles.OFFICER, roles.SUPERVISOR, roles.ADMIN)
BOARD_ROLES = (roles.OFFICER, roles.SUPERVISOR)
PAGE_SIZE = 200
MAX_FILE = 512 * 1024


class EvacuationForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name of the operation"),
        max_length=200,
        help_text=gettext_lazy("For example: Evacuation from Sudan, April 2026."),
    )
    country = forms.ModelChoiceField(label=gettext_lazy("Country"), queryset=Country.objects.all())
    cause = forms.CharField(
        label=gettext_lazy("What happened"),
        max_length=500,
        help_text=gettext_lazy("A few words: armed conflict, earthquake, flood."),
    )


class PeopleForm(forms.Form):
    people = forms.CharField(
        label=gettext_lazy("People, one a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "A name, or “name;flight;needs”, for example: Siti Aminah;GA 991;kursi roda, "
            "medis. Needs: kursi roda, tandu, pendamping, penampungan, medis, konseling."
        ),
    )
    file = forms.FileField(
        label=gettext_lazy("Or a CSV file with the same columns"),
        required=False,
        help_text=gettext_lazy("Columns: name, flight, needs (separated by “/”)."),
    )

    def rows(self) -> list[dict]:
        text = self.cleaned_data.get("people") or ""
        upload = self.cleaned_data.get("file")
        if upload is not None:
            if upload.size > MAX_FILE:
                raise ValidationError({"file": _("The file is too large (at most 512 KB).")})
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ValidationError(
                    {"file": _("The file cannot be read: save it as CSV (UTF-8).")}
                ) from None
        rows = arrivals.parse_people_text(text)
        if not rows:
            raise ValidationError({"people": _("Add at least one person.")})
        return rows


def _step_choices():
    return [(c, label) for c, label in arrivals.evacuation_steps() if c != "handover"]


class BulkForm(forms.Form):
    ACTIONS = (
        ("complete", gettext_lazy("Mark a step done")),
        ("travel", gettext_lazy("Set travel")),
    )
    action = forms.ChoiceField(choices=ACTIONS)
    ids = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())
    flight = forms.CharField(
        label=gettext_lazy("Or everyone on the flight"), max_length=20, required=False
    )
    step = forms.ChoiceField(label=gettext_lazy("Step"), choices=(), required=False)
    new_flight = forms.CharField(label=gettext_lazy("Flight"), max_length=20, required=False)
    arrives_at = forms.DateTimeField(
        label=gettext_lazy("Expected arrival"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    debarkation = forms.ChoiceField(
        label=gettext_lazy("Point of arrival"),
        required=False,
        choices=[("", "—"), *Debarkation.choices],
    )

    def __init__(self, *args, people_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(i, i) for i in people_ids]
        self.fields["step"].choices = _step_choices()


# --- the list and the form ---------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_GET
def evacuation_list(request: HttpRequest) -> HttpResponse:
    evacuations = (
        visible_evacuations(request.user).select_related("country").order_by("-created_at", "-id")
    )
    page = CappedPaginator(evacuations, 25).get_page(request.GET.get("page"))
    return render(request, "cases/evacuation_list.html", {"page": page})


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def evacuation_create(request: HttpRequest) -> HttpResponse:
    form = EvacuationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            evacuation = service.evacuation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Evacuation %(ref)s started.") % {"ref": evacuation.reference}
            )
            return redirect("cases:evacuation", pk=evacuation.pk)
    return render(request, "cases/evacuation_form.html", {"form": form})


# --- one evacuation ----------------------------------------------------------------------


def _detail(request, evacuation: Evacuation, *, people_form=None, status=200):
    user = request.user
    flight = (request.GET.get("flight") or "").strip().upper()
    reps = arrivals.evacuation_people(user, evacuation).order_by("flight", "name", "id")
    if flight:
        reps = reps.filter(flight=flight)
    reps = list(repatriation_rows(reps))
    nexts = arrivals.next_steps(reps)
    for rep in reps:
        rep.next_step = nexts[rep.pk]
    audit_record(
        actor=user, action=AuditEvent.Action.VIEW, object_type=REPATRIATION_OBJECT, reason="list"
    )
    counts = arrivals.evacuation_counts(user, evacuation)
    context = {
        "evacuation": evacuation,
        "people": reps,
        "flight": flight,
        "counts": counts,
        "flights": [f["flight"] for f in counts["by_flight"] if f["flight"]],
        "bulk": BulkForm(),
        "people_form": people_form or PeopleForm(),
        "is_open": evacuation.status == Evacuation.Status.OPEN,
        "repatriation_page": _has_repatriation_page(),
    }
    return render(request, "cases/evacuation_detail.html", context, status=status)


def _has_repatriation_page() -> bool:
    """The single repatriation's page (views/repatriation.py) once it exists."""
    from django.urls import NoReverseMatch

    try:
        reverse("cases:repatriation", kwargs={"pk": 1})
    except NoReverseMatch:
        return False
    return True


@role_required(*STAFF_ROLES)
@require_GET
def evacuation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_evacuation_for(request.user, pk))


@role_required(*STAFF_ROLES)
@require_POST
def people_add(request: HttpRequest, pk: int) -> HttpResponse:
    evacuation = get_evacuation_for(request.user, pk)
    form = PeopleForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            rows = arrivals.clean_people(request.user, form.rows())
            reps = service.repatriations_start_many(
                actor=request.user, evacuation=evacuation, people=rows
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(n)s people added.") % {"n": len(reps)})
            return redirect("cases:evacuation", pk=evacuation.pk)
    return _detail(request, evacuation, people_form=form, status=422)


def _names(reps, limit=10) -> str:
    names = [r.name for r in reps[:limit]]
    if len(reps) > limit:
        names.append("…")
    return ", ".join(names)


def result_message(result) -> str:
    """ "120 done; 3 not yet: an earlier step is not done (names...)"."""
    parts = [_("%(n)s done") % {"n": len(result.done)}]
    if result.blocked:
        parts.append(
            _("%(n)s not yet: an earlier step is not done (%(names)s)")
            % {"n": len(result.blocked), "names": _names([r for r, _code in result.blocked])}
        )
    if result.skipped:
        parts.append(
            _("%(n)s skipped: already done, or no longer under way") % {"n": len(result.skipped)}
        )
    return "; ".join(parts) + "."


@role_required(*STAFF_ROLES)
@require_POST
def bulk(request: HttpRequest, pk: int) -> HttpResponse:
    evacuation = get_evacuation_for(request.user, pk)
    back = reverse("cases:evacuation", kwargs={"pk": evacuation.pk})
    ids = list(arrivals.evacuation_people(request.user, evacuation).values_list("pk", flat=True))
    form = BulkForm(request.POST, people_ids=ids)
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return redirect(back)
    data = form.cleaned_data
    try:
        people = arrivals.select_people(
            request.user, evacuation, ids=data["ids"], flight=data["flight"]
        )
        if data["action"] == "complete":
            code = data["step"]
            result = service.steps_complete_many(
                actor=request.user, repatriations=people, code=code
            )
            messages.success(request, f"{STEP_LABELS[code]}: {result_message(result)}")
        else:
            values = {}
            if data["new_flight"]:
                values["flight"] = data["new_flight"]
            if data["arrives_at"]:
                values["arrives_at"] = data["arrives_at"]
            if data["debarkation"]:
                values["debarkation"] = data["debarkation"]
            if not values:
                raise ValidationError(
                    {"new_flight": _("Write the flight, the arrival time or the point of arrival.")}
                )
            n = service.repatriations_update_many(
                actor=request.user, repatriations=people, **values
            )
            messages.success(request, _("Travel details set for %(n)s people.") % {"n": n})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(back)


@role_required(*STAFF_ROLES)
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    evacuation = get_evacuation_for(request.user, pk)
    try:
        service.evacuation_close(actor=request.user, evacuation=evacuation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The evacuation is closed."))
    return redirect("cases:evacuation", pk=evacuation.pk)


# --- per flight --------------------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_GET
def flights(request: HttpRequest, pk: int) -> HttpResponse:
    evacuation = get_evacuation_for(request.user, pk)
    groups = arrivals.read_flights(request.user, evacuation)
    return render(
        request, "cases/evacuation_flights.html", {"evacuation": evacuation, "flights": groups}
    )


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _exported(user: User) -> None:
    audit_record(
        actor=user, action=AuditEvent.Action.EXPORT, object_type=REPATRIATION_OBJECT, reason="list"
    )


@role_required(*STAFF_ROLES)
@require_GET
def flights_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from garda.cases.arrivals_pdf import render_flights

    evacuation = get_evacuation_for(request.user, pk)
    groups = arrivals.flights(request.user, evacuation)
    _exported(request.user)
    content = render_flights(evacuation, groups)
    return _pdf(content, f"penerbangan-{evacuation.reference}.pdf")


# --- the arrivals board ------------------------------------------------------------------


def _range(request):
    """(begin, finish, error): the dates asked for, else the default week and the
    reason in words."""
    try:
        begin, finish = arrivals.arrival_range(request.GET.get("from"), request.GET.get("to"))
    except ValidationError as exc:
        begin, finish = arrivals.arrival_range(None, None)
        return begin, finish, " ".join(exc.messages)
    return begin, finish, ""


@role_required(*BOARD_ROLES)
@require_GET
def arrivals_board(request: HttpRequest) -> HttpResponse:
    begin, finish, error = _range(request)
    page = CappedPaginator(arrivals.read_arrivals(request.user, begin, finish), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "error": error,
        "begin": begin,
        "last_day": timezone.localdate(finish - timezone.timedelta(seconds=1)),
        "page": page,
        "days": arrivals.by_day(page.object_list),
        "query": request.GET.urlencode(),
    }
    return render(request, "cases/arrivals.html", context, status=422 if error else 200)


@role_required(*BOARD_ROLES)
@require_GET
def arrivals_pdf(request: HttpRequest) -> HttpResponse:
    from garda.cases.arrivals_pdf import render_arrivals

    begin, finish, error = _range(request)
    if error:
        return render(
            request,
            "cases/arrivals.html",
            {"error": error, "days": [], "page": None},
            status=422,
        )
    reps = list(arrivals.arrivals(request.user, begin, finish)[:2000])
    _exported(request.user)
    content = render_arrivals(arrivals.by_day(reps), begin, finish)
    return _pdf(content, f"kedatangan-{timezone.localdate(begin):%Y%m%d}.pdf")
