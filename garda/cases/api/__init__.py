"""The cases API: one router (garda/api.py mounts it), one module per part:
`reports` (the public report and tracking, no login), `cases` (staff: intake, the
list, one case and its workflow), `record` (staff: notes, screening, tasks, services,
the timeline), `mine` (the worker's own cases) and `transfers` (to another
agency, and the old owner's trail), `repatriation` (a repatriation and its steps and
statements) and `evacuations` (mass evacuations, flights, the arrivals board)."""

from garda.apiutils import combine_routers
from garda.cases.api import cases, evacuations, mine, repatriation, reports, transfers
from garda.cases.api import record as record_api

router = combine_routers(
    reports.router,
    cases.router,
    record_api.router,
    mine.router,
    transfers.router,
    repatriation.router,
    evacuations.router,
)
