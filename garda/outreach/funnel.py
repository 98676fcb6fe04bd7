"""The outreach funnel (docs/outreach.md, "The funnel"): of the people checked in at
an event, how many then registered in the registry, completed a training, were
placed, departed, and the median days from attendance to each stage.

Attribution is by the person's record, never guessed: an attendee counts only if the
registration is linked to a person (by the worker's account, or the NIK's blind index
when the person was registered later) and only what happened *after* the check-in:
- registered: the person's record was created after the check-in (those registered
  before are counted apart, `already_registered`: the event did not bring them in);
- trained: a training enrolment completed on or after the day of the check-in;
- placed: a placement (not cancelled) made after the check-in;
- departed: a placement's departure after the check-in.
Per event, a person counts once. Per campaign or district, a person who attended
several of its events counts once, from their first check-in there.

`funnel_rows(start, end)` gives every event starting in [start, end] in five queries
whatever their number (the reports app snapshots it); `event_funnel(event)` one
event; `funnel_groups(start, end, by=...)` per campaign or district.
The pure part (`Attendance`, `Facts`, `tally`) takes plain values.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Q
from django.utils import timezone

STAGES = ("registered", "trained", "placed", "departed")


@dataclass(frozen=True)
class Attendance:
    person_id: int | None
    checked_in_at: datetime


@dataclass
class Facts:
    """What the registry, training and jobs know of one person (dates and times)."""

    created_at: datetime | None = None
    completions: list[date] = field(default_factory=list)
    placements: list[datetime] = field(default_factory=list)
    departures: list[datetime] = field(default_factory=list)


def _days(later: datetime, earlier: datetime) -> float:
    return round((later - earlier).total_seconds() / 86400, 1)


def stages_after(attended: datetime, facts: Facts) -> dict[str, float | None]:
    """Days from the check-in to each stage reached after it (None: not reached)."""
    out: dict[str, float | None] = dict.fromkeys(STAGES)
    if facts.created_at is not None and facts.created_at > attended:
        out["registered"] = _days(facts.created_at, attended)
    day = timezone.localtime(attended).date() if timezone.is_aware(attended) else attended.date()
    done = [d for d in facts.completions if d >= day]
    if done:
        out["trained"] = float((min(done) - day).days)
    placed = [t for t in facts.placements if t >= attended]
    if placed:
        out["placed"] = _days(min(placed), attended)
    departed = [t for t in facts.departures if t >= attended]
    if departed:
        out["departed"] = _days(min(departed), attended)
    return out


def tally(attendances: list[Attendance], facts: dict[int, Facts]) -> dict:
    """The funnel of a set of check-ins: counts and median days per stage. A person
    counts once, from their first check-in."""
    first: dict[int, datetime] = {}
    anonymous = 0
    for a in attendances:
        if a.person_id is None:
            anonymous += 1
        elif a.person_id not in first or a.checked_in_at < first[a.person_id]:
            first[a.person_id] = a.checked_in_at
    days: dict[str, list[float]] = {s: [] for s in STAGES}
    already = 0
    for person_id, attended in first.items():
        f = facts.get(person_id, Facts())
        if f.created_at is not None and f.created_at <= attended:
            already += 1
        for stage, value in stages_after(attended, f).items():
            if value is not None:
                days[stage].append(value)
    out = {
        "attended": anonymous + len(first),
        "attended_with_record": len(first),
        "already_registered": already,
    }
    for stage in STAGES:
        out[stage] = len(days[stage])
        out[f"{stage}_median_days"] = statistics.median(days[stage]) if days[stage] else None
    return out


# --- from the database ------------------------------------------------------------


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end, time.max, tzinfo=tz),
    )


def _attendances(events_filter: Q) -> tuple[dict[int, list[Attendance]], set[int]]:
    from garda.outreach.models import Registration

    rows = Registration.objects.filter(events_filter, checked_in_at__isnull=False).values_list(
        "event_id", "person_id", "checked_in_at"
    )
    by_event: dict[int, list[Attendance]] = defaultdict(list)
    people: set[int] = set()
    for event_id, person_id, at in rows:
        by_event[event_id].append(Attendance(person_id, at))
        if person_id is not None:
            people.add(person_id)
    return by_event, people


def _facts(events_filter: Q) -> dict[int, Facts]:
    """Every attendee's facts in three queries (their ids as a subquery, not a list)."""
    from garda.jobs.models import Placement
    from garda.outreach.models import Registration
    from garda.people.models import Person
    from garda.training.models import Enrolment

    attendees = Registration.objects.filter(
        events_filter, checked_in_at__isnull=False, person__isnull=False
    ).values("person_id")
    facts: dict[int, Facts] = defaultdict(Facts)
    for pk, created_at in Person.objects.filter(pk__in=attendees).values_list("pk", "created_at"):
        facts[pk].created_at = created_at
    for pk, done_on in Enrolment.objects.filter(
        person_id__in=attendees, status=Enrolment.Status.COMPLETED, completed_on__isnull=False
    ).values_list("person_id", "completed_on"):
        facts[pk].completions.append(done_on)
    for pk, created_at, departed_at in (
        Placement.objects.filter(person_id__in=attendees)
        .exclude(status=Placement.Status.CANCELLED)
        .values_list("person_id", "created_at", "departed_at")
    ):
        facts[pk].placements.append(created_at)
        if departed_at is not None:
            facts[pk].departures.append(departed_at)
    return facts


