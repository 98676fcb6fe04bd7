"""Reintegration outcomes per programme and per city (issue 16; docs/reintegration.md,
"Outcomes"): how many returnees had a plan within a month, which services were
delivered and how (directly or through a referral), the sustainability scores at each
follow-up month, and who left again, through the legal route or without it.

Definitions (over the plans whose return falls in the period; a withdrawn plan is
counted as withdrawn and left out of every other figure):
- plans: the plans kept (a person with two plans counts twice, once per plan);
- no_plan: the people who came home in the period (status returned, or brought home by
  a completed repatriation that is not the remains of a worker who died: the
  worklist's returnees, queries.py) and have no plan for that return (none under way,
  none completed since); their city is their registered kab/kota. They belong to no
  programme: counted in the totals and per city, not per programme (nor when a
  programme is chosen);
- returnees: plans + no_plan, the denominator of the share of returnees with a plan
  within a month;
- in_month: plans made by their due date (`made_on <= due_on`, a month after return);
  late: the others;
- goals: every goal of those plans; delivered (status done), of which directly and
  through a referral (Goal.via); dropped; open (still planned);
- the latest follow-up of a plan: its done follow-up with the highest month; its
  `remigration` answer gives legal, irregular, stayed ("no") and unknown ("unknown",
  or the question left unanswered); plans without a done follow-up are not_followed;
- helped through a referral: at least one goal delivered through a referral; helped
  directly: goals delivered, all directly; no help yet: nothing delivered. The mean
  composite score at the latest follow-up of each group, with its n (the plans of the
  group with a score): the IOM's finding is that referred returnees do worse;
- by_month: the done follow-ups at each month after return (3, 6, 12), their number
  and mean economic, social, psychosocial and composite scores (0–1).
Scores are never averaged across survey instruments (their questions and weights
differ): every score figure (the composites, by_month) is over the follow-ups scored
under one instrument, the active one unless another is chosen (`instrument`);
`other_instruments` counts the done follow-ups left out for that reason.
A mean over fewer than MIN_N values is not published (None): the count is shown, the
mean is "not reliable".

Five queries whatever the number of plans (QUERIES): the instrument (the active one),
the plans per (programme, city) with conditional counts and sums (the latest follow-up
and the kind of help as correlated subqueries), the goals per (programme, city), the
done follow-ups per (month, instrument) (the dimension scores read from the JSON with
KT and cast to a float, in SQLite and PostgreSQL alike), and the returnees without a
plan per city. Python only folds the (programme, city) groups into the rows per
programme, per city and the totals, and divides sums by counts.
"""

from dataclasses import dataclass, field, fields
from datetime import date

from django import forms
from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from garda.accounts import roles
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.places.models import Region
from garda.reintegration.models import (
    FollowUp,
    Goal,
    Instrument,
    Plan,
    Programme,
    Remigration,
)

QUERIES = 5
MIN_N = 5
# Aggregate figures only: officers, supervisors and admins read them.
READERS = frozenset({roles.OFFICER, roles.SUPERVISOR, roles.ADMIN})
DIMENSIONS = ("economic", "social", "psychosocial")
TABLES = ("by_programme", "by_city", "by_month", "direct_vs_referral")
OBJECT_TYPE = "reintegration.plan"


def read_audit(user, *, reason: str, export: bool = False) -> None:
    """The row of reading (VIEW) or exporting (EXPORT) the figures: counts only, no
    person named, but the page is read as the other dashboards are."""
    audit_record(
        actor=user,
        action=AuditEvent.Action.EXPORT if export else AuditEvent.Action.VIEW,
        object_type=OBJECT_TYPE,
        reason=reason,
    )


# --- filters --------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    date_from: date | None = None
    date_to: date | None = None
    programme: int | None = None
    city: str | None = None
    instrument: int | None = None  # None: the active one


class CityField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return obj.name


class InstrumentField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Instrument) -> str:
        return f"{obj.title} ({obj.code} {obj.version})"


