"""The follow-through's routes in the policy matrix (garda/tests/policy.py merges
them with the referral flow's).

The world: {followup_referral} is a referral on the cases world's {case_own} (alice's
case, Disnakertransgi) to BP3MI, the partner persona's agency, waiting for its answer:
its letter is printed by the officer who holds the case, her supervisor and the admins;
the receiving agency's partner prints it only once the referral is accepted (their
window, test_letter.py), so here they get 404 like everyone else (the public: the
log-in page).
"""

from garda.tests.policy import ADMIN, OFFICER, PARTNER, SUPERVISOR, Rule

# The dashboard counts referrals per agency: supervisors and admins all, a partner
# their own agency's row; officers are refused.
DASHBOARD = frozenset({SUPERVISOR, ADMIN, PARTNER})
LETTER = frozenset({OFFICER, SUPERVISOR, ADMIN})

POLICY: dict = {
    "referrals:dashboard": Rule(DASHBOARD),
    "referrals:letter_pdf": Rule(LETTER, kwargs={"pk": "{followup_referral}"}),
    "GET /api/v1/referrals/dashboard": Rule(DASHBOARD),
}


def world(personas, base: dict) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from garda.cases.models import Case
    from garda.referrals.tests.factories_followup import make_referral

    case = Case.objects.get(pk=base["case_own"])
    referral = make_referral(
        case=case,
        agency=personas["partner"].agency,
        requested_by=personas["officer"],
        due_at=timezone.now() + timedelta(days=3),
    )
    return {"followup_referral": referral.pk}
