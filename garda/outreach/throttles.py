"""Rate limit of the outreach app's public door, per client address (the generic
budget is `garda.throttles.AddressThrottle`; its counters here are under "outreach:").

- registration (`GARDA_EVENT_REGISTRATION_RATE`, 10 an hour): online registrations by
  visitors without an account, accepted or refused as already registered (that answer
  says a NIK is on the event's list: its tries are counted, so that nobody walks a list
  of NIKs through it). A form refused for a typo does not count. Workers signed in
  register as their own record, and staff at the door, without this budget.
"""

from garda.audit.context import client_ip
from garda.throttles import AddressThrottle

REGISTER = AddressThrottle(
    "register", "GARDA_EVENT_REGISTRATION_RATE", prefix="outreach:", address=client_ip
)
