"""The demo cases of `garda demo`: several channels, stages and severities, a critical
case from a screening, a breached and escalated clock, shared and internal notes, one
case for the worker persona, a public report followed with the demo secret; run
twice, nothing is duplicated."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from garda.cases.access import case_by_tracking, own_cases, shared_notes, visible_cases
from garda.cases.demo import DEMO_TRACKING_SECRET, populate
from garda.cases.models import Case, Clock, Escalation, Note

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(alice, bob, carol, admin_user, wati):
    return {"alice": alice, "bob": bob, "carol": carol, "admin": admin_user, "wati": wati}


def test_the_demo_cases(people, wati, bob):
    made = populate(people)
    assert made["cases"] == 7 and made["escalations"] >= 2
    cases = Case.objects.all()
    assert set(cases.values_list("stage", flat=True)) >= {
        "new",
        "triaged",
        "in_progress",
        "waiting",
        "resolved",
    }
    assert set(cases.values_list("severity", flat=True)) == {"critical", "high", "normal"}
    assert len(set(cases.values_list("channel", flat=True))) >= 6
    # Critical from the screening, for the task force.
    critical = cases.get(subject_name="Yuliana Sari")
    assert critical.severity == "critical" and critical.task_force
    assert critical.screening_level == "urgent"
    assert "documents" in critical.screenings.get().indicators
    # One breached clock, escalated to level 1 and 2, dated when it happened.
    now = timezone.now()
    breached = Clock.objects.filter(done_at__isnull=True, due_at__lt=now)
    assert list(breached.values_list("case__subject_name", "name")) == [
        ("Dedi Kurniawan", "resolution")
    ]
    late = Clock.objects.filter(done_at__isnull=False, done_at__gt=F("due_at"))
    assert not late.exists()  # the other targets were met
    levels = Escalation.objects.filter(case__subject_name="Dedi Kurniawan").order_by("level")
    assert [e.level for e in levels] == [1, 2]
    assert all(e.at < now - timedelta(hours=23) for e in levels)
    assert cases.get(subject_name="Dedi Kurniawan").created_at < now - timedelta(days=34)
    # The worker persona sees exactly one case, with its shared message only.
    mine = own_cases(wati)
    assert mine.count() == 1
    own = mine.get()
    assert Note.objects.filter(case=own, shared=False).exists()
    assert [n.shared for n in shared_notes(own)] == [True]
    # The public report opens with the demo secret; a wrong one reveals nothing.
    reference, secret = made["tracking"]
    public = case_by_tracking(reference, secret)
    assert secret == DEMO_TRACKING_SECRET and public.subject_name == "Rina Marlina"
    assert shared_notes(public).exists()
    assert case_by_tracking(reference, "salah") is None
    # Bob (Disnakertransgi) does not see Carol's Dinsos case.
    assert not visible_cases(bob).filter(subject_name="Nur Aini").exists()


def test_running_it_twice_duplicates_nothing(people):
    first = populate(people)
    counts = (Case.objects.count(), Escalation.objects.count(), Note.objects.count())
    again = populate(people)
    assert again["cases"] == 0 and again["escalations"] == 0
    assert again["tracking"] == first["tracking"]
    assert (Case.objects.count(), Escalation.objects.count(), Note.objects.count()) == counts


def test_the_demo_repatriations_fill_the_arrivals_board_once(people):
    """A case's return landing tomorrow, a death the family follows step by step, an
    evacuation of 24 on two flights; run twice, nothing is duplicated."""
    from garda.cases.demo import DEATH_SUBJECT, populate_repatriations
    from garda.cases.models import Repatriation
    from garda.places.models import Country

    for code, name in (("SA", "Arab Saudi"), ("LB", "Lebanon"), ("MY", "Malaysia")):
        Country.objects.get_or_create(
            code=code, defaults={"alpha3": f"{code}X", "numeric": "0", "name_id": name}
        )
    populate(people)
    made = populate_repatriations(people)
    assert made["repatriations"] == 26
    reps = Repatriation.objects.all()
    assert reps.filter(evacuation__isnull=False).count() == 24
    assert set(reps.filter(evacuation__isnull=False).values_list("flight", flat=True)) == {
        "GA 9911",
        "GA 9913",
    }
    yuliana = reps.get(case__subject_name="Yuliana Sari")
    assert yuliana.arrives_at > timezone.now() and "shelter" in yuliana.needs
    death = reps.get(case__subject_name=DEATH_SUBJECT)
    told = Note.objects.filter(case=death.case, shared=True).values_list("text", flat=True)
    assert any("Akta kematian" in t for t in told)
    assert populate_repatriations(people)["repatriations"] == 0
    assert Repatriation.objects.count() == 26
