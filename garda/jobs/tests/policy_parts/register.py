"""Policy rules of this part of the jobs app (see ../policy.py for the world)."""

from garda.tests.policy import Rule  # noqa: F401

POLICY: dict = {}
