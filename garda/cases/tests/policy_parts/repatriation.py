"""Policy rules of repatriation (see ../policy.py for the world; `world` below adds
what only these rules use). alice (officer) and bob (supervisor) are at Disnaker:

- {repatriation}: an illness repatriation started by alice on {case_own}, nothing
  done yet; {repatriation_step} its first step, {repatriation_step_optional} its
  rehabilitation (optional), {repatriation_version} its version;
- {repatriation_statement}: a refusal of rehabilitation recorded on another of
  alice's cases' repatriation (its printable PDF);
- {case_repat_free}: alice's case about someone not in the registry, with no
  repatriation: a new one may be started on it.
Officers, supervisors and admins see them (bob and the admin through the agency and
their role); workers, trainers, partners and recruiters: 403 everywhere."""

from garda.tests.policy import ADMIN, OFFICER, SUPERVISOR, Rule

CASE_STAFF = frozenset({OFFICER, SUPERVISOR, ADMIN})
REP = {"pk": "{repatriation}"}
REFUSAL = {
    "signed_on": "2026-01-05",
    "place": "Bandara Soekarno-Hatta",
    "signed_by": "worker",
}


def _post(kwargs, data=None) -> Rule:
    return Rule(
        CASE_STAFF, method="post", kwargs=kwargs, data=data or {}, ok=(302,), multipart=True
    )


def _api(method: str, kwargs, data=None, ok=(200,)) -> Rule:
    return Rule(CASE_STAFF, method=method, kwargs=kwargs, data=data, ok=ok)


POLICY: dict = {
    # --- pages ---
    "cases:repatriation_start": _post(
        {"pk": "{case_repat_free}"}, {"repatriation-reason": "deportation"}
    ),
    "cases:repatriation": Rule(CASE_STAFF, kwargs=REP),
    "cases:repatriation_travel": _post(
        REP, {"flight": "GA 88", "version": "{repatriation_version}"}
    ),
    "cases:repatriation_cancel": _post(REP, {"reason": "Sudah pulang sendiri"}),
    "cases:repatriation_statement": _post(
        {"pk": "{repatriation}", "kind": "refusal"},
        {f"refusal-{k}": v for k, v in REFUSAL.items()},
    ),
    "cases:repatriation_step_done": _post({"pk": "{repatriation_step}"}),
    "cases:repatriation_step_not_needed": _post(
        {"pk": "{repatriation_step_optional}"}, "{repatriation_skip_form}"
    ),
    "cases:repatriation_statement_pdf": Rule(CASE_STAFF, kwargs={"pk": "{repatriation_statement}"}),
    # --- API ---
    "POST /api/v1/cases/{case_id}/repatriations": _api(
        "post", {"case_id": "{case_repat_free}"}, {"reason": "deportation"}, ok=(201,)
    ),
    "GET /api/v1/cases/{case_id}/repatriations": _api("get", {"case_id": "{case_own}"}),
    "GET /api/v1/repatriations/{repatriation_id}": _api(
        "get", {"repatriation_id": "{repatriation}"}
    ),
    "PATCH /api/v1/repatriations/{repatriation_id}": _api(
        "patch", {"repatriation_id": "{repatriation}"}, {"flight": "GA 88"}
    ),
    "POST /api/v1/repatriations/{repatriation_id}/statements": _api(
        "post", {"repatriation_id": "{repatriation}"}, {"kind": "refusal", **REFUSAL}, ok=(201,)
    ),
    "GET /api/v1/repatriation-statements/{statement_id}/pdf": _api(
        "get", {"statement_id": "{repatriation_statement}"}
    ),
    "POST /api/v1/repatriations/{repatriation_id}/cancel": _api(
        "post", {"repatriation_id": "{repatriation}"}, {"reason": "Sudah pulang sendiri"}
    ),
    "POST /api/v1/repatriation-steps/{step_id}/complete": _api(
        "post", {"step_id": "{repatriation_step}"}, {"note": "KBRI: sehat"}
    ),
    "POST /api/v1/repatriation-steps/{step_id}/not-needed": _api(
        "post", {"step_id": "{repatriation_step_optional}"}, {"reason": "Keluarga menjemput"}
    ),
    "PATCH /api/v1/repatriation-steps/{step_id}": _api(
        "patch", {"step_id": "{repatriation_step}"}, {"due_at": "2027-01-10T10:00:00+07:00"}
    ),
}


def world(personas, base: dict, cases: dict) -> dict:
    """What only these rules use, on top of the cases world (`cases`)."""
    from django.utils import timezone

    from garda.cases.models import Case
    from garda.cases.services import repatriation as svc
    from garda.cases.tests.factories import case_in_progress

    alice = personas["officer"]
    own = Case.objects.get(pk=cases["case_own"])
    rep = svc.repatriation_start(actor=alice, case=own, reason="illness")
    steps = {s.code: s for s in rep.steps.all()}
    other = case_in_progress(officer=alice, person_name="Pulang Dulu")
    printed = svc.repatriation_start(actor=alice, case=other, reason="contract_trouble")
    statement = svc.statement_record(
        actor=alice,
        repatriation=printed,
        kind="refusal",
        signed_on=timezone.localdate(),
        place="Bandara Soekarno-Hatta",
        signed_by="worker",
    )
    free = case_in_progress(officer=alice, person_name="Belum Terdaftar")
    optional = steps["rehabilitation"]
    return {
        "repatriation": rep.pk,
        "repatriation_version": rep.version,
        "repatriation_step": steps["health_confirmed"].pk,
        "repatriation_step_optional": optional.pk,
        "repatriation_skip_form": {f"skip{optional.pk}-reason": "Keluarga menjemput"},
        "repatriation_statement": statement.pk,
        "case_repat_free": free.pk,
    }
