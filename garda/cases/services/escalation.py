"""The periodic job behind the clocks (docs/cases.md, "Escalation").

Each run, for open cases:
- a running clock that turned at risk: its owner is told once;
- a clock past due (level 1): the owner and the supervisors of the case's agency are
  told (the administrators, while nobody holds the case);
- still past due `head_of_unit_after_hours` later (level 2): the head of unit
  (cases.UnitHead of the agency), or the administrators when none is set.
Each escalation is an Escalation row (shown on the case and counted on the
dashboard) and one audit row. Bulk queries: the job's cost grows with the overdue
clocks, not with all cases.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from garda.accounts import roles
from garda.accounts.models import User
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record_many
from garda.cases import policy
from garda.cases.models import Clock, Escalation, Status, UnitHead
from garda.cases.services.common import case_url, tell

BATCH = 500


def _admins() -> list[User]:
    return list(User.objects.filter(is_active=True, groups__name=roles.ADMIN))


def _supervisors(agency_id) -> list[User]:
    return list(
        User.objects.filter(is_active=True, groups__name=roles.SUPERVISOR, agency_id=agency_id)
    )


def escalate(now: datetime | None = None) -> dict[str, int]:
    """One run; returns how many clocks were told at risk, escalated to level 1 and 2."""
    now = now or timezone.now()
    pol = policy.current()
    counts = {"at_risk": 0, "level_1": 0, "level_2": 0}
    open_clocks = Clock.objects.filter(
        done_at__isnull=True, case__status=Status.OPEN
    ).select_related("case", "case__owner")
    supervisors: dict = {}
    heads = {h.agency_id: h.user for h in UnitHead.objects.select_related("user")}
    admins = None

    def people_for(clock: Clock, level: int) -> list[User]:
        nonlocal admins
        case = clock.case
        if level == 2:
            head = heads.get(case.agency_id)
            if head is not None and head.is_active:
                return [head]
        elif case.agency_id is not None:
            if case.agency_id not in supervisors:
                supervisors[case.agency_id] = _supervisors(case.agency_id)
            found = [u for u in [case.owner] if u is not None] + supervisors[case.agency_id]
            if found:
                return found
        if admins is None:
            admins = _admins()
        return ([case.owner] if case.owner and level == 1 else []) + admins

    # At risk: told once.
    for clock in open_clocks.filter(at_risk_told_at__isnull=True, risk_at__lte=now, due_at__gt=now)[
        : BATCH * 20
    ]:
        with transaction.atomic():
            tell(
                clock.case.owner,
                gettext_lazy("Case %(reference)s: %(clock)s is due soon"),
                {"reference": clock.case.reference, "clock": Clock.Name(clock.name).label},
                url=case_url(clock.case),
            )
            Clock.objects.filter(pk=clock.pk).update(at_risk_told_at=now)
        counts["at_risk"] += 1

    level_2_before = now - timedelta(hours=pol.head_of_unit_after_hours)
    due = list(open_clocks.filter(due_at__lt=now, escalation_level=0)) + list(
        open_clocks.filter(due_at__lt=level_2_before, escalation_level=1)
    )
    for start in range(0, len(due), BATCH):
        chunk = due[start : start + BATCH]
        with transaction.atomic():
            events = []
            for clock in chunk:
                level = clock.escalation_level + 1
                people = {u.pk: u for u in people_for(clock, level)}.values()
                row = Escalation.objects.create(
                    case=clock.case, clock=clock.name, level=level, at=now
                )
                row.notified.set(list(people))
                for user in people:
                    tell(
                        user,
                        gettext_lazy("Case %(reference)s is overdue: %(clock)s (level %(level)s)"),
                        {
                            "reference": clock.case.reference,
                            "clock": Clock.Name(clock.name).label,
                            "level": level,
                        },
                        url=case_url(clock.case),
                    )
                Clock.objects.filter(pk=clock.pk).update(escalation_level=level)
                events.append((clock.case, level, clock.name))
                counts[f"level_{level}"] += 1
            audit_record_many(
                actor=None,
                action=AuditEvent.Action.UPDATE,
                targets=[(case, ["escalation"]) for case, _level, _name in events],
                reason="escalation",
            )
    return counts
