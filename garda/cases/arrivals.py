"""Evacuations and the arrivals board, shared by the API (api/evacuations.py), the pages
(views/evacuations.py) and the printable sheets (arrivals_pdf.py): who lands when and
where, what each needs, who meets them; an evacuation's people picked by id or by
flight; its list per flight; and the people to add, checked row by row before anything
is written (docs/repatriation.md, "Evacuations and the arrivals board").

The writes are the services' (services/repatriation.py); this module reads and checks."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from garda.accounts.models import User
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.cases.access import REPATRIATION_OBJECT, visible_repatriations
from garda.cases.models import Debarkation, Evacuation, Need, Repatriation
from garda.cases.repatriation import STEP_LABELS
from garda.cases.repatriation import templates as step_templates

LIVE = (Repatriation.Status.OPEN, Repatriation.Status.ARRIVED)
DEFAULT_DAYS = 7
MAX_DAYS = 31
MAX_PEOPLE = 1000

# The point of arrival in words for the reception team: the main airport lies in Banten,
# so a worker landing there is handed over across the provincial border.
DEBARKATION_WORDS = {
    Debarkation.CGK: gettext_lazy(
        "Soekarno–Hatta airport (Banten): hand-over across the provincial border"
    ),
    Debarkation.HLP: Debarkation.HLP.label,
    Debarkation.PRIOK: Debarkation.PRIOK.label,
    Debarkation.OTHER: Debarkation.OTHER.label,
}
NEED_LABELS = dict(Need.choices)


def debarkation_words(code: str) -> str:
    return str(DEBARKATION_WORDS.get(code, "")) if code else ""


def needs_of(codes) -> list[dict]:
    return [{"code": c, "label": str(NEED_LABELS[c])} for c in codes or [] if c in NEED_LABELS]


def person_label(user: User | None) -> str:
    if user is None:
        return ""
    return user.full_name or user.email


def _error(field_name: str, message, code: str = "invalid") -> ValidationError:
    return ValidationError({field_name: ValidationError(message, code=code)})


# --- the range of the board -------------------------------------------------------------


def _moment(value: str, *, end: bool):
    """A date (the whole day) or a date and time, in Jakarta's time; None if unreadable."""
    value = (value or "").strip()
    try:
        day = parse_date(value)
        moment = None if day is not None else parse_datetime(value)
    except ValueError:
        return None
    if moment is not None:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment
    if day is None:
        return None
    if end:
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time.min))


def arrival_range(start: str | None, end: str | None) -> tuple[datetime, datetime]:
    """[from, to) of the board: dates count whole days (to is inclusive); by default
    today and the next seven days. Unreadable, reversed or longer than MAX_DAYS: 422."""
    today = timezone.localdate()
    if start:
        begin = _moment(start, end=False)
        if begin is None:
            raise _error("from", _("Write the start as a date (YYYY-MM-DD)."), "invalid_date")
    else:
        begin = timezone.make_aware(datetime.combine(today, time.min))
    if end:
        finish = _moment(end, end=True)
        if finish is None:
            raise _error("to", _("Write the end as a date (YYYY-MM-DD)."), "invalid_date")
    else:
        finish = timezone.make_aware(
            datetime.combine(timezone.localdate(begin) + timedelta(days=DEFAULT_DAYS + 1), time.min)
        )
    if finish <= begin:
        raise _error("to", _("The end of the range comes before its start."), "reversed")
    if finish - begin > timedelta(days=MAX_DAYS + 1):
        raise _error(
            "to",
            _("Show at most %(n)s days at a time.") % {"n": MAX_DAYS},
            "too_long",
        )
    return begin, finish


def arrivals(user: User, begin: datetime, finish: datetime) -> QuerySet[Repatriation]:
    """The live repatriations `user` may see landing in [begin, finish), by arrival."""
    return (
        visible_repatriations(user)
        .filter(status__in=LIVE, arrives_at__gte=begin, arrives_at__lt=finish)
        .select_related("met_by", "evacuation")
        .order_by("arrives_at", "name", "id")
    )


def read_arrivals(user: User, begin: datetime, finish: datetime) -> QuerySet[Repatriation]:
    """`arrivals`, the read audited as a list of people (like the case list)."""
    audit_record(
        actor=user, action=AuditEvent.Action.VIEW, object_type=REPATRIATION_OBJECT, reason="list"
    )
    return arrivals(user, begin, finish)


def arrival_row(rep: Repatriation) -> dict:
    return {
        "repatriation_id": rep.pk,
        "reference": rep.reference,
        "name": rep.name,
        "arrives_at": rep.arrives_at,
        "arrived_at": rep.arrived_at,
        "status": rep.status,
        "debarkation": rep.debarkation,
        "debarkation_label": debarkation_words(rep.debarkation),
        "flight": rep.flight,
        "needs": needs_of(rep.needs),
        "met_by": person_label(rep.met_by),
        "reason_label": str(rep.get_reason_display()),
        "evacuation": rep.evacuation.reference if rep.evacuation_id else None,
    }


