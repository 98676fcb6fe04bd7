"""The destinations API: one router, mounted by garda/api.py; one module per part."""

from garda.apiutils import combine_routers
from garda.destinations.api import readiness, rules

router = combine_routers(rules.router, readiness.router)
