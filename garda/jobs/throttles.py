"""Rate limits of the public doors of the jobs app, per client address (the generic
budget is `garda.throttles.AddressThrottle`; its counters here are under "jobs:").

- "is this job real?" (`GARDA_JOB_CHECK_RATE`, 20 an hour): every answer, the page
  and `POST /api/v1/job-check` together (a form refused for a typo does not count).
"""

from garda.audit.context import client_ip
from garda.throttles import CACHE_ALIAS, AddressThrottle

__all__ = ["CACHE_ALIAS", "JOB_CHECK", "AddressThrottle"]

JOB_CHECK = AddressThrottle("job_check", "GARDA_JOB_CHECK_RATE", prefix="jobs:", address=client_ip)
