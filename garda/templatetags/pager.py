"""Numbered pagination (docs/design-ui.md §3, Pagination): `{% load pager %}` then
`page|page_numbers` gives the page numbers to link, with None where "…" stands for a
gap: the first and last page, and the current one with one on each side."""

from django import template

register = template.Library()


@register.filter
def page_numbers(page) -> list[int | None]:
    last = page.paginator.num_pages
    wanted = {1, last, page.number - 1, page.number, page.number + 1}
    numbers: list[int | None] = []
    for n in sorted(n for n in wanted if 1 <= n <= last):
        if numbers and n - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(n)
    return numbers
