"""Background jobs of the compliance app (huey).

The nightly purge is OFF unless GARDA_PURGE_NIGHTLY is true: erasing personal data is
a decision an administrator takes after reading the dry run (`garda purge`)."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="2", minute="30"))
def nightly_purge() -> dict | None:
    if not getattr(settings, "GARDA_PURGE_NIGHTLY", False):
        return None
    from garda.compliance.services.purge import purge

    report = purge(actor=None, apply=True)
    return {o.code: o.removed for o in report.outcomes}
