"""Demo protection cases for `garda demo`: a handful of reports from several channels,
in several stages and severities, written through the real services (intake, moves,
assignment, notes, services, screening), then dated back to when they would have
happened (relative to today):

- a public report by a mother about her daughter in Malaysia (wages, wants to go
  home), triaged, with a message for the reporter: it has a tracking secret, the
  demo's public one (DEMO_TRACKING_SECRET), printed with the logins;
- a hotline call this morning about a worker ill in Saudi Arabia, in the intake
  queue (nobody holds it yet);
- a report from the embassy in Kuala Lumpur: trafficking signs from the forced-labour
  screening (documents held, locked in, threats), critical, for the task force, held
  by Alice with an internal note, a shared message and a shelter planned;
- Wati's own report from her portal (contract and wages), held by Alice, waiting on
  the placement company: the worker persona sees this one;
- a walk-in about detention, held by Alice five weeks: its resolution deadline is
  breached and escalated (the escalation job has run);
- a brother's report of lost contact, resolved;
- a case held by Carol at Dinsos (another agency: Bob does not see it).

Idempotent: a demo case is known by its reporter and the person concerned
(`subject_name`); one that exists is left as it is.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from garda.accounts.models import User
from garda.cases import policy
from garda.cases.access import tracking_index
from garda.cases.clocks import risk_at
from garda.cases.models import Case, Clock, Note, Screening, Service, StageChange
from garda.cases.services import handling, intake, record
from garda.places.models import Country

# Public, like the demo password: only ever valid in a demo database.
DEMO_TRACKING_SECRET = "Lacak-Demo-2026"  # noqa: S105

TRAFFICKING_ANSWERS = {
    "documents": "held",
    "movement": "no",
    "threats": "yes",
    "deception": "different",
    "wages": "three_months",
    "isolation": "no",
    "living": "abusive",
}


@dataclass(frozen=True)
class Plan:
    subject: str
    reporter: str
    relationship: str
    channel: str
    kinds: tuple[str, ...]
    description: str
    country: str  # ISO code
    city: str
    hours_ago: float
    by: str = ""  # who opened it: "alice", "carol", "wati"; "" for the public form
    stages: tuple[str, ...] = ()  # moves after intake (assign before "assigned")
    owner: str = ""
    internal: str = ""
    shared: str = ""
    service: str = ""
    answers: dict = field(default_factory=dict)
    public: bool = False  # the demo's tracking secret


PLANS = (
    Plan(
        subject="Rina Marlina",
        reporter="Sumiati",
        relationship="parent",
        channel="public",
        kinds=("wages", "go_home"),
        description=(
            "Anak saya bekerja sebagai pekerja rumah tangga di Johor Bahru. Sudah empat "
            "bulan gajinya tidak dibayar dan dia ingin pulang, tetapi majikan menolak."
        ),
        country="MY",
        city="Johor Bahru",
        hours_ago=30,
        by="",
        stages=("triaged",),
        shared=(
            "Ibu Sumiati, laporan Ibu sudah kami terima dan sedang kami periksa. Kami akan "
            "menghubungi KBRI Kuala Lumpur dan memberi kabar di halaman ini."
        ),
        public=True,
    ),
    Plan(
        subject="Siti Nurhaliza",
        reporter="Ahmad Fauzi",
        relationship="spouse",
        channel="hotline",
        kinds=("illness", "go_home"),
        description=(
            "Suami menelepon: istrinya dirawat di rumah sakit di Riyadh karena sakit "
            "ginjal, majikan tidak mau menanggung biaya dan paspornya ditahan."
        ),
        country="SA",
        city="Riyadh",
        hours_ago=3,
        by="alice",
    ),
    Plan(
        subject="Yuliana Sari",
        reporter="Fungsi Pelindungan WNI KBRI Kuala Lumpur",
        relationship="official",
        channel="embassy",
        kinds=("trafficking", "abuse"),
        description=(
            "KBRI menerima pengaduan: pekerja dijanjikan kerja di restoran, ternyata "
            "dipekerjakan di rumah tanpa libur, paspor ditahan, tidak boleh keluar, dan "
            "diancam jika melapor."
        ),
        country="MY",
        city="Kuala Lumpur",
        hours_ago=20,
        by="alice",
        stages=("triaged", "assigned", "in_progress"),
        owner="alice",
        internal=(
            "Sudah dikoordinasikan dengan Satgas TPPO Polda Metro Jaya. Jangan hubungi "
            "nomor majikan; kontak hanya lewat KBRI."
        ),
        shared="Kami sedang bekerja sama dengan KBRI untuk membawa Anda ke tempat aman.",
        service="shelter",
        answers=TRAFFICKING_ANSWERS,
    ),
    Plan(
        subject="Wati Susilawati",
        reporter="Wati Susilawati",
        relationship="self",
        channel="portal",
        kinds=("contract", "wages"),
        description=(
            "Kontrak saya di Hong Kong berbeda dari yang dijanjikan P3MI: gaji lebih "
            "rendah dan potongan biaya penempatan setiap bulan."
        ),
        country="HK",
        city="Hong Kong",
        hours_ago=24 * 6,
        by="wati",
        stages=("triaged", "assigned", "in_progress", "waiting"),
        owner="alice",
        internal="P3MI sudah dikirimi surat klarifikasi; tunggu jawaban 5 hari kerja.",
        shared=(
            "Ibu Wati, kami sudah meminta P3MI menjelaskan perbedaan kontrak dan potongan "
            "gaji. Kami kabari lagi setelah ada jawaban."
        ),
    ),
    Plan(
        subject="Dedi Kurniawan",
        reporter="Dedi Kurniawan",
        relationship="self",
        channel="walk_in",
        kinds=("detention",),
        description=(
            "Datang ke kantor setelah pulang dari Taiwan: rekan kerjanya masih ditahan "
            "imigrasi di Taoyuan karena izin tinggal habis; minta bantuan hukum."
        ),
        country="TW",
        city="Taoyuan",
        hours_ago=24 * 35,
        by="alice",
        stages=("triaged", "assigned", "in_progress"),
        owner="alice",
        internal="Menunggu KDEI Taipei menunjuk pengacara.",
        service="legal_aid",
    ),
    Plan(
        subject="Eko Prasetyo",
        reporter="Sri Wahyuni",
        relationship="sibling",
        channel="family",
        kinds=("lost_contact",),
        description="Adik saya di Korea tidak bisa dihubungi sejak tiga minggu lalu.",
        country="KR",
        city="Ansan",
        hours_ago=24 * 14,
        by="alice",
        stages=("triaged", "assigned", "in_progress", "resolved"),
        owner="alice",
        shared="Kabar baik: Eko sudah bisa dihubungi lewat KBRI Seoul dan dalam keadaan sehat.",
    ),
    Plan(
        subject="Nur Aini",
        reporter="Dinas Sosial Kabupaten Indramayu",
        relationship="official",
        channel="agency",
        kinds=("undocumented", "go_home"),
        description="Pekerja tanpa dokumen di Malaysia meminta dipulangkan melalui Dinsos.",
        country="MY",
        city="Penang",
        hours_ago=24 * 4,
        by="carol",
        stages=("triaged", "assigned", "in_progress"),
        owner="carol",
        service="repatriation",
    ),
)


def _exists(plan: Plan) -> bool:
    return Case.objects.filter(subject_name=plan.subject, reporter_name=plan.reporter).exists()


def _back_date(case: Case, hours: float) -> None:
    """Move the case's history `hours` into the past: it was reported then, each move
    followed at an even pace (at most 12 hours apart, 45 minutes for a critical case),
    notes and services at the last move; the clocks restart from the report and fall
    due as the policy says (working days and holidays included)."""
    now = timezone.now()
    opened = now - timedelta(hours=hours)
    changes = list(StageChange.objects.filter(case=case).order_by("at", "id"))
    # Each move promptly (within the first response and assignment targets): the
    # one breached clock of the demo is a resolution left running too long.
    cap = timedelta(minutes=45) if case.severity == "critical" else timedelta(hours=12)
    step = min(timedelta(hours=hours) / 2 / max(1, len(changes)), cap)
    when = {}
    for i, change in enumerate(changes):
        at = opened + step * i
        StageChange.objects.filter(pk=change.pk).update(at=at)
        when[change.to_stage] = at
    last = opened + step * max(0, len(changes) - 1)
    Case.objects.filter(pk=case.pk).update(created_at=opened, updated_at=last)
    Screening.objects.filter(case=case).update(asked_at=opened)
    Note.objects.filter(case=case).update(created_at=last)
    pol = policy.current()
    done_at = {
        "first_response": when.get("triaged", opened if case.created_by_id else None),
        "assignment": when.get("assigned"),
        "resolution": when.get("resolved"),
    }
    for clock in Clock.objects.filter(case=case):
        due = pol.due(case.severity, clock.name, opened)
        Clock.objects.filter(pk=clock.pk).update(
            started_at=opened,
            due_at=due,
            risk_at=risk_at(opened, due, pol.at_risk_fraction),
            done_at=(done_at[clock.name] or last) if clock.done_at else None,
        )
    for service in Service.objects.filter(case=case):
        Service.objects.filter(pk=service.pk).update(
            created_at=last, due_at=last + (service.due_at - service.created_at)
        )


def _open(plan: Plan, people: dict[str, User]) -> tuple[Case, str]:
    data = intake.ReportData(
        reporter_name=plan.reporter,
        relationship=plan.relationship,
        person_name=plan.subject,
        kinds=list(plan.kinds),
        description=plan.description,
        reporter_phone="" if plan.channel == "portal" else "+6281299990000",
        country=Country.objects.filter(code=plan.country).first(),
        city=plan.city,
        answers=dict(plan.answers),
    )
    return intake.case_open(actor=people.get(plan.by), data=data, channel=plan.channel)


def _build(plan: Plan, people: dict[str, User]) -> tuple[Case, str]:
    bob, admin = people["bob"], people["admin"]
    case, secret = _open(plan, people)
    owner = people.get(plan.owner)
    for stage in plan.stages:
        if stage == "assigned":
            manager = admin if owner.agency_id != bob.agency_id else bob
            case = handling.case_assign(
                actor=manager, case=case, officer=owner, reason="Ditugaskan"
            )
            continue
        actor = owner or people.get(plan.by) or bob
        case = handling.case_move(actor=actor, case=case, stage=stage, reason=_REASONS[stage])
    writer = owner or bob
    if plan.internal:
        record.note_add(actor=writer, case=case, text=plan.internal)
    if plan.shared:
        record.note_add(actor=writer, case=case, text=plan.shared, shared=True)
    if plan.service:
        record.service_plan(actor=writer, case=case, type=plan.service, timeframe="3_days")
    if plan.public:
        secret = DEMO_TRACKING_SECRET
        Case.objects.filter(pk=case.pk).update(tracking_index=tracking_index(secret))
    _back_date(case, plan.hours_ago)
    return case, secret


_REASONS = {
    "triaged": "Sudah diperiksa: data cukup untuk ditangani",
    "in_progress": "Mulai ditangani",
    "waiting": "Menunggu jawaban P3MI",
    "resolved": "Masalah selesai",
}


def _back_date_escalations() -> None:
    from garda.cases.models import Escalation

    pol = policy.current()
    subjects = [p.subject for p in PLANS]
    for row in Escalation.objects.filter(case__subject_name__in=subjects).select_related("case"):
        clock = Clock.objects.get(case=row.case, name=row.clock)
        late = timedelta(minutes=10)
        if row.level >= 2:
            late += timedelta(hours=pol.head_of_unit_after_hours)
        Escalation.objects.filter(pk=row.pk).update(at=min(clock.due_at + late, row.at))


def populate(people: dict[str, User]) -> dict:
    """The demo cases; `people`: alice, carol, bob, admin, wati (demo users). Returns
    what was made and the public report's number (with DEMO_TRACKING_SECRET)."""
    from garda.cases.services.escalation import escalate

    made = 0
    for plan in PLANS:
        if _exists(plan):
            continue
        with transaction.atomic():
            _build(plan, people)
        made += 1
    escalated = {"level_1": 0, "level_2": 0}
    if made:
        # Two runs, as the periodic job would have done them: level 1 when a clock
        # fell due, level 2 a day later; dated back to then.
        for _run in range(2):
            for key, n in escalate().items():
                escalated[key] = escalated.get(key, 0) + n
        _back_date_escalations()
    public = next(p for p in PLANS if p.public)
    reference = (
        Case.objects.filter(subject_name=public.subject, reporter_name=public.reporter)
        .values_list("reference", flat=True)
        .first()
    )
    return {
        "cases": made,
        "escalations": escalated["level_1"] + escalated["level_2"],
        "tracking": (reference, DEMO_TRACKING_SECRET),
    }


