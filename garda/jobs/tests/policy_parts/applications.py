"""Policy rules of applications (issue 15; see ../policy.py for the world).

{person} (the worker persona's record) applied to {jobs_app_order}, a published order
of rina's company ({jobs_app}, applied), and is nominated to {jobs_nom_order}
({jobs_nomination}, not answered). The worker applies (to {jobs_verified}), answers
the nomination and withdraws; officers
and admins nominate; recruiters (rina's company), officers and admins move; supervisors
read. Every POST carries data that
succeeds for the allowed roles (each test is rolled back). The worker persona has an
open protection case in the world (the cases part's "Wati"): her own application and
her yes to the nomination are hers to make, but nobody may nominate her while it is
open (409 `protection_block`), so officers and admins nominate {jobs_free_person}, a
person without a case."""

from garda.tests.policy import ADMIN, OFFICER, RECRUITER, SUPERVISOR, WORKER, Rule

READERS = frozenset({RECRUITER, OFFICER, SUPERVISOR, ADMIN})
MOVERS = frozenset({RECRUITER, OFFICER, ADMIN})
NOMINATORS = frozenset({OFFICER, ADMIN})
WITHDRAWERS = frozenset({WORKER, OFFICER, ADMIN})
THE_WORKER = frozenset({WORKER})

APP = {"application_id": "{jobs_app}"}
NOMINATION = {"application_id": "{jobs_nomination}"}


def _post(allowed, pk: str, data=None) -> Rule:
    return Rule(allowed, method="post", kwargs={"pk": pk}, data=data or {}, ok=(302,))


POLICY: dict = {
    # pages
    "jobs:application_apply": _post(THE_WORKER, "{jobs_verified}"),
    "jobs:my_applications": Rule(THE_WORKER),
    # The nomination is of the worker persona, who has an account: only she answers
    # (an officer records the answer only of a worker without one: tested in
    # test_placement_holds.py and test_applications_pages.py).
    "jobs:nomination_accept": _post(THE_WORKER, "{jobs_nomination}", {"reason": "Lewat telepon"}),
    "jobs:nomination_decline": _post(THE_WORKER, "{jobs_nomination}", {"reason": "Jauh"}),
    "jobs:application_withdraw": _post(WITHDRAWERS, "{jobs_app}", {"reason": "Menikah"}),
    "jobs:order_applications": Rule(READERS, kwargs={"pk": "{jobs_app_order}"}),
    "jobs:application_detail": Rule(READERS, kwargs={"pk": "{jobs_app}"}),
    "jobs:application_move": _post(MOVERS, "{jobs_app}", {"status": "shortlisted"}),
    "jobs:application_nominate": _post(
        NOMINATORS, "{jobs_verified}", "{jobs_free_person_reference_form}"
    ),
    # the API
    "POST /api/v1/job-orders/{order_id}/applications": Rule(
        THE_WORKER,
        method="post",
        kwargs={"order_id": "{jobs_verified}"},
        data="{jobs_person_json}",
        ok=(201,),
    ),
    "POST /api/v1/job-orders/{order_id}/nominations": Rule(
        NOMINATORS,
        method="post",
        kwargs={"order_id": "{jobs_verified}"},
        data="{jobs_free_person_json}",
        ok=(201,),
    ),
    "GET /api/v1/job-orders/{order_id}/applications": Rule(
        READERS, kwargs={"order_id": "{jobs_app_order}"}
    ),
    "GET /api/v1/applications/{application_id}": Rule(READERS | THE_WORKER, kwargs=APP),
    "GET /api/v1/me/applications": Rule(THE_WORKER),
    "POST /api/v1/applications/{application_id}/move": Rule(
        MOVERS, method="post", kwargs=APP, data={"status": "shortlisted"}
    ),
    "POST /api/v1/applications/{application_id}/withdraw": Rule(
        WITHDRAWERS, method="post", kwargs=APP, data={"reason": "Menikah"}
    ),
    "POST /api/v1/applications/{application_id}/accept": Rule(
        THE_WORKER, method="post", kwargs=NOMINATION, data={"reason": "Lewat telepon"}
    ),
    "POST /api/v1/applications/{application_id}/decline": Rule(
        THE_WORKER, method="post", kwargs=NOMINATION, data={"reason": "Jauh"}
    ),
}


def world(personas, base: dict, made: dict) -> dict:
    """An application of the worker persona's record, and a nomination of it, each to
    a published order of rina's company of its own."""
    from garda.accounts import roles
    from garda.jobs.services.applications import application_create, application_nominate
    from garda.jobs.tests.factories import verified_order
    from garda.people.models import Person
    from garda.people.tests.factories import register

    rina, alice = personas[roles.RECRUITER], personas[roles.OFFICER]
    worker = personas[roles.WORKER]
    person = Person.objects.get(pk=base["person"])
    app_order = verified_order(rina, alice, number="DL-APP-1")
    nom_order = verified_order(rina, alice, number="DL-APP-2")
    app = application_create(actor=worker, order=app_order, person=person)
    nomination = application_nominate(actor=alice, order=nom_order, person=person)
    free = register(serial=9152, actor=alice, full_name="Tanpa Kasus")
    return {
        "jobs_free_person": free.pk,
        "jobs_free_person_json": {"person_id": free.pk},
        "jobs_free_person_reference_form": {"reference": free.reference},
        "jobs_app_order": app_order.pk,
        "jobs_nom_order": nom_order.pk,
        "jobs_app": app.pk,
        "jobs_nomination": nomination.pk,
        "jobs_person_json": {"person_id": person.pk},
        "jobs_person_reference_form": {"reference": person.reference},
    }
