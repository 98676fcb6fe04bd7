"""The periodic work of lapor diri (tasks.py runs `run` daily), each part idempotent
and in bulk (a fixed number of queries per batch of stays, never one per stay):

- contract end: a worker whose contract ends within one of the policy's marks (60
  and 14 days) is told once per mark, and so are the officers who accompany them; a
  stay reported late, already inside both marks, gets only the nearest (the others
  are recorded as passed). Reminder rows (unique per stay and mark) say what was sent.
- check-in: every `checkin_every_days` without an answer or a question, a worker
  with an account is asked "are you well?" (a CheckIn row and an in-app
  notification linking to the check-in page);
- lost contact: a check-in unanswered for `checkin_unanswered_days` tells the
  accompanying officers (else the supervisors) once (CheckIn.lost_contact_told_at).

`now` is a parameter so that tests drive the clock.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from garda.abroad import policy
from garda.abroad.access import current_stays
from garda.abroad.models import CheckIn, Reminder
from garda.accounts import roles
from garda.accounts.models import Notification, User
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record_many
from garda.people.models import Assignment

BATCH = 500


class _Officers:
    """The officers who accompany each person of a batch (one query per batch), and
    the supervisors for those nobody accompanies (one query per run)."""

    def __init__(self):
        self._supervisors: list[User] | None = None

    def supervisors(self) -> list[User]:
        if self._supervisors is None:
            self._supervisors = list(
                User.objects.filter(groups__name=roles.SUPERVISOR, is_active=True).order_by("pk")
            )
        return self._supervisors

    def for_people(self, person_ids) -> dict[int, list[User]]:
        found: dict[int, list[User]] = {}
        for a in (
            Assignment.objects.filter(person_id__in=person_ids, officer__is_active=True)
            .select_related("officer")
            .order_by("officer_id")
        ):
            found.setdefault(a.person_id, []).append(a.officer)
        return found

    def told(self, found: dict, person_id: int, *, fallback: bool) -> list[User]:
        return found.get(person_id) or (self.supervisors() if fallback else [])


def _batches(qs):
    last = 0
    while True:
        batch = list(qs.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def contract_reminders(now: datetime, officers: _Officers) -> int:
    today = timezone.localdate(now)
    marks = policy.current().contract_reminder_days
    qs = (
        current_stays()
        .filter(contract_end__gte=today, contract_end__lte=today + timedelta(days=max(marks)))
        .select_related("person__user", "country")
    )
    sent = 0
    for batch in _batches(qs):
        done: dict[int, set[str]] = {}
        for stay_id, mark in Reminder.objects.filter(stay__in=batch).values_list("stay_id", "mark"):
            done.setdefault(stay_id, set()).add(mark)
        found = officers.for_people([s.person_id for s in batch])
        reminders, notes, audited = [], [], []
        for stay in batch:
            left = (stay.contract_end - today).days
            due = [m for m in marks if left <= m]
            nearest = str(min(due))
            if nearest in done.get(stay.pk, set()):
                continue
            reminders += [
                Reminder(stay=stay, mark=str(m), sent_at=now)
                for m in due
                if str(m) not in done.get(stay.pk, set())
            ]
            title = _("The contract ends in %(n)s days") % {"n": left}
            body = _("%(country)s, %(city)s: the contract ends on %(date)s.") % {
                "country": stay.country.name,
                "city": stay.city,
                "date": stay.contract_end.strftime("%d-%m-%Y"),
            }
            user = stay.person.user
            if user is not None and user.is_active:
                notes.append(
                    Notification(
                        user=user,
                        title=title,
                        body=body,
                        url=reverse("abroad:mine"),
                        created_at=now,
                    )
                )
            for officer in officers.told(found, stay.person_id, fallback=False):
                notes.append(
                    Notification(
                        user=officer,
                        title=f"{stay.person.reference}: {title}",
                        body=body,
                        url=reverse("abroad:person_stay", args=[stay.person_id]),
                        created_at=now,
                    )
                )
            audited.append((stay, ["reminder"]))
            sent += 1
        with transaction.atomic():
            Reminder.objects.bulk_create(reminders, ignore_conflicts=True)
            Notification.objects.bulk_create(notes)
            audit_record_many(
                actor=None,
                action=AuditEvent.Action.UPDATE,
                targets=audited,
                reason="contract reminder",
            )
    return sent


def ask_check_ins(now: datetime) -> int:
    every = policy.current().checkin_every_days
    cutoff = now - timedelta(days=every)
    recent = CheckIn.objects.filter(stay=OuterRef("pk"), asked_at__gt=cutoff)
    qs = (
        current_stays()
        .filter(person__user__isnull=False, person__user__is_active=True, reported_at__lte=cutoff)
        .filter(Q(last_contact_at__isnull=True) | Q(last_contact_at__lte=cutoff))
        .filter(~Exists(recent))
        .select_related("person__user")
    )
    asked = 0
    url = reverse("abroad:check_in")
    for batch in _batches(qs):
        with transaction.atomic():
            asks = CheckIn.objects.bulk_create([CheckIn(stay=s, asked_at=now) for s in batch])
            audit_record_many(
                actor=None,
                action=AuditEvent.Action.CREATE,
                targets=[(ask, ["asked_at"]) for ask in asks],
                reason="check-in asked",
            )
            Notification.objects.bulk_create(
                Notification(
                    user=s.person.user,
                    title=_("Are you well? Tell us in one minute"),
                    body=_(
                        "Answer a few questions about your work abroad. If you need help, say so."
                    ),
                    url=url,
                    created_at=now,
                )
                for s in batch
            )
        asked += len(batch)
    return asked


def lost_contact(now: datetime, officers: _Officers) -> int:
    cutoff = now - timedelta(days=policy.current().checkin_unanswered_days)
    qs = CheckIn.objects.filter(
        answered_at__isnull=True,
        lost_contact_told_at__isnull=True,
        asked_at__lte=cutoff,
        stay__ended_at__isnull=True,
    ).select_related("stay__person", "stay__country")
    told = 0
    for batch in _batches(qs):
        found = officers.for_people([c.stay.person_id for c in batch])
        notes = []
        for check_in in batch:
            person = check_in.stay.person
            for officer in officers.told(found, person.pk, fallback=True):
                notes.append(
                    Notification(
                        user=officer,
                        title=_("Lost contact: %(reference)s does not answer")
                        % {"reference": person.reference},
                        body=_(
                            "The check-in asked on %(date)s is unanswered (%(country)s). "
                            "Try to reach the worker or their emergency contact."
                        )
                        % {
                            "date": timezone.localtime(check_in.asked_at).strftime("%d-%m-%Y"),
                            "country": check_in.stay.country.name,
                        },
                        url=reverse("abroad:person_stay", args=[person.pk]),
                        created_at=now,
                    )
                )
        with transaction.atomic():
            CheckIn.objects.filter(pk__in=[c.pk for c in batch]).update(lost_contact_told_at=now)
            Notification.objects.bulk_create(notes)
            audit_record_many(
                actor=None,
                action=AuditEvent.Action.UPDATE,
                targets=[(c, ["lost_contact_told_at"]) for c in batch],
                reason="lost contact",
            )
        told += len(batch)
    return told


def run(now: datetime | None = None) -> dict:
    """One run of the three parts; the counts of what was done."""
    now = now or timezone.now()
    officers = _Officers()
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "contract_reminders": contract_reminders(now, officers),
            "check_ins_asked": ask_check_ins(now),
            "lost_contact": lost_contact(now, officers),
        }
