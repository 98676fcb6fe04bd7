"""Demo referrals for `garda demo` (after the demo cases), written through the real
services: Alice refers

- the embassy's trafficking case (Yuliana Sari) to BP3MI DKI Jakarta (Putri's agency)
  for repatriation: waiting for BP3MI's answer, so Putri sees it in her inbox;
- the same case to Dinas Sosial for a shelter: accepted, the service under way;
- Wati's own case to BP3MI for mediation with the placement company: accepted by
  Putri and reported back, the planned service done.

The demo persons are not linked to a SHARING consent, so each referral rests on an
override with its reason (audited, the supervisors told), as it would in an urgent
case. Idempotent: a referral of the same case to the same agency for the same
service is not made twice.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from garda.accounts.models import Agency, User
from garda.cases.models import Case
from garda.referrals.models import Referral
from garda.referrals.services import referrals as services

PLANS = (
    # (case subject, agency short name, service, request, sections, steps)
    (
        "Yuliana Sari",
        "BP3MI",
        "repatriation",
        "Mohon fasilitasi pemulangan dari Kuala Lumpur: paspor ditahan majikan, "
        "KBRI sudah menampung korban.",
        ["summary", "person", "whereabouts"],
        (),
    ),
    (
        "Yuliana Sari",
        "Dinsos",
        "shelter",
        "Mohon rumah aman dan pendampingan psikososial setibanya di Jakarta.",
        ["summary", "person", "screening"],
        ("accept",),
    ),
    (
        "Wati Susilawati",
        "BP3MI",
        "mediation",
        "Mohon mediasi dengan perusahaan penempatan soal gaji yang belum dibayar.",
        ["summary", "person", "whereabouts", "services"],
        ("accept", "report"),
    ),
)


def _agency(short_name: str) -> Agency | None:
    return (
        Agency.objects.filter(short_name__startswith=short_name, is_active=True)
        .order_by("pk")
        .first()
    )


def populate(people: dict[str, User]) -> int:
    """The demo referrals; `people`: alice, putri and carol (demo users)."""
    alice, putri = people["alice"], people.get("putri")
    made = 0
    for subject, agency_name, service, request, sections, steps in PLANS:
        case = Case.objects.filter(subject_name=subject, owner=alice, status="open").first()
        agency = putri.agency if (agency_name == "BP3MI" and putri) else _agency(agency_name)
        if case is None or agency is None or agency.pk == case.agency_id:
            continue
        if Referral.objects.filter(case=case, agency=agency, service_type=service).exists():
            continue
        with transaction.atomic():
            referral = services.referral_create(
                actor=alice,
                case=case,
                agency=agency,
                service_type=service,
                request=request,
                due_at=timezone.now() + timedelta(days=2),
                sections=sections,
                override_reason="Korban dalam keadaan darurat; persetujuan tertulis "
                "menyusul lewat KBRI.",
            )
            answerer = putri if agency.pk == getattr(putri, "agency_id", None) else None
            on_behalf = None if answerer else services.OnBehalf("phone", "Petugas piket")
            if "accept" in steps:
                referral = services.referral_accept(
                    actor=answerer or alice, referral=referral, on_behalf=on_behalf
                )
            if "report" in steps:
                services.referral_report(
                    actor=answerer or alice,
                    referral=referral,
                    what="Mediasi dengan perusahaan penempatan di kantor BP3MI.",
                    delivered_on=timezone.localdate(),
                    delivered_by_name="Putri Maharani",
                    outcome="Perusahaan berjanji membayar gaji dalam dua minggu.",
                    on_behalf=on_behalf,
                )
        made += 1
    return made
