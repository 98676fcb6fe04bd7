"""Enrolment in a batch: enrol (a seat or the waiting list), withdraw, no-show, and the
waiting list's promotion (docs/style.md: keyword-only services, one transaction each, an
audit row in it, notifications sent on commit by notify()).

Seats are counted in Batch.enrolled_count, changed only while the batch's row is
locked (select_for_update; on SQLite the IMMEDIATE transaction holds the database's
write lock), and by a conditional update that can never overbook (the database also
refuses enrolled_count > capacity). Two people racing for the last seat: the second
waits for the first's lock, then sees no seat left and is waitlisted.

Lock order: the person's row first (so one person cannot slip into two overlapping
batches at once), then the batch's. Nothing locks them the other way round.

Errors:
- `Ineligible` (a ValidationError) lists each unmet prerequisite (eligibility.Unmet);
- `EnrolmentConflict` (a ValidationError) when the state forbids it: the batch is
  closed, the person already has an enrolment in it or in an overlapping batch, the
  enrolment is no longer active (the API answers 409);
- a plain ValidationError for bad input (a missing reason: 422);
- PermissionDenied (audited) for an actor who may not do it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from garda.accounts import roles
from garda.accounts.models import User
from garda.accounts.notify import notify
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.people.access import visible_people
from garda.people.models import Person
from garda.training.access import may_enrol_others, may_teach, may_withdraw
from garda.training.eligibility import Unmet, unmet_prerequisites
from garda.training.models import Batch, Enrolment

Status = Enrolment.Status


class Ineligible(ValidationError):
    """The person does not meet the course's prerequisites; `unmet` lists each one."""

    def __init__(self, unmet: list[Unmet]):
        self.unmet = list(unmet)
        super().__init__([ValidationError(u.message, code=u.code) for u in self.unmet])


class EnrolmentConflict(ValidationError):
    """The batch's or the enrolment's state forbids the change (HTTP 409)."""


def _day(value) -> str:
    return date_format(value, "j F Y")


def _tell(*, person: Person, title, body="", params: dict | None = None) -> None:
    """Notify the person's account (if any) in the site's language: the recipient is
    not the one making the request. Texts carry the course and batch, never names or
    identity numbers (they may travel by e-mail)."""
    if person.user_id is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        params = {k: (v() if callable(v) else v) for k, v in (params or {}).items()}
        notify(
            user=person.user,
            title=str(title) % params,
            body=str(body) % params if body else "",
            url=reverse("training:my_training"),
        )


def _batch_params(batch: Batch) -> dict:
    # Callables: evaluated inside _tell's language override (course titles and dates
    # are language-dependent).
    return {
        "course": lambda: batch.course.display_title,
        "batch": batch.code,
        "start": lambda: _day(batch.starts_on),
        "place": batch.place,
    }


# --- reading -------------------------------------------------------------------------


def waitlist_position(enrolment: Enrolment) -> int | None:
    """1-based place on the batch's waiting list (by queued_at, then id); None when
    the enrolment is not waitlisted."""
    if enrolment.status != Status.WAITLISTED:
        return None
    ahead = (
        Enrolment.objects.filter(batch_id=enrolment.batch_id, status=Status.WAITLISTED)
        .filter(
            Q(queued_at__lt=enrolment.queued_at)
            | Q(queued_at=enrolment.queued_at, id__lt=enrolment.pk)
        )
        .count()
    )
    return ahead + 1


