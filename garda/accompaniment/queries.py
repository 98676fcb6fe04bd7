"""Small query helpers shared by the worklist, the workload and the timeline."""

from django.db.models import IntegerField, QuerySet, Subquery


class SubqueryCount(Subquery):
    """COUNT(*) of a correlated subquery, as a column: one query for a whole list
    instead of one per row. Written as a wrapped COUNT so that it needs no GROUP BY
    on the outer reference (the same SQL on SQLite and PostgreSQL)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()

    def __init__(self, queryset: QuerySet, **extra):
        super().__init__(queryset.order_by().values("pk"), **extra)


def first_value(queryset: QuerySet, field: str) -> Subquery:
    """The smallest `field` of a correlated subquery (NULLs never win)."""
    return Subquery(
        queryset.filter(**{f"{field}__isnull": False}).order_by(field).values(field)[:1]
    )
