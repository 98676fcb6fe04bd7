from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 100_000
MAX_PAGE_SIZE = 200


class Pagination(PageNumberPagination):
    """`?page=N&page_size=M`, both bounded: a huge number must be a 422, not an
    integer overflow in the database."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)
