"""Rate limits of the public doors of the cases app, per client address, counted in
the shared `throttle` cache (settings: Redis, else files every worker process sees).

- reports (`GARDA_REPORT_RATE`, 5 an hour): accepted reports, the page and
  `POST /api/v1/reports` together (a report refused for a typo does not count: a
  person fixing their form must not be locked out; a honeypot hit counts);
- tracking (`GARDA_TRACK_RATE`, 20 an hour): every try of a number and a secret,
  the page and `GET /api/v1/reports/{reference}` together, found or not.

The client address is `garda.audit.context.client_ip` (REMOTE_ADDR, or behind
`PROXY_COUNT` trusted proxies the address the outermost one saw; what a client
writes in X-Forwarded-For itself is ignored), as in the audit rows and lockouts.

A budget is a fixed window (one counter per address and window, `cache.incr`:
atomic on Redis): across a window's end an address may get up to twice the rate.
The rate is read from the settings at each request, so tests and operators change
it without a restart of the module.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import caches

from garda.audit.context import client_ip

CACHE_ALIAS = "throttle"
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "5/h" -> (5, 3600): the number allowed and the window in seconds."""
    count, _slash, period = rate.partition("/")
    seconds = PERIODS.get(period.strip()[:1].lower())
    if not count.strip().isdigit() or seconds is None:
        raise ValueError(f"Invalid rate {rate!r}: expected e.g. '5/h'")
    return int(count), seconds


class AddressThrottle:
    """One budget (`scope`) per client address; its rate in the setting `setting`."""

    clock = staticmethod(time.time)  # tests may replace it

    def __init__(self, scope: str, setting: str):
        self.scope = scope
        self.setting = setting

    @property
    def rate(self) -> tuple[int, int]:
        return parse_rate(getattr(settings, self.setting))

    def _key(self, request) -> tuple[str, int]:
        limit, window = self.rate
        address = client_ip(request) or "unknown"
        ident = hashlib.sha256(address.encode()).hexdigest()[:32]
        slot = int(self.clock() // window)
        return f"cases:{self.scope}:{ident}:{slot}", window

    def used(self, request) -> int:
        key, _window = self._key(request)
        return caches[CACHE_ALIAS].get(key, 0)

    def exceeded(self, request) -> bool:
        """Whether the address has used up its budget (counts nothing)."""
        return self.used(request) >= self.rate[0]

    def hit(self, request) -> int:
        """Count one use; returns the count in the current window."""
        key, window = self._key(request)
        cache = caches[CACHE_ALIAS]
        cache.add(key, 0, timeout=window + 60)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window + 60)
            return 1

    def allow(self, request) -> bool:
        """Count one use; False when it is over the budget."""
        return self.hit(request) <= self.rate[0]

    def retry_after(self) -> int:
        """Seconds until the current window ends."""
        _limit, window = self.rate
        return max(1, int(window - self.clock() % window))


REPORT = AddressThrottle("report", "GARDA_REPORT_RATE")
TRACK = AddressThrottle("track", "GARDA_TRACK_RATE")
