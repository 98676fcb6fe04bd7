"""Rate limit of the sign-up's e-mails, per client address (the generic budget is
`garda.throttles.AddressThrottle`; its counters here are under "accounts:").

- sign-up and "send the link again" (`GARDA_SIGNUP_RATE`, 10 an hour) together: each
  sends one e-mail to an address the client typed (a form refused for a typo does not
  count).
"""

from garda.audit.context import client_ip
from garda.throttles import AddressThrottle

SIGNUP = AddressThrottle("signup", "GARDA_SIGNUP_RATE", prefix="accounts:", address=client_ip)
