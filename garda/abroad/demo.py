"""Demo stays abroad for `garda demo`, written through the real services, then dated
back (relative to today):

- Wati (the worker persona) in Kuala Lumpur, reported by herself six weeks ago, her
  contract ending in seven weeks (the 60-day reminder has fired), and a check-in she
  answered "fine";
- a handful of the demo population in Malaysia, Saudi Arabia, Hong Kong and Taiwan,
  taken by Alice, one of them not heard from for two months (an unanswered check-in
  and the lost-contact signal).

Idempotent: a person with a stay is left as they are.
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from garda.abroad.models import CheckIn, Stay
from garda.abroad.services.checkins import checkin_answer
from garda.abroad.services.reminders import run
from garda.abroad.services.stays import StayData, stay_report
from garda.accounts.models import User
from garda.people.models import Person
from garda.places.models import Country

OTHERS = (
    ("MY", "Johor Bahru", "Keluarga Tan", "placed"),
    ("SA", "Riyadh", "Keluarga Al-Harbi", "placed"),
    ("HK", "Kowloon", "Keluarga Chan", "placed"),
    ("TW", "Taichung", "Pabrik Elektronik Sinar", "independent"),
    ("MY", "Penang", "Restoran Nasi Kandar", "independent"),
)


def _data(country, city, employer, departure, *, end: date, phone: str) -> StayData:
    return StayData(
        departure=departure,
        country=country,
        city=city,
        employer_name=employer,
        phone=phone,
        contract_start=end - timedelta(days=730),
        contract_end=end,
        passport_number="C7654321",
        emergency_name="Keluarga di Jakarta",
        emergency_relation="parent",
    )


@transaction.atomic
def populate(users: dict[str, User]) -> int:
    if Country.objects.filter(pk__in=["MY", "SA", "HK", "TW"]).count() != 4:
        return 0
    today = timezone.localdate()
    now = timezone.now()
    made = 0
    wati = users.get("wati")
    person = Person.objects.filter(user=wati).first() if wati else None
    if person is not None and not Stay.objects.filter(person=person).exists():
        stay = stay_report(
            actor=wati,
            person=person,
            data=_data(
                "MY",
                "Kuala Lumpur",
                "Keluarga Lim",
                "placed",
                end=today + timedelta(days=50),
                phone="+60123456700",
            ),
        )
        Stay.objects.filter(pk=stay.pk).update(reported_at=now - timedelta(days=42))
        stay.refresh_from_db()
        checkin_answer(actor=wati, stay=stay, well="yes", help="no", answers={"wages": "paid"})
        made += 1
    alice = users.get("alice")
    others = Person.objects.filter(user__isnull=True, merged_into__isnull=True)
    if alice is None or Stay.objects.filter(reported_by=alice).exists():
        others = others.none()
    for n, (person, row) in enumerate(
        zip(others.order_by("pk")[: len(OTHERS)], OTHERS, strict=False)
    ):
        stay = stay_report(
            actor=alice,
            person=person,
            data=_data(*row, end=today + timedelta(days=120 + 90 * n), phone=""),
        )
        made += 1
        if n == 1:  # not heard from for two months, a check-in unanswered
            Stay.objects.filter(pk=stay.pk).update(
                reported_at=now - timedelta(days=90), last_contact_at=now - timedelta(days=60)
            )
            CheckIn.objects.create(stay=stay, asked_at=now - timedelta(days=20))
    run(now=now)
    return made
