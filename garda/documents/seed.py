"""The document types every database starts with.

The data, with its sources and what each field means, is in
garda/documents/data/document_types.toml (format in garda/refdata.py). `apply()`
writes it to the database; migration 0002_seed_document_types created the first rows
from its own frozen copy. The readiness rules and the training catalogue refer to the
types by code.
"""

from pathlib import Path

from garda import refdata

DATA = Path(__file__).resolve().parent / "data"

DOCUMENT_TYPES: list[dict] = refdata.load(DATA / "document_types.toml")["document_types"]


def apply(apps=None) -> dict[str, int]:
    """Create or update every type by its code (idempotent); return how many were
    created. `apps` is a migration's registry (historical models) or None for the
    real models."""
    DocumentType = refdata.registry(apps).get_model("documents", "DocumentType")
    created = 0
    for row in DOCUMENT_TYPES:
        values = {k: v for k, v in row.items() if k != "code"}
        _, made = DocumentType.objects.update_or_create(code=row["code"], defaults=values)
        created += made
    return {"document_types": created}