# Repatriation (issue 16) --------------------------------------------------------------

EVACUATION_NAME = "Evakuasi PMI dari Lebanon Selatan"
_EVACUEES = (
    "Ani Rahmawati",
    "Budi Santoso",
    "Citra Lestari",
    "Dewi Anggraini",
    "Endang Susanti",
    "Fitri Handayani",
    "Gita Permata",
    "Hesti Wulandari",
    "Indah Purnamasari",
    "Joko Susanto",
    "Kartini Saragih",
    "Lilis Suryani",
    "Maya Sari",
    "Nining Kurniasih",
    "Oki Setiawan",
    "Puji Astuti",
    "Ratna Dewi",
    "Sri Mulyani",
    "Tuti Alawiyah",
    "Umi Kalsum",
    "Vivi Novita",
    "Wahyu Hidayat",
    "Yanti Rosita",
    "Zaenab Hasanah",
)
DEATH_SUBJECT = "Sumarni binti Karta"


def _done(actor: User, rep, *codes: str) -> None:
    from garda.cases.services import repatriation as svc

    for code in codes:
        step = rep.steps.get(code=code)
        step.repatriation = rep
        svc.step_complete(actor=actor, step=step)
        rep.refresh_from_db()


def populate_repatriations(people: dict[str, User]) -> dict:
    """Bringing people home, as the arrivals board shows it on the demo's day:
    - Yuliana Sari (the embassy's trafficking case, Alice's), a decision of the case:
      health and travel document done, the ticket open, landing tomorrow at
      Soekarno–Hatta (Banten) with shelter and counselling, Alice meets her;
    - a death in Riyadh reported by the husband: the family informed and the
      death certificate done (the family reads each step on the case), the remains
      the placement company's duty, still open;
    - an evacuation of 24 workers from southern Lebanon on two flights (in 2 and 4
      days), health and travel documents done for all, tickets for the first flight.
    Idempotent: known by the case's subject and the evacuation's name."""
    from datetime import datetime, time

    from garda.cases.models import Evacuation, Repatriation
    from garda.cases.services import repatriation as svc

    alice, made = people["alice"], 0
    today = timezone.localdate()
    tz = timezone.get_current_timezone()

    def at(days: int, hour: int, minute: int = 0):
        return datetime.combine(today + timedelta(days=days), time(hour, minute), tzinfo=tz)

    yuliana = Case.objects.filter(subject_name="Yuliana Sari").first()
    if yuliana is not None and not yuliana.repatriations.exists():
        with transaction.atomic():
            rep = svc.repatriation_start(actor=alice, case=yuliana, reason="case_decision")
            _done(alice, rep, "health_confirmed", "travel_document")
            svc.repatriation_update(
                actor=alice,
                repatriation=rep,
                payer="government",
                flight="MH 725",
                debarkation="cgk",
                arrives_at=at(1, 15, 40),
                needs=["shelter", "counselling", "escort"],
                met_by=alice,
            )
        made += 1

    if not Case.objects.filter(subject_name=DEATH_SUBJECT).exists():
        with transaction.atomic():
            data = intake.ReportData(
                reporter_name="Karta Wijaya",
                relationship="spouse",
                person_name=DEATH_SUBJECT,
                kinds=["death"],
                description=(
                    "Suami menelepon: istrinya meninggal di Riyadh karena sakit. Keluarga "
                    "meminta jenazah dipulangkan ke Jakarta Utara."
                ),
                reporter_phone="+6281299990001",
                country=Country.objects.filter(code="SA").first(),
                city="Riyadh",
            )
            case, _secret = intake.case_open(actor=alice, data=data, channel="hotline")
            case = handling.case_move(actor=alice, case=case, stage="triaged", reason="Dicek")
            case = handling.case_assign(
                actor=people["bob"], case=case, officer=alice, reason="Ditugaskan"
            )
            case = handling.case_move(
                actor=alice, case=case, stage="in_progress", reason="Mulai ditangani"
            )
            rep = svc.repatriation_start(actor=alice, case=case, reason="death")
            _done(alice, rep, "family_informed", "certificate")
            svc.repatriation_update(
                actor=alice,
                repatriation=rep,
                payer="company",
                payer_name="PT Harapan Jaya Migran",
                debarkation="cgk",
                arrives_at=at(3, 9, 15),
                flight="SV 816",
                needs=["remains"],
            )
            _back_date(case, 30)
        made += 1

    if not Evacuation.objects.filter(name=EVACUATION_NAME).exists():
        with transaction.atomic():
            evacuation = svc.evacuation_create(
                actor=alice,
                name=EVACUATION_NAME,
                country=Country.objects.get(code="LB"),
                cause="Konflik bersenjata; KBRI Beirut mendata PMI yang ingin pulang.",
            )
            rows = []
            for i, name in enumerate(_EVACUEES):
                first = i < len(_EVACUEES) // 2
                needs = ["wheelchair", "medical"] if i in (3, 17) else []
                rows.append(
                    {
                        "name": name,
                        "needs": needs,
                        "flight": "GA 9911" if first else "GA 9913",
                        "arrives_at": at(2, 6, 30) if first else at(4, 7, 45),
                        "debarkation": "cgk",
                    }
                )
            reps = svc.repatriations_start_many(actor=alice, evacuation=evacuation, people=rows)
            for code in ("health_confirmed", "travel_document"):
                svc.steps_complete_many(actor=alice, repatriations=reps, code=code)
            first_flight = [r for r in reps if r.flight == "GA 9911"]
            svc.steps_complete_many(actor=alice, repatriations=first_flight, code="ticket")
        made += len(_EVACUEES)
    return {"repatriations": made, "live": Repatriation.objects.filter(status="open").count()}
