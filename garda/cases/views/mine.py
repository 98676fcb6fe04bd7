"""The worker's own cases ("Laporan dan kasus saya"): the cases about them or that
they reported for a family member, a report from the portal, one case as the worker
sees it, and adding information and documents to it (docs/design-ui.md: cards, 360 px,
no JavaScript needed).

Reads go through cases.access (`read_own_cases`, `read_own_case_for`: one VIEW row
each; another worker's case is a 404 with a `denied` row), writes through the services
(`intake.case_open` with the portal channel, `record.message_add`,
`record.document_add` after the documents app's upload checks).

The worker's view of a case never shows internal notes, the screening answers or
level, the severity, the task-force flag, escalations, the NIK of the person
concerned, nor the reporter's phone: it shows the stage in words and what it means,
who holds it, the next step, the shared messages and the shared documents.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.accounts.models import User
from garda.cases import screening
from garda.cases.access import (
    case_read,
    get_own_case_for,
    read_own_case_for,
    read_own_cases,
    shared_notes,
)
from garda.cases.display import (
    WORKER_STAGES,
    author_text,
    holder_text,
    stage_text,
    worker_next_step,
)
from garda.cases.forms import MessageForm, ReportForm, screening_answers, screening_fields
from garda.cases.models import Case, CaseKind, Channel, Note, Relationship
from garda.cases.repatriation_words import worker_lines
from garda.cases.services import intake, record
from garda.documents import files as upload_files
from garda.documents.forms import ACCEPT
from garda.pagination import CappedPaginator
from garda.people.access import read_own_person, visible_people
from garda.people.models import Person
from garda.viewutils import add_service_errors

PAGE_SIZE = 20

# Who the report is about, in the worker's words; the value is the reporter's
# relationship to the person concerned (Case.relationship).
WHO_CHOICES = [
    (Relationship.SELF.value, gettext_lazy("Me")),
    (Relationship.PARENT.value, gettext_lazy("My child")),
    (Relationship.SPOUSE.value, gettext_lazy("My husband or wife")),
    (Relationship.CHILD.value, gettext_lazy("My father or mother")),
    (Relationship.SIBLING.value, gettext_lazy("My brother or sister")),
    (Relationship.RELATIVE.value, gettext_lazy("Another relative")),
    (Relationship.FRIEND.value, gettext_lazy("A friend or neighbour")),
    (Relationship.OTHER.value, gettext_lazy("Someone else")),
]


@dataclass
class OwnCase:
    """One case as the worker reads it (words only; nothing internal)."""

    case: Case
    kinds: list[str]
    tag: str
    tag_colour: str
    meaning: str
    stage: str
    holder: str
    next_step: str
    url: str


def own_case(case: Case) -> OwnCase:
    """`case` needs `owner`, `agency`, `owner__agency` loaded, its kinds prefetched as
    `kind_rows` (or read here) and `last_from_reporter` annotated (or read here)."""
    rows = getattr(case, "kind_rows", None)
    if rows is None:
        rows = list(case.kinds.all())
    if hasattr(case, "last_from_reporter"):
        # Whether the last shared note came from the worker side (None: no shared
        # note yet).
        last_from_reporter = case.last_from_reporter
    else:
        last = shared_notes(case).order_by("-created_at", "-id").first()
        last_from_reporter = None if last is None else last.from_reporter
    wrote_last = last_from_reporter is not None and not last_from_reporter
    tag, colour, meaning = WORKER_STAGES[case.stage]
    return OwnCase(
        case=case,
        kinds=[row.get_kind_display() for row in rows],
        tag=tag,
        tag_colour=colour,
        meaning=meaning,
        stage=stage_text(case),
        holder=holder_text(case),
        next_step=worker_next_step(case, wrote_last),
        url=reverse("cases:mine_detail", args=[case.pk]),
    )


def _with_words(qs):
    last_from_reporter = (
        Note.objects.filter(case=OuterRef("pk"), shared=True)
        .order_by("-created_at", "-id")
        .values("from_reporter")[:1]
    )
    return (
        qs.select_related("owner__agency", "agency")
        .annotate(last_from_reporter=Subquery(last_from_reporter))
        .prefetch_related(
            Prefetch("kinds", queryset=CaseKind.objects.order_by("id"), to_attr="kind_rows")
        )
    )


# --- the list ---------------------------------------------------------------------------


@role_required(roles.WORKER)
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    cases = _with_words(read_own_cases(request.user)).order_by("-created_at", "-id")
    page = CappedPaginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "rows": [own_case(case) for case in page.object_list]}
    return render(request, "cases/mine/list.html", context)


# --- the portal report -------------------------------------------------------------------


class PortalReportForm(ReportForm):
    """The public report, shorter, for a signed-in worker: about themself by default
    (their own registry record is linked by the intake), or about a family member;
    the screening as an optional part."""

    FAMILY = ("person_name", "person_nik", "person_birth_date", "last_contact_on")
    WHERE = ("country", "city", "employer_abroad", "phone_abroad")
    WHAT = ("kinds", "description")
    REPORTER = ("reporter_name", "reporter_phone")

    def __init__(self, *args, own_name: str = "", own_phone: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.own_name = own_name
        del self.fields["website"]  # no honeypot behind the log-in
        f = self.fields
        f["relationship"] = forms.ChoiceField(
            label=gettext_lazy("Who is the problem about?"),
            choices=WHO_CHOICES,
            initial=Relationship.SELF.value,
            widget=forms.RadioSelect,
            error_messages={"required": gettext_lazy("Choose who the problem is about.")},
        )
        f["person_name"].required = False
        f["person_name"].label = gettext_lazy("Name of your family member")
        f["person_nik"].label = gettext_lazy("Their NIK (if you know it)")
        f["person_birth_date"].label = gettext_lazy("Their birth date (if you know it)")
        f["last_contact_on"].label = gettext_lazy("When did you last hear from them?")
        f["country"].label = gettext_lazy("Country")
        f["country"].empty_label = gettext_lazy("Choose the country")
        f["city"].label = gettext_lazy("City")
        f["employer_abroad"].label = gettext_lazy("Employer or address")
        f["phone_abroad"].label = gettext_lazy("Phone number there")
        f["kinds"].label = gettext_lazy("What is the problem? Choose one or more.")
        f["description"].label = gettext_lazy("What happened?")
        f["description"].help_text = gettext_lazy(
            "In your own words: what happened, since when, and what you need now."
        )
        f["description"].error_messages["required"] = gettext_lazy("Write what happened.")
        f["reporter_name"].label = gettext_lazy("Your name")
        f["reporter_name"].error_messages["required"] = gettext_lazy("Write your name.")
        f["reporter_phone"].label = gettext_lazy("Your phone number")
        f["reporter_name"].initial = own_name
        f["reporter_phone"].initial = own_phone
        for name, question in screening_fields():
            f[name] = forms.ChoiceField(
                label=question.text,
                choices=[(o.code, o.label) for o in question.options],
                required=False,
                widget=forms.RadioSelect,
                initial=screening.UNKNOWN.code,
            )
        # The page's order (the error summary follows it).
        self.order_fields(["relationship", *self.FAMILY, *self.WHERE, *self.WHAT, *self.REPORTER])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("relationship") == Relationship.SELF:
            # About the worker: their own name; the family part does not apply, so
            # what was typed there is left out (and cannot be an error).
            for name in self.FAMILY:
                self._errors.pop(name, None)
            cleaned.update(person_nik="", person_birth_date=None, last_contact_on=None)
            cleaned["person_name"] = self.own_name or cleaned.get("reporter_name", "")
        elif cleaned.get("relationship") and not (cleaned.get("person_name") or "").strip():
            self.add_error("person_name", _("Write the name of your family member."))
        return cleaned

    def sections(self) -> dict:
        return {
            "family": [self[n] for n in self.FAMILY],
            "where": [self[n] for n in self.WHERE],
            "what": [self[n] for n in self.WHAT],
            "reporter": [self[n] for n in self.REPORTER],
            "screening": [self[name] for name, _q in screening_fields()],
        }

    def screening_has_errors(self) -> bool:
        return any(self[name].errors for name, _q in screening_fields())

    def data_for_intake(self) -> intake.ReportData:
        return self.report_data(answers=screening_answers(self.cleaned_data))


def _own_person(user: User, *, audited: bool) -> Person | None:
    if audited:
        return read_own_person(user, reason="case report")
    return visible_people(user).filter(user=user).first()


@role_required(roles.WORKER)
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    user = request.user
    person = _own_person(user, audited=request.method == "GET")
    form = PortalReportForm(
        request.POST or None,
        own_name=(person.full_name if person else "") or user.full_name,
        own_phone=(person.phone if person else "") or user.phone,
    )
    if request.method == "POST" and form.is_valid():
        try:
            case, _secret = intake.case_open(
                actor=user, data=form.data_for_intake(), channel=Channel.PORTAL
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Your report is sent. Case number: %(reference)s. An officer will "
                    "answer you on this page."
                )
                % {"reference": case.reference},
            )
            return redirect("cases:mine_detail", pk=case.pk)
    context = {"form": form, "sections": form.sections(), "has_person": person is not None}
    return render(request, "cases/mine/report.html", context, status=400 if form.errors else 200)


# --- one case ------------------------------------------------------------------------------


def _megabytes(n: int) -> str:
    value = n / (1024 * 1024)
    return f"{value:.0f}" if value >= 1 else f"{value:.2f}"


class CaseFileForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("What is it?"),
        max_length=200,
        help_text=gettext_lazy("For example: contract, pay slip, photo of a letter."),
        error_messages={"required": gettext_lazy("Say what the file is.")},
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={
            "required": gettext_lazy("Choose a file."),
            "empty": gettext_lazy("The file is empty."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "JPG, PNG or PDF, at most %(max)s MB. The location and camera data of "
            "photos are removed."
        ) % {"max": _megabytes(upload_files.max_file_bytes())}


def _detail(
    request: HttpRequest,
    case: Case,
    *,
    message_form: MessageForm | None = None,
    file_form: CaseFileForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    row = own_case(case)
    notes = [
        (note, author_text(note, case, user))
        for note in shared_notes(case).select_related("author__agency")
    ]
    documents = list(case.documents.filter(shared=True).order_by("uploaded_at", "id"))
    about_me = case.person_id is not None and case.person.user_id == user.pk
    if case.reporter_user_id == user.pk or (about_me and case.relationship == Relationship.SELF):
        reported_by = _("You")
    else:
        reported_by = dict(Relationship.choices).get(case.relationship, "")
    context = {
        "row": row,
        "case": case,
        "about_me": about_me,
        "reported_by": reported_by,
        # What the reporter wrote, to the reporter only: someone else's words about
        # the worker reach them through the officer's messages.
        "show_description": case.reporter_user_id == user.pk,
        "notes": notes,
        "documents": [(d, _("You") if d.uploaded_by_id == user.pk else "") for d in documents],
        "message_form": message_form or MessageForm(),
        "file_form": file_form or CaseFileForm(),
        "may_add": case.is_open,
        "repatriation_lines": worker_lines(case),
        # The form with errors, if any: base.html starts the title with "Error:".
        "form": message_form if message_form is not None else file_form,
    }
    return render(request, "cases/mine/detail.html", context, status=status)


@role_required(roles.WORKER)
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, read_own_case_for(request.user, pk))


@role_required(roles.WORKER)
@require_POST
def message(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_own_case_for(request.user, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            record.message_add(actor=request.user, case=case, text=form.cleaned_data["text"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your information is sent to the officer."))
            return redirect(reverse("cases:mine_detail", args=[case.pk]) + "#messages")
    case_read(request.user, case, reason="own")  # the page shown again
    return _detail(request, case, message_form=form, status=400)


@role_required(roles.WORKER)
@csrf_exempt  # the upload is kept in memory before the body is read; see _document_add
@require_POST
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A file for the case: an oversized body is refused with 413 before it is read,
    the type is sniffed from the bytes and photos are re-encoded (documents.files)."""
    return upload_files.page_upload_refusal(request) or _document_add(request, pk)


@csrf_protect
def _document_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_own_case_for(request.user, pk)
    form = CaseFileForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            clean = upload_files.clean_uploads([form.cleaned_data["file"]])[0]
            record.document_add(
                actor=request.user,
                case=case,
                title=form.cleaned_data["title"],
                data=clean.data,
                content_type=clean.content_type,
            )
        except ValidationError as exc:
            if upload_files.is_too_large(exc):
                status = 413
            if hasattr(exc, "error_dict"):
                add_service_errors(form, exc)
            else:
                form.add_error("file", exc)
        else:
            messages.success(request, _("Your document is sent to the officer."))
            return redirect(reverse("cases:mine_detail", args=[case.pk]) + "#documents")
    case_read(request.user, case, reason="own")
    return _detail(request, case, file_form=form, status=status)
