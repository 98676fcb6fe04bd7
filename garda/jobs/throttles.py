"""Rate limits of the public doors of the jobs app, per client address (the generic
budget is `garda.throttles.AddressThrottle`; its counters here are under "jobs:").

- "is this job real?" (`GARDA_JOB_CHECK_RATE`, 20 an hour): every answer, the page
  and `POST /api/v1/job-check` together (a form refused for a typo does not count).
"""

from garda.audit.context import client_ip
from garda.throttles import CACHE_ALIAS, AddressThrottle

__all__ = ["CACHE_ALIAS", "JOB_CHECK", "AddressThrottle"]

JOB_CHECK = AddressThrottle("job_check", "GARDA_JOB_CHECK_RATE", prefix="jobs:", address=client_ip)


class _WithDefault(AddressThrottle):
    """A budget whose setting may be absent (the operator sets it to change it)."""

    def __init__(self, *args, default: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.default = default

    @property
    def rate(self) -> tuple[int, int]:
        from django.conf import settings

        from garda.throttles import parse_rate

        return parse_rate(getattr(settings, self.setting, self.default))


# The worker card's public page (`GARDA_WORKER_CARD_RATE`, 60 a minute per address):
# the code is a 192-bit secret, so the budget only keeps a scraper from hammering it.
WORKER_CARD = _WithDefault(
    "worker_card", "GARDA_WORKER_CARD_RATE", prefix="jobs:", address=client_ip, default="60/m"
)
