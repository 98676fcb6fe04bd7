"""A partner of another agency reads a case only through a referral to their agency,
and only its referred sections (docs/referrals.md, "The partner's window").

The cases app sits below the referrals app (garda/tests/test_layers.py) and may not
import it: the referrals app registers its reader here when it starts
(ReferralsConfig.ready). Without one, a partner's read of a case is refused like a
missing case (404 with a denied row). `CaseReferredOut` is the answer's shape (a
section not referred is null), so the API's schema says what a partner gets.
"""

from collections.abc import Callable
from datetime import date, datetime

from ninja import Field, Schema

from garda.audit.gate import deny_not_found

OBJECT_TYPE = "cases.case"

_reader: Callable | None = None


def register_reader(reader: Callable) -> None:
    """`reader(user, case_id)` returns a CaseReferredOut or refuses (404)."""
    global _reader
    _reader = reader


def read_referred_case(user, case_id):
    if _reader is None:
        deny_not_found(user, OBJECT_TYPE, case_id, "partner_case_no_reader")
    return _reader(user, case_id)


class ReferredSummaryOut(Schema):
    status: str
    stage: str
    severity: str
    kinds: list[str]
    description: str
    created_at: datetime


class ReferredPersonOut(Schema):
    name: str
    birth_date: date | None
    sex: str
    region: str
    registry_reference: str | None


class ReferredIdentityOut(Schema):
    nik: str


class ReferredWhereaboutsOut(Schema):
    country: str | None
    country_name: str
    city: str
    employer_abroad: str
    phone_abroad: str
    last_contact_on: date | None


class ReferredReporterOut(Schema):
    name: str
    phone: str
    relationship: str


class ReferredScreeningOut(Schema):
    level: str
    task_force: bool
    indicators: list[str]
    answers: dict[str, str]
    asked_at: datetime | None


class ReferredServiceOut(Schema):
    type: str
    timeframe: str
    provider: str
    due_at: datetime
    done_at: datetime | None


class ReferredDocumentOut(Schema):
    id: int
    title: str
    content_type: str
    size: int
    uploaded_at: datetime


class CaseReferredOut(Schema):
    """A case as a partner of a receiving agency sees it: only the sections its open
    referrals share; every other section is null."""

    id: int
    reference: str
    referred_sections: list[str] = Field(description="The sections shared with the caller")
    referrals: list[str] = Field(description="The referral numbers that share them")
    summary: ReferredSummaryOut | None = None
    person: ReferredPersonOut | None = None
    identity: ReferredIdentityOut | None = None
    whereabouts: ReferredWhereaboutsOut | None = None
    reporter: ReferredReporterOut | None = None
    screening: ReferredScreeningOut | None = None
    services: list[ReferredServiceOut] | None = None
    documents: list[ReferredDocumentOut] | None = None
