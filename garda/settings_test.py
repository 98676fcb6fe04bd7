"""Test preset: the same settings with GARDA_ENV=test (fast hashing, eager tasks)."""

import os

os.environ.setdefault("GARDA_ENV", "test")

from garda.settings import *  # noqa: E402,F403

# Rate limits: a cache of each test process's own (pytest-xdist runs several), and
# budgets the whole suite cannot exhaust from its one address (127.0.0.1). The
# throttling tests set the production rates they prove (garda/cases/tests).
CACHES = {
    **CACHES,  # noqa: F405
    "throttle": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "garda-throttle",
    },
    # Tests roll their data back, which sends no signal: no page is cached unless a test
    # asks for it (garda/tests/test_pagecache.py).
    "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    "template_fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
GARDA_REPORT_RATE = "10000/h"
GARDA_TRACK_RATE = "10000/h"
GARDA_EVENT_REGISTRATION_RATE = "10000/h"
GARDA_JOB_CHECK_RATE = "10000/h"
GARDA_CERTIFICATE_VERIFY_RATE = "10000/m"
GARDA_CERTIFICATE_CHECK_RATE = "10000/h"
GARDA_IDENTITY_LOOKUP_RATE = "10000/h"
GARDA_SIGNUP_RATE = "10000/h"
