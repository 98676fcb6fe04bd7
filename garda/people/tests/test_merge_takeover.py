"""Issue 19, weakness 1: taking over someone else's record through a duplicate merge.

The attack: an officer who does not accompany a person P registers a look-alike
record Q (another NIK), is assigned to Q by the registration, then decides "same
person" on the pair (P, Q). Before the fix her assignment moved onto the surviving
record and P's identity numbers, timeline and tasks opened to her. Now a pair that
involves a person accompanied by another officer goes to a supervisor, and a merge
ends the absorbed record's assignments unless a supervisor keeps them.
"""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from conftest import make_user, verified_client
from garda.accompaniment.services import contact_log, task_create
from garda.accounts import roles
from garda.audit.models import AuditEvent
from garda.people.models import Assignment, DuplicateCandidate, Person
from garda.people.services.duplicates import duplicate_decide
from garda.people.tests.factories import person_data, register

REFUSAL = "Pasangan ini melibatkan orang yang didampingi petugas lain"


@pytest.fixture
def dewi(alice):
    """Another officer of Alice's agency, who accompanies P."""
    return make_user("dewi@example.org", roles.OFFICER, alice.agency, full_name="Dewi")


@pytest.fixture
def victim(dewi):
    """P: registered and accompanied by Dewi, with a task and a contact."""
    person = register(
        serial=11, actor=dewi, full_name="Djoko Santoso", sex="M", born=date(1990, 5, 5)
    )
    task_create(
        actor=dewi,
        person=person,
        kind="task",
        title="Periksa hasil kesehatan",
        due_at=timezone.now() + timedelta(days=3),
    )
    contact_log(actor=dewi, person=person, channel="office", summary="Datang ke LTSA")
    return person


