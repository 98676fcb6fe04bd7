"""Background jobs of the accounts app (huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from garda.accounts.services import signups_unconfirmed_purge


@db_periodic_task(crontab(hour="4", minute="10"))
def purge_unconfirmed_signups() -> int:
    """Daily (04:10): delete sign-ups nobody confirmed within
    GARDA_SIGNUP_UNCONFIRMED_DAYS, so their addresses can sign up again."""
    return signups_unconfirmed_purge()
