"""The demo's past year (`garda demo`): the public statistics publish a year only once
it has ended (docs/statistics.md), and the demo's people are all registered on the day
it is set up. So half of them (every second record) are dated back into last year,
one month each in turn, and the job's first run publishes last year's figures: the
public page has a year to show. Idempotent: done once, when no record is dated before
this year."""

import datetime as dt

from django.db import transaction
from django.utils import timezone


def populate_past_year() -> int:
    """Date every second demo record back into last year; returns how many."""
    from garda.people.models import Person

    tz = timezone.get_current_timezone()
    year = timezone.localdate().year - 1
    this_year = dt.datetime(year + 1, 1, 1, tzinfo=tz)
    if Person.objects.filter(created_at__lt=this_year).exists():
        return 0
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))[::2]
    with transaction.atomic():
        for n, pk in enumerate(ids):
            when = dt.datetime(year, n % 12 + 1, 15, 10, 0, tzinfo=tz)
            Person.objects.filter(pk=pk).update(created_at=when)
    return len(ids)
