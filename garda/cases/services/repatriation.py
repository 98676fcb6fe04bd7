"""Bringing people home (docs/repatriation.md): every write on a repatriation, its
steps and its signed statements, for one person and for many at once (an evacuation).

- `repatriation_start` (from a case, or for one person of an evacuation) and
  `repatriations_start_many` (an evacuation's list, in a few bulk statements): the
  steps come from the template of the reason (data/repatriation.toml);
- `step_complete` / `steps_complete_many`: a required step cannot be done while an
  earlier required step is open (`StepBlocked`, a 409); the hand-over step is done by
  recording its signed statement (`statement_record`), not by a click;
- arrival (the `arrival` or `remains_arrival` step done): the repatriation is
  `arrived`, the person's status moves to returned, and the stay abroad ends (through
  the `repatriation_arrived` signal: lapor diri lives above this app);
- a step with `tell_family` (a death: every step) adds a shared message to the case,
  which the worker's side and the family following it read;
- `statement_record`: the hand-over to the family (witnessed by the village or city
  government) or to social services, or a refusal of rehabilitation (signed by the
  worker, or by the family when the worker cannot sign);
- `repatriation_update` / `repatriations_update_many` (travel: flight, arrival, needs,
  who pays, who meets them), `step_update` (officer, due date), `step_not_needed`
  (optional steps only), `repatriation_cancel`, `evacuation_create`, `evacuation_close`.

Every write: permission checked before the transaction (a refusal is audited), one
transaction, audit rows (one per object touched, in bulk for many)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from garda.accounts import roles
from garda.accounts.models import User
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record, audit_record_many
from garda.cases import repatriation as rules
from garda.cases.access import CASE_ROLES, may_handle, visible_repatriations
from garda.cases.models import (
    Case,
    Debarkation,
    Evacuation,
    Need,
    Note,
    Payer,
    Repatriation,
    RepatriationReason,
    RepatriationStatement,
    RepatriationStep,
)
from garda.cases.services.common import error, require_reason, tell_worker_side
from garda.cases.signals import repatriation_arrived
from garda.models import ReferenceSequence
from garda.people import rules as person_rules
from garda.people.models import Person, Status, StatusChange

Kind = RepatriationStatement.Kind
HANDOVER_KINDS = (Kind.HANDOVER_FAMILY, Kind.HANDOVER_SOCIAL)
SignedBy = RepatriationStatement.SignedBy


def same_name(a: str, b: str) -> bool:
    """Two names alike once spaces are collapsed and case folded ("Rini  sakit" is
    "Rini Sakit")."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


class StepBlocked(Exception):
    """A required step was asked to be done while an earlier required one is open."""

    def __init__(self, step: RepatriationStep, blocking: RepatriationStep):
        super().__init__(blocking.code)
        self.step = step
        self.blocking = blocking

    @property
    def message(self) -> str:
        return _("Do “%(earlier)s” first: it comes before “%(step)s”.") % {
            "earlier": rules.STEP_LABELS[self.blocking.code],
            "step": rules.STEP_LABELS[self.step.code],
        }


class NotLive(Exception):
    """The repatriation is completed or cancelled: nothing more is written on it."""


def _require_staff(actor: User, what: str) -> None:
    if not getattr(actor, "is_authenticated", False) or actor.role not in CASE_ROLES:
        deny(actor, what)


def _require_handle(actor: User, repatriation: Repatriation, what: str) -> None:
    if not visible_repatriations(actor).filter(pk=repatriation.pk).exists():
        deny(actor, what, target=repatriation)
    if not repatriation.is_live:
        raise NotLive(repatriation.reference)


def _reason(reason: str) -> str:
    if reason not in RepatriationReason.values:
        raise error("reason", _("Choose why the person comes home."), "invalid")
    return reason


def _needs(needs) -> list[str]:
    needs = list(dict.fromkeys(needs or []))
    bad = [n for n in needs if n not in Need.values]
    if bad:
        raise error("needs", _("Choose the needs from the list."), "invalid")
    return needs


