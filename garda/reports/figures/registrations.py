"""Registrations: persons registered in the period, by month, by city of domicile, by
sex and by status, and residents of DKI Jakarta apart from everyone processed.

The regional office processes everyone it serves, wherever they live; a resident is a
person whose domicile is in DKI Jakarta (`Person.domicile_jakarta`). Every table gives
both numbers: "processed" (every person registered) and "residents" (of them, those
living in Jakarta).

Queries (QUERIES): the persons per (city, sex, status, resident) — the city, sex,
status and residence tables fold from it — the persons per month (resident or not),
and the cities' names.
"""

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from garda.people.models import Person, Sex, Status
from garda.reports.figures import EVERY_STAFF_READER, Column, Dashboard, Table, add
from garda.reports.figures.common import cities_of, in_period
from garda.reports.snapshots import register

QUERIES = 3
RESIDENCE = {
    True: _("Lives in DKI Jakarta"),
    False: _("Lives outside Jakarta, or not recorded"),
}
PROCESSED = Column("processed", _("Persons processed"))
RESIDENTS = Column("residents", _("Of whom residents of DKI Jakarta"))
COUNTS = (PROCESSED, RESIDENTS)
CITY = Column("city", _("City or regency of domicile"))

DASHBOARD = add(
    Dashboard(
        name="registrations",
        title=_("Registrations"),
        text=_("Persons registered: by month, city of domicile, sex and status."),
        roles=EVERY_STAFF_READER,
        note=_(
            "Processed counts everyone the office registered, wherever they live; "
            "residents are those whose domicile is in DKI Jakarta."
        ),
        period_note=_("Persons registered in the period; their status as it is now."),
        tables=(
            Table(
                "residence",
                _("Residents of Jakarta and everyone processed"),
                keys=(Column("resident", _("Domicile"), RESIDENCE),),
                measures=(PROCESSED,),
                chart="processed",
            ),
            Table(
                "by_month",
                _("Registrations per month"),
                keys=(Column("month", _("Month")),),
                measures=COUNTS,
                chart="processed",
                by_city=False,
                keep_order=True,
            ),
            Table("by_city", _("By city of domicile"), (CITY,), COUNTS, chart="processed"),
            Table(
                "by_sex",
                _("By sex"),
                (Column("sex", _("Sex"), dict(Sex.choices)),),
                COUNTS,
                chart="processed",
            ),
            Table(
                "by_status",
                _("By status"),
                (Column("status", _("Status"), dict(Status.choices)),),
                COUNTS,
                chart="processed",
            ),
        ),
    )
)


@register("registrations")
def compute(period: str) -> dict:
    persons = Person.objects.active().filter(in_period("created_at", period)).order_by()
    resident = Q(domicile_jakarta=True)
    groups = list(
        persons.values("regency_code", "sex", "status", "domicile_jakarta").annotate(n=Count("id"))
    )
    months = list(
        persons.annotate(m=TruncMonth("created_at"))
        .values("m")
        .annotate(processed=Count("id"), residents=Count("id", filter=resident))
        .order_by("m")
    )
    residence: dict = {}
    by_city: dict = {}
    by_sex: dict = {}
    by_status: dict = {}
    for g in groups:
        city, n, res = g["regency_code"] or "", g["n"], g["domicile_jakarta"]
        for table, key in (
            (residence, ("resident", res)),
            (by_city, ("city", city)),
            (by_sex, ("sex", g["sex"])),
            (by_status, ("status", g["status"])),
        ):
            row = table.setdefault(
                (key[1], city), {key[0]: key[1], "city": city, "processed": 0, "residents": 0}
            )
            row["processed"] += n
            row["residents"] += n if res else 0
    for row in residence.values():
        row.pop("residents")
    tables = {
        "residence": list(residence.values()),
        "by_month": [
            {
                "month": m["m"].strftime("%Y-%m") if m["m"] else "",
                "processed": m["processed"],
                "residents": m["residents"],
            }
            for m in months
        ],
        "by_city": list(by_city.values()),
        "by_sex": list(by_sex.values()),
        "by_status": list(by_status.values()),
    }
    return {"tables": tables, "cities": cities_of(tables)}
