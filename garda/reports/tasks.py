"""Background jobs of the reports (huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="7"))
def reports_snapshot() -> int:
    """Every hour: the dashboards' snapshots for all time, this year, last year and
    this month (garda/reports/snapshots.py); the public statistics of last year once,
    on the first run after it ended. Returns how many were written."""
    from garda.reports.snapshots import snapshot_all

    return len(snapshot_all())
