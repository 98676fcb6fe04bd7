"""Every write of the classroom (docs/style.md): batches (create, update, cancel),
attendance per session and assessments per competency unit.

Permission first (a denial is audited outside the transaction, so it survives), then
one transaction with the audit rows. Seats (`Batch.enrolled_count`) change only under
the batch's row lock, as in enrolment.py. Notification texts carry the batch code and
course, never identity numbers, in the site's default language.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from garda.accounts import roles
from garda.accounts.models import User
from garda.accounts.notify import notify
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record, audit_record_many
from garda.training import access
from garda.training.models import (
    Assessment,
    Attendance,
    Batch,
    CompetencyUnit,
    Course,
    Enrolment,
    Provider,
    Session,
)

# Weekdays as date.weekday() numbers: Monday 0 ... Sunday 6.
WEEKDAYS = (0, 1, 2, 3, 4, 5, 6)
# A batch longer than this is a typing error (a year instead of a month).
MAX_BATCH_DAYS = 366
# Attendance and assessments are recorded for these enrolments only.
IN_CLASS = (Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED)

# Person fields a trainer may read (access.TRAINEE_FIELDS), as enrolment lookups.
TRAINEE_ONLY = [f"person__{name}" for name in access.TRAINEE_FIELDS]

_UNSET = object()


def class_enrolments(batch: Batch):
    """The class (enrolled and completed) with only the trainee fields of the person."""
    return (
        batch.enrolments.filter(status__in=IN_CLASS)
        .select_related("person")
        .only("id", "batch_id", "status", "person_id", *TRAINEE_ONLY)
        .order_by("person__full_name", "id")
    )


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def tell(*, user: User | None, title, body="", url: str = "", params: dict | None = None):
    """Notify in the site's language (the recipient is not the one making the request).
    `title` and `body` are lazy translations formatted with `params`."""
    if user is None:
        return
    params = params or {}
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            user=user,
            title=str(title) % params if params else str(title),
            body=(str(body) % params if params else str(body)) if body else "",
            url=url,
        )


# --- batches --------------------------------------------------------------------------


def session_dates(starts_on: date, ends_on: date, days: Iterable[int]) -> list[date]:
    """The dates between `starts_on` and `ends_on` (inclusive) whose weekday is in
    `days` (date.weekday(): Monday 0)."""
    wanted = set(days)
    out, day = [], starts_on
    while day <= ends_on:
        if day.weekday() in wanted:
            out.append(day)
        day += timedelta(days=1)
    return out


def _check_schedule(
    *,
    starts_on: date,
    ends_on: date,
    session_days: Iterable[int],
    session_start: time,
    session_end: time,
) -> list[date]:
    if ends_on < starts_on:
        raise _error("ends_on", _("The batch cannot end before it starts."), "dates")
    if (ends_on - starts_on).days >= MAX_BATCH_DAYS:
        raise _error(
            "ends_on",
            _("A batch lasts at most %(days)s days.") % {"days": MAX_BATCH_DAYS},
            "too_long",
        )
    days = list(session_days)
    if not days or any(d not in WEEKDAYS for d in days):
        raise _error("session_days", _("Choose the weekdays of the sessions."), "days")
    if session_end <= session_start:
        raise _error("session_end", _("A session must end after it starts."), "session_times")
    dates = session_dates(starts_on, ends_on, days)
    if not dates:
        raise _error(
            "session_days",
            _("None of the chosen weekdays falls between the start and the end."),
            "no_sessions",
        )
    return dates


def _check_trainers(trainers: Iterable[User], provider: Provider) -> list[User]:
    """Only active trainers of the provider's own agency teach its batches."""
    out = list(trainers)
    for trainer in out:
        if (
            trainer is None
            or not trainer.is_active
            or trainer.role != roles.TRAINER
            or trainer.agency_id != provider.agency_id
        ):
            raise _error(
                "trainers",
                _("%(name)s is not an active trainer of %(provider)s.")
                % {
                    "name": getattr(trainer, "full_name", "") or getattr(trainer, "email", "?"),
                    "provider": provider.name,
                },
                "not_a_trainer",
            )
    return out