def with_positions(qs: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """`qs` annotated with `position` (as waitlist_position) in the same query."""
    ahead = (
        Enrolment.objects.filter(batch_id=OuterRef("batch_id"), status=Status.WAITLISTED)
        .filter(
            Q(queued_at__lt=OuterRef("queued_at"))
            | Q(queued_at=OuterRef("queued_at"), id__lt=OuterRef("id"))
        )
        .order_by()
        .values("batch_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return qs.annotate(
        position=Case(
            When(
                status=Status.WAITLISTED,
                then=Coalesce(Subquery(ahead, output_field=IntegerField()), 0) + 1,
            ),
            default=None,
            output_field=IntegerField(),
        )
    )


def closed_reason(batch: Batch, today=None) -> str:
    """Why enrolment in `batch` is closed (a sentence), or "" while it is open."""
    today = today or timezone.localdate()
    if batch.cancelled_at is not None:
        if batch.cancel_reason:
            return _("This batch was cancelled: %(reason)s") % {"reason": batch.cancel_reason}
        return _("This batch was cancelled.")
    if batch.closed_at is not None:
        return _("This batch is already closed.")
    if not batch.is_published:
        return _("This batch is not open for enrolment.")
    if today > batch.enrolment_closes_on:
        return _("Enrolment for this batch closed on %(date)s.") % {
            "date": _day(batch.enrolment_closes_on)
        }
    return ""


def _status_text(enrolment: Enrolment, position: int | None) -> str:
    if enrolment.status == Status.WAITLISTED:
        return _("on the waiting list (position %(position)s)") % {"position": position}
    return str(enrolment.get_status_display()).lower()


# --- writing -------------------------------------------------------------------------


def _check_may_enrol(actor: User, person: Person) -> None:
    if may_enrol_others(actor):
        if not visible_people(actor).filter(pk=person.pk).exists():
            deny(actor, "training.enrolment_create")
        return
    if actor.role == roles.WORKER and person.user_id == actor.pk:
        return
    deny(actor, "training.enrolment_create")


def _check_no_clash(batch: Batch, person: Person) -> None:
    current = (
        Enrolment.objects.filter(person=person, status__in=Enrolment.ACTIVE)
        .filter(
            Q(batch=batch)
            | Q(
                batch__starts_on__lte=batch.ends_on,
                batch__ends_on__gte=batch.starts_on,
                batch__cancelled_at__isnull=True,
            )
        )
        .select_related("batch__course")
        .order_by(Case(When(batch_id=batch.pk, then=0), default=1), "id")
        .first()
    )
    if current is None:
        return
    status = _status_text(current, waitlist_position(current))
    if current.batch_id == batch.pk:
        raise EnrolmentConflict(
            _("This person is already %(status)s in this batch.") % {"status": status},
            code="already_enrolled",
        )
    other = current.batch
    raise EnrolmentConflict(
        _(
            "This person is already %(status)s in batch %(batch)s (%(course)s, %(start)s – "
            "%(end)s), whose dates overlap with this one."
        )
        % {
            "status": status,
            "batch": other.code,
            "course": other.course.display_title,
            "start": _day(other.starts_on),
            "end": _day(other.ends_on),
        },
        code="overlapping_batch",
    )


def enrolment_create(*, actor: User, batch: Batch, person: Person) -> Enrolment:
    """Enrol `person` in `batch`: a seat while one is free, else the waiting list.

    A worker enrols only themself; registry roles anyone in their registry. Refused
    with EnrolmentConflict when enrolment is closed or the person already has an
    active enrolment in this batch or in another whose dates overlap, and with
    Ineligible when a prerequisite is unmet (measured on the batch's first day).
    The person is notified (enrolled, or their place on the waiting list)."""
    _check_may_enrol(actor, person)
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).values_list("pk").first()
        locked = (
            Batch.objects.select_for_update(of=("self",)).select_related("course").get(pk=batch.pk)
        )
        reason = closed_reason(locked)
        if reason:
            raise EnrolmentConflict(reason, code="batch_closed")
        _check_no_clash(locked, person)
        unmet = unmet_prerequisites(person, locked.course, on=locked.starts_on)
        if unmet:
            raise Ineligible(unmet)
        took_seat = (
            locked.enrolled_count < locked.capacity
            and Batch.objects.filter(pk=locked.pk, enrolled_count__lt=F("capacity")).update(
                enrolled_count=F("enrolled_count") + 1
            )
            == 1
        )
        now = timezone.now()
        enrolment = Enrolment.objects.create(
            batch=locked,
            person=person,
            status=Status.ENROLLED if took_seat else Status.WAITLISTED,
            queued_at=now,
            enrolled_by=actor,
            status_changed_at=now,
            status_changed_by=actor,
        )
        batch.enrolled_count = locked.enrolled_count + (1 if took_seat else 0)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            target=enrolment,
            changed_fields=["batch", "person", "status"],
        )
        params = _batch_params(locked)
        if took_seat:
            _tell(
                person=person,
                title=gettext_lazy("You are enrolled: %(course)s"),
                body=gettext_lazy("Batch %(batch)s starts on %(start)s at %(place)s."),
                params=params,
            )
        else:
            params["position"] = waitlist_position(enrolment)
            _tell(
                person=person,
                title=gettext_lazy("You are on the waiting list: %(course)s"),
                body=gettext_lazy(
                    "Batch %(batch)s is full. You are number %(position)s on its waiting "
                    "list; when a seat frees up before %(start)s you get it automatically "
                    "and are told."
                ),
                params=params,
            )
    return enrolment


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(_("Give the reason."), code="required")})
    if len(reason) > 500:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Keep the reason under 500 characters."), code="max_length"
                )
            }
        )
    return reason


