"""Policy rules of the licence register's pages (see ../policy.py for the world):
administrators only; every other role gets 403 (anonymous: the log-in page). Each
POST carries data that succeeds for an admin (a redirect back to the company)."""

from garda.tests.policy import ADMIN, Rule

ADMINS = frozenset({ADMIN})


def _post(kwargs, data=None) -> Rule:
    """A POST whose data may hold "{name}" placeholders (filled in for multipart)."""
    return Rule(ADMINS, method="post", kwargs=kwargs, data=data or {}, ok=(302,), multipart=True)


AGENCY = {"pk": "{jobs_agency}"}

POLICY: dict = {
    "jobs:register_list": Rule(ADMINS),
    "jobs:agency_create": Rule(ADMINS),
    "jobs:register_load": Rule(ADMINS),
    "jobs:agency_manage": Rule(ADMINS, kwargs=AGENCY),
    "jobs:agency_status": _post(
        AGENCY,
        {
            "status": "suspended",
            "effective_on": "2026-01-10",
            "reason": "Pengaduan biaya berlebih",
            "source": "Kepmen 1/2026",
        },
    ),
    "jobs:branch_add": _post(AGENCY, {"region_code": "{jobs_branch_region}", "address": "Jl. B"}),
    "jobs:branch_remove": _post({"pk": "{jobs_branch}"}),
    "jobs:recruiter_add": _post(
        AGENCY, {"full_name": "Staf Baru", "email": "staf.baru@example.org"}
    ),
    "jobs:recruiter_remove": _post({"pk": "{jobs_recruiter}"}),
}


def world(personas, base: dict, jobs: dict) -> dict:
    """A region rina's company has no branch in (East Jakarta)."""
    from garda.places.models import Region

    region, _ = Region.objects.get_or_create(
        code="31.75",
        defaults={
            "name": "Kota Administrasi Jakarta Timur",
            "level": "regency",
            "first_edition": 2016,
            "last_edition": 2025,
        },
    )
    return {"jobs_branch_region": region.code}
