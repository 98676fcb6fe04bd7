"""Background jobs of the jobs app (huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="2", minute="15"))
def job_orders_recheck() -> dict:
    """Each night: the checks of every published order run again (a licence suspended,
    an employer listed, a moratorium or a new wage floor takes it off the board), and
    orders past their closing date close."""
    from garda.jobs.services.orders import orders_recheck

    return orders_recheck()
