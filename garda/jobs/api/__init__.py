"""The jobs API: one router (garda/api.py mounts it), one module per part: `public`
(the vacancy board, the licence register, "is this job real?", no login), `orders`
(job orders and their checks), `parties` (employers, partners, the problematic list)."""

from garda.apiutils import combine_routers
from garda.jobs.api import orders, parties, public

router = combine_routers(public.router, orders.router, parties.router)
