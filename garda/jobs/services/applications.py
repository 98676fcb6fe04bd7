"""Applications: the pipeline from "applied" to "departed" (docs/applications.md).

    nominated ──accept──▶ applied ─▶ shortlisted ─▶ interviewed ─▶ selected
        └──decline──▶ declined                                        │
                                              departed ◀─ contract_signed
    any open step ──reject (reason)──▶ rejected      (recruiter, officer)
    any open step ──withdraw (reason)──▶ withdrawn   (the worker, or an officer for them)
    any open step ──lapse──▶ lapsed                  (the order closed or was cancelled)

`application_move` is the one door every move goes through: the table below, the
reason a move needs, optimistic locking (`version`), the positions of the order (one
`select_for_update` on the order row serialises the last position), an
`ApplicationEvent`, an audit row and a notice to the worker. Who may ask for which
move is decided by the caller's access function (`access/applications.py`) before it
gets here; the services below that act for one role check it again (`deny`).

How an application starts:
- `application_create`: the worker applies, for themself only (an officer nominates
  instead: the worker's own act is what shows their data to the company);
- `application_nominate`: an officer proposes a person; the worker accepts
  (`nomination_accept`, then it is `applied`) or declines (`nomination_decline`).
Either way the order must be open (verified, closing date not past), the person in a
status that may still go (APPLY_STATUSES), and one application per person and order
(`ApplyRefused`, code `already_applied`). An open protection case (the blocks matching
reads, garda/jobs/blocks.py) stops the office's acts of putting a person forward — a
nomination here, the placement in services/placement.py — with `protection_block`,
worded for the reader; the worker's own acts (applying, saying yes to a nomination)
stay open to them: seeking work is their right, and the office decides at placement.

When an order ends (`applications_lapse_for_order`, `applications_lapse_for_orders`):
closed (positions filled, or the closing date passed), the applications still before
selection lapse and the selected ones go on to their contracts; cancelled, the
selected ones lapse too. A signed contract never lapses with its order: the placement
decides what becomes of it.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from garda.accounts import roles
from garda.accounts.models import User
from garda.accounts.notify import notify
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record, audit_record_many
from garda.jobs import blocks
from garda.jobs.models import Application, ApplicationEvent, JobOrder, Placement
from garda.jobs.services import matching
from garda.jobs.services.common import VersionConflict, error, require_reason
from garda.people.models import Person
from garda.people.models import Status as PersonStatus

A = Application.Status

# The next step of each open status (a move may not skip one).
NEXT = {
    A.APPLIED: A.SHORTLISTED,
    A.SHORTLISTED: A.INTERVIEWED,
    A.INTERVIEWED: A.SELECTED,
    A.SELECTED: A.CONTRACT_SIGNED,
    A.CONTRACT_SIGNED: A.DEPARTED,
}
# Statuses still moving; the ends are departed, rejected, withdrawn, lapsed, declined.
OPEN = frozenset({A.NOMINATED, *NEXT})
# Who holds one of the order's positions.
HOLDS_POSITION = frozenset({A.SELECTED, A.CONTRACT_SIGNED, A.DEPARTED})
# The ends any open step may go to, each with a reason.
EXITS = frozenset({A.REJECTED, A.WITHDRAWN, A.LAPSED})
NEEDS_REASON = frozenset({A.REJECTED, A.WITHDRAWN, A.DECLINED})
# A placement that still holds its application (cancelled or ended ones do not).
LIVE_PLACEMENT = (
    Placement.Status.PREPARING,
    Placement.Status.DEPARTED,
    Placement.Status.ARRIVED,
)
# What lapses when the order closes (the selected go on to their contracts), and
# when it is cancelled (there is no job to sign for any more).
LAPSE_ON_CLOSE = frozenset({A.NOMINATED, A.APPLIED, A.SHORTLISTED, A.INTERVIEWED})
LAPSE_ON_CANCEL = LAPSE_ON_CLOSE | {A.SELECTED}

# A person in these registry statuses may apply or be nominated: not yet placed, or
# back home and free to go again. Placed, departed, abroad or inactive persons may not
# (they hold a contract, or their record is closed). Readiness is no gate: the
# company sees it beside the application and decides.
APPLY_STATUSES = frozenset(
    {
        PersonStatus.REGISTERED,
        PersonStatus.IN_PREPARATION,
        PersonStatus.READY,
        PersonStatus.RETURNED,
        PersonStatus.REINTEGRATED,
    }
)


class MoveRefused(Exception):
    """The move is not the next step (or the application has ended): 409."""

    def __init__(self, application: Application, to_status: str, code: str = "wrong_state"):
        super().__init__(f"{application.pk}: {application.status} -> {to_status}")
        self.application = application
        self.to_status = to_status
        self.code = code

    @property
    def message(self) -> str:
        if self.code == "no_position_left":
            return _(
                "Every position of this order open to this person is taken (the order "
                "keeps some for women or for men): nobody more can be selected."
            )
        if self.code == "order_closed":
            return _(
                "This job order is not open (it was changed and waits for verification "
                "again, or it is closed): nobody can be selected until it is verified "
                "and open."
            )
        if self.code == "placement_exists":
            return _(
                "This worker's placement is under way: cancel the placement (with its "
                "reason) instead; that ends the application too."
            )
        current = A(self.application.status).label
        if self.application.status not in OPEN:
            return _("This application has ended (%(status)s): it cannot move any more.") % {
                "status": current
            }
        step = NEXT.get(self.application.status)
        if step is None:
            return _("The worker has not answered the nomination yet.")
        return _("The next step of this application is “%(next)s”: steps cannot be skipped.") % {
            "next": A(step).label
        }


class NoPositionLeft(MoveRefused):
    """Every position of the order is taken: 409 `no_position_left`."""

    def __init__(self, application: Application, to_status: str):
        super().__init__(application, to_status, code="no_position_left")


class ApplyRefused(Exception):
    """An application (or a nomination) that may not be made: 409 with `code`:
    `order_closed`, `already_applied`, `person_not_eligible`, `protection_block`."""

    def __init__(self, code: str, message: str, application: Application | None = None):
        super().__init__(code)
        self.code = code
        self.message = message
        self.application = application


def allowed(current: str, to_status: str) -> bool:
    """Whether the table allows `current -> to_status`."""
    if current == A.NOMINATED:
        return to_status in {A.APPLIED, A.DECLINED, A.LAPSED}
    if current not in NEXT:
        return False
    return to_status == NEXT[current] or to_status in EXITS


def positions_taken(order: JobOrder) -> int:
    return Application.objects.filter(order=order, status__in=HOLDS_POSITION).count()


def position_left_for(order: JobOrder, sex: str) -> bool:
    """Whether a person of `sex` may still be selected: the order's positions in all,
    those for women and for men kept for them, the rest open to either."""
    taken = dict(
        Application.objects.filter(order=order, status__in=HOLDS_POSITION)
        .values_list("person__sex")
        .annotate(n=Count("id"))
    )
    women, men = taken.get("F", 0), taken.get("M", 0)
    total = order.positions or 0
    if women + men >= total:
        return False
    kept_women, kept_men = order.positions_female or 0, order.positions_male or 0
    either = total - kept_women - kept_men
    over = max(0, women - kept_women) + max(0, men - kept_men)
    if sex == "F":
        return women < kept_women or over < either
    if sex == "M":
        return men < kept_men or over < either
    return over < either


def application_move(
    *,
    actor: User | None,
    application: Application,
    to_status: str,
    reason: str = "",
    version: int | None = None,
    placement_ending: bool = False,
) -> Application:
    """Move `application` one step (or to an end), or raise MoveRefused,
    NoPositionLeft, VersionConflict or ValidationError (a missing reason).

    An application whose placement is under way ends only with the placement
    (`placement_cancel` passes `placement_ending`): rejected or withdrawn on its own,
    it would leave a placed person, a valid card and a freed position behind."""
    if to_status not in A.values:
        raise error("status", _("Choose one of the listed steps."), "invalid_choice")
    if to_status in NEEDS_REASON:
        reason = require_reason(reason)
    else:
        reason = (reason or "").strip()[:500]
    with transaction.atomic():
        if to_status == A.SELECTED:
            # Lock the order first: two recruiters racing for the last position wait
            # for each other here, and the second counts the first's selection.
            order = JobOrder.objects.select_for_update().get(pk=application.order_id)
        app = Application.objects.select_for_update().get(pk=application.pk)
        if version is not None and app.version != version:
            raise VersionConflict(app)
        if not allowed(app.status, to_status):
            raise MoveRefused(app, to_status)
        if to_status == A.SELECTED and not order.is_open:
            # Sent back for verification, closed or cancelled: nobody is selected for
            # a job that is not published as it stands.
            raise MoveRefused(app, to_status, code="order_closed")
        if to_status == A.SELECTED and not position_left_for(order, app.person.sex):
            raise NoPositionLeft(app, to_status)
        if (
            to_status in EXITS
            and not placement_ending
            and Placement.objects.filter(application=app, status__in=LIVE_PLACEMENT).exists()
        ):
            raise MoveRefused(app, to_status, code="placement_exists")
        before = app.status
        now = timezone.now()
        Application.objects.filter(pk=app.pk).update(
            status=to_status,
            status_reason=reason,
            status_changed_at=now,
            updated_at=now,
            version=F("version") + 1,
        )
        ApplicationEvent.objects.create(
            application=app, from_status=before, to_status=to_status, reason=reason, actor=actor
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=app,
            changed_fields=["status"],
            reason=f"{before} -> {to_status}",
        )
        app = Application.objects.select_related("order", "person__user").get(pk=app.pk)
        _tell_worker(app, actor)
    return app


def _worker_language(user: User) -> str:
    """The language the worker reads Garda in (the site's default until accounts keep
    one of their own)."""
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def _my_applications_url() -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("jobs:my_applications")
    except NoReverseMatch:  # the worker's page is not mounted
        return ""


def _tell_worker(app: Application, actor) -> None:
    """The worker hears of every move they did not make themselves, in their language."""
    user = app.person.user if app.person_id else None
    if user is None or user == actor:
        return
    with translation.override(_worker_language(user)):
        notify(
            user=user,
            title=_("Your application for %(job)s: %(status)s")
            % {"job": app.order.occupation_title, "status": app.get_status_display()},
            body=app.status_reason,
            url=_my_applications_url(),
        )


# --- starting an application ----------------------------------------------------------


def protection_block_message(actor, person: Person) -> str:
    """Why `person` may not go forward while a protection case of theirs is open, in
    words for `actor`: the office hears of the case; anyone else (a company) learns
    nothing of it."""
    role = getattr(actor, "role", None)
    if role in (roles.OFFICER, roles.ADMIN, roles.SUPERVISOR):
        return _(
            "%(name)s has an open protection case: they are not nominated, and no "
            "placement is made, while it is open."
        ) % {"name": person.full_name}
    return _("This person cannot go forward for this job now. Ask the manpower office.")


def is_blocked(person: Person) -> bool:
    """Whether an open protection case (garda/jobs/blocks.py, as matching reads them)
    keeps `person` from going forward for a job."""
    return person.pk in blocks.blocked([person.pk])


def _check_may_start(order: JobOrder, person: Person, actor=None, *, block: bool) -> None:
    if not order.is_open:
        raise ApplyRefused(
            "order_closed",
            _("This job is no longer open: it is closed or not yet published."),
        )
    if person.status not in APPLY_STATUSES:
        raise ApplyRefused(
            "person_not_eligible",
            _("A person who is %(status)s cannot apply for a job.")
            % {"status": PersonStatus(person.status).label.lower()},
        )
    if block and is_blocked(person):
        raise ApplyRefused("protection_block", protection_block_message(actor, person))
    existing = Application.objects.filter(order=order, person=person).first()
    if existing is not None:
        raise _already(existing)


def _already(existing: Application | None) -> ApplyRefused:
    return ApplyRefused(
        "already_applied",
        _("There is already an application of this person for this job (one per job)."),
        existing,
    )


def _start(
    *, actor: User, order: JobOrder, person: Person, status: str, source: str
) -> Application:
    try:
        with transaction.atomic():
            # The order row is read again under a lock: an order closed meanwhile
            # (its applications lapsing) is not applied to after the fact.
            order = JobOrder.objects.select_for_update().get(pk=order.pk)
            # An open protection case stops a nomination (the office puts the person
            # forward), not the worker's own application.
            _check_may_start(order, person, actor, block=status == A.NOMINATED)
            app = Application.objects.create(
                order=order,
                person=person,
                status=status,
                source=source,
                # the match as it stood (score, reasons, what was missing): why this
                # person was proposed or applied, kept with the application
                match=matching.explain(order, person),
                nominated_by=actor if status == A.NOMINATED else None,
                created_by=actor,
            )
            ApplicationEvent.objects.create(application=app, to_status=status, actor=actor)
            audit_record(
                actor=actor,
                action=AuditEvent.Action.CREATE,
                target=app,
                changed_fields=["order", "person", "status", "source"],
            )
    except IntegrityError:  # the same person applied at the same moment
        raise _already(Application.objects.filter(order=order, person=person).first()) from None
    app.order = order
    app.person = person
    return app


def application_create(*, actor: User, order: JobOrder, person: Person) -> Application:
    """The worker applies to `order` for themself: `applied`, or ApplyRefused."""
    if not (
        getattr(actor, "is_authenticated", False)
        and actor.role == roles.WORKER
        and person.user_id == actor.pk
    ):
        deny(actor, "jobs.application_create", target=person)
    return _start(
        actor=actor, order=order, person=person, status=A.APPLIED, source=Application.Source.WORKER
    )


def application_nominate(*, actor: User, order: JobOrder, person: Person) -> Application:
    """An officer proposes `person` for `order`; the worker is told and answers."""
    if actor.role not in (roles.OFFICER, roles.ADMIN):
        deny(actor, "jobs.application_nominate", target=person)
    app = _start(
        actor=actor,
        order=order,
        person=person,
        status=A.NOMINATED,
        source=Application.Source.NOMINATION,
    )
    user = person.user
    if user is not None:
        with translation.override(_worker_language(user)):
            notify(
                user=user,
                title=_("An officer proposes you for a job: %(job)s")
                % {"job": order.occupation_title},
                body=_(
                    "Accept the nomination to apply, or decline it. The company sees your "
                    "name and your skills only once you accept."
                ),
                url=_my_applications_url(),
            )
    return app


def _own(actor: User, application: Application, what: str) -> None:
    if not (
        getattr(actor, "is_authenticated", False)
        and actor.role == roles.WORKER
        and application.person.user_id == actor.pk
    ):
        deny(actor, what, target=application)


def _own_or_on_their_word(actor: User, application: Application, what: str, reason: str) -> str:
    """The worker answers for themself; for a worker without an account (most have
    none) an officer or admin records the answer given in person or by phone, saying
    how and when in `reason`, which the audit trail keeps."""
    if getattr(actor, "is_authenticated", False) and actor.role in (roles.OFFICER, roles.ADMIN):
        if application.person.user_id is not None:
            # A worker with an account answers themself: their own click is the
            # consent that shows their data to the company.
            deny(actor, what, target=application)
        return require_reason(reason)
    _own(actor, application, what)
    return reason


def nomination_accept(
    *, actor: User, application: Application, version: int | None = None, reason: str = ""
) -> Application:
    """The worker accepts a nomination (or an officer records their yes, saying how):
    the application is `applied`, and the company sees it from now on. The order must
    still be open."""
    reason = _own_or_on_their_word(actor, application, "jobs.nomination_accept", reason)
    if not application.order.is_open and application.status == A.NOMINATED:
        raise ApplyRefused(
            "order_closed",
            _("This job is no longer open: it is closed or not yet published."),
        )
    return application_move(
        actor=actor, application=application, to_status=A.APPLIED, reason=reason, version=version
    )


def nomination_decline(
    *, actor: User, application: Application, reason: str, version: int | None = None
) -> Application:
    """The worker declines (or an officer records their no), with the reason."""
    reason = _own_or_on_their_word(actor, application, "jobs.nomination_decline", reason)
    return application_move(
        actor=actor, application=application, to_status=A.DECLINED, reason=reason, version=version
    )


def application_withdraw(
    *, actor: User, application: Application, reason: str, version: int | None = None
) -> Application:
    """The worker withdraws (or an officer, on the worker's word), from any open step
    after applying; a nomination is declined instead."""
    if actor.role not in (roles.OFFICER, roles.ADMIN):
        _own(actor, application, "jobs.application_withdraw")
    return application_move(
        actor=actor,
        application=application,
        to_status=A.WITHDRAWN,
        reason=reason,
        version=version,
    )


# --- when the order ends -----------------------------------------------------------------


def _lapse_reason(order_status: str) -> str:
    with translation.override(settings.LANGUAGE_CODE):  # stored once, for every reader
        if order_status == JobOrder.Status.CANCELLED:
            return _("The job order was cancelled.")
        return _("The job order is closed.")


def applications_lapse_for_order(order: JobOrder, *, actor: User | None = None) -> int:
    """Lapse the applications of `order`, now closed or cancelled (see the module's
    docstring for which). Returns how many lapsed."""
    statuses = LAPSE_ON_CANCEL if order.status == JobOrder.Status.CANCELLED else LAPSE_ON_CLOSE
    return applications_lapse_for_orders(
        [order.pk], statuses=statuses, reason=_lapse_reason(order.status), actor=actor
    )


def applications_lapse_for_orders(
    order_ids: list[int],
    *,
    statuses=LAPSE_ON_CLOSE,
    reason: str = "",
    actor: User | None = None,
) -> int:
    """Lapse, in bulk, the applications of `order_ids` in `statuses`: one update, one
    insert of their events, one of their audit rows, and a notice to each worker."""
    reason = (reason or _lapse_reason(JobOrder.Status.CLOSED))[:500]
    return _lapse(
        Q(order_id__in=list(order_ids), status__in=list(statuses)), reason=reason, actor=actor
    )


def applications_lapse_for_person(
    person: Person, *, placed: Application, actor: User | None = None
) -> int:
    """A person placed through `placed` leaves the other jobs they were in line for:
    their other open applications and nominations lapse (a selected one frees its
    position for someone else), each worker told why."""
    with translation.override(settings.LANGUAGE_CODE):  # stored once, for every reader
        reason = _("Placed through another job order (%(reference)s).") % {
            "reference": placed.order.reference
        }
    return _lapse(
        Q(person=person, status__in=list(OPEN)) & ~Q(pk=placed.pk), reason=reason, actor=actor
    )


def _lapse(where: Q, *, reason: str, actor: User | None) -> int:
    with transaction.atomic():
        rows = list(
            Application.objects.select_for_update()
            .filter(where)
            # one with a placement under way ends only with its placement (a subquery:
            # PostgreSQL locks no row on the nullable side of an outer join)
            .exclude(
                pk__in=Placement.objects.filter(status__in=LIVE_PLACEMENT).values("application_id")
            )
            .only("pk", "status", "order_id", "person_id")
            .order_by("pk")
        )
        if not rows:
            return 0
        now = timezone.now()
        Application.objects.filter(pk__in=[a.pk for a in rows]).update(
            status=A.LAPSED,
            status_reason=reason,
            status_changed_at=now,
            updated_at=now,
            version=F("version") + 1,
        )
        ApplicationEvent.objects.bulk_create(
            ApplicationEvent(
                application=a,
                from_status=a.status,
                to_status=A.LAPSED,
                reason=reason,
                actor=actor,
                created_at=now,
            )
            for a in rows
        )
        for before in sorted({a.status for a in rows}):
            audit_record_many(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                targets=[(a, ["status"]) for a in rows if a.status == before],
                reason=f"{before} -> {A.LAPSED}",
            )
        _tell_lapsed([a.pk for a in rows], actor)
    return len(rows)


def _tell_lapsed(ids: list[int], actor) -> None:
    apps = (
        Application.objects.filter(pk__in=ids, person__user__isnull=False)
        .select_related("order", "person__user")
        .order_by("pk")
    )
    for app in apps:
        _tell_worker(app, actor)
