"""Destinations' routes in the policy matrix (garda/tests/policy.py merges them): the
rules pages (public facts and the admins' pages), then readiness and plans."""

from garda.tests.policy import (
    ADMIN,
    EVERYONE,
    REGISTRY,
    REGISTRY_AND_SELF,
    SUPERVISOR,
    WORKER,
    Rule,
)

# === rules ===
# The route policy of the rules pages and API (garda/tests/policy.py merges it).
#
# Destination facts are public: the public pages and every GET of the API answer
# anyone, anonymous included. The rules pages (/destinations/manage/) are read by
# supervisors and admins; every form and write is an admin's. {requirement_set} is the
# seeded Korea EPS manufacturing set (current version).
RULE_READERS = frozenset({SUPERVISOR, ADMIN})
ADMINS = frozenset({ADMIN})

RULES: dict = {
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


def _rules_world(personas, base: dict) -> dict:
    """Objects this module's rules refer to as "{name}" placeholders."""
    from garda.destinations.models import RequirementSet

    rs = RequirementSet.objects.get(code="kr-eps-manufacturing", is_current=True)
    return {"requirement_set": rs.pk}


# === readiness ===
# Readiness and plan routes in the policy matrix (docs/security.md, test 3).
#
# {person} is the worker persona's record; world() gives it a plan for the seeded Korea
# EPS manufacturing target and computes its readiness once, so that the matrix's GETs
# find the cached answer and write nothing (test_no_get_mutates). The officer persona is
# not assigned to {person}: like the registry, readiness is shared by all officers.
KR_EPS = {"destination": "KR", "scheme": "g2g-kr-eps", "sector": "manufacturing"}

READINESS: dict = {
    # The worker's own checklist and plan.
    "destinations:my_readiness": Rule(frozenset({WORKER})),
    "destinations:my_plan": Rule(frozenset({WORKER}), method="post", data=KR_EPS, ok=(302,)),
    # An officer's view of a person's readiness, and the plan on their behalf.
    "destinations:person_readiness": Rule(REGISTRY, kwargs={"pk": "{person}"}),
    "destinations:person_plan": Rule(
        REGISTRY, method="post", kwargs={"pk": "{person}"}, data=KR_EPS, ok=(302,)
    ),
    # The API: the worker for themself, the registry roles for anyone; others 404.
    "GET /api/v1/people/{person_id}/readiness": Rule(
        REGISTRY_AND_SELF, kwargs={"person_id": "{person}"}
    ),
    "GET /api/v1/people/{person_id}/plan": Rule(
        REGISTRY_AND_SELF, kwargs={"person_id": "{person}"}
    ),
    "PUT /api/v1/people/{person_id}/plan": Rule(
        REGISTRY_AND_SELF, method="put", kwargs={"person_id": "{person}"}, data=KR_EPS
    ),
}


def _readiness_world(personas, base: dict) -> dict:
    """Objects this module's rules refer to as "{name}" placeholders."""
    from garda.destinations.readiness import readiness_for
    from garda.destinations.services.plans import plan_set
    from garda.people.models import Person

    person = Person.objects.get(pk=base["person"])
    plan_set(
        actor=personas[WORKER],
        person=person,
        destination_code=KR_EPS["destination"],
        scheme_code=KR_EPS["scheme"],
        sector=KR_EPS["sector"],
    )
    readiness_for(Person.objects.get(pk=person.pk))
    return {}


POLICY: dict = {**RULES, **READINESS}


def world(personas, base: dict) -> dict:
    """The parts' worlds in order; each sees what the ones before it made."""
    extra: dict = {}
    for part in (_rules_world, _readiness_world):
        extra.update(part(personas, {**base, **extra}))
    return extra
