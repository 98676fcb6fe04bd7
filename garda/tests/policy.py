"""The route policy: every URL pattern and API operation × every role (docs/security.md,
test 3). A route that is not listed here fails `test_every_route_has_a_policy`.

Keys are Django URL names (`namespace:name`), `admin:*` for the whole admin site, or
`METHOD /api/v1/path` for API operations. `allowed` lists the roles that get 2xx;
every other role must get a non-2xx answer (anonymous: redirect to log-in or 401;
signed-in: 403/404, or a redirect away).
"""

from dataclasses import dataclass, field

ANON = "anonymous"
WORKER = "worker"
OFFICER = "officer"
TRAINER = "trainer"
PARTNER = "partner"
RECRUITER = "recruiter"
SUPERVISOR = "supervisor"
ADMIN = "admin"

EVERYONE = frozenset({ANON, WORKER, OFFICER, TRAINER, PARTNER, RECRUITER, SUPERVISOR, ADMIN})
SIGNED_IN = EVERYONE - {ANON}
# Every role the matrix plays, in order.
ROLES = [ANON, WORKER, OFFICER, TRAINER, PARTNER, RECRUITER, SUPERVISOR, ADMIN]
# Government staff and their partners (a recruiter works for a private company).
STAFF = frozenset({OFFICER, TRAINER, PARTNER, SUPERVISOR, ADMIN})
# Who signs in with a second factor.
TWO_FACTOR = STAFF | {RECRUITER}
# The registry: officers, supervisors and admins; a worker for their own record.
REGISTRY_AND_SELF = frozenset({WORKER, OFFICER, SUPERVISOR, ADMIN})
REGISTRY = frozenset({OFFICER, SUPERVISOR, ADMIN})


@dataclass(frozen=True)
class Rule:
    allowed: frozenset[str]
    method: str = "get"
    # Arguments for reverse() or the API path; "{agency}" is filled in by the test.
    kwargs: dict = field(default_factory=dict)
    data: dict | None = None
    # Answers that count as "allowed" (a POST usually redirects on success).
    ok: tuple[int, ...] = (200,)
    # Sample paths for wildcard entries.
    samples: tuple[str, ...] = ()
    # Request headers (e.g. If-Match); "{person}" style values are filled in too.
    headers: dict = field(default_factory=dict)
    # Send `data` as multipart/form-data; bytes values become uploaded files.
    multipart: bool = False


