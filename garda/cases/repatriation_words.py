"""A repatriation in words, for the pages, the API and the worker's side
(docs/repatriation.md): each step's label and responsible party, its state, whether
an earlier step keeps it from being done, the progress ("4 of 8 steps done"), and
the short line the worker and the family read (no officer's name, no note)."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from garda.cases import repatriation as rules
from garda.cases.models import Repatriation, RepatriationStep

WORKER_STATE = {
    RepatriationStep.Status.DONE: gettext_lazy("done"),
    RepatriationStep.Status.NOT_NEEDED: gettext_lazy("not needed"),
    RepatriationStep.Status.OPEN: gettext_lazy("not yet"),
}


def step_label(code: str) -> str:
    return str(rules.STEP_LABELS.get(code, code))


def party_label(party: str) -> str:
    return str(rules.PARTY_LABELS.get(party, party))


def decorate_steps(steps: list[RepatriationStep]) -> list[RepatriationStep]:
    """Each step with its words and, when open, the earlier required step that keeps
    it from being done (`blocked_by`, a label, or "")."""
    for step in steps:
        step.label = step_label(step.code)
        step.party_label = party_label(step.party)
        step.blocked_by = ""
        if step.status == RepatriationStep.Status.OPEN:
            blocking = rules.blocking_step(steps, step.code)
            if blocking is not None:
                step.blocked_by = step_label(blocking.code)
    return steps


def progress(steps) -> tuple[int, int]:
    """(steps done or not needed, all steps)."""
    steps = list(steps)
    return sum(1 for s in steps if s.status != RepatriationStep.Status.OPEN), len(steps)


def progress_text(steps) -> str:
    done, total = progress(steps)
    return _("%(done)s of %(total)s steps done") % {"done": done, "total": total}


def with_steps(qs):
    """Repatriations with their steps in order and their officers (one more query
    whatever the count)."""
    return qs.prefetch_related(
        Prefetch(
            "steps",
            queryset=RepatriationStep.objects.select_related("owner").order_by("position"),
        )
    )


def worker_lines(case) -> list[dict]:
    """The worker's and the family's view of the case's repatriations that are not
    cancelled: per repatriation its status and each step's label and state in words.
    Nothing else: no officer, no note, no due date."""
    if case is None or case.pk is None:
        return []
    reps = with_steps(
        Repatriation.objects.filter(case=case).exclude(status=Repatriation.Status.CANCELLED)
    ).order_by("created_at", "id")
    lines = []
    for rep in reps:
        steps = list(rep.steps.all())
        lines.append(
            {
                "status": rep.get_status_display(),
                "steps": [
                    {
                        "code": s.code,
                        "label": step_label(s.code),
                        "state": s.status,
                        "state_label": str(WORKER_STATE[s.status]),
                        "done": s.status != RepatriationStep.Status.OPEN,
                    }
                    for s in steps
                ],
            }
        )
    return lines
