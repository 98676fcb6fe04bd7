"""Referrals, the core flow (docs/referrals.md): the case's handler refers, the
receiving agency's partner users answer (accept, or decline with a reason) and report
the service delivered; the handler closes it, or withdraws it before acceptance.

Every write: checked first (one ValidationError naming each bad field, nothing
written), then in one transaction with its audit row and the other side told. The
referral's `version` guards against a stale read (VersionConflict). An answer the
agency gave on paper or by phone, quoting the referral number, is recorded by the
case's handler "on behalf" (OnBehalf: who at the agency, and how), audited as such.

The sharing of the person's data rests on a privacy.SharingRecord (the person's
SHARING consent naming the agency, or an officer's override with its reason); a case
not yet linked to a registry person has no consent to rest on and is referred only
on an override kept on the referral itself (docs/referrals.md, "No registry person").
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from garda.accounts import roles
from garda.accounts.models import Agency, User
from garda.accounts.notify import notify
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.cases.access import may_handle
from garda.cases.models import Case, Service
from garda.cases.services.record import service_plan
from garda.models import ReferenceSequence
from garda.privacy.services.sharing import SHARING_ROLES, sharing_end, sharing_record
from garda.privacy.sharing import may_share
from garda.referrals import policy
from garda.referrals.models import (
    LIVE,
    PRIVACY_PARTS,
    Channel,
    Referral,
    ReferralEvent,
    Section,
    Status,
)

REFERENCE_PREFIX = "RJK"
TEXT_MAX = 5000


class VersionConflict(Exception):
    """The referral changed since the caller read it (optimistic locking)."""

    def __init__(self, referral: Referral):
        super().__init__(referral.reference)
        self.current = referral


class StateConflict(Exception):
    """The referral's state forbids the step (answering twice, closing a withdrawn one)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class OnBehalf:
    """An agency's answer given outside Garda, recorded by the case's handler."""

    channel: str  # Channel
    given_by_name: str  # who at the agency answered


# --- who may do what -------------------------------------------------------------------


# An answer asked for further ahead than this is a typing slip (and past year 9999
# the report-back date would not exist).
MAX_ANSWER_PERIOD = timedelta(days=366)


def may_refer(user: User, case: Case) -> bool:
    """The case's handler (officer, supervisor, admin) may refer an open case."""
    return (
        getattr(user, "is_authenticated", False)
        and user.role in SHARING_ROLES
        and may_handle(user, case)
    )


def is_receiving_partner(user: User, referral: Referral) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and user.role == roles.PARTNER
        and user.agency_id is not None
        and user.agency_id == referral.agency_id
    )


def partners_of(agency_id: int):
    return User.objects.filter(
        groups__name=roles.PARTNER, agency_id=agency_id, is_active=True
    ).distinct()


# --- checks ----------------------------------------------------------------------------


def _text(errors: dict, field: str, value: str, required_message, *, limit: int = TEXT_MAX):
    value = (value or "").strip()
    if "\x00" in value:
        errors[field] = ValidationError(_("Null characters are not allowed."), code="null")
    elif not value:
        errors[field] = ValidationError(required_message, code="required")
    elif len(value) > limit:
        errors[field] = ValidationError(
            _("At most %(limit)s characters.") % {"limit": limit}, code="max_length"
        )
    return value


def _on_behalf(errors: dict, on_behalf: OnBehalf | None) -> OnBehalf | None:
    if on_behalf is None:
        return None
    if on_behalf.channel not in Channel.values:
        errors["channel"] = ValidationError(
            _("Say how the agency answered (phone, letter, e-mail, in person)."), code="required"
        )
    name = _text(
        errors,
        "given_by_name",
        on_behalf.given_by_name,
        _("Say who at the agency gave this answer."),
        limit=200,
    )
    return OnBehalf(on_behalf.channel, name)


