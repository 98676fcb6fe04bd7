"""What a death case does for the family, step by step (docs/family.md, "A death").

When a worker dies abroad the family is the party the process serves: the remains
brought home (PP 59/2021 art. 21: repatriating the body of a P3MI-placed worker is
the P3MI's duty; Permen P2MI 32/2025 art. 13: the hand-over to the family), the death
certificate, the insurance claim (BPJS Ketenagakerjaan death cover, JKM, is
mandatory: Permenaker 4/2023), the wages and belongings left behind, and the estate
(UU 18/2017: the family's right to receive the estate of a worker who died abroad).

When the case has a repatriation of reason death (docs/repatriation.md), its steps are
the record: the five steps here carry the same codes there, and each one's state is
read from it (done or not needed: done; open: planned, with its due date).

Otherwise Garda has no record type per step: a step's state is read from what the
officer planned on the case, by this simple, documented mapping:
- a planned **service** of type "repatriation" is the remains, one of type "claim"
  the insurance claim;
- a **task** whose title names the step (the words in `STEP_WORDS`, Indonesian or
  English, any case) counts for that step.

A step is "done" when every matching service or task is done, "planned" (with the
nearest due date) while one is open, and "not recorded yet" when nothing matches:
the family is never told a step is under way that no officer has planned. Task
titles and service notes are the officers' words and are never shown, only the
step's name, its state and a date.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from garda.cases.models import Case, Kind, Service

REMAINS, CERTIFICATE, INSURANCE, BELONGINGS, ESTATE = (
    "remains",
    "certificate",
    "insurance",
    "belongings",
    "estate",
)
STEP_LABELS = {
    REMAINS: _("Bringing the remains home"),
    CERTIFICATE: _("Death certificate"),
    INSURANCE: _("Insurance claim (BPJS Ketenagakerjaan)"),
    BELONGINGS: _("Wages still owed and belongings"),
    ESTATE: _("Estate handed to the family"),
}
STEP_SERVICES = {REMAINS: Service.Type.REPATRIATION, INSURANCE: Service.Type.CLAIM}
STEP_WORDS = {
    REMAINS: ("jenazah", "remains", "body"),
    CERTIFICATE: ("akta kematian", "surat kematian", "keterangan kematian", "death certificate"),
    INSURANCE: ("asuransi", "bpjs", "jkm", "insurance", "klaim"),
    BELONGINGS: ("gaji", "upah", "wages", "barang", "belongings"),
    ESTATE: ("waris", "harta", "estate", "inheritance"),
}

DONE, PLANNED, NOT_RECORDED = "done", "planned", "not_recorded"
STATE_LABELS = {
    DONE: _("Done"),
    PLANNED: _("Planned"),
    NOT_RECORDED: _("Not recorded yet"),
}


@dataclass(frozen=True)
class Step:
    code: str
    label: str
    state: str
    state_label: str
    # Done: when the last part was done; planned: the nearest due date.
    at: datetime | None


def is_death(case: Case) -> bool:
    return case.kinds.filter(kind=Kind.DEATH).exists()


def step_of_task(title: str) -> str | None:
    folded = (title or "").casefold()
    for code, words in STEP_WORDS.items():
        if any(word in folded for word in words):
            return code
    return None


def repatriation_steps(case: Case) -> list[Step] | None:
    """The five steps from the case's latest death repatriation not cancelled, or None
    when there is none (one query)."""
    from garda.cases.models import Repatriation, RepatriationReason, RepatriationStep

    rows = list(
        RepatriationStep.objects.filter(
            repatriation__case=case,
            repatriation__reason=RepatriationReason.DEATH,
            code__in=list(STEP_LABELS),
        )
        .exclude(repatriation__status=Repatriation.Status.CANCELLED)
        .order_by("-repatriation__created_at", "-repatriation_id")
        .values_list("repatriation_id", "code", "status", "due_at", "done_at")
    )
    if not rows:
        return None
    latest = rows[0][0]
    by_code = {code: (status, due, done) for rep, code, status, due, done in rows if rep == latest}
    steps = []
    for code, label in STEP_LABELS.items():
        if code not in by_code:
            state, at = NOT_RECORDED, None
        else:
            status, due, done = by_code[code]
            if status == RepatriationStep.Status.OPEN:
                state, at = PLANNED, due
            else:
                state, at = DONE, done or due
        steps.append(Step(code, str(label), state, str(STATE_LABELS[state]), at))
    return steps


def death_steps(case: Case) -> list[Step]:
    """The five steps of a death case and their state: from its death repatriation
    when there is one (one query), else from its services and tasks (three)."""
    from_repatriation = repatriation_steps(case)
    if from_repatriation is not None:
        return from_repatriation
    parts: dict[str, list[tuple[datetime, datetime | None]]] = {code: [] for code in STEP_LABELS}
    by_type = {value: code for code, value in STEP_SERVICES.items()}
    for type_, due_at, done_at in case.services.values_list("type", "due_at", "done_at"):
        if type_ in by_type:
            parts[by_type[type_]].append((due_at, done_at))
    for title, due_at, done_at in case.tasks.values_list("title", "due_at", "done_at"):
        code = step_of_task(title)
        if code is not None:
            parts[code].append((due_at, done_at))
    steps = []
    for code, label in STEP_LABELS.items():
        found = parts[code]
        open_ = [due for due, done in found if done is None]
        if not found:
            state, at = NOT_RECORDED, None
        elif open_:
            state, at = PLANNED, min(open_)
        else:
            state, at = DONE, max(done for _due, done in found)
        steps.append(Step(code, str(label), state, str(STATE_LABELS[state]), at))
    return steps