def _sessions(batch: Batch, dates: list[date], start: time, end: time) -> list[Session]:
    return Session.objects.bulk_create(
        Session(batch=batch, number=i, date=day, starts_at=start, ends_at=end)
        for i, day in enumerate(dates, start=1)
    )


def batch_create(
    *,
    actor: User,
    course: Course,
    provider: Provider,
    code: str,
    starts_on: date,
    ends_on: date,
    place: str,
    capacity: int,
    region=None,
    enrol_until: date | None = None,
    session_days: Iterable[int] = (0, 1, 2, 3, 4),
    session_start: time,
    session_end: time,
    trainers: Iterable[User] = (),
    is_published: bool = True,
) -> Batch:
    """A batch of `course` at `provider` with one session on each of `session_days`
    between the dates. Admins create batches for any provider, a trainer for their
    own agency's, and becomes one of its trainers."""
    if not access.manageable_providers(actor).filter(pk=provider.pk).exists():
        deny(actor, "training.batch_create")
    if not course.is_active:
        raise _error("course", _("This course is no longer offered."), "inactive_course")
    dates = _check_schedule(
        starts_on=starts_on,
        ends_on=ends_on,
        session_days=session_days,
        session_start=session_start,
        session_end=session_end,
    )
    trainers = _check_trainers(trainers, provider)
    if actor.role == roles.TRAINER and actor not in trainers:
        trainers.append(actor)
    with transaction.atomic():
        batch = Batch(
            code=(code or "").strip(),
            course=course,
            provider=provider,
            starts_on=starts_on,
            ends_on=ends_on,
            enrol_until=enrol_until,
            place=(place or "").strip(),
            region=region,
            capacity=capacity,
            is_published=is_published,
            created_by=actor,
        )
        batch.full_clean()
        batch.save()
        _sessions(batch, dates, session_start, session_end)
        if trainers:
            batch.trainers.set(trainers)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            target=batch,
            changed_fields=["code", "course", "provider", "starts_on", "ends_on", "capacity"],
            reason=f"{len(dates)} sessions",
        )
    return batch


def _check_open(batch: Batch) -> None:
    if batch.cancelled_at is not None:
        raise ValidationError(_("This batch was cancelled."), code="cancelled")
    if batch.closed_at is not None:
        raise ValidationError(_("This batch is closed."), code="closed")


def batch_update(
    *,
    actor: User,
    batch: Batch,
    place: str | None = None,
    capacity: int | None = None,
    region=_UNSET,
    enrol_until=_UNSET,
    is_published: bool | None = None,
    trainers: Iterable[User] | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    session_days: Iterable[int] | None = None,
    session_start: time | None = None,
    session_end: time | None = None,
) -> Batch:
    """Change what is given (None or absent: unchanged).

    Capacity never goes below the seats taken; when it grows, the waiting list moves
    up (enrolment.waitlist_promote, under the same row lock). New dates or a new
    weekly schedule rebuild the sessions, which is refused once attendance is
    recorded (it belongs to the sessions as they were).
    """
    if not access.may_manage_batch(actor, batch):
        deny(actor, "training.batch_update")
    _check_open(batch)
    new_trainers = _check_trainers(trainers, batch.provider) if trainers is not None else None
    if new_trainers is not None and actor.role == roles.TRAINER and actor not in new_trainers:
        raise _error("trainers", _("You cannot remove yourself from the trainers."), "self_removed")
    reschedule = any(
        v is not None for v in (starts_on, ends_on, session_days, session_start, session_end)
    )
    with transaction.atomic():
        locked = (
            Batch.objects.select_for_update(of=("self",))
            .select_related("course", "provider__agency")
            .get(pk=batch.pk)
        )
        _check_open(locked)  # again on the locked row: a cancel or close may have won
        changed: list[str] = []
        grew = False
        if capacity is not None and capacity != locked.capacity:
            if capacity < locked.enrolled_count:
                raise _error(
                    "capacity",
                    _(
                        "%(taken)s seats are already taken: the capacity cannot be less "
                        "than that. Withdraw enrolments first."
                    )
                    % {"taken": locked.enrolled_count},
                    "below_enrolled",
                )
            grew = capacity > locked.capacity
            locked.capacity = capacity
            changed.append("capacity")
        if place is not None and place.strip() != locked.place:
            locked.place = place.strip()
            changed.append("place")
        if region is not _UNSET and getattr(region, "pk", None) != locked.region_id:
            locked.region = region
            changed.append("region")
        if enrol_until is not _UNSET and enrol_until != locked.enrol_until:
            locked.enrol_until = enrol_until
            changed.append("enrol_until")
        if is_published is not None and is_published != locked.is_published:
            locked.is_published = is_published
            changed.append("is_published")
        if reschedule:
            changed += _reschedule(
                locked,
                starts_on=starts_on,
                ends_on=ends_on,
                session_days=session_days,
                session_start=session_start,
                session_end=session_end,
            )
        if changed:
            locked.version += 1
            locked.full_clean(exclude=["created_by"], validate_unique=False)
            locked.save(update_fields=[*changed, "version", "updated_at"])
        if new_trainers is not None:
            before = set(locked.trainers.values_list("pk", flat=True))
            if before != {t.pk for t in new_trainers}:
                locked.trainers.set(new_trainers)
                changed.append("trainers")
        if grew:
            from garda.training.services.enrolment import waitlist_promote

            waitlist_promote(batch=locked, actor=actor)
        if changed:
            audit_record(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                target=locked,
                changed_fields=changed,
            )
    locked.refresh_from_db()
    return locked


