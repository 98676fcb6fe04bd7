"""Rate limits of the public doors of the cases app, per client address (the
generic budget is `garda.throttles.AddressThrottle`; its counters here are under
"cases:").

- reports (`GARDA_REPORT_RATE`, 5 an hour): accepted reports, the page and
  `POST /api/v1/reports` together (a report refused for a typo does not count: a
  person fixing their form must not be locked out; a honeypot hit counts);
- tracking (`GARDA_TRACK_RATE`, 20 an hour): every try of a number and a secret,
  the page and `GET /api/v1/reports/{reference}` together, found or not.

The client address is `garda.audit.context.client_ip` (REMOTE_ADDR, or behind
`PROXY_COUNT` trusted proxies the address the outermost one saw; what a client
writes in X-Forwarded-For itself is ignored), as in the audit rows and lockouts.
"""

from garda.audit.context import client_ip
from garda.throttles import CACHE_ALIAS, PERIODS, AddressThrottle, parse_rate

__all__ = ["CACHE_ALIAS", "PERIODS", "REPORT", "TRACK", "AddressThrottle", "parse_rate"]

REPORT = AddressThrottle("report", "GARDA_REPORT_RATE", prefix="cases:", address=client_ip)
TRACK = AddressThrottle("track", "GARDA_TRACK_RATE", prefix="cases:", address=client_ip)
