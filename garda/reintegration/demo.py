"""Demo returnees for `garda demo` (issue 16), written through the real services and
then dated back to when they would have happened:

- one back seven months: assessed, a plan made late (40 days after return: the
  outcomes show it), business training delivered directly, access to capital through
  a referral still planned, the 3- and 6-month follow-ups done with the survey (the
  scores rise);
- one back seven weeks: a plan made on time, counselling delivered directly, a
  follow-up due at 3 months;
- one back ten days: no plan yet (the worklist shows the date it is due by).

Two programmes, the province's economic one and social affairs' psychosocial one.
Idempotent: a returnee of the demo is known by their plan or assessment.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from garda.accounts.models import Agency, User
from garda.people.models import Person, Status
from garda.people.services.registry import person_change_status
from garda.reintegration.models import Assessment, FollowUp, Plan, Programme
from garda.reintegration.services.plans import (
    AssessmentData,
    GoalData,
    PlanData,
    assessment_record,
    followup_record,
    goal_done,
    plan_create,
)

PROGRAMMES = (
    ("Program Purna PMI Produktif DKI Jakarta", "disnakertransgi"),
    ("Pemulihan Psikososial Purna PMI (Dinas Sosial)", "dinsos"),
)

FIRST_ROUND = {
    "econ_satisfaction": "dissatisfied",
    "econ_work": "irregular",
    "econ_debt": "manageable",
    "econ_food": "sometimes",
    "econ_borrowing": "no",
    "soc_housing": "adequate",
    "soc_services": "difficult",
    "soc_documents": "all",
    "soc_health_care": "limited",
    "soc_schooling": "all",
    "psy_participation": "sometimes",
    "psy_support": "one",
    "psy_discrimination": "sometimes",
    "psy_safety": "safe",
    "psy_stay": "unsure",
}
SECOND_ROUND = {
    **FIRST_ROUND,
    "econ_satisfaction": "satisfied",
    "econ_work": "regular",
    "econ_borrowing": "yes",
    "psy_support": "several",
    "psy_stay": "no",
}


def _programmes() -> list[Programme]:
    made = []
    for name, agency_key in PROGRAMMES:
        agency = Agency.objects.filter(name__icontains=agency_key[:6]).first()
        made.append(Programme.objects.get_or_create(name=name, defaults={"agency": agency})[0])
    return made


def _returnee(officer: User, person: Person) -> Person:
    """Along the status machine to returned (the demo registry's people are
    registered; these went abroad through a company and came back)."""
    path = ("in_preparation", "ready", "placed", "departed", "returned")
    start = path.index(person.status) + 1 if person.status in path else 0
    for status in path[start:]:
        person = person_change_status(
            actor=officer, person=person, to_status=status, route="p3mi", reason="demo"
        )
    return person


def _back_date(plan: Plan, made_days_ago: int) -> None:
    made = timezone.localdate() - timedelta(days=made_days_ago)
    Plan.objects.filter(pk=plan.pk).update(
        made_on=made, created_at=timezone.now() - timedelta(days=made_days_ago)
    )


def populate(users: dict) -> dict:
    alice = users.get("alice")
    if alice is None or Plan.objects.exists() or Assessment.objects.exists():
        return {"returnees": 0}
    people = list(
        Person.objects.filter(
            user__isnull=True, merged_into__isnull=True, status=Status.REGISTERED
        ).order_by("-pk")[:3]
    )
    if len(people) < 3:
        return {"returnees": 0}
    economic, social = _programmes()
    today = timezone.localdate()
    with transaction.atomic():
        long_ago, weeks_ago, just_back = (_returnee(alice, p) for p in people)

        back = today - timedelta(days=215)
        assessment_record(
            actor=alice,
            person=long_ago,
            data=AssessmentData(
                returned_on=back,
                vulnerability="medium",
                economic="Tabungan habis untuk melunasi utang biaya penempatan.",
                debts="Utang kepada sponsor Rp 6 juta.",
                has_debts=True,
                skills="Memasak, mengasuh anak, bahasa Kanton.",
                family="Tinggal dengan ibu dan dua anak.",
            ),
        )
        plan = plan_create(
            actor=alice,
            person=long_ago,
            data=PlanData(
                returned_on=back,
                programme_id=economic.pk,
                summary="Membuka usaha katering rumahan.",
                goals=[
                    GoalData(kind="business_training", description="Pelatihan usaha katering"),
                    GoalData(
                        kind="capital",
                        description="Akses modal usaha (KUR)",
                        via="referral",
                        provider="Bank DKI",
                    ),
                    GoalData(kind="counselling", description="Konseling keluarga"),
                ],
            ),
        )
        _back_date(plan, 215 - 40)
        training = plan.goals.get(kind="business_training")
        goal_done(actor=alice, goal=training, done_on=back + timedelta(days=70))
        for month, answers in ((3, FIRST_ROUND), (6, SECOND_ROUND)):
            followup = FollowUp.objects.get(plan=plan, month=month)
            followup_record(
                actor=alice,
                followup=followup,
                answers=answers,
                remigration="no",
                done_on=followup.due_on,
            )

        back = today - timedelta(days=50)
        plan = plan_create(
            actor=alice,
            person=weeks_ago,
            data=PlanData(
                returned_on=back,
                programme_id=social.pk,
                summary="Pemulihan setelah kekerasan di tempat kerja.",
                goals=[
                    GoalData(
                        kind="counselling",
                        description="Konseling psikososial",
                        provider="Dinas Sosial",
                    ),
                    GoalData(kind="job_at_home", description="Penempatan kerja di Jakarta"),
                ],
            ),
        )
        _back_date(plan, 50 - 20)
        goal_done(
            actor=alice,
            goal=plan.goals.get(kind="counselling"),
            done_on=back + timedelta(days=30),
        )

        assessment_record(
            actor=alice,
            person=just_back,
            data=AssessmentData(returned_on=today - timedelta(days=10), vulnerability="high"),
        )
    return {"returnees": 3}
