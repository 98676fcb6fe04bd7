"""The public side of protection cases: anyone reports a problem without an account
(`report`), and later follows it with the case number and the tracking secret
(`track`). The API's `reports` module is the same for other systems.

- The report form is `forms.ReportForm` with the screening questions as an optional
  part ("if you know"). The confirmation is the POST's own answer, never a redirect:
  the secret is shown exactly once and never travels in a URL.
- `website` is a honeypot: people never see it; a bot that fills it gets a
  confirmation that looks real and nothing is written.
- Tracking is a POST (the secret stays out of URLs and access logs) and shows only
  the stage in words, what it means for the reporter, the date reported and the
  shared messages ("Petugas" for an officer: never a name, never an internal note).
  An unknown number and a wrong secret get the same answer.
- Both are throttled per client address in shared storage (throttles.py); pages
  with a secret are never cached and never sent as a referrer.
"""

import secrets

from django import forms as django_forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from garda.accounts import roles
from garda.cases import access, throttles
from garda.cases.forms import ReportForm, ScreeningForm
from garda.cases.models import Case, Channel, Relationship, Stage, Status
from garda.cases.repatriation_words import worker_lines
from garda.cases.services.intake import REFERENCE_PREFIX, case_open
from garda.viewutils import add_service_errors

# --- words for the reporter -------------------------------------------------------------
# The stage as the reporter reads it, and what it means for them.
STAGE_WORDS = {
    Stage.NEW: (
        pgettext_lazy("case stage for the reporter", "Received"),
        _("Your report has arrived. An officer will read it and decide what is needed first."),
    ),
    Stage.TRIAGED: (
        pgettext_lazy("case stage for the reporter", "Being checked"),
        _("An officer has read your report and is choosing who will handle it."),
    ),
    Stage.ASSIGNED: (
        pgettext_lazy("case stage for the reporter", "An officer holds it"),
        _("An officer is now responsible for the report and will contact you or the worker."),
    ),
    Stage.IN_PROGRESS: (
        pgettext_lazy("case stage for the reporter", "Being handled"),
        _("An officer is working on the problem. Messages for you appear below."),
    ),
    Stage.WAITING: (
        pgettext_lazy("case stage for the reporter", "Waiting for another party"),
        _(
            "The officer is waiting for an answer from another party, such as the embassy, "
            "the employer or another agency."
        ),
    ),
    Stage.RESOLVED: (
        pgettext_lazy("case stage for the reporter", "Resolved"),
        _(
            "The officer considers the problem resolved. If it is not, reply through the "
            "help line at the bottom of this page."
        ),
    ),
    Stage.CLOSED: (
        pgettext_lazy("case stage for the reporter", "Closed"),
        _("The case is closed. If the problem comes back, send a new report."),
    ),
}
DUPLICATE_WORDS = (
    pgettext_lazy("case stage for the reporter", "Joined with another report"),
    _(
        "Another report about the same problem was already being handled: the officers "
        "continue there."
    ),
)
FROM_OFFICER = _("Officer")
FROM_REPORTER = _("The worker or the reporter")


def stage_words(case: Case) -> tuple:
    """(label, meaning) of the case's stage for the reporter."""
    if case.status == Status.DUPLICATE:
        return DUPLICATE_WORDS
    return STAGE_WORDS.get(case.stage, STAGE_WORDS[Stage.NEW])


def tracking_view(case: Case) -> dict:
    """Everything the tracking page and the API show: nothing else of the case (a
    door other than the reporter's secret may add a `part`: access.TRACKING_DOORS)."""
    label, meaning = stage_words(case)
    view = {
        "reference": case.reference,
        "stage": case.stage,
        "stage_label": label,
        "stage_meaning": meaning,
        "reported_on": timezone.localtime(case.created_at),
        "messages": [
            {
                "text": note.text,
                "at": note.created_at,
                "from": "reporter" if note.from_reporter else "officer",
                "from_label": FROM_REPORTER if note.from_reporter else FROM_OFFICER,
            }
            for note in access.shared_notes(case)
        ],
    }
    door = getattr(case, "tracking_door", None)
    if door is not None:
        view["part"] = door.part(case)
    return view


def track_case(reference: str, secret: str) -> Case | None:
    """The case for number + secret, its read audited; None when either is wrong."""
    case = access.case_by_tracking(reference, secret)
    if case is not None:
        door = getattr(case, "tracking_door", None)
        access.case_read(None, case, reason=door.reason if door is not None else "tracking")
    return case


# --- forms ------------------------------------------------------------------------------


