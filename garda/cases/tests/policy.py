"""This app's routes in the policy matrix (garda/tests/policy.py merges them). Each part
of the app keeps its rules in `policy_parts/<part>.py`; the world is here.

The world (personas: alice, officer at Disnaker; bob, supervisor at Disnaker; carol,
officer at Dinsos; wati, the worker persona whose record is {person}):
- {case_queue}: a public report nobody holds yet (new), with its tracking secret;
- {case_own}: alice's case about {person}, in progress ({case_task}, {case_service},
  {case_document} are on it), so wati sees it on her own pages;
- {case_other}: carol's case (Dinsos): alice and bob get 404;
- {case_critical}: alice's critical case whose closing waits for a supervisor
  ({case_approval}).
"""

from garda.cases.tests.policy_parts import (
    api,
    dashboard,
    evacuations,
    mine,
    public,
    repatriation,
    staff,
    transfers,
)

POLICY: dict = {}
for _part in (public, staff, dashboard, mine, api, transfers, repatriation, evacuations):
    _clash = POLICY.keys() & _part.POLICY.keys()
    assert not _clash, _clash
    POLICY.update(_part.POLICY)


def world(personas, base: dict) -> dict:
    """Objects this app's rules refer to as "{name}" placeholders."""
    from datetime import timedelta

    from django.utils import timezone

    from garda.cases.models import Approval
    from garda.cases.services.handling import ApprovalPending, case_move
    from garda.cases.services.record import document_add, service_plan, task_add
    from garda.cases.tests.factories import case_in_progress, open_case

    alice, carol = personas["officer"], None
    from garda.accounts import roles
    from garda.accounts.models import User

    carol = User.objects.filter(groups__name=roles.OFFICER).exclude(agency=alice.agency).first()
    if carol is None:
        from conftest import create_agency, make_user

        carol = make_user(
            "cases-carol@example.org", roles.OFFICER, create_agency("dinsos"), full_name="Carol"
        )
    queue, secret = open_case(person_name="Rina Antrian")
    own = case_in_progress(
        officer=alice, person_name="Wati", person_nik=base["person_data"]["nik"], kinds=["go_home"]
    )
    other = case_in_progress(officer=carol, person_name="Lain Dinsos")
    critical = case_in_progress(officer=alice, person_name="Kritis", kinds=["abuse"])
    critical = case_move(actor=alice, case=critical, stage="resolved", reason="selesai")
    try:
        case_move(actor=alice, case=critical, stage="closed", reason="selesai")
    except ApprovalPending:
        pass
    approval = Approval.objects.get(case=critical)
    now = timezone.now()
    task = task_add(actor=alice, case=own, title="Telepon KBRI", due_at=now + timedelta(days=1))
    service = service_plan(actor=alice, case=own, type="legal_aid", timeframe="3_days")
    document = document_add(
        actor=alice, case=own, title="Surat", data=b"%PDF-1.4 test", content_type="application/pdf"
    )
    cases = {
        "case_queue": queue.pk,
        "case_queue_reference": queue.reference,
        "case_queue_secret": secret,
        "case_queue_track": {"secret": secret},  # the query of GET /reports/{reference}
        "case_own": own.pk,
        "case_own_version": own.version,
        "case_other": other.pk,
        "case_critical": critical.pk,
        "case_approval": approval.pk,
        "case_task": task.pk,
        "case_service": service.pk,
        "case_document": document.pk,
        "case_carol": carol.pk,
        "case_officer": alice.pk,
    }
    # A part that needs more of the world adds it (policy_parts/<part>.py: world()).
    for part in (public, staff, dashboard, mine, api, transfers, repatriation, evacuations):
        if hasattr(part, "world"):
            cases.update(part.world(personas, base, dict(cases)))
    return cases
