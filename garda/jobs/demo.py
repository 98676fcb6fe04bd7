"""Demo placement companies, employers and job orders for `garda demo`, written
through the real services (so the fair-recruitment checks are real):

- the licence register from the sample file (garda/jobs/data/p3mi-register-sample.csv):
  licensed companies, two suspended (tunda layanan) and one revoked;
- the demo recruiter (DEMO_RECRUITER) works for a licensed one, PT Maju Sejahtera
  Abadi;
- employers in Hong Kong, Taiwan, Korea, Malaysia and Singapore, a partner agency in
  Hong Kong, and an employer in Malaysia on the problematic list;
- job orders: verified and published (a domestic helper in Hong Kong at HKD 5,200, a
  caregiver in Taiwan at TWD 20,000, manufacturing in Korea through the G-to-G EPS
  with no company, a plantation in Malaysia, a domestic helper in Singapore), one
  rejected with its reason, one draft and one waiting for an officer.

Idempotent: companies by licence number (loading the same file changes nothing),
employers and partners by name, orders by their demand-letter number; what exists is
left as it is.
"""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from garda.accounts.models import User
from garda.jobs.models import (
    Employer,
    ForeignPartner,
    JobOrder,
    PlacementAgency,
    ProblemListing,
    Recruiter,
)

SAMPLE = Path(__file__).resolve().parent / "data" / "p3mi-register-sample.csv"
DEMO_COMPANY = "KEP.101/2023"  # PT Maju Sejahtera Abadi, licensed
DEMO_RECRUITER = "sari"  # sari@demo.garda.id (garda/management/commands/demo.py)

EMPLOYERS = {
    "chan": ("Chan Tai Man", "household", "HK", "Hong Kong", "domestic"),
    "lin": ("Lin Mei-Hua", "household", "TW", "Taipei", "care"),
    "daehan": ("Daehan Precision Co., Ltd.", "legal_entity", "KR", "Ansan", "manufacturing"),
    "sawit": ("Ladang Sawit Makmur Sdn Bhd", "legal_entity", "MY", "Kota Kinabalu", "agriculture"),
    "tan": ("Tan Ah Kow", "household", "SG", "Singapore", "domestic"),
    "bad": ("Syarikat Untung Cepat Sdn Bhd", "legal_entity", "MY", "Johor Bahru", "services"),
}
PARTNER = ("Star Employment Agency Ltd", "HK", "Hong Kong", "HK-EA-56789")

NO_COSTS: list = []


def _base_terms(**extra) -> dict:
    values = {
        "positions": 5,
        "positions_female": 0,
        "positions_male": 0,
        "wage_period": "month",
        "hours_per_day": 8,
        "days_per_week": 6,
        "rest_days_per_month": 4,
        "leave_days_per_year": 12,
        "food": "provided",
        "lodging": "provided",
        "insurance": "BPJS Ketenagakerjaan dan asuransi dari pemberi kerja",
        "contract_months": 24,
        "ticket_paid_by": "employer",
        "worker_costs": NO_COSTS,
        "closing_date": timezone.localdate() + timedelta(days=75),
        "min_age": 21,
        "max_age": 45,
    }
    values.update(extra)
    return values


