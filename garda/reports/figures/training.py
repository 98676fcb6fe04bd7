"""Training outcomes: enrolments in the period (by the date they were made) and how
they ended, per course and per city of domicile; certificates issued in the period
per course.

Queries (QUERIES): the enrolments per (course, city) with a count per status, the
certificates per (course, city) issued in the period, and the cities' names.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from garda.reports.figures import EVERY_STAFF_READER, Column, Dashboard, Table, add
from garda.reports.figures.common import cities_of, in_period
from garda.reports.snapshots import register
from garda.training.models import Certificate, Enrolment

QUERIES = 3
S = Enrolment.Status
COUNTS = (
    Column("enrolments", _("Enrolments")),
    Column("enrolled", _("Enrolled (still in training)")),
    Column("waitlisted", _("On the waiting list")),
    Column("completed", _("Completed")),
    Column("withdrawn", _("Withdrawn")),
    Column("no_show", _("Did not show up")),
    Column("certified", _("Certificates issued")),
)

DASHBOARD = add(
    Dashboard(
        name="training",
        title=_("Training outcomes"),
        text=_("Enrolments, completions and certificates per course and city."),
        # Every provider's batches: not for trainers (garda/reports/figures/__init__.py).
        roles=EVERY_STAFF_READER,
        period_note=_(
            "Enrolments made in the period and their status now; certificates issued in the period."
        ),
        tables=(
            Table(
                "by_course",
                _("By course"),
                (Column("course", _("Course")),),
                COUNTS,
                chart="completed",
            ),
            Table(
                "by_city",
                _("By city of domicile"),
                (Column("city", _("City or regency of domicile")),),
                COUNTS,
                chart="completed",
            ),
        ),
    )
)


@register("training")
def compute(period: str) -> dict:
    enrolments = (
        Enrolment.objects.filter(in_period("created_at", period))
        .order_by()
        .values("batch__course__code", "batch__course__title", "person__regency_code")
        .annotate(
            enrolments=Count("id"),
            **{s: Count("id", filter=Q(status=s)) for s in S.values},
        )
    )
    certificates = (
        Certificate.objects.filter(
            in_period("issued_on", period, dates=True),
            status=Certificate.Status.VALID,
            course__isnull=False,
        )
        .order_by()
        .values("course__code", "course__title", "person__regency_code")
        .annotate(n=Count("id"))
    )
    rows: dict = {}
    titles: dict = {}

    def row(code, city):
        return rows.setdefault(
            (code, city),
            {"course": code, "city": city, **{c.key: 0 for c in COUNTS}},
        )

    for g in enrolments:
        code = g["batch__course__code"]
        titles[code] = g["batch__course__title"]
        r = row(code, g["person__regency_code"] or "")
        r["enrolments"] += g["enrolments"]
        for s in S.values:
            r[s] += g[s]
    for g in certificates:
        titles[g["course__code"]] = g["course__title"]
        row(g["course__code"], g["person__regency_code"] or "")["certified"] += g["n"]
    found = list(rows.values())
    tables = {
        "by_course": found,
        # The same rows: the city table folds them on its own key.
        "by_city": found,
    }
    return {"tables": tables, "cities": cities_of(tables), "labels": {"course": titles}}
