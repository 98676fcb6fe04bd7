"""Brokers and companies named on interceptions and cases, counted by normalised name
(docs/interceptions.md, "Broker leads").

The name is folded as the placement-company register folds it (jobs.models.name_key:
lower case, letters and digits, the legal form "PT", "CV"... dropped), so "PT. Maju
Jaya" and "pt maju jaya" count as one. A company whose folded name is in the register
is linked to it. A name named `lead_threshold` times (data/policy.toml) across
interceptions and cases is a lead for the task force: the supervisors are told once
(a `BrokerLead` row, unique per name, says it was done).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from garda.accounts import roles
from garda.accounts.models import User
from garda.accounts.notify import notify
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.cases.models import Case
from garda.interceptions import policy
from garda.interceptions.models import BrokerKind, BrokerLead, BrokerMention, Interception
from garda.jobs.models import PlacementAgency, name_key

MAX_PER_RECORD = 10


def error(field: str, message, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def normalise(name: str) -> str:
    return name_key(name)


def clean_broker(name: str, kind: str, *, field: str = "brokers") -> tuple[str, str, str]:
    """(raw name, normalised name, kind) checked; a ValidationError under `field`."""
    raw = " ".join((name or "").split())
    if not raw:
        raise error(field, _("Write the name of the broker or company."), "required")
    if len(raw) > 200:
        raise error(field, _("Keep it under %(n)s characters.") % {"n": 200}, "max_length")
    key = normalise(raw)
    if len(key) < 2:
        raise error(
            field,
            _("“%(name)s” is not a name: write the broker's or company's name.") % {"name": raw},
            "invalid",
        )
    if kind not in BrokerKind.values:
        raise error(field, _("Choose whether it is a broker or a company."), "invalid_kind")
    return raw, key, kind


def clean_brokers(rows: list[dict]) -> list[tuple[str, str, str]]:
    """Several names at once (an interception's): each checked, a name given twice
    counted once."""
    if len(rows) > MAX_PER_RECORD:
        raise error(
            "brokers", _("Name at most %(n)s brokers or companies.") % {"n": MAX_PER_RECORD}, "max"
        )
    found: dict[str, tuple[str, str, str]] = {}
    for row in rows:
        raw, key, kind = clean_broker(row.get("name", ""), row.get("kind", ""))
        found.setdefault(key, (raw, key, kind))
    return list(found.values())


def _company(key: str, kind: str) -> PlacementAgency | None:
    if kind != BrokerKind.COMPANY:
        return None
    return PlacementAgency.objects.filter(name_key=key).order_by("pk").first()


def mentions_create(
    *,
    actor: User,
    rows: list[tuple[str, str, str]],
    interception: Interception | None = None,
    case: Case | None = None,
) -> list[BrokerMention]:
    """Write the mentions (inside the caller's transaction) and check the leads."""
    now = timezone.now()
    made = []
    for raw, key, kind in rows:
        mention = BrokerMention(
            raw_name=raw,
            normalised=key,
            kind=kind,
            company=_company(key, kind),
            interception=interception,
            case=case,
            named_by=actor,
            named_at=now,
        )
        mention.save()
        made.append(mention)
    for mention in made:
        lead_check(mention)
    return made


def lead_check(mention: BrokerMention) -> BrokerLead | None:
    """The name's lead when this mention brought it to the threshold (the
    supervisors told, once: a second mention past it finds the row and says nothing)."""
    threshold = policy.current().lead_threshold
    count = BrokerMention.objects.filter(normalised=mention.normalised).count()
    if count < threshold or BrokerLead.objects.filter(normalised=mention.normalised).exists():
        return None
    try:
        with transaction.atomic():
            lead = BrokerLead.objects.create(
                normalised=mention.normalised, name=mention.raw_name, mentions=count
            )
    except IntegrityError:
        return None  # another request reached it at the same moment and told them
    audit_record(
        actor=None,
        action=AuditEvent.Action.CREATE,
        target=lead,
        reason=f"named {count} times",
    )
    url = reverse("interceptions:brokers")
    with translation.override(settings.LANGUAGE_CODE):
        title = _("A broker or company was named %(n)s times: a lead for the task force") % {
            "n": count
        }
        # No name in the text: it may travel by e-mail (the page shows it).
        body = _(
            "A name reached %(n)s mentions in interceptions and cases. See the broker "
            "leads, and pass it to the anti-trafficking task force (Satgas TPPO)."
        ) % {"n": count}
        for user in User.objects.filter(is_active=True, groups__name=roles.SUPERVISOR):
            notify(user=user, title=title, body=body, url=url)
    return lead


def broker_mention_add(*, actor: User, case: Case, name: str, kind: str) -> BrokerMention:
    """Name a broker or company on a case the actor may handle (the case's staff;
    a name already on the case, or on the interception that opened it, is refused:
    one event counts once)."""
    from garda.cases.access import CASE_ROLES, may_handle

    if actor.role not in CASE_ROLES or not may_handle(actor, case):
        deny(actor, "interceptions.broker_mention_add", target=case)
    raw, key, kind = clean_broker(name, kind, field="name")
    already = BrokerMention.objects.filter(normalised=key, case=case).exists() or (
        BrokerMention.objects.filter(normalised=key, interception__case=case).exists()
    )
    if already:
        raise error("name", _("This name is already recorded on this case."), "duplicate")
    try:
        with transaction.atomic():
            (mention,) = mentions_create(actor=actor, rows=[(raw, key, kind)], case=case)
            audit_record(
                actor=actor,
                action=AuditEvent.Action.CREATE,
                target=mention,
                changed_fields=["raw_name", "kind", "case"],
            )
    except IntegrityError:
        raise error("name", _("This name is already recorded on this case."), "duplicate") from None
    return mention


def leads() -> QuerySet:
    """Every name, counted (grouped SQL): name, kind, count, first and last seen,
    most named first. `is_lead` is added by the callers from the threshold."""
    return (
        BrokerMention.objects.values("normalised")
        .annotate(
            name=Max("raw_name"),
            kind=Max("kind"),
            count=Count("id"),
            first_seen=Min("named_at"),
            last_seen=Max("named_at"),
            company_id=Max("company_id"),
        )
        .order_by("-count", "-last_seen", "normalised")
    )


def leads_for(user: User) -> QuerySet:
    """The counted names for a supervisor or an admin (a denied row otherwise),
    the read audited."""
    from garda.interceptions.access import LEAD_ROLES

    if user.role not in LEAD_ROLES:
        deny(user, "interceptions.broker_leads")
    audit_record(actor=user, action=AuditEvent.Action.VIEW, object_type="interceptions.brokerlead")
    return leads()


def lead_rows(rows) -> list[dict]:
    threshold = policy.current().lead_threshold
    return [
        {**row, "is_lead": row["count"] >= threshold, "kind_label": BrokerKind(row["kind"]).label}
        for row in rows
    ]
