"""Remove stored files that no document refers to.

The upload service removes the files of an upload that fails, but a caller that wraps
it in a larger transaction which then rolls back, or a crash between writing a file
and committing its row, can leave an encrypted file behind. This sweep deletes such
files (and half-written `.tmp` files) once they are older than --min-age, so that an
upload in progress is never touched.

The file store is shared: a document's pages and a protection case's files (any model
with a `storage_name` field) live in it, so a file is an orphan only when no such
model names it.
"""

import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand

from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.documents import storage

BATCH = 1000


def _owners() -> list:
    """Every model whose rows name a stored file (documents' pages, cases' files...),
    found through the app registry: the apps above documents are not imported."""
    return [
        model
        for model in apps.get_models()
        if any(field.name == "storage_name" for field in model._meta.concrete_fields)
    ]


class Command(BaseCommand):
    help = "Delete stored document files that no document refers to (orphans)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-age", type=int, default=3600, help="seconds a file must be old (3600)"
        )
        parser.add_argument("--dry-run", action="store_true", help="only count them")

    def handle(self, *args, min_age: int, dry_run: bool, **options):
        root = Path(settings.GARDA_FILES_DIR) / storage.SUBDIR
        cutoff = time.time() - min_age
        candidates = (
            [p for p in root.glob("*/*") if p.is_file() and p.stat().st_mtime < cutoff]
            if root.exists()
            else []
        )
        orphans = [p for p in candidates if p.suffix == ".tmp"]
        named = [p for p in candidates if p.suffix != ".tmp"]
        for start in range(0, len(named), BATCH):
            chunk = named[start : start + BATCH]
            names = [p.name for p in chunk]
            known = set()
            for model in _owners():
                known.update(
                    model._default_manager.filter(storage_name__in=names).values_list(
                        "storage_name", flat=True
                    )
                )
            orphans += [p for p in chunk if p.name not in known]
        if not dry_run:
            for path in orphans:
                path.unlink(missing_ok=True)
            if orphans:
                audit_record(
                    actor=None,
                    action=AuditEvent.Action.DELETE,
                    object_type="documents.documentfile",
                    reason=f"sweep: {len(orphans)} orphaned files",
                )
        verb = "would delete" if dry_run else "deleted"
        self.stdout.write(f"{verb} {len(orphans)} orphaned files")
        return None
