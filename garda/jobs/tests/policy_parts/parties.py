"""Policy rules of the employers', partners' and problematic list's pages (see
../policy.py for the world). Recruiters, officers and admins write employers and
partners (rina's orders name {jobs_employer} and {jobs_partner}); supervisors read
the lists only. Officers read the problematic list; supervisors and admins keep it.
Each POST carries data that succeeds for an allowed role (a redirect to the list)."""

from garda.tests.policy import ADMIN, OFFICER, RECRUITER, SUPERVISOR, Rule

WRITERS = frozenset({RECRUITER, OFFICER, ADMIN})
READERS = WRITERS | {SUPERVISOR}
LIST_READERS = frozenset({OFFICER, SUPERVISOR, ADMIN})
LIST_KEEPERS = frozenset({SUPERVISOR, ADMIN})


def _post(allowed, kwargs, data) -> Rule:
    """A POST whose data may hold "{name}" placeholders (filled in for multipart)."""
    return Rule(allowed, method="post", kwargs=kwargs, data=data, ok=(302,), multipart=True)


EMPLOYER = {"name": "Wong Household", "kind": "household", "country": "HK", "city": "Kowloon"}
PARTNER = {"name": "Bintang Harapan Ltd", "country": "HK", "licence_number": "HK-1234"}

POLICY: dict = {
    "jobs:employer_list": Rule(READERS),
    "jobs:employer_create": _post(WRITERS, {}, {**EMPLOYER, "name": "Lam Household"}),
    "jobs:employer_edit": _post(WRITERS, {"pk": "{jobs_employer}"}, EMPLOYER),
    "jobs:partner_list": Rule(READERS),
    "jobs:partner_create": _post(WRITERS, {}, {**PARTNER, "name": "Moon Agency Ltd"}),
    "jobs:partner_edit": _post(WRITERS, {"pk": "{jobs_partner}"}, PARTNER),
    "jobs:listing_list": Rule(LIST_READERS),
    "jobs:listing_create": _post(
        LIST_KEEPERS,
        {},
        {
            "employer": "{jobs_other_employer}",
            "reason": "Gaji tidak dibayar",
            "source": "Nota KJRI Hong Kong 1/2026",
            "listed_on": "2026-01-10",
        },
    ),
    "jobs:listing_delist": _post(
        LIST_KEEPERS,
        {"pk": "{jobs_listing}"},
        {"reason": "Sudah diselesaikan", "delisted_on": "2026-02-01"},
    ),
}


def world(personas, base: dict, jobs: dict) -> dict:
    """The countries the employers' and partners' forms offer."""
    from garda.places.models import Country

    for code, alpha3, numeric, name_id, name_en in (
        ("HK", "HKG", "344", "Hong Kong", "Hong Kong"),
        ("MY", "MYS", "458", "Malaysia", "Malaysia"),
    ):
        Country.objects.get_or_create(
            code=code,
            defaults={"alpha3": alpha3, "numeric": numeric, "name_id": name_id, "name_en": name_en},
        )
    return {}
