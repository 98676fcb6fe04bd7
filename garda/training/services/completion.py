"""Completion rules (per course) and closing a batch.

A trainee completes a course when
- their attendance, attended (present or late) over the sessions held, is at least
  the course's `min_attendance_percent`; the sessions held are those dated today or
  earlier, or all of them once the batch has ended; and
- their latest assessment of every competency unit of the course is "competent".
`evaluate` is the pure rule; `completions_of` gathers the numbers for a whole class
in a fixed number of queries; `batch_close` applies the rule once, at the end.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from garda.accounts.models import User
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record, audit_record_many
from garda.training import access
from garda.training.models import Assessment, Attendance, Batch, Enrolment


@dataclass(frozen=True)
class Completion:
    attended: int
    sessions: int
    attendance_percent: int  # rounded down: 79.9% is not 80%
    min_attendance_percent: int
    units_total: int
    units_competent: int
    missing_units: list[str] = field(default_factory=list)
    complete: bool = False
    reasons: list[str] = field(default_factory=list)


def evaluate(
    *,
    attended: int,
    sessions: int,
    min_attendance_percent: int,
    unit_codes: list[str],
    competent_codes: set[str] | frozenset[str],
) -> Completion:
    """The completion rule on plain values; reasons in the active language."""
    attended = min(attended, sessions)
    percent = attended * 100 // sessions if sessions else 0
    reasons = []
    if sessions == 0:
        reasons.append(_("No session has been held yet"))
    elif attended * 100 < min_attendance_percent * sessions:
        reasons.append(
            _("Attendance %(percent)s%% below the minimum %(minimum)s%%")
            % {"percent": percent, "minimum": min_attendance_percent}
        )
    missing = [code for code in unit_codes if code not in competent_codes]
    reasons += [_("Unit %(code)s not yet competent") % {"code": code} for code in missing]
    return Completion(
        attended=attended,
        sessions=sessions,
        attendance_percent=percent,
        min_attendance_percent=min_attendance_percent,
        units_total=len(unit_codes),
        units_competent=len(unit_codes) - len(missing),
        missing_units=missing,
        complete=not reasons,
        reasons=reasons,
    )


def sessions_held(batch: Batch, today: date | None = None) -> int:
    today = today or timezone.localdate()
    sessions = batch.sessions.all()
    if today <= batch.ends_on:
        sessions = sessions.filter(date__lte=today)
    return sessions.count()


def completions_of(
    batch: Batch, *, enrolment_ids=None, today: date | None = None
) -> dict[int, Completion]:
    """Completion of every enrolment of `batch` (or of `enrolment_ids` among them),
    keyed by enrolment id: four queries, whatever the size of the class."""
    held = sessions_held(batch, today)
    units = list(
        batch.course.course_units.order_by("order", "unit__code").values_list(
            "unit_id", "unit__code"
        )
    )
    code_of = dict(units)
    enrolments = Enrolment.objects.filter(batch=batch)
    if enrolment_ids is not None:
        enrolments = enrolments.filter(pk__in=list(enrolment_ids))
    session_filter = Q(session__batch=batch)
    if (today or timezone.localdate()) <= batch.ends_on:
        session_filter &= Q(session__date__lte=today or timezone.localdate())
    attended = dict(
        Attendance.objects.filter(
            session_filter,
            enrolment__in=enrolments,
            status__in=Attendance.ATTENDED,
        )
        .values("enrolment_id")
        .annotate(n=Count("id"))
        .values_list("enrolment_id", "n")
    )
    competent: dict[int, set[str]] = defaultdict(set)
    for enrolment_id, unit_id in Assessment.objects.filter(
        enrolment__in=enrolments, unit_id__in=code_of, result=Assessment.Result.COMPETENT
    ).values_list("enrolment_id", "unit_id"):
        competent[enrolment_id].add(code_of[unit_id])
    codes = [code for _id, code in units]
    minimum = batch.course.min_attendance_percent
    return {
        enrolment_id: evaluate(
            attended=attended.get(enrolment_id, 0),
            sessions=held,
            min_attendance_percent=minimum,
            unit_codes=codes,
            competent_codes=competent.get(enrolment_id, set()),
        )
        for enrolment_id in enrolments.values_list("pk", flat=True)
    }


def completion_of(enrolment: Enrolment, *, today: date | None = None) -> Completion:
    return completions_of(enrolment.batch, enrolment_ids=[enrolment.pk], today=today)[enrolment.pk]


# --- closing a batch ------------------------------------------------------------------


@dataclass
class BatchCloseResult:
    batch: Batch
    # (enrolment, completion) pairs; the completed got a certificate each.
    completed: list[tuple[Enrolment, Completion]]
    not_completed: list[tuple[Enrolment, Completion]]
    certificates: list = field(default_factory=list)


def _tell(user, title, body, params, url=""):
    from garda.accounts.notify import notify

    if user is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        notify(user=user, title=str(title) % params, body=str(body) % params, url=url)


def _site_reasons(completion: Completion) -> list[str]:
    """The reasons in the site's language (notifications are read later, by others)."""
    with translation.override(settings.LANGUAGE_CODE):
        return evaluate(
            attended=completion.attended,
            sessions=completion.sessions,
            min_attendance_percent=completion.min_attendance_percent,
            unit_codes=completion.missing_units,
            competent_codes=set(),
        ).reasons


