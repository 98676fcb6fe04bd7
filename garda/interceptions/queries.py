"""The register's list as the page and the API filter it (period, place, signs)."""

from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from garda.interceptions import policy


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filter_interceptions(
    qs: QuerySet,
    *,
    start: date | None = None,
    end: date | None = None,
    place_kind: str = "",
    signs: str = "",
) -> QuerySet:
    """`start`/`end`: the days (Jakarta time) of the interception, both included;
    `signs`: "signs" for the levels that open a case, "none" for the others."""
    if start:
        qs = qs.filter(intercepted_at__gte=_day_start(start))
    if end:
        from datetime import timedelta

        qs = qs.filter(intercepted_at__lt=_day_start(end + timedelta(days=1)))
    if place_kind:
        qs = qs.filter(place_kind=place_kind)
    levels = policy.current().case_levels
    if signs == "signs":
        qs = qs.filter(screening_level__in=levels)
    elif signs == "none":
        qs = qs.exclude(screening_level__in=levels)
    return qs


def register_rows(qs: QuerySet) -> QuerySet:
    """What a list row shows, fetched in one query."""
    return qs.select_related("person", "case", "intercepted_by", "destination").order_by(
        "-intercepted_at", "-id"
    )
