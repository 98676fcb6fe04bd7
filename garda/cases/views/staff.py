"""The officer's and supervisor's pages of protection cases: the worklist (my cases,
the intake queue, the agency's cases), intake by an officer (hotline, walk-in...), one
case with everything on it, and a case file's download. The actions on a case (POST)
are in `views/handling.py`; both read through `cases/access.py` and write through the
services.
"""

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from garda import crypto
from garda.accompaniment.access import manageable_officers
from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.cases import display, workflow
from garda.cases.access import (
    get_case_part_for,
    may_handle,
    may_manage,
    read_case_for,
    read_cases,
)
from garda.cases.forms import (
    ApprovalForm,
    CaseForm,
    MoveForm,
    NoteForm,
    ReasonForm,
    ScreeningForm,
    ServiceForm,
    SeverityForm,
    TaskForm,
)
from garda.cases.models import (
    Approval,
    Case,
    CaseDocument,
    CaseKind,
    Clock,
    ClosingReason,
    Escalation,
    Kind,
    MatchState,
    Service,
    Severity,
    Stage,
    Status,
)
from garda.cases.services import intake
from garda.pagination import CappedPaginator
from garda.viewutils import add_service_errors

STAFF_ROLES = (roles.OFFICER, roles.SUPERVISOR, roles.ADMIN)
PAGE_SIZE = 25
TIMELINE_LIMIT = 100  # of each kind of entry: the page stays bounded

MINE, QUEUE, AGENCY = "mine", "queue", "agency"
BREACHED, AT_RISK = "breached", "at_risk"
ALL = "all"


# --- the small forms of a case's actions (the rest are in cases/forms.py) --------------------


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=None, empty_label=None)
    reason = forms.CharField(label=_("Why (optional)"), max_length=500, required=False)

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["officer"].label_from_instance = lambda u: (
            f"{u.full_name or u.email} ({u.agency.short_name})"
            if u.agency_id
            else (u.full_name or u.email)
        )


class DuplicateForm(forms.Form):
    reference = forms.CharField(
        label=_("Number of the case it repeats"),
        max_length=20,
        help_text=_("For example KS-2026-000042."),
    )
    reason = forms.CharField(label=_("Why"), max_length=500)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("What it is"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("One PDF, JPEG or PNG file."),
        error_messages={"required": _("Choose a file.")},
    )


# --- the list ---------------------------------------------------------------------------


def _views_for(user) -> list[tuple[str, str]]:
    views = [(MINE, _("My cases")), (QUEUE, _("Intake queue"))]
    if user.role == roles.SUPERVISOR:
        views.append((AGENCY, _("My agency's cases and the queue")))
    elif user.role == roles.ADMIN:
        views.append((AGENCY, _("All cases")))
    return views


