"""Blocks on placement that other apps know of (docs/matching.md, "Hard filters").

A person with an open protection case is not put forward for a job. The cases app
sits above the jobs app (garda/tests/test_layers.py) and may not be imported here:
it registers its check when it starts (CasesConfig.ready). A check is
`fn(person_ids) -> set of blocked ids`, where `person_ids` is a list of ids (up to
ten thousand: `where_ids` filters on them cheaply), so that it runs as one query.
Without any check registered nobody is blocked.
"""

from collections.abc import Callable

from django.db import connections

_checks: list[Callable] = []


def where_ids(qs, column: str, ids):
    """`qs` filtered on `column IN (ids)`, the ids written into the SQL as integers:
    the same as `filter(column__in=ids)` without the ORM's per-value preparation,
    which costs more than the query for tens of thousands of ids."""
    ops = connections[qs.db].ops
    table = qs.model._meta.db_table
    field = qs.model._meta.get_field(column)
    quoted = f"{ops.quote_name(table)}.{ops.quote_name(field.column)}"
    values = ",".join(str(int(i)) for i in ids) or "NULL"
    return qs.extra(where=[f"{quoted} IN ({values})"])  # noqa: S610 (integers only)


def register_block(fn: Callable) -> None:
    """Add a check (registered once: a second registration of `fn` is ignored)."""
    if fn not in _checks:
        _checks.append(fn)


def blocked(person_ids) -> set[int]:
    """The ids among `person_ids` that a registered check blocks."""
    found: set[int] = set()
    for fn in _checks:
        found |= set(fn(person_ids))
    return found
