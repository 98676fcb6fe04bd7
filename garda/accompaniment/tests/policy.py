"""This app's routes in the policy matrix (garda/tests/policy.py merges them), and the
notification inbox's (garda/accounts/views/notifications.py, api/notifications.py).

The world: {acc_person} is registered by the officer persona, who therefore
accompanies them, together with {acc_officer}, a colleague of the same agency
assigned by the supervisor persona ({acc_assignment}); {acc_free_person} has no
officer yet; {acc_task} is the officer persona's appointment with {acc_person}.
The base {person} (the worker persona's own record) is left as the other apps see
it: the officer persona is not assigned to it here.
"""

from datetime import timedelta

from garda.tests.policy import (
    ADMIN,
    OFFICER,
    REGISTRY_AND_SELF,
    SIGNED_IN,
    SUPERVISOR,
    WORKER,
    Rule,
)

ACCOMPANY = frozenset({OFFICER, SUPERVISOR, ADMIN})
ASSIGNERS = frozenset({SUPERVISOR, ADMIN})
ONLY_WORKER = frozenset({WORKER})

POLICY: dict = {
    # --- pages ---
    "accompaniment:worklist": Rule(ACCOMPANY),
    "accompaniment:workload": Rule(ASSIGNERS),
    "accompaniment:reassign": Rule(ASSIGNERS),
    "accompaniment:mine": Rule(ONLY_WORKER),
    "accompaniment:my_summary_pdf": Rule(ONLY_WORKER),
    # An officer who does not accompany {person} still gets the page: it shows who
    # does (and offers to take an unaccompanied person), nothing more.
    "accompaniment:person": Rule(ACCOMPANY, kwargs={"pk": "{person}"}),
    "accompaniment:timeline": Rule(ACCOMPANY, kwargs={"pk": "{acc_person}"}),
    "accompaniment:summary_pdf": Rule(ACCOMPANY, kwargs={"pk": "{acc_person}"}),
    # Supervisors and admins assign {acc_officer}; the officer takes the person.
    "accompaniment:assignment_add": Rule(
        ACCOMPANY,
        method="post",
        kwargs={"pk": "{acc_free_person}"},
        data="{acc_assign_form}",
        ok=(302,),
    ),
    "accompaniment:assignment_remove": Rule(
        ASSIGNERS,
        method="post",
        kwargs={"pk": "{acc_person}", "officer_pk": "{acc_officer}"},
        ok=(302,),
    ),
    "accompaniment:task_create": Rule(
        ACCOMPANY,
        method="post",
        kwargs={"pk": "{acc_person}"},
        data="{acc_task_form}",
        ok=(302,),
    ),
    "accompaniment:contact_log": Rule(
        ACCOMPANY,
        method="post",
        kwargs={"pk": "{acc_person}"},
        data="{acc_contact_form}",
        ok=(302,),
    ),
    "accompaniment:task_complete": Rule(
        ACCOMPANY, method="post", kwargs={"pk": "{acc_task}"}, ok=(302,)
    ),
    "accompaniment:task_cancel": Rule(
        ACCOMPANY, method="post", kwargs={"pk": "{acc_task}"}, ok=(302,)
    ),
    "accompaniment:task_reschedule": Rule(ACCOMPANY, kwargs={"pk": "{acc_task}"}),
    # --- notifications: everyone signed in, their own only ({worker_notification}
    # is the worker persona's: anyone else gets 404) ---
    "accounts:notifications": Rule(SIGNED_IN),
    "accounts:notification_read": Rule(
        ONLY_WORKER, method="post", kwargs={"pk": "{worker_notification}"}, ok=(302,)
    ),
    "accounts:notifications_read_all": Rule(SIGNED_IN, method="post", ok=(302,)),
    "GET /api/v1/notifications": Rule(SIGNED_IN),
    "GET /api/v1/notifications/unread-count": Rule(SIGNED_IN),
    "POST /api/v1/notifications/read-all": Rule(SIGNED_IN, method="post"),
    "POST /api/v1/notifications/{notification_id}/read": Rule(
        ONLY_WORKER, method="post", kwargs={"notification_id": "{worker_notification}"}
    ),
    # --- API ---
    "GET /api/v1/people/{person_id}/assignments": Rule(
        REGISTRY_AND_SELF, kwargs={"person_id": "{person}"}
    ),
    # Assigning a colleague: supervisors and admins (an officer may only take the
    # person themself, with their own id).
    "POST /api/v1/people/{person_id}/assignments": Rule(
        ASSIGNERS,
        method="post",
        kwargs={"person_id": "{acc_free_person}"},
        data="{acc_assign_json}",
        ok=(201,),
    ),
    "DELETE /api/v1/assignments/{assignment_id}": Rule(
        ASSIGNERS, method="delete", kwargs={"assignment_id": "{acc_assignment}"}, ok=(204,)
    ),
    "POST /api/v1/assignments/reassign": Rule(
        ASSIGNERS,
        method="post",
        data="{acc_reassign_json}",
    ),
    "GET /api/v1/people/{person_id}/tasks": Rule(ACCOMPANY, kwargs={"person_id": "{acc_person}"}),
    "POST /api/v1/people/{person_id}/tasks": Rule(
        ACCOMPANY,
        method="post",
        kwargs={"person_id": "{acc_person}"},
        data="{acc_task_json}",
        ok=(201,),
    ),
    "POST /api/v1/tasks/{task_id}/complete": Rule(
        ACCOMPANY, method="post", kwargs={"task_id": "{acc_task}"}
    ),
    "POST /api/v1/tasks/{task_id}/cancel": Rule(
        ACCOMPANY, method="post", kwargs={"task_id": "{acc_task}"}
    ),
    "POST /api/v1/tasks/{task_id}/reschedule": Rule(
        ACCOMPANY,
        method="post",
        kwargs={"task_id": "{acc_task}"},
        data="{acc_reschedule_json}",
    ),
    "GET /api/v1/people/{person_id}/contacts": Rule(
        ACCOMPANY, kwargs={"person_id": "{acc_person}"}
    ),
    "POST /api/v1/people/{person_id}/contacts": Rule(
        ACCOMPANY,
        method="post",
        kwargs={"person_id": "{acc_person}"},
        data={"channel": "phone", "summary": "Menanyakan jadwal"},
        ok=(201,),
    ),
    "GET /api/v1/people/{person_id}/timeline": Rule(
        ACCOMPANY, kwargs={"person_id": "{acc_person}"}
    ),
    "GET /api/v1/worklist": Rule(ACCOMPANY),
    "GET /api/v1/workload": Rule(ASSIGNERS),
    # Staff who accompany {acc_person}; a worker only for their own record (404 here).
    "GET /api/v1/people/{person_id}/readiness-summary.pdf": Rule(
        ACCOMPANY, kwargs={"person_id": "{acc_person}"}
    ),
    "GET /api/v1/me/accompaniment": Rule(ONLY_WORKER),
    "GET /api/v1/me/readiness-summary.pdf": Rule(ONLY_WORKER),
}


