"""Policy rules of this part of the jobs app (see ../policy.py for the world).

The public doors: anyone, signed in or not, reads the vacancy board and one
published vacancy ({jobs_verified}), looks a company up in the licence register
({jobs_agency}) and asks "is this job real?" (page and API). The 404s of the
unpublished orders and the throttling are exercised in test_public_pages.py,
test_job_check.py and test_public_api.py."""

from garda.tests.policy import EVERYONE, Rule

JOB_CHECK = {
    "agency": "PT Rina Sejahtera",
    "destination": "HK",
    "sector": "domestic",
    "occupation_code": "9111",
    "wage_amount": "5200",
    "wage_currency": "HKD",
    "wage_period": "month",
}

POLICY: dict = {
    "jobs:vacancies": Rule(EVERYONE),
    "jobs:vacancy": Rule(EVERYONE, kwargs={"pk": "{jobs_verified}"}),
    "jobs:agency_lookup": Rule(EVERYONE, samples=("/jobs/agencies/?q=rina",)),
    "jobs:agency_public": Rule(EVERYONE, kwargs={"pk": "{jobs_agency}"}),
    # The answer (POST); the form (GET) is in test_job_check.py.
    "jobs:job_check": Rule(EVERYONE, method="post", data=JOB_CHECK),
    "GET /api/v1/vacancies": Rule(EVERYONE),
    "GET /api/v1/vacancies/{order_id}": Rule(EVERYONE, kwargs={"order_id": "{jobs_verified}"}),
    "GET /api/v1/placement-agencies": Rule(EVERYONE, data={"q": "rina"}),
    "GET /api/v1/placement-agencies/{agency_id}": Rule(
        EVERYONE, kwargs={"agency_id": "{jobs_agency}"}
    ),
    "POST /api/v1/job-check": Rule(EVERYONE, method="post", data=JOB_CHECK),
}
