"""The readiness answer as a task list (docs/design-ui.md §2.2): rows grouped the way a
worker thinks of them (personal details, the placement, documents, health, training
and tests), each row one link to where the step is done, a status in words with its
colour, "X of Y steps done", and the next step with its agency and what to bring.

Built from the Result the pages already have; the only read is the document types'
categories (one query), which choose a requirement's group."""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from garda.accounts import roles
from garda.destinations import rules
from garda.documents.models import DocumentType

# The tag of each requirement state (docs/design-ui.md §3 Tags): "done" is plain text,
# red where the worker must act.
STATE_TAG = {
    rules.MET: "done",
    rules.MISSING: "blue",
    rules.PENDING: "yellow",
    rules.REJECTED: "red",
    rules.EXPIRED: "red",
    rules.EXPIRING: "red",
}
assert set(STATE_TAG) == set(rules.STATES)

# Document categories (documents.models.Category) gathered into the checklist's groups.
GROUP_OF_CATEGORY = {"health": "health", "competency": "training", "language": "training"}
GROUPS = (
    ("person", _("Personal details")),
    ("plan", _("Placement")),
    ("documents", _("Documents")),
    ("health", _("Health")),
    ("training", _("Training and tests")),
)

# A blocker's row: its name, and where it is resolved ("profile", "officers", "country"
# or None: nothing the worker can do now).
BLOCKER_ROWS = {
    rules.NIK_UNRESOLVED: (_("Identity check"), "officers"),
    rules.OPEN_DUPLICATE: (_("Possible duplicate record"), "officers"),
    rules.UNDER_AGE: (_("Minimum age"), None),
    rules.OVER_AGE: (_("Maximum age"), None),
    rules.EDUCATION: (_("Education"), "profile"),
    rules.SEX: (_("Who may apply"), "officers"),
    rules.PRIOR_STAY: (_("Earlier stay abroad"), "officers"),
    rules.EXPERIENCE: (_("Work experience"), "profile"),
    rules.MORATORIUM: (_("Sector open for placement"), "country"),
    rules.NO_REQUIREMENT_SET: (_("List of requirements"), "officers"),
}
PLAN_BLOCKERS = frozenset({rules.MORATORIUM, rules.NO_REQUIREMENT_SET})


@dataclass
class Task:
    name: str
    url: str | None
    hint: str = ""
    tag: str = "done"  # done, blue, yellow, red, grey, muted
    label: str = ""
    code: str = ""
    state: str = ""
    counts: bool = True  # one of the "X of Y" steps
    done: bool = False
    alternative_group: int | None = None


@dataclass
class Group:
    key: str
    title: str
    tasks: list[Task] = field(default_factory=list)


def _url(name: str, *args, query: dict | None = None, fragment: str = "") -> str | None:
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:  # an app without its pages
        return None
    if query:
        url = f"{url}?{urlencode(query)}"
    return f"{url}#{fragment}" if fragment else url


def _places(user, person, plan) -> dict[str, str | None]:
    """Where each kind of step is done, for this reader (the worker or staff)."""
    if user.role == roles.WORKER:
        return {
            "profile": _url("people:me"),
            "officers": _url("accompaniment:mine"),
            "documents": _url("documents:mine"),
            "plan": "#plan",
            "country": _url("destinations:destination_detail", plan.destination.code),
        }
    return {
        "profile": _url("people:detail", person.pk),
        "officers": _url("people:detail", person.pk),
        "documents": _url("documents:person", person.pk),
        "plan": "#plan",
        "country": _url("destinations:destination_detail", plan.destination.code),
    }


def _document_url(user, requirement, places) -> str | None:
    if places["documents"] is None:
        return None
    if requirement.document_id and requirement.state in (rules.MET, rules.PENDING):
        return _url("documents:detail", requirement.document_id)
    if user.role == roles.WORKER and requirement.state in rules.TO_FETCH:
        return _url("documents:mine", query={"type": requirement.code}, fragment="upload")
    return places["documents"]


