"""This app's routes in the policy matrix (garda/tests/policy.py merges them).

The world (personas: alice, officer at Disnaker; bob, supervisor there; putri,
partner at BP3MI): {referral_case} is a case alice holds, not linked to the registry;
{referral_requested} refers it to BP3MI on an override (waiting for the answer) and
{referral_accepted} is a second one BP3MI accepted. The case's handlers (alice, bob,
admin) may record the agency's answer on its behalf (the rules send who and how).
"""

from garda.tests.policy import ADMIN, OFFICER, PARTNER, SUPERVISOR, Rule

HANDLERS = frozenset({OFFICER, SUPERVISOR, ADMIN})
WITH_PARTNER = HANDLERS | {PARTNER}
ONLY_PARTNER = frozenset({PARTNER})
ON_BEHALF = {"channel": "phone", "given_by_name": "Pak Joko, BP3MI"}
REPORT = {
    **ON_BEHALF,
    "what": "Tiket pulang dan pendampingan",
    "delivered_on": "{today}",
    "delivered_by_name": "Budi",
    "outcome": "Sudah tiba",
}

POLICY: dict = {
    # --- pages ---
    "referrals:list": Rule(WITH_PARTNER),
    "referrals:create": Rule(HANDLERS, kwargs={"case_pk": "{referral_case}"}),
    "referrals:detail": Rule(WITH_PARTNER, kwargs={"pk": "{referral_requested}"}),
    "referrals:accept": Rule(
        WITH_PARTNER,
        method="post",
        kwargs={"pk": "{referral_requested}"},
        data=ON_BEHALF,
        ok=(302,),
    ),
    "referrals:decline": Rule(
        WITH_PARTNER,
        method="post",
        kwargs={"pk": "{referral_requested}"},
        data={**ON_BEHALF, "reason": "Di luar wewenang"},
        ok=(302,),
    ),
    "referrals:report": Rule(
        WITH_PARTNER,
        method="post",
        kwargs={"pk": "{referral_accepted}"},
        data="{referral_report}",
        ok=(302,),
    ),
    "referrals:close": Rule(
        HANDLERS,
        method="post",
        kwargs={"pk": "{referral_accepted}"},
        data={"reason": "Selesai"},
        ok=(302,),
    ),
    "referrals:cancel": Rule(
        HANDLERS,
        method="post",
        kwargs={"pk": "{referral_requested}"},
        data={"reason": "Salah instansi"},
        ok=(302,),
    ),
    # --- API ---
    "POST /api/v1/cases/{case_id}/referrals": Rule(
        HANDLERS,
        method="post",
        kwargs={"case_id": "{referral_case}"},
        data="{referral_new}",
        ok=(201,),
    ),
    "GET /api/v1/cases/{case_id}/referrals": Rule(HANDLERS, kwargs={"case_id": "{referral_case}"}),
    "GET /api/v1/referrals": Rule(WITH_PARTNER),
    "GET /api/v1/referrals/{referral_id}": Rule(
        WITH_PARTNER, kwargs={"referral_id": "{referral_requested}"}
    ),
    "POST /api/v1/referrals/{referral_id}/accept": Rule(
        WITH_PARTNER, method="post", kwargs={"referral_id": "{referral_requested}"}, data=ON_BEHALF
    ),
    "POST /api/v1/referrals/{referral_id}/decline": Rule(
        WITH_PARTNER,
        method="post",
        kwargs={"referral_id": "{referral_requested}"},
        data={**ON_BEHALF, "reason": "Di luar wewenang"},
    ),
    "POST /api/v1/referrals/{referral_id}/report": Rule(
        WITH_PARTNER,
        method="post",
        kwargs={"referral_id": "{referral_accepted}"},
        data="{referral_report}",
    ),
    "POST /api/v1/referrals/{referral_id}/close": Rule(
        HANDLERS,
        method="post",
        kwargs={"referral_id": "{referral_accepted}"},
        data={"reason": "Selesai"},
    ),
    "POST /api/v1/referrals/{referral_id}/cancel": Rule(
        HANDLERS,
        method="post",
        kwargs={"referral_id": "{referral_requested}"},
        data={"reason": "Salah instansi"},
    ),
}


def world(personas, base: dict) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from garda.cases.tests.factories import case_in_progress
    from garda.referrals.services.referrals import referral_accept, referral_create

    alice, putri = personas["officer"], personas["partner"]
    case = case_in_progress(officer=alice, person_name="Rujukan Matriks")
    due = timezone.now() + timedelta(days=3)

    def refer():
        return referral_create(
            actor=alice,
            case=case,
            agency=putri.agency,
            service_type="shelter",
            request="Mohon penampungan sementara.",
            due_at=due,
            sections=["summary", "whereabouts"],
            override_reason="Butuh tempat aman malam ini",
        )

    requested = refer()
    accepted = referral_accept(actor=putri, referral=refer())
    today = str(timezone.localdate())
    return {
        "referral_case": case.pk,
        "referral_requested": requested.pk,
        "referral_accepted": accepted.pk,
        "referral_report": {**REPORT, "delivered_on": today},
        "referral_new": {
            "agency_id": putri.agency_id,
            "service": "legal_aid",
            "request": "Mohon bantuan hukum.",
            "due_at": (timezone.now() + timedelta(days=30)).isoformat(),
            "sections": ["summary"],
            "override_reason": "Sidang minggu depan",
        },
    }
