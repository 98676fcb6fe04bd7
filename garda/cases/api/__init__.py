"""The cases API: one router (garda/api.py mounts it), one module per part:
`reports` (the public report and tracking, no login), `cases` (staff: intake, the
list, one case and its workflow), `record` (staff: notes, screening, tasks, services,
the timeline) and `mine` (the worker's own cases)."""

from garda.apiutils import combine_routers
from garda.cases.api import cases, mine, reports
from garda.cases.api import record as record_api

router = combine_routers(reports.router, cases.router, record_api.router, mine.router)
