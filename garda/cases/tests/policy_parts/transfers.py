"""Policy rules of case transfers (see ../policy.py for the world; `world` below adds
what only these rules use). alice (officer) and bob (supervisor) are at Disnaker,
carol (officer) at Dinsos:

- {transfer_in}: carol's case offered to Disnaker, naming nobody: alice may take it,
  bob and the admin accept naming alice; bob and the admin may decline it, alice
  (not named) may not (403);
- {transfer_asked}: alice asked carol to transfer another case to Disnaker: only alice
  (who asked) withdraws it; bob and the admin are no party to withdrawing it (403);
- {case_trail}: a case alice held, transferred to Dinsos: alice and bob read their
  part (the trail); the admin has no trail (they see the case itself): 404 / 403;
- {case_other} (carol's): alice and bob may ask for it; an admin may handle any case,
  so they offer instead (asking: 403).
Workers, trainers, partners and recruiters: 403 everywhere."""

from garda.tests.policy import ADMIN, OFFICER, SUPERVISOR, Rule

CASE_STAFF = frozenset({OFFICER, SUPERVISOR, ADMIN})
ASKERS = frozenset({OFFICER, SUPERVISOR})
MANAGERS = frozenset({SUPERVISOR, ADMIN})
ONLY_OFFICER = frozenset({OFFICER})

OWN = {"pk": "{case_own}"}
REASON = "Pekerja tinggal di wilayah instansi lain"


def _post(allowed, kwargs, data=None) -> Rule:
    return Rule(allowed, method="post", kwargs=kwargs, data=data or {}, ok=(302,), multipart=True)


POLICY: dict = {
    # --- pages ---
    "cases:transfer_offer": _post(
        CASE_STAFF,
        OWN,
        {
            "transfer-agency": "{transfer_agency}",
            "transfer-reason": REASON,
            "transfer-version": "{case_own_version}",
        },
    ),
    "cases:transfers": Rule(CASE_STAFF),
    "cases:transfer_request": _post(
        ASKERS, {}, {"reference": "{case_other_reference}", "reason": REASON}
    ),
    "cases:transfer_accept": _post(
        CASE_STAFF, {"pk": "{transfer_in}"}, {"owner": "{case_officer}"}
    ),
    "cases:transfer_decline": _post(MANAGERS, {"pk": "{transfer_in}"}, {"reason": "Bukan wilayah"}),
    "cases:transfer_cancel": _post(ONLY_OFFICER, {"pk": "{transfer_asked}"}),
    "cases:trail": Rule(ASKERS, kwargs={"pk": "{case_trail}"}),
    # --- API ---
    "POST /api/v1/cases/{case_id}/transfers": Rule(
        CASE_STAFF,
        method="post",
        kwargs={"case_id": "{case_own}"},
        data="{transfer_offer_json}",
        ok=(201,),
    ),
    "POST /api/v1/cases/{case_id}/transfer-requests": Rule(
        ASKERS,
        method="post",
        kwargs={"case_id": "{case_other}"},
        data={"reason": REASON},
        ok=(201,),
    ),
    "GET /api/v1/transfers": Rule(CASE_STAFF),
    "POST /api/v1/transfers/{transfer_id}/accept": Rule(
        CASE_STAFF,
        method="post",
        kwargs={"transfer_id": "{transfer_in}"},
        data="{transfer_accept_json}",
    ),
    "POST /api/v1/transfers/{transfer_id}/decline": Rule(
        MANAGERS,
        method="post",
        kwargs={"transfer_id": "{transfer_in}"},
        data={"reason": "Bukan wilayah kami"},
    ),
    "POST /api/v1/transfers/{transfer_id}/cancel": Rule(
        ONLY_OFFICER, method="post", kwargs={"transfer_id": "{transfer_asked}"}
    ),
    "GET /api/v1/cases/{case_id}/trail": Rule(ASKERS, kwargs={"case_id": "{case_trail}"}),
}


def world(personas, base: dict, cases: dict) -> dict:
    """What only these rules use, on top of the cases world (`cases`)."""
    from garda.accounts.models import User
    from garda.cases.models import Case
    from garda.cases.services.transfers import transfer_accept, transfer_offer, transfer_request
    from garda.cases.tests.factories import case_in_progress

    alice = personas["officer"]
    carol = User.objects.get(pk=cases["case_carol"])
    offered = case_in_progress(officer=carol, person_name="Tawaran Dinsos")
    transfer_in = transfer_offer(actor=carol, case=offered, agency=alice.agency, reason=REASON)
    asked_case = case_in_progress(officer=carol, person_name="Diminta Disnaker")
    asked = transfer_request(actor=alice, case=asked_case, reason=REASON)
    moved = case_in_progress(officer=alice, person_name="Sudah Dialihkan")
    out = transfer_offer(actor=alice, case=moved, agency=carol.agency, reason=REASON)
    transfer_accept(actor=carol, transfer=out)
    return {
        "transfer_agency": carol.agency_id,
        "transfer_in": transfer_in.pk,
        "transfer_asked": asked.pk,
        "case_trail": moved.pk,
        "case_other_reference": Case.objects.get(pk=cases["case_other"]).reference,
        "transfer_offer_json": {"agency_id": carol.agency_id, "reason": REASON},
        "transfer_accept_json": {"owner_id": alice.pk},
    }