@pytest.fixture
def lookalike(alice, victim):
    """Q: Alice registers a look-alike of P with another NIK, through the API; the
    registration assigns her to it, and the engine proposes the pair (P, Q)."""
    response = verified_client(alice).post(
        "/api/v1/people",
        person_data(serial=12, full_name="Joko Santoso", sex="M", born=date(1990, 5, 5)),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    person = Person.objects.get(pk=response.json()["id"])
    assert Assignment.objects.filter(person=person, officer=alice).exists()
    return person


@pytest.fixture
def pair(victim, lookalike):
    return DuplicateCandidate.objects.get(person_a=victim, person_b=lookalike)


def _nothing_moved(alice, victim, lookalike, pair):
    pair.refresh_from_db()
    lookalike.refresh_from_db()
    assert pair.status == DuplicateCandidate.Decision.OPEN and pair.decided_by is None
    assert lookalike.merged_into_id is None
    assert not Assignment.objects.filter(person=victim, officer=alice).exists()
    assert Assignment.objects.filter(person=lookalike, officer=alice).exists()
    assert AuditEvent.objects.filter(
        actor=alice,
        action=AuditEvent.Action.DENIED,
        object_type="people.duplicatecandidate",
        object_id=str(pair.pk),
    ).exists()


def _locked_out(client, victim):
    """What the attack was for stays shut: identity numbers, timeline, tasks."""
    identity = client.get(f"/api/v1/people/{victim.pk}/identity")
    assert identity.status_code == 403
    assert victim.nik not in identity.content.decode()
    assert client.post(f"/people/{victim.pk}/identity/").status_code == 403
    assert client.get(f"/api/v1/people/{victim.pk}/timeline").status_code == 404
    assert client.get(f"/api/v1/people/{victim.pk}/tasks").status_code == 404
    assert client.get(f"/accompaniment/people/{victim.pk}/timeline/").status_code == 404


@pytest.mark.django_db
def test_officer_same_person_decision_on_someone_elses_person_is_refused_api(
    alice, victim, lookalike, pair
):
    client = verified_client(alice)
    response = client.post(
        f"/api/v1/duplicates/{pair.pk}/decision",
        {"same": True},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert REFUSAL in response.json()["detail"]
    _nothing_moved(alice, victim, lookalike, pair)
    _locked_out(client, victim)


@pytest.mark.django_db
def test_officer_same_person_decision_on_someone_elses_person_is_refused_page(
    alice, victim, lookalike, pair
):
    client = verified_client(alice)
    response = client.post(f"/people/duplicates/{pair.pk}/decision/", {"same": "1"})
    assert response.status_code == 403
    assert REFUSAL in response.content.decode()
    _nothing_moved(alice, victim, lookalike, pair)
    _locked_out(client, victim)


@pytest.mark.django_db
def test_officer_may_not_mark_someone_elses_pair_different_either(alice, victim, lookalike, pair):
    """Hiding a pair from review is a decision on someone else's person too."""
    response = verified_client(alice).post(
        f"/api/v1/duplicates/{pair.pk}/decision",
        {"same": False},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert REFUSAL in response.json()["detail"]
    _nothing_moved(alice, victim, lookalike, pair)


@pytest.mark.django_db
def test_queue_shows_the_pair_as_waiting_for_a_supervisor(
    alice, bob, victim, lookalike, pair, django_assert_max_num_queries
):
    client = verified_client(alice)
    with django_assert_max_num_queries(15):
        page = client.get("/people/duplicates/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Menunggu keputusan supervisor" in html
    assert f"/people/duplicates/{pair.pk}/decision/" not in html  # no buttons for her
    supervisor = verified_client(bob).get("/people/duplicates/").content.decode()
    assert "Menunggu keputusan supervisor" not in supervisor
    assert f"/people/duplicates/{pair.pk}/decision/" in supervisor


@pytest.mark.django_db
def test_after_a_supervisor_merges_the_officer_still_cannot_see_the_survivor(
    alice, bob, dewi, victim, lookalike, pair
):
    response = verified_client(bob).post(
        f"/api/v1/duplicates/{pair.pk}/decision",
        {"same": True},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["id"] == victim.pk
    lookalike.refresh_from_db()
    assert lookalike.merged_into_id == victim.pk
    # The absorbed record's assignment ended, recorded; Dewi still accompanies P.
    assert list(Assignment.objects.filter(person=victim).values_list("officer", flat=True)) == [
        dewi.pk
    ]
    assert not Assignment.objects.filter(officer=alice).exists()
    assert AuditEvent.objects.filter(
        actor=bob,
        action=AuditEvent.Action.DELETE,
        object_type="people.assignment",
        reason=f"merge: {lookalike.pk} into {victim.pk}",
    ).exists()
    _locked_out(verified_client(alice), victim)


@pytest.mark.django_db
def test_supervisor_page_merge_ends_assignments_and_says_so(alice, bob, victim, lookalike, pair):
    client = verified_client(bob)
    response = client.post(f"/people/duplicates/{pair.pk}/decision/", {"same": "1"}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert victim.reference in html
    assert "Pendampingan data yang digabungkan berakhir: 1 petugas" in html
    assert not Assignment.objects.filter(officer=alice).exists()
    _locked_out(verified_client(alice), victim)


@pytest.mark.django_db
def test_supervisor_may_explicitly_keep_the_absorbed_records_officers(
    alice, bob, victim, lookalike, pair
):
    page = verified_client(bob).get("/people/duplicates/").content.decode()
    assert "Pertahankan petugas pendamping data yang digabungkan" in page
    response = verified_client(bob).post(
        f"/people/duplicates/{pair.pk}/decision/", {"same": "1", "keep_officers": "1"}
    )
    assert response.status_code == 302
    assert Assignment.objects.filter(person=victim, officer=alice).exists()
    assert AuditEvent.objects.filter(
        actor=bob,
        action=AuditEvent.Action.UPDATE,
        object_type="people.assignment",
        reason=f"merge: kept, {lookalike.pk} into {victim.pk}",
    ).exists()


@pytest.mark.django_db
def test_an_officer_cannot_ask_to_keep_officers(alice, dewi, lookalike):
    """Even on a pair she may decide, keeping officers is a supervisor's choice."""
    mine = register(
        serial=13, actor=alice, full_name="Joko Santoso", sex="M", born=date(1990, 5, 5)
    )
    candidate = DuplicateCandidate.objects.get(person_a=lookalike, person_b=mine)
    with pytest.raises(PermissionDenied):
        duplicate_decide(actor=alice, candidate=candidate, same=True, keep_officers=True)
    assert DuplicateCandidate.objects.get(pk=candidate.pk).status == "open"


@pytest.mark.django_db
def test_officer_still_decides_a_pair_of_her_own_persons(alice, dewi, lookalike):
    """No widening there: she accompanies both; the newer record's assignment ends,
    hers on the survivor stays."""
    mine = register(
        serial=13, actor=alice, full_name="Joko Santoso", sex="M", born=date(1990, 5, 5)
    )
    candidate = DuplicateCandidate.objects.get(person_a=lookalike, person_b=mine)
    response = verified_client(alice).post(
        f"/api/v1/duplicates/{candidate.pk}/decision",
        {"same": True},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["id"] == lookalike.pk
    assert list(Assignment.objects.filter(officer=alice).values_list("person", flat=True)) == [
        lookalike.pk
    ]


@pytest.mark.django_db
def test_officer_may_decide_a_pair_nobody_else_accompanies(alice):
    """An unaccompanied person is one she could take herself: she may decide; her
    assignment of the absorbed record ends all the same (not carried over silently)."""
    older = register(serial=14, full_name="Djoko Santoso", sex="M", born=date(1990, 5, 5))
    mine = register(
        serial=15, actor=alice, full_name="Joko Santoso", sex="M", born=date(1990, 5, 5)
    )
    candidate = DuplicateCandidate.objects.get(person_a=older, person_b=mine)
    survivor = duplicate_decide(actor=alice, candidate=candidate, same=True)
    assert survivor.pk == older.pk
    assert not Assignment.objects.filter(officer=alice).exists()
