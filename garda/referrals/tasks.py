"""Background jobs of the referrals (huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/10"))
def referral_escalations() -> dict:
    """Every 10 minutes: referrals not answered or not reported back by their
    deadline escalated (services/escalation.py)."""
    from garda.referrals.services.escalation import escalate

    return escalate()
