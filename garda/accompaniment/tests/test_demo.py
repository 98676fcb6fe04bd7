"""The demo accompaniment: officers assigned, tasks of every kind, contacts; run twice,
nothing is duplicated."""

import pytest
from django.utils import timezone

from garda.accompaniment.demo import populate
from garda.accompaniment.models import Contact, Task
from garda.people.models import Assignment
from garda.people.tests.factories import register, restart_person_ids


@pytest.mark.django_db
def test_populate_is_realistic_and_idempotent(admin_user, alice, dewi, wati):
    # As in `garda demo`: most persons registered by alice (their first officer).
    restart_person_ids()  # the same tasks drawn whichever tests ran before
    persons = [register(serial=n, actor=alice if n % 4 else None) for n in range(1, 41)]
    persons.append(register(serial=41, user=wati))
    counts = populate(persons, [alice, dewi])
    assert counts["assigned"] == 11 + 10  # 11 without an officer, 10 moved to dewi
    assert Assignment.objects.filter(officer=alice).count() == 21
    assert Assignment.objects.filter(officer=dewi).count() == 20
    now = timezone.now()
    open_tasks = Task.objects.filter(done_at__isnull=True, cancelled_at__isnull=True)
    assert open_tasks.filter(due_at__lt=now).exists()
    assert open_tasks.filter(due_at__gt=now, kind="appointment").exists()
    assert Task.objects.filter(done_at__isnull=False).exists()
    assert Contact.objects.count() == counts["contacts"] > 0
    before = (Assignment.objects.count(), Task.objects.count(), Contact.objects.count())
    again = populate(persons, [alice, dewi])
    assert again == {"assigned": 0, "tasks": 0, "appointments": 0, "overdue": 0, "contacts": 0}
    assert (Assignment.objects.count(), Task.objects.count(), Contact.objects.count()) == before


@pytest.mark.django_db
def test_populate_needs_an_admin(alice):
    with pytest.raises(ValueError):
        populate([register(serial=1)], [alice])
