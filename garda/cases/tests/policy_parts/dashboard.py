"""Policy rules of this part of the cases app (see ../policy.py for the world)."""

from garda.tests.policy import ADMIN, ANON, EVERYONE, OFFICER, SUPERVISOR, WORKER, Rule  # noqa: F401

CASE_STAFF = frozenset({OFFICER, SUPERVISOR, ADMIN})
MANAGERS = frozenset({SUPERVISOR, ADMIN})
ONLY_WORKER = frozenset({WORKER})

POLICY: dict = {
    # Supervisors (their agency's cases and the intake queue) and admins (all, or one
    # agency's); officers, workers, trainers and partners get 403.
    "cases:dashboard": Rule(MANAGERS),
}
