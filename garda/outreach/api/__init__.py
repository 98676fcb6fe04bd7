"""The outreach API: one router (garda/api.py mounts it), one module per part:
`events` (events, registrations, check-in, the funnel) and `announcements`."""

from garda.apiutils import combine_routers
from garda.outreach.api import announcements, events

router = combine_routers(events.router, announcements.router)
