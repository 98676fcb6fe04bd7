"""Demo interceptions for `garda demo`, written through the real services:

- four people stopped at Soekarno–Hatta (in Banten) on tourist visas, one at Tanjung
  Priok and one at the Entikong land border, handed over to Disnakertransgi;
- one with signs of trafficking (a debt to the sponsor, the passport held by him):
  a case for the task force;
- one with no NIK known: not in the registry yet;
- the same company named five times under several spellings: a lead for the task
  force (the supervisors are told once).

Idempotent: an interception is known by the person's name and the place.
"""

from datetime import date, timedelta

from django.utils import timezone

from garda.interceptions.models import Interception
from garda.interceptions.services.record import InterceptionData, interception_record
from garda.places.models import Country, Region

COMPANY = ["PT. Cahaya Gemilang Mandiri", "pt cahaya gemilang mandiri", "Cahaya Gemilang Mandiri"]
TRAFFICKING = {"debt": "yes", "documents": "held", "irregular": "yes"}
TOURIST = {"irregular": "yes"}

# name, NIK (serial) or None, days ago, place kind, place, region code, country,
# answers, brokers
ROWS = [
    (
        "Nurhayati",
        9901,
        40,
        "airport",
        "Bandara Soekarno-Hatta, Terminal 3",
        "36.71",
        "MY",
        TOURIST,
        [(COMPANY[0], "company")],
    ),
    (
        "Sumiati",
        9902,
        32,
        "airport",
        "Bandara Soekarno-Hatta, Terminal 3",
        "36.71",
        "KH",
        TRAFFICKING,
        [(COMPANY[1], "company"), ("Pak Darto", "broker")],
    ),
    (
        "Lilis Suryani",
        9903,
        25,
        "seaport",
        "Pelabuhan Tanjung Priok",
        "31.72",
        "MY",
        TOURIST,
        [(COMPANY[2], "company")],
    ),
    (
        "Eka Wulandari",
        None,
        18,
        "land_border",
        "PLBN Entikong",
        "61.05",
        "MY",
        TOURIST,
        [(COMPANY[0], "company")],
    ),
    (
        "Siti Maemunah",
        9905,
        6,
        "airport",
        "Bandara Soekarno-Hatta, Terminal 2",
        "36.71",
        "SA",
        TOURIST,
        [(COMPANY[1], "company"), ("Bu Ijah", "broker")],
    ),
]


def _nik(serial: int) -> str:
    """A valid NIK of Jakarta Pusat for a woman born on 9 September 1999 (day + 40)."""
    return f"317101{9 + 40:02d}0999{serial:04d}"


def populate(users: dict) -> dict:
    alice, bob = users["alice"], users["bob"]
    made = 0
    for name, serial, days, kind, place, region, country, answers, brokers in ROWS:
        if Interception.objects.filter(subject_name=name, place_name=place).exists():
            continue
        when = timezone.now() - timedelta(days=days)
        interception_record(
            actor=alice,
            data=InterceptionData(
                intercepted_at=when,
                place_kind=kind,
                place_name=place,
                region_code=region if Region.objects.filter(code=region).exists() else "",
                intercepted_by_text="Imigrasi" if kind != "seaport" else "Polres Pelabuhan",
                handed_over_at=when + timedelta(hours=20),
                handed_over_to_id=alice.agency_id,
                handed_over_to_name=bob.full_name,
                person_full_name=name,
                person_nik=_nik(serial) if serial else "",
                person_sex="F",
                person_birth_date=date(1999, 9, 9),
                destination_code=country if Country.objects.filter(code=country).exists() else "",
                intended_job="Asisten rumah tangga",
                documents={"passport": "broker" if answers is TRAFFICKING else "self"},
                shelter="Rumah aman BP3MI Banten, Benda" if kind == "airport" else "",
                answers=dict(answers),
                brokers=[{"name": n, "kind": k} for n, k in brokers],
            ),
        )
        made += 1
    return {"interceptions": made, "total": Interception.objects.count()}
