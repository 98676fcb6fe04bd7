"""Reintegration API: outcomes.

- `GET /reintegration/outcomes?from=&to=&programme=&city=&instrument=`: the outcome
  figures (reintegration/outcomes.py) for the plans whose return falls in the period,
  and the returnees of the period without a plan, per programme, per city, per
  follow-up month, and helped directly against through a referral. Scores come from
  one survey instrument (`instrument`: the active one unless another id is given),
  named in the answer. Aggregates only: officers, supervisors and admins; other roles 403 with a
  denied row. A bad date or an unknown programme or city answers 422 naming it. A mean
  over fewer than 5 values is null (with its n and `reliable: false`).
"""

from datetime import date

from django.http import HttpRequest
from ninja import Field, Router, Schema

from garda.accounts.access import ensure_role
from garda.apiutils import form_errors
from garda.reintegration.outcomes import READERS, OutcomeFilterForm, outcomes, read_audit

router = Router(tags=["reintegration"])


class MeanOut(Schema):
    mean: float | None = Field(description="0–1, two decimals; null when n < 5")
    n: int = Field(description="how many values the mean is over")
    reliable: bool = Field(description="n is at least 5: the mean is published")


class OutcomeRowOut(Schema):
    key: int | str | None = Field(
        description="the programme id or the city's Kemendagri code; null: no city recorded, "
        "or the totals"
    )
    label: str
    returnees: int = Field(description="plans + no_plan")
    plans: int = Field(description="plans not withdrawn (a person counts once per plan)")
    no_plan: int = Field(
        description="people who came home in the period with no plan (per city and in the "
        "totals; 0 per programme)"
    )
    in_month: int = Field(description="plans made by their due date, a month after return")
    in_month_share: float | None = Field(
        description="in_month / returnees (0..1): returnees without a plan count against it"
    )
    late: int
    withdrawn: int = Field(description="withdrawn plans, left out of every other figure")
    goals: int = Field(description="goals set in the plans")
    delivered: int = Field(description="goals delivered (services)")
    delivered_direct: int
    delivered_referral: int
    dropped: int
    open: int = Field(description="goals still planned")
    followed_up: int = Field(description="plans with a follow-up done")
    not_followed: int
    remigrated_legal: int = Field(description="at the latest follow-up: left again legally")
    remigrated_irregular: int = Field(description="left again without the legal procedure")
    stayed: int = Field(description="has not left again")
    remigration_unknown: int = Field(description="not known, or not asked")
    helped_direct: int = Field(description="plans whose delivered goals were all direct")
    helped_referral: int = Field(description="plans with a goal delivered through a referral")
    not_helped: int = Field(description="plans with no goal delivered yet")
    composite: MeanOut = Field(description="composite score at the latest follow-up")
    composite_direct: MeanOut
    composite_referral: MeanOut


class MonthOut(Schema):
    month: int = Field(description="months after return (3, 6, 12)")
    n: int = Field(description="follow-ups done at that month")
    economic: MeanOut
    social: MeanOut
    psychosocial: MeanOut
    composite: MeanOut


class HelpGroupOut(Schema):
    plans: int
    mean: float | None
    n: int
    reliable: bool


class NotHelpedOut(Schema):
    plans: int


class DirectVsReferralOut(Schema):
    direct: HelpGroupOut
    referral: HelpGroupOut
    not_helped: NotHelpedOut


class PeriodOut(Schema):
    date_from: date | None = Field(alias="from")
    date_to: date | None = Field(alias="to")
    programme: int | None
    city: str | None
    instrument: int | None = Field(description="the instrument asked for; null: the active one")


class OutcomeInstrumentOut(Schema):
    id: int
    code: str
    version: str
    title: str
    official: bool = Field(description="official weights loaded (else provisional)")


class OutcomesOut(Schema):
    period: PeriodOut
    instrument: OutcomeInstrumentOut | None = Field(
        description="the survey instrument every score is from (never mixed); null: none"
    )
    other_instruments: int = Field(
        description="follow-ups done under another instrument, left out of the scores"
    )
    totals: OutcomeRowOut
    by_programme: list[OutcomeRowOut]
    by_city: list[OutcomeRowOut]
    by_month: list[MonthOut]
    direct_vs_referral: DirectVsReferralOut


@router.get(
    "/reintegration/outcomes",
    response=OutcomesOut,
    by_alias=True,
    summary="Reintegration outcomes per programme and city (officers, supervisors, admins)",
)
def outcomes_get(request: HttpRequest):
    """Query: `from`, `to` (YYYY-MM-DD, on the return date), `programme` (an id),
    `city` (a kab/kota code, e.g. 31.71), `instrument` (an id; default the active one)."""
    ensure_role(request.auth, *sorted(READERS), what="api reintegration outcomes")
    form = OutcomeFilterForm(request.GET)
    if not form.is_valid():
        errors = form_errors(form)
        names = {"date_from": "from", "date_to": "to"}
        raise type(errors)({names.get(k, k): v for k, v in errors.error_dict.items()})
    found = outcomes(form.filters())
    read_audit(request.auth, reason="api reintegration outcomes")
    f = found.filters
    return {
        "period": {
            "from": f.date_from,
            "to": f.date_to,
            "programme": f.programme,
            "city": f.city,
            "instrument": f.instrument,
        },
        "instrument": found.instrument.as_dict() if found.instrument else None,
        "other_instruments": found.other_instruments,
        "totals": found.totals.as_dict(),
        "by_programme": [r.as_dict() for r in found.by_programme],
        "by_city": [r.as_dict() for r in found.by_city],
        "by_month": [m.as_dict() for m in found.by_month],
        "direct_vs_referral": found.direct_vs_referral,
    }
