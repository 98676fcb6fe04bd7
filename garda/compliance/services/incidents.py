"""The incident register (UU 27/2022 art. 46): record a personal-data breach, find the
persons it touched from the audit trail, tell each of them once from the template,
and record that the authority was informed; the 72-hour clock runs from discovery.

Finding the persons reads AuditEvent rows of one account in a time window (at most
MAX_WINDOW): the index (actor, -created_at) bounds the scan to that account's rows in
the window, and one grouped query returns each object read with its count, so the
work does not grow with the size of the audit trail. Rows naming a person, one of
their documents, cases, enrolments or certificates count (READ_ACTIONS); a list
export (no object on its row) cannot be traced to persons (docs/compliance.md).
"""

from collections import defaultdict
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from garda.accounts.models import User
from garda.accounts.notify import notify
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.cases.models import Case
from garda.compliance.access import INCIDENT_ROLES
from garda.compliance.models import Incident, IncidentPerson
from garda.documents.models import Document
from garda.models import ReferenceSequence
from garda.people.models import Person
from garda.training.models import Certificate, Enrolment

REFERENCE_PREFIX = "INS"
MAX_WINDOW = timedelta(days=31)
# More rows than this in one search: narrow the window (the page says so).
MAX_ROWS = 200_000
READ_ACTIONS = (
    AuditEvent.Action.VIEW,
    AuditEvent.Action.REVEAL,
    AuditEvent.Action.EXPORT,
    AuditEvent.Action.SHARE,
    AuditEvent.Action.UPDATE,
)
# object_type of an audit row -> (model, its person field); "pk" is the person itself.
TRACED = {
    "people.person": (Person, "pk"),
    "documents.document": (Document, "person_id"),
    "cases.case": (Case, "person_id"),
    "training.enrolment": (Enrolment, "person_id"),
    "training.certificate": (Certificate, "person_id"),
}
NOTIFY_BATCH = 500
CHANNEL_APP, CHANNEL_EMAIL, CHANNEL_NONE = "app", "email", "none"


def _ensure(actor: User, what: str) -> None:
    if actor.role not in INCIDENT_ROLES:
        deny(actor, what)


FIELDS = (
    "title",
    "description",
    "kind",
    "systems",
    "discovered_at",
    "data_concerned",
    "measures",
    "advice",
    "contact",
)


def incident_create(*, actor: User, **data) -> Incident:
    """Record an incident; `data` holds FIELDS (cleaned by IncidentForm)."""
    _ensure(actor, "compliance.incident_create")
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    if data["discovered_at"] > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"discovered_at": _("The discovery cannot be in the future.")})
    with transaction.atomic():
        incident = Incident(
            reference=ReferenceSequence.next_reference(REFERENCE_PREFIX, timezone.localdate().year),
            created_by=actor,
            **data,
        )
        incident.full_clean()
        incident.save()
        audit_record(
            actor=actor, action=AuditEvent.Action.CREATE, target=incident, changed_fields=FIELDS
        )
    return incident


def touched_persons(account: User, since: datetime, until: datetime) -> dict[int, dict]:
    """The persons `account` read between `since` and `until`, from the audit trail:
    {person_id: {"events", "first", "last"}}. Raises ValidationError when the window
    is wrong or holds more rows than one search may read."""
    if since >= until:
        raise ValidationError({"until": _("The end of the window must come after its start.")})
    if until - since > MAX_WINDOW:
        raise ValidationError({"until": _("Search at most 31 days at a time.")})
    rows = AuditEvent.objects.filter(
        actor_id=account.pk,
        created_at__gte=since,
        created_at__lt=until,
        action__in=READ_ACTIONS,
        object_type__in=TRACED,
    ).exclude(object_id="")
    if rows.count() > MAX_ROWS:
        raise ValidationError({"until": _("Too many audit rows: search a shorter window.")})
    grouped = rows.values("object_type", "object_id").annotate(
        n=Count("id"), first=Min("created_at"), last=Max("created_at")
    )
    by_type: dict[str, dict[int, dict]] = defaultdict(dict)
    for row in grouped:
        if row["object_id"].isdigit():
            by_type[row["object_type"]][int(row["object_id"])] = row
    found: dict[int, dict] = {}
    for object_type, objects in by_type.items():
        model, person_field = TRACED[object_type]
        ids = list(objects)
        for start in range(0, len(ids), 5000):
            pairs = (
                model.objects.filter(pk__in=ids[start : start + 5000])
                .exclude(**{f"{person_field}__isnull": True})
                .values_list("pk", person_field)
            )
            for pk, person_id in pairs:
                row = objects[pk]
                seen = found.setdefault(
                    person_id, {"events": 0, "first": row["first"], "last": row["last"]}
                )
                seen["events"] += row["n"]
                seen["first"] = min(seen["first"], row["first"])
                seen["last"] = max(seen["last"], row["last"])
    return found


