from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 100_000
MAX_PAGE_SIZE = 200
# Counting every match of a broad filter over a national registry costs more than
# the page itself (a million rows: most of a second on SQLite). Lists count up to
# this many and then say "more than".
COUNT_CAP = 10_000


def capped_count(items) -> tuple[int, bool]:
    """(number of items up to COUNT_CAP, whether there are more)."""
    if isinstance(items, QuerySet):
        n = items[: COUNT_CAP + 1].count()
    else:
        n = len(items)
    return min(n, COUNT_CAP), n > COUNT_CAP


class Pagination(PageNumberPagination):
    """`?page=N&page_size=M`, both bounded: a huge number must be a 422, not an
    integer overflow in the database. `count` stops at COUNT_CAP (`count_capped`)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)

    class Output(Schema):
        items: list[Any]
        count: int
        count_capped: bool = Field(
            False, description=f"true when there are more than {COUNT_CAP:,} items"
        )

    def paginate_queryset(self, queryset, pagination: Input, request, **params) -> Any:
        page_size = self._get_page_size(pagination.page_size)
        offset = (pagination.page - 1) * page_size
        count, capped = capped_count(queryset)
        return {
            "items": queryset[offset : offset + page_size],
            "count": count,
            "count_capped": capped,
        }


class CappedPaginator(Paginator):
    """Django's Paginator with the same capped count (pages beyond it are not
    offered: the filters narrow the list instead)."""

    capped = False

    @cached_property
    def count(self) -> int:
        count, self.capped = capped_count(self.object_list)
        return count
