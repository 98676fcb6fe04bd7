"""The route policy of the rules pages and API (garda/tests/policy.py merges it).

Destination facts are public: the public pages and every GET of the API answer
anyone, anonymous included. The rules pages (/destinations/manage/) are read by
supervisors and admins; every form and write is an admin's. {requirement_set} is the
seeded Korea EPS manufacturing set (current version)."""

from garda.tests.policy import ADMIN, EVERYONE, SUPERVISOR, Rule

RULE_READERS = frozenset({SUPERVISOR, ADMIN})
ADMINS = frozenset({ADMIN})

POLICY: dict = {
    # --- public pages ---
    "destinations:destination_index": Rule(EVERYONE),
    "destinations:destination_detail": Rule(EVERYONE, kwargs={"code": "SA"}),
    # --- the rules pages ---
    "destinations:rules_destinations": Rule(RULE_READERS),
    "destinations:rules_destination": Rule(RULE_READERS, kwargs={"code": "KR"}),
    "destinations:rules_destination_edit": Rule(ADMINS, kwargs={"code": "KR"}),
    "destinations:rules_sector_rules": Rule(RULE_READERS, kwargs={"code": "SA"}),
    "destinations:rules_sector_rule_add": Rule(
        ADMINS,
        method="post",
        kwargs={"code": "KR"},
        data={
            "sector": "construction",
            "status": "restricted",
            "legal_basis": "Keputusan uji",
            "effective_from": "2026-01-01",
        },
        ok=(302,),
    ),
    "destinations:rules_sets": Rule(RULE_READERS),
    "destinations:rules_set": Rule(RULE_READERS, kwargs={"pk": "{requirement_set}"}),
    "destinations:rules_set_revise": Rule(ADMINS, kwargs={"pk": "{requirement_set}"}),
    "destinations:rules_set_create": Rule(ADMINS),
    # --- API: reading is public ---
    "GET /api/v1/destinations": Rule(EVERYONE),
    "GET /api/v1/destinations/{code}": Rule(EVERYONE, kwargs={"code": "SA"}),
    "GET /api/v1/destinations/{code}/rules": Rule(EVERYONE, kwargs={"code": "SA"}),
    "GET /api/v1/schemes": Rule(EVERYONE),
    "GET /api/v1/requirement-sets": Rule(EVERYONE),
    "GET /api/v1/requirement-sets/{set_id}": Rule(EVERYONE, kwargs={"set_id": "{requirement_set}"}),
    # --- API: writing is an admin's ---
    "POST /api/v1/destinations/{code}/rules": Rule(
        ADMINS,
        method="post",
        kwargs={"code": "KR"},
        data={
            "sector": "construction",
            "status": "restricted",
            "legal_basis": "Keputusan uji",
            "effective_from": "2026-01-01",
        },
        ok=(201,),
    ),
    "POST /api/v1/requirement-sets": Rule(
        ADMINS,
        method="post",
        data={
            "code": "kr-eps-construction",
            "destination": "KR",
            "scheme": "g2g-kr-eps",
            "sector": "construction",
            "name": "Korea Selatan – EPS konstruksi",
            "name_en": "South Korea – EPS construction",
            "legal_basis": "UU 18/2017 pasal 13",
            "requirements": [{"document_type": "ktp"}, {"document_type": "passport"}],
        },
        ok=(201,),
    ),
    "POST /api/v1/requirement-sets/{set_id}/revise": Rule(
        ADMINS,
        method="post",
        kwargs={"set_id": "{requirement_set}"},
        data={"note": "Catatan versi baru."},
        ok=(201,),
    ),
}


def world(personas, base: dict) -> dict:
    """Objects this module's rules refer to as "{name}" placeholders."""
    from garda.destinations.models import RequirementSet

    rs = RequirementSet.objects.get(code="kr-eps-manufacturing", is_current=True)
    return {"requirement_set": rs.pk}
