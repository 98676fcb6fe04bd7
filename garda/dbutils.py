"""Database helpers for bulk paths (imports), shared by the apps."""

from collections.abc import Sequence

from django.db import connections, models, router


def fast_insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """INSERT `objs` with one executemany, without reading back their ids.

    Each field still goes through its own pre_save and get_db_prep_save (auto_now
    dates, encryption, JSON), exactly what bulk_create does; what is skipped is the
    SQL compiler's per-value work, which dominates a bulk_create of thousands of
    rows. Callers that need the new ids look them up by a unique column.
    """
    if not objs:
        return
    using = router.db_for_write(model)
    connection = connections[using]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - quoted names only
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def refresh_statistics(*models_: type[models.Model], using: str = "default") -> None:
    """Let the query planner see the data as it is now (after a bulk import, and
    nightly). Without statistics SQLite takes any indexed equality for selective:
    `status = 'registered'`, true of most of the registry, would be read through its
    index and sorted instead of read in id order. analysis_limit bounds the work
    (an estimate from a sample of each index), a few seconds at a million persons.
    With models, only their tables."""
    connection = connections[using]
    tables = [connection.ops.quote_name(m._meta.db_table) for m in models_]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=2000")
            for table in tables or [""]:
                cursor.execute(f"ANALYZE {table}")
        elif connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(tables)}")
