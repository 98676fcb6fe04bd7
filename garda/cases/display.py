"""Words and colours for a case, for every page that shows one (staff, worker, dashboard).

Pure helpers: they take plain values (codes, rows already loaded) and return labels,
tag colours and sentences; no query of their own. A state is always a word AND a tag
colour (docs/design-ui.md, §3 Tags): red where someone must act now, yellow for "soon",
blue or grey for "running", green for "met".
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from garda.cases import clocks, screening
from garda.cases.models import (
    Case,
    Channel,
    Clock,
    ClosingReason,
    Kind,
    MatchState,
    Relationship,
    Severity,
    Stage,
    Status,
)

CLOCK_STATE_LABELS = {
    clocks.MET: _("Met"),
    clocks.RUNNING: _("Running"),
    clocks.AT_RISK: _("Due soon"),
    clocks.BREACHED: _("Overdue"),
}
CLOCK_STATE_TAGS = {
    clocks.MET: "tag-green",
    clocks.RUNNING: "tag-blue",
    clocks.AT_RISK: "tag-yellow",
    clocks.BREACHED: "tag-red",
}
SEVERITY_TAGS = {
    Severity.CRITICAL: "tag-red",
    Severity.HIGH: "tag-yellow",
    Severity.NORMAL: "tag-grey",
}
STATUS_TAGS = {Status.OPEN: "tag-blue", Status.CLOSED: "tag-grey", Status.DUPLICATE: "tag-grey"}
# The record status as an adjective ("Open" alone is the verb "Buka" elsewhere).
STATUS_LABELS = {
    Status.OPEN: pgettext_lazy("case status", "Open"),
    Status.CLOSED: pgettext_lazy("case status", "Closed"),
    Status.DUPLICATE: pgettext_lazy("case status", "Duplicate"),
}


def _label(choices, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code or ""


def stage_label(code: str) -> str:
    return _label(Stage, code)


def status_label(code: str) -> str:
    return str(STATUS_LABELS.get(code, code))


def severity_label(code: str) -> str:
    return _label(Severity, code)


def severity_tag(code: str) -> str:
    return SEVERITY_TAGS.get(code, "tag-grey")


def channel_label(code: str) -> str:
    return _label(Channel, code)


def relationship_label(code: str) -> str:
    return _label(Relationship, code)


def closing_reason_label(code: str) -> str:
    return _label(ClosingReason, code)


def match_label(code: str) -> str:
    return _label(MatchState, code)


def kind_labels(codes) -> list[str]:
    """Kinds in the order of the list of kinds (not the order they were ticked)."""
    order = list(Kind.values)
    return [
        _label(Kind, c)
        for c in sorted(set(codes), key=lambda c: order.index(c) if c in order else 99)
    ]


def clock_name_label(code: str) -> str:
    return _label(Clock.Name, code)


def clock_state_label(state: str) -> str:
    return str(CLOCK_STATE_LABELS.get(state, state))


def clock_state_tag(state: str) -> str:
    return CLOCK_STATE_TAGS.get(state, "tag-grey")


def screening_level_label(level: str) -> str:
    return str(screening.LEVEL_LABELS.get(level, level))


def indicator_labels(codes) -> list[str]:
    """ILO indicator names of the screening questions whose answer raised a flag."""
    return [str(screening.BY_CODE[c].indicator) for c in codes if c in screening.BY_CODE]


@dataclass(frozen=True)
class ClockView:
    name: str
    label: str
    due_at: datetime
    done_at: datetime | None
    state: str
    state_label: str
    tag: str


def clock_view(clock: Clock, now: datetime | None = None) -> ClockView:
    state = clock.state(now)
    return ClockView(
        name=clock.name,
        label=clock_name_label(clock.name),
        due_at=clock.due_at,
        done_at=clock.done_at,
        state=state,
        state_label=clock_state_label(state),
        tag=clock_state_tag(state),
    )


def clock_views(rows, now: datetime | None = None) -> list[ClockView]:
    now = now or timezone.now()
    return [clock_view(c, now) for c in sorted(rows, key=lambda c: (c.due_at, c.pk or 0))]


def nearest_clock(rows, now: datetime | None = None) -> ClockView | None:
    """The running clock that falls due first (None when every clock is done)."""
    running = [c for c in rows if c.done_at is None]
    if not running:
        return None
    return clock_view(min(running, key=lambda c: (c.due_at, c.pk or 0)), now)


def next_step(*, stage: str, status: str, has_owner: bool, approval_pending: bool = False) -> str:
    """What happens next on the case, in one sentence for staff."""
    if status == Status.DUPLICATE:
        return str(_("Recorded as a duplicate: the other case is followed instead."))
    if approval_pending:
        return str(_("Closing waits for a supervisor's approval."))
    if stage == Stage.NEW:
        return str(_("Check the report (who, where, what) and mark it triaged."))
    if stage == Stage.TRIAGED and not has_owner:
        return str(_("Give the case to an officer (or take it yourself)."))
    if stage in (Stage.TRIAGED, Stage.ASSIGNED):
        return str(_("The officer starts handling it: contact the worker or the reporter."))
    if stage == Stage.IN_PROGRESS:
        return str(_("Handle the case: plan services, tasks and messages until it is resolved."))
    if stage == Stage.WAITING:
        return str(_("Waiting on another party: follow up, then take it back in progress."))
    if stage == Stage.RESOLVED:
        return str(_("Resolved: close the case, or take it back if it is not over."))
    if stage == Stage.CLOSED:
        return str(_("Closed. It can be reopened if the problem comes back."))
    return ""


# --- the worker's words (their own pages and the API's /me/cases) --------------------

# stage: (tag word, tag colour, what it means for the worker)
WORKER_STAGES = {
    Stage.NEW: (
        _("Received"),
        "blue",
        _("Your report has arrived. An officer will check it and decide who handles it."),
    ),
    Stage.TRIAGED: (
        _("Checked"),
        "blue",
        _("Your report has been checked. An officer will be chosen to handle it."),
    ),
    Stage.ASSIGNED: (
        _("Officer chosen"),
        "yellow",
        _("An officer holds your case and will contact you."),
    ),
    Stage.IN_PROGRESS: (
        _("Being handled"),
        "yellow",
        _("The officer is working on your case."),
    ),
    Stage.WAITING: (
        _("Waiting for an answer"),
        "yellow",
        _(
            "The officer has asked another party (the employer, the company or the "
            "embassy) and is waiting for their answer."
        ),
    ),
    Stage.RESOLVED: (
        _("Resolved"),
        "green",
        _("The officer considers the problem solved. If it is not, write to them below."),
    ),
    Stage.CLOSED: (
        _("Closed"),
        "grey",
        _("This case is closed. If the problem comes back, report it again."),
    ),
}


def first_name(user) -> str:
    words = (getattr(user, "full_name", "") or "").split()
    return words[0] if words else ""


def holder_text(case: Case) -> str:
    """Who holds the case: the officer's first name and agency, or that nobody does yet."""
    if case.owner_id is None:
        return gettext("No officer yet")
    agency = case.agency or case.owner.agency
    name = first_name(case.owner) or gettext("An officer")
    if agency is None:
        return name
    return gettext("%(name)s, %(agency)s") % {
        "name": name,
        "agency": agency.short_name or agency.name,
    }