def _sections(errors: dict, sections) -> list[str]:
    chosen = list(dict.fromkeys(sections or []))
    if not chosen:
        errors["sections"] = ValidationError(
            _("Choose at least one part of the case to share."), code="required"
        )
    elif any(s not in Section.values for s in chosen):
        errors["sections"] = ValidationError(
            _("Choose the parts of the case from the list."), code="invalid"
        )
    # In the list's order, whatever order they came in.
    return [s for s in Section.values if s in chosen]


def consent_check(case: Case, agency: Agency, consent_id, override_reason: str, errors: dict):
    """The ground of the sharing: (decision or None, override reason or ""), adding
    to `errors` when there is none. Without a registry person there is no consent."""
    override_reason = (override_reason or "").strip()
    if "\x00" in override_reason:
        errors["override_reason"] = ValidationError(
            _("Null characters are not allowed."), code="null"
        )
        return None, ""
    if case.person_id is None:
        if consent_id:
            errors["consent_id"] = ValidationError(
                _("This case is not linked to a person in the registry: there is no consent."),
                code="no_person",
            )
        elif not override_reason:
            errors["override_reason"] = ValidationError(
                _(
                    "This case is not linked to a person in the registry, so there is no "
                    "consent to rely on. To refer it anyway, write why it cannot wait."
                ),
                code="no_person",
            )
        return None, override_reason
    decision = may_share(case.person, agency, _("Referral"))
    if consent_id not in (None, ""):
        if not decision.allowed:
            errors["consent_id"] = ValidationError(decision.reason, code=decision.code)
        elif str(decision.consent.pk) != str(consent_id):
            errors["consent_id"] = ValidationError(
                _("This is not the person's consent to share with this agency."),
                code="wrong_consent",
            )
        return decision, ""
    if not decision.allowed and not override_reason:
        errors["override_reason"] = ValidationError(
            _("%(refusal)s To refer anyway, write why it cannot wait for the person's consent.")
            % {"refusal": decision.reason},
            code=decision.code,
        )
    return decision, "" if decision.allowed else override_reason


# --- referring -------------------------------------------------------------------------