def _leave(
    *, actor: User, enrolment: Enrolment, reason: str, status: str, allowed: tuple
) -> tuple[Enrolment, Batch]:
    """Move an active enrolment out (withdrawn, no_show) under the batch's lock; free
    its seat and promote from the waiting list. Returns the fresh row and the batch."""
    locked = (
        Batch.objects.select_for_update(of=("self",))
        .select_related("course")
        .get(pk=enrolment.batch_id)
    )
    current = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if current.status not in allowed:
        raise EnrolmentConflict(
            _("This enrolment is %(status)s: it cannot be changed any more.")
            % {"status": _status_text(current, waitlist_position(current))},
            code="not_active",
        )
    held_seat = current.status == Status.ENROLLED
    now = timezone.now()
    current.status = status
    current.reason = reason
    current.status_changed_at = now
    current.status_changed_by = actor
    current.save(update_fields=["status", "reason", "status_changed_at", "status_changed_by"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=current,
        changed_fields=["status", "reason"],
    )
    if held_seat:
        Batch.objects.filter(pk=locked.pk, enrolled_count__gt=0).update(
            enrolled_count=F("enrolled_count") - 1
        )
        locked.enrolled_count = max(locked.enrolled_count - 1, 0)
        waitlist_promote(batch=locked, actor=actor)
    enrolment.status, enrolment.reason = current.status, current.reason
    enrolment.status_changed_at, enrolment.status_changed_by = now, actor
    return current, locked


def enrolment_withdraw(*, actor: User, enrolment: Enrolment, reason: str) -> Enrolment:
    """Withdraw an enrolled or waitlisted person (the worker themself, or registry
    roles), with a reason. A seat it held goes to the next eligible person on the
    waiting list (waitlist_promote), who is notified."""
    if not may_withdraw(actor, enrolment):
        deny(actor, "training.enrolment_withdraw")
    reason = _required_reason(reason)
    with transaction.atomic():
        current, batch = _leave(
            actor=actor,
            enrolment=enrolment,
            reason=reason,
            status=Status.WITHDRAWN,
            allowed=Enrolment.ACTIVE,
        )
        if current.person.user_id != actor.pk:
            _tell(
                person=current.person,
                title=gettext_lazy("Your enrolment was withdrawn: %(course)s"),
                body=gettext_lazy("Batch %(batch)s. Reason: %(reason)s"),
                params={**_batch_params(batch), "reason": reason},
            )
    return current


def enrolment_no_show(*, actor: User, enrolment: Enrolment, reason: str) -> Enrolment:
    """Record that an enrolled person did not show up (the batch's trainers, registry
    roles), from the batch's first day on. Frees the seat (promotion still happens on
    the first day itself; after it the seat stays free, see waitlist_promote)."""
    batch = enrolment.batch
    if not (may_teach(actor, batch) or may_enrol_others(actor)):
        deny(actor, "training.enrolment_no_show")
    reason = _required_reason(reason)
    today = timezone.localdate()
    if today < batch.starts_on:
        raise EnrolmentConflict(
            _("A no-show can be recorded from the first day of the batch (%(date)s) on.")
            % {"date": _day(batch.starts_on)},
            code="not_started",
        )
    with transaction.atomic():
        current, batch = _leave(
            actor=actor,
            enrolment=enrolment,
            reason=reason,
            status=Status.NO_SHOW,
            allowed=(Status.ENROLLED,),
        )
        _tell(
            person=current.person,
            title=gettext_lazy("Recorded as not showing up: %(course)s"),
            body=gettext_lazy("Batch %(batch)s. Reason: %(reason)s"),
            params={**_batch_params(batch), "reason": reason},
        )
    return current


def waitlist_promote(*, batch: Batch, actor: User | None = None) -> list[Enrolment]:
    """Give free seats of `batch` to the waiting list, in order (queued_at, id).

    Call it with the batch's row locked (select_for_update) and `batch` being that
    fresh row. Each candidate's prerequisites are checked again (a document may have
    been rejected or a certificate revoked since they queued): an ineligible person is
    skipped but keeps their place, and is reconsidered at the next free seat. Each
    promoted person is notified and audited.

    Only until the batch starts (today <= starts_on): once it has begun, a newcomer
    would have missed sessions, so a seat freed after the first day stays free. A
    cancelled or closed batch promotes nobody either.
    """
    today = timezone.localdate()
    if today > batch.starts_on or batch.cancelled_at is not None or batch.closed_at is not None:
        return []
    free = batch.capacity - batch.enrolled_count
    if free <= 0:
        return []
    promoted: list[Enrolment] = []
    queue = (
        Enrolment.objects.filter(batch_id=batch.pk, status=Status.WAITLISTED)
        .select_related("person__user")
        .order_by("queued_at", "id")
    )
    course = batch.course
    # A list, not a cursor: the loop runs queries of its own, and waiting lists are
    # short (bounded by the people who want this batch).
    for candidate in list(queue):
        if free <= 0:
            break
        if unmet_prerequisites(candidate.person, course, on=batch.starts_on, today=today):
            continue
        took = Batch.objects.filter(pk=batch.pk, enrolled_count__lt=F("capacity")).update(
            enrolled_count=F("enrolled_count") + 1
        )
        if not took:
            break
        now = timezone.now()
        Enrolment.objects.filter(pk=candidate.pk, status=Status.WAITLISTED).update(
            status=Status.ENROLLED, status_changed_at=now, status_changed_by=actor
        )
        candidate.status, candidate.status_changed_at = Status.ENROLLED, now
        candidate.status_changed_by = actor
        batch.enrolled_count += 1
        free -= 1
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=candidate,
            changed_fields=["status"],
            reason="waitlist_promote",
        )
        _tell(
            person=candidate.person,
            title=gettext_lazy("A seat is free for you: %(course)s"),
            body=gettext_lazy(
                "You moved from the waiting list to enrolled in batch %(batch)s. It starts "
                "on %(start)s at %(place)s. If you can no longer come, withdraw so that the "
                "next person gets the seat."
            ),
            params=_batch_params(batch),
        )
        promoted.append(candidate)
    return promoted