def batch_close(*, actor: User, batch: Batch) -> BatchCloseResult:
    """Decide completion once the batch has ended: every enrolled trainee who meets
    the rules becomes completed (today) and gets a certificate
    (certificates.certificate_issue); the others stay enrolled and are listed with
    the reasons. Both are told. Closing twice is refused (closed_at)."""
    if not access.may_teach(actor, batch):
        deny(actor, "training.batch_close")
    today = timezone.localdate()
    if batch.cancelled_at is not None:
        raise ValidationError(_("This batch was cancelled."), code="cancelled")
    if today < batch.ends_on:
        raise ValidationError(
            _("The batch ends on %(date)s: it can be closed from that day.")
            % {"date": date_format(batch.ends_on)},
            code="not_ended",
        )
    with transaction.atomic():
        locked = (
            Batch.objects.select_for_update(of=("self",))
            .select_related("course", "provider__agency")
            .get(pk=batch.pk)
        )
        if locked.closed_at is not None:
            raise ValidationError(_("This batch is already closed."), code="already_closed")
        if locked.cancelled_at is not None:  # cancelled since the caller read it
            raise ValidationError(_("This batch was cancelled."), code="cancelled")
        enrolled = list(
            locked.enrolments.filter(status=Enrolment.Status.ENROLLED)
            .select_related("person__user")
            .order_by("pk")
        )
        completions = completions_of(locked, enrolment_ids=[e.pk for e in enrolled], today=today)
        done = [e for e in enrolled if completions[e.pk].complete]
        rest = [e for e in enrolled if not completions[e.pk].complete]
        now = timezone.now()
        Enrolment.objects.filter(pk__in=[e.pk for e in done]).update(
            status=Enrolment.Status.COMPLETED,
            completed_on=today,
            status_changed_at=now,
            status_changed_by=actor,
        )
        for e in done:
            e.status, e.completed_on = Enrolment.Status.COMPLETED, today
            e.status_changed_at, e.status_changed_by = now, actor
        locked.closed_at = now
        locked.version += 1
        locked.save(update_fields=["closed_at", "version", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=locked,
            changed_fields=["closed_at"],
            reason=f"closed: {len(done)} completed, {len(rest)} not completed",
        )
        audit_record_many(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            targets=[(e, ["status", "completed_on"]) for e in done],
            reason="batch closed: completed",
        )
        certificates = []
        if done:
            from garda.training.services.certificates import certificate_issue

            certificates = [certificate_issue(actor=actor, enrolment=e) for e in done]
        params = {"code": locked.code, "course": locked.course.title}
        for e in done:
            _tell(
                e.person.user,
                gettext_lazy("You completed %(course)s"),
                gettext_lazy("Batch %(code)s is closed: your certificate has been issued."),
                params,
            )
        for e in rest:
            _tell(
                e.person.user,
                gettext_lazy("%(course)s: not completed"),
                gettext_lazy("Batch %(code)s is closed. Not completed: %(reasons)s."),
                {**params, "reasons": "; ".join(_site_reasons(completions[e.pk]))},
            )
    return BatchCloseResult(
        batch=locked,
        completed=[(e, completions[e.pk]) for e in done],
        not_completed=[(e, completions[e.pk]) for e in rest],
        certificates=certificates,
    )