def referral_create(
    *,
    actor: User,
    case: Case,
    agency: Agency | None,
    service_type: str,
    request: str,
    due_at: datetime | None,
    sections,
    consent_id=None,
    override_reason: str = "",
) -> Referral:
    """Refer `case` to `agency` for a service: what is asked (`request`), the answer
    by `due_at`, the parts of the case shared (`sections`), on the person's consent or
    an override with its reason."""
    if not may_refer(actor, case):
        deny(actor, "referrals.referral_create", target=case)
    now = timezone.now()
    errors: dict = {}
    if not case.is_open:
        errors["case"] = ValidationError(_("Only an open case can be referred."), code="closed")
    if agency is None or not agency.is_active:
        errors["agency"] = ValidationError(
            _("Choose an active agency from the list."), code="invalid"
        )
    elif case.agency_id is not None and agency.pk == case.agency_id:
        errors["agency"] = ValidationError(
            _("Choose another agency: the case is already held by this one."), code="own_agency"
        )
    if service_type not in Service.Type.values:
        errors["service_type"] = ValidationError(
            _("Choose a service from the list."), code="invalid"
        )
    request = _text(errors, "request", request, _("Say what is asked of the agency."))
    if due_at is None:
        errors["due_at"] = ValidationError(
            _("Give the date the agency must answer by."), code="required"
        )
    else:
        if timezone.is_naive(due_at):  # an API client's local time, without an offset
            due_at = timezone.make_aware(due_at)
        if due_at <= now:
            errors["due_at"] = ValidationError(
                _("The answer date must be in the future."), code="past"
            )
        elif due_at > now + MAX_ANSWER_PERIOD:
            errors["due_at"] = ValidationError(
                _("The answer date must be within a year."), code="too_far"
            )
    chosen = _sections(errors, sections)
    decision, given_reason, override_reason = None, override_reason, ""
    if "agency" not in errors:
        decision, override_reason = consent_check(case, agency, consent_id, given_reason, errors)
    if errors:
        raise ValidationError(errors)

    override = bool(override_reason)
    report_days = policy.current().periods[service_type].report_days
    with transaction.atomic():
        reference = ReferenceSequence.next_reference(REFERENCE_PREFIX, timezone.localdate(now).year)
        purpose = _("Referral %(reference)s: %(service)s") % {
            "reference": reference,
            "service": Service.Type(service_type).label,
        }
        sharing = None
        if case.person_id is not None:
            sharing = sharing_record(
                actor=actor,
                person=case.person,
                agency=agency,
                purpose=purpose[:200],
                parts=sorted({PRIVACY_PARTS[s] for s in chosen}),
                override_reason=override_reason,
            )
        service = service_plan(
            actor=actor,
            case=case,
            type=service_type,
            timeframe=Service.Timeframe.DATE,
            due_on=timezone.localdate(due_at + timedelta(days=report_days)),
            provider=agency.name,
            note=purpose,
        )
        referral = Referral.objects.create(
            reference=reference,
            case=case,
            agency=agency,
            service_type=service_type,
            request=request,
            due_at=due_at,
            sections=chosen,
            planned_service=service,
            sharing=sharing,
            consent=decision.consent if decision is not None and not override else None,
            override_reason=override_reason,
            requested_by=actor,
            requested_at=now,
        )
        ReferralEvent.objects.create(
            referral=referral, kind=ReferralEvent.Kind.CREATED, actor=actor
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            target=referral,
            changed_fields=["case", "agency", "service_type", "request", "due_at", "sections"],
            reason="referral on override" if override else "referral on consent",
        )
        if sharing is None:
            # No registry person: the override is kept on the referral; audited as a
            # sharing of the case, and the supervisors told, as privacy does.
            audit_record(
                actor=actor,
                action=AuditEvent.Action.SHARE,
                target=case,
                reason=f"override: referral {referral.pk}",
            )
            _tell_supervisors(actor, referral)
        for partner in partners_of(agency.pk):
            notify(
                user=partner,
                title=_("New referral %(reference)s from %(agency)s")
                % {
                    "reference": reference,
                    "agency": case.agency.short_name if case.agency_id else _("Pasukan Putih"),
                },
                body=_("Answer by %(date)s: accept or decline it on its page.")
                % {"date": timezone.localtime(due_at).strftime("%d-%m-%Y %H:%M")},
                url=reverse("referrals:detail", args=[referral.pk]),
            )
    return referral


def _tell_supervisors(actor: User, referral: Referral) -> None:
    supervisors = User.objects.filter(groups__name=roles.SUPERVISOR, is_active=True)
    if actor.agency_id is not None:
        own = supervisors.filter(agency_id=actor.agency_id)
        supervisors = own if own.exists() else supervisors
    for supervisor in supervisors.distinct():
        notify(
            user=supervisor,
            title=_("Case referred without consent: %(reference)s")
            % {"reference": referral.case.reference},
            body=_(
                "%(officer)s referred case %(case)s to %(agency)s without the person's "
                "consent (the case is not linked to the registry). Check the reason on the "
                "referral's page."
            )
            % {
                "officer": actor.full_name or actor.email,
                "case": referral.case.reference,
                "agency": referral.agency.name,
            },
            url=reverse("referrals:detail", args=[referral.pk]),
            email=False,
        )


# --- the steps after ---------------------------------------------------------------------


def _lock(referral: Referral, version: int | None) -> Referral:
    current = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("case", "agency", "sharing")
        .get(pk=referral.pk)
    )
    if version is not None and current.version != version:
        raise VersionConflict(current)
    return current


def _save(referral: Referral, **values) -> None:
    Referral.objects.filter(pk=referral.pk).update(version=F("version") + 1, **values)
    for key, value in values.items():
        setattr(referral, key, value)
    referral.version += 1


def _sharing_live(referral: Referral) -> bool:
    return referral.sharing_id is None or referral.sharing.ended_at is None


