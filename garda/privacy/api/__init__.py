"""The privacy API: one router (garda/api.py mounts it), one module per part:
`export` (all of a person's data: the worker's own, the desk's for a person) and
`corrections` (the worker's requests, the officers' queue and decisions)."""

from garda.apiutils import combine_routers
from garda.privacy.api import corrections, export

router = combine_routers(export.router, corrections.router)
