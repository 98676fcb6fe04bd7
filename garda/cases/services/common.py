"""What the cases services share: errors, clock bookkeeping, notifications."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from garda.accounts.models import User
from garda.accounts.notify import notify
from garda.cases import policy
from garda.cases.models import Case, Clock


class VersionConflict(Exception):
    """The case changed since the caller read it (optimistic locking)."""

    def __init__(self, case: Case):
        super().__init__(case.reference)
        self.current = case


def error(field: str, message, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def require_reason(reason: str, field: str = "reason") -> str:
    from django.utils.translation import gettext as _

    reason = (reason or "").strip()
    if not reason:
        raise error(field, _("Say why (a few words)."), "required")
    if len(reason) > 500:
        raise error(field, _("Keep it under 500 characters."), "max_length")
    return reason


def lock(case: Case, version: int | None) -> Case:
    """The case row locked for the transaction; VersionConflict when `version` (the one
    the caller read) is stale."""
    current = Case.objects.select_for_update().get(pk=case.pk)
    if version is not None and current.version != version:
        raise VersionConflict(current)
    return current


def bump(case: Case, **values) -> None:
    """Save `values` on the locked case and move its version on."""
    values["updated_at"] = timezone.now()
    Case.objects.filter(pk=case.pk).update(version=F("version") + 1, **values)
    for key, value in values.items():
        setattr(case, key, value)
    case.version += 1


def clocks_start(case: Case, start: datetime) -> list[Clock]:
    pol = policy.current()
    rows = []
    for name in policy.CLOCK_NAMES:
        due = pol.due(case.severity, name, start)
        from garda.cases.clocks import risk_at

        rows.append(
            Clock(
                case=case,
                name=name,
                started_at=start,
                due_at=due,
                risk_at=risk_at(start, due, pol.at_risk_fraction),
            )
        )
    return Clock.objects.bulk_create(rows)


def clocks_recompute(case: Case) -> None:
    """New due times for the clocks still running, after a severity change."""
    from garda.cases.clocks import risk_at

    pol = policy.current()
    for clock in case.clocks.filter(done_at__isnull=True):
        clock.due_at = pol.due(case.severity, clock.name, clock.started_at)
        clock.risk_at = risk_at(clock.started_at, clock.due_at, pol.at_risk_fraction)
        clock.save(update_fields=["due_at", "risk_at"])


def clock_done(case: Case, name: str, at: datetime | None = None) -> None:
    Clock.objects.filter(case=case, name=name, done_at__isnull=True).update(
        done_at=at or timezone.now()
    )


def clock_restart(case: Case, name: str, at: datetime) -> None:
    """A clock running again from `at` (a resolved case taken back, a reopened case)."""
    from garda.cases.clocks import risk_at

    pol = policy.current()
    due = pol.due(case.severity, name, at)
    Clock.objects.filter(case=case, name=name).update(
        started_at=at,
        due_at=due,
        risk_at=risk_at(at, due, pol.at_risk_fraction),
        done_at=None,
        escalation_level=0,
        at_risk_told_at=None,
    )


def case_url(case: Case) -> str:
    return reverse("cases:detail", args=[case.pk])


def own_case_url(case: Case) -> str:
    return reverse("cases:mine_detail", args=[case.pk])


def tell(user: User | None, title, params: dict, *, url: str = "", body="") -> None:
    """Notify in the site's language (the recipient is not the one asking); texts carry
    the case number, never a name (they may travel by e-mail)."""
    if user is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            user=user,
            title=str(title) % params,
            body=(str(body) % params) if body else "",
            url=url,
        )


def tell_worker_side(case: Case, title, params: dict) -> None:
    """The worker concerned and the reporter with an account, each once."""
    seen = set()
    for user in (
        getattr(case.person, "user", None) if case.person_id else None,
        case.reporter_user,
    ):
        if user is not None and user.pk not in seen:
            seen.add(user.pk)
            tell(user, title, params, url=own_case_url(case))
