"""The periodic job behind the clocks (docs/cases.md, "Escalation").

Each run, for open cases:
- a running clock that turned at risk: its owner is told once;
- a clock past due (level 1): the owner and the supervisors of the case's agency are
  told (the administrators, while nobody holds the case and no agency has it);
- still past due `head_of_unit_after_hours` later (level 2): the head of unit
  (cases.UnitHead of the agency), or the administrators when none is set.
Each escalation is an Escalation row (shown on the case and counted on the
dashboard), with the people told in `notified`, and one audit row. A clock is raised
to a level once (Clock.escalation_level), so nothing is escalated twice; a clock that
was met is never looked at.

The work is done in batches of BATCH clocks, each in its own transaction with a
fixed number of queries (the clocks with their cases and owners, the supervisors of
the agencies not met yet, bulk inserts of the Escalation rows, who was notified, the
notifications and the audit rows, one update of the clocks): the cost grows with the
overdue clocks, not with all cases, and never by a query per clock. E-mails leave
after each batch commits, over one connection.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from garda.accounts import roles
from garda.accounts.models import Notification, User
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record_many
from garda.cases import policy
from garda.cases.models import Clock, Escalation, Status, UnitHead
from garda.cases.services.common import case_url
from garda.links import absolute_url

BATCH = 500

AT_RISK_TITLE = gettext_lazy("Case %(reference)s: %(clock)s is due soon")
OVERDUE_TITLE = gettext_lazy("Case %(reference)s is overdue: %(clock)s (level %(level)s)")


class _People:
    """Who is told, read once per run (admins, heads of unit) or once per agency
    (supervisors), never per clock."""

    def __init__(self):
        self.heads = {
            h.agency_id: h.user for h in UnitHead.objects.select_related("user") if h.user.is_active
        }
        self._admins: list[User] | None = None
        self.supervisors: dict[int, list[User]] = {}

    @property
    def admins(self) -> list[User]:
        if self._admins is None:
            self._admins = list(
                User.objects.filter(is_active=True, groups__name=roles.ADMIN).order_by("pk")
            )
        return self._admins

    def load_supervisors(self, agency_ids) -> None:
        missing = {a for a in agency_ids if a is not None and a not in self.supervisors}
        if not missing:
            return
        for agency_id in missing:
            self.supervisors[agency_id] = []
        for user in User.objects.filter(
            is_active=True, groups__name=roles.SUPERVISOR, agency_id__in=missing
        ).order_by("pk"):
            self.supervisors[user.agency_id].append(user)

    def for_clock(self, clock: Clock, level: int) -> list[User]:
        case = clock.case
        owner = [case.owner] if case.owner is not None and case.owner.is_active else []
        if level >= 2:
            head = self.heads.get(case.agency_id)
            found = [head] if head is not None else self.admins
        else:
            found = owner + self.supervisors.get(case.agency_id, [])
            if not found:
                found = self.admins
        return list({u.pk: u for u in found}.values())


def _tell_many(messages: list[tuple[User, str, str]]) -> None:
    """In-app notifications in one insert, then (after the commit) the e-mails over
    one connection: (user, title, url) each, as accounts.notify.notify would send
    them one by one."""
    if not messages:
        return
    Notification.objects.bulk_create(
        Notification(user=user, title=title[:200], url=url[:300]) for user, title, url in messages
    )
    mails = [
        (f"Garda: {title}", f"\n\n{absolute_url(url)}" if url else "", user.email)
        for user, title, url in messages
        if user.email
    ]

    def send():
        connection = get_connection(fail_silently=True)
        connection.send_messages(
            [
                EmailMessage(subject, body, None, [to], connection=connection)
                for subject, body, to in mails
            ]
        )

    if mails:
        transaction.on_commit(send)


def _at_risk(now: datetime, base) -> int:
    told = 0
    while True:
        chunk = list(
            base.filter(at_risk_told_at__isnull=True, risk_at__lte=now, due_at__gte=now)
            .select_related("case", "case__owner")
            .order_by("due_at", "pk")[:BATCH]
        )
        if not chunk:
            return told
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            messages = []
            for clock in chunk:
                owner = clock.case.owner
                if owner is not None and owner.is_active:
                    title = str(AT_RISK_TITLE) % {
                        "reference": clock.case.reference,
                        "clock": Clock.Name(clock.name).label,
                    }
                    messages.append((owner, title, case_url(clock.case)))
            _tell_many(messages)
            Clock.objects.filter(pk__in=[c.pk for c in chunk]).update(at_risk_told_at=now)
        told += len(chunk)


def _raise(level: int, candidates, now: datetime, people: _People) -> int:
    """Raise the clocks of `candidates` (at level - 1) to `level`, BATCH at a time."""
    raised = 0
    while True:
        chunk = list(
            candidates.select_related("case", "case__owner").order_by("due_at", "pk")[:BATCH]
        )
        if not chunk:
            return raised
        people.load_supervisors({c.case.agency_id for c in chunk})
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            told = [people.for_clock(clock, level) for clock in chunk]
            rows = Escalation.objects.bulk_create(
                Escalation(case_id=clock.case_id, clock=clock.name, level=level, at=now)
                for clock in chunk
            )
            Through = Escalation.notified.through
            Through.objects.bulk_create(
                Through(escalation_id=row.pk, user_id=user.pk)
                for row, users in zip(rows, told, strict=True)
                for user in users
            )
            messages = []
            for clock, users in zip(chunk, told, strict=True):
                title = str(OVERDUE_TITLE) % {
                    "reference": clock.case.reference,
                    "clock": Clock.Name(clock.name).label,
                    "level": level,
                }
                messages += [(user, title, case_url(clock.case)) for user in users]
            _tell_many(messages)
            Clock.objects.filter(pk__in=[c.pk for c in chunk]).update(escalation_level=level)
            audit_record_many(
                actor=None,
                action=AuditEvent.Action.UPDATE,
                targets=[(clock.case, ["escalation"]) for clock in chunk],
                reason=f"escalation level {level}",
            )
        raised += len(chunk)


def escalate(now: datetime | None = None) -> dict[str, int]:
    """One run; returns how many clocks were told at risk, escalated to level 1 and 2."""
    now = now or timezone.now()
    pol = policy.current()
    base = Clock.objects.filter(done_at__isnull=True, case__status=Status.OPEN)
    people = _People()
    counts = {"at_risk": _at_risk(now, base)}
    # Level 2 first: a clock raised to level 1 in this run waits for a later run.
    level_2_before = now - timedelta(hours=pol.head_of_unit_after_hours)
    counts["level_2"] = _raise(
        2, base.filter(escalation_level=1, due_at__lt=level_2_before), now, people
    )
    counts["level_1"] = _raise(1, base.filter(escalation_level=0, due_at__lt=now), now, people)
    return {
        "at_risk": counts["at_risk"],
        "level_1": counts["level_1"],
        "level_2": counts["level_2"],
    }
