"""Demo outreach for `garda demo`, written through the real services and then dated
back to when it would have happened:

- a campaign, "Sosialisasi Migrasi Aman 2026";
- a socialisation in Pisangan Baru (Jakarta Timur) two months ago, closed: demo
  persons registered with their NIK and checked in, one walk-in without a record
  (the funnel shows them);
- a job fair in Gambir (Jakarta Pusat) next week, open: two online registrations, one
  of them the worker persona Wati's own (her confirmation page shows the QR code);
- a G-to-G information session in Tebet (planned) and a training for village staff;
- two announcements (a broker warning for Jakarta Timur, a G-to-G call for all) and
  Wati's subscription (Jakarta Timur, caregiving).

Idempotent: the campaign's name marks the demo as done.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from garda.outreach.models import Campaign, Event, Registration
from garda.outreach.services.announcements import (
    AnnouncementData,
    SubscriptionData,
    announcement_publish,
    subscription_save,
)
from garda.outreach.services.events import EventData, event_create, event_set_status
from garda.outreach.services.registrations import (
    RegistrationData,
    registration_check_in,
    registration_create,
    registration_walk_in,
)
from garda.people.models import Person

CAMPAIGN = "Sosialisasi Migrasi Aman 2026"


def _event(actor, *, days: int, hours: int = 3, **values) -> Event:
    starts = (timezone.now() + timedelta(days=days)).replace(
        hour=2, minute=0, second=0, microsecond=0
    )  # 09:00 in Jakarta
    return event_create(
        actor=actor,
        data=EventData(starts_at=starts, ends_at=starts + timedelta(hours=hours), **values),
    )


def populate(users: dict) -> dict:
    alice, bob, wati = users.get("alice"), users.get("bob"), users.get("wati")
    if alice is None or Campaign.objects.filter(name=CAMPAIGN).exists():
        return {"events": 0, "registrations": 0, "announcements": 0}
    with transaction.atomic():
        campaign = Campaign.objects.create(
            name=CAMPAIGN,
            description="Sosialisasi prosedur penempatan yang aman di kelurahan-kelurahan DKI.",
        )
        past = _event(
            alice,
            days=-60,
            kind=Event.Kind.SOCIALISATION,
            title="Sosialisasi migrasi aman di Pisangan Baru",
            region_code="31.75.01.1001",
            venue="Aula Kantor Kelurahan Pisangan Baru",
            audience=Event.Audience.PUBLIC,
            capacity=80,
            campaign_id=campaign.pk,
            partners="BP3MI DKI Jakarta; Kelurahan Pisangan Baru",
            budget_line="APBD 2026 Disnakertransgi, kegiatan sosialisasi",
        )
        event_set_status(actor=alice, event=past, status=Event.Status.OPEN)
        people = Person.objects.active().order_by("id")
        if wati is not None:
            people = people.exclude(user=wati)
        people = list(people[:4])
        made = 0
        for person in people:
            r = registration_create(
                actor=alice,
                event=past,
                data=RegistrationData(full_name=person.full_name, nik=person.nik),
                channel=Registration.Channel.DOOR,
            )
            registration_check_in(actor=alice, event=past, code=r.code)
            made += 1
        registration_walk_in(
            actor=alice,
            event=past,
            data=RegistrationData(full_name="Rudi Hartono", phone="081298765432"),
        )
        made += 1
        event_set_status(actor=alice, event=past, status=Event.Status.CLOSED)
        # Dated back: the check-ins happened at the event, before the records were made.
        attended = past.starts_at + timedelta(hours=1)
        Registration.objects.filter(event=past).update(
            registered_at=attended, checked_in_at=attended
        )

        fair = _event(
            alice,
            days=7,
            hours=6,
            kind=Event.Kind.JOB_FAIR,
            title="Bursa kerja luar negeri Jakarta Pusat",
            region_code="31.71.01.1001",
            venue="GOR Gambir",
            audience=Event.Audience.PROSPECTIVE,
            capacity=300,
            campaign_id=campaign.pk,
            partners="Perusahaan penempatan berizin; BP3MI DKI Jakarta",
        )
        event_set_status(actor=alice, event=fair, status=Event.Status.OPEN)
        if wati is not None:
            registration_create(
                actor=wati,
                event=fair,
                data=RegistrationData(full_name=wati.full_name, phone="081311112222"),
            )
            made += 1
        registration_create(
            actor=None,
            event=fair,
            data=RegistrationData(full_name="Nur Aisyah", phone="081377778888"),
        )
        made += 1
        _event(
            bob or alice,
            days=14,
            kind=Event.Kind.G2G_INFO,
            title="Informasi program G to G Korea (EPS)",
            region_code="31.74.01.1001",
            venue="Kantor Kecamatan Tebet",
            audience=Event.Audience.PROSPECTIVE,
            capacity=120,
        )
        _event(
            alice,
            days=21,
            hours=7,
            kind=Event.Kind.CAPACITY_BUILDING,
            title="Pelatihan perangkat kelurahan: migrasi aman dan rujukan kasus",
            region_code="31.75",
            venue="Balai Kota, Ruang Rapat Blok G",
            audience=Event.Audience.VILLAGE_STAFF,
            capacity=40,
            budget_line="APBD 2026 Disnakertransgi, peningkatan kapasitas",
        )
        if wati is not None:
            subscription_save(
                actor=wati,
                data=SubscriptionData(
                    districts=["31.75"], interests=["caregiving"], by_sms=True, phone="081311112222"
                ),
            )
        announcement_publish(
            actor=alice,
            data=AnnouncementData(
                kind="broker_warning",
                title="Waspada calo yang menjanjikan kerja di Timur Tengah",
                body=(
                    "Ada orang yang menawarkan kerja sebagai pekerja rumah tangga di Timur Tengah "
                    "dengan biaya Rp 15 juta. Penempatan itu tidak resmi. "
                    "Laporkan ke Disnakertransgi."
                ),
                region_code="31.75",
            ),
        )
        announcement_publish(
            actor=alice,
            data=AnnouncementData(
                kind="g2g_call",
                title="Pendaftaran program G to G Jepang (perawat) dibuka",
                body=(
                    "Pendaftaran dibuka sampai akhir bulan. "
                    "Datang ke sesi informasi atau daftar di BP3MI."
                ),
                interest="caregiving",
            ),
        )
    return {"events": 4, "registrations": made, "announcements": 2}