def _orders(employers: dict, partner) -> list[tuple[str, str, dict]]:
    """(demand-letter number, what to do with it, the order's values)."""
    hk = employers["chan"]
    return [
        (
            "DEMO-HK-2026-01",
            "verify",
            _base_terms(
                destination="HK",
                scheme="p2p",
                sector="domestic",
                occupation_code="9111",
                occupation_title="Pengurus rumah tangga",
                city="Hong Kong",
                employer=hk,
                partner=partner,
                positions=3,
                positions_female=3,
                wage_amount=Decimal("5200"),
                wage_currency="HKD",
                description="Merawat rumah keluarga dengan dua anak sekolah.",
            ),
        ),
        (
            "DEMO-TW-2026-01",
            "verify",
            _base_terms(
                destination="TW",
                scheme="p2p",
                sector="care",
                occupation_code="5322",
                occupation_title="Pengasuh lanjut usia",
                city="Taipei",
                employer=employers["lin"],
                positions=1,
                positions_female=1,
                wage_amount=Decimal("20000"),
                wage_currency="TWD",
                description="Merawat seorang nenek berusia 82 tahun di rumahnya.",
            ),
        ),
        (
            "DEMO-KR-2026-01",
            "verify-g2g",
            _base_terms(
                destination="KR",
                scheme="g2g-kr-eps",
                sector="manufacturing",
                occupation_code="8219",
                occupation_title="Operator perakitan komponen",
                city="Ansan",
                employer=employers["daehan"],
                positions=20,
                positions_male=12,
                positions_female=8,
                wage_amount=Decimal("2200000"),
                wage_currency="KRW",
                days_per_week=5,
                rest_days_per_month=8,
                ticket_paid_by="worker",
                contract_months=36,
                min_age=18,
                max_age=39,
                language="Korea",
                language_level="EPS-TOPIK",
                description="Perakitan komponen logam di pabrik; skema G to G (EPS).",
            ),
        ),
        (
            "DEMO-MY-2026-01",
            "verify",
            _base_terms(
                destination="MY",
                scheme="p2p",
                sector="agriculture",
                occupation_code="9211",
                occupation_title="Pekerja perkebunan kelapa sawit",
                city="Kota Kinabalu",
                employer=employers["sawit"],
                positions=15,
                positions_male=15,
                wage_amount=Decimal("1800"),
                wage_currency="MYR",
            ),
        ),
        (
            "DEMO-SG-2026-01",
            "verify",
            _base_terms(
                destination="SG",
                scheme="p2p",
                sector="domestic",
                occupation_code="9111",
                occupation_title="Pengurus rumah tangga",
                city="Singapore",
                employer=employers["tan"],
                positions=2,
                positions_female=2,
                wage_amount=Decimal("650"),
                wage_currency="SGD",
            ),
        ),
        (
            "DEMO-HK-2026-02",
            "reject",
            _base_terms(
                destination="HK",
                scheme="p2p",
                sector="domestic",
                occupation_code="5311",
                occupation_title="Pengasuh anak",
                city="Kowloon",
                employer=hk,
                partner=partner,
                positions=1,
                positions_female=1,
                wage_amount=Decimal("5100"),
                wage_currency="HKD",
                rest_days_per_month=2,
            ),
        ),
        (
            "DEMO-TW-2026-02",
            "draft",
            _base_terms(
                destination="TW",
                scheme="p2p",
                sector="care",
                occupation_code="5322",
                occupation_title="Pengasuh lanjut usia",
                city="Taichung",
                employer=employers["lin"],
                positions=1,
                positions_female=1,
                wage_amount=Decimal("20000"),
                wage_currency="TWD",
            ),
        ),
        (
            "DEMO-HK-2026-03",
            "submit",
            _base_terms(
                destination="HK",
                scheme="p2p",
                sector="domestic",
                occupation_code="9111",
                occupation_title="Pengurus rumah tangga",
                city="Sha Tin",
                employer=hk,
                partner=partner,
                positions=2,
                positions_female=2,
                wage_amount=Decimal("5150"),
                wage_currency="HKD",
            ),
        ),
    ]


REJECT_REASON = (
    "Libur hanya dua hari sebulan: pekerja rumah tangga di Hong Kong berhak satu hari "
    "libur setiap minggu. Perbaiki syarat kerja lalu ajukan lagi."
)


def _verify(order, officer):
    """Publish through the real verification; a warning the checks raise is accepted
    with a reason, as an officer would after reading it."""
    from garda.jobs import checks
    from garda.jobs.services.orders import order_verify

    reasons = {
        c["code"]: "Sudah diperiksa petugas: dapat diterima untuk lowongan ini."
        for c in checks.warnings(order.checks)
    }
    return order_verify(actor=officer, order=order, accepted_warnings=reasons)


def populate(users: dict[str, User]) -> dict[str, int]:
    """Companies, parties, a listing and job orders; returns what was made."""
    from garda.jobs.services.orders import OrderData, order_create, order_reject, order_submit
    from garda.jobs.services.parties import EmployerData, PartnerData, employer_save, partner_save
    from garda.jobs.services.register import agencies_load

    admin, alice, bob = users["admin"], users["alice"], users["bob"]
    loaded = agencies_load(actor=admin, text=SAMPLE.read_text(encoding="utf-8"))
    if loaded.errors:
        raise RuntimeError("; ".join(str(e) for e in loaded.errors))
    company = PlacementAgency.objects.get(licence_number=DEMO_COMPANY)
    recruiter = users.get(DEMO_RECRUITER)
    if recruiter is not None:
        Recruiter.objects.get_or_create(user=recruiter, defaults={"agency": company})
    writer = recruiter or alice

    employers = {}
    for key, (name, kind, country, city, sector) in EMPLOYERS.items():
        employer = Employer.objects.filter(name=name, country=country).first()
        if employer is None:
            employer = employer_save(
                actor=writer if key != "daehan" else alice,
                data=EmployerData(name=name, kind=kind, country=country, city=city, sector=sector),
            )
        employers[key] = employer
    name, country, city, licence = PARTNER
    partner = ForeignPartner.objects.filter(name=name, country=country).first()
    if partner is None:
        partner = partner_save(
            actor=writer,
            data=PartnerData(name=name, country=country, city=city, licence_number=licence),
        )

    listings = 0
    bad = employers["bad"]
    if not ProblemListing.objects.filter(employer=bad).exists():
        from garda.jobs.services.parties import listing_add

        listing_add(
            actor=bob,
            employer=bad,
            reason="Gaji pekerja tidak dibayar empat bulan dan paspor ditahan.",
            source="Nota Atase Ketenagakerjaan KBRI Kuala Lumpur No. 12/2026",
            listed_on=timezone.localdate() - timedelta(days=40),
        )
        listings = 1

    made = 0
    for number, action, values in _orders(employers, partner):
        if JobOrder.objects.filter(number=number).exists():
            continue
        g2g = action == "verify-g2g"
        order = order_create(
            actor=alice if g2g else writer,
            data=OrderData(number=number, agency=None if g2g else company, **values),
        )
        if action != "draft":
            order = order_submit(actor=alice if g2g else writer, order=order)
        if action.startswith("verify"):
            _verify(order, alice)
        elif action == "reject":
            order_reject(actor=alice, order=order, reason=REJECT_REASON)
        made += 1
    return {
        "agencies": loaded.created,
        "employers": len(employers),
        "listings": listings,
        "orders": made,
    }