def incident_find_persons(
    *, actor: User, incident: Incident, account: User, since: datetime, until: datetime
) -> int:
    """Add to `incident` the persons `account` read in the window; returns how many
    were new. Persons found before keep their row (and their notification)."""
    _ensure(actor, "compliance.incident_find_persons")
    found = touched_persons(account, since, until)
    with transaction.atomic():
        existing = set(
            IncidentPerson.objects.filter(incident=incident, person_id__in=list(found)).values_list(
                "person_id", flat=True
            )
        )
        new = [
            IncidentPerson(
                incident=incident,
                person_id=person_id,
                events=seen["events"],
                first_seen_at=seen["first"],
                last_seen_at=seen["last"],
            )
            for person_id, seen in sorted(found.items())
            if person_id not in existing
        ]
        IncidentPerson.objects.bulk_create(new, batch_size=1000)
        Incident.objects.filter(pk=incident.pk).update(
            search_actor=account, search_from=since, search_to=until
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=incident,
            changed_fields=["persons", "search_actor", "search_from", "search_to"],
            reason=f"persons from audit of user {account.pk}: {len(found)} found, {len(new)} new",
        )
    return len(new)


def notice(incident: Incident) -> tuple[str, str]:
    """The title and text a touched person receives (Indonesian: the template of
    docs/compliance.md, with what happened, what data, what Garda did, what they can
    do and whom to contact)."""
    with translation.override("id"):
        title = _("Notice of a personal data breach (%(reference)s)") % {
            "reference": incident.reference
        }
        body = _(
            "On %(date)s Garda found a breach that may have touched your personal data. "
            "We tell you as the law on personal data protection (UU 27/2022 art. 46) "
            "requires.\n\n"
            "What happened: %(what)s\n\n"
            "Which of your data: %(data)s\n\n"
            "What Garda did: %(measures)s\n\n"
            "What you can do: %(advice)s\n\n"
            "Whom to contact: %(contact)s\n\n"
            "Incident number: %(reference)s"
        ) % {
            "date": date_format(timezone.localtime(incident.discovered_at), "j F Y"),
            "what": incident.description,
            "data": incident.data_concerned,
            "measures": incident.measures,
            "advice": incident.advice,
            "contact": incident.contact,
            "reference": incident.reference,
        }
    return title, body


def incident_notify(*, actor: User, incident: Incident) -> dict:
    """Tell every touched person not told yet, once: an in-app notification (and its
    e-mail) when they have an account, else an e-mail to the registry's address; a
    person with neither is counted for the officers to reach by phone or visit.
    At most NOTIFY_BATCH persons per call (the page offers the rest again)."""
    _ensure(actor, "compliance.incident_notify")
    title, body = notice(incident)
    told = {CHANNEL_APP: 0, CHANNEL_EMAIL: 0, CHANNEL_NONE: 0}
    with transaction.atomic():
        pending = list(
            IncidentPerson.objects.select_for_update(of=("self",))
            .filter(incident=incident, notified_at__isnull=True)
            .exclude(channel=CHANNEL_NONE)
            .select_related("person__user")
            .order_by("id")[:NOTIFY_BATCH]
        )
        now = timezone.now()
        for row in pending:
            person = row.person
            if person.user is not None and person.user.is_active:
                notify(user=person.user, title=title, body=body)
                row.channel, row.notified_at, row.notified_by = CHANNEL_APP, now, actor
            elif person.email:
                address = person.email
                transaction.on_commit(
                    lambda address=address: send_mail(
                        subject=f"Garda: {title}",
                        message=body,
                        from_email=None,
                        recipient_list=[address],
                        fail_silently=True,
                    )
                )
                row.channel, row.notified_at, row.notified_by = CHANNEL_EMAIL, now, actor
            else:
                row.channel = CHANNEL_NONE
            told[row.channel] += 1
        IncidentPerson.objects.bulk_update(pending, ["channel", "notified_at", "notified_by"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=incident,
            changed_fields=["persons.notified_at"],
            reason=(
                f"notified: {told[CHANNEL_APP]} in app, {told[CHANNEL_EMAIL]} by e-mail, "
                f"{told[CHANNEL_NONE]} without a channel"
            ),
        )
    return told


def incident_authority_informed(
    *, actor: User, incident: Incident, informed_at: datetime, note: str
) -> Incident:
    """Record that the authority (and the agency's leadership) was informed."""
    _ensure(actor, "compliance.incident_authority")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say whom you informed and how.")})
    if informed_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"informed_at": _("That time is in the future.")})
    if informed_at < incident.discovered_at - timedelta(days=1):
        raise ValidationError({"informed_at": _("That is before the incident was discovered.")})
    with transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(
            authority_informed_at=informed_at, authority_note=note[:500]
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=incident,
            changed_fields=["authority_informed_at", "authority_note"],
        )
    incident.refresh_from_db()
    return incident