class OutcomeFilterForm(forms.Form):
    """The page's and the API's filters: from/to on the return date, a programme, a
    city or regency (kab/kota), the survey instrument the scores are from."""

    date_from = forms.DateField(
        label=gettext_lazy("Returned from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=gettext_lazy("Returned until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    programme = forms.ModelChoiceField(
        label=gettext_lazy("Programme"),
        required=False,
        queryset=Programme.objects.order_by("name"),
        empty_label=gettext_lazy("All programmes"),
    )
    city = CityField(
        label=gettext_lazy("City or regency"),
        required=False,
        queryset=Region.objects.filter(level=Region.Level.REGENCY).order_by("name"),
        empty_label=gettext_lazy("All cities and regencies"),
    )
    instrument = InstrumentField(
        label=gettext_lazy("Scores from the survey instrument"),
        required=False,
        queryset=Instrument.objects.order_by("code", "-loaded_at"),
        empty_label=gettext_lazy("The instrument in use"),
    )

    def __init__(self, data=None, *args, cities_on_plans: bool = False, **kwargs):
        if data is not None:
            # The query string says from/to (as the API does).
            data = data.copy()
            for public, name in (("from", "date_from"), ("to", "date_to")):
                if public in data and name not in data:
                    data[name] = data[public]
        super().__init__(data, *args, **kwargs)
        if cities_on_plans:
            # The page offers the cities plans name, not every regency of Indonesia.
            self.fields["city"].queryset = self.fields["city"].queryset.filter(
                code__in=Plan.objects.filter(city__isnull=False).values("city_id")
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data

    def filters(self) -> Filters:
        """The chosen filters (call after is_valid())."""
        data = self.cleaned_data
        return Filters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            programme=data["programme"].pk if data.get("programme") else None,
            city=data["city"].pk if data.get("city") else None,
            instrument=data["instrument"].pk if data.get("instrument") else None,
        )


def _plan_q(filters: Filters, prefix: str = "") -> Q:
    """The filters as a condition on Plan, reached through `prefix` ("plan__")."""
    q = Q()
    if filters.date_from is not None:
        q &= Q(**{f"{prefix}returned_on__gte": filters.date_from})
    if filters.date_to is not None:
        q &= Q(**{f"{prefix}returned_on__lte": filters.date_to})
    if filters.programme is not None:
        q &= Q(**{f"{prefix}programme_id": filters.programme})
    if filters.city is not None:
        q &= Q(**{f"{prefix}city_id": filters.city})
    return q


# --- the figures ----------------------------------------------------------------------


@dataclass
class Mean:
    """A mean built from a sum and a count; published only from MIN_N values."""

    total: float = 0.0
    n: int = 0

    @property
    def reliable(self) -> bool:
        return self.n >= MIN_N

    @property
    def value(self) -> float | None:
        return round(self.total / self.n, 2) if self.reliable else None

    def add(self, other: "Mean") -> None:
        self.total += other.total
        self.n += other.n

    def as_dict(self) -> dict:
        return {"mean": self.value, "n": self.n, "reliable": self.reliable}


# Counted by the plans' query, by the goals' query, and derived from the others.
_PLAN_COUNTS = (
    "plans",
    "in_month",
    "late",
    "withdrawn",
    "followed_up",
    "remigrated_legal",
    "remigrated_irregular",
    "stayed",
    "remigration_unknown",
    "helped_direct",
    "helped_referral",
)
_GOAL_COUNTS = ("goals", "delivered", "delivered_direct", "delivered_referral", "dropped", "open")
_COUNTS = (*_PLAN_COUNTS, *_GOAL_COUNTS, "not_followed", "not_helped", "no_plan", "returnees")
_MEANS = ("composite", "composite_direct", "composite_referral")


@dataclass
class Row:
    """The figures of one programme, one city, or all (key None, label "")."""

    key: int | str | None
    label: str
    returnees: int = 0  # plans + no_plan
    plans: int = 0
    no_plan: int = 0
    in_month: int = 0
    late: int = 0
    withdrawn: int = 0
    goals: int = 0
    delivered: int = 0
    delivered_direct: int = 0
    delivered_referral: int = 0
    dropped: int = 0
    open: int = 0
    followed_up: int = 0
    not_followed: int = 0
    remigrated_legal: int = 0
    remigrated_irregular: int = 0
    stayed: int = 0
    remigration_unknown: int = 0
    helped_direct: int = 0
    helped_referral: int = 0
    not_helped: int = 0
    # The composite score at the latest follow-up: all plans, helped directly,
    # helped through a referral.
    composite: Mean = field(default_factory=Mean)
    composite_direct: Mean = field(default_factory=Mean)
    composite_referral: Mean = field(default_factory=Mean)

    @property
    def in_month_percent(self) -> int | None:
        return _percent(self.in_month, self.returnees)

    @property
    def delivered_percent(self) -> int | None:
        return _percent(self.delivered, self.goals)

    def add(self, other: "Row") -> None:
        for name in _COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in _MEANS:
            getattr(self, name).add(getattr(other, name))

    def as_dict(self) -> dict:
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _MEANS}
        out["in_month_share"] = _share(self.in_month, self.returnees)
        for name in _MEANS:
            out[name] = getattr(self, name).as_dict()
        return out


@dataclass
class InstrumentUsed:
    """The survey instrument the score figures are from (None: no instrument)."""

    id: int
    code: str
    version: str
    title: str
    official: bool

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "code": self.code,
            "version": self.version,
            "title": self.title,
            "official": self.official,
        }


