"""Cases: protection cases opened in the period by kind, stage, severity and status,
and clock compliance — each clock of those cases met on time, late (done late, or past
due and not done), at risk or running, when the job ran (garda/cases/dashboard.py's
conditions).

The city is the worker's city of domicile when the case is linked to a registered
person, else the home region the report gave (its kab/kota part).

Queries (QUERIES): the cases per (stage, severity, status, city), the kinds per
(kind, city), the clocks per (clock, city) with a count per state, and the cities'
names.
"""

from django.db.models import CharField, Count, F, Value
from django.db.models.functions import Coalesce, NullIf, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from garda.cases import clocks
from garda.cases.dashboard import clock_q
from garda.cases.models import Case, CaseKind, Clock, Kind, Severity, Stage, Status
from garda.reports.figures import EVERY_STAFF_READER, Column, Dashboard, Table, add
from garda.reports.figures.common import cities_of, in_period
from garda.reports.snapshots import register

QUERIES = 4
CASES = (Column("cases", _("Cases")),)
CLOCK_STATES = (
    Column("met", _("Met on time")),
    Column("late", _("Late")),
    Column("at_risk", _("At risk")),
    Column("running", _("Running")),
)
CITY = Column("city", _("City or regency of domicile"))

DASHBOARD = add(
    Dashboard(
        name="cases",
        title=_("Cases"),
        text=_("Cases by kind, stage and severity; deadlines met on time or late."),
        roles=EVERY_STAFF_READER,
        period_note=_(
            "Cases opened in the period; their stage, status and clocks as they are now."
        ),
        tables=(
            Table(
                "by_kind",
                _("By kind"),
                (Column("kind", _("Kind"), dict(Kind.choices)),),
                CASES,
                chart="cases",
                note=_("A case with several kinds counts once under each."),
            ),
            Table(
                "by_stage",
                _("By stage"),
                (Column("stage", _("Stage"), dict(Stage.choices)),),
                CASES,
                chart="cases",
            ),
            Table(
                "by_severity",
                _("By severity"),
                (Column("severity", _("Severity"), dict(Severity.choices)),),
                CASES,
                chart="cases",
            ),
            Table(
                "by_status",
                _("By status"),
                (Column("status", _("Status"), dict(Status.choices)),),
                CASES,
                chart="cases",
            ),
            Table("by_city", _("By city"), (CITY,), CASES, chart="cases"),
            Table(
                "clocks",
                _("Clock compliance"),
                (Column("clock", _("Deadline"), dict(Clock.Name.choices)),),
                CLOCK_STATES,
                chart="late",
            ),
        ),
    )
)


def _city(prefix: str = ""):
    return Coalesce(
        NullIf(F(f"{prefix}person__regency_code"), Value("")),
        Substr(f"{prefix}subject_region", 1, 5),
        output_field=CharField(),
    )


@register("cases")
def compute(period: str) -> dict:
    now = timezone.now()
    cases = Case.objects.filter(in_period("created_at", period)).order_by()
    groups = list(
        cases.annotate(c=_city())
        .values("stage", "severity", "status", "c")
        .annotate(cases=Count("id"))
    )
    kinds = list(
        CaseKind.objects.filter(in_period("case__created_at", period))
        .order_by()
        .annotate(c=_city("case__"))
        .values("kind", "c")
        .annotate(cases=Count("case", distinct=True))
    )
    states = {
        "met": clocks.MET,
        "late": clocks.BREACHED,
        "at_risk": clocks.AT_RISK,
        "running": clocks.RUNNING,
    }
    clock_rows = list(
        Clock.objects.filter(in_period("case__created_at", period))
        .order_by()
        .annotate(c=_city("case__"))
        .values("name", "c")
        .annotate(**{k: Count("id", filter=clock_q(s, now)) for k, s in states.items()})
    )
    rows = [
        {
            "stage": g["stage"],
            "severity": g["severity"],
            "status": g["status"],
            "city": g["c"] or "",
            "cases": g["cases"],
        }
        for g in groups
    ]
    tables = {
        "by_kind": [{"kind": k["kind"], "city": k["c"] or "", "cases": k["cases"]} for k in kinds],
        "by_stage": rows,
        "by_severity": rows,
        "by_status": rows,
        "by_city": rows,
        "clocks": [
            {"clock": c["name"], "city": c["c"] or "", **{k: c[k] for k in states}}
            for c in clock_rows
        ],
    }
    return {"tables": tables, "cities": cities_of(tables)}
