"""Rate limits of the public certificate doors, per client address (the generic budget
is `garda.throttles.AddressThrottle`; its counters here are under "training:", in the
shared `throttle` cache every server process sees).

- QR verification by code (`GARDA_CERTIFICATE_VERIFY_RATE`, 60 a minute), page and
  `GET /api/v1/certificates/verify/{code}` together;
- the check by number and birth date (`GARDA_CERTIFICATE_CHECK_RATE`, 30 an hour),
  page and `POST /api/v1/certificates/check` together (a blank form does not count).

The address is `garda.audit.context.client_ip`: REMOTE_ADDR, or behind
GARDA_PROXY_COUNT trusted proxies the entry the outermost of them added; whatever a
client writes into X-Forwarded-For itself is ignored (issue 19, weakness 9).

A public answer writes no audit row (a flood of checks would flood the log); the first
refusal of an address in a window writes one `denied` row, so an operator sees who
went over the budget without one row per request.
"""

from garda.audit.context import client_ip
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.throttles import CACHE_ALIAS, AddressThrottle

__all__ = ["CACHE_ALIAS", "CERTIFICATE_CHECK", "CERTIFICATE_VERIFY", "allow_public"]

CERTIFICATE_VERIFY = AddressThrottle(
    "certificate_verify", "GARDA_CERTIFICATE_VERIFY_RATE", prefix="training:", address=client_ip
)
CERTIFICATE_CHECK = AddressThrottle(
    "certificate_check", "GARDA_CERTIFICATE_CHECK_RATE", prefix="training:", address=client_ip
)


def allow_public(throttle: AddressThrottle, request) -> bool:
    """Count one public answer; False when the address is over its budget. The first
    refusal in a window writes one `denied` audit row (never one per request)."""
    count = throttle.hit(request)
    limit, _window = throttle.rate
    if count <= limit:
        return True
    if count == limit + 1:
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.DENIED,
            object_type="training.certificate",
            reason=f"public {throttle.scope.replace('_', ' ')} over the budget",
        )
    return False
