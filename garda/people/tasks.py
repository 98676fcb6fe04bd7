"""Background jobs of the registry (huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.people.services.duplicates import duplicates_batch


@db_periodic_task(crontab(hour="2", minute="30"))
def dedupe_registry() -> int:
    """Nightly batch run over the whole registry (02:30): catches pairs that the
    per-record check could not see (e.g. keys added by a newer engine version)."""
    count = sum(1 for _ in duplicates_batch())
    audit_record(
        actor=None,
        action=AuditEvent.Action.VIEW,
        object_type="people.person",
        reason=f"batch dedupe: {count} pairs",
    )
    return count


@db_periodic_task(crontab(hour="3", minute="15"))
def refresh_statistics_nightly() -> None:
    """Keep the query planner's statistics current as the registry grows (03:15)."""
    from garda.dbutils import refresh_statistics

    refresh_statistics()


@db_task()
def import_check_task(job_id: int) -> None:
    """The dry run of an uploaded import (imports.import_check)."""
    from garda.people.services.imports import import_check

    import_check(job_id)


@db_task()
def import_commit_task(job_id: int) -> None:
    """Write the valid rows of a checked import (imports.import_commit)."""
    from garda.people.services.imports import import_commit

    import_commit(job_id)