@dataclass
class Day:
    day: date
    rows: list = field(default_factory=list)


def decorate(rep: Repatriation) -> Repatriation:
    """The words a page shows for a row: point of arrival, needs."""
    rep.point_words = debarkation_words(rep.debarkation)
    rep.needs_words = [n["label"] for n in needs_of(rep.needs)]
    return rep


def by_day(reps) -> list[Day]:
    days: list[Day] = []
    for rep in reps:
        decorate(rep)
        day = timezone.localdate(rep.arrives_at)
        if not days or days[-1].day != day:
            days.append(Day(day))
        days[-1].rows.append(rep)
    return days


# --- an evacuation's people -------------------------------------------------------------


def evacuation_people(user: User, evacuation: Evacuation) -> QuerySet[Repatriation]:
    return visible_repatriations(user).filter(evacuation=evacuation)


def select_people(
    user: User, evacuation: Evacuation, *, ids=None, flight: str = "", live_only: bool = True
) -> list[Repatriation]:
    """The people of `evacuation` picked by id or by flight (the live ones for a
    flight). Ids that are not this evacuation's, or not live: 422 naming them."""
    flight = (flight or "").strip().upper()
    qs = evacuation_people(user, evacuation)
    if ids:
        ids = list(dict.fromkeys(ids))
        picked = list(qs.filter(pk__in=ids).order_by("pk"))
        found = {r.pk for r in picked}
        missing = [i for i in ids if i not in found]
        if missing:
            raise _error(
                "repatriation_ids",
                _("Not people of this evacuation: %(ids)s.")
                % {"ids": ", ".join(str(i) for i in missing[:20])},
                "unknown",
            )
        if live_only:
            ended = [r.name for r in picked if r.status not in LIVE]
            if ended:
                raise _error(
                    "repatriation_ids",
                    _("Already completed or cancelled: %(names)s.")
                    % {"names": ", ".join(ended[:20])},
                    "not_live",
                )
        return picked
    if flight:
        picked = list(qs.filter(flight=flight, status__in=LIVE).order_by("pk"))
        if not picked:
            raise _error("flight", _("Nobody of this evacuation is on that flight."), "empty")
        return picked
    raise _error("repatriation_ids", _("Choose the people, or a whole flight."), "required")


def evacuation_steps() -> list[tuple[str, str]]:
    """The evacuation template's steps (code, words), in order."""
    return [(s.code, str(STEP_LABELS[s.code])) for s in step_templates().steps("evacuation")]


