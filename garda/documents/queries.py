"""Reusable reads: the verification queue, expiring documents, validity dates."""

import calendar
from datetime import date, timedelta

from django.db.models import Q, QuerySet

from garda.accounts import roles
from garda.accounts.models import User
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.documents.access import (
    IDENTITY_CATEGORIES,
    REVIEW_ROLES,
    is_civil_registry_staff,
    is_health_staff,
    visible_documents,
)
from garda.documents.models import Document, DocumentType
from garda.people.models import Assignment

# The reminder window before a document's validity ends.
REMIND_DAYS = 30


def assigned_persons(user: User) -> QuerySet:
    """Ids of the persons `user` accompanies, as a subquery."""
    return Assignment.objects.filter(officer=user).values("person_id")


def add_months(day: date, months: int) -> date:
    """`day` moved by `months` (negative: back), the day clamped to the month's end
    (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def valid_until(document: Document) -> date | None:
    """The last day the document counts: its expiry date, or for a result valid a
    number of months after issue (the medical result: 3), issue date + months; the
    earlier of the two when both apply. None: it does not expire."""
    candidates = []
    if document.expires_on:
        # The document is valid on its expiry date; it no longer counts the day after.
        candidates.append(document.expires_on)
    if document.type.validity_months and document.issued_on:
        candidates.append(add_months(document.issued_on, document.type.validity_months))
    return min(candidates) if candidates else None


def is_expired(document: Document, today: date) -> bool:
    until = valid_until(document)
    return until is not None and until < today


def pending_for_officer(user: User) -> QuerySet[Document]:
    """The verification queue: pending documents `user` may verify, oldest first.

    Admins: all. Officers: every pending document of anyone (verification is shared
    work), except health documents of persons not assigned to them, which only
    health-agency staff may judge, and identity and travel scans (KTP, KK, passport)
    of persons not assigned to them, unless they are civil-registry staff.
    Supervisors: the same, without those health documents. Other roles: none."""
    role = user.role if user.is_authenticated else None
    if role not in REVIEW_ROLES:
        return Document.objects.none()
    qs = Document.objects.filter(status=Document.Status.PENDING, person__merged_into__isnull=True)
    if role != roles.ADMIN and not is_health_staff(user):
        may_judge_health = (
            Q(person_id__in=assigned_persons(user)) if role == roles.OFFICER else Q(pk__in=[])
        )
        qs = qs.filter(Q(type__is_health=False) | may_judge_health)
    if role == roles.OFFICER and not is_civil_registry_staff(user):
        # Identity and travel scans wait for the persons' own officers (issue 19).
        qs = qs.filter(
            Q(person_id__in=assigned_persons(user)) | ~Q(type__category__in=IDENTITY_CATEGORIES)
        )
    return qs.select_related("type", "person", "uploaded_by").order_by("uploaded_at", "id")


def _list_read(user: User, reason: str) -> None:
    audit_record(
        actor=user, action=AuditEvent.Action.VIEW, object_type="documents.document", reason=reason
    )


def read_queue(user: User, *, mine: bool = False, type: str = "") -> QuerySet[Document]:
    """The verification queue as the page and the API show it (only the persons
    assigned to `user` with `mine`, one type's code with `type`), the read audited
    (a VIEW of the list, "queue")."""
    qs = pending_for_officer(user)
    if mine:
        qs = qs.filter(person_id__in=assigned_persons(user))
    if type:
        qs = qs.filter(type__code=type)
    _list_read(user, "queue")
    return qs


def read_expiring(user: User, *, within_days: int, today: date) -> QuerySet[Document]:
    """The expiring documents as the page and the API show them (an officer: the
    persons assigned to them; supervisors and admins: everyone), the read audited (a
    VIEW of the list, "expiring")."""
    base = visible_documents(user)
    if user.role == roles.OFFICER:
        base = base.filter(person_id__in=assigned_persons(user))
    qs = expiring(base, within_days=within_days, today=today)
    _list_read(user, "expiring")
    return qs


def _validity_types() -> list[tuple[int, int]]:
    return list(
        DocumentType.objects.filter(validity_months__isnull=False).values_list(
            "pk", "validity_months"
        )
    )


def _due_by(horizon: date) -> Q:
    """Documents whose validity ends on or before `horizon` (see valid_until)."""
    q = Q(expires_on__lte=horizon)
    for type_id, months in _validity_types():
        q |= Q(type_id=type_id, issued_on__lte=add_months(horizon, -months))
    return q


def expiring(qs: QuerySet[Document], *, within_days: int, today: date) -> QuerySet[Document]:
    """The verified documents of `qs` whose validity ends within `within_days` of
    `today`, or already ended: an expiry date in the window (or past), or a result
    valid N months after issue (DocumentType.validity_months) past that."""
    horizon = today + timedelta(days=within_days)
    return qs.filter(status=Document.Status.VERIFIED).filter(_due_by(horizon))


def reminder_candidates(today: date) -> QuerySet[Document]:
    """Verified documents in some reminder window (see reminder_window_start): within
    REMIND_DAYS of the end of their validity, past it, or with less validity left than
    their type's min_remaining_months (the passport: 18)."""
    q = _due_by(today + timedelta(days=REMIND_DAYS))
    for type_id, months in DocumentType.objects.filter(
        min_remaining_months__isnull=False
    ).values_list("pk", "min_remaining_months"):
        q |= Q(type_id=type_id, expires_on__lte=add_months(today, months))
    return Document.objects.filter(
        status=Document.Status.VERIFIED, person__merged_into__isnull=True
    ).filter(q)


def reminder_window_start(document: Document, today: date) -> date | None:
    """The first day of the reminder window `document` is in today, or None.

    The windows, each reminded once: the type's minimum remaining validity is no
    longer met (a passport with under 18 months left: a placement needs it, see
    DocumentType.min_remaining_months); 30 days before the validity ends; the day
    after it ended (expired)."""
    until = valid_until(document)
    if until is None:
        return None
    starts = [until + timedelta(days=1), until - timedelta(days=REMIND_DAYS)]
    if document.type.min_remaining_months and document.expires_on:
        starts.append(add_months(document.expires_on, -document.type.min_remaining_months))
    begun = [s for s in starts if s <= today]
    return max(begun) if begun else None