def _events_filter(start: date, end: date, prefix: str = "") -> Q:
    low, high = _bounds(start, end)
    return Q(**{f"{prefix}starts_at__gte": low, f"{prefix}starts_at__lte": high})


def funnel_rows(start: date, end: date) -> list[dict]:
    """The funnel of every event starting between `start` and `end` (dates, both
    included), in seven queries whatever the number of events and attendees.

    One plain dict per event, ordered by start then id:
      event_id, reference, title, kind, status, starts_at (datetime),
      campaign_id, campaign (name or ""), district_code (the kab/kota, "31.71"),
      district (its name), registrations, attended, attended_with_record,
      already_registered, registered, trained, placed, departed, and for each stage
      `<stage>_median_days` (float days from the check-in, None when nobody reached it).
    """
    from garda.outreach.models import Event, Registration
    from garda.places.models import Region

    events = list(
        Event.objects.filter(_events_filter(start, end))
        .select_related("campaign")
        .order_by("starts_at", "id")
    )
    if not events:
        return []
    scope = _events_filter(start, end, "event__")
    by_event, _people = _attendances(scope)
    facts = _facts(scope)
    counts = dict(
        Registration.objects.filter(scope)
        .values("event_id")
        .order_by()
        .annotate(n=_count())
        .values_list("event_id", "n")
    )
    names = dict(
        Region.objects.filter(code__in={e.regency_code for e in events}).values_list("code", "name")
    )
    return [
        {
            "event_id": e.pk,
            "reference": e.reference,
            "title": e.title,
            "kind": e.kind,
            "status": e.status,
            "starts_at": e.starts_at,
            "campaign_id": e.campaign_id,
            "campaign": e.campaign.name if e.campaign_id else "",
            "district_code": e.regency_code,
            "district": names.get(e.regency_code, ""),
            "registrations": counts.get(e.pk, 0),
            **tally(by_event.get(e.pk, []), facts),
        }
        for e in events
    ]


def _count():
    from django.db.models import Count

    return Count("id")


def event_funnel(event) -> dict:
    """One event's funnel (the same figures as a row of funnel_rows)."""
    scope = Q(event_id=event.pk)
    by_event, _people = _attendances(scope)
    return tally(by_event.get(event.pk, []), _facts(scope))


def funnel_groups(start: date, end: date, *, by: str) -> list[dict]:
    """The funnel per campaign (`by="campaign"`) or per district (`by="district"`, the
    event's kab/kota) of the events starting in [start, end]: a person who attended
    several events of a group counts once. Each dict: key, label, events, and the
    figures of `tally`."""
    from garda.outreach.models import Event
    from garda.places.models import Region

    events = list(
        Event.objects.filter(_events_filter(start, end)).select_related("campaign").order_by()
    )
    scope = _events_filter(start, end, "event__")
    by_event, _people = _attendances(scope)
    facts = _facts(scope)
    groups: dict[str, dict] = {}
    if by == "district":
        names = dict(
            Region.objects.filter(code__in={e.regency_code for e in events}).values_list(
                "code", "name"
            )
        )
    for e in events:
        if by == "campaign":
            key = str(e.campaign_id or "")
            label = e.campaign.name if e.campaign_id else ""
        else:
            key, label = e.regency_code, names.get(e.regency_code, e.regency_code)
        group = groups.setdefault(key, {"key": key, "label": label, "events": 0, "rows": []})
        group["events"] += 1
        group["rows"] += by_event.get(e.pk, [])
    out = []
    for group in groups.values():
        rows = group.pop("rows")
        out.append({**group, **tally(rows, facts)})
    out.sort(key=lambda g: (-g["attended"], g["label"]))
    return out