def _check_answerer(actor: User, referral: Referral, on_behalf: OnBehalf | None, what: str):
    """The agency's partner users answer; the case's handler only on their behalf."""
    if on_behalf is None:
        if not is_receiving_partner(actor, referral):
            deny(actor, what, target=referral)
    elif not may_refer(actor, referral.case):
        deny(actor, what, target=referral)


def _step(
    *,
    actor: User,
    referral: Referral,
    kind: str,
    fields: list[str],
    on_behalf: OnBehalf | None = None,
    note: str = "",
) -> None:
    ReferralEvent.objects.create(
        referral=referral,
        kind=kind,
        actor=actor,
        channel=on_behalf.channel if on_behalf else "",
        given_by_name=on_behalf.given_by_name if on_behalf else "",
        note=note,
    )
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        target=referral,
        changed_fields=fields,
        reason=f"referral {kind}" + (f" on behalf ({on_behalf.channel})" if on_behalf else ""),
    )


def _tell_answer(actor: User, referral: Referral, title: str, on_behalf) -> None:
    """The agency's answer (`title`, with %(reference)s and %(agency)s) to the case's
    side; recorded on the agency's behalf, to its partners too."""
    title = title % {"reference": referral.reference, "agency": referral.agency.short_name}
    _tell_owner(actor, referral, title)
    if on_behalf:
        _tell_partners(actor, referral, title)


def _tell_owner(actor: User, referral: Referral, title: str) -> None:
    case = referral.case
    users = {u.pk: u for u in (case.owner, referral.requested_by) if u is not None}
    users.pop(actor.pk, None)
    for user in users.values():
        notify(
            user=user,
            title=title,
            body=_("Referral %(reference)s of case %(case)s.")
            % {"reference": referral.reference, "case": case.reference},
            url=reverse("referrals:detail", args=[referral.pk]),
        )


def _tell_partners(actor: User | None, referral: Referral, title: str) -> None:
    for partner in partners_of(referral.agency_id):
        if actor is None or partner.pk != actor.pk:
            notify(
                user=partner,
                title=title,
                url=reverse("referrals:detail", args=[referral.pk]),
                email=False,
            )


def _end_sharing(actor: User | None, referral: Referral, reason: str) -> None:
    if referral.sharing_id is None or referral.sharing.ended_at is not None:
        return
    who = actor if actor is not None and actor.role in SHARING_ROLES else None
    sharing_end(actor=who, record=referral.sharing, reason=reason)


def referral_accept(
    *,
    actor: User,
    referral: Referral,
    version: int | None = None,
    on_behalf: OnBehalf | None = None,
) -> Referral:
    """The agency takes the referral on: the report-back clock starts (policy)."""
    _check_answerer(actor, referral, on_behalf, "referrals.referral_accept")
    errors: dict = {}
    on_behalf = _on_behalf(errors, on_behalf)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        referral = _lock(referral, version)
        if referral.status != Status.REQUESTED:
            raise StateConflict(_("This referral is no longer waiting for an answer."))
        if not _sharing_live(referral):
            raise StateConflict(
                _("The person withdrew their consent: this referral can no longer be accepted.")
            )
        now = timezone.now()
        _save(
            referral,
            status=Status.ACCEPTED,
            answered_at=now,
            answered_by=actor,
            report_due_at=policy.current().report_by(referral.service_type, now),
        )
        _step(
            actor=actor,
            referral=referral,
            kind=ReferralEvent.Kind.ACCEPTED,
            fields=["status", "answered_at", "report_due_at"],
            on_behalf=on_behalf,
        )
        _tell_answer(actor, referral, _("Referral %(reference)s accepted by %(agency)s"), on_behalf)
    return referral