def populate_pipeline(users: dict[str, User]) -> dict[str, int]:
    """Issue 15 in the demo, through the real services (docs/applications.md,
    docs/placement.md), idempotent (what exists is left as it is):

    - Wati (the worker persona) wants domestic work in Hong Kong and has applied to
      the Hong Kong order; Sari, the company's recruiter, shortlisted her;
    - a person ready in the registry is nominated by Alice to the same order and has
      not answered yet (the company does not see her);
    - another ready person, nominated to the caregiver order in Taiwan, said yes by
      phone (Alice recorded it), was selected and has a placement: the contract as
      signed pays less than the order (flagged), the departure is in five days and
      BPJS, orientation and visa are still missing (the departures board shows it);
    - a pre-departure orientation session next week.
    """
    from garda.jobs.models import Application, OrientationSession, WorkerPreference
    from garda.jobs.services.applications import (
        application_create,
        application_move,
        application_nominate,
        nomination_accept,
    )
    from garda.jobs.services.orientation import SessionData, session_create
    from garda.jobs.services.placement import (
        ContractData,
        placement_create,
        placement_record_contract,
        placement_update,
    )
    from garda.people.models import Person, Sex, Status

    alice, sari, wati = users.get("alice"), users.get("sari"), users.get("wati")
    hk = JobOrder.objects.filter(number="DEMO-HK-2026-01", status=JobOrder.Status.VERIFIED).first()
    tw = JobOrder.objects.filter(number="DEMO-TW-2026-01", status=JobOrder.Status.VERIFIED).first()
    made = {"applications": 0, "placements": 0, "sessions": 0}
    if alice is None or hk is None or tw is None:
        return made
    worker = Person.objects.filter(user=wati).first() if wati else None
    if worker is not None:
        WorkerPreference.objects.get_or_create(
            person=worker, defaults={"destinations": ["HK", "SG"], "sectors": ["domestic"]}
        )
        if not Application.objects.filter(order=hk, person=worker).exists():
            app = application_create(actor=wati, order=hk, person=worker)
            application_move(actor=sari or alice, application=app, to_status="shortlisted")
            made["applications"] += 1
    ready = list(
        Person.objects.filter(status=Status.READY, sex=Sex.FEMALE, merged_into__isnull=True)
        .exclude(applications__isnull=False)
        .order_by("id")[:2]
    )
    if Application.objects.filter(order=hk, source="nomination").exists():
        ready = ready[1:]
    elif ready:
        application_nominate(actor=alice, order=hk, person=ready.pop(0))
        made["applications"] += 1
    today = timezone.localdate()
    if ready and not Application.objects.filter(order=tw).exists():
        app = application_nominate(actor=alice, order=tw, person=ready[0])
        app = nomination_accept(
            actor=alice, application=app, reason="Setuju lewat telepon, 2 Desember"
        )
        for step in ("shortlisted", "interviewed", "selected"):
            app = application_move(actor=sari or alice, application=app, to_status=step)
        placement = placement_create(actor=alice, application=app)
        placement = placement_record_contract(
            actor=alice,
            placement=placement,
            data=ContractData(
                signed_on=today - timedelta(days=2),
                months=tw.contract_months or 36,
                wage_amount=(tw.wage_amount or Decimal("20000")) - Decimal("1000"),
                wage_currency=tw.wage_currency or "TWD",
                wage_period=tw.wage_period,
            ),
        )
        placement_update(
            actor=alice,
            placement=placement,
            section="travel",
            data={"departure_date": today + timedelta(days=5), "flight": "CI 762"},
        )
        made["applications"] += 1
        made["placements"] += 1
    if not OrientationSession.objects.exists():
        session_create(
            actor=alice,
            data=SessionData(
                starts_at=timezone.now().replace(hour=2, minute=0, second=0, microsecond=0)
                + timedelta(days=7),
                place="BP3MI DKI Jakarta, Jl. Pengadegan Timur Raya No. 28",
                capacity=40,
                destination="TW",
                notes="Orientasi pra-pemberangkatan untuk pekerja ke Taiwan dan Hong Kong.",
            ),
        )
        made["sessions"] += 1
    return made
