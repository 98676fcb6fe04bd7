"""Rate limits of the public doors, per client address, counted in the shared
`throttle` cache (settings: Redis, else files every worker process sees).

Each app declares its budgets (`garda/cases/throttles.py`, `garda/jobs/throttles.py`)
with its own key prefix ("cases:", "jobs:") and the function that reads the client's
address (`garda.audit.context.client_ip`: this module is below the audit app and may
not import it).

A budget is a fixed window (one counter per address and window, `cache.incr`:
atomic on Redis): across a window's end an address may get up to twice the rate.
The rate is read from the settings at each request, so tests and operators change
it without a restart of the module.

A budget per signed-in user instead (the identity look-ups of the registry,
`garda/people/throttles.py`): `address=user_key`, and the user passed where a request
goes (the API's caller is `request.auth`, the page's `request.user`).
"""

import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches

CACHE_ALIAS = "throttle"
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "5/h" -> (5, 3600): the number allowed and the window in seconds."""
    count, _slash, period = rate.partition("/")
    seconds = PERIODS.get(period.strip()[:1].lower())
    if not count.strip().isdigit() or seconds is None:
        raise ValueError(f"Invalid rate {rate!r}: expected e.g. '5/h'")
    return int(count), seconds


def _remote_addr(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def user_key(user) -> str | None:
    """The key of a budget per user: pass the user in place of the request."""
    return f"user:{user.pk}" if getattr(user, "pk", None) else None


class AddressThrottle:
    """One budget (`scope`) per client address; its rate in the setting `setting`;
    its counters under `prefix` (the app's name and a colon)."""

    clock = staticmethod(time.time)  # tests may replace it

    def __init__(
        self,
        scope: str,
        setting: str,
        *,
        prefix: str = "",
        address: Callable[[object], str | None] = _remote_addr,
    ):
        self.scope = scope
        self.setting = setting
        self.prefix = prefix
        self.address = address

    @property
    def rate(self) -> tuple[int, int]:
        return parse_rate(getattr(settings, self.setting))

    def _key(self, request) -> tuple[str, int]:
        _limit, window = self.rate
        address = self.address(request) or "unknown"
        ident = hashlib.sha256(address.encode()).hexdigest()[:32]
        slot = int(self.clock() // window)
        return f"{self.prefix}{self.scope}:{ident}:{slot}", window

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
