"""This app's routes in the policy matrix (garda/tests/policy.py merges them).

The world: {person} is the worker persona's record (nobody accompanies it, so the
officer persona gets 404 where accompanying is needed); {correction} is a pending
request of {person} about their birth place.
"""

from garda.tests.policy import ADMIN, OFFICER, SUPERVISOR, WORKER, Rule

ONLY_WORKER = frozenset({WORKER})
STAFF = frozenset({OFFICER, SUPERVISOR, ADMIN})
MANAGERS = frozenset({SUPERVISOR, ADMIN})
# Staff pages about {person} need the person's whole record: the officer persona
# does not accompany {person}.
ACCOMPANYING = MANAGERS

POLICY: dict = {
    # --- the export ---
    "privacy:mine": Rule(ONLY_WORKER),
    "privacy:my_export": Rule(ONLY_WORKER, kwargs={"fmt": "json"}),
    "privacy:person_data": Rule(ACCOMPANYING, kwargs={"pk": "{person}"}),
    "privacy:person_export": Rule(ACCOMPANYING, kwargs={"pk": "{person}", "fmt": "pdf"}),
    "GET /api/v1/privacy/me/export": Rule(ONLY_WORKER),
    "GET /api/v1/privacy/me/export.pdf": Rule(ONLY_WORKER),
    "GET /api/v1/privacy/people/{person_id}/export": Rule(
        ACCOMPANYING, kwargs={"person_id": "{person}"}
    ),
    "GET /api/v1/privacy/people/{person_id}/export.pdf": Rule(
        ACCOMPANYING, kwargs={"person_id": "{person}"}
    ),
    # --- corrections ---
    "privacy:my_corrections": Rule(ONLY_WORKER),
    "privacy:my_correction_new": Rule(
        ONLY_WORKER,
        method="post",
        data={"field": "phone", "requested_value": "0812 9999 0000", "reason": "Nomor baru"},
        ok=(302,),
    ),
    "privacy:corrections": Rule(STAFF),
    "privacy:correction": Rule(ACCOMPANYING, kwargs={"pk": "{correction}"}),
    "privacy:correction_decide": Rule(
        ACCOMPANYING,
        method="post",
        kwargs={"pk": "{correction}"},
        data={"decision": "reject", "note": "Tidak sesuai KTP."},
        ok=(302,),
    ),
    "GET /api/v1/privacy/me/corrections": Rule(ONLY_WORKER),
    "POST /api/v1/privacy/me/corrections": Rule(
        ONLY_WORKER,
        method="post",
        data={"field": "phone", "requested_value": "0812 9999 0000", "reason": "Nomor baru"},
        ok=(201,),
    ),
    "GET /api/v1/privacy/corrections": Rule(STAFF),
    "GET /api/v1/privacy/corrections/{correction_id}": Rule(
        frozenset({WORKER, SUPERVISOR, ADMIN}), kwargs={"correction_id": "{correction}"}
    ),
    "POST /api/v1/privacy/corrections/{correction_id}/decision": Rule(
        ACCOMPANYING,
        method="post",
        kwargs={"correction_id": "{correction}"},
        data={"decision": "reject", "note": "Tidak sesuai KTP."},
    ),
    # --- sharing ---
    "privacy:sharing_list": Rule(MANAGERS),
}


def world(personas, base: dict) -> dict:
    from garda.people.models import Person
    from garda.privacy.services.corrections import correction_request

    person = Person.objects.get(pk=base["person"])
    request = correction_request(
        actor=personas["worker"],
        person=person,
        field="birth_place",
        requested_value="Bandung",
        reason="Salah ketik",
    )
    return {"correction": request.pk}