@dataclass
class MonthRow:
    """The done follow-ups at one month after return and their mean scores."""

    month: int
    n: int
    means: dict[str, Mean]

    def as_dict(self) -> dict:
        return {
            "month": self.month,
            "n": self.n,
            **{name: self.means[name].as_dict() for name in (*DIMENSIONS, "composite")},
        }


@dataclass
class Outcomes:
    filters: Filters
    totals: Row
    by_programme: list[Row]
    by_city: list[Row]
    by_month: list[MonthRow]
    instrument: InstrumentUsed | None = None
    # Done follow-ups scored under another instrument: left out of the score figures.
    other_instruments: int = 0

    @property
    def direct_vs_referral(self) -> dict:
        t = self.totals
        return {
            "direct": {"plans": t.helped_direct, **t.composite_direct.as_dict()},
            "referral": {"plans": t.helped_referral, **t.composite_referral.as_dict()},
            "not_helped": {"plans": t.not_helped},
        }


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _instrument(filters: Filters) -> Instrument | None:
    """The instrument chosen, else the one in use (active; the latest loaded of those),
    else the latest loaded: one query."""
    found = Instrument.objects.order_by("-active", "-loaded_at", "-pk")
    if filters.instrument is not None:
        found = found.filter(pk=filters.instrument)
    return found.only("id", "code", "version", "title", "official").first()


def _plan_groups(filters: Filters, instrument_id: int | None) -> list[dict]:
    """One dict per (programme, city) with the plans' counts and sums: one query."""
    done = FollowUp.objects.filter(plan=OuterRef("pk"), done_on__isnull=False).order_by(
        "-month", "-done_on", "-pk"
    )
    # The latest follow-up scored under the instrument (scores of two instruments are
    # not averaged together).
    scored_done = done.filter(instrument_id=instrument_id)
    delivered = Goal.objects.filter(plan=OuterRef("pk"), status=Goal.Status.DONE)
    kept = ~Q(status=Plan.Status.WITHDRAWN)
    followed = kept & Q(latest_remigration__isnull=False)
    scored = kept & Q(latest_composite__isnull=False)
    referral = Q(referral_help=True)
    direct = Q(any_help=True, referral_help=False)
    plans = (
        Plan.objects.filter(_plan_q(filters))
        .alias(
            latest_composite=Subquery(scored_done.values("composite")[:1]),
            latest_remigration=Subquery(done.values("remigration")[:1]),
            any_help=Exists(delivered),
            referral_help=Exists(delivered.filter(via=Goal.Via.REFERRAL)),
        )
        .order_by()
        .values("programme_id", "programme__name", "city_id", "city__name")
    )
    return list(
        plans.annotate(
            plans=Count("id", filter=kept),
            in_month=Count("id", filter=kept & Q(made_on__lte=F("due_on"))),
            late=Count("id", filter=kept & Q(made_on__gt=F("due_on"))),
            withdrawn=Count("id", filter=Q(status=Plan.Status.WITHDRAWN)),
            followed_up=Count("id", filter=followed),
            remigrated_legal=Count("id", filter=kept & Q(latest_remigration=Remigration.LEGAL)),
            remigrated_irregular=Count(
                "id", filter=kept & Q(latest_remigration=Remigration.IRREGULAR)
            ),
            stayed=Count("id", filter=kept & Q(latest_remigration=Remigration.NO)),
            remigration_unknown=Count(
                "id", filter=kept & Q(latest_remigration__in=[Remigration.UNKNOWN, ""])
            ),
            helped_direct=Count("id", filter=kept & direct),
            helped_referral=Count("id", filter=kept & referral),
            composite_n=Count("id", filter=scored),
            composite_sum=Sum("latest_composite", filter=scored),
            direct_n=Count("id", filter=scored & direct),
            direct_sum=Sum("latest_composite", filter=scored & direct),
            referral_n=Count("id", filter=scored & referral),
            referral_sum=Sum("latest_composite", filter=scored & referral),
        )
    )


def _goal_groups(filters: Filters) -> dict[tuple, dict]:
    """The goals' counts per (programme, city): one query."""
    done = Q(status=Goal.Status.DONE)
    found = (
        Goal.objects.filter(_plan_q(filters, "plan__"))
        .exclude(plan__status=Plan.Status.WITHDRAWN)
        .order_by()
        .values("plan__programme_id", "plan__city_id")
        .annotate(
            goals=Count("id"),
            delivered=Count("id", filter=done),
            delivered_direct=Count("id", filter=done & Q(via=Goal.Via.DIRECT)),
            delivered_referral=Count("id", filter=done & Q(via=Goal.Via.REFERRAL)),
            dropped=Count("id", filter=Q(status=Goal.Status.DROPPED)),
            open=Count("id", filter=Q(status=Goal.Status.PLANNED)),
        )
    )
    return {(g["plan__programme_id"], g["plan__city_id"]): g for g in found}