# Starting -------------------------------------------------------------------------


def _default_payer(person: Person | None) -> str:
    """The placement company pays for the workers it placed (PP 59/2021 art. 21)."""
    if person is not None and person.route == "p3mi":
        return Payer.COMPANY
    return ""


def _home_regions(people) -> dict:
    """The home city or regency (kab/kota) of each person, by regency code, in one
    query (the registry keeps the regency beside the village)."""
    from garda.places.models import Region

    codes = {p.regency_code for p in people if p is not None and p.regency_code}
    return Region.objects.in_bulk(codes) if codes else {}


def _live_exists(person_ids) -> set[int]:
    ids = [p for p in person_ids if p is not None]
    if not ids:
        return set()
    return set(
        Repatriation.objects.filter(
            person_id__in=ids, status__in=(Repatriation.Status.OPEN, Repatriation.Status.ARRIVED)
        ).values_list("person_id", flat=True)
    )


def repatriation_start(
    *,
    actor: User,
    reason: str,
    case: Case | None = None,
    evacuation: Evacuation | None = None,
    person: Person | None = None,
    name: str = "",
) -> Repatriation:
    """A repatriation with the template's steps: from a case (the person and country
    are the case's), or for one person of an evacuation."""
    _require_staff(actor, "cases.repatriation_start")
    if case is not None and not may_handle(actor, case):
        deny(actor, "cases.repatriation_start", target=case)
    if case is None and evacuation is None:
        raise error("case", _("Start a repatriation from a case or an evacuation."), "required")
    reason = _reason(reason)
    if case is not None and not case.is_open:
        raise error("reason", _("This case is closed: reopen it first."), "closed")
    if case is not None:
        person = case.person
        name = name or (person.full_name if person else case.subject_name)
        country = case.country
        agency = case.agency or actor.agency
    else:
        name = name or (person.full_name if person else "")
        country = evacuation.country
        agency = evacuation.agency or actor.agency
    name = (name or "").strip()
    if not name:
        raise error("name", _("Write the name of the person coming home."), "required")
    exists = error("reason", _("A repatriation of this person is already under way."), "exists")
    try:
        with transaction.atomic():
            if person is not None and _live_exists([person.pk]):
                raise exists
            if case is not None:
                # One under way per case too (a case without a registry person; a form
                # sent twice): the case row is the lock.
                Case.objects.select_for_update().filter(pk=case.pk).first()
                if case.repatriations.filter(
                    status__in=(Repatriation.Status.OPEN, Repatriation.Status.ARRIVED)
                ).exists():
                    raise error(
                        "reason",
                        _("A repatriation from this case is already under way."),
                        "exists",
                    )
            rows = _build(
                actor,
                [{"person": person, "name": name, "case": case}],
                reason=reason,
                evacuation=evacuation,
                country=country,
                agency=agency,
            )
    except IntegrityError as exc:  # two officers starting one at the same moment
        raise exists from exc
    return rows[0]


def _build(actor, people: list[dict], *, reason, evacuation, country, agency):
    """Create the repatriations and their steps in bulk (inside the caller's
    transaction); audit rows in one insert."""
    templates = rules.templates()
    now = timezone.now()
    year = timezone.localdate().year
    references = ReferenceSequence.next_references("RPT", year, len(people))
    regions = _home_regions(row.get("person") for row in people)
    reps = []
    for reference, row in zip(references, people, strict=True):
        person = row.get("person")
        reps.append(
            Repatriation(
                reference=reference,
                case=row.get("case"),
                evacuation=evacuation,
                person=person,
                name=row["name"][:200],
                reason=reason,
                template_version=templates.version,
                country=country,
                payer=Payer.GOVERNMENT if evacuation is not None else _default_payer(person),
                home_region=regions.get(person.regency_code) if person else None,
                needs=row.get("needs", []),
                flight=row.get("flight", ""),
                arrives_at=row.get("arrives_at"),
                debarkation=row.get("debarkation", ""),
                agency=agency,
                created_by=actor,
                created_at=now,
            )
        )
    reps = Repatriation.objects.bulk_create(reps)
    if reps and reps[0].pk is None:  # backends that return no keys (none we run on)
        reps = list(Repatriation.objects.filter(reference__in=references).order_by("reference"))
    plan = templates.plan(reason, now)
    steps = [RepatriationStep(repatriation=rep, **values) for rep in reps for values in plan]
    RepatriationStep.objects.bulk_create(steps)
    audit_record_many(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        targets=[(rep, ["reason", "steps"]) for rep in reps],
        reason=f"repatriation: {reason}",
    )
    return reps