POLICY: dict[str, Rule] = {
    # --- public pages ---
    "home": Rule(EVERYONE),
    "healthz": Rule(EVERYONE),
    "help": Rule(EVERYONE),
    "accounts:login": Rule(frozenset({ANON})),  # signed-in users are sent home
    "accounts:signup": Rule(frozenset({ANON})),  # workers sign up; signed-in users go home
    "accounts:signup_resend": Rule(frozenset({ANON})),
    # A made-up link: "no longer works" (400) for anyone not signed in.
    "accounts:signup_confirm": Rule(frozenset({ANON}), kwargs={"token": "x-y"}, ok=(400,)),
    "accounts:password_reset": Rule(EVERYONE),
    "accounts:password_reset_done": Rule(EVERYONE),
    "accounts:password_reset_confirm": Rule(EVERYONE, kwargs={"uidb64": "MQ", "token": "x-y"}),
    "accounts:password_reset_complete": Rule(EVERYONE),
    "set_language": Rule(EVERYONE, method="post", data={"language": "en"}, ok=(302,)),
    # --- every signed-in user ---
    "accounts:logout": Rule(SIGNED_IN, method="post", ok=(302,)),
    "accounts:account": Rule(SIGNED_IN),
    "accounts:password_change": Rule(SIGNED_IN),
    "accounts:password_change_done": Rule(SIGNED_IN),
    "accounts:2fa_setup": Rule(SIGNED_IN),
    # Staff in the matrix have a device: they get the form. Workers have none and are
    # sent to set-up (302), which is not "allowed" in the sense of this table.
    "accounts:2fa_verify": Rule(TWO_FACTOR),
    "accounts:recovery_codes": Rule(TWO_FACTOR, method="post"),
    # --- staff ---
    "accounts:agency_list": Rule(STAFF),
    "accounts:agency_detail": Rule(STAFF, kwargs={"pk": "{agency}"}),
    "people:nik_check": Rule(STAFF),
    "people:my_access_log": Rule(frozenset({WORKER})),
    "people:duplicates": Rule(frozenset({OFFICER, SUPERVISOR, ADMIN})),
    "people:duplicate_decision": Rule(
        frozenset({OFFICER, SUPERVISOR, ADMIN}),
        method="post",
        kwargs={"pk": "{candidate}"},
        data={"same": "0"},
        ok=(302,),
    ),
    # The registry pages, like the API: {person} is the worker's own record. A worker
    # asking for the list is sent to their profile (302); an officer not assigned to
    # the person may not reveal its identity numbers, hence not open the edit form.
    "people:list": Rule(frozenset({OFFICER, SUPERVISOR, ADMIN})),
    "people:register": Rule(frozenset({OFFICER, SUPERVISOR, ADMIN})),
    "people:me": Rule(frozenset({WORKER})),
    "people:detail": Rule(
        frozenset({WORKER, OFFICER, SUPERVISOR, ADMIN}), kwargs={"pk": "{person}"}
    ),
    "people:edit": Rule(frozenset({WORKER, SUPERVISOR, ADMIN}), kwargs={"pk": "{person}"}),
    "people:reveal": Rule(
        frozenset({WORKER, SUPERVISOR, ADMIN}), method="post", kwargs={"pk": "{person}"}
    ),
    # A number a person reads out, checked against their record (issue 19): the
    # registry's roles only, the answer only "matches" or not.
    "people:identity_check": Rule(
        REGISTRY,
        method="post",
        kwargs={"pk": "{person}"},
        data={"kind": "nik", "number": "3171014101900001"},
    ),
    "people:status": Rule(
        frozenset({OFFICER, SUPERVISOR, ADMIN}),
        method="post",
        kwargs={"pk": "{person}"},
        data={"status": "in_preparation"},
        ok=(302,),
    ),
    "people:verify": Rule(
        frozenset({OFFICER, SUPERVISOR, ADMIN}),
        method="post",
        kwargs={"pk": "{person}"},
        ok=(302,),
    ),
    # Skills, languages, experience from the person page: like the API, the registry
    # and the worker on their own record ({skill} is a skill of {person}).
    "people:profile_add": Rule(
        REGISTRY_AND_SELF,
        method="post",
        kwargs={"pk": "{person}", "kind": "skills"},
        data={"occupation_code": "7212", "title": "Las SMAW"},
        ok=(302,),
    ),
    "people:profile_remove": Rule(
        REGISTRY_AND_SELF,
        method="post",
        kwargs={"pk": "{person}", "kind": "skills", "item_pk": "{skill}"},
        ok=(302,),
    ),
    # Consents and family contacts: the worker on /people/me/..., the registry on the
    # person's pages ({consent} and {family_contact} are {person}'s). Giving or adding
    # is exercised as a POST; withdrawing and removing as their confirmation page.
    "people:my_consents": Rule(frozenset({WORKER})),
    "people:my_consent_new": Rule(
        frozenset({WORKER}),
        method="post",
        data={"purpose": "processing", "agree": "on"},
        ok=(302,),
    ),
    "people:my_consent_withdraw": Rule(frozenset({WORKER}), kwargs={"consent_pk": "{consent}"}),
    "people:consents": Rule(REGISTRY, kwargs={"pk": "{person}"}),
    "people:consent_new": Rule(
        REGISTRY,
        method="post",
        kwargs={"pk": "{person}"},
        data={
            "purpose": "processing",
            "text_version": "2026-1",
            "source_note": "Formulir 12/2026, Disnakertransgi",
            "agree": "on",
        },
        ok=(302,),
    ),
    "people:consent_withdraw": Rule(REGISTRY, kwargs={"pk": "{person}", "consent_pk": "{consent}"}),
    "people:my_family": Rule(frozenset({WORKER})),
    "people:my_family_new": Rule(
        frozenset({WORKER}),
        method="post",
        data={"name": "Sri Wahyuni", "relation": "parent", "phone": "0813-1111-2222"},
        ok=(302,),
    ),
    "people:my_family_edit": Rule(frozenset({WORKER}), kwargs={"contact_pk": "{family_contact}"}),
    "people:my_family_remove": Rule(frozenset({WORKER}), kwargs={"contact_pk": "{family_contact}"}),
    "people:family": Rule(REGISTRY, kwargs={"pk": "{person}"}),
    "people:family_new": Rule(
        REGISTRY,
        method="post",
        kwargs={"pk": "{person}"},
        data={"name": "Sri Wahyuni", "relation": "parent", "phone": "0813-1111-2222"},
        ok=(302,),
    ),
    "people:family_edit": Rule(
        REGISTRY, kwargs={"pk": "{person}", "contact_pk": "{family_contact}"}
    ),
    "people:family_remove": Rule(
        REGISTRY, kwargs={"pk": "{person}", "contact_pk": "{family_contact}"}
    ),
    # The import wizard: officers, supervisors (their agency's imports) and admins;
    # {import_job} is a checked upload by the officer.
    "people:import": Rule(REGISTRY),
    "people:import_template": Rule(REGISTRY, kwargs={"fmt": "xlsx"}),
    "people:import_detail": Rule(REGISTRY, kwargs={"pk": "{import_job}"}),
    "people:import_errors": Rule(REGISTRY, kwargs={"pk": "{import_job}"}),
    "people:import_commit": Rule(REGISTRY, method="post", kwargs={"pk": "{import_job}"}, ok=(302,)),
    "audit:event_list": Rule(frozenset({SUPERVISOR, ADMIN})),
    "admin:*": Rule(
        frozenset({ADMIN}),
        samples=(
            "/admin/",
            "/admin/accounts/user/",
            "/admin/accounts/agency/",
            "/admin/accounts/apitoken/",
            "/admin/audit/auditevent/",
        ),
    ),
    # --- API documentation (public: it holds no data) ---
    "api:api-root": Rule(EVERYONE, ok=(200, 404)),
    "api:openapi-json": Rule(EVERYONE),
    "api:openapi-view": Rule(EVERYONE),
    # --- API operations ---
    "GET /api/v1/me": Rule(SIGNED_IN),
    "GET /api/v1/agencies": Rule(STAFF),
    "GET /api/v1/agencies/{agency_id}": Rule(STAFF, kwargs={"agency_id": "{agency}"}),
    "GET /api/v1/regions": Rule(SIGNED_IN),
    "GET /api/v1/regions/{code}": Rule(SIGNED_IN, kwargs={"code": "31"}),
    "GET /api/v1/countries": Rule(SIGNED_IN),
    "GET /api/v1/nik/{nik}": Rule(SIGNED_IN, kwargs={"nik": "3171014101900001"}),
    "POST /api/v1/nik/check": Rule(SIGNED_IN, method="post", data={"nik": "3171014101900001"}),
    "GET /api/v1/audit/events": Rule(frozenset({SUPERVISOR, ADMIN})),
    # The registry: workers reach only their own record ({person} is the worker's).
    "GET /api/v1/people": Rule(frozenset({WORKER, OFFICER, SUPERVISOR, ADMIN})),
    "POST /api/v1/people": Rule(
        frozenset({OFFICER, SUPERVISOR, ADMIN}),
        method="post",
        data="{new_person}",
        ok=(201,),
    ),
    "GET /api/v1/people/{person_id}": Rule(
        frozenset({WORKER, OFFICER, SUPERVISOR, ADMIN}), kwargs={"person_id": "{person}"}
    ),
    # The body names the NIK: like the edit page, an officer who does not accompany
    # the person may not (issue 19, people/tests/test_registry_holes.py).
    "PATCH /api/v1/people/{person_id}": Rule(
        frozenset({WORKER, SUPERVISOR, ADMIN}),
        method="patch",
        kwargs={"person_id": "{person}"},
        data="{person_data}",
        headers={"If-Match": '"1"'},
    ),
    "POST /api/v1/people/{person_id}/identity/check": Rule(
        REGISTRY,
        method="post",
        kwargs={"person_id": "{person}"},
        data={"kind": "nik", "number": "3171014101900001"},
    ),
    "POST /api/v1/people/{person_id}/status": Rule(
        frozenset({OFFICER, SUPERVISOR, ADMIN}),
        method="post",
        kwargs={"person_id": "{person}"},
        data={"status": "in_preparation"},
    ),
    "GET /api/v1/people/{person_id}/family": Rule(
        REGISTRY_AND_SELF, kwargs={"person_id": "{person}"}
    ),
    "POST /api/v1/people/{person_id}/family": Rule(
        REGISTRY_AND_SELF,
        method="post",
        kwargs={"person_id": "{person}"},
        ok=(201,),
        data={
            "name": "Sri Wahyuni",
            "relation": "parent",
            "phone": "0813-1111-2222",
            "gives_consent": True,
        },
    ),
    "PUT /api/v1/people/{person_id}/family/{contact_id}": Rule(
        REGISTRY_AND_SELF,
        method="put",
        kwargs={"person_id": "{person}", "contact_id": "{family_contact}"},
        data={"name": "Sri Wahyuni", "relation": "parent", "phone": "0813-1111-2222"},
    ),
    "DELETE /api/v1/people/{person_id}/family/{contact_id}": Rule(
        REGISTRY_AND_SELF,
        method="delete",
        kwargs={"person_id": "{person}", "contact_id": "{family_contact}"},
        ok=(204,),
    ),
    "GET /api/v1/people/{person_id}/consents": Rule(
        REGISTRY_AND_SELF, kwargs={"person_id": "{person}"}
    ),
    "POST /api/v1/people/{person_id}/consents": Rule(
        REGISTRY_AND_SELF,
        method="post",
        kwargs={"person_id": "{person}"},
        ok=(201,),
        data={
            "purpose": "processing",
            "text_version": "2026-1",
            "source_note": "Formulir 12/2026, Disnakertransgi",
        },
    ),
    "POST /api/v1/people/{person_id}/consents/{consent_id}/withdraw": Rule(
        REGISTRY_AND_SELF,
        method="post",
        kwargs={"person_id": "{person}", "consent_id": "{consent}"},
    ),
    "GET /api/v1/people/{person_id}/duplicates": Rule(
        frozenset({OFFICER, SUPERVISOR, ADMIN}), kwargs={"person_id": "{person}"}
    ),
    "GET /api/v1/people/export.csv": Rule(frozenset({OFFICER, SUPERVISOR, ADMIN})),
    "GET /api/v1/people/export.xlsx": Rule(frozenset({OFFICER, SUPERVISOR, ADMIN})),
    "GET /api/v1/duplicates": Rule(frozenset({OFFICER, SUPERVISOR, ADMIN})),
    "GET /api/v1/imports/template.csv": Rule(REGISTRY),
    "GET /api/v1/imports/template.xlsx": Rule(REGISTRY),
    "POST /api/v1/imports": Rule(
        REGISTRY, method="post", data={"file": "{import_file}"}, multipart=True, ok=(202,)
    ),
    "GET /api/v1/imports": Rule(REGISTRY),
    "GET /api/v1/imports/{job_id}": Rule(REGISTRY, kwargs={"job_id": "{import_job}"}),
    "GET /api/v1/imports/{job_id}/errors": Rule(REGISTRY, kwargs={"job_id": "{import_job}"}),
    "GET /api/v1/imports/{job_id}/errors.csv": Rule(REGISTRY, kwargs={"job_id": "{import_job}"}),
    "POST /api/v1/imports/{job_id}/commit": Rule(
        REGISTRY, method="post", kwargs={"job_id": "{import_job}"}, ok=(202,)
    ),
    "POST /api/v1/duplicates/{candidate_id}/decision": Rule(
        frozenset({OFFICER, SUPERVISOR, ADMIN}),
        method="post",
        kwargs={"candidate_id": "{candidate}"},
        data={"same": False},
    ),
    "GET /api/v1/people/{person_id}/profile": Rule(
        REGISTRY_AND_SELF, kwargs={"person_id": "{person}"}
    ),
    "POST /api/v1/people/{person_id}/skills": Rule(
        REGISTRY_AND_SELF,
        method="post",
        kwargs={"person_id": "{person}"},
        ok=(201,),
        data={"occupation_code": "7212", "title": "Las SMAW"},
    ),
    "POST /api/v1/people/{person_id}/languages": Rule(
        REGISTRY_AND_SELF,
        method="post",
        kwargs={"person_id": "{person}"},
        ok=(201,),
        data={"language": "ko", "scale": "topik", "level": "2"},
    ),
    "POST /api/v1/people/{person_id}/experience": Rule(
        REGISTRY_AND_SELF,
        method="post",
        kwargs={"person_id": "{person}"},
        ok=(201,),
        data={"employer": "PT Maju", "country": "ID", "started_on": "2015-01-01"},
    ),
    "DELETE /api/v1/people/{person_id}/{kind}/{item_id}": Rule(
        REGISTRY_AND_SELF,
        method="delete",
        kwargs={"person_id": "{person}", "kind": "skills", "item_id": "{skill}"},
        ok=(204,),
    ),
    "GET /api/v1/people/{person_id}/identity": Rule(
        frozenset({WORKER, SUPERVISOR, ADMIN}), kwargs={"person_id": "{person}"}
    ),
}


