"""The people API: one router, mounted by garda/api.py; one module per part."""

from garda.apiutils import combine_routers
from garda.people.api import imports, registry

router = combine_routers(registry.router, imports.router)