def referral_decline(
    *,
    actor: User,
    referral: Referral,
    reason: str,
    version: int | None = None,
    on_behalf: OnBehalf | None = None,
) -> Referral:
    """The agency declines, with its reason: the sharing ends (it never had access)."""
    _check_answerer(actor, referral, on_behalf, "referrals.referral_decline")
    errors: dict = {}
    reason = _text(errors, "reason", reason, _("Say why the agency declines."), limit=2000)
    on_behalf = _on_behalf(errors, on_behalf)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        referral = _lock(referral, version)
        if referral.status != Status.REQUESTED:
            raise StateConflict(_("This referral is no longer waiting for an answer."))
        _save(
            referral,
            status=Status.DECLINED,
            answered_at=timezone.now(),
            answered_by=actor,
            decline_reason=reason,
        )
        _step(
            actor=actor,
            referral=referral,
            kind=ReferralEvent.Kind.DECLINED,
            fields=["status", "answered_at", "decline_reason"],
            on_behalf=on_behalf,
        )
        _end_sharing(actor, referral, "referral declined")
        _tell_answer(actor, referral, _("Referral %(reference)s declined by %(agency)s"), on_behalf)
    return referral


def referral_report(
    *,
    actor: User,
    referral: Referral,
    what: str,
    delivered_on: date | None,
    delivered_by_name: str,
    outcome: str,
    version: int | None = None,
    on_behalf: OnBehalf | None = None,
) -> Referral:
    """The agency reports the service delivered (what, when, by whom, outcome): the
    planned service on the case is marked done."""
    _check_answerer(actor, referral, on_behalf, "referrals.referral_report")
    errors: dict = {}
    what = _text(errors, "what", what, _("Say what service was delivered."))
    delivered_by_name = _text(
        errors,
        "delivered_by_name",
        delivered_by_name,
        _("Say who delivered the service."),
        limit=200,
    )
    outcome = _text(errors, "outcome", outcome, _("Say what came of it."))
    if delivered_on is None:
        errors["delivered_on"] = ValidationError(
            _("Give the date the service was delivered."), code="required"
        )
    elif delivered_on > timezone.localdate():
        errors["delivered_on"] = ValidationError(
            _("The date cannot be in the future."), code="future"
        )
    elif delivered_on < timezone.localdate(referral.requested_at):
        errors["delivered_on"] = ValidationError(
            _("The date cannot be before the referral was sent."), code="before_referral"
        )
    on_behalf = _on_behalf(errors, on_behalf)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        referral = _lock(referral, version)
        if referral.status != Status.ACCEPTED:
            raise StateConflict(_("Only an accepted referral can be reported on."))
        now = timezone.now()
        _save(
            referral,
            status=Status.REPORTED,
            delivered_what=what,
            delivered_on=delivered_on,
            delivered_by_name=delivered_by_name,
            outcome=outcome,
            reported_at=now,
            reported_by=actor,
        )
        _step(
            actor=actor,
            referral=referral,
            kind=ReferralEvent.Kind.REPORTED,
            fields=["status", "delivered_what", "delivered_on", "delivered_by_name", "outcome"],
            on_behalf=on_behalf,
        )
        service_id = referral.planned_service_id
        if service_id and Service.objects.filter(pk=service_id, done_at__isnull=True).update(
            done_at=now
        ):
            audit_record(
                actor=actor,
                action=AuditEvent.Action.UPDATE,
                object_type="cases.service",
                object_id=str(service_id),
                changed_fields=["done_at"],
                reason=f"referral {referral.pk} reported",
            )
        _tell_answer(
            actor,
            referral,
            _("Referral %(reference)s: %(agency)s reported the service delivered"),
            on_behalf,
        )
    return referral


