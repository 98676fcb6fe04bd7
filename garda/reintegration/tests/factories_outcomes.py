"""Plans, goals and follow-ups for the outcome tests, written with the ORM in the state
a test needs (the plans part's services make them in real use), and the known small
population the figures are checked on (`population`)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from garda.places.models import Region
from garda.reintegration.models import FollowUp, Goal, Instrument, Plan, Programme

_serial = [700]


def make_region(code: str, name: str) -> Region:
    """A kab/kota (and its province) of DKI Jakarta."""
    province, _ = Region.objects.get_or_create(
        code=code.split(".")[0],
        defaults={
            "name": "DKI Jakarta",
            "level": Region.Level.PROVINCE,
            "first_edition": 2016,
            "last_edition": 2025,
        },
    )
    region, _ = Region.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "level": Region.Level.REGENCY,
            "parent": province,
            "first_edition": 2016,
            "last_edition": 2025,
        },
    )
    return region


def make_instrument() -> Instrument:
    instrument, _ = Instrument.objects.get_or_create(
        code="test-rss",
        version="1",
        defaults={
            "title": "Survei keberlanjutan (uji)",
            "source": "tests",
            "definition": {"questions": [], "weights": {}},
        },
    )
    return instrument


def make_programme(name: str, agency=None) -> Programme:
    return Programme.objects.get_or_create(name=name, defaults={"agency": agency})[0]


def make_plan(
    *,
    programme: Programme,
    created_by,
    returned_on: date,
    days_late: int = 0,
    city: Region | None = None,
    status: str = Plan.Status.ACTIVE,
    person=None,
    instrument: Instrument | None = None,
) -> Plan:
    """A plan due a month after return, made `days_late` days after its due date
    (0 or less: in time)."""
    from garda.people.tests.factories import register

    if person is None:
        _serial[0] += 1
        person = register(serial=_serial[0])
    due_on = returned_on + timedelta(days=30)
    return Plan.objects.create(
        person=person,
        programme=programme,
        city=city,
        returned_on=returned_on,
        due_on=due_on,
        made_on=due_on + timedelta(days=days_late) if days_late > 0 else returned_on,
        status=status,
        instrument=instrument or make_instrument(),
        created_by=created_by,
        agency=created_by.agency,
    )


def make_goal(plan: Plan, *, via: str, status: str = Goal.Status.DONE, **extra) -> Goal:
    values = {
        "dimension": "economic",
        "kind": Goal.Kind.BUSINESS_TRAINING,
        "description": "Pelatihan usaha kecil",
    }
    values.update(extra)
    return Goal.objects.create(
        plan=plan,
        via=via,
        status=status,
        done_on=plan.made_on if status == Goal.Status.DONE else None,
        **values,
    )


def make_follow_up(
    plan: Plan,
    *,
    month: int,
    composite: float | None = None,
    remigration: str = "",
    done: bool = True,
) -> FollowUp:
    """A follow-up at `month`; done, its dimension scores are the composite (economic),
    0.1 above (social) and 0.1 below (psychosocial)."""
    due_on = plan.returned_on + timedelta(days=30 * month)
    scores = (
        {
            "economic": composite,
            "social": round(composite + 0.1, 2),
            "psychosocial": round(composite - 0.1, 2),
            "composite": composite,
        }
        if done and composite is not None
        else {}
    )
    return FollowUp.objects.create(
        plan=plan,
        month=month,
        due_on=due_on,
        done_on=due_on if done else None,
        instrument=plan.instrument if done else None,
        scores=scores,
        composite=composite if done else None,
        remigration=remigration if done else "",
    )


@dataclass
class Population:
    """The known population (docs/reintegration.md, "Outcomes", has the same table)."""

    mandiri: Programme
    mitra: Programme
    pusat: Region
    timur: Region
    plans: dict[int, Plan] = field(default_factory=dict)
    # Returnees without a plan (and people who are not returnees): RETURNEES.
    people: dict[str, object] = field(default_factory=dict)


D, R = Goal.Via.DIRECT, Goal.Via.REFERRAL
DONE, DROPPED, PLANNED = Goal.Status.DONE, Goal.Status.DROPPED, Goal.Status.PLANNED

# number: (programme, city, returned on, days late, goals (via, status),
#          follow-ups (month, composite, remigration; composite None = not done), status)
TABLE = {
    1: ("A", "P", date(2026, 1, 5), 0, [(D, DONE), (D, DONE)], [(3, 0.6, "no"), (6, 0.7, "no")]),
    2: ("A", "P", date(2026, 1, 20), 5, [(D, DONE), (D, DROPPED)], [(3, 0.5, "legal")]),
    3: ("A", "T", date(2026, 2, 10), 0, [(D, DONE)], [(3, 0.8, "no"), (6, 0.6, "")]),
    4: ("B", "T", date(2026, 3, 1), 0, [(D, DONE), (D, PLANNED)], [(3, 0.7, "no"), (6, None, "")]),
    5: (
        "B",
        "P",
        date(2026, 3, 15),
        0,
        [(D, DONE)],
        [(3, 0.9, "no"), (6, 0.8, "no"), (12, 0.8, "no")],
    ),
    6: ("A", "P", date(2026, 1, 10), 0, [(R, DONE), (D, DONE)], [(3, 0.4, "irregular")]),
    7: ("A", "T", date(2026, 2, 1), 3, [(R, DONE)], [(3, 0.5, "no"), (6, 0.4, "unknown")]),
    8: ("B", "T", date(2026, 2, 20), 0, [(R, DONE), (R, DROPPED)], [(3, 0.6, "no")]),
    9: ("B", "T", date(2026, 4, 1), 10, [(R, DONE)], [(3, 0.6, "legal")]),
    10: ("B", "P", date(2026, 4, 10), 0, [(R, DONE)], [(3, 0.5, "no"), (6, 0.5, "no")]),
    11: ("A", None, date(2026, 5, 1), 0, [(R, PLANNED)], [(3, None, "")]),
    # Withdrawn: counted as withdrawn only.
    12: ("B", "P", date(2026, 1, 15), 0, [(D, DONE)], [(3, 0.99, "legal")], "withdrawn"),
}


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def _returned(person, day: date) -> None:
    """`person` moved to returned on `day` (the status change dated so)."""
    from garda.people.models import Person, StatusChange

    Person.objects.filter(pk=person.pk).update(status="returned")
    change = StatusChange.objects.create(
        person=person, from_status="departed", to_status="returned"
    )
    StatusChange.objects.filter(pk=change.pk).update(changed_at=_at(day))


def _repatriation(person, created_by, day: date, reason: str):
    from garda.cases.models import Repatriation

    return Repatriation.objects.create(
        reference=f"RPT-O-{person.pk:06d}",
        person=person,
        name=person.full_name,
        reason=reason,
        status=Repatriation.Status.COMPLETED,
        created_by=created_by,
        arrived_at=_at(day),
        completed_at=_at(day + timedelta(days=1)),
    )


# The people who came home without a plan (the share's denominator counts them), and
# those who do not count: key: (how they came home, the day, their kab/kota).
RETURNEES = {
    # Counted: status returned, no plan.
    "n1": ("status", date(2026, 2, 15), "31.71"),
    # Counted: brought home by a completed repatriation (status unchanged), no plan.
    "n2": ("repatriation", date(2026, 4, 20), "31.75"),
    # Counted: status returned, no city registered.
    "n3": ("status", date(2026, 5, 10), ""),
    # Not counted: the remains of a worker who died.
    "death": ("death", date(2026, 3, 3), "31.71"),
}


def population(created_by) -> Population:
    """Two programmes, two cities, twelve plans (one withdrawn) with hand-chosen
    dates, goals and follow-up scores."""
    pop = Population(
        mandiri=make_programme("Desa Migran Produktif"),
        mitra=make_programme("Mitra Usaha Purna"),
        pusat=make_region("31.71", "Kota Jakarta Pusat"),
        timur=make_region("31.75", "Kota Jakarta Timur"),
    )
    programmes = {"A": pop.mandiri, "B": pop.mitra}
    cities = {"P": pop.pusat, "T": pop.timur, None: None}
    for number, (prog, city, returned_on, late, goals, follow_ups, *status) in TABLE.items():
        plan = make_plan(
            programme=programmes[prog],
            city=cities[city],
            returned_on=returned_on,
            days_late=late,
            created_by=created_by,
            status=status[0] if status else Plan.Status.ACTIVE,
        )
        for via, goal_status in goals:
            make_goal(plan, via=via, status=goal_status)
        for month, composite, remigration in follow_ups:
            make_follow_up(
                plan,
                month=month,
                composite=composite,
                remigration=remigration,
                done=composite is not None,
            )
        pop.plans[number] = plan
    from garda.people.models import Person
    from garda.people.tests.factories import register

    for key, (how, day, city) in RETURNEES.items():
        _serial[0] += 1
        person = register(serial=_serial[0])
        Person.objects.filter(pk=person.pk).update(regency_code=city)
        if how == "status":
            _returned(person, day)
        else:
            _repatriation(person, created_by, day, "death" if how == "death" else "deportation")
        pop.people[key] = person
    # Plan 1's person came home (status returned) and has a plan: not without one.
    _returned(pop.plans[1].person, date(2026, 1, 5))
    return pop
