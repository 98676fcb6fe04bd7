"""Background jobs of lapor diri (huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="15", hour="1"))
def abroad_reminders() -> dict:
    """Every day at 01:15: contract-end reminders, check-ins asked, lost contact."""
    from garda.abroad.services.reminders import run

    return run()
