"""This app's routes in the policy matrix (garda/tests/policy.py merges them).

The world: {person} is the worker persona's record, with no stay abroad (so the
worker may report one, and an officer may take one for them); {abroad_person} is
another person with a current stay in Malaysia ({country}), whom the lists show.
The partner persona works for BP3MI, not an embassy: every list is refused to them
(an embassy's partner is tested in test_access.py). The worker has no current stay,
so their check-in through the API is answered 409 “report your stay first”; the
check-in itself is tested in test_api.py.
"""

from garda.tests.policy import ADMIN, OFFICER, SUPERVISOR, WORKER, Rule

ONLY_WORKER = frozenset({WORKER})
STAFF = frozenset({OFFICER, SUPERVISOR, ADMIN})

STAY = {
    "departure": "independent",
    "country": "MY",
    "city": "Kuala Lumpur",
    "employer_name": "Restoran Sedap",
    "phone": "+60123456789",
    "contract_start": "2026-01-01",
    "contract_end": "2027-12-31",
    "passport_number": "C1234567",
    "emergency_name": "Sri Wahyuni",
    "emergency_relation": "parent",
}

POLICY: dict = {
    "abroad:mine": Rule(ONLY_WORKER),
    # No current stay in the world: the worker is sent back to the form.
    "abroad:my_end": Rule(ONLY_WORKER, method="post", data={"end_reason": "returned"}, ok=(302,)),
    "abroad:check_in": Rule(ONLY_WORKER),
    "abroad:person_stay": Rule(STAFF, kwargs={"pk": "{person}"}),
    "abroad:countries": Rule(STAFF),
    "abroad:country": Rule(STAFF, kwargs={"code": "{country}"}),
    "GET /api/v1/me/stays": Rule(ONLY_WORKER),
    "POST /api/v1/me/stays": Rule(ONLY_WORKER, method="post", data=STAY, ok=(201,)),
    "POST /api/v1/me/check-ins": Rule(
        ONLY_WORKER, method="post", data={"well": "yes", "help": "no"}, ok=(409,)
    ),
    "POST /api/v1/people/{person_id}/stays": Rule(
        STAFF, method="post", kwargs={"person_id": "{person}"}, data=STAY, ok=(201,)
    ),
    "GET /api/v1/stays": Rule(STAFF, data={"country": "MY"}),
}


def world(personas, base: dict) -> dict:
    from garda.abroad.services.stays import StayData, stay_report
    from garda.people.tests.factories import register
    from garda.places.models import Country

    Country.objects.get_or_create(
        code="MY",
        defaults={"alpha3": "MYS", "numeric": "458", "name_id": "Malaysia", "name_en": "Malaysia"},
    )
    other = register(serial=1414, full_name="Ani Rahayu")
    stay_report(
        actor=personas["officer"],
        person=other,
        data=StayData(
            departure="placed",
            country="MY",
            city="Johor Bahru",
            employer_name="Keluarga Tan",
            emergency_name="Budi",
            emergency_relation="sibling",
        ),
    )
    return {"abroad_person": other.pk, "country": "MY"}
