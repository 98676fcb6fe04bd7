"""The cases API: one router (garda/api.py mounts it), one module per part:
`reports` (the public report and tracking, no login) and `cases` (staff and the
worker's own)."""

from garda.apiutils import combine_routers
from garda.cases.api import cases, reports

router = combine_routers(reports.router, cases.router)
