"""What every figures module needs: the period as a condition, the cities' names."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from garda.reports.snapshots import period_bounds


def in_period(field: str, period: str, *, dates: bool = False) -> Q:
    """`field` within the period's [start, end) (a DateField when `dates`); Q() for
    "all"."""
    start, end = period_bounds(period)
    if start is None:
        return Q()
    if dates:
        start, end = start.date(), end.date()
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def date_bounds(period: str) -> tuple[dt.date | None, dt.date | None]:
    """The period's first and last day (None, None for "all")."""
    start, end = period_bounds(period)
    if start is None:
        return None, None
    return start.date(), end.date() - dt.timedelta(days=1)


def city_names(codes) -> dict[str, str]:
    """{kab/kota code: name} for the codes found: one query."""
    from garda.places.models import Region

    codes = {c for c in codes if c}
    if not codes:
        return {}
    return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))


def country_names(codes) -> dict[str, str]:
    from garda.places.models import Country

    codes = {c for c in codes if c}
    if not codes:
        return {}
    return dict(Country.objects.filter(code__in=codes).values_list("code", "name_id"))


def cities_of(tables: dict) -> dict[str, str]:
    """The names of every city the tables' rows carry."""
    return city_names(r.get("city") for rows in tables.values() for r in rows)


def count_where(q: Q, field: str = "id"):
    """Count(field) over the rows `q` keeps; every row when `q` is empty (a period of
    "all": an empty Q is no condition, and no FILTER clause either)."""
    from django.db.models import Count

    return Count(field, filter=q) if q else Count(field)


def either(a: Q, b: Q) -> Q:
    """a OR b, where an empty Q means "every row" (not "no condition on this side")."""
    if not a or not b:
        return Q()
    return a | b
