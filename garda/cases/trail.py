"""What the old owner's side sees of a case handed over (docs/cases.md, "Transfers"):
their own part, up to the transfer, and to whom it went; never what happened after.

The part of an officer is what they did; the part of a supervisor, what the officers
of their agency did (and the old owner, wherever they are now). Each row is cut at the
transfer: a task done afterwards shows as still open, a note written afterwards does
not show."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from garda.accounts import roles
from garda.accounts.models import User
from garda.cases.display import stage_label
from garda.cases.models import Case, CaseTask, Note, Service, StageChange, Transfer

LIMIT = 200  # rows of each kind: the page stays bounded


@dataclass
class Trail:
    case: Case
    transfer: Transfer
    moves: list
    notes: list
    tasks: list
    services: list

    @property
    def cutoff(self) -> datetime:
        return self.transfer.decided_at


def _actors(user: User, transfer: Transfer) -> Q:
    """Whose rows belong to `user`'s part (a Q on a `<field>` to fill in)."""
    if user.role == roles.SUPERVISOR and user.agency_id == transfer.from_agency_id:
        return Q(agency_id=user.agency_id) | Q(pk=transfer.from_owner_id)
    return Q(pk=user.pk)


def trail_for(user: User, case: Case, transfer: Transfer) -> Trail:
    cutoff = transfer.decided_at
    actors = User.objects.filter(_actors(user, transfer)).values("pk")
    moves = list(
        StageChange.objects.filter(case=case, actor__in=actors, at__lte=cutoff)
        .select_related("actor")
        .order_by("at", "id")[:LIMIT]
    )
    for move in moves:
        move.to_label = stage_label(move.to_stage)
        move.from_label = stage_label(move.from_stage) if move.from_stage else ""
    notes = list(
        Note.objects.filter(case=case, author__in=actors, created_at__lte=cutoff)
        .select_related("author")
        .order_by("created_at", "id")[:LIMIT]
    )
    tasks = list(
        CaseTask.objects.filter(case=case, created_by__in=actors, created_at__lte=cutoff)
        .select_related("created_by")
        .order_by("created_at", "id")[:LIMIT]
    )
    services = list(
        Service.objects.filter(case=case, created_by__in=actors, created_at__lte=cutoff)
        .select_related("created_by")
        .order_by("created_at", "id")[:LIMIT]
    )
    for row in [*tasks, *services]:
        # Done after the transfer: not theirs to know.
        if row.done_at is not None and row.done_at > cutoff:
            row.done_at = None
    return Trail(
        case=case, transfer=transfer, moves=moves, notes=notes, tasks=tasks, services=services
    )