def repatriations_start_many(
    *, actor: User, evacuation: Evacuation, people: list[dict]
) -> list[Repatriation]:
    """The people of an evacuation, each a repatriation with the evacuation template's
    steps, in a few statements whatever their number. Each row: name (required),
    person (optional, a registry record), needs, flight, arrives_at, debarkation.
    People already being brought home are refused by name, nothing is written."""
    _require_staff(actor, "cases.repatriations_start_many")
    if evacuation.status != Evacuation.Status.OPEN:
        raise error("people", _("This evacuation is closed."), "closed")
    if not visible_evacuation(actor, evacuation):
        deny(actor, "cases.repatriations_start_many", target=evacuation)
    if not people:
        raise error("people", _("Add at least one person."), "required")
    clean = []
    for i, row in enumerate(people, start=1):
        name = (row.get("name") or "").strip() or (
            row["person"].full_name if row.get("person") else ""
        )
        if not name:
            raise error("people", _("Row %(n)s: write the person's name.") % {"n": i}, "required")
        clean.append({**row, "name": name, "needs": _needs(row.get("needs"))})
    ids = [r["person"].pk for r in clean if r.get("person") is not None]
    if len(ids) != len(set(ids)):
        raise error("people", _("The same person is on the list twice."), "duplicate")

    def busy_error(busy):
        names = sorted(r["name"] for r in clean if r.get("person") and r["person"].pk in busy)
        return error(
            "people",
            _("Already being brought home: %(names)s.") % {"names": ", ".join(names)},
            "exists",
        )

    try:
        with transaction.atomic():
            busy = _live_exists(ids)
            if busy:
                raise busy_error(busy)
            return _build(
                actor,
                clean,
                reason=RepatriationReason.EVACUATION,
                evacuation=evacuation,
                country=evacuation.country,
                agency=evacuation.agency or actor.agency,
            )
    except IntegrityError as exc:  # someone started one of them at the same moment
        raise busy_error(_live_exists(ids)) from exc


def visible_evacuation(actor: User, evacuation: Evacuation) -> bool:
    from garda.cases.access import visible_evacuations

    return visible_evacuations(actor).filter(pk=evacuation.pk).exists()


# Steps ----------------------------------------------------------------------------


def _steps_of(repatriation_ids) -> dict[int, list[RepatriationStep]]:
    out: dict[int, list[RepatriationStep]] = {}
    steps = (
        RepatriationStep.objects.filter(repatriation_id__in=repatriation_ids)
        .only("repatriation_id", "code", "position", "required", "status", "tell_family")
        .order_by("repatriation_id", "position")
    )
    for step in steps:
        out.setdefault(step.repatriation_id, []).append(step)
    return out


def _family_message(actor: User, reps_steps: list[tuple[Repatriation, RepatriationStep]]):
    """A shared message on the case for each step the family is told of (in the site's
    language: the family reads it on the tracking page)."""
    notes = []
    with translation.override(settings.LANGUAGE_CODE):
        for rep, step in reps_steps:
            if not step.tell_family or rep.case_id is None:
                continue
            text = _("Repatriation %(reference)s: “%(step)s” is done.") % {
                "reference": rep.reference,
                "step": rules.STEP_LABELS[step.code],
            }
            notes.append(Note(case_id=rep.case_id, author=actor, text=text, shared=True))
    if notes:
        Note.objects.bulk_create(notes)
        cases = Case.objects.filter(pk__in={n.case_id for n in notes}).select_related(
            "person__user", "reporter_user"
        )
        for case in cases:
            tell_worker_side(
                case,
                gettext_lazy("Case %(reference)s: a new message"),
                {"reference": case.reference},
            )