def world(personas, base: dict) -> dict:
    """Objects this app's rules refer to as "{name}" placeholders."""
    from django.utils import timezone

    from conftest import make_user
    from garda.accompaniment.services import assignment_add, contact_log, task_create
    from garda.accounts import roles
    from garda.accounts.models import Notification
    from garda.people.tests.factories import register

    officer, supervisor = personas[OFFICER], personas[SUPERVISOR]
    colleague = make_user(
        "acc-colleague@example.org", roles.OFFICER, officer.agency, full_name="Dewi"
    )
    person = register(serial=7401, actor=officer, full_name="Ayu Pendampingan")
    assignment = assignment_add(actor=supervisor, person=person, officer=colleague)
    free = register(serial=7402, full_name="Bayu Tanpa Pendamping")
    now = timezone.now()
    task = task_create(
        actor=officer,
        person=person,
        kind="appointment",
        title="Antar ke Kantor Imigrasi",
        place="Kanim Jakarta Selatan",
        due_at=now + timedelta(days=3),
    )
    contact_log(actor=officer, person=person, channel="office", summary="Datang ke LTSA")
    notification = Notification.objects.create(user=personas[WORKER], title="Janji temu baru")
    local = "%Y-%m-%dT%H:%M"
    return {
        "acc_person": person.pk,
        "acc_free_person": free.pk,
        "acc_officer": colleague.pk,
        "acc_assignment": assignment.pk,
        "acc_task": task.pk,
        "worker_notification": notification.pk,
        "acc_assign_form": {"officer": str(colleague.pk)},
        "acc_assign_json": {"officer_id": colleague.pk},
        "acc_reassign_json": {"from_officer_id": colleague.pk, "to_officer_id": officer.pk},
        "acc_task_form": {
            "kind": "task",
            "title": "Cek berkas",
            "due_at": timezone.localtime(now + timedelta(days=2)).strftime(local),
            "officer": str(officer.pk),
        },
        "acc_contact_form": {
            "channel": "phone",
            "happened_at": timezone.localtime(now - timedelta(hours=1)).strftime(local),
            "summary": "Menanyakan jadwal",
        },
        "acc_task_json": {
            "title": "Cek berkas",
            "due_at": (now + timedelta(days=2)).isoformat(),
            "officer_id": officer.pk,
        },
        "acc_reschedule_json": {"due_at": (now + timedelta(days=5)).isoformat()},
    }
