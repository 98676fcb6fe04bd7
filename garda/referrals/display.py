"""Referrals in words for the pages: labels, never codes (docs/design-ui.md)."""

from django.utils import timezone

from garda.cases import display as cases_display
from garda.cases.models import Service
from garda.people.models import Sex
from garda.referrals import policy
from garda.referrals.models import Channel, Referral, ReferralEvent, Section, Status

TAGS = {
    Status.REQUESTED: "tag-yellow",
    Status.ACCEPTED: "tag-blue",
    Status.DECLINED: "tag-red",
    Status.REPORTED: "tag-green",
    Status.CLOSED: "tag-grey",
    Status.CANCELLED: "tag-grey",
}


def label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or "—"


def row(referral: Referral) -> dict:
    overdue = referral.status == Status.REQUESTED and referral.due_at < timezone.now()
    return {
        "referral": referral,
        "service": label(Service.Type, referral.service_type),
        "status": label(Status, referral.status),
        "tag": "tag-red" if overdue else TAGS.get(referral.status, "tag-grey"),
        "overdue": overdue,
    }


def detail(referral: Referral) -> dict:
    info = row(referral)
    info["sections"] = [label(Section, s) for s in referral.sections]
    sharing = referral.sharing
    info["sharing_ended"] = sharing is not None and sharing.ended_at is not None
    info["override"] = bool(referral.override_reason)
    return info


def events(referral: Referral) -> list[dict]:
    return [
        {
            "event": e,
            "kind": label(ReferralEvent.Kind, e.kind),
            "channel": label(Channel, e.channel) if e.channel else "",
        }
        for e in referral.events.select_related("actor").order_by("at", "id")
    ]


def case_data(data: dict) -> dict:
    """The referred sections (sections.referred_case_data) with their codes in words."""
    shown = dict(data)
    if data.get("summary"):
        summary = dict(data["summary"])
        summary["status"] = cases_display.status_label(summary["status"])
        summary["stage"] = cases_display.stage_label(summary["stage"])
        summary["severity"] = cases_display.severity_label(summary["severity"])
        summary["kinds"] = cases_display.kind_labels(summary["kinds"])
        shown["summary"] = summary
    if data.get("person"):
        person = dict(data["person"])
        person["sex"] = label(Sex, person["sex"])
        shown["person"] = person
    if data.get("screening"):
        screening = dict(data["screening"])
        screening["level"] = cases_display.screening_level_label(screening["level"])
        screening["indicators"] = cases_display.indicator_labels(screening["indicators"])
        shown["screening"] = screening
    if data.get("reporter"):
        reporter = dict(data["reporter"])
        reporter["relationship"] = cases_display.relationship_label(reporter["relationship"])
        shown["reporter"] = reporter
    if data.get("services") is not None:
        shown["services"] = [
            {**s, "type": label(Service.Type, s["type"])} for s in data["services"]
        ]
    return shown


def periods() -> list[dict]:
    pol = policy.current()
    return [
        {
            "service": label(Service.Type, t),
            "answer_days": p.answer_days,
            "report_days": p.report_days,
        }
        for t, p in pol.periods.items()
    ]