def _after_steps(actor: User, reps: list[Repatriation], steps_by_rep: dict) -> None:
    """Status of each repatriation from its steps; arrival's consequences (in bulk)."""
    now = timezone.now()
    arrived = []
    groups: dict[tuple, list[int]] = {}
    for rep in reps:
        new = rules.status_after(steps_by_rep[rep.pk], rep.status)
        values = {}
        if new != rep.status:
            values["status"] = new
            if rep.status == Repatriation.Status.OPEN and new in ("arrived", "completed"):
                arrived.append(rep)
                if rep.arrived_at is None:
                    values["arrived_at"] = now
            if new == Repatriation.Status.COMPLETED:
                values["completed_at"] = now
        if values:
            # One UPDATE per kind of change, not per person (a flight of 300 lands).
            groups.setdefault(tuple(sorted(values.items())), []).append(rep.pk)
            for key, value in values.items():
                setattr(rep, key, value)
            rep.version += 1
    for values, ids in groups.items():
        Repatriation.objects.filter(pk__in=ids).update(version=F("version") + 1, **dict(values))
    if arrived:
        _people_returned(actor, arrived)
        repatriation_arrived.send(sender=Repatriation, repatriations=arrived, actor=actor)


def _people_returned(actor: User, reps: list[Repatriation]) -> None:
    """The people who reached Indonesia alive move to `returned` where the status
    machine allows it (abroad, departed); a death changes no status here."""
    ids = [r.person_id for r in reps if r.person_id and r.reason != RepatriationReason.DEATH]
    if not ids:
        return
    people = list(
        Person.objects.select_for_update()
        .filter(pk__in=ids)
        .exclude(status=Status.RETURNED)
        .only("pk", "status", "route")
    )
    movable = [p for p in people if Status.RETURNED in person_rules.TRANSITIONS.get(p.status, ())]
    if not movable:
        return
    StatusChange.objects.bulk_create(
        StatusChange(
            person=p,
            from_status=p.status,
            to_status=Status.RETURNED,
            route=p.route,
            reason="repatriation",
            actor=actor,
        )
        for p in movable
    )
    Person.objects.filter(pk__in=[p.pk for p in movable]).update(
        status=Status.RETURNED, version=F("version") + 1, updated_at=timezone.now()
    )
    audit_record_many(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        targets=[(p, ["status"]) for p in movable],
        reason=f"{Status.ABROAD} -> {Status.RETURNED}",
    )


def _check_done(step: RepatriationStep, steps: list[RepatriationStep], *, by_statement=False):
    if step.status != RepatriationStep.Status.OPEN:
        raise error("step", _("This step is already done."), "done")
    if step.code == rules.HANDOVER and not by_statement:
        raise error(
            "step",
            _("Record the signed hand-over statement: it completes this step."),
            "statement_required",
        )
    blocking = rules.blocking_step(steps, step.code)
    if blocking is not None:
        raise StepBlocked(step, blocking)