def _reschedule(
    batch: Batch, *, starts_on, ends_on, session_days, session_start, session_end
) -> list[str]:
    sessions = list(batch.sessions.order_by("number"))
    first = sessions[0] if sessions else None
    starts_on = starts_on or batch.starts_on
    ends_on = ends_on or batch.ends_on
    if session_days is None:
        session_days = sorted({s.date.weekday() for s in sessions}) or (0, 1, 2, 3, 4)
    session_start = session_start or (first.starts_at if first else time(8, 0))
    session_end = session_end or (first.ends_at if first else time(16, 0))
    dates = _check_schedule(
        starts_on=starts_on,
        ends_on=ends_on,
        session_days=session_days,
        session_start=session_start,
        session_end=session_end,
    )
    same = [(s.date, s.starts_at, s.ends_at) for s in sessions] == [
        (d, session_start, session_end) for d in dates
    ]
    changed = []
    if starts_on != batch.starts_on:
        batch.starts_on = starts_on
        changed.append("starts_on")
    if ends_on != batch.ends_on:
        batch.ends_on = ends_on
        changed.append("ends_on")
    if not same:
        if Attendance.objects.filter(session__batch=batch).exists():
            raise _error(
                "starts_on",
                _(
                    "Attendance has already been recorded: the dates and the schedule "
                    "can no longer change."
                ),
                "attendance_recorded",
            )
        batch.sessions.all().delete()
        _sessions(batch, dates, session_start, session_end)
    return changed


def batch_cancel(*, actor: User, batch: Batch, reason: str) -> Batch:
    """Cancel the batch: every enrolled or waitlisted person is withdrawn with the
    reason and told; the seats are all free (no one is promoted: there is no class)."""
    if not access.may_manage_batch(actor, batch):
        deny(actor, "training.batch_cancel")
    reason = (reason or "").strip()
    if not reason:
        raise _error("reason", _("Give the reason for cancelling."), "required")
    full_reason = _("Batch cancelled: %(reason)s") % {"reason": reason}
    max_len = Enrolment._meta.get_field("reason").max_length
    if len(full_reason) > max_len:
        raise _error(
            "reason",
            _("Keep the reason under %(n)s characters.") % {"n": max_len - 30},
            "too_long",
        )
    now = timezone.now()
    with transaction.atomic():
        locked = (
            Batch.objects.select_for_update(of=("self",))
            .select_related("course", "provider__agency")
            .get(pk=batch.pk)
        )
        _check_open(locked)
        affected = list(
            locked.enrolments.filter(status__in=Enrolment.ACTIVE).select_related("person__user")
        )
        Enrolment.objects.filter(pk__in=[e.pk for e in affected]).update(
            status=Enrolment.Status.WITHDRAWN,
            reason=full_reason,
            status_changed_at=now,
            status_changed_by=actor,
        )
        locked.cancelled_at = now
        locked.cancel_reason = reason
        locked.enrolled_count = 0
        locked.version += 1
        locked.save(
            update_fields=[
                "cancelled_at",
                "cancel_reason",
                "enrolled_count",
                "version",
                "updated_at",
            ]
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=locked,
            changed_fields=["cancelled_at", "cancel_reason", "enrolled_count"],
            reason=f"cancelled; {len(affected)} enrolments withdrawn",
        )
        audit_record_many(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            targets=[(e, ["status", "reason"]) for e in affected],
            reason="batch cancelled",
        )
        for enrolment in affected:
            tell(
                user=enrolment.person.user,
                title=gettext_lazy("Your training is cancelled: %(course)s"),
                body=gettext_lazy("Batch %(batch)s. Reason: %(reason)s"),
                params={"batch": locked.code, "course": locked.course.title, "reason": reason},
            )
    return locked


