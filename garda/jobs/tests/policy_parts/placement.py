"""Policy rules of placement and departure (pages and API; docs/placement.md).

The world: {jobs_placement} is the worker persona's own placement on an order of rina's
company, still preparing; {jobs_ready_placement} another
person's with every step recorded (it may depart); {jobs_departed_placement} one that
has departed (it may arrive); {jobs_selected_app} a selected application without a
placement; {jobs_session} an orientation session with the worker on it;
{jobs_empty_session} one nobody is on (it may be deleted); {jobs_card_code} the
worker's card code.

Officers and admins write; supervisors read (and reveal numbers, as in the
registry); rina, a recruiter of the order's company, reads her company's placements
and records the contract, visa and travel; the worker reads their own and downloads
their card; the card's public page is for everyone."""

from garda.tests.policy import (
    ADMIN,
    EVERYONE,
    OFFICER,
    RECRUITER,
    SUPERVISOR,
    WORKER,
    Rule,
)

OFFICE = frozenset({OFFICER, ADMIN})
BOARD = frozenset({OFFICER, SUPERVISOR, ADMIN})
READERS = BOARD | {RECRUITER, WORKER}
SECTION_WRITERS = OFFICE | {RECRUITER}
CARD = BOARD | {WORKER}
PLACEMENT = {"pk": "{jobs_placement}"}


def _post(allowed, kwargs, data=None) -> Rule:
    return Rule(allowed, method="post", kwargs=kwargs, data=data or {}, ok=(302,))


POLICY: dict = {
    # pages
    "jobs:card": Rule(EVERYONE, kwargs={"code": "{jobs_card_code}"}),
    "jobs:placement_list": Rule(READERS),
    "jobs:placement_export": Rule(BOARD),
    "jobs:placement_detail": Rule(READERS, kwargs=PLACEMENT),
    "jobs:placement_section": _post(
        SECTION_WRITERS,
        {"pk": "{jobs_placement}", "section": "travel"},
        {"travel-flight": "GA 890"},
    ),
    "jobs:placement_reveal": Rule(
        frozenset({SUPERVISOR, ADMIN}), method="post", kwargs={"pk": "{jobs_ready_placement}"}
    ),
    "jobs:placement_depart": _post(OFFICE, {"pk": "{jobs_ready_placement}"}),
    "jobs:placement_arrive": _post(
        OFFICE, {"pk": "{jobs_departed_placement}"}, {"arrive-arrived_on": ""}
    ),
    "jobs:placement_cancel": _post(OFFICE, PLACEMENT, {"cancel-reason": "Majikan membatalkan"}),
    "jobs:placement_card": Rule(CARD, kwargs=PLACEMENT),
    "jobs:placement_create": _post(OFFICE, {"pk": "{jobs_selected_app}"}),
    "jobs:departures": Rule(BOARD),
    "jobs:orientation_list": Rule(BOARD),
    "jobs:orientation_create": Rule(OFFICE),
    "jobs:orientation_detail": Rule(BOARD, kwargs={"pk": "{jobs_session}"}),
    "jobs:orientation_delete": _post(OFFICE, {"pk": "{jobs_empty_session}"}),
    # API
    "POST /api/v1/applications/{application_id}/placement": Rule(
        OFFICE, method="post", kwargs={"application_id": "{jobs_selected_app}"}, ok=(201,)
    ),
    "GET /api/v1/placements": Rule(READERS),
    "GET /api/v1/placements/export.csv": Rule(BOARD),
    "GET /api/v1/placements/{placement_id}": Rule(
        READERS, kwargs={"placement_id": "{jobs_placement}"}
    ),
    "PATCH /api/v1/placements/{placement_id}": Rule(
        SECTION_WRITERS,
        method="patch",
        kwargs={"placement_id": "{jobs_placement}"},
        data={"flight": "GA 890"},
    ),
    "POST /api/v1/placements/{placement_id}/depart": Rule(
        OFFICE, method="post", kwargs={"placement_id": "{jobs_ready_placement}"}
    ),
    "POST /api/v1/placements/{placement_id}/arrive": Rule(
        OFFICE, method="post", kwargs={"placement_id": "{jobs_departed_placement}"}
    ),
    "POST /api/v1/placements/{placement_id}/cancel": Rule(
        OFFICE,
        method="post",
        kwargs={"placement_id": "{jobs_placement}"},
        data={"reason": "Majikan membatalkan"},
    ),
    "GET /api/v1/orientation-sessions": Rule(BOARD),
    "POST /api/v1/orientation-sessions": Rule(
        OFFICE, method="post", data="{jobs_session_json}", ok=(201,)
    ),
    "GET /api/v1/orientation-sessions/{session_id}": Rule(
        BOARD, kwargs={"session_id": "{jobs_session}"}
    ),
    "PATCH /api/v1/orientation-sessions/{session_id}": Rule(
        OFFICE, method="patch", kwargs={"session_id": "{jobs_session}"}, data={"notes": "Ruang 2"}
    ),
    "DELETE /api/v1/orientation-sessions/{session_id}": Rule(
        OFFICE, method="delete", kwargs={"session_id": "{jobs_empty_session}"}, ok=(204,)
    ),
}


def world(personas, base: dict, jobs: dict) -> dict:
    import secrets
    from datetime import timedelta

    from django.utils import timezone

    from garda.accounts import roles
    from garda.jobs.models import Employer, Placement
    from garda.jobs.services import placement as svc
    from garda.jobs.tests.factories_placement import (
        make_placement,
        make_session,
        open_order,
        ready_person,
        ready_to_leave,
        selected_application,
    )
    from garda.people.models import Person

    alice, rina = personas[roles.OFFICER], personas[roles.RECRUITER]
    # An order of rina's company of this part's own (other parts' applications to
    # {jobs_verified} never meet these).
    order = open_order(rina, alice, employer=Employer.objects.get(pk=jobs["jobs_employer"]))
    # The worker's own placement is made directly: the registry's rules of the world
    # ({person} is "registered", and its status routes move it) stay as they are.
    own = Person.objects.get(pk=base["person"])
    placement = Placement.objects.create(
        application=selected_application(order, own),
        person=own,
        order=order,
        employer_id=order.employer_id,
        agency_id=order.agency_id,
        card_code=secrets.token_urlsafe(24),
        created_by=alice,
    )
    session = make_session(alice, capacity=10)
    svc.placement_update(
        actor=alice, placement=placement, section="orientation", data={"orientation": session}
    )
    ready = ready_to_leave(alice, make_placement(alice, order, ready_person(serial=71)))
    departed = ready_to_leave(alice, make_placement(alice, order, ready_person(serial=72)))
    departed = svc.placement_depart(
        actor=alice, placement=departed, departed_at=timezone.now() - timedelta(hours=5)
    )
    selected = selected_application(order, ready_person(serial=73))
    empty = make_session(alice, capacity=5, place="Disnakertransgi DKI")
    return {
        "jobs_placement": placement.pk,
        "jobs_ready_placement": ready.pk,
        "jobs_departed_placement": departed.pk,
        "jobs_selected_app": selected.pk,
        "jobs_session": session.pk,
        "jobs_empty_session": empty.pk,
        "jobs_card_code": placement.card_code,
        "jobs_session_json": {
            "starts_at": (timezone.now() + timedelta(days=10)).isoformat(),
            "place": "BP3MI DKI Jakarta",
            "capacity": 20,
            "destination": "HK",
        },
    }
