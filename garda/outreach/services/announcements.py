"""Announcements and subscriptions (docs/outreach.md, "Announcements").

`announcement_publish` puts a notice on the public portal and tells the workers
subscribed to its district and interest: in the app (a Notification), by e-mail and
by SMS/WhatsApp (senders.py) as each chose. The recipients are found in one query and
written in bulk (notifications, deliveries): the cost does not grow in queries with
the number of recipients; e-mails and messages leave after the commit.
"""

from dataclasses import dataclass

from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from garda.accounts import roles
from garda.accounts.models import Notification, User
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.links import absolute_url
from garda.outreach.access import WRITE_ROLES
from garda.outreach.models import Announcement, Delivery, Subscription
from garda.outreach.senders import Message, get_sender
from garda.outreach.services.common import error
from garda.places.models import Region
from garda.training.models import Sector

# What a worker may follow besides the training sectors: the G-to-G calls.
INTERESTS = [*Sector.choices, ("g2g", "G-to-G")]
INTEREST_CODES = frozenset(code for code, _label in INTERESTS)
SMS_LIMIT = 300


@dataclass
class AnnouncementData:
    kind: str
    title: str
    body: str
    region_code: str = ""
    interest: str = ""


def _region(code: str, name: str) -> Region | None:
    code = (code or "").strip()
    if not code:
        return None
    region = Region.objects.filter(code=code).exclude(level=Region.Level.PROVINCE).first()
    if region is None:
        raise error(name, _("Give the code of a city or regency (e.g. 31.71)."), "invalid")
    return region


def subscribers(announcement: Announcement):
    """The subscriptions an announcement reaches: active, of an active worker, whose
    districts include its city (or are empty: everywhere) and whose interests include
    its interest (or are empty: everything). One query."""
    found = Subscription.objects.filter(
        active=True, user__is_active=True, user__groups__name=roles.WORKER
    )
    if announcement.regency_code:
        found = found.filter(
            Q(districts="") | Q(districts__contains=f",{announcement.regency_code},")
        )
    if announcement.interest:
        found = found.filter(Q(interests="") | Q(interests__contains=f",{announcement.interest},"))
    return found.select_related("user")


def announcement_publish(*, actor: User, data: AnnouncementData) -> Announcement:
    if getattr(actor, "role", None) not in WRITE_ROLES:
        deny(actor, "outreach.announcement_publish")
    if data.kind not in Announcement.Kind.values:
        raise error("kind", _("Choose the kind of announcement from the list."), "invalid_choice")
    title = (data.title or "").strip()
    body = (data.body or "").strip()
    if not title:
        raise error("title", _("This field is required."), "required")
    if len(title) > 200:
        raise error("title", _("Keep it under %(n)s characters.") % {"n": 200}, "max_length")
    if not body:
        raise error("body", _("This field is required."), "required")
    if len(body) > 5000:
        raise error("body", _("Keep it under %(n)s characters.") % {"n": 5000}, "max_length")
    interest = (data.interest or "").strip()
    if interest and interest not in INTEREST_CODES:
        raise error("interest", _("Choose the interest from the list."), "invalid_choice")
    region = _region(data.region_code, "region_code")
    now = timezone.now()
    with transaction.atomic():
        announcement = Announcement.objects.create(
            kind=data.kind,
            title=title,
            body=body,
            region=region,
            regency_code=region.code[:5] if region else "",
            interest=interest,
            published_at=now,
            created_by=actor,
        )
        recipients = list(subscribers(announcement))
        _deliver(announcement, recipients, now)
        announcement.recipients = len(recipients)
        Announcement.objects.filter(pk=announcement.pk).update(recipients=len(recipients))
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            target=announcement,
            changed_fields=["title", "body"],
            reason="announcement published",
        )
    return announcement


def _deliver(announcement: Announcement, recipients: list[Subscription], now) -> None:
    url = reverse("outreach:announcements") + f"#a{announcement.pk}"
    notes, deliveries, mails, texts = [], [], [], []
    link = absolute_url(url)
    for sub in recipients:
        user = sub.user
        notes.append(
            Notification(user=user, title=announcement.title[:200], body=announcement.body, url=url)
        )
        deliveries.append(
            Delivery(announcement=announcement, user=user, channel="in_app", created_at=now)
        )
        if sub.by_email and user.email:
            mails.append(
                (
                    f"Garda: {announcement.title}",
                    f"{announcement.body}\n\n{link}",
                    None,
                    [user.email],
                )
            )
            deliveries.append(
                Delivery(announcement=announcement, user=user, channel="email", created_at=now)
            )
        if sub.by_sms and sub.phone:
            text = f"Garda: {announcement.title} {link}"[:SMS_LIMIT]
            texts.append(Message(phone=sub.phone, text=text))
            deliveries.append(
                Delivery(announcement=announcement, user=user, channel="sms", created_at=now)
            )
    Notification.objects.bulk_create(notes, batch_size=500)
    Delivery.objects.bulk_create(deliveries, batch_size=500)
    if mails:
        transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))
    if texts:
        transaction.on_commit(lambda: get_sender().send(texts))


@dataclass
class SubscriptionData:
    districts: list[str]
    interests: list[str]
    by_email: bool = True
    by_sms: bool = False
    phone: str = ""
    active: bool = True


def subscription_save(*, actor: User, data: SubscriptionData) -> Subscription:
    """A worker's own subscription: the cities/regencies and interests they follow."""
    if getattr(actor, "role", None) != roles.WORKER:
        deny(actor, "outreach.subscription_save")
    districts = sorted({(c or "").strip() for c in data.districts if (c or "").strip()})
    if len(districts) > 30:
        raise error("districts", _("Choose at most 30 places."), "max_length")
    if districts:
        known = set(
            Region.objects.filter(code__in=districts, level=Region.Level.REGENCY).values_list(
                "code", flat=True
            )
        )
        unknown = [c for c in districts if c not in known]
        if unknown:
            raise error("districts", _("Choose cities or regencies from the list."), "invalid")
    interests = sorted({c for c in data.interests if c})
    if any(c not in INTEREST_CODES for c in interests):
        raise error("interests", _("Choose the interests from the list."), "invalid_choice")
    phone = (data.phone or "").strip()
    if data.by_sms and not phone:
        raise error("phone", _("Give the phone number for SMS/WhatsApp."), "required")
    if phone:
        from django import forms as django_forms

        from garda.people.forms import normalize_phone

        try:
            phone = normalize_phone(phone)
        except django_forms.ValidationError as exc:
            raise error("phone", exc.messages[0], "invalid_phone") from None
    with transaction.atomic():
        sub, _created = Subscription.objects.update_or_create(
            user=actor,
            defaults={
                "districts": Subscription.pack(districts),
                "interests": Subscription.pack(interests),
                "by_email": bool(data.by_email),
                "by_sms": bool(data.by_sms),
                "phone": phone,
                "active": bool(data.active),
                "updated_at": timezone.now(),
            },
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=sub,
            changed_fields=["districts", "interests", "by_email", "by_sms", "phone", "active"],
        )
    return sub
