"""Policy rules of this part of the cases app (see ../policy.py for the world).

The public doors: anyone, signed in or not, opens the report and tracking forms,
sends a report through the API and follows {case_queue} with its number and secret
(the POSTs of the pages are exercised in test_public.py; the matrix GETs them)."""

from garda.tests.policy import ADMIN, ANON, EVERYONE, OFFICER, SUPERVISOR, WORKER, Rule  # noqa: F401

CASE_STAFF = frozenset({OFFICER, SUPERVISOR, ADMIN})
MANAGERS = frozenset({SUPERVISOR, ADMIN})
ONLY_WORKER = frozenset({WORKER})

REPORT = {
    "reporter_name": "Sri Wahyuni",
    "reporter_phone": "+6281234567001",
    "relationship": "parent",
    "person_name": "Siti Aminah",
    "kinds": ["wages"],
    "description": "Gaji belum dibayar tiga bulan.",
}

POLICY: dict = {
    "cases:report": Rule(EVERYONE),
    "cases:track": Rule(EVERYONE),
    "POST /api/v1/reports": Rule(EVERYONE, method="post", data=REPORT, ok=(201,)),
    "GET /api/v1/reports/{reference}": Rule(
        EVERYONE, kwargs={"reference": "{case_queue_reference}"}, data="{case_queue_track}"
    ),
}
