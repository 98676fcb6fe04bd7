"""The jobs API: one router (garda/api.py mounts it), one module per part: `public`
(the vacancy board, the licence register, "is this job real?", no login), `orders`
(job orders and their checks), `parties` (employers, partners, the problematic list),
`applications` (applying, nominations, the pipeline), `placement` (placements,
orientation sessions, the export), `matching` (the candidates of an order, the matches
of a person)."""

from garda.apiutils import combine_routers
from garda.jobs.api import applications, matching, orders, parties, placement, public

router = combine_routers(
    public.router,
    orders.router,
    parties.router,
    applications.router,
    placement.router,
    matching.router,
)
