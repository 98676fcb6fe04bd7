"""The worklists (docs/reintegration.md, "Worklist"): returnees without a plan, and
follow-ups due. Each a single query, whatever the number of rows."""

from datetime import timedelta

from django.db.models import DateTimeField, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from garda.accounts.models import User
from garda.people.access import visible_people
from garda.people.models import Person, StatusChange
from garda.people.models import Status as PersonStatus
from garda.reintegration import policy
from garda.reintegration.access import visible_plans
from garda.reintegration.models import FollowUp, Plan

# Follow-ups shown this many days before they are due.
FOLLOW_UP_NOTICE_DAYS = 14


def returnees_without_plan(user: User) -> QuerySet[Person]:
    """Persons `user` may see who came home (status returned, or a completed
    repatriation) and have no plan under way nor one made since that return; each
    annotated with `returned_at` (the repatriation's arrival or hand-over, else the
    status change), the earliest first: the late ones lead."""
    return without_plan(visible_people(user)).order_by(F("returned_at").asc(nulls_last=True), "id")


def without_plan(people: QuerySet[Person]) -> QuerySet[Person]:
    """The returnees among `people` with no plan under way nor one made since their
    return, annotated with `returned_at`: the worklist's and the outcome figures' one
    definition of "came home without a plan"."""
    from garda.cases.models import Repatriation

    # The living brought home (the remains of a worker who died are no returnee).
    completed = Repatriation.objects.filter(
        person=OuterRef("pk"), status=Repatriation.Status.COMPLETED
    ).exclude(reason="death")
    repatriated_at = (
        completed.annotate(home_at=Coalesce("arrived_at", "completed_at"))
        .order_by("-completed_at")
        .values("home_at")[:1]
    )
    status_at = (
        StatusChange.objects.filter(person=OuterRef("pk"), to_status=PersonStatus.RETURNED)
        .order_by("-changed_at")
        .values("changed_at")[:1]
    )
    planned = Plan.objects.filter(person=OuterRef("pk")).filter(
        Q(status=Plan.Status.ACTIVE)
        | Q(status=Plan.Status.COMPLETED, created_at__gte=OuterRef("returned_at"))
    )
    return (
        people.filter(Q(status=PersonStatus.RETURNED) | Exists(completed))
        .annotate(
            returned_at=Coalesce(
                Subquery(repatriated_at, output_field=DateTimeField()),
                Subquery(status_at, output_field=DateTimeField()),
            )
        )
        .exclude(Exists(planned))
    )


def returnee_rows(people) -> list[dict]:
    """The worklist's rows: the person, the return day, the plan's due day, late."""
    days = policy.current().plan_within_days
    today = timezone.localdate()
    rows = []
    for person in people:
        returned_on = timezone.localdate(person.returned_at) if person.returned_at else None
        due_on = returned_on + timedelta(days=days) if returned_on else None
        rows.append(
            {
                "person": person,
                "returned_on": returned_on,
                "due_on": due_on,
                "late": due_on is not None and due_on < today,
            }
        )
    return rows


def followups_due(user: User) -> QuerySet[FollowUp]:
    """Follow-ups not done of plans under way or completed, due within the notice
    period or overdue, the earliest first."""
    horizon = timezone.localdate() + timedelta(days=FOLLOW_UP_NOTICE_DAYS)
    return (
        FollowUp.objects.filter(
            plan__in=visible_plans(user).exclude(status=Plan.Status.WITHDRAWN),
            done_on__isnull=True,
            due_on__lte=horizon,
        )
        .select_related("plan__person")
        .order_by("due_on", "id")
    )
