"""This app's routes in the policy matrix (garda/tests/policy.py merges them).

The world: {case_own} is alice's case about {person} (the worker persona), whose
family contact is {family_contact}; {family_access} is that contact's live access
to {case_own}, issued by alice. The officer persona (alice) and the supervisor of
her agency handle {case_own}; nobody else on staff sees it.
"""

from garda.tests.policy import ADMIN, OFFICER, SUPERVISOR, WORKER, Rule

ONLY_WORKER = frozenset({WORKER})
CASE_STAFF = frozenset({OFFICER, SUPERVISOR, ADMIN})

POLICY: dict = {
    "family:mine": Rule(ONLY_WORKER),
    "family:case": Rule(CASE_STAFF, kwargs={"pk": "{case_own}"}),
    "family:issue": Rule(
        CASE_STAFF, method="post", kwargs={"pk": "{case_own}"}, data="{family_issue_form}"
    ),
    "family:revoke": Rule(
        CASE_STAFF,
        method="post",
        kwargs={"pk": "{family_access}"},
        data={"reason": "Salah nomor"},
        ok=(302,),
    ),
    "GET /api/v1/cases/{case_id}/family-access": Rule(CASE_STAFF, kwargs={"case_id": "{case_own}"}),
    "POST /api/v1/cases/{case_id}/family-access": Rule(
        CASE_STAFF,
        method="post",
        kwargs={"case_id": "{case_own}"},
        data="{family_issue_json}",
        ok=(201,),
    ),
    "POST /api/v1/family-access/{access_id}/revoke": Rule(
        CASE_STAFF,
        method="post",
        kwargs={"access_id": "{family_access}"},
        data={"reason": "Salah nomor"},
    ),
    "GET /api/v1/me/family-preference": Rule(ONLY_WORKER),
    "PUT /api/v1/me/family-preference": Rule(ONLY_WORKER, method="put", data={"restricted": True}),
}


def world(personas, base: dict) -> dict:
    from garda.cases.models import Case
    from garda.family.services.following import family_access_issue
    from garda.people.models import FamilyContact

    case = Case.objects.get(pk=base["case_own"])
    contact = FamilyContact.objects.get(pk=base["family_contact"])
    access, _secret = family_access_issue(actor=personas["officer"], case=case, contact=contact)
    return {
        "family_access": access.pk,
        "family_issue_form": {"contact": contact.pk},
        "family_issue_json": {"contact_id": contact.pk},
    }
