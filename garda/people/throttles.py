"""The budget of identity look-ups, per user (the generic budget is
`garda.throttles.AddressThrottle`, keyed here by `garda.throttles.user_key`; its
counters under "people:", in the shared `throttle` cache every server process sees).

- `GARDA_IDENTITY_LOOKUP_RATE` (20 an hour): every look-up of a person by identity
  number, the registry search with a NIK (page and `GET /api/v1/people?q=`) and the
  check of a number against a record (page and API), together. See
  services/lookups.py for what is audited and when supervisors are alerted.
"""

from garda.throttles import CACHE_ALIAS, AddressThrottle, user_key

__all__ = ["CACHE_ALIAS", "IDENTITY_LOOKUP"]

IDENTITY_LOOKUP = AddressThrottle(
    "identity_lookup", "GARDA_IDENTITY_LOOKUP_RATE", prefix="people:", address=user_key
)