class CaseFilterForm(forms.Form):
    """The list's filters (GET); a bad value is ignored rather than an error. The
    hidden ones come from the dashboard's links (an owner, one clock, escalated cases,
    overdue services, an agency for admins, a start day), with the dashboard's own
    conditions, so that a count and the list behind it agree."""

    q = forms.CharField(label=_("Case number"), max_length=20, required=False)
    status = forms.ChoiceField(
        label=_("Record status"),
        choices=[
            ("", pgettext_lazy("case status", "Open")),
            (Status.CLOSED, pgettext_lazy("case status", "Closed")),
            (Status.DUPLICATE, pgettext_lazy("case status", "Duplicate")),
            (ALL, _("All")),
        ],
        required=False,
    )
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("All stages")), *Stage.choices], required=False
    )
    severity = forms.ChoiceField(
        label=_("Severity"), choices=[("", _("All severities")), *Severity.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind of problem"), choices=[("", _("All kinds")), *Kind.choices], required=False
    )
    clock = forms.ChoiceField(
        label=_("Deadlines"),
        choices=[("", _("All")), (BREACHED, _("Overdue")), (AT_RISK, _("Due soon"))],
        required=False,
    )
    clock_name = forms.ChoiceField(
        choices=[("", ""), *Clock.Name.choices], required=False, widget=forms.HiddenInput
    )
    owner = forms.CharField(max_length=12, required=False, widget=forms.HiddenInput)
    escalated = forms.BooleanField(required=False, widget=forms.HiddenInput)
    service = forms.ChoiceField(
        choices=[("", ""), ("overdue", "overdue")], required=False, widget=forms.HiddenInput
    )
    agency = forms.IntegerField(
        min_value=1, max_value=2**31 - 1, required=False, widget=forms.HiddenInput
    )
    since = forms.DateField(required=False, widget=forms.HiddenInput)

    def values(self) -> dict:
        if not self.is_bound:
            return {}
        if self.is_valid():
            return self.cleaned_data
        return {k: v for k, v in self.cleaned_data.items() if k not in self.errors}


def filter_cases(qs: QuerySet[Case], user, view: str, values: dict, now=None) -> QuerySet[Case]:
    from garda.cases import dashboard as board

    now = now or timezone.now()
    if view == MINE:
        qs = qs.filter(owner=user)
    elif view == QUEUE:
        qs = qs.filter(owner__isnull=True, status=Status.OPEN)
    status = values.get("status") or Status.OPEN
    if status != ALL:
        qs = qs.filter(status=status)
    if values.get("q"):
        qs = qs.filter(reference__icontains=values["q"].strip())
    if values.get("stage"):
        qs = qs.filter(stage=values["stage"])
    if values.get("severity"):
        qs = qs.filter(severity=values["severity"])
    if values.get("kind"):
        qs = qs.filter(Exists(CaseKind.objects.filter(case=OuterRef("pk"), kind=values["kind"])))
    if values.get("clock") in (BREACHED, AT_RISK):
        clocks_ = Clock.objects.filter(case=OuterRef("pk")).filter(
            board.clock_q(values["clock"], now)
        )
        if values.get("clock_name"):
            clocks_ = clocks_.filter(name=values["clock_name"])
        qs = qs.filter(Exists(clocks_))
    owner = values.get("owner") or ""
    if owner == "none":
        qs = qs.filter(owner__isnull=True)
    elif owner.isdigit() and len(owner) < 11:
        qs = qs.filter(owner_id=int(owner))
    if values.get("escalated"):
        qs = qs.filter(
            Exists(
                Escalation.objects.filter(board.escalated_q(now, prefix=""), case=OuterRef("pk"))
            )
        )
    if values.get("service") == "overdue":
        qs = qs.filter(
            Exists(
                Service.objects.filter(board.overdue_service_q(now, prefix=""), case=OuterRef("pk"))
            )
        )
    if values.get("agency") and user.role == roles.ADMIN:
        qs = qs.filter(agency_id=values["agency"])
    if values.get("since"):
        start = timezone.make_aware(datetime.combine(values["since"], datetime.min.time()))
        qs = qs.filter(created_at__gte=start)
    return qs


def list_rows(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Ordered by the nearest running deadline (none last), with what a row shows. The
    deadline is only in ORDER BY, so that counting the list (which drops the ordering)
    does not compute it for every case."""
    next_due = (
        Clock.objects.filter(case=OuterRef("pk"), done_at__isnull=True)
        .order_by("due_at")
        .values("due_at")[:1]
    )
    return (
        qs.select_related("owner", "agency", "person")
        .prefetch_related(
            Prefetch("kinds", queryset=CaseKind.objects.only("id", "case_id", "kind")),
            "clocks",
        )
        .order_by(Subquery(next_due).asc(nulls_last=True), "-created_at", "-id")
    )


def fill_rows(cases, now=None) -> None:
    now = now or timezone.now()
    for case in cases:
        case.kind_labels = display.kind_labels(k.kind for k in case.kinds.all())
        case.nearest = display.nearest_clock(case.clocks.all(), now)
        case.concerned = case.person.full_name if case.person_id else case.subject_name
        case.severity_tag = display.severity_tag(case.severity)
        case.status_label = display.status_label(case.status)


@role_required(*STAFF_ROLES)
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    views = _views_for(user)
    default = AGENCY if user.role in (roles.SUPERVISOR, roles.ADMIN) else MINE
    view = request.GET.get("view") or default
    if view not in dict(views):
        view = default
    form = CaseFilterForm(request.GET or None)
    qs = filter_cases(read_cases(user), user, view, form.values())
    page = CappedPaginator(list_rows(qs), PAGE_SIZE).get_page(request.GET.get("page"))
    fill_rows(page.object_list)
    return render(
        request,
        "cases/staff/list.html",
        {
            "filters": form,  # not "form": base.html marks a page with form errors
            "page": page,
            "view": view,
            "views": views,
            "filtered": any(form.values().values()),
        },
    )


# --- intake by an officer -----------------------------------------------------------------


@role_required(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    """A report taken by an officer (a hotline call, a visit, an embassy's letter).
    The tracking secret of a reporter without an account is shown on the answer page
    only, once: it is stored nowhere (number + secret open the tracking page)."""
    if request.method == "POST":
        form = CaseForm(request.POST)
        screening_form = ScreeningForm(request.POST)
        if form.is_valid() and screening_form.is_valid():
            try:
                case, secret = intake.case_open(
                    actor=request.user,
                    data=form.report_data(answers=screening_form.answers()),
                    channel=form.cleaned_data["channel"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return render(
                    request,
                    "cases/staff/created.html",
                    {"case": case, "secret": secret, "may_open": may_handle(request.user, case)},
                )
    else:
        form = CaseForm()
        screening_form = ScreeningForm()
    return render(
        request,
        "cases/staff/create.html",
        {"form": form, "screening_form": screening_form},
        status=400 if request.method == "POST" else 200,
    )


# --- one case ----------------------------------------------------------------------------------


def _timeline(case: Case, notes: list | None = None) -> list[dict]:
    """Stage moves, notes, severity changes, screenings, approvals and escalations,
    newest first (each kind capped at TIMELINE_LIMIT of its newest)."""
    entries = []
    for row in case.stage_changes.select_related("actor").order_by("-at", "-id")[:TIMELINE_LIMIT]:
        title = (
            _("Case opened (%(stage)s)") % {"stage": display.stage_label(row.to_stage)}
            if not row.from_stage
            else _("Stage: %(from)s → %(to)s")
            % {
                "from": display.stage_label(row.from_stage),
                "to": display.stage_label(row.to_stage),
            }
        )
        detail = display.channel_label(row.reason) if not row.from_stage else row.reason
        entries.append({"at": row.at, "title": title, "detail": detail, "actor": row.actor})
    for note in case.notes.select_related("author").order_by("-created_at", "-id")[:TIMELINE_LIMIT]:
        if note.from_reporter:
            title = _("Message from the worker or the reporter")
        elif note.shared:
            title = _("Note shared with the worker and the reporter")
        else:
            title = _("Internal note")
        entries.append(
            {"at": note.created_at, "title": title, "detail": note.text, "actor": note.author}
        )
    for row in case.severity_changes.select_related("actor").order_by("-at", "-id")[
        :TIMELINE_LIMIT
    ]:
        entries.append(
            {
                "at": row.at,
                "title": _("Severity: %(from)s → %(to)s")
                % {
                    "from": display.severity_label(row.from_severity),
                    "to": display.severity_label(row.to_severity),
                },
                "detail": _("raised by the screening") if row.reason == "screening" else row.reason,
                "actor": row.actor,
            }
        )
    for row in case.screenings.select_related("asked_by").order_by("-asked_at", "-id")[
        :TIMELINE_LIMIT
    ]:
        entries.append(
            {
                "at": row.asked_at,
                "title": _("Screening: %(level)s")
                % {"level": display.screening_level_label(row.level)},
                "detail": ", ".join(display.indicator_labels(row.indicators)),
                "actor": row.asked_by,
            }
        )
    for row in case.approvals.select_related("requested_by", "decided_by").order_by(
        "-requested_at", "-id"
    )[:TIMELINE_LIMIT]:
        entries.append(
            {
                "at": row.requested_at,
                "title": _("Closing requested (%(reason)s)")
                % {"reason": display.closing_reason_label(row.closing_reason)},
                "detail": row.reason,
                "actor": row.requested_by,
            }
        )
        if row.decided_at:
            entries.append(
                {
                    "at": row.decided_at,
                    "title": _("Closing approved")
                    if row.decision == Approval.Decision.APPROVED
                    else _("Closing not approved"),
                    "detail": row.comment,
                    "actor": row.decided_by,
                }
            )
    for row in case.escalations.order_by("-at", "-id")[:TIMELINE_LIMIT]:
        entries.append(
            {
                "at": row.at,
                "title": _("Overdue, escalated (level %(level)s): %(clock)s")
                % {"level": row.level, "clock": display.clock_name_label(row.clock)},
                "detail": "",
                "actor": None,
            }
        )
    entries.sort(key=lambda e: e["at"], reverse=True)
    return entries


def _move_choices(case: Case) -> list[tuple[str, str]]:
    """Where the case may move next (closing has its own form)."""
    if not case.is_open:
        return []
    stages = workflow.allowed(case.stage) - {Stage.CLOSED}
    if case.owner_id is None:
        stages -= {Stage.ASSIGNED}  # assigning an officer moves it there
    order = list(workflow.STAGES)
    return [(s, display.stage_label(s)) for s in sorted(stages, key=order.index)]


def _close_choices(case: Case) -> list[tuple[str, str]]:
    if not case.is_open or Stage.CLOSED not in workflow.allowed(case.stage):
        return []
    codes = (
        [workflow.RESOLVED_REASON] if case.stage == Stage.RESOLVED else list(workflow.EARLY_REASONS)
    )
    return [(c, ClosingReason(c).label) for c in codes]


def detail_context(request: HttpRequest, case: Case, **given) -> dict:
    """Everything the case page shows; `given` holds forms that failed (kept with their
    errors and typed values) instead of empty ones."""
    user = request.user
    now = timezone.now()
    handle = may_handle(user, case)
    manage = may_manage(user, case)
    kinds = display.kind_labels(case.kinds.values_list("kind", flat=True))
    clock_rows = display.clock_views(case.clocks.all(), now)
    latest_screening = case.screenings.order_by("-asked_at", "-id").first()
    pending = (
        case.approvals.filter(decision=Approval.Decision.PENDING)
        .select_related("requested_by")
        .first()
    )
    notes = list(case.notes.select_related("author").order_by("-created_at", "-id"))
    tasks = list(case.tasks.select_related("assignee").order_by("done_at", "due_at", "id"))
    services = list(case.services.order_by("done_at", "due_at", "id"))
    for row in [*tasks, *services]:
        row.is_overdue = row.done_at is None and row.due_at < now
    documents = list(case.documents.select_related("uploaded_by").order_by("-uploaded_at", "-id"))
    escalations = list(case.escalations.order_by("-at", "-id")[:20])
    suggestions = []
    if handle and case.match_state == MatchState.SUGGESTED:
        suggestions = intake.case_suggestions(case)
    nik = intake.subject_nik(case)
    close_choices = _close_choices(case)
    move_choices = _move_choices(case)
    context = {
        "case": case,
        "now": now,
        "may_handle": handle,
        "may_manage": manage,
        "kinds": kinds,
        "clocks": clock_rows,
        "severity_tag": display.severity_tag(case.severity),
        "status_tag": display.STATUS_TAGS.get(case.status, "tag-grey"),
        "status_label": display.status_label(case.status),
        "next_step": display.next_step(
            stage=case.stage,
            status=case.status,
            has_owner=case.owner_id is not None,
            approval_pending=pending is not None,
        ),
        "channel": display.channel_label(case.channel),
        "relationship": display.relationship_label(case.relationship),
        "match_label": display.match_label(case.match_state),
        "nik_masked": crypto.mask(nik) if nik else "",
        "may_register": handle
        and case.person_id is None
        and bool(nik)
        and not any(getattr(p, "by_nik", False) for p in suggestions),
        "suggestions": suggestions,
        "screening": latest_screening,
        "screening_label": display.screening_level_label(case.screening_level),
        "indicators": display.indicator_labels(latest_screening.indicators)
        if latest_screening
        else [],
        "pending": pending,
        "notes": notes,
        "tasks": tasks,
        "services": services,
        "documents": documents,
        "escalations": [
            {"row": e, "clock": display.clock_name_label(e.clock)} for e in escalations
        ],
        "timeline": _timeline(case, notes),
        "may_take": user.role == roles.OFFICER
        and case.owner_id is None
        and case.is_open
        and case.stage == Stage.TRIAGED,
        "may_reopen": handle and case.status == Status.CLOSED,
        "may_duplicate": handle and case.is_open,
        "closing_reason": display.closing_reason_label(case.closing_reason)
        if case.closing_reason
        else "",
    }
    if handle and case.is_open:
        move_form = given.get("move_form") or MoveForm(initial={"version": case.version})
        move_form.fields["stage"].choices = move_choices
        move_form.fields.pop("closing_reason", None)  # closing has its own form
        close_form = given.get("close_form") or MoveForm(
            prefix="close", initial={"version": case.version, "stage": Stage.CLOSED}
        )
        close_form.fields["closing_reason"].choices = close_choices
        close_form.fields["closing_reason"].required = True
        close_form.fields["stage"].widget = forms.HiddenInput()
        context.update(
            move_form=move_form if move_choices or "move_form" in given else None,
            close_form=close_form if close_choices or "close_form" in given else None,
            note_form=given.get("note_form") or NoteForm(),
            task_form=given.get("task_form") or TaskForm(),
            service_form=given.get("service_form") or ServiceForm(),
            screening_form=given.get("screening_form") or ScreeningForm(prefix="s"),
            document_form=given.get("document_form") or DocumentForm(),
            duplicate_form=given.get("duplicate_form") or DuplicateForm(),
        )
    if manage:
        context["severity_form"] = given.get("severity_form") or SeverityForm(
            initial={"severity": case.severity}
        )
        if case.is_open and case.stage != Stage.NEW:
            context["assign_form"] = given.get("assign_form") or AssignForm(
                officers=manageable_officers(user).select_related("agency").order_by("full_name"),
                initial={"officer": case.owner_id},
            )
        if pending is not None:
            context["approval_form"] = given.get("approval_form") or ApprovalForm()
    if handle and case.status == Status.CLOSED:
        context["reopen_form"] = given.get("reopen_form") or ReasonForm(prefix="reopen")
    from garda.cases.views.transfers import case_page_context

    context.update(case_page_context(user, case, handle, given))
    for key, value in context.items():
        if key.endswith("_form") and value is not None:
            value.auto_id = f"{key.removesuffix('_form')}-%s"
    return context


def render_detail(request: HttpRequest, case: Case, *, status: int = 200, **given) -> HttpResponse:
    """The case page (a failed form shown again re-reads the case: audited too)."""
    from garda.cases.access import case_read

    context = detail_context(request, case, **given)
    if status != 200:
        case_read(request.user, case, reason="form error")
        # base.html starts the title with "Error:" when `form` has errors.
        context["form"] = next(iter(given.values()), None)
    return render(request, "cases/staff/detail.html", context, status=status)


@role_required(*STAFF_ROLES)
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = read_case_for(request.user, pk)
    return render_detail(request, case)


# --- a case's file ---------------------------------------------------------------------------

EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def get_document_for(user, pk) -> CaseDocument:
    """A file of a case `user` may open; else 404 with a denied row."""
    return get_case_part_for(user, CaseDocument, pk, what="get_document_for", for_write=False)


@role_required(*STAFF_ROLES)
@require_GET
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """A case's file as a download (never inline, never cached), each one audited."""
    from garda.documents import storage

    doc = get_document_for(request.user, pk)
    data = storage.read(doc.storage_name)
    audit_record(actor=request.user, action=AuditEvent.Action.VIEW, target=doc, reason="download")
    response = HttpResponse(data, content_type=doc.content_type)
    extension = EXTENSIONS.get(doc.content_type, "bin")
    # Codes and ids only: the uploaded name never reaches a header.
    filename = f"{doc.case.reference}-{doc.pk}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    response["Content-Length"] = str(len(data))
    return response