def build(*, user, person, plan, result: rules.Result, labels: dict) -> dict:
    """The checklist's context: groups of tasks, the steps done and in all, and the
    next step with where to do it. `labels`: the requirement states in words."""
    places = _places(user, person, plan)
    groups = {key: Group(key, title) for key, title in GROUPS}
    profile = _("Your profile") if user.role == roles.WORKER else _("Profile")
    groups["person"].tasks.append(
        Task(profile, places["profile"], tag="done", label=_("Done"), done=True)
    )
    groups["plan"].tasks.append(
        Task(
            _("Placement plan"),
            places["plan"],
            hint=f"{plan.destination.display_name} · {plan.scheme.display_name}",
            tag="done",
            label=_("Done"),
            done=True,
        )
    )
    for blocker in result.blockers:
        name, place = BLOCKER_ROWS.get(blocker.code, (_("Placement condition"), "officers"))
        cannot = place is None and blocker.code == rules.UNDER_AGE
        groups["plan" if blocker.code in PLAN_BLOCKERS else "person"].tasks.append(
            Task(
                name,
                places.get(place) if place else None,
                hint=blocker.message,
                tag="muted" if cannot else "red",
                label=_("Cannot start yet") if cannot else _("Not met"),
                code=blocker.code,
            )
        )
    categories = dict(
        DocumentType.objects.filter(code__in=[r.code for r in result.requirements]).values_list(
            "code", "category"
        )
    )
    alternatives_done: dict[int, bool] = {}
    for r in result.requirements:
        key = GROUP_OF_CATEGORY.get(categories.get(r.code, ""), "documents")
        if r.satisfied_by_alternative:
            task = Task(
                r.name,
                _document_url(user, r, places),
                hint=_("Not needed: another option of this group is met."),
                tag="muted",
                label=_("Not needed"),
                counts=False,
            )
        else:
            hint = r.detail
            if not hint and r.state in rules.TO_FETCH and r.agency:
                hint = _("Issued by: %(agency)s") % {"agency": r.agency}
            task = Task(
                r.name,
                _document_url(user, r, places),
                hint=hint,
                tag=STATE_TAG[r.state],
                label=labels[r.state],
                done=r.state == rules.MET,
            )
            if r.alternative_group is not None:
                # Alternatives are one step, done when any of them is met.
                task.alternative_group = r.alternative_group
                seen = r.alternative_group in alternatives_done
                alternatives_done[r.alternative_group] = (
                    alternatives_done.get(r.alternative_group, False) or task.done
                )
                task.counts = not seen
        task.code, task.state = r.code, r.state
        groups[key].tasks.append(task)
    steps = [t for g in groups.values() for t in g.tasks if t.counts]
    for task in steps:
        if task.alternative_group is not None:
            task.done = alternatives_done[task.alternative_group]
    return {
        "groups": [g for g in groups.values() if g.tasks],
        "steps_done": sum(t.done for t in steps),
        "steps_total": len(steps),
        "next_step": result.next_steps[0] if result.next_steps else None,
        "next_action": _next_action(user, result, places),
        "other_steps": result.next_steps[1:],
    }


def _next_action(user, result: rules.Result, places) -> tuple[str | None, str]:
    """Where the next step is done, and the link's words: the upload of its document,
    else the profile, the officers or the country's page."""
    if not result.next_steps:
        return None, ""
    step = result.next_steps[0]
    requirement = next((r for r in result.requirements if r.code == step.requirement_code), None)
    if step.requirement_code and requirement is not None:
        url = _document_url(user, requirement, places)
        if user.role == roles.WORKER and requirement.state in rules.TO_FETCH:
            return url, _("Upload %(name)s") % {"name": requirement.name}
        return url, _("Open %(name)s") % {"name": requirement.name}
    place = BLOCKER_ROWS.get(step.code, (None, "officers"))[1]
    worker = user.role == roles.WORKER
    words = {
        "profile": _("Open the profile"),
        "officers": _("Contact your officer") if worker else _("Open the profile"),
        "country": _("Read about this country"),
    }
    return (places.get(place), words[place]) if place else (None, "")
