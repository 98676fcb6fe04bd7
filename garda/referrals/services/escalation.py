"""The follow-through of referrals: the periodic job that raises overdue answers and
reports, like a case clock (docs/referrals.md, "Follow-through"; the case version is
garda/cases/services/escalation.py).

Two clocks per referral:
- answer: a referral still waiting for the agency's answer (status requested) after
  its `due_at`;
- report: an accepted referral not reported back by its `report_due_at`.
Each run, for either clock:
- past due (level 1): the case's owner (or, with nobody holding the case, the officer
  who asked), the supervisors of the case's agency and the partner users of the
  receiving agency are told;
- still past due `head_of_unit_after_working_days` working days later (level 2,
  data/followup.toml): the head of unit of the case's agency (cases.UnitHead), or
  the administrators when none is set.
Each escalation is a ReferralEscalation row (one per clock and level: a unique
constraint, so nothing is raised twice) with the people told, an audit row, and the
referral's `escalation_level`/`escalated_at` set. A referral answered, reported,
declined, closed or withdrawn leaves the clock's status and is never looked at again;
a referral of a case no longer open is never raised (closing the case closes its
referrals: services/referrals.py; this is the second guard).

The work is done in batches of BATCH referrals, each in one transaction with a fixed
number of queries (the referrals with their cases, the supervisors and partners of
the agencies not met yet, bulk inserts of the escalations, who was told, the
notifications and the audit rows, one update): the cost grows with the overdue
referrals, never by a query per referral.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from garda import refdata
from garda.accounts import roles
from garda.accounts.models import User
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record_many
from garda.cases import clocks
from garda.cases import policy as case_policy
from garda.cases.models import Status as CaseStatus
from garda.cases.services.common import case_url
from garda.cases.services.escalation import _People as CasePeople
from garda.cases.services.escalation import _tell_many as tell_many
from garda.referrals.models import Referral, ReferralEscalation, Status

BATCH = 500
DATA = Path(__file__).resolve().parents[1] / "data"
ANSWER = ReferralEscalation.Clock.ANSWER
REPORT = ReferralEscalation.Clock.REPORT
# The clock -> (the deadline's field, the status in which the clock runs).
CLOCKS = {ANSWER: ("due_at", Status.REQUESTED), REPORT: ("report_due_at", Status.ACCEPTED)}

TITLES = {
    ANSWER: gettext_lazy(
        "Referral %(reference)s has no answer yet: it was due on %(day)s (level %(level)s)"
    ),
    REPORT: gettext_lazy(
        "Referral %(reference)s: the service was to be reported back by %(day)s (level %(level)s)"
    ),
}


@dataclass(frozen=True)
class Policy:
    head_of_unit_after_working_days: int


@lru_cache(maxsize=1)
def current_policy() -> Policy:
    data = refdata.load(DATA / "followup.toml")
    days = int(data["escalation"]["head_of_unit_after_working_days"])
    if days < 1:
        raise ValueError("followup.toml: head_of_unit_after_working_days must be 1 or more")
    return Policy(head_of_unit_after_working_days=days)


@lru_cache(maxsize=1)
def _has_detail_page() -> bool:
    # Asked once: a failed reverse() costs milliseconds, and the job builds a link per
    # partner told.
    try:
        reverse("referrals:detail", args=[1])
    except NoReverseMatch:
        return False
    return True


def referral_url(referral: Referral) -> str:
    """The referral's own page (where the receiving agency answers and reports), as
    the letter's QR code and the partners' notifications link to it."""
    if _has_detail_page():
        return reverse("referrals:detail", args=[referral.pk])
    return f"/referrals/{referral.pk}/"  # the referral flow's page (docs/referrals.md)


def level_2_due(deadline: datetime, days: int, holidays) -> datetime:
    """When a referral overdue since `deadline` goes to the head of unit: `days`
    working days later, counted on the Jakarta calendar."""
    return clocks.add_working_days(timezone.localtime(deadline), days, holidays)


class _People(CasePeople):
    """Who is told, read once per run (admins, heads of unit: the case job's) or once
    per agency (supervisors of the case's agency, partners of the receiving one)."""

    def __init__(self):
        super().__init__()
        self.partners: dict[int, list[User]] = {}

    def load(self, referrals: list[Referral]) -> None:
        self.load_supervisors({r.case.agency_id for r in referrals})
        missing = {r.agency_id for r in referrals} - set(self.partners)
        if not missing:
            return
        for agency_id in missing:
            self.partners[agency_id] = []
        for user in User.objects.filter(
            is_active=True, groups__name=roles.PARTNER, agency_id__in=missing
        ).order_by("pk"):
            self.partners[user.agency_id].append(user)

    def for_referral(self, referral: Referral, level: int) -> tuple[list[User], list[User]]:
        """(staff, partners) to tell about `referral` at `level`."""
        case = referral.case
        if level >= 2:
            head = self.heads.get(case.agency_id)
            return ([head] if head is not None else list(self.admins)), []
        holder = case.owner if case.owner_id is not None else referral.requested_by
        staff = [holder] if holder is not None and holder.is_active else []
        staff += self.supervisors.get(case.agency_id, [])
        partners = self.partners.get(referral.agency_id, [])
        if not staff and not partners:
            staff = list(self.admins)
        staff = list({u.pk: u for u in staff}.values())
        return staff, [p for p in partners if p.pk not in {u.pk for u in staff}]


def _escalated(clock: str, level: int) -> Exists:
    return Exists(
        ReferralEscalation.objects.filter(referral=OuterRef("pk"), clock=clock, level=level)
    )


def _candidates(clock: str, level: int, now: datetime, pol: Policy):
    field, status = CLOCKS[clock]
    qs = Referral.objects.filter(
        status=status, case__status=CaseStatus.OPEN, **{f"{field}__isnull": False}
    )
    if level == 1:
        return qs.filter(**{f"{field}__lt": now}).filter(~_escalated(clock, 1))
    # A span of n working days is at least n calendar days: the database narrows the
    # rows, the calendar (holidays) decides.
    before = now - timedelta(days=pol.head_of_unit_after_working_days)
    return qs.filter(**{f"{field}__lt": before}).filter(_escalated(clock, 1), ~_escalated(clock, 2))


def _raise(clock: str, level: int, now: datetime, pol: Policy, people: _People) -> int:
    field, _status = CLOCKS[clock]
    holidays = case_policy.current().holidays
    candidates = _candidates(clock, level, now, pol).select_related(
        "case", "case__owner", "requested_by"
    )
    raised, last = 0, 0
    while True:
        chunk = list(candidates.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not chunk:
            return raised
        last = chunk[-1].pk
        if level == 2:
            days = pol.head_of_unit_after_working_days
            chunk = [r for r in chunk if level_2_due(getattr(r, field), days, holidays) <= now]
            if not chunk:
                continue
        else:
            people.load(chunk)
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            told = [people.for_referral(r, level) for r in chunk]
            rows = ReferralEscalation.objects.bulk_create(
                ReferralEscalation(referral_id=r.pk, clock=clock, level=level, at=now)
                for r in chunk
            )
            Through = ReferralEscalation.notified.through
            Through.objects.bulk_create(
                Through(referralescalation_id=row.pk, user_id=user.pk)
                for row, (staff, partners) in zip(rows, told, strict=True)
                for user in staff + partners
            )
            messages = []
            for referral, (staff, partners) in zip(chunk, told, strict=True):
                deadline = timezone.localtime(getattr(referral, field))
                title = str(TITLES[clock]) % {
                    "reference": referral.reference,
                    "day": date_format(deadline, "j F Y"),
                    "level": level,
                }
                messages += [(user, title, case_url(referral.case)) for user in staff]
                messages += [(user, title, referral_url(referral)) for user in partners]
            tell_many(messages)
            Referral.objects.filter(pk__in=[r.pk for r in chunk]).update(
                escalation_level=level, escalated_at=now
            )
            audit_record_many(
                actor=None,
                action=AuditEvent.Action.UPDATE,
                targets=[(r, ["escalation_level", "escalated_at"]) for r in chunk],
                reason=f"referral escalation: {clock}, level {level}",
            )
        raised += len(chunk)


def escalate(now: datetime | None = None) -> dict[str, int]:
    """One run; how many referrals were raised, per clock and level
    ("answer_1", "answer_2", "report_1", "report_2")."""
    now = now or timezone.now()
    pol = current_policy()
    people = _People()
    counts = {}
    for clock in (ANSWER, REPORT):
        # Level 2 first: a referral raised to level 1 in this run waits for a later run.
        counts[f"{clock}_2"] = _raise(clock, 2, now, pol, people)
        counts[f"{clock}_1"] = _raise(clock, 1, now, pol, people)
    return counts


def open_overdue_q(now: datetime, prefix: str = "") -> Q:
    """Referrals past a running deadline at `now`: unanswered after `due_at`, or
    accepted and not reported back after `report_due_at` (the dashboard counts them)."""
    return Q(**{f"{prefix}status": Status.REQUESTED, f"{prefix}due_at__lt": now}) | Q(
        **{f"{prefix}status": Status.ACCEPTED, f"{prefix}report_due_at__lt": now}
    )