def stage_text(case: Case) -> str:
    """The stage as one phrase ("Received, waiting to be checked", "Being handled by
    Alice, Disnakertransgi")."""
    holder = holder_text(case) if case.owner_id else gettext("an officer")
    if case.stage == Stage.NEW:
        return gettext("Received, waiting to be checked")
    if case.stage == Stage.TRIAGED:
        return gettext("Checked, waiting for an officer")
    if case.stage == Stage.ASSIGNED:
        return gettext("Handled by %(holder)s") % {"holder": holder}
    if case.stage == Stage.IN_PROGRESS:
        return gettext("Being handled by %(holder)s") % {"holder": holder}
    if case.stage == Stage.WAITING:
        return gettext("Waiting for an answer from another party")
    if case.stage == Stage.RESOLVED:
        return gettext("Resolved")
    if case.closing_reason:
        return gettext("Closed: %(reason)s") % {"reason": case.get_closing_reason_display()}
    return gettext("Closed")


def worker_next_step(case: Case, officer_wrote_last: bool = False) -> str:
    """What the worker can do now."""
    if not case.is_open or case.stage == Stage.CLOSED:
        return gettext("Nothing more to do. If the problem comes back, report it again.")
    if officer_wrote_last:
        return gettext("Read the officer's message and answer it if they ask you something.")
    if case.stage in (Stage.NEW, Stage.TRIAGED):
        return gettext(
            "Wait for an officer to contact you. You can add information or documents at any time."
        )
    if case.stage == Stage.WAITING:
        return gettext("Wait for the answer. If something changes, tell the officer.")
    if case.stage == Stage.RESOLVED:
        return gettext("If the problem is not solved, write to the officer.")
    return gettext("The officer will contact you. Send them any new information or documents.")


def author_text(note, case: Case, user) -> str:
    """Who wrote a shared message, as the worker reads it."""
    if note.author_id == user.pk:
        return gettext("You")
    if note.from_reporter:
        if note.author_id is not None and note.author_id == case.reporter_user_id:
            return gettext("The reporter")
        return gettext("The worker concerned")
    name = first_name(note.author)
    agency = getattr(note.author, "agency", None)
    if name and agency is not None:
        return gettext("Officer %(name)s, %(agency)s") % {
            "name": name,
            "agency": agency.short_name or agency.name,
        }
    return gettext("Officer %(name)s") % {"name": name} if name else gettext("An officer")
