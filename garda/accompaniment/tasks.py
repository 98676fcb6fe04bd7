"""Background jobs of the accompaniment (huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="7"))
def task_reminders() -> int:
    """Hourly (at :07): remind officers of tasks that became due, and officers and
    workers of appointments in the next 24 hours; each task once."""
    from garda.accompaniment.reminders import task_reminders_send

    return task_reminders_send()
