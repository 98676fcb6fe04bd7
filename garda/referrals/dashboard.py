"""Referrals answered on time, per receiving agency (docs/referrals.md,
"Follow-through"): for the referrals asked in a period (a year or a month, Jakarta
time), how many each agency received, answered, answered by the answer-by date,
declined, reported back, reported by the report-back date, and the median time to an
answer; and how many of its referrals are overdue now (unanswered past `due_at`, or
accepted and not reported back past `report_due_at`), whenever they were asked.

One grouped aggregate query (QUERIES), whatever the number of referrals: the
database counts, never Python row by row. The median is the database's too:
PostgreSQL's percentile_cont; on SQLite an aggregate function Garda registers on the
connection (garda_median).

Only counts leave this module: no case, person or referral is named.
"""

import re
import statistics
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import NotSupportedError
from django.db.models import Aggregate, Count, F, FloatField, Q
from django.utils import timezone

from garda.accounts import roles
from garda.accounts.models import Agency, User
from garda.referrals.models import Referral
from garda.referrals.services.escalation import open_overdue_q

QUERIES = 1
PERIOD = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2}))?$")
# Who sees which rows: supervisors and admins every agency's; a partner their own.
ROLES = frozenset({roles.SUPERVISOR, roles.ADMIN, roles.PARTNER})


@dataclass(frozen=True)
class Period:
    """A calendar year ("2026") or month ("2026-03"): [start, end) in local days."""

    value: str
    start: date
    end: date

    @property
    def is_month(self) -> bool:
        return len(self.value) == 7

    def bounds(self) -> tuple[datetime, datetime]:
        make = timezone.make_aware
        return make(datetime.combine(self.start, time.min)), make(
            datetime.combine(self.end, time.min)
        )


def parse_period(raw: str | None, today: date | None = None) -> Period:
    """ "YYYY" or "YYYY-MM"; empty: this year. ValueError for anything else."""
    today = today or timezone.localdate()
    raw = (raw or "").strip() or str(today.year)
    match = PERIOD.match(raw)
    if match is None:
        raise ValueError(raw)
    year = int(match["year"])
    if not 2000 <= year <= 2999:
        raise ValueError(raw)
    if match["month"] is None:
        return Period(raw, date(year, 1, 1), date(year + 1, 1, 1))
    month = int(match["month"])
    if not 1 <= month <= 12:
        raise ValueError(raw)
    end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return Period(raw, date(year, month, 1), end)


class _Median(Aggregate):
    """The median of (end - start) in seconds, over the rows the filter keeps."""

    name = "MedianSeconds"
    output_field = FloatField()
    PG = "percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (%(expressions)s)))"

    def __init__(self, start: str, end: str, **extra):
        super().__init__(F(end), F(start), **extra)

    def as_postgresql(self, compiler, connection, **extra):
        clone = self.copy()
        clone.template, clone.arg_joiner = self.PG, " - "
        return super(_Median, clone).as_sql(compiler, connection, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # The seconds are computed by SQLite (julianday, in C); Python only sorts.
        connection.ensure_connection()
        connection.connection.create_aggregate("garda_median", 1, _SqliteMedian)
        clone = self.copy()
        clone.template = "garda_median((julianday(%(expressions)s)) * 86400.0)"
        clone.arg_joiner = ") - julianday("
        return super(_Median, clone).as_sql(compiler, connection, **extra)

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError("median: PostgreSQL or SQLite only")


class _SqliteMedian:
    """garda_median(x) for SQLite: the median of the non-null values."""

    def __init__(self):
        self.values: list[float] = []

    def step(self, value):
        if value is not None:
            self.values.append(value)

    def finalize(self):
        return statistics.median(self.values) if self.values else None


@dataclass(frozen=True)
class Row:
    agency_id: int
    name: str
    short_name: str
    kind: str
    received: int
    answered: int
    answered_on_time: int
    declined: int
    reported: int
    reported_on_time: int
    overdue_now: int
    median_answer_hours: float | None

    @property
    def on_time_percent(self) -> int | None:
        """Answered on time, in per cent of the referrals received."""
        if not self.received:
            return None
        return round(100 * self.answered_on_time / self.received)

    @property
    def kind_label(self) -> str:
        return str(Agency.Kind(self.kind).label) if self.kind in Agency.Kind.values else self.kind


def agency_scope(user: User) -> int | None:
    """The one agency `user` may see the row of (partners), or None for all
    (supervisors, admins). A partner without an agency sees nothing (-1)."""
    if user.role == roles.PARTNER:
        return user.agency_id or -1
    return None


def rows(
    *,
    period: Period,
    kind: str = "",
    agency_id: int | None = None,
    now: datetime | None = None,
) -> list[Row]:
    """One row per receiving agency with referrals asked in `period` or overdue now:
    one query."""
    now = now or timezone.now()
    start, end = period.bounds()
    asked = Q(requested_at__gte=start, requested_at__lt=end)
    overdue = open_overdue_q(now)
    qs = Referral.objects.filter(asked | overdue)
    if kind:
        qs = qs.filter(agency__kind=kind)
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    found = (
        qs.order_by()
        .values("agency_id", "agency__name", "agency__short_name", "agency__kind")
        .annotate(
            received=Count("id", filter=asked),
            answered=Count("id", filter=asked & Q(answered_at__isnull=False)),
            answered_on_time=Count("id", filter=asked & Q(answered_at__lte=F("due_at"))),
            declined=Count("id", filter=asked & ~Q(decline_reason="")),
            reported=Count("id", filter=asked & Q(reported_at__isnull=False)),
            reported_on_time=Count("id", filter=asked & Q(reported_at__lte=F("report_due_at"))),
            overdue_now=Count("id", filter=overdue),
            median=_Median("requested_at", "answered_at", filter=asked),
        )
        .order_by("agency__short_name")
    )
    return [
        Row(
            agency_id=r["agency_id"],
            name=r["agency__name"],
            short_name=r["agency__short_name"],
            kind=r["agency__kind"],
            received=r["received"],
            answered=r["answered"],
            answered_on_time=r["answered_on_time"],
            declined=r["declined"],
            reported=r["reported"],
            reported_on_time=r["reported_on_time"],
            overdue_now=r["overdue_now"],
            median_answer_hours=(round(r["median"] / 3600, 1) if r["median"] is not None else None),
        )
        for r in found
    ]


def totals(found: list[Row]) -> dict:
    """The sums of the counts over `found` (the table's last line)."""
    keys = (
        "received",
        "answered",
        "answered_on_time",
        "declined",
        "reported",
        "reported_on_time",
        "overdue_now",
    )
    return {k: sum(getattr(r, k) for r in found) for k in keys}
