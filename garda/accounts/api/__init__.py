"""The accounts API: one router, mounted by garda/api.py; one module per part."""

from garda.accounts.api import account, notifications
from garda.apiutils import combine_routers

router = combine_routers(account.router, notifications.router)