# --- attendance -----------------------------------------------------------------------


def _check_teacher(actor: User, batch: Batch, what: str) -> None:
    if not access.may_teach(actor, batch):
        deny(actor, what)
    _check_class_open(batch.cancelled_at, batch.closed_at)


def _check_class_open(cancelled_at, closed_at) -> None:
    if cancelled_at is not None:
        raise ValidationError(_("This batch was cancelled."), code="cancelled")
    if closed_at is not None:
        raise ValidationError(
            _("This batch is closed: its attendance and results can no longer change."),
            code="closed",
        )


def _lock_open_class(batch: Batch) -> None:
    """Under the batch's row lock, so that closing (which takes it too) decides on
    the attendance and results as saved, and nothing is saved after it."""
    state = (
        Batch.objects.select_for_update(of=("self",))
        .filter(pk=batch.pk)
        .values_list("cancelled_at", "closed_at")
        .get()
    )
    _check_class_open(*state)


def _lock_class_of(batch: Batch, ids: Iterable[int], field: str) -> None:
    """Lock the open class (`_lock_open_class`), then refuse (on `field`) any of `ids`
    that is not an enrolment of `batch` sitting in the class (one query)."""
    _lock_open_class(batch)
    in_class = set(
        Enrolment.objects.filter(batch=batch, pk__in=ids, status__in=IN_CLASS).values_list(
            "pk", flat=True
        )
    )
    strangers = sorted(set(ids) - in_class)
    if strangers:
        raise _error(
            field,
            _("Not in this class: enrolment %(ids)s.")
            % {"ids": ", ".join(str(i) for i in strangers)},
            "not_in_class",
        )