def evacuation_counts(user: User, evacuation: Evacuation) -> dict:
    """How many people per status, per flight and per step done (three queries)."""
    from garda.cases.models import RepatriationStep

    people = evacuation_people(user, evacuation)
    by_status = dict(
        people.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    flights = (
        people.exclude(status=Repatriation.Status.CANCELLED)
        .order_by()
        .values("flight")
        .annotate(n=Count("id"))
        .order_by("flight")
    )
    done = dict(
        RepatriationStep.objects.filter(
            repatriation__in=people.values("pk"), status=RepatriationStep.Status.DONE
        )
        .order_by()
        .values_list("code")
        .annotate(n=Count("id"))
        .values_list("code", "n")
    )
    return {
        "total": sum(by_status.values()),
        "by_status": {s: by_status.get(s, 0) for s in Repatriation.Status.values},
        "by_flight": [{"flight": f["flight"], "count": f["n"]} for f in flights],
        "steps_done": [
            {"code": code, "label": label, "done": done.get(code, 0)}
            for code, label in evacuation_steps()
        ],
    }


@dataclass
class Flight:
    flight: str
    people: list = field(default_factory=list)

    @property
    def arrives_at(self):
        times = [p.arrives_at for p in self.people if p.arrives_at]
        return min(times) if times else None

    @property
    def debarkation(self) -> str:
        points = [p.debarkation for p in self.people if p.debarkation]
        return max(set(points), key=points.count) if points else ""

    @property
    def debarkation_label(self) -> str:
        return debarkation_words(self.debarkation)


def flights(user: User, evacuation: Evacuation) -> list[Flight]:
    """The evacuation's people (not cancelled) per flight, those without one last."""
    reps = (
        evacuation_people(user, evacuation)
        .exclude(status=Repatriation.Status.CANCELLED)
        .select_related("met_by")
        .order_by("flight", "arrives_at", "name", "id")
    )
    groups: dict[str, Flight] = {}
    for rep in reps:
        groups.setdefault(rep.flight, Flight(rep.flight)).people.append(decorate(rep))
    return sorted(groups.values(), key=lambda f: (f.flight == "", f.flight))


def read_flights(user: User, evacuation: Evacuation) -> list[Flight]:
    audit_record(
        actor=user,
        action=AuditEvent.Action.VIEW,
        object_type=REPATRIATION_OBJECT,
        reason="list",
    )
    return flights(user, evacuation)


def next_steps(reps) -> dict[int, str]:
    """The first open required step of each repatriation (steps prefetched), in words."""
    out = {}
    for rep in reps:
        step = next(
            (s for s in rep.steps.all() if s.status == "open" and s.required),
            None,
        )
        out[rep.pk] = str(STEP_LABELS[step.code]) if step is not None else ""
    return out


# --- people to add ----------------------------------------------------------------------


def _row_error(n: int, message: str) -> str:
    return _("Row %(n)s: %(message)s") % {"n": n, "message": message}


def clean_people(user: User, rows: list[dict]) -> list[dict]:
    """The rows for `repatriations_start_many`, each checked: a name or a registry
    person the caller may see, needs from the list, a known point of arrival. Every bad
    row is named in one 422 (field "people"); nothing is written."""
    from garda.people.access import visible_people

    if not rows:
        raise _error("people", _("Add at least one person."), "required")
    if len(rows) > MAX_PEOPLE:
        raise _error("people", _("At most %(n)s people at a time.") % {"n": MAX_PEOPLE}, "too_many")
    ids = {r.get("person_id") for r in rows if r.get("person_id") is not None}
    people = {p.pk: p for p in visible_people(user).filter(pk__in=ids)} if ids else {}
    errors, out = [], []
    for n, row in enumerate(rows, start=1):
        person = None
        pid = row.get("person_id")
        if pid is not None:
            person = people.get(pid)
            if person is None:
                errors.append(_row_error(n, _("no such person in the registry.")))
                continue
        name = (row.get("name") or "").strip() or (person.full_name if person else "")
        if not name:
            errors.append(_row_error(n, _("write the person's name.")))
            continue
        needs = list(row.get("needs") or [])
        bad = [x for x in needs if x not in Need.values]
        if bad:
            errors.append(_row_error(n, _("unknown need “%(need)s”.") % {"need": ", ".join(bad)}))
            continue
        point = row.get("debarkation") or ""
        if point not in ("", *Debarkation.values):
            errors.append(
                _row_error(n, _("unknown point of arrival “%(point)s”.") % {"point": point})
            )
            continue
        out.append(
            {
                "name": name[:200],
                "person": person,
                "needs": needs,
                "flight": (row.get("flight") or "").strip().upper()[:20],
                "arrives_at": row.get("arrives_at"),
                "debarkation": point,
            }
        )
    seen, twice = set(), []
    for row in out:
        if row["person"] is not None:
            if row["person"].pk in seen:
                twice.append(row["name"])
            seen.add(row["person"].pk)
    if twice:
        errors.append(
            _("The same person is on the list twice: %(names)s.") % {"names": ", ".join(twice)}
        )
    if errors:
        raise ValidationError({"people": [ValidationError(e, code="invalid") for e in errors[:50]]})
    return out


# Needs typed on a page, in either language.
NEED_WORDS = {
    **{c: c for c in Need.values},
    "kursi roda": Need.WHEELCHAIR,
    "tandu": Need.STRETCHER,
    "ambulans": Need.STRETCHER,
    "pendamping": Need.ESCORT,
    "shelter": Need.SHELTER,
    "penampungan": Need.SHELTER,
    "rumah ramah": Need.SHELTER,
    "medis": Need.MEDICAL,
    "konseling": Need.COUNSELLING,
    "jenazah": Need.REMAINS,
}


def parse_people_text(text: str) -> list[dict]:
    """One person a line: "name" or "name;flight;need, need" (a CSV file with the same
    columns too). Unreadable needs stay as typed: `clean_people` names the row."""
    rows = []
    sample = text or ""
    delimiter = ";" if ";" in sample or "," not in sample.split("\n", 1)[0] else ","
    for parts in csv.reader(io.StringIO(sample), delimiter=delimiter):
        parts = [p.strip() for p in parts]
        if not any(parts):
            continue
        name = parts[0]
        if name.casefold() in ("name", "nama"):  # a header row
            continue
        flight = parts[1] if len(parts) > 1 else ""
        needs_text = parts[2] if len(parts) > 2 else ""
        needs = []
        for word in needs_text.replace("/", ",").replace("|", ",").split(","):
            word = word.strip().casefold()
            if word:
                needs.append(NEED_WORDS.get(word, word))
        rows.append({"name": name, "flight": flight, "needs": needs})
    return rows
