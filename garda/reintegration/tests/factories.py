"""Reintegration test data, built through the real services where there is one."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from garda.accounts.models import User
from garda.people.models import Person
from garda.people.tests.factories import register
from garda.reintegration.models import Plan, Programme
from garda.reintegration.services.plans import GoalData, PlanData, plan_create

# Answers to every question of the packaged instrument (rss garda-1).
ANSWERS = {
    "econ_satisfaction": "satisfied",  # 0.75
    "econ_work": "irregular",  # 0.5
    "econ_debt": "none",  # 1
    "econ_food": "often",  # 0
    "econ_borrowing": "yes",  # 1  -> economic 3.25 / 5 = 0.65
    "soc_housing": "good",  # 1
    "soc_services": "difficult",  # 0.5
    "soc_documents": "some",  # 0.5 -> social 2 / 3 = 0.6667 (3 of 5 answered)
    "psy_participation": "never",  # 0
    "psy_support": "one",  # 0.5
    "psy_safety": "safe",  # 1 -> psychosocial 1.5 / 3 = 0.5
}
# (0.65 + 2/3 + 0.5) / 3 = 0.60556
SCORES = {"economic": 0.65, "social": 0.6667, "psychosocial": 0.5, "composite": 0.6056}


def programme(name: str = "Program Reintegrasi DKI Jakarta") -> Programme:
    return Programme.objects.get_or_create(name=name)[0]


def returnee(officer: User, *, serial: int, user: User | None = None, **kwargs) -> Person:
    """A registered person moved along the status machine to returned."""
    from garda.people.services.registry import person_change_status

    person = register(serial=serial, user=user, **kwargs)
    for status in ("in_preparation", "ready", "placed", "departed", "returned"):
        person = person_change_status(actor=officer, person=person, to_status=status, route="p3mi")
    return person


def make_plan(
    officer: User, person: Person, *, returned_on: date | None = None, goals=None
) -> Plan:
    returned_on = returned_on or timezone.localdate() - timedelta(days=10)
    goals = goals or [
        GoalData(kind="business_training", description="Pelatihan usaha katering"),
        GoalData(kind="counselling", description="Konseling psikososial", provider="Dinsos"),
    ]
    return plan_create(
        actor=officer,
        person=person,
        data=PlanData(returned_on=returned_on, programme_id=programme().pk, goals=goals),
    )


def repatriated(officer: User, person: Person, *, days_ago: int):
    """A completed repatriation of `person`, handed over `days_ago` days ago."""
    from garda.cases.models import Repatriation

    when = timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=days_ago), time(10))
    )
    return Repatriation.objects.create(
        reference=f"RPT-T-{person.pk:06d}",
        person=person,
        name=person.full_name,
        reason="contract_trouble",
        status=Repatriation.Status.COMPLETED,
        created_by=officer,
        arrived_at=when,
        completed_at=when,
    )