def _merge_app_policies() -> None:
    """Each app after the registry keeps its routes in <app>/tests/policy.py."""
    from garda.abroad.tests import policy as abroad
    from garda.accompaniment.tests import policy as accompaniment
    from garda.cases.tests import policy as cases
    from garda.compliance.tests import policy as compliance
    from garda.destinations.tests import policy as destinations
    from garda.documents.tests import policy as documents
    from garda.family.tests import policy as family
    from garda.interceptions.tests import policy as interceptions
    from garda.jobs.tests import policy as jobs
    from garda.outreach.tests import policy as outreach
    from garda.places.tests import policy as places
    from garda.privacy.tests import policy as privacy
    from garda.referrals.tests import policy as referrals
    from garda.referrals.tests import policy_followup as referral_followup
    from garda.reintegration.tests import policy as reintegration
    from garda.reports.tests import policy as reports
    from garda.training.tests import policy as training

    for module in (
        places,
        documents,
        destinations,
        accompaniment,
        training,
        jobs,
        cases,
        privacy,
        compliance,
        family,
        interceptions,
        referrals,
        referral_followup,
        abroad,
        reintegration,
        outreach,
        reports,
    ):
        clash = POLICY.keys() & module.POLICY.keys()
        assert not clash, clash
        POLICY.update(module.POLICY)
        APP_WORLDS.append(module.world)


APP_WORLDS: list = []
_merge_app_policies()