def _as_id(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def attendance_record(*, actor: User, session: Session, marks: Mapping) -> int:
    """Record (or correct) the attendance of a whole class for one session: `marks`
    maps enrolment ids to a status. All or nothing: one bad mark saves none. A fixed
    number of queries, however large the class; one audit row for the save."""
    batch = session.batch
    _check_teacher(actor, batch, "training.attendance_record")
    if session.date > timezone.localdate():
        raise _error(
            "session",
            _("Session %(number)s is on %(date)s: attendance is recorded on the day or after.")
            % {"number": session.number, "date": date_format(session.date)},
            "future_session",
        )
    if not marks:
        raise _error("marks", _("Mark at least one trainee."), "empty")
    statuses = set(Attendance.Status.values)
    clean: dict[int, str] = {}
    for raw_id, status in marks.items():
        enrolment_id = _as_id(raw_id)
        if enrolment_id is None:
            raise _error("marks", _("%(id)s is not an enrolment.") % {"id": raw_id}, "unknown")
        if status not in statuses:
            raise _error(
                "marks",
                _("Unknown attendance %(status)s: choose present, late, excused or absent.")
                % {"status": repr(status)},
                "invalid_status",
            )
        clean[enrolment_id] = status
    with transaction.atomic():
        _lock_class_of(batch, clean, "marks")
        now = timezone.now()
        Attendance.objects.bulk_create(
            [
                Attendance(
                    enrolment_id=enrolment_id,
                    session=session,
                    status=status,
                    recorded_by=actor,
                    recorded_at=now,
                )
                for enrolment_id, status in sorted(clean.items())
            ],
            update_conflicts=True,
            unique_fields=["enrolment", "session"],
            update_fields=["status", "recorded_by", "recorded_at"],
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=session,
            changed_fields=["attendance"],
            reason=f"attendance of {len(clean)} enrolments",
        )
    return len(clean)


# --- assessments ----------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentRow:
    enrolment_id: int
    result: str
    score: Decimal | None
    assessed_on: date
    note: str


def _clean_row(row: Mapping, today: date) -> AssessmentRow:
    enrolment_id = _as_id(row.get("enrolment_id"))
    if enrolment_id is None:
        raise _error(
            "rows", _("%(id)s is not an enrolment.") % {"id": row.get("enrolment_id")}, "unknown"
        )
    result = row.get("result")
    if result not in Assessment.Result.values:
        raise _error(
            "result",
            _("Unknown result %(result)s: choose competent or not yet competent.")
            % {"result": repr(result)},
            "invalid_result",
        )
    score = row.get("score")
    if score in (None, ""):
        score = None
    else:
        try:
            score = Decimal(str(score))
        except InvalidOperation:
            score = Decimal("NaN")
        if not score.is_finite() or not 0 <= score <= 100:
            raise _error("score", _("A score is between 0 and 100."), "score_range")
        score = score.quantize(Decimal("0.01"))
    assessed_on = row.get("assessed_on") or today
    if isinstance(assessed_on, str):
        try:
            assessed_on = date.fromisoformat(assessed_on)
        except ValueError:
            raise _error("assessed_on", _("Enter a valid date."), "invalid_date") from None
    if assessed_on > today:
        raise _error(
            "assessed_on", _("An assessment cannot be dated in the future."), "future_date"
        )
    note = (row.get("note") or "").strip()
    if len(note) > Assessment._meta.get_field("note").max_length:
        raise _error("note", _("The note is too long (500 characters at most)."), "too_long")
    return AssessmentRow(enrolment_id, result, score, assessed_on, note)


def assessments_record(
    *, actor: User, batch: Batch, unit: CompetencyUnit, rows: Iterable[Mapping]
) -> int:
    """Record the results of one competency unit for many trainees of `batch` (each
    row: enrolment_id, result, score, assessed_on, note). The assessor is the actor.
    All or nothing; a fixed number of queries; one audit row."""
    _check_teacher(actor, batch, "training.assessments_record")
    if not batch.course.course_units.filter(unit=unit).exists():
        raise _error(
            "unit",
            _("Unit %(code)s is not part of %(course)s.")
            % {"code": unit.code, "course": batch.course.title},
            "unit_not_in_course",
        )
    today = timezone.localdate()
    clean: dict[int, AssessmentRow] = {}
    for row in rows:
        cleaned = _clean_row(row, today)
        clean[cleaned.enrolment_id] = cleaned
    if not clean:
        raise _error("rows", _("Give at least one result."), "empty")
    with transaction.atomic():
        _lock_class_of(batch, clean, "rows")
        now = timezone.now()
        Assessment.objects.bulk_create(
            [
                Assessment(
                    enrolment_id=r.enrolment_id,
                    unit=unit,
                    result=r.result,
                    score=r.score,
                    assessor=actor,
                    assessed_on=r.assessed_on,
                    note=r.note,
                    recorded_at=now,
                )
                for _id, r in sorted(clean.items())
            ],
            update_conflicts=True,
            unique_fields=["enrolment", "unit"],
            update_fields=["result", "score", "assessor", "assessed_on", "note", "recorded_at"],
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=batch,
            changed_fields=["assessments"],
            reason=f"unit {unit.pk}: {len(clean)} assessments",
        )
    return len(clean)


def assessment_record(
    *,
    actor: User,
    enrolment: Enrolment,
    unit: CompetencyUnit,
    result: str,
    score=None,
    assessed_on: date,
    note: str = "",
) -> Assessment:
    """Record one trainee's result for one unit (see assessments_record)."""
    assessments_record(
        actor=actor,
        batch=enrolment.batch,
        unit=unit,
        rows=[
            {
                "enrolment_id": enrolment.pk,
                "result": result,
                "score": score,
                "assessed_on": assessed_on,
                "note": note,
            }
        ],
    )
    return Assessment.objects.get(enrolment=enrolment, unit=unit)
