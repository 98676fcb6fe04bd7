"""Policy rules of the cases API for staff and for the worker's own cases (see
../policy.py for the world; `world` below adds what only these rules use:
{case_api_closed}, alice's case closed early, to reopen; the bodies naming ids)."""

from garda.tests.policy import ADMIN, ANON, EVERYONE, OFFICER, SUPERVISOR, WORKER, Rule  # noqa: F401

CASE_STAFF = frozenset({OFFICER, SUPERVISOR, ADMIN})
MANAGERS = frozenset({SUPERVISOR, ADMIN})
ONLY_WORKER = frozenset({WORKER})

HOTLINE = {
    "reporter_name": "Sri Wahyuni",
    "reporter_phone": "+6281234567001",
    "relationship": "parent",
    "person_name": "Siti Aminah",
    "kinds": ["wages"],
    "description": "Gaji anak saya belum dibayar tiga bulan.",
    "channel": "hotline",
}
OWN = {"case_id": "{case_own}"}

POLICY: dict = {
    # --- staff: officers, supervisors, admins (trainers, partners and workers: 403) ---
    "POST /api/v1/cases": Rule(CASE_STAFF, method="post", data=HOTLINE, ok=(201,)),
    "GET /api/v1/cases": Rule(CASE_STAFF),
    # {case_own} is alice's; bob is her supervisor; carol (another agency) would get 404.
    "GET /api/v1/cases/{case_id}": Rule(CASE_STAFF, kwargs=OWN),
    "POST /api/v1/cases/{case_id}/move": Rule(
        CASE_STAFF,
        method="post",
        kwargs=OWN,
        data={"stage": "waiting", "reason": "Menunggu jawaban KBRI"},
    ),
    # Handing a case on and changing its severity: supervisors and admins (an officer
    # only takes a case nobody holds).
    "POST /api/v1/cases/{case_id}/assign": Rule(
        MANAGERS, method="post", kwargs=OWN, data="{case_api_assign_json}"
    ),
    "POST /api/v1/cases/{case_id}/severity": Rule(
        MANAGERS, method="post", kwargs=OWN, data={"severity": "high", "reason": "Ada ancaman"}
    ),
    "POST /api/v1/cases/{case_id}/reopen": Rule(
        CASE_STAFF,
        method="post",
        kwargs={"case_id": "{case_api_closed}"},
        data={"reason": "Majikan ingkar janji"},
    ),
    "POST /api/v1/cases/{case_id}/person": Rule(
        CASE_STAFF,
        method="post",
        kwargs={"case_id": "{case_queue}"},
        data="{case_api_link_json}",
    ),
    # Closing {case_critical}: the officer asked; supervisors and admins decide.
    "POST /api/v1/case-approvals/{approval_id}/decision": Rule(
        MANAGERS,
        method="post",
        kwargs={"approval_id": "{case_approval}"},
        data={"approve": True, "comment": "Sudah pulang dengan selamat"},
    ),
    "GET /api/v1/cases/{case_id}/notes": Rule(CASE_STAFF, kwargs=OWN),
    "POST /api/v1/cases/{case_id}/notes": Rule(
        CASE_STAFF,
        method="post",
        kwargs=OWN,
        data={"text": "Sudah menelepon KBRI", "shared": True},
        ok=(201,),
    ),
    "POST /api/v1/cases/{case_id}/screening": Rule(
        CASE_STAFF,
        method="post",
        kwargs=OWN,
        data={"answers": {"documents": "held", "movement": "no"}},
        ok=(201,),
    ),
    "GET /api/v1/cases/{case_id}/tasks": Rule(CASE_STAFF, kwargs=OWN),
    "POST /api/v1/cases/{case_id}/tasks": Rule(
        CASE_STAFF,
        method="post",
        kwargs=OWN,
        data={"title": "Telepon majikan", "due_at": "2030-01-07T09:00:00+07:00"},
        ok=(201,),
    ),
    "POST /api/v1/case-tasks/{task_id}/done": Rule(
        CASE_STAFF, method="post", kwargs={"task_id": "{case_task}"}
    ),
    "GET /api/v1/cases/{case_id}/services": Rule(CASE_STAFF, kwargs=OWN),
    "POST /api/v1/cases/{case_id}/services": Rule(
        CASE_STAFF,
        method="post",
        kwargs=OWN,
        data={"type": "shelter", "timeframe": "1_day", "provider": "Shelter KBRI"},
        ok=(201,),
    ),
    "POST /api/v1/case-services/{service_id}/done": Rule(
        CASE_STAFF, method="post", kwargs={"service_id": "{case_service}"}
    ),
    "GET /api/v1/cases/{case_id}/timeline": Rule(CASE_STAFF, kwargs=OWN),
    # --- the worker's own: {case_own} is about wati's record (staff: 403) ---
    "GET /api/v1/me/cases": Rule(ONLY_WORKER),
    "GET /api/v1/me/cases/{case_id}": Rule(ONLY_WORKER, kwargs=OWN),
    "POST /api/v1/me/cases": Rule(
        ONLY_WORKER,
        method="post",
        data={"kinds": ["wages"], "description": "Gaji saya belum dibayar dua bulan."},
        ok=(201,),
    ),
    "POST /api/v1/me/cases/{case_id}/messages": Rule(
        ONLY_WORKER,
        method="post",
        kwargs=OWN,
        data={"text": "Paspor saya masih ditahan."},
        ok=(201,),
    ),
}


def world(personas, base: dict, cases: dict) -> dict:
    """What only these rules use, on top of the cases world (`cases`)."""
    from garda.cases.services.handling import case_move
    from garda.cases.tests.factories import case_in_progress

    alice = personas["officer"]
    closed = case_in_progress(officer=alice, person_name="Sudah Ditutup")
    case_move(
        actor=alice,
        case=closed,
        stage="closed",
        reason="Tidak bisa dihubungi",
        closing_reason="unreachable_60_days",
    )
    return {
        "case_api_closed": closed.pk,
        "case_api_assign_json": {"officer_id": alice.pk},
        "case_api_link_json": {"person_id": base["person"]},
    }