def _months(filters: Filters, instrument_id: int | None) -> tuple[list[MonthRow], int]:
    """The done follow-ups per month after return and their mean scores under the
    instrument, and how many done follow-ups were scored under another: one query."""
    found = (
        FollowUp.objects.filter(_plan_q(filters, "plan__"), done_on__isnull=False)
        .exclude(plan__status=Plan.Status.WITHDRAWN)
        .order_by()
        .values("month", "instrument_id")
        .annotate(
            n=Count("id"),
            composite_n=Count("composite"),
            composite_avg=Avg("composite"),
            **{
                f"{name}_avg": Avg(Cast(KT(f"scores__{name}"), FloatField())) for name in DIMENSIONS
            },
            **{f"{name}_n": Count(KT(f"scores__{name}")) for name in DIMENSIONS},
        )
        .order_by("month")
    )
    other = sum(r["n"] for r in found if r["instrument_id"] != instrument_id)
    rows = [
        MonthRow(
            month=r["month"],
            n=r["n"],
            means={
                name: Mean(total=(r[f"{name}_avg"] or 0.0) * r[f"{name}_n"], n=r[f"{name}_n"])
                for name in (*DIMENSIONS, "composite")
            },
        )
        for r in found
        if r["instrument_id"] == instrument_id
    ]
    return rows, other


def _no_plan(filters: Filters) -> list[dict]:
    """The people who came home in the period without a plan for that return, per
    registered kab/kota: one query. None when a programme is chosen (they have none)."""
    from garda.people.models import Person
    from garda.reintegration.queries import without_plan

    if filters.programme is not None:
        return []
    people = without_plan(Person.objects.active())
    if filters.date_from is not None:
        people = people.filter(returned_at__date__gte=filters.date_from)
    if filters.date_to is not None:
        people = people.filter(returned_at__date__lte=filters.date_to)
    if filters.city is not None:
        people = people.filter(regency_code=filters.city)
    city_name = Region.objects.filter(code=OuterRef("regency_code")).values("name")[:1]
    return list(
        people.order_by()
        .values("regency_code")
        .annotate(n=Count("id"), city_name=Subquery(city_name))
    )


def outcomes(filters: Filters | None = None) -> Outcomes:
    """Every figure for the plans `filters` keep (module docstring): QUERIES queries."""
    filters = filters or Filters()
    instrument = _instrument(filters)
    instrument_id = instrument.pk if instrument is not None else None
    goals = _goal_groups(filters)
    by_programme: dict[int, Row] = {}
    by_city: dict[str | None, Row] = {}
    totals = Row(key=None, label="")
    for group in _plan_groups(filters, instrument_id):
        part = _group_row(group, goals.get((group["programme_id"], group["city_id"]), {}))
        programme = by_programme.setdefault(
            group["programme_id"], Row(key=group["programme_id"], label=group["programme__name"])
        )
        city = by_city.setdefault(
            group["city_id"], Row(key=group["city_id"], label=group["city__name"] or "")
        )
        for row in (programme, city, totals):
            row.add(part)
    for group in _no_plan(filters):
        key = group["regency_code"] or None
        part = Row(key=None, label="", no_plan=group["n"], returnees=group["n"])
        city = by_city.setdefault(key, Row(key=key, label=group["city_name"] or ""))
        for row in (city, totals):
            row.add(part)
    by_month, other = _months(filters, instrument_id)
    return Outcomes(
        filters=filters,
        totals=totals,
        by_programme=sorted(by_programme.values(), key=lambda r: (r.label, r.key)),
        # Plans without a city come last.
        by_city=sorted(by_city.values(), key=lambda r: (r.key is None, r.label, r.key or "")),
        by_month=by_month,
        instrument=InstrumentUsed(
            id=instrument.pk,
            code=instrument.code,
            version=instrument.version,
            title=instrument.title,
            official=instrument.official,
        )
        if instrument is not None
        else None,
        other_instruments=other,
    )


def _group_row(group: dict, goals: dict) -> Row:
    row = Row(key=None, label="")
    for name in _PLAN_COUNTS:
        setattr(row, name, group[name])
    for name in _GOAL_COUNTS:
        setattr(row, name, goals.get(name, 0))
    row.returnees = row.plans
    row.not_followed = row.plans - row.followed_up
    row.not_helped = row.plans - row.helped_direct - row.helped_referral
    row.composite = Mean(group["composite_sum"] or 0.0, group["composite_n"])
    row.composite_direct = Mean(group["direct_sum"] or 0.0, group["direct_n"])
    row.composite_referral = Mean(group["referral_sum"] or 0.0, group["referral_n"])
    return row
