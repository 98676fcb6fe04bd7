"""Background jobs of documents (huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from garda.documents.services import document_expiry_remind


@db_periodic_task(crontab(hour="6", minute="0"))
def document_expiry_reminders() -> int:
    """Every morning at 06:00: remind workers and their officers of documents whose
    validity ends within 30 days, has ended, or is below the type's minimum remaining
    validity (a passport under 18 months), once per window (services.
    document_expiry_remind). Returns the number of documents reminded."""
    return document_expiry_remind()
