"""Policy rules of the jobs API for recruiters, officers, supervisors and admins (the
public operations are in public.py). `world` adds the bodies naming ids."""

from garda.tests.policy import ADMIN, OFFICER, RECRUITER, SUPERVISOR, Rule

READERS = frozenset({RECRUITER, OFFICER, SUPERVISOR, ADMIN})
WRITERS = frozenset({RECRUITER, OFFICER, ADMIN})
VERIFIERS = frozenset({OFFICER, ADMIN})
KEEPERS = frozenset({SUPERVISOR, ADMIN})
LISTING_READERS = frozenset({OFFICER, SUPERVISOR, ADMIN})

# Rina's company's orders: every reader sees them (other recruiters would get 404).
DRAFT = {"order_id": "{jobs_draft}"}
SUBMITTED = {"order_id": "{jobs_submitted}"}
VERIFIED = {"order_id": "{jobs_verified}"}

POLICY: dict = {
    "POST /api/v1/job-orders": Rule(
        WRITERS, method="post", data="{jobs_api_order_json}", ok=(201,)
    ),
    "GET /api/v1/job-orders": Rule(READERS),
    "GET /api/v1/job-orders/{order_id}": Rule(READERS, kwargs=DRAFT),
    "PATCH /api/v1/job-orders/{order_id}": Rule(
        WRITERS, method="patch", kwargs=DRAFT, data={"positions": 12}
    ),
    "GET /api/v1/job-orders/{order_id}/checks": Rule(READERS, kwargs=DRAFT),
    "POST /api/v1/job-orders/{order_id}/submit": Rule(WRITERS, method="post", kwargs=DRAFT),
    "POST /api/v1/job-orders/{order_id}/verify": Rule(VERIFIERS, method="post", kwargs=SUBMITTED),
    "POST /api/v1/job-orders/{order_id}/reject": Rule(
        VERIFIERS, method="post", kwargs=SUBMITTED, data={"reason": "Upah tidak jelas"}
    ),
    "POST /api/v1/job-orders/{order_id}/close": Rule(WRITERS, method="post", kwargs=VERIFIED),
    "POST /api/v1/job-orders/{order_id}/cancel": Rule(
        WRITERS, method="post", kwargs=DRAFT, data={"reason": "Majikan batal"}
    ),
    "GET /api/v1/employers": Rule(READERS),
    "POST /api/v1/employers": Rule(
        WRITERS,
        method="post",
        data={"name": "Lee Household", "country": "SG", "kind": "household"},
        ok=(201,),
    ),
    "GET /api/v1/employers/{employer_id}": Rule(READERS, kwargs={"employer_id": "{jobs_employer}"}),
    "GET /api/v1/foreign-partners": Rule(READERS),
    "POST /api/v1/foreign-partners": Rule(
        WRITERS, method="post", data={"name": "Lion Agency", "country": "SG"}, ok=(201,)
    ),
    "GET /api/v1/problem-listings": Rule(LISTING_READERS),
    "POST /api/v1/problem-listings": Rule(
        KEEPERS, method="post", data="{jobs_api_listing_json}", ok=(201,)
    ),
    "POST /api/v1/problem-listings/{listing_id}/delist": Rule(
        KEEPERS,
        method="post",
        kwargs={"listing_id": "{jobs_listing}"},
        data={"reason": "Gaji sudah dibayar"},
    ),
}


def world(personas, base: dict, jobs: dict) -> dict:
    from garda.jobs.tests.factories import make_employer

    spare = make_employer("Tan Household", "SG")
    return {
        "jobs_api_order_json": {
            "agency_id": jobs["jobs_agency"],
            "employer_id": jobs["jobs_employer"],
            "destination": "HK",
            "scheme": "p2p",
            "sector": "domestic",
            "occupation_code": "9111",
            "positions": 3,
            "wage_amount": "5200",
            "wage_currency": "HKD",
            "wage_period": "month",
        },
        "jobs_api_listing_json": {
            "employer_id": spare.pk,
            "reason": "Paspor pekerja ditahan",
            "source": "Nota Atase Ketenagakerjaan KBRI Singapura",
        },
    }
