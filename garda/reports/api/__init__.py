"""The reports API: one router (garda/api.py mounts it), one module per part:
`dashboards` (the staff's figures from snapshots, exports) and `public` (the public
statistics with small-cell suppression)."""

from garda.apiutils import combine_routers
from garda.reports.api import dashboards, public

router = combine_routers(dashboards.router, public.router)
