"""Policy rules of the job order pages (see ../policy.py for the world).

Recruiters, officers, supervisors and admins reach the list and rina's draft
({jobs_draft}); writing (the form, submit, close, cancel) is for recruiters of the
company, officers and admins; verifying and rejecting ({jobs_submitted}) for officers
and admins. Every POST carries data that succeeds for the allowed roles (each test is
rolled back), so that they get the redirect back to the order (302)."""

from garda.tests.policy import ADMIN, OFFICER, RECRUITER, SUPERVISOR, Rule

READERS = frozenset({RECRUITER, OFFICER, SUPERVISOR, ADMIN})
WRITERS = frozenset({RECRUITER, OFFICER, ADMIN})
VERIFIERS = frozenset({OFFICER, ADMIN})


def _post(allowed, pk: str, data=None) -> Rule:
    return Rule(allowed, method="post", kwargs={"pk": pk}, data=data or {}, ok=(302,))


POLICY: dict = {
    "jobs:order_list": Rule(READERS),
    "jobs:order_create": Rule(WRITERS),
    "jobs:order_detail": Rule(READERS, kwargs={"pk": "{jobs_draft}"}),
    "jobs:order_edit": Rule(WRITERS, kwargs={"pk": "{jobs_draft}"}),
    "jobs:order_submit": _post(WRITERS, "{jobs_draft}"),
    "jobs:order_verify": _post(VERIFIERS, "{jobs_submitted}"),
    "jobs:order_reject": _post(VERIFIERS, "{jobs_submitted}", {"reason": "Upah lembur kurang"}),
    "jobs:order_close": _post(WRITERS, "{jobs_verified}", {"reason": "Sudah terisi"}),
    "jobs:order_cancel": _post(WRITERS, "{jobs_draft}", {"reason": "Majikan membatalkan"}),
}