class HoneypotInput(django_forms.TextInput):
    """The `website` field: out of sight and out of the tab order for people (and
    hidden from screen readers), labelled "leave empty" should anyone reach it. It
    counts as a hidden field, so `_form.html` renders it without a visible label."""

    def __init__(self):
        super().__init__(attrs={"tabindex": "-1", "autocomplete": "off"})

    @property
    def is_hidden(self) -> bool:
        return True

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        return format_html(
            '<div class="vh" aria-hidden="true"><label for="{}">{}</label>{}</div>',
            (attrs or {}).get("id", ""),
            _("Leave this empty"),
            html,
        )


class PublicReportForm(ReportForm):
    """The report form of the page and the API, with plain messages for a choice
    that is not on the list (the API sends codes)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget = HoneypotInput()
        # No relationship chosen beforehand: a mother must not send "the worker
        # themself" by overlooking the first option.
        self.fields["relationship"].choices = [("", "—"), *Relationship.choices]
        self.fields["kinds"].error_messages["invalid_choice"] = _(
            "Choose the kinds of problem from the list (“%(value)s” is not one of them)."
        )
        self.fields["country"].error_messages["invalid_choice"] = _(
            "Choose the country from the list (the API takes its two-letter code, e.g. MY)."
        )


class TrackForm(django_forms.Form):
    reference = django_forms.CharField(
        label=_("Case number"),
        max_length=20,
        help_text=_("As shown when you sent the report, e.g. KS-2026-000042."),
        widget=django_forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    secret = django_forms.CharField(
        label=_("Tracking code"),
        max_length=100,
        widget=django_forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )


# --- pages ------------------------------------------------------------------------------


def _private(response: HttpResponse) -> HttpResponse:
    # A page that may show a secret: out of search engines and other sites' logs. The
    # secret is never in a URL; "same-origin" sends nothing to other sites. Not
    # "no-referrer": browsers then post the page's forms with `Origin: null`, which
    # Django's CSRF check refuses (the tracking form on this page would fail).
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "same-origin"
    return response


def _report_form(request: HttpRequest) -> PublicReportForm:
    if request.method == "POST":
        return PublicReportForm(request.POST)
    initial = {}
    if request.user.is_authenticated and request.user.role == roles.WORKER:
        initial["reporter_name"] = request.user.full_name
    return PublicReportForm(initial=initial)


def _form_page(request, form, screening_form, *, status=200, throttled=False):
    context = {"form": form, "screening_form": screening_form, "throttled": throttled}
    return _private(render(request, "cases/public/report.html", context, status=status))


def _fake_reference() -> str:
    year = timezone.localdate().year
    return f"{REFERENCE_PREFIX}-{year}-{secrets.randbelow(900000) + 100000:06d}"


@never_cache
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """The public report form; the confirmation with the number and the secret."""
    form = _report_form(request)
    screening_form = ScreeningForm(request.POST if request.method == "POST" else None)
    if request.method != "POST":
        return _form_page(request, form, screening_form)
    if throttles.REPORT.exceeded(request):
        # The typed text stays on the page, so nothing is lost.
        return _form_page(request, form, screening_form, status=429, throttled=True)
    if form.is_bot():
        throttles.REPORT.hit(request)
        context = {"reference": _fake_reference(), "secret": secrets.token_urlsafe(12)}
        return _private(render(request, "cases/public/report_done.html", context))
    if not (form.is_valid() and screening_form.is_valid()):
        return _form_page(request, form, screening_form, status=400)
    actor = request.user if request.user.is_authenticated else None
    try:
        case, secret = case_open(
            actor=actor,
            data=form.report_data(answers=screening_form.answers()),
            channel=Channel.PUBLIC,
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _form_page(request, form, screening_form, status=400)
    throttles.REPORT.hit(request)
    context = {"reference": case.reference, "secret": secret, "own": not secret}
    return _private(render(request, "cases/public/report_done.html", context))


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Number + secret (POSTed) open what the reporter may see of the case."""
    if request.method != "POST":
        return _private(render(request, "cases/public/track.html", {"form": TrackForm()}))
    if not throttles.TRACK.allow(request):
        context = {"form": TrackForm(), "throttled": True}
        return _private(render(request, "cases/public/track.html", context, status=429))
    form = TrackForm(request.POST)
    if not form.is_valid():
        return _private(render(request, "cases/public/track.html", {"form": form}, status=400))
    case = track_case(form.cleaned_data["reference"], form.cleaned_data["secret"])
    if case is None:
        # The same answer for an unknown number and a wrong secret; the secret is not
        # sent back into the page.
        form = TrackForm(initial={"reference": form.cleaned_data["reference"]})
        context = {"form": form, "not_found": True}
        return _private(render(request, "cases/public/track.html", context))
    # The repatriation's steps in words (no officer, no note): the page only.
    context = {"tracked": tracking_view(case), "repatriation_lines": worker_lines(case)}
    return _private(render(request, "cases/public/track.html", context))