def step_complete(
    *, actor: User, step: RepatriationStep, note: str = "", _by_statement: bool = False
) -> RepatriationStep:
    """Mark one step done; StepBlocked (409) while an earlier required step is open."""
    rep = step.repatriation
    _require_handle(actor, rep, "cases.repatriation_step_complete")
    note = (note or "").strip()[:500]
    with transaction.atomic():
        rep = Repatriation.objects.select_for_update().get(pk=rep.pk)
        if not rep.is_live:
            raise NotLive(rep.reference)
        steps = list(rep.steps.all())
        step = next(s for s in steps if s.pk == step.pk)
        _check_done(step, steps, by_statement=_by_statement)
        now = timezone.now()
        step.status, step.done_at, step.done_by = RepatriationStep.Status.DONE, now, actor
        if note:
            step.note = note
        step.save(update_fields=["status", "done_at", "done_by", "note"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=step,
            changed_fields=["status", "done_at"],
            reason=f"repatriation step done: {step.code}",
        )
        _after_steps(actor, [rep], {rep.pk: steps})
        _family_message(actor, [(rep, step)])
    step.repatriation = rep
    return step


@dataclass
class ManyResult:
    done: list[Repatriation]
    blocked: list[tuple[Repatriation, str]]  # (repatriation, the earlier open step's code)
    skipped: list[Repatriation]  # already done, not live, or without that step


def steps_complete_many(
    *, actor: User, repatriations: list[Repatriation], code: str, note: str = ""
) -> ManyResult:
    """The same step done for many people at once (an evacuation's flight landed):
    those whose earlier required steps are open are reported, not forced."""
    _require_staff(actor, "cases.repatriation_steps_complete_many")
    if code not in rules.STEP_LABELS or code == rules.HANDOVER:
        raise error("code", _("Choose a step that can be done for many people at once."), "invalid")
    ids = [r.pk for r in repatriations]
    allowed = set(visible_repatriations(actor).filter(pk__in=ids).values_list("pk", flat=True))
    if len(allowed) != len(set(ids)):
        deny(actor, "cases.repatriation_steps_complete_many")
    note = (note or "").strip()[:500]
    result = ManyResult([], [], [])
    with transaction.atomic():
        reps = list(Repatriation.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        steps_by_rep = _steps_of(ids)
        now = timezone.now()
        to_save = []
        for rep in reps:
            steps = steps_by_rep.get(rep.pk, [])
            step = next((s for s in steps if s.code == code), None)
            if not rep.is_live or step is None or step.status != RepatriationStep.Status.OPEN:
                result.skipped.append(rep)
                continue
            blocking = rules.blocking_step(steps, code)
            if blocking is not None:
                result.blocked.append((rep, blocking.code))
                continue
            step.status, step.done_at, step.done_by = RepatriationStep.Status.DONE, now, actor
            if note:
                step.note = note
            to_save.append((rep, step))
            result.done.append(rep)
        # Every step done gets the same values: one plain UPDATE (bulk_update's CASE per
        # row costs seconds of Python for a flight of 300).
        values = {"status": RepatriationStep.Status.DONE, "done_at": now, "done_by": actor}
        if note:
            values["note"] = note
        done_ids = [s.pk for _, s in to_save]
        for start in range(0, len(done_ids), 500):
            RepatriationStep.objects.filter(pk__in=done_ids[start : start + 500]).update(**values)
        audit_record_many(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            targets=[(s, ["status", "done_at"]) for _, s in to_save],
            reason=f"repatriation step done: {code}",
        )
        _after_steps(actor, result.done, steps_by_rep)
        _family_message(actor, to_save)
    return result


def step_not_needed(*, actor: User, step: RepatriationStep, reason: str) -> RepatriationStep:
    """An optional step this person does not need (no escort; no shelter)."""
    rep = step.repatriation
    _require_handle(actor, rep, "cases.repatriation_step_not_needed")
    reason = require_reason(reason)
    if step.required:
        raise error("step", _("This step is required: it cannot be left out."), "required_step")
    with transaction.atomic():
        rep = Repatriation.objects.select_for_update().get(pk=rep.pk)
        if not rep.is_live:
            raise NotLive(rep.reference)
        step = rep.steps.get(pk=step.pk)  # read again under the lock
        if step.status != RepatriationStep.Status.OPEN:
            raise error("step", _("This step is already done."), "done")
        step.status, step.done_at, step.done_by = RepatriationStep.Status.NOT_NEEDED, None, actor
        step.note = reason
        step.save(update_fields=["status", "done_at", "done_by", "note"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=step,
            changed_fields=["status", "note"],
            reason=f"repatriation step not needed: {step.code}",
        )
        _after_steps(actor, [rep], {rep.pk: list(rep.steps.all())})
    step.repatriation = rep
    return step


def step_update(
    *,
    actor: User,
    step: RepatriationStep,
    owner: User | None = None,
    due_at: datetime | None = None,
) -> RepatriationStep:
    """Who follows the step up, and by when."""
    _require_handle(actor, step.repatriation, "cases.repatriation_step_update")
    changed = []
    if owner is not None:
        if not owner.is_active or owner.role not in (roles.OFFICER, roles.SUPERVISOR):
            raise error("owner", _("Choose an active officer (Pasukan Putih)."), "invalid")
        step.owner = owner
        changed.append("owner")
    if due_at is not None:
        step.due_at = due_at
        changed.append("due_at")
    if changed:
        with transaction.atomic():
            step.save(update_fields=changed)
            audit_record(
                actor=actor, action=AuditEvent.Action.UPDATE, target=step, changed_fields=changed
            )
    return step


# Travel and arrival ---------------------------------------------------------------

TRAVEL_FIELDS = (
    "payer",
    "payer_name",
    "flight",
    "debarkation",
    "arrives_at",
    "needs",
    "met_by",
    "home_region",
    "lacks_capacity",
)


def _clean_travel(values: dict) -> dict:
    unknown = set(values) - set(TRAVEL_FIELDS)
    if unknown:
        raise ValueError(f"not travel fields: {sorted(unknown)}")
    out = dict(values)
    if "payer" in out and out["payer"] not in ("", *Payer.values):
        raise error("payer", _("Choose who pays from the list."), "invalid")
    if "debarkation" in out and out["debarkation"] not in ("", *Debarkation.values):
        raise error("debarkation", _("Choose the point of arrival from the list."), "invalid")
    if "needs" in out:
        out["needs"] = _needs(out["needs"])
    if "flight" in out:
        out["flight"] = (out["flight"] or "").strip().upper()[:20]
    if "payer_name" in out:
        out["payer_name"] = (out["payer_name"] or "").strip()[:200]
    met_by = out.get("met_by")
    if met_by is not None and (not met_by.is_active or met_by.role not in CASE_ROLES):
        raise error("met_by", _("Choose an active officer (Pasukan Putih)."), "invalid")
    return out


def repatriation_update(
    *, actor: User, repatriation: Repatriation, version: int | None = None, **values
) -> Repatriation:
    """Travel details: flight, point and time of arrival, needs, who pays, who meets
    the person, the home city. `version` (the one read) guards concurrent edits."""
    _require_handle(actor, repatriation, "cases.repatriation_update")
    values = _clean_travel(values)
    with transaction.atomic():
        rep = Repatriation.objects.select_for_update().get(pk=repatriation.pk)
        if version is not None and rep.version != version:
            from garda.cases.services.common import VersionConflict

            raise VersionConflict(rep.case or Case(reference=rep.reference))
        changed = [k for k, v in values.items() if getattr(rep, k) != v]
        for key in changed:
            setattr(rep, key, values[key])
        if changed:
            rep.version += 1
            rep.save(update_fields=[*changed, "version"])
            audit_record(
                actor=actor, action=AuditEvent.Action.UPDATE, target=rep, changed_fields=changed
            )
    return rep


def repatriations_update_many(*, actor: User, repatriations: list[Repatriation], **values) -> int:
    """The same travel details for many people (an evacuation's flight)."""
    _require_staff(actor, "cases.repatriations_update_many")
    values = _clean_travel(values)
    ids = [r.pk for r in repatriations]
    allowed = visible_repatriations(actor).filter(
        pk__in=ids, status__in=(Repatriation.Status.OPEN, Repatriation.Status.ARRIVED)
    )
    if allowed.count() != len(set(ids)):
        deny(actor, "cases.repatriations_update_many")
    if not values:
        return 0
    with transaction.atomic():
        n = Repatriation.objects.filter(pk__in=ids).update(version=F("version") + 1, **values)
        audit_record_many(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            targets=[(r, list(values)) for r in repatriations],
        )
    return n


# Signed statements ----------------------------------------------------------------


def statement_record(
    *,
    actor: User,
    repatriation: Repatriation,
    kind: str,
    signed_on: date,
    place: str,
    signatory_name: str = "",
    signatory_relation: str = "",
    signed_by: str = "",
    witness_name: str = "",
    witness_office: str = "",
    remarks: str = "",
) -> RepatriationStatement:
    """A signed statement. A hand-over completes the hand-over step (refused while an
    earlier required step is open); a refusal of rehabilitation marks that step not
    needed. A refusal says who signed it (`signed_by`): the worker when they can sign
    (their name is the signatory's), a family member, named with their relationship,
    when the worker lacks the capacity to (`lacks_capacity`); never the worker's own
    name for the family's."""
    _require_handle(actor, repatriation, "cases.repatriation_statement_record")
    if kind not in Kind.values:
        raise error("kind", _("Choose the kind of statement."), "invalid")
    errors = {}
    place = (place or "").strip()
    signatory_name = (signatory_name or "").strip()
    signatory_relation = (signatory_relation or "").strip()
    witness_name, witness_office = (witness_name or "").strip(), (witness_office or "").strip()
    signed_by = (signed_by or "").strip()
    worker_signs = False
    if kind == Kind.REFUSAL:
        if signed_by not in SignedBy.values:
            errors["signed_by"] = _("Say who signs the refusal: the worker or the family.")
        elif signed_by == SignedBy.WORKER and repatriation.lacks_capacity:
            errors["signed_by"] = _(
                "The worker cannot sign for themself: a family member signs the refusal."
            )
        elif signed_by == SignedBy.FAMILY and not repatriation.lacks_capacity:
            errors["signed_by"] = _(
                "The worker can sign for themself: the refusal is the worker's to sign, "
                "not the family's."
            )
        worker_signs = signed_by == SignedBy.WORKER
        if worker_signs:
            signatory_name, signatory_relation = repatriation.name, ""
    else:
        signed_by = ""
    if not place:
        errors["place"] = _("Write where it was signed.")
    if not signatory_name:
        errors["signatory_name"] = _("Write who signed it.")
    if not signatory_relation and not worker_signs:
        errors["signatory_relation"] = _(
            "Write how the signatory is related to the worker, or their office."
        )
    if signed_on is None:
        errors["signed_on"] = _("Write the date it was signed.")
    elif signed_on > timezone.localdate():
        errors["signed_on"] = _("The date cannot be in the future.")
    if kind == Kind.HANDOVER_FAMILY and not (witness_name and witness_office):
        errors["witness_name"] = _(
            "A hand-over to the family is witnessed by the village or city government: "
            "write the witness and their office."
        )
    if (
        signed_by == SignedBy.FAMILY
        and signatory_name
        and repatriation.name
        and same_name(signatory_name, repatriation.name)
    ):
        errors["signatory_name"] = _(
            "The worker cannot sign for themself: a family member signs the refusal."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rep = Repatriation.objects.select_for_update().get(pk=repatriation.pk)
        if not rep.is_live:
            raise NotLive(rep.reference)
        steps = list(rep.steps.all())
        by_code = {s.code: s for s in steps}
        if kind in HANDOVER_KINDS:
            step = by_code.get(rules.HANDOVER)
            if step is None:
                raise error("kind", _("This repatriation has no hand-over step."), "invalid")
            if rep.statements.filter(kind__in=HANDOVER_KINDS).exists():
                raise error("kind", _("The hand-over statement is already recorded."), "exists")
            _check_done(step, steps, by_statement=True)
        else:
            step = by_code.get(rules.REHABILITATION)
            if step is None or step.status != RepatriationStep.Status.OPEN:
                raise error(
                    "kind", _("Rehabilitation is not open on this repatriation."), "invalid"
                )
            if rep.statements.filter(kind=Kind.REFUSAL).exists():
                raise error("kind", _("The refusal is already recorded."), "exists")
        year = timezone.localdate().year
        statement = RepatriationStatement.objects.create(
            repatriation=rep,
            number=ReferenceSequence.next_reference("BA", year),
            kind=kind,
            signed_on=signed_on,
            place=place[:200],
            signatory_name=signatory_name[:200],
            signatory_relation=signatory_relation[:100],
            signed_by=signed_by,
            witness_name=witness_name[:200],
            witness_office=witness_office[:200],
            remarks=(remarks or "").strip(),
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            target=statement,
            changed_fields=["kind", "signatory_name", "signed_by", "witness_name"],
            reason=f"statement: {kind}",
        )
        now = timezone.now()
        if kind in HANDOVER_KINDS:
            step.status, step.done_at, step.done_by = RepatriationStep.Status.DONE, now, actor
            step.note = statement.number
        else:
            step.status, step.done_by = RepatriationStep.Status.NOT_NEEDED, actor
            step.note = _("Refused, statement %(number)s") % {"number": statement.number}
        step.save(update_fields=["status", "done_at", "done_by", "note"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=step,
            changed_fields=["status"],
            reason=f"repatriation step {step.status}: {step.code}",
        )
        _after_steps(actor, [rep], {rep.pk: steps})
        if kind in HANDOVER_KINDS:
            _family_message(actor, [(rep, step)])
    statement.repatriation = rep
    return statement


# Cancelling, evacuations ----------------------------------------------------------


def repatriation_cancel(*, actor: User, repatriation: Repatriation, reason: str) -> Repatriation:
    _require_handle(actor, repatriation, "cases.repatriation_cancel")
    reason = require_reason(reason)
    with transaction.atomic():
        n = Repatriation.objects.filter(pk=repatriation.pk, status=Repatriation.Status.OPEN).update(
            status=Repatriation.Status.CANCELLED,
            cancel_reason=reason,
            version=F("version") + 1,
        )
        if not n:
            raise error(
                "reason",
                _("Only a repatriation not yet arrived can be cancelled."),
                "not_cancellable",
            )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=repatriation,
            changed_fields=["status", "cancel_reason"],
            reason="repatriation cancelled",
        )
    repatriation.refresh_from_db()
    return repatriation


def evacuation_create(*, actor: User, name: str, country, cause: str) -> Evacuation:
    _require_staff(actor, "cases.evacuation_create")
    errors = {}
    name, cause = (name or "").strip(), (cause or "").strip()
    if not name:
        errors["name"] = _("Name the operation.")
    if country is None:
        errors["country"] = _("Choose the country.")
    if not cause:
        errors["cause"] = _("Say what happened (a few words).")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        evacuation = Evacuation.objects.create(
            reference=ReferenceSequence.next_reference("EVK", timezone.localdate().year),
            name=name[:200],
            country=country,
            cause=cause[:500],
            agency=actor.agency,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            target=evacuation,
            changed_fields=["name", "country", "cause"],
        )
    return evacuation


def evacuation_close(*, actor: User, evacuation: Evacuation) -> Evacuation:
    _require_staff(actor, "cases.evacuation_close")
    if not visible_evacuation(actor, evacuation):
        deny(actor, "cases.evacuation_close", target=evacuation)
    with transaction.atomic():
        if (
            not Evacuation.objects.select_for_update()
            .filter(pk=evacuation.pk, status=Evacuation.Status.OPEN)
            .exists()
        ):
            raise error("status", _("This evacuation is closed."), "closed")
        live = evacuation.repatriations.filter(status=Repatriation.Status.OPEN).count()
        if live:
            raise error(
                "status",
                _("%(n)s people of this evacuation have not arrived yet.") % {"n": live},
                "live",
            )
        Evacuation.objects.filter(pk=evacuation.pk).update(
            status=Evacuation.Status.CLOSED, closed_at=timezone.now()
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=evacuation,
            changed_fields=["status"],
        )
    evacuation.refresh_from_db()
    return evacuation


def repatriation_rows(qs):
    """Repatriations with their steps, for lists (two queries whatever the count)."""
    return qs.prefetch_related(
        Prefetch("steps", queryset=RepatriationStep.objects.order_by("position"))
    )
