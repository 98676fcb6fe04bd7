"""Test preset: the same settings with GARDA_ENV=test (fast hashing, eager tasks)."""

import os

os.environ.setdefault("GARDA_ENV", "test")

from garda.settings import *  # noqa: E402,F403
