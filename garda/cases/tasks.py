"""Background jobs of the cases (huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/10"))
def case_escalations() -> dict:
    """Every 10 minutes: clocks at risk told to their owner, overdue ones escalated."""
    from garda.cases.services.escalation import escalate

    return escalate()
