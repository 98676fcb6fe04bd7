"""The accompaniment API: one router, mounted by garda/api.py; one module per part."""

from garda.accompaniment.api import person, worklist
from garda.apiutils import combine_routers

router = combine_routers(person.router, worklist.router)