def _finish(
    *,
    actor: User,
    referral: Referral,
    reason: str,
    version: int | None,
    allowed: tuple,
    status: str,
    kind: str,
    refusal: str,
    what: str,
) -> Referral:
    if not may_refer(actor, referral.case):
        deny(actor, what, target=referral)
    errors: dict = {}
    reason = _text(errors, "reason", reason, _("Say why (a few words)."), limit=500)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        referral = _lock(referral, version)
        if referral.status not in allowed:
            raise StateConflict(refusal)
        _save(
            referral,
            status=status,
            closed_at=timezone.now(),
            closed_by=actor,
            close_reason=reason,
        )
        _step(
            actor=actor,
            referral=referral,
            kind=kind,
            fields=["status", "closed_at", "close_reason"],
            note=reason,
        )
        _end_sharing(actor, referral, f"referral {kind}")
        title = (
            _("Referral %(reference)s closed: your access to the case has ended")
            if kind == ReferralEvent.Kind.CLOSED
            else _("Referral %(reference)s withdrawn by the case's officer")
        ) % {"reference": referral.reference}
        _tell_partners(actor, referral, title)
    return referral


def referral_close(
    *, actor: User, referral: Referral, reason: str, version: int | None = None
) -> Referral:
    """The case's handler closes an answered referral: the agency's access ends."""
    return _finish(
        actor=actor,
        referral=referral,
        reason=reason,
        version=version,
        allowed=(Status.ACCEPTED, Status.REPORTED, Status.DECLINED),
        status=Status.CLOSED,
        kind=ReferralEvent.Kind.CLOSED,
        refusal=_(
            "Only an answered referral can be closed; withdraw one still waiting for an answer."
        ),
        what="referrals.referral_close",
    )


def referral_cancel(
    *, actor: User, referral: Referral, reason: str, version: int | None = None
) -> Referral:
    """The case's handler withdraws a referral before the agency accepts it."""
    return _finish(
        actor=actor,
        referral=referral,
        reason=reason,
        version=version,
        allowed=(Status.REQUESTED,),
        status=Status.CANCELLED,
        kind=ReferralEvent.Kind.CANCELLED,
        refusal=_("Only a referral still waiting for an answer can be withdrawn."),
        what="referrals.referral_cancel",
    )


# --- the case closes ---------------------------------------------------------------------

# The audit reasons of a referral closed with its case (audit/display.py words them).
CLOSED_WITH_CASE = {
    "closed": "referral closed: case closed",
    "duplicate": "referral closed: case duplicate",
}


def referrals_close_with_case(*, case: Case, actor: User | None, how: str = "closed") -> int:
    """`case` stopped being open (closed, or marked a duplicate of another report): its
    live referrals close with it, in the caller's transaction (the case's close). The
    receiving agency's window ends, the sharing ends, each referral gets its step and
    an audit row, and its partners are told. Returns how many closed.

    Called by the cases app's `case_closed` signal (apps.py): the cases app sits below
    this one and does not know referrals exist. Reopening the case brings none back:
    its handler refers again."""
    live = list(
        Referral.objects.select_for_update(of=("self",))
        .select_related("case", "agency", "sharing")
        .filter(case_id=case.pk, status__in=LIVE)
        .order_by("pk")
    )
    if not live:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        reason = (
            _("The case was marked as a duplicate of another report")
            if how == "duplicate"
            else _("The case was closed")
        )
    audit_reason = CLOSED_WITH_CASE.get(how, CLOSED_WITH_CASE["closed"])
    now = timezone.now()
    for referral in live:
        _save(
            referral,
            status=Status.CLOSED,
            closed_at=now,
            closed_by=actor,
            close_reason=reason,
        )
        ReferralEvent.objects.create(
            referral=referral, kind=ReferralEvent.Kind.CLOSED, actor=actor, at=now, note=reason
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=referral,
            changed_fields=["status", "closed_at", "close_reason"],
            reason=audit_reason,
        )
        _end_sharing(actor, referral, audit_reason)
        _tell_partners(
            actor,
            referral,
            _("Referral %(reference)s closed: your access to the case has ended")
            % {"reference": referral.reference},
        )
    return len(live)


def on_case_closed(sender, *, case: Case, actor: User | None = None, how: str = "closed", **kw):
    """The receiver of cases.signals.case_closed (connected in apps.py)."""
    referrals_close_with_case(case=case, actor=actor, how=how)
